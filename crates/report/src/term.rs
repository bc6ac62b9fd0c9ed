//! Terminal drawing primitives: display width, ANSI styles, word wrapping of styled text, and
//! the small bars the report uses for tone and portrayal.

use unicode_width::UnicodeWidthChar;

/// A text style; rendered as ANSI escapes only when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Plain,
    Bold,
    Dim,
    Red,
    Green,
    Yellow,
    Cyan,
    /// The highlighted span inside a quoted sentence.
    Mark,
    Heading,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Plain => "",
            Style::Bold => "\x1b[1m",
            Style::Dim => "\x1b[2m",
            Style::Red => "\x1b[31m",
            Style::Green => "\x1b[32m",
            Style::Yellow => "\x1b[33m",
            Style::Cyan => "\x1b[36m",
            Style::Mark => "\x1b[1;30;43m",
            Style::Heading => "\x1b[1;4m",
        }
    }

    /// The style for a signed score: red below the neutral band, green above.
    pub fn for_score(score: f64) -> Style {
        if score >= 0.05 {
            Style::Green
        } else if score <= -0.05 {
            Style::Red
        } else {
            Style::Dim
        }
    }
}

/// Wraps `s` in the style's escapes when `color` is on.
pub fn paint(s: &str, style: Style, color: bool) -> String {
    if !color || style == Style::Plain || s.is_empty() {
        s.to_string()
    } else {
        format!("{}{s}\x1b[0m", style.code())
    }
}

/// Terminal columns taken by `s`, ignoring ANSI escape sequences.
pub fn width(s: &str) -> usize {
    let mut w = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Skip a CSI sequence: ESC [ params final-byte.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        w += c.width().unwrap_or(0);
    }
    w
}

/// Cuts `s` to at most `max` columns, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to `w` columns (left-aligned).
pub fn pad(s: &str, w: usize) -> String {
    let have = width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(have)))
}

/// Pads `s` with spaces to `w` columns (right-aligned).
pub fn pad_left(s: &str, w: usize) -> String {
    let have = width(s);
    format!("{}{s}", " ".repeat(w.saturating_sub(have)))
}

/// Word-wraps styled pieces of text to `width` columns. Every line starts with `indent`
/// (already counted in the width); a word longer than a line is split. Whitespace runs,
/// including line breaks inside the text, collapse to one space.
pub fn wrap(pieces: &[(String, Style)], width_cols: usize, indent: &str, color: bool) -> Vec<String> {
    let room = width_cols.saturating_sub(width(indent)).max(10);
    // Words as lists of styled fragments, so a word may change style midway (`»word«,`).
    let mut words: Vec<Vec<(String, Style)>> = Vec::new();
    let mut current: Vec<(String, Style)> = Vec::new();
    for (text, style) in pieces {
        for c in text.chars() {
            if c.is_whitespace() {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
                continue;
            }
            match current.last_mut() {
                Some((s, st)) if st == style => s.push(c),
                _ => current.push((c.to_string(), *style)),
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }

    let mut lines = Vec::new();
    let mut line: Vec<(String, Style)> = Vec::new();
    let mut used = 0;
    let flush = |line: &mut Vec<(String, Style)>, lines: &mut Vec<String>| {
        let mut s = indent.to_string();
        for (t, st) in line.drain(..) {
            s.push_str(&paint(&t, st, color));
        }
        lines.push(s.trim_end().to_string());
    };
    for word in words {
        let w: usize = word.iter().map(|(t, _)| width(t)).sum();
        if used > 0 && used + 1 + w > room {
            flush(&mut line, &mut lines);
            used = 0;
        }
        if used > 0 {
            // The space takes the style of what surrounds it, so a marked phrase stays one block.
            let st = match (line.last(), word.first()) {
                (Some((_, a)), Some((_, b))) if a == b => *a,
                _ => Style::Plain,
            };
            line.push((" ".to_string(), st));
            used += 1;
        }
        if w <= room {
            line.extend(word);
            used += w;
            continue;
        }
        // A word wider than the line: split it by columns.
        for (t, st) in word {
            for c in t.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > room {
                    flush(&mut line, &mut lines);
                    used = 0;
                }
                match line.last_mut() {
                    Some((s, last)) if *last == st => s.push(c),
                    _ => line.push((c.to_string(), st)),
                }
                used += cw;
            }
        }
    }
    if !line.is_empty() {
        flush(&mut line, &mut lines);
    }
    // Merge adjacent same-style fragments' escapes is cosmetic; lines are already correct.
    lines
}

/// The width of the terminal on standard output, when it is one.
pub fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size().map(|(w, _)| w.0 as usize).filter(|w| *w > 0)
}

