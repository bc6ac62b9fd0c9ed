//! News-tone fixtures (sentences written for these tests, with the label the news tone must
//! give) and explanation tests: the evidence names the words and the rules that moved a score.

use slant_sentiment::analyzer::{label, NEUTRAL_BAND};
use slant_sentiment::news::news_tone_explained;
use slant_sentiment::polarity_scores;

const FIXTURES: &str = include_str!("../../../tests/fixtures/sentiment/news-tone.tsv");

#[test]
fn news_tone_fixtures_get_their_labels() {
    let mut failures = Vec::new();
    let mut n = 0;
    for line in FIXTURES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let [want, vader_sign, text] = cols[..] else { panic!("bad fixture line {line:?}") };
        let (s, ev) = news_tone_explained(text);
        let got = label(s.tone, NEUTRAL_BAND);
        if got != want {
            failures.push(format!("{text:?}: want {want}, got {got} (tone {}, evidence {ev:?})", s.tone));
        }
        if vader_sign != "-" {
            let c = polarity_scores(text).compound;
            let sign = if c >= 0.05 {
                "positive"
            } else if c <= -0.05 {
                "negative"
            } else {
                "neutral"
            };
            assert_eq!(sign, vader_sign, "VADER's reading of {text:?} changed (compound {c})");
        }
        n += 1;
    }
    assert!(n >= 15);
    assert!(failures.is_empty(), "{} of {n}:\n{}", failures.len(), failures.join("\n"));
}

/// Finds the evidence entry for `word` and returns its rule.
fn rule_of(text: &str, word: &str) -> (String, f64) {
    let (_, ev) = news_tone_explained(text);
    let e = ev.iter().find(|e| e.word == word).unwrap_or_else(|| panic!("no evidence for {word:?} in {ev:?}"));
    (e.rule.clone(), e.valence)
}

#[test]
fn evidence_names_words_and_rules() {
    let (r, v) = rule_of("The soup was not good.", "good");
    assert!(r.contains("negated") && v < 0.0, "{r} {v}");
    let (r, v) = rule_of("The soup was very good.", "good");
    assert!(r.contains("boosted") && v > 1.9, "{r} {v}");
    let (r, _) = rule_of("The soup was slightly good.", "good");
    assert!(r.contains("dampened"), "{r}");
    let (r, v) = rule_of("The soup was good, but the bread was awful.", "awful");
    assert!(r.contains("after \"but\"") && v < -2.0, "{r} {v}");
    let (r, _) = rule_of("The soup was good, but the bread was awful.", "good");
    assert!(r.contains("before \"but\""), "{r}");
    let (r, _) = rule_of("The soup was GOOD and the bread was fine.", "GOOD");
    assert!(r.contains("caps"), "{r}");
    let (r, v) = rule_of("It was a slap in the face for the mayor.", "slap in the face");
    assert!(r.contains("idiom") && v < 0.0, "{r} {v}");
    let (r, v) = rule_of("Leaders of Great Future met today.", "Great");
    assert!(r.contains("proper name") && v == 0.0, "{r} {v}");
    let (r, _) = rule_of("The invasion was condemned.", "invasion");
    assert!(r.contains("news lexicon"), "{r}");
    let (r, _) = rule_of("The new plan reportedly failed.", "failed");
    assert!(r.contains("hedged"), "{r}");
    let (r, v) = rule_of("They could not say whether the new plan would help.", "help");
    assert!(r.contains("negated (clause)") && v < 0.0, "{r} {v}");
    // Words no rule scores are evidence only for the learned model, and a plain statement
    // stays neutral.
    let (s, ev) = news_tone_explained("The committee met on Tuesday.");
    assert!(ev.iter().all(|e| e.rule == "learned" && e.valence == 0.0), "{ev:?}");
    assert_eq!(label(s.tone, NEUTRAL_BAND), "neutral", "{s:?}");
}

