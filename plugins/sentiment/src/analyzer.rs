//! The `sentiment` analyzer: one `sentiment` annotation per body sentence and
//! `summary.sentiment` for the article body.
//!
//! Each annotation carries VADER's exact scores (`compound`, `pos`, `neu`, `neg`, as `slant
//! vader` prints them for the sentence), the news tone (`tone`: the learned tone of
//! [`crate::learned`], `tanh` of a linear model that starts from the news rules), the rules'
//! own tone (`rule_tone`), and `evidence`: the words that moved the tone, each with its
//! learned contribution (`learned`; all entries' add up to the model's sum, whose `tanh` is
//! the tone), its rule valence and rules, plus the groups of sentence features. The **label
//! comes from the news tone**: `positive` at or above [`NEUTRAL_BAND`], `negative` at or below
//! its negative, else `neutral`. Sentences inside boilerplate are not scored.
//!
//! `summary.sentiment`: `compound` is the mean news tone of the body sentences (the document
//! tone), `pos`/`neu`/`neg` the mean shares of the rules' tone, `label` from `compound` with
//! the band ±[`DOCUMENT_BAND`]; `vader_compound` and `rule_compound` are the mean VADER
//! compound and rule tone, for comparison; `sentences`, `positive`, `neutral`, `negative` count
//! sentences by label; `most_negative` and `most_positive` list the three sentences that weigh
//! most each way, with their evidence words.

use std::cmp::Ordering;

use slant_core::{attrs, layers, Analyzer, Annotation, AttrValue, Document, Output, Settings};

use crate::news::with_news_tone;

/// A sentence is `positive` when its news tone is at least this, `negative` when at most its
/// negative. Chosen by `cargo xtask train sentiment` on its held-out part of NewsMTSC train
/// (the `band:` line of the weight file, which a test keeps equal to this).
pub const NEUTRAL_BAND: f64 = 0.32;

/// The document label's band around zero for the mean tone. (No data we have labels whole
/// documents, so it was not re-chosen for the learned tone.)
pub const DOCUMENT_BAND: f64 = 0.05;

/// VADER-exact sentence sentiment and a news tone for the article body.
#[derive(Debug, Default)]
pub struct Sentiment;

impl Sentiment {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Sentiment)
    }
}

/// The label of a tone with a neutral band.
pub fn label(tone: f64, band: f64) -> &'static str {
    if tone >= band {
        "positive"
    } else if tone <= -band {
        "negative"
    } else {
        "neutral"
    }
}

struct Scored {
    start: usize,
    end: usize,
    tone: f64,
    /// How many entries of its evidence are words (they come first; the groups follow).
    words: usize,
}

impl Analyzer for Sentiment {
    fn name(&self) -> &str {
        "sentiment"
    }

    fn version(&self) -> &str {
        "0.3.0"
    }

    fn description(&self) -> &str {
        "VADER-exact sentence sentiment, explained, and a news tone for the article body"
    }

    fn requires(&self) -> Vec<&str> {
        vec![layers::SENTENCE, layers::BOILERPLATE]
    }

    fn provides(&self) -> Vec<&str> {
        vec![layers::SENTIMENT]
    }

