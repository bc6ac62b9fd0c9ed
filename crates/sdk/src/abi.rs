//! The C ABI between the `slant` host and a plugin library, version 1: the types, status codes,
//! symbol names and log levels both sides share. `ABI.md` is the prose version of this file.

/// The ABI version this SDK emits and this host speaks. Bumped only for a change an older host
/// or plugin cannot handle (see `ABI.md`, "Compatibility").
pub const ABI_VERSION: u32 = 1;

/// `slant_analyze` / `slant_describe` / `slant_init` succeeded; the buffer holds JSON.
pub const STATUS_OK: i32 = 0;
/// The call failed cleanly; the buffer holds a UTF-8 message (bad input JSON, unknown
/// analyzer index, a constructor that failed).
pub const STATUS_ERROR: i32 = 1;
/// Plugin code panicked and the panic was caught; the buffer holds the panic message.
pub const STATUS_PANIC: i32 = 2;

/// `extern "C" fn() -> u32`: the ABI version. The host calls it before anything else.
pub const SYMBOL_ABI_VERSION: &str = "slant_abi_version";
/// `extern "C" fn(Option<LogCallback>, max_level: u32, out: *mut SlantBuffer) -> i32`.
pub const SYMBOL_INIT: &str = "slant_init";
/// `extern "C" fn(out: *mut SlantBuffer) -> i32`: the describe JSON.
pub const SYMBOL_DESCRIBE: &str = "slant_describe";
/// `extern "C" fn(index: u32, input: *const u8, len: usize, out: *mut SlantBuffer) -> i32`.
pub const SYMBOL_ANALYZE: &str = "slant_analyze";
/// `extern "C" fn(buffer: SlantBuffer)`: frees a buffer the plugin returned.
pub const SYMBOL_FREE: &str = "slant_free";

/// The host's log sink: `(level, target, target_len, message, message_len)`, strings UTF-8 and
/// not NUL-terminated, valid only during the call. Levels are [`LEVEL_ERROR`]..[`LEVEL_TRACE`].
pub type LogCallback =
    extern "C" fn(level: u32, target: *const u8, target_len: usize, message: *const u8, message_len: usize);

pub type AbiVersionFn = extern "C" fn() -> u32;
pub type InitFn = unsafe extern "C" fn(Option<LogCallback>, u32, *mut SlantBuffer) -> i32;
pub type DescribeFn = unsafe extern "C" fn(*mut SlantBuffer) -> i32;
pub type AnalyzeFn = unsafe extern "C" fn(u32, *const u8, usize, *mut SlantBuffer) -> i32;
pub type FreeFn = unsafe extern "C" fn(SlantBuffer);

/// Logging off (the `max_level` the host passes at init when it logs nothing).
pub const LEVEL_OFF: u32 = 0;
pub const LEVEL_ERROR: u32 = 1;
pub const LEVEL_WARN: u32 = 2;
pub const LEVEL_INFO: u32 = 3;
pub const LEVEL_DEBUG: u32 = 4;
pub const LEVEL_TRACE: u32 = 5;

/// The ABI number of a `tracing` level.
pub fn level_number(level: &tracing::Level) -> u32 {
    match *level {
        tracing::Level::ERROR => LEVEL_ERROR,
        tracing::Level::WARN => LEVEL_WARN,
        tracing::Level::INFO => LEVEL_INFO,
        tracing::Level::DEBUG => LEVEL_DEBUG,
        tracing::Level::TRACE => LEVEL_TRACE,
    }
}

/// Bytes owned by the library that allocated them; the receiver copies what it needs and hands
/// the buffer back to that library's `slant_free` (two libraries may use different allocators).
#[repr(C)]
#[derive(Debug)]
pub struct SlantBuffer {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

impl SlantBuffer {
    /// A buffer holding nothing (what the host passes in; `slant_free` accepts it too).
    pub fn empty() -> Self {
        SlantBuffer { ptr: std::ptr::null_mut(), len: 0, cap: 0 }
    }

    /// Hands a vector's allocation over to the other side.
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        let mut bytes = std::mem::ManuallyDrop::new(bytes);
        SlantBuffer { ptr: bytes.as_mut_ptr(), len: bytes.len(), cap: bytes.capacity() }
    }

    /// Takes the allocation back.
    ///
    /// # Safety
    /// The buffer must come from [`SlantBuffer::from_vec`] in this same library (or be empty)
    /// and not have been taken back before.
    pub unsafe fn into_vec(self) -> Vec<u8> {
        if self.ptr.is_null() {
            return Vec::new();
        }
        Vec::from_raw_parts(self.ptr, self.len, self.cap)
    }

    /// The bytes, borrowed.
    ///
    /// # Safety
    /// `ptr` must be null or point to `len` readable bytes that outlive the borrow.
    pub unsafe fn as_slice(&self) -> &[u8] {
        if self.ptr.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(self.ptr, self.len)
        }
    }
}
