//! `cargo xtask browser-test` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`browser-test` is not implemented yet")
}
