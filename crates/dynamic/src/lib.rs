//! The host side of Slant's plugin ABI: opens a dynamic library, checks that it is a Slant
//! plugin of the right ABI version built to unwind, and wraps each analyzer it exports as an
//! [`Analyzer`] with origin `dynamic`, so it joins the same pipeline as the built-ins.
//!
//! Libraries are never unloaded: analyzers, buffers and the log callback's registration would
//! dangle, and unloading Rust libraries that use thread-locals is unsound. Every error names
//! the library.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use libloading::Library;
use slant_core::{Analyzer, Document, Output};
use slant_sdk::abi::{
    self, AbiVersionFn, AnalyzeFn, DescribeFn, FreeFn, InitFn, SlantBuffer, ABI_VERSION, STATUS_OK, STATUS_PANIC,
};
use slant_sdk::wire::{self, AnalyzerInfo, Description};

/// Why a plugin library could not be loaded. Each message names the library and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("plugin `{}`: no such file", path.display())]
    NotFound { path: PathBuf },
    #[error("plugin `{}` is not a loadable shared library: {reason}", path.display())]
    NotALibrary { path: PathBuf, reason: String },
    #[error(
        "plugin `{}` is a shared library but not a Slant plugin: it exports no `{}` symbol \
         (plugins are built with `slant_sdk::export_analyzer!`)",
        path.display(),
        abi::SYMBOL_ABI_VERSION
    )]
    NoSlantSymbols { path: PathBuf },
    #[error(
        "plugin `{}` speaks plugin ABI version {found}, but this slant speaks version {expected}; \
         rebuild the plugin against a slant-sdk with ABI version {expected}",
        path.display()
    )]
    AbiMismatch { path: PathBuf, found: u32, expected: u32 },
    #[error("plugin `{}` lacks the symbol `{symbol}` that ABI version {ABI_VERSION} requires", path.display())]
    MissingSymbol { path: PathBuf, symbol: &'static str },
    #[error(
        "plugin `{}` was built with `panic = \"abort\"` and is refused: a panic in it would abort \
         slant itself instead of failing one document; rebuild it with the default \
         `panic = \"unwind\"` (remove `panic = \"abort\"` from its Cargo profile)",
        path.display()
    )]
    PanicAbort { path: PathBuf },
    #[error("plugin `{}`: invalid describe JSON: {reason}", path.display())]
    BadDescription { path: PathBuf, reason: String },
    #[error("plugin `{}`: `{call}` failed: {message}", path.display())]
    CallFailed { path: PathBuf, call: &'static str, message: String },
    #[error("plugin `{}` exports analyzer `{name}`, but {other} already has that name", path.display())]
    Duplicate { path: PathBuf, name: String, other: String },
}

impl LoadError {
    /// The library the error is about.
    pub fn path(&self) -> &Path {
        match self {
            LoadError::NotFound { path }
            | LoadError::NotALibrary { path, .. }
            | LoadError::NoSlantSymbols { path }
            | LoadError::AbiMismatch { path, .. }
            | LoadError::MissingSymbol { path, .. }
            | LoadError::PanicAbort { path }
            | LoadError::BadDescription { path, .. }
            | LoadError::CallFailed { path, .. }
            | LoadError::Duplicate { path, .. } => path,
        }
    }
}

/// The entry points of one loaded library. The library itself is leaked, so these function
/// pointers stay valid for the life of the process.
#[derive(Clone, Copy)]
struct Entry {
    analyze: AnalyzeFn,
    free: FreeFn,
}

/// One analyzer exported by a plugin library.
pub struct DynamicAnalyzer {
    path: PathBuf,
    index: u32,
    info: AnalyzerInfo,
    entry: Entry,
}

impl std::fmt::Debug for DynamicAnalyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamicAnalyzer").field("path", &self.path).field("name", &self.info.name).finish()
    }
}

/// Copies a plugin's buffer and hands it back to the plugin's own `free`.
fn take(entry: Entry, buffer: SlantBuffer) -> Vec<u8> {
    // SAFETY: the plugin filled `buffer` from its own allocation (ABI contract); we copy it
    // before freeing it, once, with the plugin's own `free`.
    unsafe {
        let bytes = buffer.as_slice().to_vec();
        (entry.free)(buffer);
        bytes
    }
}

impl DynamicAnalyzer {
    /// The library this analyzer comes from.
    pub fn library(&self) -> &Path {
        &self.path
    }

    /// Runs the plugin on `doc`, returning its output or why it failed (the message names the
    /// library).
    pub fn try_analyze(&self, doc: &Document) -> Result<Output, String> {
        let required = self.requires();
        let input = wire::encode_document(doc, Some(&required));
        let mut out = SlantBuffer::empty();
        // SAFETY: `input` outlives the call; `out` is a valid buffer the plugin writes.
        let status = unsafe { (self.entry.analyze)(self.index, input.as_ptr(), input.len(), &mut out) };
        let bytes = take(self.entry, out);
        match status {
            STATUS_OK => wire::decode_output(&bytes)
                .map_err(|e| format!("plugin `{}` returned invalid {e}", self.path.display())),
            STATUS_PANIC => {
                Err(format!("plugin `{}` panicked: {}", self.path.display(), String::from_utf8_lossy(&bytes)))
            }
            code => Err(format!(
                "plugin `{}` failed (status {code}): {}",
                self.path.display(),
                String::from_utf8_lossy(&bytes)
            )),
        }
    }
}

