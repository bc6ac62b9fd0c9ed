//! Gathers the analyzers a run can use: the registered built-ins and any dynamic plugins.

use std::path::PathBuf;
use std::sync::Arc;

use slant_core::{Analyzer, Settings};

/// Builds every built-in analyzer with `settings`, then loads the dynamic plugins. Errors name
/// the analyzer or library at fault.
pub fn available(settings: &Settings, plugins: &[PathBuf]) -> Result<Vec<Arc<dyn Analyzer>>, String> {
    slant_builtins::link();
    let mut all: Vec<Arc<dyn Analyzer>> = Vec::new();
    for reg in slant_core::registered() {
        let a = (reg.build)(settings).map_err(|e| format!("analyzer `{}`: {e}", reg.name))?;
        all.push(Arc::from(a));
    }
    // Plugins come after the built-ins so that a name clash is reported against the plugin.
    slant_dynamic::load_all(&plugin_paths(plugins), &mut all).map_err(|e| e.to_string())?;
    Ok(all)
}

/// `--plugin` paths, then those in `SLANT_PLUGIN_PATH` (separated like `PATH`).
fn plugin_paths(cli: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths = cli.to_vec();
    if let Some(env) = std::env::var_os("SLANT_PLUGIN_PATH") {
        paths.extend(std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()));
    }
    paths
}
