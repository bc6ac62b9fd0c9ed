//! The token hash (FNV-1a of the lowercase form), on its own so that `build.rs` hashes the
//! lexicon it bakes exactly as the analyzer hashes tokens.

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of a string at compile time, for feature-template identifiers.
pub const fn const_hash(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u64;
        h = h.wrapping_mul(FNV_PRIME);
        i += 1;
    }
    h
}

/// Hash of the lowercase form of `s` (apostrophes `’ ‘` folded to `'`), without allocating.
pub fn word_hash(s: &str) -> u64 {
    let mut h = FNV_OFFSET;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            h ^= b.to_ascii_lowercase() as u64;
            h = h.wrapping_mul(FNV_PRIME);
        }
        return h;
    }
    for c in s.chars() {
        if c.is_ascii() {
            h ^= c.to_ascii_lowercase() as u64;
            h = h.wrapping_mul(FNV_PRIME);
        } else if c == '’' || c == '‘' {
            h ^= b'\'' as u64;
            h = h.wrapping_mul(FNV_PRIME);
        } else {
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &b in l.encode_utf8(&mut buf).as_bytes() {
                    h ^= b as u64;
                    h = h.wrapping_mul(FNV_PRIME);
                }
            }
        }
    }
    h
}
