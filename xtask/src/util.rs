//! Helpers shared by xtask commands: locating the workspace and data, running commands.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The workspace root (the xtask crate sits one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// `../shared/data` beside the workspace, or `SLANT_DATA` if set.
#[allow(dead_code)]
pub fn data_dir() -> PathBuf {
    std::env::var_os("SLANT_DATA").map(PathBuf::from).unwrap_or_else(|| root().join("../shared/data"))
}

/// The cargo that runs us, so nested builds use the same toolchain.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()));
    c.current_dir(root());
    c
}

/// Runs a command, failing with its rendering if it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    eprintln!("$ {shown}");
    let status = cmd.status().with_context(|| format!("cannot start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Builds the release `slant` binary and returns its path.
#[allow(dead_code)]
pub fn release_slant() -> Result<PathBuf> {
    run(cargo().args(["build", "--release", "--quiet", "-p", "slant-cli", "--bin", "slant"]))?;
    Ok(target_dir().join("release/slant"))
}

#[allow(dead_code)]
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}