/// A signed bar for a score in [-1, 1]: `half` cells each side of a centre line, filled from
/// the centre towards the sign, e.g. `   ███│     ` for -0.6 with half = 5.
pub fn signed_bar(score: f64, half: usize, color: bool) -> String {
    let score = if score.is_finite() { score.clamp(-1.0, 1.0) } else { 0.0 };
    let cells = (score.abs() * half as f64).round() as usize;
    let cells = cells.min(half);
    let (left, right) = if score < 0.0 {
        (format!("{}{}", "·".repeat(half - cells), paint(&"█".repeat(cells), Style::Red, color)), "·".repeat(half))
    } else {
        ("·".repeat(half), format!("{}{}", paint(&"█".repeat(cells), Style::Green, color), "·".repeat(half - cells)))
    };
    format!("{left}│{right}")
}

/// A plain proportion bar: `n` of `max` as up to `cells` blocks.
pub fn count_bar(n: u64, max: u64, cells: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let filled = ((n as f64 / max as f64) * cells as f64).round().max(if n > 0 { 1.0 } else { 0.0 }) as usize;
    "▇".repeat(filled.min(cells))
}

/// A signed number with a true minus sign and two decimals: `+0.25`, `−0.62`, ` 0.00`.
pub fn signed(x: f64) -> String {
    if x.abs() < 0.005 {
        " 0.00".to_string()
    } else if x < 0.0 {
        format!("−{:.2}", -x)
    } else {
        format!("+{x:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Vec<(String, Style)> {
        vec![(s.to_string(), Style::Plain)]
    }

    #[test]
    fn wrap_respects_width_and_indent() {
        let lines = wrap(&plain("the quick brown fox jumps over the lazy dog"), 16, "  ", false);
        assert_eq!(lines, vec!["  the quick", "  brown fox", "  jumps over the", "  lazy dog"]);
        assert!(lines.iter().all(|l| width(l) <= 16));
    }

    #[test]
    fn wrap_splits_overlong_words_and_collapses_whitespace() {
        let lines = wrap(&plain("a\n\n  abcdefghijklmnopqrstuvwxyz b"), 12, "", false);
        assert_eq!(lines, vec!["a", "abcdefghijkl", "mnopqrstuvwx", "yz b"]);
    }

    #[test]
    fn wrap_counts_wide_characters_and_ignores_escapes() {
        let lines = wrap(&plain("日本語 日本語 日本語"), 14, "", false);
        assert_eq!(lines, vec!["日本語 日本語", "日本語"]);
        let coloured = wrap(&[("red words here".into(), Style::Red)], 10, "", true);
        assert_eq!(coloured.len(), 2);
        assert!(coloured.iter().all(|l| width(l) <= 10));
        assert!(coloured[0].contains("\x1b[31m"));
    }

    #[test]
    fn signed_bar_fills_from_the_centre() {
        assert_eq!(signed_bar(-0.6, 5, false), "··███│·····");
        assert_eq!(signed_bar(1.0, 5, false), "·····│█████");
        assert_eq!(signed_bar(0.0, 3, false), "···│···");
        assert_eq!(signed_bar(f64::NAN, 2, false), "··│··");
        assert_eq!(width(&signed_bar(-0.3, 5, true)), 11);
    }

    #[test]
    fn count_bar_shows_at_least_one_cell_for_nonzero() {
        assert_eq!(count_bar(1, 100, 10), "▇");
        assert_eq!(count_bar(5, 10, 10), "▇▇▇▇▇");
        assert_eq!(count_bar(0, 10, 10), "");
    }

    #[test]
    fn truncate_and_signed() {
        assert_eq!(truncate("abcdefgh", 5), "abcd…");
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(signed(-0.624), "−0.62");
        assert_eq!(signed(0.001), " 0.00");
    }
}
