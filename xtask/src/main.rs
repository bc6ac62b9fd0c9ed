//! `cargo xtask …`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! Each subcommand lives in its own module; this file only dispatches.

mod bench;
mod browser_test;
mod ci;
mod eval;
mod new_analyzer;
mod train;
mod util;

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  ci                         fmt check, clippy (warnings denied), tests
  new-analyzer NAME [--dynamic --path DIR]
                             scaffold an analyzer crate (in plugins/, or out of tree)
  bench [STAGE]              throughput benchmarks (writes BENCHMARKS.md rows)
  eval <structure|sentiment|actors|stance|rhetoric>
                             measure an analyzer on ../shared/data
  train <stance|rhetoric>    regenerate committed model weights from ../shared/data
  browser-test               render the seed's HTML report in headless Chromium";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((cmd, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(());
    };
    match cmd.as_str() {
        "ci" => ci::run(rest),
        "new-analyzer" => new_analyzer::run(rest),
        "bench" => bench::run(rest),
        "eval" => eval::run(rest),
        "train" => train::run(rest),
        "browser-test" => browser_test::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}
