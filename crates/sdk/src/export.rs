//! The plugin side of the C ABI, called by the functions `export_analyzer!` emits. Every entry
//! point runs plugin code inside `catch_unwind`, so a panic becomes [`STATUS_PANIC`] and a
//! message instead of unwinding into the host (which would be undefined behaviour).

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Once, OnceLock};

use slant_core::Analyzer;

use crate::abi::{LogCallback, SlantBuffer, ABI_VERSION, STATUS_ERROR, STATUS_OK, STATUS_PANIC};
use crate::wire::{self, AnalyzerInfo, Description};

type Analyzers = Result<Vec<Box<dyn Analyzer>>, String>;

/// The plugin's analyzers, built once. The library is never unloaded, so they live as long as
/// the process.
static ANALYZERS: OnceLock<Analyzers> = OnceLock::new();
static PANIC_HOOK: Once = Once::new();

thread_local! {
    /// The last panic's message and location on this thread, recorded by our panic hook so the
    /// status message can say where plugin code panicked.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        // This hook lives in the plugin's own copy of std, so it sees only panics raised in the
        // plugin. It replaces the default hook (which would print to the host's stderr) with a
        // record of the message for the status and a debug event for the host's log.
        std::panic::set_hook(Box::new(|info| {
            let message = slant_core::pipeline::panic_message(info.payload());
            let text = match info.location() {
                Some(l) => format!("{message} (at {}:{})", l.file(), l.line()),
                None => message,
            };
            tracing::debug!("plugin panicked: {text}");
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
        }));
    });
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| slant_core::pipeline::panic_message(payload))
}

/// Writes `bytes` to `out` and returns `status`.
unsafe fn reply(out: *mut SlantBuffer, status: i32, bytes: Vec<u8>) -> i32 {
    if !out.is_null() {
        out.write(SlantBuffer::from_vec(bytes));
    }
    status
}

/// Runs `f` with panics caught, replying with its result.
unsafe fn guarded(out: *mut SlantBuffer, f: impl FnOnce() -> Result<Vec<u8>, String>) -> i32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(bytes)) => reply(out, STATUS_OK, bytes),
        Ok(Err(message)) => reply(out, STATUS_ERROR, message.into_bytes()),
        Err(payload) => reply(out, STATUS_PANIC, panic_text(&*payload).into_bytes()),
    }
}

fn analyzers(build: fn() -> Vec<Box<dyn Analyzer>>) -> Result<&'static [Box<dyn Analyzer>], String> {
    let built = ANALYZERS.get_or_init(|| match catch_unwind(build) {
        Ok(list) => Ok(list),
        Err(payload) => Err(format!("building the analyzers panicked: {}", panic_text(&*payload))),
    });
    built.as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

/// `slant_init`: installs the panic hook and forwards this library's `tracing` events to `log`.
///
/// # Safety
/// `out` must be null or point to a writable `SlantBuffer`.
pub unsafe fn init(log: Option<LogCallback>, max_level: u32, out: *mut SlantBuffer) -> i32 {
    guarded(out, || {
        install_panic_hook();
        if let Some(log) = log {
            crate::logging::install(log, max_level);
        }
        Ok(Vec::new())
    })
}

/// `slant_describe`. In a `panic = "abort"` build no plugin code runs at all: the host refuses
/// the library, and a constructor that panicked would take the host down with it.
///
/// # Safety
/// `out` must be null or point to a writable `SlantBuffer`.
pub unsafe fn describe(panic_abort: bool, build: fn() -> Vec<Box<dyn Analyzer>>, out: *mut SlantBuffer) -> i32 {
    guarded(out, || {
        let infos =
            if panic_abort { Vec::new() } else { analyzers(build)?.iter().map(|a| AnalyzerInfo::of(&**a)).collect() };
        let description = Description {
            abi_version: ABI_VERSION,
            sdk_version: crate::SDK_VERSION.to_string(),
            panic: if panic_abort { "abort" } else { "unwind" }.to_string(),
            analyzers: infos,
        };
        serde_json::to_vec(&description).map_err(|e| format!("encoding the description: {e}"))
    })
}

