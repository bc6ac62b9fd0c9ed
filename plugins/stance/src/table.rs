//! The layout of a linear model's rows in memory (an open-addressing table of 32-byte cells,
//! with a key filter in front of it), on its own so that `build.rs` lays the committed models
//! out exactly as the analyzer would and bakes the tables into the binary: a run then reads
//! them where they lie instead of building them, which cost about ten million instructions at
//! every start (a fifth of a one-article run).
//!
//! `build.rs` includes this file as a module of its own, so it uses nothing else of the crate.

/// Most classes a model may have: a row's weights and its mean fill one [`Cell`].
pub const MAX_CLASSES: usize = 5;

/// Log2 of the bits of a model's key filter: 2^19 bits (64 KB) for 20,000 keys let about 0.6%
/// of unknown keys through (a probe each, a likely cache miss).
pub const MODEL_FILTER_BITS: u32 = 19;

/// The key of an empty cell (a model may not use it as a feature key).
pub const EMPTY: u64 = 0;

/// One cell of a model's table: a feature key, its weight for each class, then the mean of
/// those weights (which explanations measure pulls from), in one aligned half cache line. Plain
/// data without padding (8 + 6 × 4 bytes), so that the baked bytes of a table read as cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C, align(32))]
pub struct Cell {
    pub key: u64,
    pub w: [f32; MAX_CLASSES + 1],
}

/// The home cell of `key` in a table of `64 - shift` bits of cells: the top bits of its product
/// with an odd constant (keys alike in their low bits spread out).
#[inline(always)]
pub fn home(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// A model's rows laid out: the cells, each cell's name span, the shift of [`home`], the number
/// of rows and the cells of the rows named `bias`.
pub struct Layout {
    pub cells: Vec<Cell>,
    pub spans: Vec<[u32; 2]>,
    pub shift: u32,
    pub rows: usize,
    pub bias_rows: Vec<u32>,
}

/// Lays out the rows `keys` (weights `weights`, `k` per row, and names ending at `name_ends` in
/// `names`), in file order: a key met twice keeps its last row, as a map would.
pub fn lay_out(k: usize, keys: &[u64], weights: &[f32], name_ends: &[u32], names: &str) -> Result<Layout, String> {
    if k > MAX_CLASSES {
        return Err(format!("{k} classes: a model has at most {MAX_CLASSES}"));
    }
    if keys.contains(&EMPTY) {
        return Err(format!("feature key {EMPTY:x} is reserved"));
    }
    if weights.len() != keys.len() * k || name_ends.len() != keys.len() {
        return Err("rows, weights and names differ in number".to_string());
    }
    // At most two thirds full, so that a probe seldom goes past the next cell or two.
    let len = (keys.len() * 3 / 2 + 1).next_power_of_two().max(16);
    let mut t = Layout {
        cells: vec![Cell::default(); len],
        spans: vec![[0, 0]; len],
        shift: 64 - len.trailing_zeros(),
        rows: 0,
        bias_rows: Vec::new(),
    };
    let mut start = 0u32;
    for (row, (&key, &end)) in keys.iter().zip(name_ends).enumerate() {
        let mut i = home(key, t.shift);
        while t.cells[i].key != EMPTY && t.cells[i].key != key {
            i = (i + 1) & (len - 1);
        }
        t.rows += (t.cells[i].key == EMPTY) as usize;
        let ws = &weights[row * k..(row + 1) * k];
        let cell = &mut t.cells[i];
        cell.key = key;
        cell.w[..k].copy_from_slice(ws);
        // The mean as explanations first summed it per feature (the same sum, so the same bits).
        cell.w[k] = ws.iter().sum::<f32>() / k.max(1) as f32;
        t.spans[i] = [start, end];
        start = end;
    }
    let name = |i: usize| names.get(t.spans[i][0] as usize..t.spans[i][1] as usize);
    t.bias_rows =
        (0..len as u32).filter(|&i| t.cells[i as usize].key != EMPTY && name(i as usize) == Some("bias")).collect();
    Ok(t)
}

/// A blocked Bloom filter over a set of 64-bit keys, to put in front of a table that most
/// lookups miss: a key sets two bits of one 64-bit word, so a lookup reads one word; a clear bit
/// among the two proves the key absent, two set bits send it on to the table. The bits are few
/// enough to stay in cache, where the table's cells would not; a lookup that the filter turns
/// away costs one word read instead of a probe (a cache miss, most of the time).
///
/// The words are borrowed for the life of the program: baked into the binary for the models,
/// built once per process (and leaked) otherwise, so that a lookup reads a plain slice.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct KeyFilter {
    words: &'static [u64],
    shift: u32,
}

impl KeyFilter {
    /// A filter of `2^log_bits` bits (`log_bits` ≥ 6) holding `keys`, its words leaked (a
    /// filter is built once per process: for the lexicon, or for a model read from text).
    pub fn new(keys: impl Iterator<Item = u64>, log_bits: u32) -> Self {
        Self::from_words(Vec::leak(Self::words_of(keys, log_bits)))
    }

    /// The words of a filter of `2^log_bits` bits holding `keys` (what `build.rs` bakes).
    pub fn words_of(keys: impl Iterator<Item = u64>, log_bits: u32) -> Vec<u64> {
        let mut words = vec![0u64; 1usize << (log_bits - 6)];
        let shift = 64 - (log_bits - 6);
        for key in keys {
            let (w, mask) = Self::place(key, shift);
            words[w] |= mask;
        }
        words
    }

    /// The filter of `words` (a power of two of them, as [`KeyFilter::words_of`] makes).
    pub fn from_words(words: &'static [u64]) -> Self {
        assert!(words.len().is_power_of_two(), "a key filter has a power of two of words");
        KeyFilter { words, shift: 64 - words.len().trailing_zeros() }
    }

    /// The word of `key` and its two bits in the word, all from one product of the key with an
    /// odd constant (so that keys alike in their low bits, as FNV hashes of similar words are,
    /// spread out): the word from its top bits, the bits from two runs of its middle bits.
    #[inline]
    fn place(key: u64, shift: u32) -> (usize, u64) {
        let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mask = (1u64 << ((h >> 20) & 63)) | (1u64 << ((h >> 26) & 63));
        ((h >> shift) as usize, mask)
    }

    /// Whether `key` may be among the keys (false: it certainly is not).
    #[inline]
    pub fn may_contain(&self, key: u64) -> bool {
        let (w, mask) = Self::place(key, self.shift);
        // A default (empty, word-less) filter lets everything through to the map.
        self.words.get(w).is_none_or(|&bits| bits & mask == mask)
    }
}

/// Bytes aligned as a [`Cell`] (and so as anything baked: spans, filter words, the lexicon's
/// cells): `include_bytes!` gives no alignment of its own.
#[repr(C, align(32))]
pub struct Aligned<B: ?Sized>(pub B);

// The baked bytes are aligned as a `Cell` ([`Aligned`]), which must be the strictest of them.
const _: () = assert!(std::mem::size_of::<Cell>() == 32 && std::mem::align_of::<Cell>() == 32);

/// `bytes` read in place as a slice of `T` (a type whose every bit pattern is a value:
/// `bytemuck::Pod`), if they are aligned for it and a whole number of them.
pub fn plain<T: bytemuck::Pod>(bytes: &'static [u8]) -> Result<&'static [T], String> {
    bytemuck::try_cast_slice(bytes).map_err(|e| format!("baked table is misaligned or cut short: {e}"))
}
