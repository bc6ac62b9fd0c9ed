//! Fixture tests (issue 6): sentences we wrote, one per technique or device, each with the
//! span the analyzer must report (`tests/fixtures/rhetoric/techniques.tsv`).

use slant_core::{layers, Analyzer, Annotation, Document, Settings};
use slant_rhetoric::{embedded_model, Rhetoric, Technique};

const FIXTURES: &str = include_str!("../../../tests/fixtures/rhetoric/techniques.tsv");

fn analyzer() -> Rhetoric {
    Rhetoric::from_settings(&Settings::default()).expect("the rhetoric analyzer builds")
}

fn rhetoric_spans(doc: &Document, a: &Rhetoric) -> Vec<(String, String, f64, String)> {
    a.analyze(doc)
        .annotations
        .iter()
        .map(|x| {
            (
                x.label.as_deref().unwrap_or_default().to_string(),
                x.text(doc.text()).to_string(),
                x.score.unwrap_or(-1.0),
                x.attr_str("explanation").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_fixture_sentence_yields_its_technique_on_the_expected_span() {
    let a = analyzer();
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for line in FIXTURES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "bad fixture line: {line}");
        let (technique, span, text) = (f[0], f[1], f[2]);
        assert!(Technique::from_id(technique).is_some(), "unknown technique {technique}");
        let doc = Document::new("fixture", text);
        let found = rhetoric_spans(&doc, &a);
        let ok = found.iter().any(|(label, t, score, why)| {
            label == technique && t == span && (0.0..=1.0).contains(score) && !why.is_empty()
        });
        if ok {
            seen.insert(technique);
        } else {
            failures.push(format!("{technique}: expected {span:?} in {text:?}, got {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
    // Every id except the two PTC leaves nothing marks reliably has a fixture.
    for t in Technique::ALL {
        if !matches!(t, Technique::RedHerring | Technique::Obfuscation) {
            assert!(seen.contains(t.id()), "no fixture covers {}", t.id());
        }
    }
}

#[test]
fn plain_reporting_yields_no_technique() {
    let a = analyzer();
    let doc = Document::new(
        "plain",
        "The council met on Tuesday. It approved the budget by seven votes to two. The new rates take effect in May.",
    );
    let found = rhetoric_spans(&doc, &a);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn nothing_is_reported_inside_boilerplate_and_counts_match() {
    let a = analyzer();
    let text = "Everyone knows the tax will rise.\n\nShare this: everyone knows our so-called experts!";
    let mut doc = Document::new("bp", text);
    let bp_start = text.find("Share").unwrap();
    doc.add_annotations(vec![Annotation::new(layers::BOILERPLATE, bp_start, text.len()).with_label("share")]);
    let out = a.analyze(&doc);
    assert!(!out.annotations.is_empty());
    assert!(out.annotations.iter().all(|x| x.end <= bp_start), "{:?}", out.annotations);
    let (key, summary) = &out.summary[0];
    assert_eq!(key, "rhetoric");
    let total: u64 = summary["counts"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total as usize, out.annotations.len());
    assert!(out.annotations.iter().all(|x| x.attr_str("cue").is_some()));
}

#[test]
fn uses_the_sentence_layer_when_present_and_splits_itself_when_not() {
    let a = analyzer();
    let text = "Was the tender fair? Of course not. The firm won anyway.";
    let bare = Document::new("bare", text);
    let mut layered = Document::new("layered", text);
    let q_end = text.find("not.").unwrap() + 4;
    layered.add_annotations(vec![
        Annotation::new(layers::SENTENCE, 0, 20),
        Annotation::new(layers::SENTENCE, 21, q_end),
        Annotation::new(layers::SENTENCE, q_end + 1, text.len()),
    ]);
    for doc in [&bare, &layered] {
        let found = rhetoric_spans(doc, &a);
        assert!(
            found.iter().any(|(l, t, _, _)| l == "rhetorical_question" && t == "Was the tender fair? Of course not."),
            "{found:?}"
        );
    }
}

#[test]
fn committed_weights_load_and_score_loaded_words_above_neutral_ones() {
    let model = embedded_model().expect("committed weights parse");
    assert!(model.threshold > 0.0 && model.threshold < 1.0);
    assert!(model.tagger.iter().filter(|w| **w != 0.0).count() > 10_000, "weights are not empty");
    let lex = slant_rhetoric::lexicon::Lexicon::new().unwrap();
    let prob_of = |text: &str, word: &str| {
        let sentences = slant_rhetoric::text::split_sentences(text);
        let p = slant_rhetoric::features::Prepared::new(text, &sentences, lex.find(text));
        let probs = model.tag(&p);
        let i = p.tokens.iter().position(|t| &text[t.start..t.end] == word).unwrap();
        probs[i]
    };
    let loaded = prob_of("The regime unleashed a brutal, barbaric campaign of terror.", "barbaric");
    let neutral = prob_of("The committee published its annual report on Monday.", "annual");
    assert!(loaded > model.threshold, "loaded word scored {loaded}");
    assert!(neutral < model.threshold, "neutral word scored {neutral}");
}

#[test]
fn never_panics_on_odd_text() {
    let a = analyzer();
    for text in [
        "",
        "?",
        "“",
        "”",
        "(",
        "((x) y",
        "\"\"\"",
        "#",
        "A? B? C?",
        "Ереван — “столица”? Нет. 😀 (пустые) угрозы!",
        "IT IS WHAT IT IS!!! NO NO NO",
        "so-called\n\n\nso-called “a” “b” (c) d",
        "either or either or",
    ] {
        let doc = Document::new("odd", text);
        let out = a.analyze(&doc);
        for x in &out.annotations {
            assert!(x.start < x.end && text.is_char_boundary(x.start) && text.is_char_boundary(x.end), "{text:?}");
        }
    }
}
