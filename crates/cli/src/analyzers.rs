//! `slant analyzers`: lists what a run can use, with metadata and origin.

use serde_json::json;
use slant_core::Settings;

use crate::args::{AnalyzersArgs, ListFormat};
use crate::Failure;

pub fn run(args: AnalyzersArgs) -> Result<bool, Failure> {
    let all = crate::catalog::available(&Settings::default(), &args.plugins).map_err(Failure::Usage)?;
    let mut all = all;
    all.sort_by(|a, b| a.name().cmp(b.name()));
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = all
                .iter()
                .map(|a| {
                    let mut entry = json!({
                        "name": a.name(),
                        "version": a.version(),
                        "description": a.description(),
                        "requires": a.requires(),
                        "provides": a.provides(),
                        "origin": a.origin(),
                    });
                    // Only dynamic analyzers have a path; built-in entries keep their shape.
                    if let Some(path) = a.path() {
                        entry["path"] = json!(path.display().to_string());
                    }
                    entry
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        }
        ListFormat::Text => {
            for a in &all {
                match a.path() {
                    Some(path) => println!("{} {} ({}: {})", a.name(), a.version(), a.origin(), path.display()),
                    None => println!("{} {} ({})", a.name(), a.version(), a.origin()),
                }
                println!("    {}", a.description());
                println!("    requires: {}", list_or_none(&a.requires()));
                println!("    provides: {}", list_or_none(&a.provides()));
            }
        }
    }
    Ok(true)
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        items.join(", ")
    }
}
