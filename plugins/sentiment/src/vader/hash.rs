//! The hash of the static lexicon table: one set of functions shared by `build.rs`, which
//! places the keys, and the engine, which looks tokens up, so that both agree on every slot.
//!
//! The table is a perfect hash (with pilots, as PTHash builds one): a key's hash picks a
//! bucket, the bucket's pilot (chosen by `build.rs` so that no two keys share a slot) moves it
//! to its slot, and a lookup is two loads (the pilot from a small array, then the slot) and
//! one comparison, with no probe loop and no branch on whether the token is a key.

/// Number of slot bits: 2^13 slots for fewer than 8,000 keys (24-byte slots: 192 KB).
pub const SLOT_BITS: u32 = 13;

/// Number of bucket bits: 2^12 pilots (8 KB, which stays in the L1 cache), about two keys a
/// bucket, so that `build.rs` finds a pilot for every bucket of a nearly full table.
pub const PILOT_BITS: u32 = 12;

const K: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;
const K3: u64 = 0x1656_67b1_9e37_79f9;

/// The words a key is compared and hashed by: its first eight bytes (zero-padded) and, for a
/// key longer than eight bytes, its last eight (else 0). Together with the length they are
/// the whole key up to sixteen bytes; longer keys also compare their middle bytes.
#[inline(always)]
pub fn key_words(b: &[u8]) -> (u64, u64) {
    let lo = if b.len() >= 8 {
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
    };
    let hi = if b.len() > 8 { read8(b, b.len() - 8) } else { 0 };
    (lo, hi)
}

/// A 64-bit hash of a key of `len` bytes whose [`key_words`] are `lo` and `hi`.
#[inline(always)]
pub fn hash(lo: u64, hi: u64, len: usize) -> u64 {
    let h = (lo ^ (len as u64).wrapping_mul(K)).wrapping_mul(K);
    let h = (h.rotate_left(23) ^ hi).wrapping_mul(K2);
    h ^ (h >> 29)
}

/// The bucket of a hash (its top bits), whose pilot places the key.
#[inline(always)]
pub fn bucket(h: u64) -> usize {
    (h >> (64 - PILOT_BITS)) as usize
}

/// The slot of a key with hash `h` in a bucket whose pilot is `pilot`.
#[inline(always)]
pub fn place(h: u64, pilot: u16) -> usize {
    ((h ^ (pilot as u64).wrapping_mul(K3)).wrapping_mul(K) >> (64 - SLOT_BITS)) as usize
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
