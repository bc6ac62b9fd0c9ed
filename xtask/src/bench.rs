//! `cargo xtask bench [STAGE]`: throughput benchmarks.

use anyhow::{bail, Result};

#[path = "bench_sentiment.rs"]
mod sentiment;

pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("sentiment") => sentiment::run(&args[1..]),
        _ => bail!("the full-pipeline benchmark is not implemented yet; try `cargo xtask bench sentiment`"),
    }
}
