//! Data-driven tests of every actor mechanism (issue 4): the cases in
//! `tests/fixtures/actors/*.txt` and this crate's `tests/fixtures/precision.txt` (texts written
//! for these tests, format in `tests/fixtures/actors/README.md`), and user dictionaries, good
//! and bad, from `tests/fixtures/actors/dictionaries/`.

use std::path::PathBuf;

use slant_actors::Actors;
use slant_core::{Analyzer, Annotation, DictionaryFormat, Document, Settings, UserDictionary};

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/actors"))
}

struct Case {
    file: String,
    name: String,
    text: String,
    expect: Vec<String>,
    forbid: Vec<String>,
}

fn cases(dir: &std::path::Path, file: &str) -> Vec<Case> {
    let data = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut out = Vec::new();
    for block in data.split("\n---\n") {
        let mut case =
            Case { file: file.into(), name: String::new(), text: String::new(), expect: vec![], forbid: vec![] };
        for line in block.lines() {
            if let Some(n) = line.strip_prefix("== ") {
                case.name = n.to_string();
            } else if let Some(e) = line.strip_prefix(">> ") {
                case.expect.push(e.to_string());
            } else if let Some(f) = line.strip_prefix("!! ") {
                case.forbid.push(f.to_string());
            } else if !line.trim().is_empty() {
                if !case.text.is_empty() {
                    case.text.push('\n');
                }
                case.text.push_str(line);
            }
        }
        assert!(!case.text.is_empty(), "{file}: a case without text: {block}");
        assert!(!case.expect.is_empty() || !case.forbid.is_empty(), "{file}: case `{}` checks nothing", case.name);
        out.push(case);
    }
    out
}

/// `surface@n` → the byte span of the n-th occurrence (1-based) as a whole word.
fn locate(text: &str, spec: &str) -> (usize, usize) {
    let (surface, nth) = match spec.rsplit_once('@') {
        Some((s, n)) if n.chars().all(|c| c.is_ascii_digit()) => (s, n.parse::<usize>().unwrap_or(1)),
        _ => (spec, 1),
    };
    let mut seen = 0;
    let mut from = 0;
    while let Some(i) = text[from..].find(surface) {
        let s = from + i;
        let e = s + surface.len();
        let before_ok = !text[..s].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = !text[e..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            seen += 1;
            if seen == nth {
                return (s, e);
            }
        }
        from = s + surface.len().max(1);
    }
    panic!("`{spec}` does not occur in the case text: {text}");
}

