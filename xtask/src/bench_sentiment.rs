//! `cargo xtask bench sentiment` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`bench sentiment` is not implemented yet")
}
