//! A defensive reading of a record for display: every section may be missing, empty or shaped
//! a little differently than the built-ins write it, and unknown layers still show.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use slant_core::record::RecordAnnotation;
use slant_core::{AttrValue, Record};

/// The layers the report knows how to draw, in the order their toggles appear.
pub const KNOWN_LAYERS: &[&str] =
    &["rhetoric", "actor", "relation", "quote", "target_stance", "sentiment", "boilerplate", "sentence", "paragraph"];

/// The article's tone as the record states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tone {
    /// In [-1, 1].
    pub score: f64,
    pub label: Option<String>,
}

/// One row of the actors table.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRow {
    pub name: String,
    pub kind: Option<String>,
    pub affiliation: Option<String>,
    pub mentions: u64,
    /// How the article portrays the actor, in [-1, 1], when stance ran.
    pub portrayal: Option<f64>,
}

/// One directed relation between two actors.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationRow {
    pub source: String,
    pub target: String,
    /// In [-1, 1].
    pub polarity: f64,
    pub label: Option<String>,
    pub kind: Option<String>,
    pub count: u64,
}

impl RelationRow {
    /// How much a relation weighs in "strongest first": its instances times the strength of
    /// their sign, with a floor so that frequent neutral relations still rank.
    pub fn strength(&self) -> f64 {
        self.count as f64 * self.polarity.abs().max(0.05)
    }
}

/// A sentence with its tone, for the tone strip.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceTone {
    pub start: usize,
    pub end: usize,
    pub score: Option<f64>,
}

/// A read-only view of one record.
pub struct View<'r> {
    pub record: &'r Record,
}

/// A number from JSON that may be written as an integer, a float or a numeric string.
pub fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => s.trim().parse().ok().filter(|x: &f64| x.is_finite()),
        _ => None,
    }
}

/// [`num`] of an annotation's attribute.
pub fn attr_num(v: Option<&AttrValue>) -> Option<f64> {
    num(v.cloned().map(Value::from).as_ref())
}

/// [`text`] of an annotation's attribute.
pub fn attr_text(v: Option<&AttrValue>) -> Option<String> {
    text(v.cloned().map(Value::from).as_ref())
}

/// A non-empty string from JSON.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The sign label for a score in [-1, 1], with the usual ±0.05 neutral band.
pub fn sign_label(score: f64) -> &'static str {
    if score >= 0.05 {
        "positive"
    } else if score <= -0.05 {
        "negative"
    } else {
        "neutral"
    }
}

/// A target's stance score for drawing: its `score`, or, when a plugin gave only a label, a
/// half-strength stand-in of the label's sign.
pub fn target_score(a: &RecordAnnotation) -> f64 {
    a.score.unwrap_or(match a.label.as_deref() {
        Some("positive") => 0.5,
        Some("negative") => -0.5,
        _ => 0.0,
    })
}

impl<'r> View<'r> {
    pub fn new(record: &'r Record) -> Self {
        View { record }
    }

