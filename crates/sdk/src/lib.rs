//! The crate Slant plugin authors depend on: the analyzer contract, `export_analyzer!` and test
//! helpers.
//!
//! One trait serves both worlds. A built-in analyzer implements [`Analyzer`] and registers with
//! `register_analyzer!`; a third-party analyzer implements the same trait and turns into a
//! dynamic library with [`export_analyzer!`], which emits the versioned C ABI that the `slant`
//! host loads with `--plugin` (see `ABI.md` beside this crate and `PLUGINS.md` at the root).
//!
//! ```ignore
//! use slant_sdk::{Analyzer, Annotation, Document, Output};
//!
//! #[derive(Default)]
//! pub struct Shouting;
//!
//! impl Analyzer for Shouting {
//!     fn name(&self) -> &str { "shouting" }
//!     fn provides(&self) -> Vec<&str> { vec!["shouting"] }
//!     fn analyze(&self, doc: &Document) -> Output { Output::new() }
//! }
//!
//! slant_sdk::export_analyzer!(Shouting);
//! ```

pub mod abi;
#[doc(hidden)]
pub mod export;
mod logging;
pub mod testing;
pub mod wire;

pub use serde_json;
pub use serde_json::{json, Value};
pub use slant_core::{layers, Analyzer, Annotation, Attrs, Diagnostic, Document, Level, OffsetMap, Output};
pub use tracing;

/// The version of this SDK, reported to the host in `slant_describe`.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Exports one or more analyzer types as a Slant dynamic plugin (C ABI version
/// [`abi::ABI_VERSION`]). Use it once, at the root of a `cdylib` crate.
///
/// Each type is built with `Default::default()`, or with the expression after `=`:
///
/// ```ignore
/// slant_sdk::export_analyzer!(Hedging);
/// slant_sdk::export_analyzer!(Hedging = Hedging::with_words(WORDS), Other);
/// ```
///
/// Analyzers are built once, on the host's first `slant_describe` call, inside
/// `catch_unwind`; every exported call is panic-safe.
#[macro_export]
macro_rules! export_analyzer {
    ($($ty:ty $(= $ctor:expr)?),+ $(,)?) => {
        #[doc(hidden)]
        fn __slant_build_analyzers() -> ::std::vec::Vec<::std::boxed::Box<dyn $crate::Analyzer>> {
            ::std::vec![$($crate::__slant_ctor!($ty $(, $ctor)?)),+]
        }

        /// Slant plugin ABI: the version this library speaks (checked first by the host).
        #[no_mangle]
        pub extern "C" fn slant_abi_version() -> u32 {
            $crate::abi::ABI_VERSION
        }

        /// Slant plugin ABI: installs the host's log callback.
        ///
        /// # Safety
        /// `out` must point to a writable `SlantBuffer`.
        #[no_mangle]
        pub unsafe extern "C" fn slant_init(
            log: ::std::option::Option<$crate::abi::LogCallback>,
            max_level: u32,
            out: *mut $crate::abi::SlantBuffer,
        ) -> i32 {
            $crate::export::init(log, max_level, out)
        }

        /// Slant plugin ABI: describes the plugin and its analyzers as JSON.
        ///
        /// # Safety
        /// `out` must point to a writable `SlantBuffer`.
        #[no_mangle]
        pub unsafe extern "C" fn slant_describe(out: *mut $crate::abi::SlantBuffer) -> i32 {
            $crate::export::describe(cfg!(panic = "abort"), __slant_build_analyzers, out)
        }

        /// Slant plugin ABI: runs analyzer `index` on one document (JSON).
        ///
        /// # Safety
        /// `input` must point to `len` readable bytes and `out` to a writable `SlantBuffer`.
        #[no_mangle]
        pub unsafe extern "C" fn slant_analyze(
            index: u32,
            input: *const u8,
            len: usize,
            out: *mut $crate::abi::SlantBuffer,
        ) -> i32 {
            $crate::export::analyze(cfg!(panic = "abort"), __slant_build_analyzers, index, input, len, out)
        }

        /// Slant plugin ABI: frees a buffer this library returned.
        ///
        /// # Safety
        /// `buffer` must come from this library and be freed once.
        #[no_mangle]
        pub unsafe extern "C" fn slant_free(buffer: $crate::abi::SlantBuffer) {
            $crate::export::free(buffer)
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __slant_ctor {
    ($ty:ty) => {
        ::std::boxed::Box::new(<$ty as ::std::default::Default>::default()) as ::std::boxed::Box<dyn $crate::Analyzer>
    };
    ($ty:ty, $ctor:expr) => {
        ::std::boxed::Box::new({
            let analyzer: $ty = $ctor;
            analyzer
        }) as ::std::boxed::Box<dyn $crate::Analyzer>
    };
}
