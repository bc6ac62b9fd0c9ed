//! A perfectly good shared library that is not a Slant plugin: it exports no Slant symbol.

#[no_mangle]
pub extern "C" fn add(a: u32, b: u32) -> u32 {
    a.wrapping_add(b)
}