    fn section(&self, key: &str) -> Option<&'r Value> {
        self.record.summary.get(key)
    }

    fn document(&self) -> Option<&'r Map<String, Value>> {
        self.section("document").and_then(Value::as_object)
    }

    /// The title: the record's, the structure summary's, else the id.
    pub fn title(&self) -> String {
        self.record
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(|| text(self.document().and_then(|d| d.get("title"))))
            .unwrap_or_else(|| self.record.id.clone())
    }

    /// The author, from the summary or a `byline` boilerplate span.
    pub fn byline(&self) -> Option<String> {
        text(self.document().and_then(|d| d.get("byline"))).or_else(|| {
            self.layer("boilerplate")
                .find(|a| a.label.as_deref() == Some("byline"))
                .map(|a| a.text.trim().trim_start_matches("By ").trim_start_matches("by ").trim().to_string())
                .filter(|s| !s.is_empty())
        })
    }

    pub fn words(&self) -> Option<u64> {
        num(self.document().and_then(|d| d.get("words"))).map(|w| w.max(0.0) as u64)
    }

    /// The outlet: `meta.source` (corpus lines keep their columns there).
    pub fn outlet(&self) -> Option<String> {
        text(self.record.meta.get("source"))
    }

    /// The article tone: the summary's `tone` if the sentiment analyzer gives one, else its
    /// VADER `compound`; without a summary, the mean of the sentence scores.
    pub fn tone(&self) -> Option<Tone> {
        if let Some(s) = self.section("sentiment") {
            let score = num(s.get("tone")).or_else(|| num(s.get("compound"))).or_else(|| num(s.get("score")));
            if let Some(score) = score {
                let score = score.clamp(-1.0, 1.0);
                return Some(Tone { score, label: text(s.get("label")) });
            }
        }
        let scores: Vec<f64> = self.sentence_tones().into_iter().filter_map(|s| s.score).collect();
        if scores.is_empty() {
            return None;
        }
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        Some(Tone { score: mean, label: Some(sign_label(mean).to_string()) })
    }

    /// Sentence scores from the `sentiment` layer (its `tone`, else `compound`, else the label's
    /// sign), in text order.
    pub fn sentence_tones(&self) -> Vec<SentenceTone> {
        let mut out: Vec<SentenceTone> = self
            .layer("sentiment")
            .map(|a| {
                let score = attr_num(a.attrs.get("tone"))
                    .or_else(|| attr_num(a.attrs.get("compound")))
                    .or(a.score)
                    .or_else(|| match a.label.as_deref() {
                        Some("positive") => Some(0.5),
                        Some("negative") => Some(-0.5),
                        Some("neutral") => Some(0.0),
                        _ => None,
                    })
                    .map(|s| s.clamp(-1.0, 1.0));
                SentenceTone { start: a.start, end: a.end, score }
            })
            .collect();
        out.sort_by_key(|s| (s.start, s.end));
        out
    }

    /// Actors, most mentioned first: the summary's list, else counted from `actor` spans.
    pub fn actors(&self) -> Vec<ActorRow> {
        let mut rows: Vec<ActorRow> = match self.section("actors").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list.iter().filter_map(actor_row).collect(),
            _ => {
                let mut by_name: BTreeMap<String, ActorRow> = BTreeMap::new();
                for a in self.layer("actor") {
                    let name = a.label.clone().unwrap_or_else(|| a.text.clone());
                    let row = by_name.entry(name.clone()).or_insert_with(|| ActorRow {
                        name,
                        kind: attr_text(a.attrs.get("kind")),
                        affiliation: attr_text(a.attrs.get("affiliation")),
                        mentions: 0,
                        portrayal: None,
                    });
                    row.mentions += 1;
                }
                by_name.into_values().collect()
            }
        };
        rows.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
        rows
    }

    /// Relations, strongest first (count, then |polarity|): the summary's list, else
    /// aggregated from `relation` spans.
    pub fn relations(&self) -> Vec<RelationRow> {
        let mut rows: Vec<RelationRow> = match self.section("relations").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list.iter().filter_map(relation_row).collect(),
            _ => {
                let mut by_key: BTreeMap<(String, String, String), (f64, RelationRow)> = BTreeMap::new();
                for a in self.layer("relation") {
                    let (Some(source), Some(target)) =
                        (attr_text(a.attrs.get("source")), attr_text(a.attrs.get("target")))
                    else {
                        continue;
                    };
                    let kind = attr_text(a.attrs.get("kind"));
                    // The label carries the sign; a score, when present, its strength.
                    let sign = match a.label.as_deref() {
                        Some("positive") => 1.0,
                        Some("negative") => -1.0,
                        _ => 0.0,
                    };
                    let polarity = sign * a.score.map_or(1.0, f64::abs).min(1.0);
                    let key = (source.clone(), target.clone(), kind.clone().unwrap_or_default());
                    let entry = by_key.entry(key).or_insert_with(|| {
                        (0.0, RelationRow { source, target, polarity: 0.0, label: None, kind, count: 0 })
                    });
                    entry.0 += polarity;
                    entry.1.count += 1;
                }
                by_key
                    .into_values()
                    .map(|(sum, mut r)| {
                        r.polarity = (sum / r.count.max(1) as f64).clamp(-1.0, 1.0);
                        r.label = Some(sign_label(r.polarity).to_string());
                        r
                    })
                    .collect()
            }
        };
        rows.sort_by(|a, b| {
            b.strength()
                .total_cmp(&a.strength())
                .then(b.count.cmp(&a.count))
                .then_with(|| (a.source.as_str(), a.target.as_str()).cmp(&(b.source.as_str(), b.target.as_str())))
        });
        rows
    }

    /// Relations merged per ordered pair of actors (all kinds together): the count is the sum,
    /// the polarity the count-weighted mean, the kind the most frequent one. For the network.
    pub fn relation_pairs(&self) -> Vec<RelationRow> {
        let mut pairs: Vec<(RelationRow, f64, BTreeMap<String, u64>)> = Vec::new();
        for r in self.relations() {
            let weight = r.count.max(1) as f64;
            let i = match pairs.iter().position(|(p, _, _)| p.source == r.source && p.target == r.target) {
                Some(i) => i,
                None => {
                    let row = RelationRow { count: 0, polarity: 0.0, label: None, kind: None, ..r.clone() };
                    pairs.push((row, 0.0, BTreeMap::new()));
                    pairs.len() - 1
                }
            };
            let (row, sum, kinds) = &mut pairs[i];
            row.count += r.count.max(1);
            *sum += r.polarity * weight;
            if let Some(k) = &r.kind {
                *kinds.entry(k.clone()).or_default() += r.count.max(1);
            }
        }
        let mut out: Vec<RelationRow> = pairs
            .into_iter()
            .map(|(mut row, sum, kinds)| {
                row.polarity = (sum / row.count.max(1) as f64).clamp(-1.0, 1.0);
                row.label = Some(sign_label(row.polarity).to_string());
                row.kind = kinds.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(k, _)| k);
                row
            })
            .collect();
        out.sort_by(|a, b| b.strength().total_cmp(&a.strength()).then(b.count.cmp(&a.count)));
        out
    }

    /// Technique counts, most frequent first: the summary's, else counted from spans.
    pub fn technique_counts(&self) -> Vec<(String, u64)> {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let from_summary =
            self.section("rhetoric").and_then(|r| r.get("counts")).and_then(Value::as_object).filter(|m| !m.is_empty());
        match from_summary {
            Some(m) => {
                for (k, v) in m {
                    if let Some(n) = num(Some(v)) {
                        if n > 0.0 {
                            counts.insert(k.clone(), n as u64);
                        }
                    }
                }
            }
            None => {
                for a in self.layer("rhetoric") {
                    *counts.entry(a.label.clone().unwrap_or_else(|| "unlabelled".into())).or_default() += 1;
                }
            }
        }
        let mut out: Vec<(String, u64)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Rhetoric spans in text order.
    pub fn rhetoric(&self) -> Vec<&'r RecordAnnotation> {
        let mut v: Vec<&RecordAnnotation> = self.layer("rhetoric").collect();
        v.sort_by_key(|a| (a.start, a.end));
        v
    }

    /// The annotations of one layer.
    pub fn layer<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'r RecordAnnotation> + 's {
        self.record.annotations.iter().filter(move |a| a.layer == name)
    }

    /// Every layer present with its number of spans, known layers first in a fixed order,
    /// then unknown ones alphabetically.
    pub fn layer_counts(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &self.record.annotations {
            *counts.entry(a.layer.as_str()).or_default() += 1;
        }
        let mut out: Vec<(String, usize)> =
            KNOWN_LAYERS.iter().filter_map(|l| counts.get(l).map(|n| (l.to_string(), *n))).collect();
        out.extend(counts.iter().filter(|(l, _)| !KNOWN_LAYERS.contains(l)).map(|(l, n)| (l.to_string(), *n)));
        out
    }

    /// The sentence that holds `start..end`, if the structure layer gives one.
    pub fn sentence_around(&self, start: usize, end: usize) -> Option<&'r RecordAnnotation> {
        self.layer("sentence").filter(|s| s.start <= start && end <= s.end).min_by_key(|s| s.end - s.start)
    }

    /// A few plain sentences that say what the record found, for readers who look for a
    /// minute: tone, main actors, the strongest relation, rhetoric, boilerplate.
    pub fn gist(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = self.tone() {
            let label = t.label.clone().unwrap_or_else(|| sign_label(t.score).to_string());
            let scored: Vec<f64> = self.sentence_tones().into_iter().filter_map(|s| s.score).collect();
            let lean = match sign_label(t.score) {
                "negative" => Some((scored.iter().filter(|s| **s <= -0.05).count(), "negative")),
                "positive" => Some((scored.iter().filter(|s| **s >= 0.05).count(), "positive")),
                _ => None,
            };
            let mut line = format!("Overall tone: {label} ({})", crate::term::signed(t.score).trim());
            if let (Some((n, dir)), false) = (lean, scored.is_empty()) {
                let verb = if n == 1 { "leans" } else { "lean" };
                line.push_str(&format!("; {n} of {} sentence{} {verb} {dir}", scored.len(), plural(scored.len())));
            }
            line.push('.');
            out.push(line);
        }
        let actors = self.actors();
        if !actors.is_empty() {
            let named: Vec<String> = actors
                .iter()
                .take(3)
                .map(|a| {
                    let how = match a.portrayal.map(sign_label) {
                        Some("positive") => ", portrayed positively",
                        Some("negative") => ", portrayed negatively",
                        Some(_) => ", portrayed neutrally",
                        None => "",
                    };
                    format!("{} ({} mention{}{how})", a.name, a.mentions, if a.mentions == 1 { "" } else { "s" })
                })
                .collect();
            out.push(format!("Mostly about {}.", join_and(&named)));
        }
        // Who the article is hard or soft on: the extremes of portrayal among actors it
        // mentions more than once (or all, when none is).
        let mut portrayed: Vec<&ActorRow> =
            actors.iter().filter(|a| a.portrayal.is_some() && a.mentions >= 2).collect();
        if portrayed.is_empty() {
            portrayed = actors.iter().filter(|a| a.portrayal.is_some()).collect();
        }
        portrayed.sort_by(|a, b| a.portrayal.unwrap_or(0.0).total_cmp(&b.portrayal.unwrap_or(0.0)));
        let show = |a: &&ActorRow| format!("{} ({})", a.name, crate::term::signed(a.portrayal.unwrap_or(0.0)).trim());
        let worst: Vec<String> =
            portrayed.iter().take(2).filter(|a| a.portrayal.unwrap_or(0.0) <= -0.05).map(show).collect();
        let best: Vec<String> =
            portrayed.iter().rev().take(2).filter(|a| a.portrayal.unwrap_or(0.0) >= 0.05).map(show).collect();
        match (worst.is_empty(), best.is_empty()) {
            (false, false) => out.push(format!(
                "Portrayed most negatively: {}; most positively: {}.",
                join_and(&worst),
                join_and(&best)
            )),
            (false, true) => out.push(format!("Portrayed most negatively: {}.", join_and(&worst))),
            (true, false) => out.push(format!("Portrayed most positively: {}.", join_and(&best))),
            (true, true) => {}
        }
        let mut speakers: BTreeMap<String, usize> = BTreeMap::new();
        let mut quotes = 0;
        for q in self.layer("quote") {
            quotes += 1;
            if let Some(who) = q.label.clone().or_else(|| attr_text(q.attrs.get("speaker"))) {
                *speakers.entry(who).or_default() += 1;
            }
        }
        if quotes > 0 {
            let mut by_count: Vec<(String, usize)> = speakers.into_iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let voices: Vec<String> = by_count.iter().take(4).map(|(w, n)| format!("{w} ({n})")).collect();
            let mut line = format!("{quotes} quoted passage{}", plural(quotes));
            if !voices.is_empty() {
                line.push_str(&format!("; voices: {}", voices.join(", ")));
            }
            line.push('.');
            out.push(line);
        }
        if let Some(r) = self.relations().first() {
            let kind = r.kind.as_deref().map(|k| format!(", {}", k.replace('_', " "))).unwrap_or_default();
            out.push(format!(
                "Strongest relation: {} → {}, {}{kind} (×{}).",
                r.source,
                r.target,
                sign_label(r.polarity),
                r.count
            ));
        }
        let techniques = self.technique_counts();
        if !techniques.is_empty() {
            let total: u64 = techniques.iter().map(|(_, n)| n).sum();
            let top: Vec<String> =
                techniques.iter().take(3).map(|(t, n)| format!("{} ({n})", t.replace('_', " "))).collect();
            out.push(format!(
                "{total} persuasion technique{} marked; most frequent: {}.",
                if total == 1 { "" } else { "s" },
                top.join(", ")
            ));
        }
        let mut kinds: Vec<String> = self.layer("boilerplate").filter_map(|a| a.label.clone()).collect();
        let n = self.layer("boilerplate").count();
        if n > 0 {
            kinds.sort();
            kinds.dedup();
            let kinds = kinds.iter().map(|k| k.replace('_', " ")).collect::<Vec<_>>();
            let what = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
            out.push(format!(
                "{n} passage{} of page furniture{what} set aside and not scored.",
                if n == 1 { "" } else { "s" }
            ));
        }
        out
    }

    /// Summary sections the report does not draw itself, to show them raw rather than drop them.
    pub fn other_summaries(&self) -> Vec<(&'r String, &'r Value)> {
        const DRAWN: &[&str] = &["document", "sentiment", "actors", "relations", "rhetoric"];
        self.record.summary.iter().filter(|(k, _)| !DRAWN.contains(&k.as_str())).collect()
    }
}

