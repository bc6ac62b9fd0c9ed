//! `cargo xtask eval actors` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`eval actors` is not implemented yet")
}
