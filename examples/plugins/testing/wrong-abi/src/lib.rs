//! A library that claims a Slant plugin ABI version this host does not speak (as a plugin
//! built against a future SDK would). The host must check the version before anything else.

/// The version symbol, written by hand with a version no SDK has emitted.
#[no_mangle]
pub extern "C" fn slant_abi_version() -> u32 {
    999
}
