//! `cargo xtask new-analyzer` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`new-analyzer` is not implemented yet")
}