impl Analyzer for DynamicAnalyzer {
    fn name(&self) -> &str {
        &self.info.name
    }

    fn version(&self) -> &str {
        &self.info.version
    }

    fn description(&self) -> &str {
        &self.info.description
    }

    fn requires(&self) -> Vec<&str> {
        self.info.requires.iter().map(String::as_str).collect()
    }

    fn provides(&self) -> Vec<&str> {
        self.info.provides.iter().map(String::as_str).collect()
    }

    fn origin(&self) -> String {
        "dynamic".to_string()
    }

    fn path(&self) -> Option<&Path> {
        Some(&self.path)
    }

    /// A plugin that fails or panics on this document gives it an error diagnostic; the run
    /// goes on.
    fn analyze(&self, doc: &Document) -> Output {
        match self.try_analyze(doc) {
            Ok(out) => out,
            Err(message) => {
                let mut out = Output::new();
                out.error(&self.info.name, message);
                out
            }
        }
    }
}

/// libloading's `Display` for a failed `dlopen` is just "dlopen failed": the reason is in the
/// source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// The host's log sink for plugin events: they become `tracing` events of target
/// `slant::plugin`, with the plugin's own target as a field.
extern "C" fn host_log(level: u32, target: *const u8, target_len: usize, message: *const u8, message_len: usize) {
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: the ABI promises UTF-8 (we read it lossily anyway) valid for this call.
        let (target, message) = unsafe {
            let t = if target.is_null() { &[][..] } else { std::slice::from_raw_parts(target, target_len) };
            let m = if message.is_null() { &[][..] } else { std::slice::from_raw_parts(message, message_len) };
            (String::from_utf8_lossy(t), String::from_utf8_lossy(m))
        };
        match level {
            abi::LEVEL_ERROR => tracing::error!(target: "slant::plugin", plugin = %target, "{message}"),
            abi::LEVEL_WARN => tracing::warn!(target: "slant::plugin", plugin = %target, "{message}"),
            abi::LEVEL_INFO => tracing::info!(target: "slant::plugin", plugin = %target, "{message}"),
            abi::LEVEL_DEBUG => tracing::debug!(target: "slant::plugin", plugin = %target, "{message}"),
            _ => tracing::trace!(target: "slant::plugin", plugin = %target, "{message}"),
        }
    });
}

fn host_max_level() -> u32 {
    use tracing::level_filters::LevelFilter;
    match LevelFilter::current() {
        LevelFilter::OFF => abi::LEVEL_OFF,
        LevelFilter::ERROR => abi::LEVEL_ERROR,
        LevelFilter::WARN => abi::LEVEL_WARN,
        LevelFilter::INFO => abi::LEVEL_INFO,
        LevelFilter::DEBUG => abi::LEVEL_DEBUG,
        _ => abi::LEVEL_TRACE,
    }
}

