//! `cargo xtask eval structure` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`eval structure` is not implemented yet")
}
