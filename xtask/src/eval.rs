//! `cargo xtask eval <analyzer>`: measures an analyzer on `../shared/data` and prints figures.
//!
//! Each analyzer's evaluation lives in its own module; this file only dispatches.

use anyhow::{bail, Result};

#[path = "eval_actors.rs"]
mod actors;
#[path = "eval_rhetoric.rs"]
mod rhetoric;
#[path = "eval_sentiment.rs"]
mod sentiment;
#[path = "eval_stance.rs"]
mod stance;
#[path = "eval_structure.rs"]
mod structure;

pub fn run(args: &[String]) -> Result<()> {
    let Some((what, rest)) = args.split_first() else {
        bail!("usage: cargo xtask eval <structure|sentiment|actors|stance|rhetoric>");
    };
    match what.as_str() {
        "structure" => structure::run(rest),
        "sentiment" => sentiment::run(rest),
        "actors" => actors::run(rest),
        "stance" => stance::run(rest),
        "rhetoric" => rhetoric::run(rest),
        other => bail!("unknown evaluation `{other}` (structure, sentiment, actors, stance, rhetoric)"),
    }
}
