//! Dynamic plugins through the real binary (issue 7): builds the example plugin and the test
//! plugins in `examples/plugins`, loads them with `--plugin` / `SLANT_PLUGIN_PATH`, and checks
//! each documented behaviour and exit code. No case may crash the host.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{self, Run};

/// Where the plugins are built: a directory of their own beside the other build output, so
/// they never contend with the workspace build and their dependencies compile once.
fn plugin_target_dir() -> PathBuf {
    let base =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| support::repo().join("target"));
    base.join("e2e-plugins")
}

fn cargo(args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    // The subcommand first, then our options, then the rest (which may end with `-- rustc flags`).
    let status = Command::new(&cargo)
        .arg(args[0])
        .arg("--target-dir")
        .arg(plugin_target_dir())
        .arg("--quiet")
        .args(&args[1..])
        .current_dir(support::repo())
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    assert!(status.success(), "`cargo {}` failed", args.join(" "));
}

/// Builds the plugins once per test run and returns the directory holding the libraries.
fn plugins() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        cargo(&["build", "--manifest-path", "examples/plugins/hedging/Cargo.toml"]);
        let testing = "examples/plugins/testing/Cargo.toml";
        cargo(&["build", "--manifest-path", testing, "--workspace", "--exclude", "slant-test-abort"]);
        // Only the plugin crate itself gets `panic=abort`; that is what the SDK's macro sees.
        cargo(&["rustc", "--manifest-path", testing, "-p", "slant-test-abort", "--lib", "--", "-C", "panic=abort"]);
        plugin_target_dir().join("debug")
    })
}

