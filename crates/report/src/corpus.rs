//! `slant report`: a corpus view over saved records — the most mentioned actors with their
//! mean portrayal, the most frequent techniques, the tone distribution and a breakdown per
//! outlet (`meta.source`). Records are added one at a time; memory grows with the number of
//! distinct actors, techniques and outlets, never with the number of documents.

use std::collections::HashMap;
use std::fmt::Write;

use slant_core::Record;

use crate::html::{self, esc};
use crate::pretty::thousands;
use crate::term::{count_bar, pad, pad_left, paint, signed, signed_bar, truncate, width, Style};
use crate::view::View;

/// Tone bins: upper bounds (exclusive for the last negative ones) and names.
pub const TONE_BINS: [&str; 5] = ["very negative", "negative", "neutral", "positive", "very positive"];

fn tone_bin(score: f64) -> usize {
    if score <= -0.5 {
        0
    } else if score <= -0.05 {
        1
    } else if score < 0.05 {
        2
    } else if score < 0.5 {
        3
    } else {
        4
    }
}

#[derive(Debug, Clone, Default)]
struct ActorAgg {
    kind: Option<String>,
    affiliation: Option<String>,
    docs: u64,
    mentions: u64,
    portrayal_sum: f64,
    portrayal_docs: u64,
}

#[derive(Debug, Clone, Default)]
struct SourceAgg {
    docs: u64,
    failed: u64,
    tone_sum: f64,
    tone_docs: u64,
    negative_docs: u64,
    rhetoric: u64,
    actors: HashMap<String, u64>,
    techniques: HashMap<String, u64>,
}

/// Running totals over a corpus of records.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub documents: u64,
    pub failed: u64,
    pub with_diagnostics: u64,
    pub words: u64,
    tone_sum: f64,
    tone_docs: u64,
    tone_bins: [u64; 5],
    actors: HashMap<String, ActorAgg>,
    techniques: HashMap<String, (u64, u64)>,
    sources: HashMap<String, SourceAgg>,
    /// Documents that name an outlet in `meta.source`.
    sourced: u64,
}

/// A row of the actors table.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorLine {
    pub name: String,
    pub kind: Option<String>,
    pub affiliation: Option<String>,
    pub docs: u64,
    pub mentions: u64,
    /// Mean over the documents that give the actor a portrayal.
    pub mean_portrayal: Option<f64>,
}

/// A row of the techniques table.
#[derive(Debug, Clone, PartialEq)]
pub struct TechniqueLine {
    pub name: String,
    pub spans: u64,
    pub docs: u64,
}

/// A row of the per-outlet table.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLine {
    pub name: String,
    pub docs: u64,
    pub failed: u64,
    pub mean_tone: Option<f64>,
    pub negative_share: Option<f64>,
    pub rhetoric_per_doc: f64,
    pub top_actor: Option<String>,
    pub top_technique: Option<String>,
}

fn top_of(m: &HashMap<String, u64>) -> Option<String> {
    m.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(k, _)| k.clone())
}

impl Corpus {
    pub fn new() -> Self {
        Corpus::default()
    }

    /// Adds one record.
    pub fn add(&mut self, record: &Record) {
        let view = View::new(record);
        self.documents += 1;
        let failed = record.error.is_some();
        if failed {
            self.failed += 1;
        }
        if !record.diagnostics.is_empty() {
            self.with_diagnostics += 1;
        }
        self.words += view.words().unwrap_or(0);
        let outlet = view.outlet();
        let mut src = outlet.as_ref().map(|o| {
            self.sourced += 1;
            std::mem::take(self.sources.entry(o.clone()).or_default())
        });
        if let Some(s) = src.as_mut() {
            s.docs += 1;
            s.failed += u64::from(failed);
        }
        if let Some(t) = view.tone() {
            self.tone_sum += t.score;
            self.tone_docs += 1;
            self.tone_bins[tone_bin(t.score)] += 1;
            if let Some(s) = src.as_mut() {
                s.tone_sum += t.score;
                s.tone_docs += 1;
                s.negative_docs += u64::from(t.score <= -0.05);
            }
        }
        for a in view.actors() {
            let agg = self.actors.entry(a.name.clone()).or_default();
            agg.docs += 1;
            agg.mentions += a.mentions;
            if agg.kind.is_none() {
                agg.kind = a.kind.clone();
            }
            if agg.affiliation.is_none() {
                agg.affiliation = a.affiliation.clone();
            }
            if let Some(p) = a.portrayal {
                agg.portrayal_sum += p;
                agg.portrayal_docs += 1;
            }
            if let Some(s) = src.as_mut() {
                *s.actors.entry(a.name).or_default() += a.mentions.max(1);
            }
        }
        for (t, n) in view.technique_counts() {
            let e = self.techniques.entry(t.clone()).or_default();
            e.0 += n;
            e.1 += 1;
            if let Some(s) = src.as_mut() {
                s.rhetoric += n;
                *s.techniques.entry(t).or_default() += n;
            }
        }
        if let (Some(o), Some(s)) = (outlet, src) {
            self.sources.insert(o, s);
        }
    }

