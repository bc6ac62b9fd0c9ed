//! The self-contained HTML report: the article text with spans highlighted per layer, a
//! sentence-by-sentence tone strip, the actor network as SVG, and an index for several
//! documents. Everything is inline (CSS, JS, SVG): the page loads nothing from the network.

pub mod network;
pub mod text;

use std::fmt::Write;

use serde_json::{json, Value};
use slant_core::{AttrValue, Level, Record};

use crate::pretty::thousands;
use crate::term::signed;
use crate::view::{document_text, sign_label, View, KNOWN_LAYERS};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`).
fn script_json(v: &Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The CSS class of a layer: known layers have their own look, any other layer a generic one.
pub fn layer_class(layer: &str) -> String {
    if KNOWN_LAYERS.contains(&layer) || layer == "target" {
        format!("l-{layer}")
    } else {
        "l-x".to_string()
    }
}

/// An HTML id or file-name-safe form of a document id.
pub fn slug(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .collect();
    if s.is_empty() {
        "doc".to_string()
    } else {
        s
    }
}

/// The start of a page: doctype, inline style, and an error trap that the browser test reads.
pub fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"slant {}\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n\
         <body>\n<script>window.addEventListener('error',function(e){{var d=document.createElement('div');\
         d.id='slant-error';d.textContent=String(e.message);(document.body||document.documentElement).appendChild(d);}});</script>\n\
         <div class=\"pages\">\n",
        env!("CARGO_PKG_VERSION"),
        esc(title)
    )
}

/// The end of a page: the tooltip and the script that wires toggles, hovering and the strip.
pub fn tail() -> String {
    format!("</div>\n<div id=\"slant-tip\" class=\"tip\" hidden></div>\n<script>\n{JS}</script>\n</body>\n</html>\n")
}

/// A whole page for one record. `text` is the document text; without it the text is rebuilt
/// from the record's spans (gaps become blanks).
pub fn page(record: &Record, text: Option<&str>) -> String {
    let view = View::new(record);
    let mut s = head(&view.title());
    s.push_str(&document(record, text, "d0"));
    s.push_str(&tail());
    s
}

/// One document's section. `prefix` makes its element ids unique on a page with several.
pub fn document(record: &Record, text: Option<&str>, prefix: &str) -> String {
    let view = View::new(record);
    let chars = document_text(record, text);
    let mut s = String::new();
    let _ = writeln!(s, r#"<section class="doc" id="{}">"#, esc(prefix));

    // Header.
    let _ = writeln!(s, r#"<header class="doc-head"><h1>{}</h1>"#, esc(&view.title()));
    let mut facts = Vec::new();
    if let Some(b) = view.byline() {
        facts.push(format!("by <b>{}</b>", esc(&b)));
    }
    if let Some(o) = view.outlet() {
        facts.push(esc(&o));
    }
    facts.push(format!("<code>{}</code>", esc(&record.source)));
    if record.chars > 0 {
        facts.push(format!("{} characters", thousands(record.chars as u64)));
    }
    if let Some(w) = view.words() {
        facts.push(format!("{} words", thousands(w)));
    }
    let _ = writeln!(s, r#"<p class="facts">{}</p>"#, facts.join(" · "));
    if let Some(err) = &record.error {
        let _ = writeln!(
            s,
            r#"<p class="error">Could not analyze this document ({}): {}</p>"#,
            esc(&err.kind),
            esc(&err.message)
        );
    }
    s.push_str("</header>\n<div class=\"grid\">\n<div class=\"main\">\n");

    let gist = view.gist();
    if !gist.is_empty() {
        s.push_str(r#"<div class="panel gist"><h2>In brief</h2><ul>"#);
        for g in &gist {
            let _ = write!(s, "<li>{}</li>", esc(g));
        }
        s.push_str("</ul></div>\n");
    }
    let sentences = view.sentence_tones();
    tone_panel(&mut s, &view, &sentences, &chars, prefix);
    let marked = text::marked(record);
    controls_panel(&mut s, &marked);

    // The text.
    let spans: Vec<(usize, usize)> = sentences.iter().map(|t| (t.start, t.end)).collect();
    let segs = text::segments(record, chars.len(), &spans);
    let mut first_seg_of: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (i, seg) in segs.iter().enumerate() {
        for a in &seg.covers {
            first_seg_of.entry(*a).or_insert(i);
        }
    }
    s.push_str(r#"<article class="text">"#);
    if chars.is_empty() {
        s.push_str(r#"<p class="muted">No text.</p>"#);
    }
    for (i, seg) in segs.iter().enumerate() {
        for n in &seg.sentence_starts {
            let _ = write!(s, r#"<span class="sa" id="{prefix}-s{n}"></span>"#);
        }
        let body: String = esc(&chars[seg.start..seg.end].iter().collect::<String>());
        if seg.covers.is_empty() {
            s.push_str(&body);
            continue;
        }
        let mut classes = vec!["g".to_string()];
        for a in &seg.covers {
            let ann = &record.annotations[*a];
            if text::HIDDEN_AT_FIRST.contains(&ann.layer.as_str()) {
                continue;
            }
            let c = layer_class(&ann.layer);
            if !classes.contains(&c) {
                classes.push(c);
            }
        }
        let anchors: Vec<String> = seg
            .covers
            .iter()
            .filter(|a| first_seg_of.get(a) == Some(&i) && record.annotations[**a].layer == "rhetoric")
            .map(|a| format!("{prefix}-a{a}"))
            .collect();
        let id_attr = anchors.first().map(|id| format!(r#" id="{id}""#)).unwrap_or_default();
        let covers: Vec<String> = seg.covers.iter().map(usize::to_string).collect();
        // Spans of layers hidden at first carry no class until the reader switches them on.
        let class_attr = if classes.len() > 1 { format!(r#" class="{}""#, classes.join(" ")) } else { String::new() };
        let _ = write!(s, r#"<span{class_attr} data-a="{}"{id_attr}>{body}</span>"#, covers.join(" "));
    }
    s.push_str("</article>\n</div>\n<aside class=\"side\">\n");

    network_panel(&mut s, &view, prefix);
    actors_panel(&mut s, &view);
    relations_panel(&mut s, &view);
    targets_panel(&mut s, &view);
    rhetoric_panel(&mut s, &view, prefix);
    others_panel(&mut s, &view, record);
    s.push_str("</aside>\n</div>\n");

    // The annotation details the script shows on hover, by record index (null: not marked).
    let mut anns = vec![Value::Null; record.annotations.len()];
    for (i, a) in &marked {
        anns[*i] = ann_json(a);
    }
    let _ = writeln!(
        s,
        r#"<script type="application/json" class="slant-data">{}</script>"#,
        script_json(&json!({ "anns": anns }))
    );
    s.push_str("</section>\n");
    s
}

fn ann_json(a: &slant_core::record::RecordAnnotation) -> Value {
    let mut detail = Vec::new();
    if a.layer == "relation" {
        if let (Some(src), Some(tgt)) = (a.attrs.get("source"), a.attrs.get("target")) {
            detail.push(format!("{} → {}", short_attr(src), short_attr(tgt)));
        }
    }
    for (k, v) in a.attrs.iter().filter(|(k, _)| !matches!(*k, "explanation" | "source" | "target")) {
        if detail.len() >= 6 {
            break;
        }
        // Nested evidence is for machines; its named cue, if any, is for people.
        let v = match v {
            AttrValue::Map(o) => {
                if let Some(cue) = o.get("cue") {
                    detail.push(format!("cue: {}", short_attr(cue)));
                }
                continue;
            }
            AttrValue::List(items) if items.iter().any(|i| matches!(i, AttrValue::Map(_) | AttrValue::List(_))) => {
                continue
            }
            other => other,
        };
        let shown = short_attr(v);
        if !shown.is_empty() {
            detail.push(format!("{k}: {shown}"));
        }
    }
    let sign = if a.layer == "sentiment" {
        let score = crate::view::attr_num(a.attrs.get("tone"))
            .or_else(|| crate::view::attr_num(a.attrs.get("compound")))
            .or(a.score);
        match score.map(sign_label).or(a.label.as_deref()) {
            Some("positive") => 1,
            Some("negative") => -1,
            _ => 0,
        }
    } else {
        0
    };
    let text: String = a.text.chars().take(160).collect();
    json!({
        "l": a.layer,
        "c": layer_class(&a.layer),
        "b": a.label,
        "s": a.score,
        "x": a.attrs.get("explanation").and_then(AttrValue::as_str),
        "d": detail.join(" · "),
        "t": text,
        "g": sign,
    })
}

/// [`short`] of an annotation's attribute.
fn short_attr(v: &AttrValue) -> String {
    short(&Value::from(v.clone()))
}

/// A short display form of an attribute value.
fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() != 0.0 => format!("{x:.2}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    };
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(79).collect::<String>())
    } else {
        s
    }
}

/// A two-sided bar for a score in [-1, 1] as inline HTML.
pub fn signed_bar(score: f64) -> String {
    let p = if score.is_finite() { score.clamp(-1.0, 1.0) } else { 0.0 };
    let w = (p.abs() * 50.0 * 10.0).round() / 10.0;
    let (left, cls) = if p < 0.0 { (50.0 - w, "neg") } else { (50.0, "pos") };
    format!(r#"<span class="sbar"><span class="{cls}" style="left:{left}%;width:{w}%"></span></span>"#)
}

fn score_span(score: f64) -> String {
    let cls = match sign_label(score) {
        "positive" => "pos",
        "negative" => "neg",
        _ => "neu",
    };
    format!(r#"<span class="num {cls}">{}</span>"#, signed(score))
}

fn tone_panel(s: &mut String, view: &View, sentences: &[crate::view::SentenceTone], chars: &[char], prefix: &str) {
    let tone = view.tone();
    if tone.is_none() && sentences.is_empty() {
        return;
    }
    s.push_str(r#"<div class="panel tone"><h2>Tone</h2>"#);
    if let Some(t) = tone {
        let label = t.label.clone().unwrap_or_else(|| sign_label(t.score).to_string());
        let _ = write!(
            s,
            r#"<p class="tone-head">{} <span class="label">{}</span> {}</p>"#,
            score_span(t.score),
            esc(&label),
            signed_bar(t.score)
        );
    }
    let scored: Vec<(usize, &crate::view::SentenceTone)> =
        sentences.iter().enumerate().filter(|(_, t)| t.score.is_some()).collect();
    if !scored.is_empty() {
        let n = sentences.len();
        let _ = write!(
            s,
            r#"<svg class="strip" viewBox="0 0 {n} 40" preserveAspectRatio="none" role="img" aria-label="Tone by sentence"><line x1="0" y1="20" x2="{n}" y2="20" class="axis"/>"#
        );
        for (i, t) in &scored {
            let score = t.score.unwrap_or(0.0);
            let h = (score.abs() * 19.0).max(1.0);
            let y = if score < 0.0 { 20.0 } else { 20.0 - h };
            let cls = match sign_label(score) {
                "positive" => "pos",
                "negative" => "neg",
                _ => "neu",
            };
            let first: String = chars.get(t.start..t.end.min(chars.len())).unwrap_or(&[]).iter().take(90).collect();
            let _ = write!(
                s,
                r#"<rect class="{cls}" data-s="{prefix}-s{}" x="{}" y="{y:.1}" width="0.84" height="{h:.1}"><title>Sentence {}: {} — {}</title></rect>"#,
                i + 1,
                *i as f64 + 0.08,
                i + 1,
                signed(score),
                esc(first.trim())
            );
        }
        s.push_str("</svg>");
        let neg = scored.iter().filter(|(_, t)| t.score.unwrap_or(0.0) <= -0.05).count();
        let pos = scored.iter().filter(|(_, t)| t.score.unwrap_or(0.0) >= 0.05).count();
        let _ = write!(
            s,
            r#"<p class="hint">{} sentence{}: <span class="neg">{neg} negative</span>, {} neutral, <span class="pos">{pos} positive</span>. One bar per sentence, in order; click a bar to read it.</p>"#,
            scored.len(),
            crate::view::plural(scored.len()),
            scored.len() - neg - pos
        );
    }
    s.push_str("</div>\n");
}

fn controls_panel(s: &mut String, marked: &[(usize, &slant_core::record::RecordAnnotation)]) {
    if marked.is_empty() {
        return;
    }
    let mut layers: Vec<(String, usize)> = Vec::new();
    let mut techniques: Vec<(String, usize)> = Vec::new();
    for (_, a) in marked {
        match layers.iter_mut().find(|(l, _)| *l == a.layer) {
            Some((_, n)) => *n += 1,
            None => layers.push((a.layer.clone(), 1)),
        }
        if a.layer == "rhetoric" {
            let t = a.label.clone().unwrap_or_else(|| "unlabelled".into());
            match techniques.iter_mut().find(|(l, _)| *l == t) {
                Some((_, n)) => *n += 1,
                None => techniques.push((t, 1)),
            }
        }
    }
    let rank = |l: &str| KNOWN_LAYERS.iter().position(|k| *k == l).unwrap_or(KNOWN_LAYERS.len());
    layers.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    techniques.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    s.push_str(r#"<div class="panel controls"><h2>Highlight</h2><div class="toggles">"#);
    for (layer, n) in &layers {
        let checked = if text::HIDDEN_AT_FIRST.contains(&layer.as_str()) { "" } else { " checked" };
        let _ = write!(
            s,
            r#"<label><input type="checkbox" data-layer="{}"{checked}> <span class="sw {}">{}</span> <small>{n}</small></label>"#,
            esc(layer),
            layer_class(layer),
            esc(&layer.replace('_', " "))
        );
    }
    s.push_str("</div>");
    if !techniques.is_empty() {
        s.push_str(r#"<div class="toggles techs">"#);
        for (t, n) in &techniques {
            let _ = write!(
                s,
                r#"<label><input type="checkbox" data-tech="{}" checked> {} <small>{n}</small></label>"#,
                esc(t),
                esc(&t.replace('_', " "))
            );
        }
        s.push_str("</div>");
    }
    s.push_str("<p class=\"hint\">Hover a highlighted passage to see why it is marked.</p></div>\n");
}

fn network_panel(s: &mut String, view: &View, prefix: &str) {
    let actors = view.actors();
    let relations = view.relations();
    if actors.is_empty() && relations.is_empty() {
        return;
    }
    let layout = network::layout(&actors, &view.relation_pairs());
    s.push_str(r#"<div class="panel"><h2>Actor network</h2>"#);
    s.push_str(&network::svg(&layout, prefix));
    s.push_str(
        r#"<p class="legend"><span class="dot neg"></span>portrayed negatively <span class="dot neu"></span>neutral <span class="dot pos"></span>positively · node size: mentions · arrows: who acts or feels toward whom (<span class="neg">conflict / negative</span>, <span class="pos">cooperation / positive</span>)</p></div>"#,
    );
    s.push('\n');
}

fn actors_panel(s: &mut String, view: &View) {
    let actors = view.actors();
    if actors.is_empty() {
        return;
    }
    s.push_str(r#"<div class="panel"><h2>Actors</h2><table class="actors"><thead><tr><th>actor</th><th>kind</th><th class="r">mentions</th><th>portrayal</th><th>affiliation</th></tr></thead><tbody>"#);
    for a in actors.iter().take(25) {
        let portrayal =
            a.portrayal.map(|p| format!("{} {}", score_span(p), signed_bar(p))).unwrap_or_else(|| "—".into());
        let _ = write!(
            s,
            r#"<tr><td>{}</td><td class="muted">{}</td><td class="r">{}</td><td class="nowrap">{portrayal}</td><td>{}</td></tr>"#,
            esc(&a.name),
            esc(a.kind.as_deref().unwrap_or("")),
            a.mentions,
            esc(a.affiliation.as_deref().filter(|aff| *aff != a.name).unwrap_or(""))
        );
    }
    s.push_str("</tbody></table>");
    if actors.len() > 25 {
        let _ = write!(s, r#"<p class="hint">… and {} more.</p>"#, actors.len() - 25);
    }
    s.push_str("</div>\n");
}

fn relations_panel(s: &mut String, view: &View) {
    let relations = view.relations();
    if relations.is_empty() {
        return;
    }
    s.push_str(r#"<div class="panel"><h2>Relations</h2><table class="relations"><thead><tr><th>who → whom</th><th>sign</th><th>kind</th><th class="r">×</th></tr></thead><tbody>"#);
    for r in relations.iter().take(15) {
        let _ = write!(
            s,
            r#"<tr><td>{} → {}</td><td>{}</td><td class="muted">{}</td><td class="r">{}</td></tr>"#,
            esc(&r.source),
            esc(&r.target),
            score_span(r.polarity),
            esc(&r.kind.as_deref().unwrap_or("").replace('_', " ")),
            r.count
        );
    }
    s.push_str("</tbody></table></div>\n");
}

/// Stance toward the spans the user named as targets.
fn targets_panel(s: &mut String, view: &View) {
    let mut targets: Vec<_> = view.layer("target_stance").collect();
    if targets.is_empty() {
        return;
    }
    targets.sort_by_key(|a| (a.start, a.end));
    s.push_str(r#"<div class="panel"><h2>Targets</h2><table><thead><tr><th>target</th><th>stance</th><th>label</th></tr></thead><tbody>"#);
    for a in targets {
        let label = a.label.clone().unwrap_or_default();
        let score = crate::view::target_score(a);
        let _ = write!(
            s,
            r#"<tr><td>{}</td><td class="nowrap">{} {}</td><td>{}</td></tr>"#,
            esc(a.text.trim()),
            score_span(score),
            signed_bar(score),
            esc(&label)
        );
    }
    s.push_str("</tbody></table></div>\n");
}

/// Rhetoric spans listed before the rest fold away.
const SPANS_SHOWN: usize = 12;

fn rhetoric_panel(s: &mut String, view: &View, prefix: &str) {
    let counts = view.technique_counts();
    let spans = view.rhetoric();
    if counts.is_empty() && spans.is_empty() {
        return;
    }
    s.push_str(r#"<div class="panel"><h2>Rhetoric</h2><table class="techs">"#);
    let max = counts.first().map_or(1, |(_, n)| (*n).max(1));
    for (t, n) in &counts {
        let _ = write!(
            s,
            r#"<tr><td>{}</td><td class="r">{n}</td><td class="barcell"><span class="cbar" style="width:{:.0}%"></span></td></tr>"#,
            esc(&t.replace('_', " ")),
            *n as f64 / max as f64 * 100.0
        );
    }
    s.push_str("</table><ol class=\"spans\">");
    for (n, a) in spans.iter().enumerate() {
        // A long list folds after the first dozen, so the sidebar does not outgrow the text.
        if n == SPANS_SHOWN {
            let _ = write!(
                s,
                r#"</ol><details><summary>{} more</summary><ol class="spans" start="{}">"#,
                spans.len() - SPANS_SHOWN,
                SPANS_SHOWN + 1
            );
        }
        let idx = view.record.annotations.iter().position(|b| std::ptr::eq(b, *a)).unwrap_or(0);
        let _ = write!(
            s,
            r##"<li><a href="#{prefix}-a{idx}"><b>{}</b>{}</a> <q>{}</q>"##,
            esc(&a.label.as_deref().unwrap_or("unlabelled").replace('_', " ")),
            a.score.map(|x| format!(r#" <span class="muted">{x:.2}</span>"#)).unwrap_or_default(),
            esc(&a.text.chars().take(140).collect::<String>())
        );
        if let Some(x) = a.attrs.get("explanation").and_then(AttrValue::as_str) {
            let _ = write!(s, r#"<br><span class="why">{}</span>"#, esc(&crate::term::truncate(x, 220)));
        }
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    if spans.len() > SPANS_SHOWN {
        s.push_str("</details>");
    }
    s.push_str("</div>\n");
}

fn others_panel(s: &mut String, view: &View, record: &Record) {
    let others = view.other_summaries();
    if others.is_empty() && record.diagnostics.is_empty() {
        return;
    }
    s.push_str(r#"<div class="panel"><h2>More</h2>"#);
    for (k, v) in others {
        let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
        let _ = write!(s, r#"<details><summary>{}</summary><pre>{}</pre></details>"#, esc(k), esc(&pretty));
    }
    if !record.diagnostics.is_empty() {
        s.push_str(r#"<ul class="diags">"#);
        for d in &record.diagnostics {
            let lvl = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let _ = write!(s, r#"<li class="{lvl}"><b>{lvl}</b> {}: {}</li>"#, esc(&d.analyzer), esc(&d.message));
        }
        s.push_str("</ul>");
    }
    s.push_str("</div>\n");
}

/// One row of the index of a multi-document page.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub href: String,
    pub title: String,
    pub id: String,
    pub outlet: Option<String>,
    pub tone: Option<f64>,
    pub words: Option<u64>,
    /// Top actors with their portrayal.
    pub actors: Vec<(String, Option<f64>)>,
    pub techniques: Vec<(String, u64)>,
    pub error: Option<String>,
    pub problems: usize,
}

impl IndexEntry {
    pub fn new(record: &Record, href: String) -> IndexEntry {
        let view = View::new(record);
        IndexEntry {
            href,
            title: view.title(),
            id: record.id.clone(),
            outlet: view.outlet(),
            tone: view.tone().map(|t| t.score),
            words: view.words(),
            actors: view.actors().into_iter().take(3).map(|a| (a.name, a.portrayal)).collect(),
            techniques: view.technique_counts().into_iter().take(3).collect(),
            error: record.error.as_ref().map(|e| format!("{}: {}", e.kind, e.message)),
            problems: record.diagnostics.len(),
        }
    }
}

/// The index: one row per document with a link to it.
pub fn index(entries: &[IndexEntry]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<nav class="index panel" id="index"><h1>{} documents</h1><table><thead><tr><th class="r">#</th><th>document</th><th>outlet</th><th>tone</th><th class="r">words</th><th>main actors</th><th>rhetoric</th><th>status</th></tr></thead><tbody>"#,
        entries.len()
    );
    for (i, e) in entries.iter().enumerate() {
        let tone = e.tone.map(|t| format!("{} {}", score_span(t), signed_bar(t))).unwrap_or_else(|| "—".into());
        let actors: Vec<String> = e
            .actors
            .iter()
            .map(|(n, p)| {
                format!(
                    r#"<span class="nowrap"><span class="dot" style="background:{}"></span>{}</span>"#,
                    network::portrayal_color(*p),
                    esc(n)
                )
            })
            .collect();
        let techs: Vec<String> =
            e.techniques.iter().map(|(t, n)| format!("{} {n}", esc(&t.replace('_', " ")))).collect();
        let status = match (&e.error, e.problems) {
            (Some(err), _) => format!(r#"<span class="neg">{}</span>"#, esc(err)),
            (None, 0) => "ok".to_string(),
            (None, n) => format!("{n} diagnostic{}", if n == 1 { "" } else { "s" }),
        };
        let _ = write!(
            s,
            r#"<tr><td class="r">{}</td><td><a href="{}">{}</a><br><small class="muted">{}</small></td><td>{}</td><td class="nowrap">{tone}</td><td class="r">{}</td><td>{}</td><td>{}</td><td>{status}</td></tr>"#,
            i + 1,
            esc(&e.href),
            esc(&e.title),
            esc(&e.id),
            esc(e.outlet.as_deref().unwrap_or("")),
            e.words.map(thousands).unwrap_or_default(),
            actors.join(", "),
            techs.join(", ")
        );
    }
    s.push_str("</tbody></table></nav>\n");
    s
}

/// A page that holds only the index (for `--output x.html` with several documents).
pub fn index_page(entries: &[IndexEntry]) -> String {
    let mut s = head(&format!("Slant: {} documents", entries.len()));
    s.push_str(&index(entries));
    s.push_str(&tail());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_script_json() {
        assert_eq!(esc(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        let v = json!({"t": "</script><!--"});
        assert!(!script_json(&v).contains("</"));
        let back: Value = serde_json::from_str(&script_json(&v)).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn slugs_are_file_safe() {
        assert_eq!(slug("a/b c:1.txt"), "a_b_c_1.txt");
        assert_eq!(slug(""), "doc");
    }

    #[test]
    fn signed_bar_geometry() {
        assert_eq!(
            signed_bar(-0.5),
            r#"<span class="sbar"><span class="neg" style="left:25%;width:25%"></span></span>"#
        );
        assert_eq!(
            signed_bar(1.0),
            r#"<span class="sbar"><span class="pos" style="left:50%;width:50%"></span></span>"#
        );
    }

    #[test]
    fn unknown_layers_get_the_generic_class() {
        assert_eq!(layer_class("rhetoric"), "l-rhetoric");
        assert_eq!(layer_class("emotion"), "l-x");
    }
}
