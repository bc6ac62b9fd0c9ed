//! The layout of VADER's valences keyed by our token hash: a bit filter in front of an
//! open-addressing table. The build script includes this file alone and bakes the table
//! (`features::valence_lexicon` reads it), so that no process builds a map at start (issue 9).

/// Slots of the table: 2^14, for about 7,000 words (under half full, so probes are short).
pub const SLOT_BITS: u32 = 14;
pub const SLOTS: usize = 1 << SLOT_BITS;

/// The filter's bit of a token hash: the top sixteen bits of a product (FNV's low bits are
/// weak).
#[inline]
pub fn bit(hash: u64) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize
}

/// The first slot probed for a token hash: the top bits of the same product.
#[inline]
fn slot(hash: u64) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SLOT_BITS)) as usize
}

/// The filter and the table: per slot a hash and its valence, a valence of 0 marking an
/// empty slot (every word of the table has a nonzero valence).
pub struct Table<'a> {
    pub bits: &'a [u64; 1024],
    pub keys: &'a [u64; SLOTS],
    pub values: &'a [i8; SLOTS],
}

impl Table<'_> {
    /// The valence of the word with this hash (0 when not in the table).
    #[inline]
    pub fn get(&self, hash: u64) -> i8 {
        let k = bit(hash);
        if self.bits[k / 64] & (1 << (k % 64)) == 0 {
            return 0;
        }
        let mut s = slot(hash);
        loop {
            let v = self.values[s];
            if v == 0 || self.keys[s] == hash {
                return v;
            }
            s = (s + 1) & (SLOTS - 1);
        }
    }
}

/// A [`Table`]'s filter, keys and values as [`build`] makes them.
pub type Built = (Box<[u64; 1024]>, Box<[u64; SLOTS]>, Box<[i8; SLOTS]>);

/// The filter, keys and values of a table of `entries` (token hash, nonzero valence); of
/// equal hashes the last one's valence is kept, as a map's insert keeps it.
///
/// # Panics
/// If a valence is 0 or the entries would fill more than half of the slots.
pub fn build(entries: impl IntoIterator<Item = (u64, i8)>) -> Built {
    let mut bits = Box::new([0u64; 1024]);
    let mut keys = Box::new([0u64; SLOTS]);
    let mut values = Box::new([0i8; SLOTS]);
    let mut used = 0;
    for (hash, v) in entries {
        assert!(v != 0, "a valence of 0 would mark an empty slot");
        let k = bit(hash);
        bits[k / 64] |= 1 << (k % 64);
        let mut s = slot(hash);
        while values[s] != 0 && keys[s] != hash {
            s = (s + 1) & (SLOTS - 1);
        }
        if values[s] == 0 {
            used += 1;
            assert!(2 * used <= SLOTS, "valence table over half full: raise SLOT_BITS");
        }
        keys[s] = hash;
        values[s] = v;
    }
    (bits, keys, values)
}
