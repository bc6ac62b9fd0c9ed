//! `cargo xtask train rhetoric` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`train rhetoric` is not implemented yet")
}
