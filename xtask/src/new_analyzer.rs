//! `cargo xtask new-analyzer NAME [--dynamic --path DIR]`: scaffolds an analyzer crate that
//! builds, registers (or exports) itself and has a fixture test.
//!
//! In-tree (default): `plugins/NAME`, registered with `register_analyzer!` and added to
//! `crates/builtins` (its `use` list, `BUILTIN_NAMES` and Cargo.toml), so the linker keeps it.
//! Dynamic: an out-of-tree `cdylib` crate in DIR that depends on this checkout's `slant-sdk`
//! by path (it is not on crates.io), builds with `cargo build` and loads with
//! `slant --plugin`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::util;

const USAGE: &str = "usage: cargo xtask new-analyzer NAME [--dynamic --path DIR]

  NAME        the analyzer's name: lower-case letters, digits and `_`, starting with a letter
  --dynamic   scaffold an out-of-tree dynamic plugin (a cdylib using slant-sdk) instead of a
              built-in crate in plugins/
  --path DIR  where to create the dynamic plugin crate (DIR must not exist or be empty)";

pub fn run(args: &[String]) -> Result<()> {
    let mut name: Option<&str> = None;
    let mut dynamic = false;
    let mut path: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dynamic" => dynamic = true,
            "--path" => path = Some(PathBuf::from(it.next().context("--path needs a directory")?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            s if s.starts_with('-') => bail!("unknown option `{s}`\n\n{USAGE}"),
            s if name.is_none() => name = Some(s),
            s => bail!("unexpected argument `{s}`\n\n{USAGE}"),
        }
    }
    let Some(name) = name else { bail!("missing NAME\n\n{USAGE}") };
    check_name(name)?;
    if dynamic {
        let Some(dir) = path else { bail!("--dynamic needs --path DIR (where to create the plugin crate)") };
        scaffold_dynamic(name, &dir, &util::root())
    } else {
        if path.is_some() {
            bail!("--path is for --dynamic plugins; built-in analyzers go to plugins/{name}");
        }
        scaffold_builtin(name, &util::root())
    }
}

/// Analyzer names become layer names, crate names and Rust identifiers.
fn check_name(name: &str) -> Result<()> {
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        bail!("`{name}` is not a valid analyzer name: use lower-case letters, digits and `_`, starting with a letter");
    }
    Ok(())
}