    fn analyze(&self, doc: &Document) -> Output {
        let mut out = Output::new();
        let text = doc.text();
        let boiler = doc.layer(layers::BOILERPLATE);
        let sentences = doc.layer(layers::SENTENCE);
        // One annotation and one `Scored` per body sentence, in the same order: the summary
        // reads the evidence words of its top sentences back from their annotations.
        out.annotations.reserve(sentences.len());
        let mut scored: Vec<Scored> = Vec::with_capacity(sentences.len());
        // The boilerplate before `first_boiler` ends before the current sentence starts
        // (sentences come sorted by start, so it ends before every later one too).
        let mut first_boiler = 0;
        let (mut sum_tone, mut sum_vader, mut sum_pos, mut sum_neu, mut sum_neg) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let mut sum_rule = 0.0;
        let mut counts = [0usize; 3];
        // The thread's news-tone scorer keeps its buffers from one document to the next.
        with_news_tone(|news| {
            for s in sentences {
                // A sentence counts as boilerplate when boilerplate covers half of it or more.
                while boiler.get(first_boiler).is_some_and(|b| b.end <= s.start) {
                    first_boiler += 1;
                }
                let covered: usize = boiler[first_boiler..]
                    .iter()
                    .take_while(|b| b.start < s.end)
                    .filter(|b| b.overlaps(s.start, s.end))
                    .map(|b| b.end.min(s.end) - b.start.max(s.start))
                    .sum();
                if covered * 2 >= s.len().max(1) {
                    continue;
                }
                let sentence = s.text(text);
                // VADER's scores and the news tone from one tokenization.
                let (v, t) = news.score_with_vader(sentence);
                let mut words = 0;
                let evidence = news.evidence_json(sentence, |_| words += 1);
                let lab = label(t.tone, NEUTRAL_BAND);
                counts[match lab {
                    "negative" => 0,
                    "neutral" => 1,
                    _ => 2,
                }] += 1;
                sum_tone += t.tone;
                sum_vader += v.compound;
                sum_rule += t.rule_tone;
                sum_pos += t.pos;
                sum_neu += t.neu;
                sum_neg += t.neg;
                scored.push(Scored { start: s.start, end: s.end, tone: t.tone, words });
                let mut a = Annotation::new(layers::SENTIMENT, s.start, s.end).with_label(lab).with_score(t.tone);
                a.attrs = attrs! {
                    "compound": v.compound,
                    "evidence": evidence,
                    "neg": v.neg,
                    "neu": v.neu,
                    "pos": v.pos,
                    "rule_tone": t.rule_tone,
                    "tone": t.tone,
                };
                out.push(a);
            }
        });
        let n = scored.len();
        let mean = |x: f64| if n == 0 { 0.0 } else { round4(x / n as f64) };
        let compound = mean(sum_tone);
        let offsets = doc.offsets();
        let pick = |neg: bool| -> AttrValue {
            let idx = (0..n).filter(|&i| if neg { scored[i].tone < 0.0 } else { scored[i].tone > 0.0 });
            let top = first_three(idx, |a, b| {
                let (x, y) = (scored[a].tone, scored[b].tone);
                if neg {
                    x.total_cmp(&y)
                } else {
                    y.total_cmp(&x)
                }
            });
            AttrValue::List(
                top.into_iter()
                    .map(|i| {
                        let s = &scored[i];
                        let entries = out.annotations[i].attrs.get("evidence").and_then(AttrValue::as_array);
                        let words: Vec<AttrValue> = entries
                            .map_or(&[][..], |e| &e[..s.words.min(e.len())])
                            .iter()
                            .filter_map(|e| Some(AttrValue::text(e.get("word")?.as_str()?)))
                            .collect();
                        AttrValue::Map(attrs! {
                            "end": offsets.to_char(text, s.end),
                            "start": offsets.to_char(text, s.start),
                            "tone": s.tone,
                            "words": words,
                        })
                    })
                    .collect(),
            )
        };
        let summary = attrs! {
            "compound": compound,
            "label": label(compound, DOCUMENT_BAND),
            "method": "compound: mean news tone (learned on news, starting from the news rules) of the body sentences (boilerplate excluded); label: compound beyond ±0.05",
            "most_negative": pick(true),
            "most_positive": pick(false),
            "neg": mean(sum_neg),
            "negative": counts[0],
            "neu": mean(sum_neu),
            "neutral": counts[1],
            "pos": mean(sum_pos),
            "positive": counts[2],
            "rule_compound": mean(sum_rule),
            "sentences": n,
            "vader_compound": mean(sum_vader),
        };
        out.summary("sentiment", summary);
        out
    }
}

/// The first three of `items` after a stable sort by `cmp` (what sorting them all and taking
/// three gives), kept in one pass: an item goes before the first kept one it sorts strictly
/// before, so of equal items the earlier stays first.
fn first_three(items: impl Iterator<Item = usize>, mut cmp: impl FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut top: Vec<usize> = Vec::with_capacity(4);
    for i in items {
        let at = top.iter().position(|&j| cmp(i, j) == Ordering::Less).unwrap_or(top.len());
        if at < 3 {
            top.insert(at, i);
            top.truncate(3);
        }
    }
    top
}

