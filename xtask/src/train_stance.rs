//! `cargo xtask train stance` (not written yet).

use anyhow::{bail, Result};

pub fn run(_args: &[String]) -> Result<()> {
    bail!("`train stance` is not implemented yet")
}
