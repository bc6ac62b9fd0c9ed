//! How much of a text a resolver that tokenized only windows around capitalized words would
//! still have to tokenize (a development aid, for the speed work of issue 4):
//! `cargo run --release -p slant-actors --example windows -- FILES` (JSONL, `content_original`).
//!
//! Prints, for windows of `L` tokens before and `R` tokens after every capitalized token, the
//! share of all tokens inside some window, and the stretches of plain lower-case words (ASCII
//! letters only, one space before each, no possessive) between other tokens, with the share of
//! tokens that windows of the reach the passes need could skip inside them: the title's first
//! words and a token after the stretch's start (`T + 1`, or twelve after a comma in the twelve
//! tokens before it, for an apposition's clause) and two before its end (or `2T + 8` when a title
//! may start in the last `T + 1` words: a title's left walk), one gap token for the rest.

use slant_actors::lexicon::lexicon;
use slant_actors::tokens::{tokenize, Shape};

/// The longest title phrase, in tokens ("vice - president", "secretary of state").
const T: usize = 3;

/// Windows tried: tokens before and after each capitalized token.
const WINDOWS: [(usize, usize); 7] = [(0, 0), (0, 1), (1, 1), (2, 2), (2, 4), (3, 6), (8, 12)];

fn main() {
    let lex = lexicon();
    let mut tokens = 0usize;
    let mut capitalized = 0usize;
    let mut covered = [0usize; WINDOWS.len()];
    let mut stretches = [0usize; 12];
    let mut skippable = 0usize;
    for path in std::env::args().skip(1) {
        let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in data.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let text = v["content_original"].as_str().unwrap_or("");
            let bytes = text.as_bytes();
            let toks = tokenize(text, &[]);
            let n = toks.len();
            tokens += n;
            let cap: Vec<bool> = toks.iter().map(|t| t.is_capitalized()).collect();
            capitalized += cap.iter().filter(|&&c| c).count();
            for (w, &(before, after)) in WINDOWS.iter().enumerate() {
                let mut inside = vec![false; n];
                for i in (0..n).filter(|&i| cap[i]) {
                    inside[i.saturating_sub(before)..(i + after + 1).min(n)].fill(true);
                }
                covered[w] += inside.iter().filter(|&&x| x).count();
            }
            let plain = |i: usize| {
                let t = &toks[i];
                t.shape == Shape::Lower
                    && !t.possessive
                    && t.spaced
                    && bytes[t.start..t.end].iter().all(u8::is_ascii_lowercase)
            };
            let mut i = 0;
            while i < n {
                if !plain(i) {
                    i += 1;
                    continue;
                }
                let a = i;
                while i < n && plain(i) {
                    i += 1;
                }
                let len = i - a;
                stretches[len.min(11)] += 1;
                let comma = toks[a.saturating_sub(12)..a].iter().any(|t| &bytes[t.start..t.end] == b",");
                let head = if comma { 12 } else { T + 1 };
                let title_at_end = (i.saturating_sub(T + 1).max(a)..i).any(|x| {
                    let w = &bytes[toks[x].start..toks[x].end];
                    lex.may_start_title(w) && lex.may_be_title_word(w)
                });
                let tail = if title_at_end { 2 * T + 8 } else { 2 };
                skippable += len.saturating_sub(head + tail + 1);
            }
        }
    }
    let pct = |x: usize| 100.0 * x as f64 / tokens.max(1) as f64;
    println!("{tokens} tokens, {capitalized} capitalized ({:.1}%)", pct(capitalized));
    for (w, &(before, after)) in WINDOWS.iter().enumerate() {
        println!("windows of {before} before, {after} after: {:.1}% of the tokens", pct(covered[w]));
    }
    println!("stretches of plain lower-case words by length (1 to 10, 11 or more): {:?}", &stretches[1..]);
    println!("skippable inside them with the passes' reach: {:.1}% of the tokens", pct(skippable));
}
