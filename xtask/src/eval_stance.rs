//! `cargo xtask eval stance` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`eval stance` is not implemented yet")
}