fn describe(text: &str, anns: &[Annotation]) -> String {
    anns.iter()
        .map(|a| {
            format!(
                "  {:?} → {} ({}, {}, {})",
                a.text(text),
                a.label.as_deref().unwrap_or(""),
                a.attr_str("kind").unwrap_or(""),
                a.attr_str("via").unwrap_or(""),
                a.attr_str("affiliation").unwrap_or("-")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(actors: &Actors, case: &Case) -> Vec<String> {
    let doc = Document::new("case", case.text.as_str());
    let anns = actors.analyze(&doc).annotations;
    let mut failures = Vec::new();
    for e in &case.expect {
        let f: Vec<&str> = e.split('|').map(str::trim).collect();
        assert_eq!(f.len(), 4, "{}: bad expectation `{e}`", case.file);
        let (s, en) = locate(&case.text, f[0]);
        let Some(a) = anns.iter().find(|a| a.start == s && a.end == en) else {
            failures.push(format!("[{} / {}] no mention `{}`", case.file, case.name, f[0]));
            continue;
        };
        let aff = a.attr_str("affiliation").unwrap_or("-");
        let ok = a.label.as_deref() == Some(f[1])
            && (f[2] == "*" || a.attr_str("via") == Some(f[2]))
            && (f[3] == "*" || aff == f[3]);
        if !ok {
            failures.push(format!(
                "[{} / {}] `{}`: expected {} / {} / {}, got {} / {} / {}",
                case.file,
                case.name,
                f[0],
                f[1],
                f[2],
                f[3],
                a.label.as_deref().unwrap_or(""),
                a.attr_str("via").unwrap_or(""),
                aff
            ));
        }
    }
    for f in &case.forbid {
        let (s, e) = locate(&case.text, f);
        if let Some(a) = anns.iter().find(|a| a.overlaps(s, e)) {
            failures.push(format!(
                "[{} / {}] `{f}` must not be an actor, found {:?} → {}",
                case.file,
                case.name,
                a.text(&case.text),
                a.label.as_deref().unwrap_or("")
            ));
        }
    }
    if !failures.is_empty() {
        failures.push(format!("  all mentions of `{}`:\n{}", case.name, describe(&case.text, &anns)));
    }
    failures
}

fn run_file(file: &str) {
    run_cases(cases(&fixtures(), file));
}

fn run_cases(cases: Vec<Case>) {
    let actors = Actors::default();
    let failures: Vec<String> = cases.iter().flat_map(|c| check(&actors, c)).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Issue 4, precision on real news: name boundaries (words of time, "New", "The", blocked
/// phrases inside organizations, newspapers) and coreference across title forms, middle names
/// and shared surnames; cases in this crate's `tests/fixtures/precision.txt`, same format.
#[test]
fn issue_4_name_boundaries_and_coreference_precision() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"));
    run_cases(cases(&dir, "precision.txt"));
}

#[test]
fn gazetteer_names_demonyms_blockers_and_ambiguity() {
    run_file("gazetteer.txt");
}

#[test]
fn capitals_and_seats_as_metonyms() {
    run_file("metonyms.txt");
}

#[test]
fn possessives() {
    run_file("possessives.txt");
}

#[test]
fn titles_descriptions_and_organization_names() {
    run_file("titles.txt");
}

#[test]
fn appositions_and_given_names() {
    run_file("appositions.txt");
}

#[test]
fn coreference_of_surnames_roles_and_acronyms() {
    run_file("coreference.txt");
}

fn dictionary(file: &str, format: DictionaryFormat) -> UserDictionary {
    let path = fixtures().join("dictionaries").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    UserDictionary { path: format!("dictionaries/{file}"), format, text }
}

fn with(dicts: Vec<UserDictionary>) -> Result<Actors, String> {
    Actors::from_settings(&Settings { actor_dictionaries: dicts })
}

fn mentions(actors: &Actors, text: &str) -> Vec<(String, String, String, String, String)> {
    let doc = Document::new("d", text);
    actors
        .analyze(&doc)
        .annotations
        .iter()
        .map(|a| {
            (
                a.text(text).to_string(),
                a.label.as_deref().unwrap_or_default().to_string(),
                a.attr_str("kind").unwrap_or("").to_string(),
                a.attr_str("affiliation").unwrap_or("-").to_string(),
                a.attr_str("via").unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, String, String, String, String)], surface: &str, label: &str, kind: &str, aff: &str) -> bool {
    found.iter().any(|m| m.0 == surface && m.1 == label && m.2 == kind && m.3 == aff)
}

#[test]
fn slant_dictionary_adds_and_overrides_actors() {
    let actors = with(vec![dictionary("slant.tsv", DictionaryFormat::Slant)]).expect("valid dictionary");
    let text = "Northwind Mining hired Ada Okonkwo. Later Okonkwo visited Strelsau, the Ruritanian capital, and the Kremlin objected.";
    let found = mentions(&actors, text);
    assert!(has(&found, "Northwind Mining", "Northwind Mining", "organization", "Canada"), "{found:?}");
    assert!(has(&found, "Ada Okonkwo", "Ada Okonkwo", "person", "Nigeria"), "{found:?}");
    assert!(has(&found, "Okonkwo", "Ada Okonkwo", "person", "Nigeria"), "{found:?}");
    assert!(has(&found, "Strelsau", "Ruritania", "country", "-"), "{found:?}");
    assert!(has(&found, "Ruritanian", "Ruritania", "country", "-"), "{found:?}");
    assert!(has(&found, "Kremlin", "Kremlin administration", "organization", "Russia"), "override: {found:?}");
    assert!(found.iter().filter(|m| m.0 != "Okonkwo" || m.4 == "dictionary").all(|m| m.4 == "dictionary"), "{found:?}");
    // Without the dictionary none of these are known.
    let plain = mentions(&Actors::default(), text);
    assert!(!plain.iter().any(|m| m.1 == "Ruritania" || m.1 == "Kremlin administration"), "{plain:?}");
}

#[test]
fn petrarch_dictionary_records_synonyms_and_codes() {
    let actors = with(vec![dictionary("petrarch.actors.txt", DictionaryFormat::Petrarch)]).expect("valid dictionary");
    let text = "Ruritania and the Northwind Mining Company met King Rudolf in Hayastan, with the U.N. watching.";
    let found = mentions(&actors, text);
    assert!(has(&found, "Ruritania", "Ruritania", "country", "-"), "{found:?}");
    assert!(has(&found, "Northwind Mining Company", "Northwind Mining Company", "organization", "Canada"), "{found:?}");
    assert!(has(&found, "King Rudolf", "Rudolf Rassendyll", "person", "Ruritania"), "{found:?}");
    assert!(has(&found, "Hayastan", "Armenia", "country", "-"), "synonym of a built-in state: {found:?}");
    assert!(found.iter().any(|m| m.0 == "U.N." && m.1 == "United Nations"), "{found:?}");
}

#[test]
fn real_phoenix_dictionaries_load() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/petrarch2/dictionaries"));
    let mut dicts = Vec::new();
    for name in ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"] {
        let path = dir.join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            panic!("{} is missing (CI has ../shared/data)", path.display());
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        dicts.push(UserDictionary { path: path.display().to_string(), format: DictionaryFormat::Petrarch, text });
    }
    let actors = with(dicts).unwrap_or_else(|e| panic!("the Phoenix dictionaries must load: {e}"));
    assert!(actors.gazetteer().actors.len() > 5000, "{} actors", actors.gazetteer().actors.len());
    let found = mentions(&actors, "Kabul and Herat reported clashes.");
    assert!(found.iter().any(|m| m.0 == "Herat" && m.1 == "Afghanistan"), "{found:?}");
}

fn error_of(file: &str, format: DictionaryFormat) -> String {
    match with(vec![dictionary(file, format)]) {
        Ok(_) => panic!("{file} must be refused"),
        Err(e) => e,
    }
}

#[test]
fn bad_dictionaries_name_file_and_line() {
    let cases = [
        ("bad_kind.tsv", DictionaryFormat::Slant, "dictionaries/bad_kind.tsv:1: unknown kind `company`"),
        (
            "bad_fields.tsv",
            DictionaryFormat::Slant,
            "dictionaries/bad_fields.tsv:3: expected 3 to 5 tab-separated fields",
        ),
        (
            "bad_affiliation.tsv",
            DictionaryFormat::Slant,
            "dictionaries/bad_affiliation.tsv:1: unknown affiliation `Atlantis`",
        ),
        (
            "bad_synonym.actors.txt",
            DictionaryFormat::Petrarch,
            "dictionaries/bad_synonym.actors.txt:2: a synonym `+…` before",
        ),
        ("bad_code.actors.txt", DictionaryFormat::Petrarch, "dictionaries/bad_code.actors.txt:3: unclosed `[`"),
        (
            "bad_restriction.actors.txt",
            DictionaryFormat::Petrarch,
            "dictionaries/bad_restriction.actors.txt:2: a date restriction",
        ),
    ];
    for (file, format, want) in cases {
        let e = error_of(file, format);
        assert!(e.starts_with(want), "{file}: got `{e}`, want it to start with `{want}`");
    }
}

#[test]
fn summary_lists_actors_most_mentioned_first_with_aliases() {
    let text = "Armenia and Yerevan. Armenian Prime Minister Nikol Pashinyan spoke. Armenia again. Russia once.";
    let out = Actors::default().analyze(&Document::new("d", text));
    let (_, summary) = out.summary.iter().find(|(k, _)| k == "actors").expect("summary.actors");
    let list = summary.as_array().expect("a list");
    assert_eq!(list[0]["name"], "Armenia");
    assert_eq!(list[0]["id"], "ARM");
    assert_eq!(list[0]["kind"], "country");
    assert_eq!(list[0]["mentions"], 3);
    assert_eq!(list[0]["aliases"], serde_json::json!(["Armenia", "Yerevan"]));
    let p = list.iter().find(|a| a["name"] == "Nikol Pashinyan").expect("Pashinyan");
    assert_eq!(p["kind"], "person");
    assert_eq!(p["affiliation"], "Armenia");
    assert_eq!(p["id"], "person:nikol-pashinyan");
    let counts: Vec<u64> = list.iter().map(|a| a["mentions"].as_u64().unwrap_or(0)).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

#[test]
fn boilerplate_mentions_are_ignored() {
    let text = "Russia spoke.\n\nShare on Facebook: France";
    let mut doc = Document::new("d", text);
    let start = text.find("Share").expect("share");
    doc.add_annotations(vec![Annotation::new("boilerplate", start, text.len()).with_label("share")]);
    let out = Actors::default().analyze(&doc);
    let labels: Vec<&str> = out.annotations.iter().filter_map(|a| a.label.as_deref()).collect();
    assert_eq!(labels, ["Russia"]);
}
