//! `cargo xtask eval rhetoric` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`eval rhetoric` is not implemented yet")
}
