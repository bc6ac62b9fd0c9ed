//! The structure analyzer through the real binary (issue 2): the seed article's sentences,
//! quotes with speakers, boilerplate and byline, and code-point speaker offsets on JSONL input.

use serde_json::Value;

use crate::support::*;

fn layer<'r>(record: &'r Value, name: &str) -> Vec<&'r Value> {
    record["annotations"].as_array().expect("annotations").iter().filter(|a| a["layer"] == name).collect()
}

/// `speaker_start`/`speaker_end` are code points into the text and cover the speaker's name.
fn assert_speaker_offsets(quote: &Value, chars: &[char]) {
    let attrs = &quote["attrs"];
    let Some(speaker) = attrs["speaker"].as_str() else { return };
    let s = attrs["speaker_start"].as_u64().expect("speaker_start") as usize;
    let e = attrs["speaker_end"].as_u64().expect("speaker_end") as usize;
    assert_eq!(chars[s..e].iter().collect::<String>(), speaker, "speaker offsets of {quote}");
    assert_eq!(quote["label"].as_str(), Some(speaker));
}

#[test]
fn seed_sentences_quotes_boilerplate_and_byline() {
    let seed = data("seed/armenia-csto.txt");
    let text = std::fs::read_to_string(&seed).expect("the seed article is in ../shared/data");
    let chars: Vec<char> = text.chars().collect();
    let run = slant(&["analyze", "--analyzers", "structure", "--format", "json", seed.to_str().unwrap()], b"");
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let record: Value = serde_json::from_str(&run.stdout).expect("--format json prints one object");
    assert_record_shape(&record, &text);

    let sentences = layer(&record, "sentence");
    assert!((40..=60).contains(&sentences.len()), "{} sentences", sentences.len());
    let paragraphs = layer(&record, "paragraph");
    for s in &sentences {
        let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        let t = s["text"].as_str().unwrap();
        assert_eq!(t.trim(), t, "sentence with surrounding whitespace: {s}");
        assert!(
            paragraphs.iter().any(|p| p["start"].as_u64().unwrap() <= a && b <= p["end"].as_u64().unwrap()),
            "sentence crosses a paragraph: {s}"
        );
    }

    let quotes = layer(&record, "quote");
    for q in &quotes {
        assert_speaker_offsets(q, &chars);
    }
    let by = |name: &str| quotes.iter().filter(|q| q["label"] == name && q["attrs"]["kind"] == "direct").count();
    assert!(by("Pashinyan") >= 1, "no direct quote attributed to Pashinyan: {quotes:#?}");
    assert!(by("Fyodorov") >= 1, "no direct quote attributed to Fyodorov: {quotes:#?}");
    assert!(quotes.iter().any(|q| q["attrs"]["kind"] == "phrase"), "the scare-quoted phrases are phrases");

    let boilerplate = layer(&record, "boilerplate");
    let kind_of = |t: &str| boilerplate.iter().find(|b| b["text"] == t).map(|b| b["label"].as_str().unwrap());
    assert_eq!(kind_of("Share."), Some("share"));
    assert_eq!(kind_of("Comments are closed."), Some("comments"));
    let bio = boilerplate.iter().find(|b| b["label"] == "author_bio").expect("the author bio is boilerplate");
    assert!(bio["text"].as_str().unwrap().starts_with("Nikola Mikovic is"), "{bio}");
    assert_eq!(record["summary"]["document"]["byline"], "Nikola Mikovic");
    let body_chars = record["summary"]["document"]["body_chars"].as_u64().unwrap() as usize;
    assert!(body_chars > 0 && body_chars < chars.len(), "body_chars {body_chars} of {}", chars.len());
}

#[test]
fn jsonl_text_field_and_multibyte_speaker_offsets() {
    let body = "Żaneta Wiśniewska\\n\\n“Ceny wzrosną — we will see,” said Żaneta Wiśniewska.\\n\\nShare this\\n\\nŻaneta Wiśniewska is a freelance journalist based in Kraków.";
    let line = format!("{{\"ID\":\"pl-1\",\"content_original\":\"{body}\",\"source\":\"Example\"}}\n");
    let run = slant(&["analyze", "--analyzers", "structure", "--text-field", "content_original", "-"], line.as_bytes());
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let records = run.records();
    assert_eq!(records.len(), 1);
    let text: String = serde_json::from_str(&format!("\"{body}\"")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_record_shape(&records[0], &text);
    let quotes = layer(&records[0], "quote");
    assert_eq!(quotes.len(), 1, "{quotes:#?}");
    assert_eq!(quotes[0]["label"], "Żaneta Wiśniewska");
    assert_speaker_offsets(quotes[0], &chars);
    let kinds: Vec<&str> = layer(&records[0], "boilerplate").iter().map(|b| b["label"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["byline", "share", "author_bio"]);
    assert_eq!(records[0]["summary"]["document"]["byline"], "Żaneta Wiśniewska");
}
