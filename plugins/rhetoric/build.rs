//! Writes VADER's valence lexicon (the `vader_sentiment` crate's, MIT) into `OUT_DIR` as a
//! static string of words and an array of valences rounded to -4..=4 (nonzero only), so that the analyzer
//! does not parse the crate's text lexicon at run time (issue 9). The tagger's `Valence`
//! features read it through `features::valence_lexicon`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut rows: Vec<(String, i8)> = vader_sentiment::LEXICON
        .iter()
        .map(|(word, v)| (word.to_string(), v.round().clamp(-4.0, 4.0) as i8))
        .filter(|(_, b)| *b != 0)
        .collect();
    rows.sort();
    // One string of words and one array of valences rather than a list of `(&str, i8)`: a
    // list of string slices needs a pointer per word, which the loader relocates at every
    // start of the program (6,790 relocations, half of the binary's, and 163 KB of pages
    // written before `main`); this form needs none.
    let mut words = String::new();
    let mut values = Vec::with_capacity(rows.len());
    for (word, b) in &rows {
        assert!(!word.is_empty() && !word.contains('\n'), "lexicon word {word:?} is empty or holds a line break");
        if !words.is_empty() {
            words.push('\n');
        }
        words.push_str(word);
        values.push(*b);
    }
    let mut out = String::from(
        "/// VADER's words with a nonzero rounded valence, sorted, one per line (written by `build.rs`).\n",
    );
    let _ = writeln!(out, "pub static WORDS: &str = {words:?};");
    out.push_str("/// The valence of each word of [`WORDS`], rounded to -4..=4.\n");
    let _ = writeln!(out, "pub static VALUES: [i8; {}] = {values:?};", values.len());
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = Path::new(&dir).join("valence.rs");
    if let Err(e) = std::fs::write(&path, out) {
        panic!("cannot write {}: {e}", path.display());
    }
}
