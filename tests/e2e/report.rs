//! The human-facing outputs end to end (issue 8): `--format html` gives a self-contained page
//! (one, or an index for several documents), `--format pretty` plain text when colour is off,
//! and `slant report` the expected corpus table and CSV for a small saved-results fixture.

use crate::support::{fixture, slant};

fn path(rel: &str) -> String {
    fixture(rel).display().to_string()
}

/// No resource on the page may come from the network.
fn assert_self_contained(page: &str) {
    for bad in ["src=\"http", "href=\"http", "url(http", "@import", "<link", "src=\"//", "href=\"//"] {
        assert!(!page.contains(bad), "the page references an outside resource (`{bad}`)");
    }
    assert!(!page.contains("http://") && !page.contains("https://"), "the page names a URL");
}

#[test]
fn html_for_one_document_is_a_self_contained_page() {
    let run = slant(&["analyze", &path("report/valdonia-pact.txt"), "--format", "html"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = &run.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..page.len().min(200)]);
    assert!(page.trim_end().ends_with("</html>"));
    assert_eq!(page.matches("<section class=\"doc\"").count(), 1);
    assert!(page.contains("<style>") && page.contains("<script>"));
    // The page carries the whole text, not just the spans of the record.
    assert!(page.contains("theatrical tantrum") && page.contains("Kestria’s capital"));
    assert_self_contained(page);
}

#[test]
fn html_for_several_documents_has_an_index_on_stdout() {
    let text = path("report/valdonia-pact.txt");
    let run = slant(&["analyze", &text, &text, "--format", "html"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = &run.stdout;
    assert_eq!(page.matches("<!DOCTYPE html>").count(), 1);
    assert_eq!(page.matches("<section class=\"doc\"").count(), 2);
    assert!(page.contains(r#"<nav class="index panel" id="index">"#));
    assert!(page.contains(r##"href="#d1""##) && page.contains(r##"href="#d2""##));
    assert_self_contained(page);
}

#[test]
fn html_for_several_documents_to_a_file_writes_pages_beside_the_index() {
    let dir = std::env::temp_dir().join(format!("slant-e2e-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let index = dir.join("out.html");
    let input = r#"{"id":"one","text":"The council met on Monday."}
{"id":"two","text":"Critics called the plan reckless."}
"#;
    let run = slant(&["analyze", "-", "--format", "html", "--output", &index.display().to_string()], input.as_bytes());
    assert_eq!(run.status, 0, "{}", run.stderr);
    let index_page = std::fs::read_to_string(&index).expect("index written");
    assert!(index_page.contains(r#"href="out-one.html""#) && index_page.contains(r#"href="out-two.html""#));
    let one = std::fs::read_to_string(dir.join("out-one.html")).expect("page for `one`");
    assert!(one.contains("The council met on Monday."));
    assert_self_contained(&one);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn pretty_is_plain_when_colour_is_off() {
    let run = slant(&["analyze", &path("report/valdonia-pact.txt"), "--format", "pretty"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'), "NO_COLOR is set: no escapes");
    assert!(run.stdout.lines().next().is_some_and(|l| !l.is_empty()), "a title line");
}

#[test]
fn report_table_for_saved_results() {
    let run = slant(&["report", &path("report/corpus.jsonl")], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'));
    insta::assert_snapshot!("report_corpus_pretty", run.stdout);
}

#[test]
fn report_csv_for_saved_results() {
    let run = slant(&["report", &path("report/corpus.jsonl"), "--format", "csv"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "section,name,documents,count,mean,detail");
    assert!(lines.contains(&"actor,Valdonia,3,8,0.1667,country"), "{}", run.stdout);
    assert!(lines.contains(&"technique,loaded_language,2,4,,"), "{}", run.stdout);
    assert!(lines.contains(&"source,Daily Ledger,2,5,-0.1000,Valdonia"), "{}", run.stdout);
    insta::assert_snapshot!("report_corpus_csv", run.stdout);
}

#[test]
fn report_html_is_self_contained() {
    let run = slant(&["report", &path("report/corpus.jsonl"), "--format", "html"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Most mentioned actors") && run.stdout.contains("Daily Ledger"));
    assert_self_contained(&run.stdout);
}

#[test]
fn report_reads_stdin_skips_bad_lines_and_names_missing_files() {
    let input = format!("{}\nnot json\n", std::fs::read_to_string(fixture("report/corpus.jsonl")).expect("fixture"));
    let run = slant(&["report", "-", "--format", "csv"], input.as_bytes());
    assert_eq!(run.status, 1, "a skipped line makes the exit status 1");
    assert!(run.stderr.contains("line 7"), "{}", run.stderr);
    assert!(run.stdout.contains("corpus,documents,5,,,"));
    let missing = slant(&["report", "no/such/results.jsonl"], b"");
    assert_eq!(missing.status, 2);
    assert!(missing.stderr.contains("no/such/results.jsonl"));
}

/// The seed article (read from `../shared/data`, never copied) gives a page with the article's
/// findings and a terminal report with its sections, whatever the analyzers find in detail.
#[test]
fn seed_article_reports() {
    let seed = crate::support::data("seed/armenia-csto.txt");
    let seed = seed.display().to_string();
    let html = slant(&["analyze", &seed, "--format", "html"], b"");
    assert!(matches!(html.status, 0 | 1), "{}", html.stderr);
    assert_self_contained(&html.stdout);
    assert!(html.stdout.contains(r#"<article class="text">"#));
    assert!(html.stdout.matches(" data-a=\"").count() > 10, "the seed's findings are highlighted");
    assert!(html.stdout.contains(r#"class="network""#), "the actor network is drawn");
    // Pinned to 100 columns, whatever the environment running the tests says.
    let pretty = std::process::Command::new(env!("CARGO_BIN_EXE_slant"))
        .args(["analyze", &seed, "--format", "pretty"])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("slant runs");
    assert!(matches!(pretty.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&pretty.stderr));
    let pretty = String::from_utf8_lossy(&pretty.stdout);
    for section in ["IN BRIEF", "ACTORS", "RHETORIC"] {
        assert!(pretty.contains(section), "no {section} section:\n{pretty}");
    }
    assert!(pretty.lines().all(|l| slant_report_width(l) <= 100), "lines fit 100 columns:\n{pretty}");
}

/// Terminal columns of a plain line (the e2e crate does not link the report crate).
fn slant_report_width(line: &str) -> usize {
    line.chars().count()
}
