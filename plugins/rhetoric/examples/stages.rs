//! Times each stage of the analyzer on a JSONL corpus, for profiling (issue 9):
//! `cargo run --release -p slant-rhetoric --example stages -- FILE.jsonl [FIELD] [ROUNDS]`
//! (FIELD defaults to `content_original`, ROUNDS to 3; the best round of each stage counts).
//! Sentences come from `text::split_sentences`, as on bare text, not from `structure`.

use std::time::Instant;

use slant_core::Settings;
use slant_rhetoric::features::{token_logit, Prepared};
use slant_rhetoric::lexicon::Lexicon;
use slant_rhetoric::model::{sigmoid, TAG_BITS};
use slant_rhetoric::text::split_sentences;
use slant_rhetoric::{devices, embedded_lexicon, embedded_model, Rhetoric};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: stages FILE.jsonl [FIELD] [ROUNDS]");
        std::process::exit(2);
    };
    let field = args.get(1).map_or("content_original", String::as_str);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let data = match std::fs::read_to_string(path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let texts: Vec<String> = data
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get(field).and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t0 = Instant::now();
    let (lexicon, model) = match (embedded_lexicon(), embedded_model()) {
        (Ok(l), Ok(m)) => (l, m),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("rhetoric: {e}");
            std::process::exit(1);
        }
    };
    eprintln!("{} texts, {bytes} bytes; lexicon and model built in {:.1} ms", texts.len(), ms(t0));
    let sentences: Vec<Vec<(usize, usize)>> = texts.iter().map(|t| split_sentences(t)).collect();
    let analyzer = Rhetoric::from_settings(&Settings::default()).unwrap_or_else(|e| {
        eprintln!("rhetoric: {e}");
        std::process::exit(1)
    });
    let prepared: Vec<Prepared> =
        texts.iter().zip(&sentences).map(|(t, s)| Prepared::new(t, s, lexicon.find(t))).collect();
    let mut sink = 0usize;
    let mut stage = |name: &str, f: &mut dyn FnMut(usize) -> usize| {
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let t = Instant::now();
            for k in 0..texts.len() {
                sink = sink.wrapping_add(f(k));
            }
            best = best.min(ms(t));
        }
        eprintln!("{name:<22} {best:>8.1} ms {:>7.1} MB/s", bytes as f64 / 1e3 / best.max(1e-9));
    };
    stage("lexicon.find", &mut |k| lexicon.find(&texts[k]).len());
    // The automaton the lexicon's trie replaced, for comparison (matches only, no boundaries).
    let (pats, _) = Lexicon::patterns();
    let automaton = aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&pats)
        .expect("automaton");
    stage("aho-corasick DFA (old)", &mut |k| automaton.find_iter(&texts[k]).count());
    stage("Prepared::new", &mut |k| Prepared::new(&texts[k], &sentences[k], Vec::new()).tokens.len());
    stage("model.tag", &mut |k| model.tag(&prepared[k]).len());
    stage("token_logit (ref)", &mut |k| {
        let p = &prepared[k];
        let mut on = 0;
        for &(a, b) in &p.sentences {
            for i in a..b {
                on += (sigmoid(token_logit(p, a, b, i, TAG_BITS, &model.tagger)) >= 0.5) as usize;
            }
        }
        on
    });
    stage("rhetorical_questions", &mut |k| devices::rhetorical_questions(&texts[k], &sentences[k]).len());
    stage("scare_quotes", &mut |k| devices::scare_quotes(&texts[k]).len());
    stage("parenthetical_sarcasm", &mut |k| devices::parenthetical_sarcasm(&texts[k]).len());
    stage("slogans", &mut |k| devices::slogans(&texts[k], &sentences[k]).len());
    stage("either_or", &mut |k| devices::either_or(&texts[k], &prepared[k]).len());
    stage("repetition", &mut |k| devices::repetition(&texts[k], &prepared[k]).len());
    stage("find (all)", &mut |k| analyzer.find(&texts[k], &sentences[k]).len());
    eprintln!("(checksum {sink})");
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