/// `slant_analyze`: decodes the document, runs analyzer `index`, encodes its output.
///
/// # Safety
/// `input` must point to `len` readable bytes; `out` must be null or point to a writable
/// `SlantBuffer`.
pub unsafe fn analyze(
    panic_abort: bool,
    build: fn() -> Vec<Box<dyn Analyzer>>,
    index: u32,
    input: *const u8,
    len: usize,
    out: *mut SlantBuffer,
) -> i32 {
    if panic_abort {
        return reply(out, STATUS_ERROR, b"this plugin was built with panic = \"abort\" and refuses to run".to_vec());
    }
    let bytes: &[u8] = if input.is_null() || len == 0 { &[] } else { std::slice::from_raw_parts(input, len) };
    guarded(out, || {
        let list = analyzers(build)?;
        let analyzer = list
            .get(index as usize)
            .ok_or_else(|| format!("no analyzer with index {index} (this plugin has {})", list.len()))?;
        let doc = wire::decode_document(bytes)?;
        Ok(wire::encode_output(analyzer.analyze(&doc)))
    })
}

/// `slant_free`.
///
/// # Safety
/// `buffer` must come from this library and be freed once.
pub unsafe fn free(buffer: SlantBuffer) {
    let _ = catch_unwind(AssertUnwindSafe(|| drop(buffer.into_vec())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use slant_core::{Annotation, Document, Output};

    struct Marker;

    impl Analyzer for Marker {
        fn name(&self) -> &str {
            "marker"
        }
        fn provides(&self) -> Vec<&str> {
            vec!["marker"]
        }
        fn analyze(&self, doc: &Document) -> Output {
            assert!(!doc.text().contains("BOOM"), "BOOM in {}", doc.id());
            let mut out = Output::new();
            out.push(Annotation::new("marker", 0, 1));
            out
        }
    }

    fn build() -> Vec<Box<dyn Analyzer>> {
        vec![Box::new(Marker)]
    }

    fn call(f: impl FnOnce(*mut SlantBuffer) -> i32) -> (i32, String) {
        let mut buf = SlantBuffer::empty();
        let status = f(&mut buf);
        // SAFETY: the buffer was filled by this library's export functions.
        let bytes = unsafe { buf.into_vec() };
        (status, String::from_utf8(bytes).unwrap())
    }

    // One test, because the analyzers are built once per process.
    #[test]
    fn exported_calls_describe_analyze_and_contain_panics() {
        // Installs the panic hook that adds the location to panic messages.
        assert_eq!(call(|out| unsafe { init(None, 0, out) }), (STATUS_OK, String::new()));
        let (status, json) = call(|out| unsafe { describe(false, build, out) });
        assert_eq!(status, STATUS_OK);
        let d: Description = serde_json::from_str(&json).unwrap();
        assert_eq!((d.abi_version, d.panic.as_str(), d.analyzers[0].name.as_str()), (ABI_VERSION, "unwind", "marker"));

        let (status, json) = call(|out| unsafe { describe(true, build, out) });
        let d: Description = serde_json::from_str(&json).unwrap();
        assert_eq!((status, d.panic.as_str(), d.analyzers.len()), (STATUS_OK, "abort", 0));

        let doc = wire::encode_document(&Document::new("d1", "fine text"), None);
        let (status, json) = call(|out| unsafe { analyze(false, build, 0, doc.as_ptr(), doc.len(), out) });
        assert_eq!(status, STATUS_OK, "{json}");
        assert_eq!(wire::decode_output(json.as_bytes()).unwrap().annotations.len(), 1);

        let doc = wire::encode_document(&Document::new("d2", "BOOM"), None);
        let (status, message) = call(|out| unsafe { analyze(false, build, 0, doc.as_ptr(), doc.len(), out) });
        assert_eq!(status, STATUS_PANIC);
        assert!(message.contains("BOOM in d2") && message.contains("export.rs"), "{message}");

        let (status, message) = call(|out| unsafe { analyze(false, build, 7, doc.as_ptr(), doc.len(), out) });
        assert_eq!(status, STATUS_ERROR);
        assert!(message.contains("no analyzer with index 7"), "{message}");

        let (status, message) = call(|out| unsafe { analyze(false, build, 0, b"{not json".as_ptr(), 9, out) });
        assert_eq!(status, STATUS_ERROR);
        assert!(message.contains("document JSON"), "{message}");
    }
}
