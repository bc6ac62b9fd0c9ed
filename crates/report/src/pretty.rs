//! The terminal report: one screen per article — title, byline, tone, actors, the strongest
//! relations and the rhetoric spans quoted in their sentences.

use std::fmt::Write;

use slant_core::record::RecordAnnotation;
use slant_core::{Level, Record};

use crate::term::{count_bar, pad, pad_left, paint, signed, signed_bar, truncate, width, wrap, Style};
use crate::view::{num, sign_label, View, KNOWN_LAYERS};

/// How to draw the terminal report.
#[derive(Debug, Clone)]
pub struct PrettyOptions {
    /// ANSI colours; the CLI turns them off for `NO_COLOR` and for output that is not a terminal.
    pub color: bool,
    /// Columns to wrap to.
    pub width: usize,
}

impl Default for PrettyOptions {
    fn default() -> Self {
        PrettyOptions { color: false, width: 100 }
    }
}

// Limits that keep one article to about a screen; the HTML page has everything.
const MAX_ACTORS: usize = 10;
const MAX_RELATIONS: usize = 6;
const MAX_TECHNIQUES: usize = 8;
const MAX_RHETORIC: usize = 8;

/// Renders one record as a human report.
pub fn pretty(record: &Record, opts: &PrettyOptions) -> String {
    let w = opts.width.clamp(40, 160);
    let c = opts.color;
    let view = View::new(record);
    let mut out = String::new();

    let title = view.title();
    for line in wrap(&[(title.clone(), Style::Bold)], w, "", c) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}", paint(&"═".repeat(width(&title).clamp(1, w)), Style::Dim, c));
    let mut facts = Vec::new();
    if let Some(b) = view.byline() {
        facts.push(format!("by {b}"));
    }
    if let Some(o) = view.outlet() {
        facts.push(o);
    }
    facts.push(record.source.clone());
    if record.chars > 0 {
        facts.push(format!("{} chars", thousands(record.chars as u64)));
    }
    if let Some(words) = view.words() {
        facts.push(format!("{} words", thousands(words)));
    }
    for line in wrap(&[(facts.join(" · "), Style::Dim)], w, "", c) {
        let _ = writeln!(out, "{line}");
    }

    if let Some(err) = &record.error {
        let _ = writeln!(out);
        let msg = format!("could not analyze ({}): {}", err.kind, err.message);
        for line in wrap(&[(msg, Style::Red)], w, "", c) {
            let _ = writeln!(out, "{line}");
        }
    }

    let gist = view.gist();
    if !gist.is_empty() {
        heading(&mut out, "In brief", c);
        for g in gist {
            for (i, line) in wrap(&[(g, Style::Plain)], w, "    ", c).into_iter().enumerate() {
                let line = if i == 0 { format!("  • {}", line.trim_start()) } else { line };
                let _ = writeln!(out, "{line}");
            }
        }
    }

    tone_section(&mut out, &view, w, c);
    actors_section(&mut out, &view, w, c);
    relations_section(&mut out, &view, w, c);
    targets_section(&mut out, &view, w, c);
    rhetoric_section(&mut out, &view, w, c);
    others_section(&mut out, &view, w, c);

    if !record.diagnostics.is_empty() {
        heading(&mut out, "Diagnostics", c);
        for d in &record.diagnostics {
            let (lvl, st) = match d.level {
                Level::Error => ("error", Style::Red),
                Level::Warning => ("warning", Style::Yellow),
            };
            let pieces = [(format!("{lvl} "), st), (format!("{}: {}", d.analyzer, d.message), Style::Plain)];
            for line in wrap(&pieces, w, "  ", c) {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

fn heading(out: &mut String, name: &str, color: bool) {
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", paint(&name.to_uppercase(), Style::Heading, color));
}

fn tone_section(out: &mut String, view: &View, w: usize, c: bool) {
    let sentences = view.sentence_tones();
    let Some(tone) = view.tone() else { return };
    heading(out, "Tone", c);
    let label = tone.label.clone().unwrap_or_else(|| sign_label(tone.score).to_string());
    let mut line = format!(
        "  {} {}  {}",
        paint(&signed(tone.score), Style::for_score(tone.score), c),
        pad(&label, 8),
        signed_bar(tone.score, 10, c)
    );
    let scored: Vec<f64> = sentences.iter().filter_map(|s| s.score).collect();
    if !scored.is_empty() {
        let neg = scored.iter().filter(|s| **s <= -0.05).count();
        let pos = scored.iter().filter(|s| **s >= 0.05).count();
        let counts = format!(
            "   {} sentence{}: {} negative, {} neutral, {} positive",
            scored.len(),
            crate::view::plural(scored.len()),
            neg,
            scored.len() - neg - pos,
            pos
        );
        if width(&line) + width(&counts) <= w {
            line.push_str(&paint(&counts, Style::Dim, c));
        } else {
            line.push('\n');
            line.push_str(&paint(&format!("  {}", counts.trim_start()), Style::Dim, c));
        }
        let _ = writeln!(out, "{line}");
        // One cell per sentence, in text order: the article's tone at a glance.
        let strip: String = scored
            .iter()
            .map(|s| {
                let glyph = if *s <= -0.5 {
                    "▼"
                } else if *s <= -0.05 {
                    "▾"
                } else if *s >= 0.5 {
                    "▲"
                } else if *s >= 0.05 {
                    "▴"
                } else {
                    "·"
                };
                paint(glyph, Style::for_score(*s), c)
            })
            .collect();
        let room = w.saturating_sub(12).max(10);
        let cells: Vec<&str> = split_cells(&strip, c);
        for (i, chunk) in cells.chunks(room).enumerate() {
            let lead = if i == 0 { "  by sentence " } else { "              " };
            let _ = writeln!(out, "{}{}", paint(lead, Style::Dim, c), chunk.concat());
        }
    } else {
        let _ = writeln!(out, "{line}");
    }
}

/// Splits a painted strip back into its cells (one glyph with its escapes each).
fn split_cells(strip: &str, color: bool) -> Vec<&str> {
    if !color {
        return strip.char_indices().map(|(i, ch)| &strip[i..i + ch.len_utf8()]).collect();
    }
    let mut cells = Vec::new();
    let mut start = 0;
    while start < strip.len() {
        let end = match strip[start..].find("\x1b[0m") {
            Some(p) if strip[start..].starts_with('\x1b') => start + p + 4,
            _ => start + strip[start..].chars().next().map_or(1, char::len_utf8),
        };
        cells.push(&strip[start..end]);
        start = end;
    }
    cells
}

fn actors_section(out: &mut String, view: &View, w: usize, c: bool) {
    let actors = view.actors();
    if actors.is_empty() {
        return;
    }
    heading(out, "Actors", c);
    let shown: Vec<_> = actors.iter().take(MAX_ACTORS).collect();
    let has_portrayal = shown.iter().any(|a| a.portrayal.is_some());
    let affiliation = |a: &crate::view::ActorRow| a.affiliation.clone().filter(|aff| *aff != a.name);
    // Column widths: as wide as the content, then narrowed until the row fits the terminal
    // (names first, then the bars, then the kind and affiliation columns go).
    let mut name_w = shown.iter().map(|a| width(&a.name)).max().unwrap_or(4).clamp(5, 24);
    let mut kind_w = shown.iter().filter_map(|a| a.kind.as_deref()).map(width).max().unwrap_or(0);
    let mut aff_w = shown.iter().filter_map(|a| affiliation(a)).map(|x| width(&x)).max().unwrap_or(0);
    let mut half = 7;
    let total = |name_w: usize, kind_w: usize, half: usize, aff_w: usize| {
        2 + name_w
            + if kind_w > 0 { 2 + kind_w } else { 0 }
            + 2
            + 8
            + if has_portrayal { 2 + 6 + 2 * half + 1 } else { 0 }
            + if aff_w > 0 { 2 + aff_w.max(11) } else { 0 }
    };
    while total(name_w, kind_w, half, aff_w) > w {
        if name_w > 16 {
            name_w -= 1;
        } else if half > 4 {
            half -= 1;
        } else if kind_w > 0 {
            kind_w = 0;
        } else if aff_w > 0 {
            aff_w = 0;
        } else if name_w > 8 {
            name_w -= 1;
        } else {
            break;
        }
    }
    let kind_col =
        |k: &str| if kind_w > 0 { format!("  {}", pad(&truncate(k, kind_w), kind_w)) } else { String::new() };
    let mut head = format!("  {}{}  {}", pad("actor", name_w), kind_col("kind"), pad_left("mentions", 8));
    if has_portrayal {
        head.push_str(&format!("  {}", pad("portrayal", 6 + 2 * half + 1)));
    }
    if aff_w > 0 {
        head.push_str("  affiliation");
    }
    let _ = writeln!(out, "{}", paint(head.trim_end(), Style::Dim, c));
    for a in shown {
        let mut line = format!(
            "  {}{}  {}",
            paint(&pad(&truncate(&a.name, name_w), name_w), Style::Cyan, c),
            kind_col(a.kind.as_deref().unwrap_or("")),
            pad_left(&a.mentions.to_string(), 8)
        );
        if has_portrayal {
            match a.portrayal {
                Some(p) => line.push_str(&format!(
                    "  {} {}",
                    paint(&signed(p), Style::for_score(p), c),
                    signed_bar(p, half, c)
                )),
                None => line.push_str(&format!("  {}", pad("  —", 6 + 2 * half + 1))),
            }
        }
        if let Some(aff) = affiliation(a).filter(|_| aff_w > 0) {
            line.push_str(&format!("  {aff}"));
        }
        let _ = writeln!(out, "{}", truncate_line(&line, w, c));
    }
    if actors.len() > MAX_ACTORS {
        let _ = writeln!(out, "{}", paint(&format!("  … and {} more", actors.len() - MAX_ACTORS), Style::Dim, c));
    }
}

/// Keeps a table row within the width; rows with escapes are short enough by construction
/// unless the terminal is very narrow, where the plain text is cut instead.
fn truncate_line(line: &str, w: usize, color: bool) -> String {
    if width(line) <= w || color {
        line.trim_end().to_string()
    } else {
        truncate(line.trim_end(), w)
    }
}

fn relations_section(out: &mut String, view: &View, w: usize, c: bool) {
    let relations = view.relations();
    if relations.is_empty() {
        return;
    }
    heading(out, "Relations (strongest first)", c);
    let shown: Vec<_> = relations.iter().take(MAX_RELATIONS).collect();
    let mut pair_w = shown.iter().map(|r| width(&r.source) + width(&r.target) + 3).max().unwrap_or(0).min(44);
    let mut kind_w = shown.iter().filter_map(|r| r.kind.as_deref()).map(width).max().unwrap_or(0);
    let count_w = shown.iter().map(|r| r.count.to_string().len() + 1).max().unwrap_or(2);
    let total = |pair_w: usize, kind_w: usize| 2 + pair_w + 2 + 5 + 1 + 8 + 2 + kind_w + 2 + count_w;
    while total(pair_w, kind_w) > w {
        if pair_w > 24 {
            pair_w -= 1;
        } else if kind_w > 0 {
            kind_w = 0;
        } else if pair_w > 10 {
            pair_w -= 1;
        } else {
            break;
        }
    }
    for r in shown {
        let pair = format!("{} → {}", r.source, r.target);
        let label = r.label.clone().unwrap_or_else(|| sign_label(r.polarity).to_string());
        let st = Style::for_score(r.polarity);
        let line = format!(
            "  {}  {} {}  {}  {}",
            pad(&truncate(&pair, pair_w), pair_w),
            paint(&signed(r.polarity), st, c),
            paint(&pad(&label, 8), st, c),
            pad(if kind_w == 0 { "" } else { r.kind.as_deref().unwrap_or("") }, kind_w),
            paint(&format!("×{}", r.count), Style::Dim, c)
        );
        let _ = writeln!(out, "{}", truncate_line(&line, w, c));
    }
    if relations.len() > MAX_RELATIONS {
        let more = format!("  … and {} more", relations.len() - MAX_RELATIONS);
        let _ = writeln!(out, "{}", paint(&more, Style::Dim, c));
    }
}

/// Stance toward the spans the user named as targets (input `target` annotations).
fn targets_section(out: &mut String, view: &View, w: usize, c: bool) {
    let mut targets: Vec<&RecordAnnotation> = view.layer("target_stance").collect();
    if targets.is_empty() {
        return;
    }
    targets.sort_by_key(|a| (a.start, a.end));
    heading(out, "Targets", c);
    let text_w = targets.iter().map(|a| width(a.text.trim())).max().unwrap_or(6).clamp(6, (w / 2).max(10));
    for a in targets {
        let label = a.label.clone().unwrap_or_default();
        let score = crate::view::target_score(a);
        let line = format!(
            "  {}  {} {}  {}",
            pad(&truncate(a.text.trim(), text_w), text_w),
            paint(&signed(score), Style::for_score(score), c),
            signed_bar(score, 5, c),
            label
        );
        let _ = writeln!(out, "{}", truncate_line(&line, w, c));
    }
}

fn rhetoric_section(out: &mut String, view: &View, w: usize, c: bool) {
    let counts = view.technique_counts();
    let spans = view.rhetoric();
    if counts.is_empty() && spans.is_empty() {
        return;
    }
    heading(out, "Rhetoric", c);
    let max = counts.first().map_or(0, |(_, n)| *n);
    let tech_w = counts.iter().map(|(t, _)| width(t)).max().unwrap_or(0).min(28);
    let bar_cells = w.saturating_sub(tech_w + 8).clamp(1, 16);
    for (t, n) in counts.iter().take(MAX_TECHNIQUES) {
        let bar = paint(&count_bar(*n, max, bar_cells), Style::Yellow, c);
        let _ = writeln!(out, "  {}  {:>3} {}", pad(&truncate(t, tech_w), tech_w), n, bar);
    }
    if counts.len() > MAX_TECHNIQUES {
        let rest: Vec<String> = counts[MAX_TECHNIQUES..].iter().map(|(t, n)| format!("{t} {n}")).collect();
        for line in wrap(&[(format!("also: {}", rest.join(", ")), Style::Dim)], w, "  ", c) {
            let _ = writeln!(out, "{line}");
        }
    }
    // The most confident spans, shown in text order.
    let mut chosen: Vec<&RecordAnnotation> = spans.clone();
    chosen.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)).then(a.start.cmp(&b.start)));
    chosen.truncate(MAX_RHETORIC);
    chosen.sort_by_key(|a| (a.start, a.end));
    for (i, a) in chosen.iter().enumerate() {
        let _ = writeln!(out);
        let technique = a.label.as_deref().unwrap_or("unlabelled");
        let mut head = format!("  {}. {}", i + 1, paint(technique, Style::Bold, c));
        if let Some(s) = a.score {
            head.push_str(&paint(&format!("  {:.2}", s), Style::Dim, c));
        }
        let _ = writeln!(out, "{head}");
        for line in wrap(&quoted_in_sentence(view, a, w, c), w, "     ", c) {
            let _ = writeln!(out, "{line}");
        }
        if let Some(expl) = a.attrs.get("explanation").and_then(|v| v.as_str()).filter(|e| !e.trim().is_empty()) {
            for line in wrap(&[(expl.to_string(), Style::Dim)], w, "     ", c) {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if spans.len() > chosen.len() {
        let more = format!("  … {} more spans (see --format html)", spans.len() - chosen.len());
        let _ = writeln!(out, "\n{}", paint(&more, Style::Dim, c));
    }
}

/// The span inside its sentence, marked `»…«` (highlighted in colour), with the sentence cut
/// to a few lines around the span when it is long.
fn quoted_in_sentence(view: &View, a: &RecordAnnotation, w: usize, c: bool) -> Vec<(String, Style)> {
    let (open, close) = if c { ("", "") } else { ("»", "«") };
    let Some(s) = view.sentence_around(a.start, a.end) else {
        return vec![(format!("“{open}{}{close}”", a.text.trim()), Style::Mark)];
    };
    let chars: Vec<char> = s.text.chars().collect();
    let (rs, re) = ((a.start - s.start).min(chars.len()), (a.end - s.start).min(chars.len()));
    let context = w.max(40);
    let mut from = rs.saturating_sub(context);
    let mut to = (re + context).min(chars.len());
    // Cut context at word boundaries.
    if from > 0 {
        while from < rs && !chars[from - 1].is_whitespace() {
            from += 1;
        }
    }
    if to < chars.len() {
        while to > re && !chars[to].is_whitespace() {
            to -= 1;
        }
    }
    let before: String = chars[from..rs].iter().collect();
    let inside: String = chars[rs..re].iter().collect();
    let after: String = chars[re..to].iter().collect();
    let lead = if from > 0 { "“…" } else { "“" };
    let tail = if to < chars.len() { "…”" } else { "”" };
    vec![
        (format!("{lead}{}", before.trim_start()), Style::Plain),
        (format!("{open}{inside}{close}"), Style::Mark),
        (format!("{}{tail}", after.trim_end()), Style::Plain),
    ]
}

fn others_section(out: &mut String, view: &View, w: usize, c: bool) {
    let unknown: Vec<(String, usize)> =
        view.layer_counts().into_iter().filter(|(l, _)| !KNOWN_LAYERS.contains(&l.as_str())).collect();
    let summaries = view.other_summaries();
    if unknown.is_empty() && summaries.is_empty() {
        return;
    }
    heading(out, "Other layers", c);
    for (layer, n) in unknown {
        let mut labels: Vec<String> = view.layer(&layer).filter_map(|a| a.label.clone()).collect();
        labels.sort();
        labels.dedup();
        let mut line = format!("  {layer}: {n} span{}", if n == 1 { "" } else { "s" });
        if !labels.is_empty() {
            line.push_str(&format!(" ({})", labels.join(", ")));
        }
        let _ = writeln!(out, "{}", truncate(&line, w));
    }
    for (key, value) in summaries {
        let shown = match num(Some(value)) {
            Some(x) => format!("{x}"),
            None => value.to_string(),
        };
        let _ = writeln!(out, "  {}", truncate(&format!("{key}: {shown}"), w.saturating_sub(2)));
    }
}

/// `12345` → `12,345`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(6469), "6,469");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn colour_only_when_asked() {
        let r: Record =
            serde_json::from_str(r#"{"id":"x","source":"s","chars":3,"summary":{"sentiment":{"compound":-0.5}}}"#)
                .unwrap();
        let plain = pretty(&r, &PrettyOptions { color: false, width: 80 });
        assert!(!plain.contains('\x1b'));
        assert!(plain.contains("−0.50 negative"));
        let coloured = pretty(&r, &PrettyOptions { color: true, width: 80 });
        assert!(coloured.contains("\x1b[31m"));
    }
}