/// `emotion_arc` → `EmotionArc`.
fn type_name(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The body both scaffolds share: the cue scan over sentences (one copy, so the in-tree and
/// the dynamic template cannot drift apart).
const CUE_SCAN: &str = r#"        let mut out = Output::new();
        let bytes = doc.text().as_bytes();
        for sentence in doc.layer("sentence") {
            for cue in CUES {
                let n = cue.len();
                let mut i = sentence.start;
                while i + n <= sentence.end {
                    // Comparing bytes, ASCII case-insensitively, keeps offsets exact for any
                    // text (lower-casing a string can change its byte length); an ASCII match
                    // always starts and ends on char boundaries.
                    // Share buttons and author bios are not the article's voice: skip them.
                    if bytes[i..i + n].eq_ignore_ascii_case(cue.as_bytes())
                        && whole_word(bytes, i, i + n)
                        && !doc.in_boilerplate(i, i + n)
                    {
                        out.push(
                            Annotation::new("{{name}}", i, i + n)
                                .with_label(*cue)
                                .with_attr("explanation", format!("the alarm word “{cue}”")),
                        );
                        i += n;
                    } else {
                        i += 1;
                    }
                }
            }
        }
"#;

fn fill(template: &str, name: &str, extra: &[(&str, &str)]) -> String {
    let mut s = template
        .replace("{{cue_scan}}", CUE_SCAN)
        .replace("{{name}}", name)
        .replace("{{Type}}", &type_name(name))
        .replace("{{crate}}", &format!("slant-{}", name.replace('_', "-")));
    s = s.replace("{{lib}}", &format!("slant_{name}"));
    for (k, v) in extra {
        s = s.replace(&format!("{{{{{k}}}}}"), v);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Dynamic, out of tree

fn scaffold_dynamic(name: &str, dir: &Path, root: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        bail!("{} already exists and is not empty", dir.display());
    }
    let sdk = root.join("crates/sdk");
    let sdk = sdk.canonicalize().with_context(|| format!("cannot find slant-sdk at {}", sdk.display()))?;
    let sdk = sdk.display().to_string();
    let extra = [("sdk", sdk.as_str())];
    write(&dir.join("Cargo.toml"), &fill(DYN_CARGO, name, &extra))?;
    write(&dir.join("src/lib.rs"), &fill(DYN_LIB, name, &extra))?;
    write(&dir.join("README.md"), &fill(DYN_README, name, &extra))?;
    write(&dir.join(".gitignore"), "/target\n")?;
    // Format with rustfmt's defaults, which `cargo fmt` will use in the new crate.
    let _ = std::process::Command::new("rustfmt").args(["--edition", "2021"]).arg(dir.join("src/lib.rs")).status();
    let lib = format!("{}slant_{name}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    // Absolute, so the printed commands work from any directory.
    let dir = &dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    println!("created dynamic plugin `{name}` in {}", dir.display());
    println!("  it depends on slant-sdk by path: {sdk}");
    println!("next:");
    println!("  cd {} && cargo test && cargo build --release", dir.display());
    println!("  slant analyze --plugin {}/target/release/{lib} YOUR_ARTICLE.txt", dir.display());
    Ok(())
}

const DYN_CARGO: &str = r#"[package]
name = "{{crate}}"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
# `cdylib` is what `slant --plugin` loads; `rlib` lets `cargo test` use the analyzer directly.
crate-type = ["cdylib", "rlib"]

[dependencies]
# slant-sdk is not published on crates.io: this path points into the Slant checkout that
# scaffolded this crate. Change it if you move that checkout.
slant-sdk = { path = "{{sdk}}" }

# A workspace of its own, so the crate builds wherever it lives (even inside another workspace).
[workspace]
"#;

const DYN_LIB: &str = r#"//! `{{name}}`: a Slant analyzer, loaded by `slant --plugin` as a dynamic library.
//!
//! Replace the cue list and `analyze` with your own idea. Offsets are byte offsets into
//! `doc.text()`, always on char boundaries; Slant converts them to code points in its output.

use slant_sdk::{json, Analyzer, Annotation, Document, Output};

/// Words this example marks. A real analyzer would load a lexicon or a model here.
const CUES: &[&str] = &["crisis", "threat", "escalation"];

#[derive(Default)]
pub struct {{Type}};

impl Analyzer for {{Type}} {
    fn name(&self) -> &str {
        "{{name}}"
    }

    fn version(&self) -> &str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &str {
        "marks alarm words (an example to replace)"
    }

    /// Layers this analyzer reads; `slant` runs their providers first and sends only these.
    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate"]
    }

    /// Layers (and summary sections) this analyzer adds.
    fn provides(&self) -> Vec<&str> {
        vec!["{{name}}"]
    }

    fn analyze(&self, doc: &Document) -> Output {
{{cue_scan}}        slant_sdk::tracing::debug!("{{name}}: {} cues in {}", out.annotations.len(), doc.id());
        let count = out.annotations.len();
        out.summary("{{name}}", json!({ "count": count }));
        out
    }
}

slant_sdk::export_analyzer!({{Type}});

/// Whether `start..end` is not part of a longer word.
fn whole_word(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
    let after = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
    before && after
}

#[cfg(test)]
mod tests {
    use super::*;
    use slant_sdk::testing;

    #[test]
    fn marks_cues_within_sentences() {
        let text = "The CRISIS deepened. Officials – calm – denied any threat, not threats.";
        let out = testing::run(&{{Type}}, text, &testing::sentences(text));
        testing::assert_spans(&out, text, "{{name}}", &[("CRISIS", Some("crisis")), ("threat", Some("threat"))]);
        assert_eq!(out.summary[0].1["count"], 2);
    }

    #[test]
    fn skips_boilerplate() {
        let text = "Share this crisis on Facebook.";
        let mut layers = testing::sentences(text);
        layers.push(testing::span(text, "boilerplate", "Share this crisis on Facebook."));
        let out = testing::run(&{{Type}}, text, &layers);
        assert!(testing::spans(&out, text, "{{name}}").is_empty());
    }
}
"#;

const DYN_README: &str = r#"# {{name}}

A Slant analyzer built as a dynamic plugin (scaffolded by `cargo xtask new-analyzer {{name}}
--dynamic`). It depends on `slant-sdk` by path into the Slant checkout at `{{sdk}}`.

```sh
cargo test                  # fixture tests through slant_sdk::testing
cargo build --release       # target/release/lib{{lib}}.so (.dylib on macOS, .dll on Windows)
slant analyzers --plugin target/release/lib{{lib}}.so
slant analyze --plugin target/release/lib{{lib}}.so article.txt
```

See `PLUGINS.md` in the Slant checkout for the guide.
"#;

// ---------------------------------------------------------------------------------------------
// Built-in, in plugins/

fn scaffold_builtin(name: &str, root: &Path) -> Result<()> {
    let dir = root.join("plugins").join(name);
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    let builtins_toml = root.join("crates/builtins/Cargo.toml");
    let builtins_lib = root.join("crates/builtins/src/lib.rs");
    let toml =
        std::fs::read_to_string(&builtins_toml).with_context(|| format!("cannot read {}", builtins_toml.display()))?;
    let lib =
        std::fs::read_to_string(&builtins_lib).with_context(|| format!("cannot read {}", builtins_lib.display()))?;
    // Compute every edit before writing anything, so a failure leaves the tree untouched.
    let crate_name = format!("slant-{}", name.replace('_', "-"));
    let toml = add_dependency(&toml, &crate_name, name)?;
    let lib = add_builtin(&lib, name)?;
    write(&dir.join("Cargo.toml"), &fill(BUILTIN_CARGO, name, &[]))?;
    write(&dir.join("src/lib.rs"), &fill(BUILTIN_LIB, name, &[]))?;
    write(&builtins_toml, &toml)?;
    write(&builtins_lib, &lib)?;
    // Keep CI's format check green: BUILTIN_NAMES may now need wrapping.
    let _ = std::process::Command::new("rustfmt")
        .args(["--edition", "2021", "--config-path"])
        .arg(root.join("rustfmt.toml"))
        .arg(&builtins_lib)
        .arg(dir.join("src/lib.rs"))
        .status();
    println!("created built-in analyzer `{name}` in {}", dir.display());
    println!("  registered in crates/builtins (use list, BUILTIN_NAMES, Cargo.toml)");
    println!("next: cargo test -p {crate_name} -p slant-builtins");
    Ok(())
}

/// Adds `crate = { path = "../../plugins/NAME" }` after the last `slant-` path dependency.
fn add_dependency(toml: &str, crate_name: &str, name: &str) -> Result<String> {
    if toml.lines().any(|l| l.trim_start().starts_with(&format!("{crate_name} "))) {
        bail!("crates/builtins/Cargo.toml already depends on {crate_name}");
    }
    let line = format!("{crate_name} = {{ path = \"../../plugins/{name}\" }}");
    let mut lines: Vec<&str> = toml.lines().collect();
    let deps = lines
        .iter()
        .position(|l| l.trim() == "[dependencies]")
        .context("no [dependencies] in crates/builtins/Cargo.toml")?;
    let mut at = deps + 1;
    for (i, l) in lines.iter().enumerate().skip(deps + 1) {
        if l.trim_start().starts_with('[') {
            break;
        }
        if l.trim_start().starts_with("slant-") {
            at = i + 1;
        }
    }
    lines.insert(at, &line);
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Adds `use slant_NAME as _;` to the sorted `use … as _;` list and NAME to `BUILTIN_NAMES`.
fn add_builtin(lib: &str, name: &str) -> Result<String> {
    let use_line = format!("use slant_{name} as _;");
    if lib.contains(&use_line) {
        bail!("crates/builtins already uses slant_{name}");
    }
    let mut lines: Vec<String> = lib.lines().map(str::to_string).collect();
    let uses: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("use slant_") && l.ends_with(" as _;"))
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (uses.first(), uses.last()) else {
        bail!("no `use slant_… as _;` list in crates/builtins/src/lib.rs");
    };
    let at = uses.iter().copied().find(|&i| lines[i].as_str() > use_line.as_str()).unwrap_or(last + 1);
    debug_assert!(at >= first);
    lines.insert(at, use_line);
    let mut out = lines.join("\n");
    out.push('\n');

    let key = "BUILTIN_NAMES: &[&str] = &[";
    let start = out.find(key).context("no BUILTIN_NAMES in crates/builtins/src/lib.rs")? + key.len();
    let end = start + out[start..].find("];").context("BUILTIN_NAMES is not closed by `];`")?;
    let mut names: Vec<String> =
        out[start..end].split(',').map(|s| s.trim().trim_matches('"').to_string()).filter(|s| !s.is_empty()).collect();
    if names.iter().any(|n| n == name) {
        bail!("`{name}` is already in BUILTIN_NAMES");
    }
    names.push(name.to_string());
    names.sort();
    let list = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    out.replace_range(start..end, &list);
    Ok(out)
}

const BUILTIN_CARGO: &str = r#"[package]
name = "{{crate}}"
description = "The `{{name}}` analyzer."
version.workspace = true
edition.workspace = true
license.workspace = true

[dependencies]
slant-core.workspace = true
serde_json.workspace = true
"#;

const BUILTIN_LIB: &str = r#"//! The `{{name}}` analyzer (scaffolded by `cargo xtask new-analyzer`): replace the cue list and
//! `analyze` with the real thing, and document its layer in `LAYERS.md`.

use serde_json::json;
use slant_core::{Analyzer, Annotation, Document, Output, Settings};

/// Words this example marks.
const CUES: &[&str] = &["crisis", "threat", "escalation"];

#[derive(Debug, Default)]
pub struct {{Type}};

impl {{Type}} {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok({{Type}})
    }
}

impl Analyzer for {{Type}} {
    fn name(&self) -> &str {
        "{{name}}"
    }

    fn description(&self) -> &str {
        "marks alarm words (an example to replace)"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["{{name}}"]
    }

    fn analyze(&self, doc: &Document) -> Output {
{{cue_scan}}        let count = out.annotations.len();
        out.summary("{{name}}", json!({ "count": count }));
        out
    }
}

slant_core::register_analyzer!("{{name}}", {{Type}});

/// Whether `start..end` is not part of a longer word.
fn whole_word(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
    let after = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
    before && after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_cues_within_sentences() {
        let text = "The crisis deepened. Officials – calm – denied any threat.";
        let mut doc = Document::new("fixture", text);
        let second = text.find("Officials").unwrap();
        doc.add_annotations(vec![
            Annotation::new("sentence", 0, second - 1),
            Annotation::new("sentence", second, text.len()),
        ]);
        let out = {{Type}}.analyze(&doc);
        let found: Vec<&str> = out.annotations.iter().map(|a| a.text(text)).collect();
        assert_eq!(found, ["crisis", "threat"]);
    }

    #[test]
    fn is_registered() {
        assert!(slant_core::registered().iter().any(|r| r.name == "{{name}}"));
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    const LIB: &str = "//! x\n\nuse slant_actors as _;\nuse slant_structure as _;\n\npub const BUILTIN_NAMES: &[&str] = &[\"actors\", \"structure\"];\n";
    const TOML: &str = "[package]\nname = \"b\"\n\n[dependencies]\nslant-core.workspace = true\nslant-actors = { path = \"../../plugins/actors\" }\n\n[dev-dependencies]\n";

    #[test]
    fn builtins_get_the_use_line_the_name_and_the_dependency_in_order() {
        let lib = add_builtin(LIB, "hedging").unwrap();
        assert!(lib.contains("use slant_actors as _;\nuse slant_hedging as _;\nuse slant_structure as _;"), "{lib}");
        assert!(lib.contains("&[\"actors\", \"hedging\", \"structure\"];"), "{lib}");
        let lib = add_builtin(LIB, "zeta").unwrap();
        assert!(lib.contains("use slant_structure as _;\nuse slant_zeta as _;"), "{lib}");
        assert!(add_builtin(LIB, "actors").is_err());
        let toml = add_dependency(TOML, "slant-hedging", "hedging").unwrap();
        assert!(toml.contains(
            "slant-actors = { path = \"../../plugins/actors\" }\nslant-hedging = { path = \"../../plugins/hedging\" }\n\n[dev-dependencies]"
        ), "{toml}");
        assert!(add_dependency(&toml, "slant-hedging", "hedging").is_err());
    }

    #[test]
    fn names_are_checked_and_typed() {
        assert!(check_name("emotion_arc2").is_ok());
        for bad in ["Emotion", "2x", "a-b", ""] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(type_name("emotion_arc"), "EmotionArc");
    }

    #[test]
    fn templates_leave_no_placeholder() {
        for t in [DYN_CARGO, DYN_LIB, DYN_README, BUILTIN_CARGO, BUILTIN_LIB] {
            let filled = fill(t, "my_cues", &[("sdk", "/x/crates/sdk")]);
            assert!(!filled.contains("{{"), "{filled}");
        }
    }
}
