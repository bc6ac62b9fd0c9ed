//! The hash of the static lexicon table: one function shared by `build.rs`, which places the
//! keys, and the engine, which looks tokens up, so that both agree on every slot.

/// Number of slot bits: 2^14 slots for fewer than 8,000 keys keeps linear probes short.
pub const SLOT_BITS: u32 = 14;

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The first eight bytes of `b` (zero-padded) as a little-endian word: the hash's first input
/// and what table entries compare before any byte comparison.
#[inline(always)]
pub fn prefix(b: &[u8]) -> u64 {
    if b.len() >= 8 {
        read8(b, 0)
    } else if b.len() >= 4 {
        // Two overlapping reads, shifted so that the bytes past the end are zero.
        let lo = read4(b, 0) as u64;
        let hi = (read4(b, b.len() - 4) as u64) << (8 * (b.len() - 4));
        lo | hi
    } else {
        let mut w = 0u64;
        for (i, &c) in b.iter().enumerate() {
            w |= (c as u64) << (8 * i);
        }
        w
    }
}

/// A 64-bit hash of a key whose [`prefix`] is `first`.
#[inline(always)]
pub fn hash(b: &[u8], first: u64) -> u64 {
    hash_words(b, first, |w| w)
}

/// [`hash`] of the bytes `b` with each eight-byte word after the first mapped by `map` (the
/// engine hashes a token as written with a map that lowercases ASCII capitals, which gives
/// the hash of its lowercase form without copying it).
#[inline(always)]
pub fn hash_words(b: &[u8], first: u64, map: impl Fn(u64) -> u64) -> u64 {
    let mut h = (first ^ (b.len() as u64).wrapping_mul(K)).wrapping_mul(K);
    let mut i = 8;
    while i < b.len() {
        // The last word overlaps the previous one rather than reading past the end.
        let w = if i + 8 <= b.len() { read8(b, i) } else { read8(b, b.len() - 8) };
        h = (h.rotate_left(23) ^ map(w)).wrapping_mul(K);
        i += 8;
    }
    h ^ (h >> 29)
}

/// The slot a hash starts probing at.
#[inline(always)]
pub fn slot(h: u64) -> usize {
    (h >> (64 - SLOT_BITS)) as usize
}

/// Words of the filter that rules most non-keys out before the table is touched: 2^17 bits
/// (16 KB, which stays in the L1 cache where the 256 KB table does not) for fewer than 8,000
/// keys, so that about 94% of the tokens that are not keys stop here.
pub const BLOOM_WORDS: usize = 2048;

/// The filter word and bit of a hash (bits other than the slot's).
#[inline(always)]
pub fn bloom(h: u64) -> (usize, u64) {
    (((h >> 26) as usize) & (BLOOM_WORDS - 1), 1u64 << ((h >> 20) & 63))
}

#[inline(always)]
fn read8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

#[inline(always)]
fn read4(b: &[u8], i: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u32::from_le_bytes(w)
}