/// The plural ending for a count.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn actor_row(v: &Value) -> Option<ActorRow> {
    let name = text(v.get("name")).or_else(|| text(v.get("id")))?;
    let portrayal = match v.get("stance") {
        Some(Value::Object(s)) => num(s.get("score")),
        other => num(other),
    }
    .map(|s| s.clamp(-1.0, 1.0));
    Some(ActorRow {
        name,
        kind: text(v.get("kind")),
        affiliation: text(v.get("affiliation")),
        mentions: num(v.get("mentions")).unwrap_or(0.0).max(0.0) as u64,
        portrayal,
    })
}

fn relation_row(v: &Value) -> Option<RelationRow> {
    let polarity = num(v.get("polarity")).or_else(|| num(v.get("score"))).unwrap_or(0.0).clamp(-1.0, 1.0);
    Some(RelationRow {
        source: text(v.get("source"))?,
        target: text(v.get("target"))?,
        polarity,
        label: text(v.get("label")),
        kind: text(v.get("kind")),
        count: num(v.get("count")).unwrap_or(1.0).max(0.0) as u64,
    })
}

/// The document text: the one given, else rebuilt from the record's annotations (each carries
/// its covered text at code-point offsets). Gaps no annotation covers become spaces, or line
/// breaks between paragraphs, so offsets still line up.
pub fn document_text(record: &Record, given: Option<&str>) -> Vec<char> {
    if let Some(t) = given {
        return t.chars().collect();
    }
    let len = record.chars.max(record.annotations.iter().map(|a| a.end).max().unwrap_or(0));
    let mut chars = vec![' '; len];
    let mut covered = vec![false; len];
    for a in &record.annotations {
        for (i, c) in a.text.chars().enumerate() {
            let at = a.start + i;
            if at < a.end && at < len {
                chars[at] = c;
                covered[at] = true;
            }
        }
    }
    let mut paragraphs: Vec<(usize, usize)> =
        record.annotations.iter().filter(|a| a.layer == "paragraph").map(|a| (a.start, a.end)).collect();
    paragraphs.sort_unstable();
    for w in paragraphs.windows(2) {
        let (gap_start, gap_end) = (w[0].1, w[1].0);
        for i in gap_start..gap_end.min(len) {
            if !covered[i] {
                chars[i] = '\n';
            }
        }
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> Record {
        serde_json::from_str(json).expect("test record parses")
    }

    #[test]
    fn empty_record_has_no_sections_but_a_title() {
        let r = record(r#"{"id":"x","source":"s","chars":0}"#);
        let v = View::new(&r);
        assert_eq!(v.title(), "x");
        assert_eq!(v.tone(), None);
        assert!(v.actors().is_empty() && v.relations().is_empty() && v.technique_counts().is_empty());
    }

    #[test]
    fn actors_and_relations_fall_back_to_spans() {
        let r = record(
            r#"{"id":"x","source":"s","chars":20,"annotations":[
              {"layer":"actor","start":0,"end":2,"text":"A1","label":"Aland","attrs":{"kind":"country"}},
              {"layer":"actor","start":5,"end":7,"text":"A2","label":"Aland"},
              {"layer":"actor","start":9,"end":11,"text":"B1","label":"Bland"},
              {"layer":"relation","start":0,"end":11,"text":"A1 ... B1","label":"negative",
               "attrs":{"source":"Aland","target":"Bland","kind":"verbal_conflict"}}]}"#,
        );
        let v = View::new(&r);
        let actors = v.actors();
        assert_eq!((actors[0].name.as_str(), actors[0].mentions), ("Aland", 2));
        assert_eq!(actors[0].kind.as_deref(), Some("country"));
        let rel = &v.relations()[0];
        assert_eq!((rel.source.as_str(), rel.target.as_str(), rel.polarity), ("Aland", "Bland", -1.0));
    }

    #[test]
    fn text_is_rebuilt_from_spans_when_not_given() {
        let r = record(
            r#"{"id":"x","source":"s","chars":9,"annotations":[
              {"layer":"paragraph","start":0,"end":3,"text":"Héé"},
              {"layer":"paragraph","start":5,"end":9,"text":"abcd"}]}"#,
        );
        let t: String = document_text(&r, None).into_iter().collect();
        assert_eq!(t, "Héé\n\nabcd");
    }
}