    pub fn mean_tone(&self) -> Option<f64> {
        (self.tone_docs > 0).then(|| self.tone_sum / self.tone_docs as f64)
    }

    /// Documents per tone bin (see [`TONE_BINS`]).
    pub fn tone_distribution(&self) -> [u64; 5] {
        self.tone_bins
    }

    /// Actors by mentions, then by documents, then by name.
    pub fn actors(&self) -> Vec<ActorLine> {
        let mut v: Vec<ActorLine> = self
            .actors
            .iter()
            .map(|(name, a)| ActorLine {
                name: name.clone(),
                kind: a.kind.clone(),
                affiliation: a.affiliation.clone(),
                docs: a.docs,
                mentions: a.mentions,
                mean_portrayal: (a.portrayal_docs > 0).then(|| a.portrayal_sum / a.portrayal_docs as f64),
            })
            .collect();
        v.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(b.docs.cmp(&a.docs)).then_with(|| a.name.cmp(&b.name)));
        v
    }

    pub fn techniques(&self) -> Vec<TechniqueLine> {
        let mut v: Vec<TechniqueLine> = self
            .techniques
            .iter()
            .map(|(name, (spans, docs))| TechniqueLine { name: name.clone(), spans: *spans, docs: *docs })
            .collect();
        v.sort_by(|a, b| b.spans.cmp(&a.spans).then(b.docs.cmp(&a.docs)).then_with(|| a.name.cmp(&b.name)));
        v
    }

    /// Outlets by number of documents; empty when no record names one.
    pub fn sources(&self) -> Vec<SourceLine> {
        let mut v: Vec<SourceLine> = self
            .sources
            .iter()
            .map(|(name, s)| SourceLine {
                name: name.clone(),
                docs: s.docs,
                failed: s.failed,
                mean_tone: (s.tone_docs > 0).then(|| s.tone_sum / s.tone_docs as f64),
                negative_share: (s.tone_docs > 0).then(|| s.negative_docs as f64 / s.tone_docs as f64),
                rhetoric_per_doc: s.rhetoric as f64 / s.docs.max(1) as f64,
                top_actor: top_of(&s.actors),
                top_technique: top_of(&s.techniques),
            })
            .collect();
        v.sort_by(|a, b| b.docs.cmp(&a.docs).then_with(|| a.name.cmp(&b.name)));
        v
    }

    fn overview(&self) -> String {
        let mut parts =
            vec![format!("{} document{}", thousands(self.documents), if self.documents == 1 { "" } else { "s" })];
        if self.failed > 0 {
            parts.push(format!("{} failed", thousands(self.failed)));
        }
        if self.with_diagnostics > 0 {
            parts.push(format!("{} with diagnostics", thousands(self.with_diagnostics)));
        }
        if self.words > 0 {
            parts.push(format!("{} words", thousands(self.words)));
        }
        if self.sourced > 0 {
            parts.push(format!("{} outlet{}", self.sources.len(), if self.sources.len() == 1 { "" } else { "s" }));
        }
        parts.join(" · ")
    }

    /// The terminal tables; `top` rows each.
    pub fn pretty(&self, top: usize, width_cols: usize, c: bool) -> String {
        let w = width_cols.clamp(40, 200);
        let mut out = String::new();
        let _ = writeln!(out, "{}", paint("Slant corpus report", Style::Bold, c));
        let _ = writeln!(out, "{}", paint(&self.overview(), Style::Dim, c));

        let _ = writeln!(out, "\n{}", paint("TONE", Style::Heading, c));
        match self.mean_tone() {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "  mean {}  {}  over {} documents",
                    paint(&signed(t), Style::for_score(t), c),
                    signed_bar(t, 10, c),
                    thousands(self.tone_docs)
                );
                let max = self.tone_bins.iter().copied().max().unwrap_or(0);
                for (i, name) in TONE_BINS.iter().enumerate() {
                    let n = self.tone_bins[i];
                    let st = match i {
                        0 | 1 => Style::Red,
                        3 | 4 => Style::Green,
                        _ => Style::Dim,
                    };
                    let _ = writeln!(
                        out,
                        "  {}  {}  {}",
                        pad(name, 13),
                        pad_left(&thousands(n), 7),
                        paint(&count_bar(n, max, 30.min(w.saturating_sub(28))), st, c)
                    );
                }
            }
            None => {
                let _ = writeln!(out, "  {}", paint("no tone in these records", Style::Dim, c));
            }
        }

        let actors = self.actors();
        if !actors.is_empty() {
            let _ = writeln!(out, "\n{}", paint("MOST MENTIONED ACTORS", Style::Heading, c));
            let shown: Vec<&ActorLine> = actors.iter().take(top).collect();
            let name_w = shown.iter().map(|a| width(&a.name)).max().unwrap_or(5).clamp(5, 28);
            let compact = w < 80;
            let kind_w =
                if compact { 0 } else { shown.iter().filter_map(|a| a.kind.as_deref()).map(width).max().unwrap_or(0) };
            let head = format!(
                "  {}  {}  {}  {}  mean portrayal",
                pad("actor", name_w),
                pad(if compact { "" } else { "kind" }, kind_w),
                pad_left("docs", 6),
                pad_left("mentions", 8)
            );
            let _ = writeln!(out, "{}", paint(&truncate(&head, w), Style::Dim, c));
            for a in shown {
                let portrayal = a
                    .mean_portrayal
                    .map(|p| format!("{} {}", paint(&signed(p), Style::for_score(p), c), signed_bar(p, 6, c)))
                    .unwrap_or_else(|| "  —".into());
                let _ = writeln!(
                    out,
                    "  {}  {}  {}  {}  {portrayal}",
                    paint(&pad(&truncate(&a.name, name_w), name_w), Style::Cyan, c),
                    pad(if compact { "" } else { a.kind.as_deref().unwrap_or("") }, kind_w),
                    pad_left(&thousands(a.docs), 6),
                    pad_left(&thousands(a.mentions), 8)
                );
            }
            if actors.len() > top {
                let _ = writeln!(out, "{}", paint(&format!("  … {} more actors", actors.len() - top), Style::Dim, c));
            }
        }

        let techniques = self.techniques();
        if !techniques.is_empty() {
            let _ = writeln!(out, "\n{}", paint("MOST FREQUENT TECHNIQUES", Style::Heading, c));
            let max = techniques[0].spans;
            let name_w = techniques.iter().take(top).map(|t| width(&t.name)).max().unwrap_or(9).clamp(9, 28);
            let _ = writeln!(
                out,
                "{}",
                paint(
                    &format!("  {}  {}  {}", pad("technique", name_w), pad_left("spans", 7), pad_left("docs", 6)),
                    Style::Dim,
                    c
                )
            );
            for t in techniques.iter().take(top) {
                let _ = writeln!(
                    out,
                    "  {}  {}  {}  {}",
                    pad(&truncate(&t.name, name_w), name_w),
                    pad_left(&thousands(t.spans), 7),
                    pad_left(&thousands(t.docs), 6),
                    paint(&count_bar(t.spans, max, 24.min(w.saturating_sub(name_w + 22)).max(1)), Style::Yellow, c)
                );
            }
            if techniques.len() > top {
                let more = format!("  … {} more techniques", techniques.len() - top);
                let _ = writeln!(out, "{}", paint(&more, Style::Dim, c));
            }
        }

        let sources = self.sources();
        if !sources.is_empty() {
            let _ = writeln!(out, "\n{}", paint("BY OUTLET (meta.source)", Style::Heading, c));
            let shown: Vec<&SourceLine> = sources.iter().take(top).collect();
            let name_w = shown.iter().map(|s| width(&s.name)).max().unwrap_or(6).clamp(6, 26);
            let head = format!(
                "  {}  {}  {}  {}  {}  top actor · top technique",
                pad("outlet", name_w),
                pad_left("docs", 6),
                pad_left("tone", 6),
                pad_left("neg%", 5),
                pad_left("rhet/doc", 8)
            );
            let _ = writeln!(out, "{}", paint(&truncate(&head, w), Style::Dim, c));
            for s in shown {
                let tone =
                    s.mean_tone.map(|t| paint(&signed(t), Style::for_score(t), c)).unwrap_or_else(|| "    —".into());
                let neg = s.negative_share.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "—".into());
                let tops = [s.top_actor.clone(), s.top_technique.clone()]
                    .into_iter()
                    .map(|x| x.unwrap_or_else(|| "—".into()))
                    .collect::<Vec<_>>()
                    .join(" · ");
                let line = format!(
                    "  {}  {}  {}  {}  {}  {}",
                    pad(&truncate(&s.name, name_w), name_w),
                    pad_left(&thousands(s.docs), 6),
                    pad_left(&tone, 6),
                    pad_left(&neg, 5),
                    pad_left(&format!("{:.1}", s.rhetoric_per_doc), 8),
                    tops
                );
                let _ = writeln!(out, "{}", if c { line } else { truncate(&line, w) });
            }
            if sources.len() > top {
                let _ = writeln!(out, "{}", paint(&format!("  … {} more outlets", sources.len() - top), Style::Dim, c));
            }
        }
        out
    }

    /// One CSV table, every row: `section,name,documents,count,mean,detail`. Sections:
    /// `corpus` (documents, failed), `tone` (documents per bin; `mean` is the corpus mean),
    /// `actor` (count = mentions, mean = mean portrayal, detail = kind), `technique`
    /// (count = spans), `source` (count = rhetoric spans, mean = mean tone, detail = top actor).
    pub fn csv(&self) -> String {
        let mut out = String::from("section,name,documents,count,mean,detail\n");
        let f = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
        let mut row = |cells: [String; 6]| {
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        };
        row([
            "corpus".into(),
            "documents".into(),
            self.documents.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        row(["corpus".into(), "failed".into(), self.failed.to_string(), String::new(), String::new(), String::new()]);
        for (i, name) in TONE_BINS.iter().enumerate() {
            row([
                "tone".into(),
                (*name).into(),
                self.tone_bins[i].to_string(),
                String::new(),
                f(self.mean_tone()),
                String::new(),
            ]);
        }
        for a in self.actors() {
            row([
                "actor".into(),
                a.name,
                a.docs.to_string(),
                a.mentions.to_string(),
                f(a.mean_portrayal),
                a.kind.unwrap_or_default(),
            ]);
        }
        for t in self.techniques() {
            row(["technique".into(), t.name, t.docs.to_string(), t.spans.to_string(), String::new(), String::new()]);
        }
        for s in self.sources() {
            let rhetoric = (s.rhetoric_per_doc * s.docs as f64).round() as u64;
            row([
                "source".into(),
                s.name,
                s.docs.to_string(),
                rhetoric.to_string(),
                f(s.mean_tone),
                s.top_actor.unwrap_or_default(),
            ]);
        }
        out
    }

    /// The corpus page, in the style of the document report.
    pub fn html(&self, top: usize) -> String {
        let mut s = html::head("Slant corpus report");
        let _ = write!(
            s,
            r#"<section class="doc corpus"><h1>Corpus report</h1><p class="facts">{}</p><div class="cols">"#,
            esc(&self.overview())
        );
        // Tone.
        s.push_str(r#"<div class="panel"><h2>Tone</h2>"#);
        match self.mean_tone() {
            Some(t) => {
                let _ = write!(s, r#"<p class="tone-head">mean {} {}</p><table>"#, score_html(t), html::signed_bar(t));
                let max = self.tone_bins.iter().copied().max().unwrap_or(0).max(1);
                for (i, name) in TONE_BINS.iter().enumerate() {
                    let cls = match i {
                        0 | 1 => "neg",
                        3 | 4 => "pos",
                        _ => "neu",
                    };
                    let _ = write!(
                        s,
                        r#"<tr><td>{name}</td><td class="r">{}</td><td class="barcell"><span class="cbar {cls}bar" style="width:{:.0}%"></span></td></tr>"#,
                        thousands(self.tone_bins[i]),
                        self.tone_bins[i] as f64 / max as f64 * 100.0
                    );
                }
                s.push_str("</table>");
            }
            None => s.push_str(r#"<p class="muted">No tone in these records.</p>"#),
        }
        s.push_str("</div>");
        // Techniques.
        let techniques = self.techniques();
        s.push_str(r#"<div class="panel"><h2>Most frequent techniques</h2>"#);
        if techniques.is_empty() {
            s.push_str(r#"<p class="muted">No rhetoric in these records.</p>"#);
        } else {
            s.push_str(r#"<table><thead><tr><th>technique</th><th class="r">spans</th><th class="r">docs</th><th></th></tr></thead><tbody>"#);
            let max = techniques[0].spans.max(1);
            for t in techniques.iter().take(top) {
                let _ = write!(
                    s,
                    r#"<tr><td>{}</td><td class="r">{}</td><td class="r">{}</td><td class="barcell"><span class="cbar" style="width:{:.0}%"></span></td></tr>"#,
                    esc(&t.name.replace('_', " ")),
                    thousands(t.spans),
                    thousands(t.docs),
                    t.spans as f64 / max as f64 * 100.0
                );
            }
            s.push_str("</tbody></table>");
        }
        s.push_str("</div></div>");
        // Actors.
        let actors = self.actors();
        if !actors.is_empty() {
            s.push_str(r#"<div class="panel"><h2>Most mentioned actors</h2><table><thead><tr><th>actor</th><th>kind</th><th>affiliation</th><th class="r">docs</th><th class="r">mentions</th><th>mean portrayal</th></tr></thead><tbody>"#);
            for a in actors.iter().take(top) {
                let p = a
                    .mean_portrayal
                    .map(|p| format!("{} {}", score_html(p), html::signed_bar(p)))
                    .unwrap_or_else(|| "—".into());
                let _ = write!(
                    s,
                    r#"<tr><td>{}</td><td class="muted">{}</td><td>{}</td><td class="r">{}</td><td class="r">{}</td><td class="nowrap">{p}</td></tr>"#,
                    esc(&a.name),
                    esc(a.kind.as_deref().unwrap_or("")),
                    esc(a.affiliation.as_deref().filter(|x| *x != a.name).unwrap_or("")),
                    thousands(a.docs),
                    thousands(a.mentions)
                );
            }
            s.push_str("</tbody></table></div>");
        }
        // Outlets.
        let sources = self.sources();
        if !sources.is_empty() {
            s.push_str(r#"<div class="panel"><h2>By outlet</h2><table><thead><tr><th>outlet</th><th class="r">docs</th><th>mean tone</th><th class="r">negative</th><th class="r">rhetoric / doc</th><th>top actor</th><th>top technique</th></tr></thead><tbody>"#);
            for o in sources.iter().take(top) {
                let tone = o
                    .mean_tone
                    .map(|t| format!("{} {}", score_html(t), html::signed_bar(t)))
                    .unwrap_or_else(|| "—".into());
                let _ = write!(
                    s,
                    r#"<tr><td>{}</td><td class="r">{}</td><td class="nowrap">{tone}</td><td class="r">{}</td><td class="r">{:.1}</td><td>{}</td><td>{}</td></tr>"#,
                    esc(&o.name),
                    thousands(o.docs),
                    o.negative_share.map(|x| format!("{:.0}%", x * 100.0)).unwrap_or_else(|| "—".into()),
                    o.rhetoric_per_doc,
                    esc(o.top_actor.as_deref().unwrap_or("—")),
                    esc(&o.top_technique.as_deref().unwrap_or("—").replace('_', " "))
                );
            }
            s.push_str("</tbody></table></div>");
        }
        s.push_str("</section>\n");
        s.push_str(&html::tail());
        s
    }
}

fn score_html(x: f64) -> String {
    let cls = match crate::view::sign_label(x) {
        "positive" => "pos",
        "negative" => "neg",
        _ => "neu",
    };
    format!(r#"<span class="num {cls}">{}</span>"#, signed(x))
}

/// Quotes a CSV cell when it holds a comma, quote or line break (RFC 4180).
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn aggregates_means_and_outlets() {
        let mut c = Corpus::new();
        c.add(&rec(
            r#"{"id":"1","source":"s","chars":1,"meta":{"source":"A"},"summary":{"sentiment":{"compound":-0.6},
            "actors":[{"name":"X","mentions":3,"stance":{"score":-0.5}}],"rhetoric":{"counts":{"doubt":2}}}}"#,
        ));
        c.add(&rec(r#"{"id":"2","source":"s","chars":1,"meta":{"source":"A"},"summary":{"sentiment":{"compound":0.2},
            "actors":[{"name":"X","mentions":1,"stance":{"score":0.1}},{"name":"Y","mentions":1}]}}"#));
        c.add(&rec(r#"{"id":"3","source":"s","chars":0,"error":{"kind":"k","message":"m"}}"#));
        assert_eq!((c.documents, c.failed), (3, 1));
        assert_eq!(c.tone_distribution(), [1, 0, 0, 1, 0]);
        let x = &c.actors()[0];
        assert_eq!((x.name.as_str(), x.docs, x.mentions), ("X", 2, 4));
        assert!((x.mean_portrayal.unwrap() - (-0.2)).abs() < 1e-9);
        assert_eq!(c.actors()[1].mean_portrayal, None);
        let a = &c.sources()[0];
        assert_eq!((a.name.as_str(), a.docs, a.negative_share), ("A", 2, Some(0.5)));
        assert_eq!(
            (a.top_actor.as_deref(), a.top_technique.as_deref(), a.rhetoric_per_doc),
            (Some("X"), Some("doubt"), 1.0)
        );
    }

    #[test]
    fn csv_quotes_cells() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