/// The path of a built plugin library, e.g. `lib("slant_hedging")`.
fn lib(name: &str) -> String {
    let file = format!("{}{name}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    let path = plugins().join(file);
    assert!(path.exists(), "plugin library {} was not built", path.display());
    path.display().to_string()
}

/// Runs `slant` with extra environment variables (the shared helper clears `RUST_LOG`).
fn slant_env(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slant"));
    cmd.args(args).env("NO_COLOR", "1").env_remove("RUST_LOG").env_remove("SLANT_PLUGIN_PATH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the slant binary runs");
    let _ = child.stdin.take().expect("stdin is piped").write_all(stdin);
    let out = child.wait_with_output().expect("slant finishes");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn slant(args: &[&str], stdin: &[u8]) -> Run {
    slant_env(args, stdin, &[])
}

/// Asserts a usage error (exit 2) whose message names `library` and says `what`, with no
/// record on stdout.
#[track_caller]
fn assert_refused(run: &Run, library: &str, what: &[&str]) {
    assert_eq!(run.status, 2, "expected a usage error, got {}: {}", run.status, run.stderr);
    assert!(run.stdout.trim().is_empty(), "a refused plugin must not produce records: {}", run.stdout);
    let file = Path::new(library).file_name().and_then(|f| f.to_str()).unwrap_or(library);
    assert!(run.stderr.contains(file), "the message must name {file}: {}", run.stderr);
    for w in what {
        assert!(run.stderr.contains(w), "the message must say {w:?}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("panicked at"), "the host must not crash: {}", run.stderr);
}

fn layer<'r>(record: &'r Value, name: &str) -> Vec<&'r Value> {
    record["annotations"].as_array().expect("annotations").iter().filter(|a| a["layer"] == name).collect()
}

fn errors(record: &Value) -> Vec<&Value> {
    record["diagnostics"].as_array().expect("diagnostics").iter().filter(|d| d["level"] == "error").collect()
}

#[test]
fn a_working_plugin_is_listed_as_dynamic_with_its_path() {
    let hedging = lib("slant_hedging");
    let run = slant(&["analyzers", "--plugin", &hedging, "--format", "json"], b"");
    assert_eq!(run.status, 0, "{}", run.stderr);
    let list: Value = serde_json::from_str(&run.stdout).expect("analyzers JSON");
    let entry = list.as_array().unwrap().iter().find(|a| a["name"] == "hedging").expect("hedging is listed");
    assert_eq!(entry["origin"], "dynamic");
    assert_eq!(entry["path"], hedging.as_str());
    assert_eq!(entry["provides"], serde_json::json!(["hedging"]));
    assert_eq!(entry["requires"], serde_json::json!(["sentence", "boilerplate"]));
    let structure = list.as_array().unwrap().iter().find(|a| a["name"] == "structure").expect("built-ins stay listed");
    assert_eq!(structure["origin"], "builtin");
    assert!(structure.get("path").is_none(), "built-in entries have no path: {structure}");

    let text = slant(&["analyzers", "--plugin", &hedging], b"");
    assert!(text.stdout.contains(&format!("(dynamic: {hedging})")), "{}", text.stdout);
}

#[test]
fn a_working_plugin_adds_its_layer_after_the_built_in_layers_it_requires() {
    let hedging = lib("slant_hedging");
    let text = "The ceasefire may have collapsed. Officials “clearly” disagree, sources say.";
    let input = serde_json::json!({"id": "h1", "text": text}).to_string();
    let run =
        slant(&["analyze", "--plugin", &hedging, "--analyzers", "hedging", "--format", "jsonl"], input.as_bytes());
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    assert_eq!(records.len(), 1);
    support::assert_record_shape(&records[0], text);
    let spans: Vec<(&str, &str)> = layer(&records[0], "hedging")
        .iter()
        .map(|a| (a["text"].as_str().unwrap(), a["label"].as_str().unwrap()))
        .collect();
    assert_eq!(spans, vec![("may have", "hedge"), ("clearly", "booster"), ("sources say", "hedge")]);
    let first = layer(&records[0], "hedging")[0];
    assert_eq!(first["attrs"]["kind"], "modal");
    assert!(first["attrs"]["explanation"].as_str().unwrap().contains("may have"));
    assert_eq!(records[0]["summary"]["hedging"]["hedges"], 2);
    assert_eq!(records[0]["summary"]["hedging"]["boosters"], 1);
}

#[test]
fn a_plugin_gets_its_required_built_in_layers_and_logs_through_the_host() {
    let panicky = lib("slant_test_panicky");
    let input = serde_json::json!({"id": "ok", "text": "A plugin runs here."}).to_string();
    let run = slant_env(
        &["analyze", "--plugin", &panicky, "--analyzers", "panicky", "--format", "jsonl"],
        input.as_bytes(),
        &[("RUST_LOG", "info")],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let records = run.records();
    let summary = &records[0]["summary"]["panicky"];
    assert_eq!(summary["layers"], serde_json::json!(["sentence"]), "only the required layers are sent: {summary}");
    assert!(
        run.stderr.contains("panicky sees document ok"),
        "the plugin's tracing event reaches the host's log: {}",
        run.stderr
    );
}

#[test]
fn a_plugin_that_panics_or_fails_on_one_document_fails_only_that_document() {
    let panicky = lib("slant_test_panicky");
    let docs = [
        serde_json::json!({"id": "a", "text": "First document about a plugin."}),
        serde_json::json!({"id": "b", "text": "This one says KABOOM."}),
        serde_json::json!({"id": "c", "text": "This one says FAILWORD."}),
        serde_json::json!({"id": "d", "text": "Last document."}),
    ];
    let input: String = docs.iter().map(|d| format!("{d}\n")).collect();
    for jobs in ["1", "3"] {
        let run = slant(
            &["analyze", "--plugin", &panicky, "--analyzers", "panicky", "--format", "jsonl", "--jobs", jobs],
            input.as_bytes(),
        );
        assert_eq!(run.status, 1, "some documents failed: exit 1 ({})", run.stderr);
        assert!(!run.stderr.contains("panicked at"), "the panic must not reach the host's stderr: {}", run.stderr);
        let records = run.records();
        let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["a", "b", "c", "d"], "every document keeps its record, in order");
        assert!(errors(&records[0]).is_empty() && errors(&records[3]).is_empty(), "{records:?}");
        assert!(records[0]["summary"]["panicky"]["sentences"].as_u64().is_some(), "{records:?}");
        let b = errors(&records[1]);
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(b[0]["analyzer"], "panicky");
        let message = b[0]["message"].as_str().unwrap();
        assert!(message.contains("panicked") && message.contains("KABOOM found in document b"), "{message}");
        assert!(message.contains("libslant_test_panicky") || message.contains("slant_test_panicky"), "{message}");
        let c = errors(&records[2]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c[0]["message"].as_str().unwrap().contains("FAILWORD found"), "{c:?}");
    }
}

#[test]
fn a_wrong_abi_version_is_refused_naming_both_versions() {
    let wrong = lib("slant_test_wrong_abi");
    let run = slant(&["analyze", "--plugin", &wrong, "-"], b"some text");
    assert_refused(&run, &wrong, &["ABI version 999", "speaks version 1"]);
}

#[test]
fn a_panic_abort_build_is_refused_and_says_why() {
    let abort = lib("slant_test_abort");
    let run = slant(&["analyze", "--plugin", &abort, "-"], b"some text");
    assert_refused(&run, &abort, &["panic = \"abort\"", "would abort slant"]);
    let listed = slant(&["analyzers", "--plugin", &abort], b"");
    assert_refused(&listed, &abort, &["refused"]);
}

#[test]
fn a_library_that_is_not_a_plugin_is_refused() {
    let other = lib("slant_test_not_a_plugin");
    let run = slant(&["analyze", "--plugin", &other, "-"], b"some text");
    assert_refused(&run, &other, &["not a Slant plugin", "slant_abi_version"]);
}

#[test]
fn a_file_that_is_not_a_library_is_refused_with_the_loader_reason() {
    let dir = plugin_target_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("not-a-library.so");
    std::fs::write(&fake, "this is text, not a shared library\n").unwrap();
    let fake = fake.display().to_string();
    let run = slant(&["analyze", "--plugin", &fake, "-"], b"some text");
    assert_refused(&run, &fake, &["not a loadable shared library"]);
    // libloading's own Display is only "dlopen failed": the reason from its source must follow.
    assert!(!run.stderr.trim_end().ends_with("dlopen failed"), "{}", run.stderr);

    let missing = dir.join("no-such-plugin.so").display().to_string();
    assert_refused(&slant(&["analyzers", "--plugin", &missing], b""), &missing, &["no such file"]);
}

#[test]
fn a_duplicate_analyzer_name_is_refused_naming_the_library() {
    let hedging = lib("slant_hedging");
    let run = slant(&["analyzers", "--plugin", &hedging, "--plugin", &hedging], b"");
    assert_refused(&run, &hedging, &["`hedging`", "already has that name"]);
}

#[test]
fn slant_plugin_path_loads_plugins_too() {
    let hedging = lib("slant_hedging");
    let panicky = lib("slant_test_panicky");
    let joined = std::env::join_paths([&hedging, &panicky]).unwrap();
    let run = slant_env(&["analyzers", "--format", "json"], b"", &[("SLANT_PLUGIN_PATH", joined.to_str().unwrap())]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    let dynamic: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["origin"] == "dynamic")
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(dynamic, ["hedging", "panicky"]);
}