#[test]
fn hostile_input_completes_with_sane_scores() {
    let bangs = "!".repeat(100_000);
    let s = polarity_scores(&format!("good{bangs}"));
    assert!(s.compound > 0.0 && s.compound <= 1.0);
    let emoticons = ":) :( ;) :D 😀 ".repeat(20_000);
    let s = polarity_scores(&emoticons);
    assert!((s.pos + s.neu + s.neg - 1.0).abs() < 0.01, "{s:?}");
    let nots = "not ".repeat(50_000) + "good";
    let s = polarity_scores(&nots);
    assert!(s.compound < 0.0 && s.compound >= -1.0, "{s:?}");
    let buts = "good but ".repeat(30_000) + "bad";
    let s = polarity_scores(&buts);
    assert!(s.compound.is_finite() && s.compound > 0.0, "{s:?}");
    let (t, _) = news_tone_explained(&("not ".repeat(20_000) + "good, but bad"));
    assert!(t.tone.is_finite());
    // The learned tone on hostile and empty input: finite, in [-1, 1], explained.
    let hostile = [
        String::new(),
        " ".into(),
        "!".repeat(100_000),
        ":) :( ;) :D 😀 ".repeat(2_000),
        "terrible ".repeat(20_000),
        "wonderful great excellent ".repeat(5_000),
        "\u{0}\u{feff}\u{202e}“”‘’—…".repeat(1_000),
        "a".repeat(200_000),
    ];
    for text in &hostile {
        let (s, ev) = news_tone_explained(text);
        assert!(s.tone.is_finite() && (-1.0..=1.0).contains(&s.tone), "{s:?}");
        let sum: f64 = ev.iter().map(|e| e.learned).sum();
        assert!((sum - s.z).abs() < 1e-3 * (1.0 + s.z.abs()), "evidence sums to {sum}, z {}", s.z);
    }
}

/// The learned tone stays in [-1, 1] and its evidence adds up to the model's sum `z`, whose
/// tanh is the tone, on every fixture sentence.
#[test]
fn learned_evidence_adds_up_to_the_tone() {
    for line in FIXTURES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let text = line.splitn(3, '\t').nth(2).unwrap_or("");
        let (s, ev) = news_tone_explained(text);
        assert!((-1.0..=1.0).contains(&s.tone), "{text}: {s:?}");
        assert!((s.z.tanh() - s.tone).abs() < 1e-12, "{text}");
        let sum: f64 = ev.iter().map(|e| e.learned).sum();
        assert!((sum - s.z).abs() < 1e-4, "{text}: evidence sums to {sum}, z is {}", s.z);
        // Every word the rules scored is listed with its rules, besides its learned share.
        assert!(ev.iter().filter(|e| e.valence != 0.0).all(|e| e.rule != "learned"), "{ev:?}");
    }
}

/// The sentence band is the one `cargo xtask train sentiment` chose and wrote into the weight
/// file.
#[test]
fn the_label_band_is_the_trained_one() {
    let model = slant_sentiment::learned::Model::get();
    assert_eq!(model.band, NEUTRAL_BAND);
    assert!(model.weight_count() > 1000, "the weight file has {} rows", model.weight_count());
}

/// Issue 3: the seed's sentences that VADER reads as positive (the slap in the face, the help
/// it cannot count on) read negative. They are found in the seed (never copied) by a few
/// words each.
#[test]
fn issue_3_seed_sentences_read_negative() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/seed/armenia-csto.txt");
    let seed = std::fs::read_to_string(path).expect("the seed article is in ../shared/data");
    let sentences: Vec<&str> = seed.split_inclusive(['.', '\n']).collect();
    for cue in [["slap", "face"], ["count on", "help"]] {
        let s = sentences
            .iter()
            .find(|s| cue.iter().all(|c| s.contains(c)))
            .unwrap_or_else(|| panic!("no seed sentence with {cue:?}"));
        assert!(polarity_scores(s).compound > 0.0, "VADER reads it as positive: {s}");
        let (t, ev) = news_tone_explained(s);
        assert_eq!(label(t.tone, NEUTRAL_BAND), "negative", "{s}: {t:?} {ev:?}");
    }
}