fn round4(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with one sentence annotation per `|`-separated piece; pieces starting with
    /// `#` are marked as boilerplate.
    fn doc(pieces: &[&str]) -> Document {
        let mut text = String::new();
        let mut anns = Vec::new();
        for p in pieces {
            if !text.is_empty() {
                text.push(' ');
            }
            let (boiler, p) = match p.strip_prefix('#') {
                Some(rest) => (true, rest),
                None => (false, *p),
            };
            let start = text.len();
            text.push_str(p);
            anns.push(Annotation::new(layers::SENTENCE, start, text.len()));
            if boiler {
                anns.push(Annotation::new(layers::BOILERPLATE, start, text.len()).with_label("share"));
            }
        }
        let mut d = Document::new("t", text);
        assert!(d.add_annotations(anns).is_empty());
        d
    }

    #[test]
    fn one_annotation_per_body_sentence_with_vader_scores_tone_and_evidence() {
        let d = doc(&[
            "The rescue was a wonderful success.",
            "Troops began the invasion at dawn.",
            "#Share this great article on Facebook!",
            "The committee met on Tuesday.",
        ]);
        let out = Sentiment.analyze(&d);
        assert_eq!(out.annotations.len(), 3, "the boilerplate sentence is skipped");
        let labels: Vec<&str> = out.annotations.iter().map(|a| a.label.as_deref().unwrap_or("")).collect();
        assert_eq!(labels, ["positive", "negative", "neutral"]);
        let first = &out.annotations[0];
        let vader = crate::polarity_scores(first.text(d.text()));
        assert_eq!(first.attr_f64("compound"), Some(vader.compound));
        assert_eq!(first.attr_f64("pos"), Some(vader.pos));
        assert!(first.attr_f64("tone").is_some_and(|t| t > NEUTRAL_BAND));
        let ev = first.attrs["evidence"].as_array().expect("evidence list");
        let ruled: Vec<&str> =
            ev.iter().filter(|e| e["rule"] != "learned").filter_map(|e| e["word"].as_str()).collect();
        assert_eq!(ruled, ["rescue", "wonderful", "success"]);
        assert!(ev.iter().all(|e| e["rule"].is_string() && e["valence"].is_number() && e["learned"].is_number()));
        // The learned contributions (rounded to thousandths) add up to the sum whose tanh is
        // the tone.
        let z: f64 = ev.iter().filter_map(|e| e["learned"].as_f64()).sum();
        let tone = first.attr_f64("tone").unwrap_or(f64::NAN);
        assert!((z.tanh() - tone).abs() < 0.01 * ev.len() as f64, "{z} {tone}");
        let second = &out.annotations[1];
        assert_eq!(second.attr_f64("compound"), Some(0.0), "VADER does not know \"invasion\"");

        let (key, summary) = &out.summary[0];
        assert_eq!(key, "sentiment");
        assert_eq!(summary["sentences"], 3);
        assert_eq!((summary["positive"].as_u64(), summary["negative"].as_u64()), (Some(1), Some(1)));
        for k in ["compound", "pos", "neu", "neg", "vader_compound"] {
            assert!(summary[k].is_number(), "{k}");
        }
        let c = summary["compound"].as_f64().unwrap_or(f64::NAN);
        assert_eq!(summary["label"], label(c, DOCUMENT_BAND));
        assert_eq!(summary["most_negative"][0]["words"][0], "invasion");
    }

    #[test]
    fn first_three_equals_a_stable_sort_then_three() {
        // Tones with ties, signed zeros and runs, in several lengths and orders.
        let tones = [0.5, -0.2, 0.5, 0.9, -0.0, 0.0, 0.9, 0.1, 0.5, -0.7, 0.9, 0.3, -0.2, 0.5];
        for len in 0..=tones.len() {
            for rot in 0..tones.len() {
                let t: Vec<f64> = (0..len).map(|k| tones[(k + rot) % tones.len()]).collect();
                for desc in [false, true] {
                    let cmp = |a: usize, b: usize| if desc { t[b].total_cmp(&t[a]) } else { t[a].total_cmp(&t[b]) };
                    let mut all: Vec<usize> = (0..len).collect();
                    all.sort_by(|&a, &b| cmp(a, b));
                    all.truncate(3);
                    assert_eq!(first_three(0..len, cmp), all, "{t:?} {desc}");
                }
            }
        }
    }

    #[test]
    fn an_empty_document_has_a_neutral_summary() {
        let out = Sentiment.analyze(&Document::new("e", ""));
        assert!(out.annotations.is_empty());
        assert_eq!(out.summary[0].1["label"], "neutral");
        assert_eq!(out.summary[0].1["sentences"], 0);
    }
}
