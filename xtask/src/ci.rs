//! `cargo xtask ci`: what CI checks, runnable by anyone before pushing.

use anyhow::Result;

use crate::util::{cargo, run as sh};

pub fn run_ci() -> Result<()> {
    sh(cargo().args(["fmt", "--all", "--", "--check"]))?;
    sh(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    sh(cargo().args(["test", "--workspace"]))?;
    Ok(())
}

pub fn run(_args: &[String]) -> Result<()> {
    run_ci()
}
