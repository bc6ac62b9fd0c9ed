//! `cargo xtask eval sentiment` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`eval sentiment` is not implemented yet")
}
