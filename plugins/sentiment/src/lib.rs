//! The `sentiment` analyzer: VADER-exact sentence sentiment with its reasons, and a news tone.
//!
//! - [`vader`]: an engine equal to vaderSentiment 3.3.2's `polarity_scores` (the library behind
//!   `slant vader`). Its lexicon comes from the `vader_sentiment` 0.1.1 crate, corrected to
//!   3.3.2 (`heart`, `hearts`, and the entries the crate's case-insensitive map merges).
//! - [`news`]: the news rules, VADER's rules run over a lexicon adjusted for news (our own
//!   lexicon file of idioms, conflict and diplomacy words and words that are neutral in news),
//!   with names that carry no valence and hedged or reported statements damped (the rule
//!   tone), and the scorer that gives the news tone.
//! - [`learned`]: the news tone itself, a linear model trained on NewsMTSC train by `cargo
//!   xtask train sentiment` that starts from the rule tone and weighs the sentence's words,
//!   lexicon categories and form (`data/news-tone-weights.tsv`); its evidence adds up to its
//!   sum. On one event in five held out of train, its Pearson r with the polarity is 0.575
//!   against 0.450 for the rule tone and 0.409 for VADER.
//! - [`analyzer`]: the `sentiment` layer (one annotation per body sentence, label from the
//!   news tone) and `summary.sentiment`.
//!
//! Text encoding: the engine scores Rust strings; `slant vader` decodes input bytes as UTF-8
//! and reads any byte that is not valid UTF-8 as Windows-1252 (what Python sees when it reads
//! such a file with `encoding="cp1252"`), documented in `slant vader --help`.

pub mod analyzer;
pub mod evidence;
pub mod learned;
pub mod news;
mod news_keys;
mod tone_table;
pub mod vader;

pub use analyzer::Sentiment;
pub use news::{news_tone, NewsScores};
pub use vader::{polarity_scores, Engine, Scores};

slant_core::register_analyzer!("sentiment", Sentiment);
