//! `cargo xtask train <model>`: regenerates committed model weights from `../shared/data`.

use anyhow::{bail, Result};

// `eval rhetoric` shares this module's PTC reader.
#[path = "train_rhetoric.rs"]
pub(crate) mod rhetoric;
// `eval stance` shares this module's data readers and scorer.
#[path = "train_stance.rs"]
pub(crate) mod stance;
// `eval sentiment` shares this module's NewsMTSC reader and measures.
#[path = "train_sentiment.rs"]
pub(crate) mod sentiment;

pub fn run(args: &[String]) -> Result<()> {
    let Some((what, rest)) = args.split_first() else {
        bail!("usage: cargo xtask train <stance|rhetoric|sentiment>");
    };
    match what.as_str() {
        "stance" => stance::run(rest),
        "rhetoric" => rhetoric::run(rest),
        "sentiment" => sentiment::run(rest),
        other => bail!("unknown model `{other}` (stance, rhetoric, sentiment)"),
    }
}