/// Opens `path`, checks it and returns its analyzers. The library stays loaded for the rest of
/// the process, even on error (a half-initialised plugin may have registered thread-locals).
pub fn load(path: &Path) -> Result<Vec<Arc<dyn Analyzer>>, LoadError> {
    let shown = path.to_path_buf();
    if !path.exists() {
        return Err(LoadError::NotFound { path: shown });
    }
    // A bare file name would make dlopen search the system library path instead of opening
    // the file the user named.
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    // SAFETY: loading a library runs its initialisers. Loading a plugin means trusting it; the
    // user named it on the command line or in SLANT_PLUGIN_PATH.
    let library = unsafe { Library::new(&absolute) }
        .map_err(|e| LoadError::NotALibrary { path: shown.clone(), reason: error_chain(&e) })?;
    let library: &'static Library = Box::leak(Box::new(library));

    // SAFETY (all `get`s): the symbol types are those ABI version 1 defines; the version is
    // checked before any other symbol is used.
    let version: AbiVersionFn = unsafe { library.get::<AbiVersionFn>(abi::SYMBOL_ABI_VERSION) }
        .map(|s| *s)
        .map_err(|_| LoadError::NoSlantSymbols { path: shown.clone() })?;
    let found = version();
    if found != ABI_VERSION {
        return Err(LoadError::AbiMismatch { path: shown, found, expected: ABI_VERSION });
    }
    let symbol = |name: &'static str| LoadError::MissingSymbol { path: shown.clone(), symbol: name };
    let init: InitFn =
        unsafe { library.get::<InitFn>(abi::SYMBOL_INIT) }.map(|s| *s).map_err(|_| symbol(abi::SYMBOL_INIT))?;
    let describe: DescribeFn = unsafe { library.get::<DescribeFn>(abi::SYMBOL_DESCRIBE) }
        .map(|s| *s)
        .map_err(|_| symbol(abi::SYMBOL_DESCRIBE))?;
    let analyze: AnalyzeFn = unsafe { library.get::<AnalyzeFn>(abi::SYMBOL_ANALYZE) }
        .map(|s| *s)
        .map_err(|_| symbol(abi::SYMBOL_ANALYZE))?;
    let free: FreeFn =
        unsafe { library.get::<FreeFn>(abi::SYMBOL_FREE) }.map(|s| *s).map_err(|_| symbol(abi::SYMBOL_FREE))?;
    let entry = Entry { analyze, free };

    let call = |name: &'static str, status: i32, bytes: Vec<u8>| -> Result<Vec<u8>, LoadError> {
        if status == STATUS_OK {
            Ok(bytes)
        } else {
            let kind = if status == STATUS_PANIC { "panicked: " } else { "" };
            Err(LoadError::CallFailed {
                path: shown.clone(),
                call: name,
                message: format!("{kind}{}", String::from_utf8_lossy(&bytes)),
            })
        }
    };

    // Init first, so that what the analyzers' constructors log (they run in describe) reaches
    // our log. Neither call runs analyzer code in a panic = "abort" build, so such a library is
    // refused before anything of it could abort us.
    let mut out = SlantBuffer::empty();
    // SAFETY: `host_log` is a plain function that lives as long as the process.
    let status = unsafe { init(Some(host_log), host_max_level(), &mut out) };
    call(abi::SYMBOL_INIT, status, take(entry, out))?;

    let mut out = SlantBuffer::empty();
    // SAFETY: `out` is a valid buffer for the plugin to fill.
    let status = unsafe { describe(&mut out) };
    let bytes = call(abi::SYMBOL_DESCRIBE, status, take(entry, out))?;
    let description: Description = serde_json::from_slice(&bytes)
        .map_err(|e| LoadError::BadDescription { path: shown.clone(), reason: e.to_string() })?;
    if description.panic != "unwind" {
        return Err(if description.panic == "abort" {
            LoadError::PanicAbort { path: shown }
        } else {
            LoadError::BadDescription {
                path: shown,
                reason: format!("unknown panic strategy {:?} (expected \"unwind\")", description.panic),
            }
        });
    }
    if description.abi_version != ABI_VERSION {
        return Err(LoadError::AbiMismatch { path: shown, found: description.abi_version, expected: ABI_VERSION });
    }
    if description.analyzers.is_empty() {
        return Err(LoadError::BadDescription { path: shown, reason: "it exports no analyzer".into() });
    }
    for info in &description.analyzers {
        if info.name.trim().is_empty() || info.provides.is_empty() {
            return Err(LoadError::BadDescription {
                path: shown,
                reason: format!("analyzer {:?} needs a name and at least one provided layer", info.name),
            });
        }
    }

    tracing::debug!(
        plugin = %shown.display(),
        sdk = %description.sdk_version,
        analyzers = ?description.analyzers.iter().map(|a| &a.name).collect::<Vec<_>>(),
        "loaded plugin"
    );
    Ok(description
        .analyzers
        .into_iter()
        .enumerate()
        .map(|(index, info)| {
            Arc::new(DynamicAnalyzer { path: shown.clone(), index: index as u32, info, entry }) as Arc<dyn Analyzer>
        })
        .collect())
}

/// Loads every library in `paths` (in order) and appends its analyzers to `available`,
/// refusing an analyzer whose name is already taken, by a built-in or an earlier plugin.
pub fn load_all(paths: &[PathBuf], available: &mut Vec<Arc<dyn Analyzer>>) -> Result<(), LoadError> {
    for path in paths {
        for analyzer in load(path)? {
            if let Some(other) = available.iter().find(|a| a.name() == analyzer.name()) {
                let other = match other.path() {
                    Some(p) => format!("the analyzer of plugin `{}`", p.display()),
                    None => format!("the {} analyzer", other.origin()),
                };
                return Err(LoadError::Duplicate { path: path.clone(), name: analyzer.name().to_string(), other });
            }
            available.push(analyzer);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_and_a_text_file_are_refused_by_name() {
        let missing = Path::new("/definitely/not/here/libplugin.so");
        let err = load(missing).err().expect("refused");
        assert!(matches!(err, LoadError::NotFound { .. }), "{err}");
        assert_eq!(err.path(), missing);

        let dir = std::env::temp_dir().join(format!("slant-dynamic-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = dir.join("notes.so");
        std::fs::write(&text, "not a library").unwrap();
        let err = load(&text).err().expect("refused");
        let message = err.to_string();
        assert!(matches!(err, LoadError::NotALibrary { .. }), "{message}");
        assert!(message.contains("notes.so") && message.contains("not a loadable shared library"), "{message}");
        // The loader's reason (from libloading's source chain) follows its bare "dlopen failed".
        assert!(!message.ends_with("dlopen failed"), "{message}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn duplicate_names_name_the_library_and_the_other_analyzer() {
        let err = LoadError::Duplicate {
            path: PathBuf::from("/p/libx.so"),
            name: "structure".into(),
            other: "the builtin analyzer".into(),
        };
        assert_eq!(
            err.to_string(),
            "plugin `/p/libx.so` exports analyzer `structure`, but the builtin analyzer already has that name"
        );
    }
}
