//! Bit masks of a text's byte classes, 64 bytes per block (on x86-64 AVX-512BW where the CPU
//! has it, else SSE2; a byte loop elsewhere), so that the tokenizer finds token boundaries and
//! a token's case, apostrophes, punctuation and non-ASCII bytes with a few bit operations per
//! token instead of a loop over its bytes.
//! The same pass counts the `!` and `?` of VADER's punctuation emphasis and, for `slant
//! vader`'s tokenizer, writes the text with its ASCII capitals lowercased.

use super::pystr::is_py_space;

/// The classes of 64 consecutive bytes, one bit per byte (bit `i` is byte `64 * block + i`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Block {
    /// Python's whitespace (`str.split()`): ASCII space, `\t` to `\r`, U+001C to U+001F, and
    /// every byte of a Unicode whitespace character; every position past the text's end.
    pub space: u64,
    pub upper: u64,
    pub lower: u64,
    pub apostrophe: u64,
    /// Bytes from 0x80: the bytes of non-ASCII characters.
    pub high: u64,
    /// ASCII punctuation (Python's `string.punctuation`).
    pub punct: u64,
    /// `upper | apostrophe | high`: the bytes that make a token more than a lowercase ASCII
    /// word.
    pub odd: u64,
}

impl Block {
    /// Which classes the bytes whose bits are set in `r` have: [`UPPER`], [`LOWER`],
    /// [`APOSTROPHE`], [`HIGH`]; 0 when they have no [`Block::odd`] byte (then whether they
    /// have lowercase letters does not matter to the tokenizer).
    #[inline(always)]
    pub fn classes(&self, r: u64) -> u8 {
        if self.odd & r == 0 {
            0
        } else {
            bits(self, r)
        }
    }
}

/// Bytes of [`Masks::low`] before the text's first byte, so that the eight bytes that end
/// at any position of the text can be loaded.
pub const LOW_PAD: usize = 8;

/// The masks of one text, reused from text to text.
#[derive(Debug, Default)]
pub struct Masks {
    /// `len / 64 + 1` blocks, then one block past the text's end: the last block of the text
    /// always has at least one position past the end, so a search for the next whitespace
    /// always stops inside the blocks, and the block after it lets a token's classes be read
    /// from two consecutive blocks wherever it starts ([`Masks::window`]). The extra block is
    /// all whitespace and has no other class.
    pub blocks: Vec<Block>,
    /// After [`Masks::build_low`]: [`LOW_PAD`] zero bytes, the text with its ASCII capitals
    /// lowercased, then zero bytes to the end of its last block and eight more. (Its length
    /// only grows from text to text; what lies past those bytes is stale.)
    pub low: Vec<u8>,
    /// How many `!` and `?` the text has.
    pub exclamations: usize,
    pub questions: usize,
    /// Whether the text has a non-ASCII byte.
    pub non_ascii: bool,
}

impl Masks {
    /// The masks of `text`.
    pub fn build(&mut self, text: &str) {
        self.build_as::<false>(text);
    }

    /// [`Masks::build`], and the lowercased copy [`Masks::low`].
    pub fn build_low(&mut self, text: &str) {
        self.build_as::<true>(text);
    }

    fn build_as<const LOW: bool>(&mut self, text: &str) {
        let b = text.as_bytes();
        self.blocks.clear();
        self.blocks.reserve(b.len() / 64 + 2);
        if LOW {
            let need = LOW_PAD + 64 * (b.len() / 64 + 1) + 8;
            if self.low.len() < need {
                self.low.resize(need, 0);
            }
            // The eight bytes after the last block: written here, as the blocks write theirs.
            self.low[need - 8..need].fill(0);
        }
        let low = if LOW { Some(&mut self.low[LOW_PAD..]) } else { None };
        let (ep, qm) = blocks_into(b, &mut self.blocks, low);
        self.blocks.push(Block { space: !0, ..Block::default() });
        self.exclamations = ep;
        self.questions = qm;
        let mut high = 0;
        for blk in &self.blocks {
            high |= blk.high;
        }
        self.non_ascii = high != 0;
        if self.non_ascii {
            self.mark_unicode_spaces(b);
        }
    }

    /// Marks the bytes of the Unicode whitespace characters (U+0085, U+00A0, U+1680, U+2000
    /// to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), whose first bytes are 0xC2 and
    /// 0xE1 to 0xE3.
    #[cold]
    fn mark_unicode_spaces(&mut self, b: &[u8]) {
        for k in 0..self.blocks.len() {
            let mut m = self.blocks[k].high;
            while m != 0 {
                let i = k * 64 + m.trailing_zeros() as usize;
                m &= m - 1;
                let len = match b[i] {
                    0xc2 | 0xe1..=0xe3 => unicode_space_at(b, i),
                    _ => 0,
                };
                for j in i..i + len {
                    self.blocks[j / 64].space |= 1 << (j % 64);
                }
            }
        }
    }

    /// Mask `m` of the 64 bytes from `pos` (bit 0 is byte `pos`): the bits of its block and
    /// of the next one, shifted together.
    #[inline(always)]
    pub fn window(&self, pos: usize, m: impl Fn(&Block) -> u64) -> u64 {
        let k = pos / 64;
        let two = (m(&self.blocks[k]) as u128) | ((m(&self.blocks[k + 1]) as u128) << 64);
        // The shift is below 64 (`% 64` says so to the compiler), so the low word of the
        // result is one double-word shift, without the test and moves of a general one.
        (two >> (pos as u32 % 64)) as u64
    }

    /// The whitespace-separated pieces of the text, as byte ranges (`str.split()`'s pieces).
    #[inline(always)]
    pub fn pieces(&self) -> Pieces<'_> {
        Pieces { masks: self, block: 0, starts: self.starts(0) }
    }

    /// The bits of block `k` where a piece starts: not whitespace, and after whitespace or at
    /// the text's start.
    #[inline(always)]
    fn starts(&self, k: usize) -> u64 {
        let space = self.blocks[k].space;
        let before = if k == 0 { 1 } else { self.blocks[k - 1].space >> 63 };
        !space & ((space << 1) | before)
    }

    /// The first whitespace position after `pos` (at most the text's length).
    #[inline(always)]
    pub fn next_space(&self, pos: usize) -> usize {
        let mut k = pos / 64;
        let mut m = self.blocks[k].space & (!0u64 << (pos % 64));
        while m == 0 {
            // Positions past the end are whitespace, and the last block has one.
            k += 1;
            m = self.blocks[k].space;
        }
        k * 64 + m.trailing_zeros() as usize
    }

    /// Which classes the bytes `start..end` (not empty) have: [`UPPER`], [`LOWER`],
    /// [`APOSTROPHE`], [`HIGH`].
    #[inline(always)]
    pub fn classes(&self, start: usize, end: usize) -> u8 {
        let (ks, ke) = (start / 64, (end - 1) / 64);
        let lo = !0u64 << (start % 64);
        let hi = !0u64 >> (63 - (end - 1) % 64);
        if ks == ke {
            return bits(&self.blocks[ks], lo & hi);
        }
        let mut c = bits(&self.blocks[ks], lo) | bits(&self.blocks[ke], hi);
        for blk in &self.blocks[ks + 1..ke] {
            c |= bits(blk, !0);
        }
        c
    }
}

/// [`Masks::pieces`]: the start bits of one block at a time; a piece ends at the next
/// whitespace bit, mostly in the same block.
pub struct Pieces<'a> {
    masks: &'a Masks,
    block: usize,
    /// The start bits of `block` not yet visited.
    starts: u64,
}

impl Iterator for Pieces<'_> {
    type Item = (usize, usize);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, usize)> {
        let blocks = &self.masks.blocks;
        while self.starts == 0 {
            self.block += 1;
            if self.block >= blocks.len() {
                return None;
            }
            self.starts = self.masks.starts(self.block);
        }
        let k = self.block;
        let start = k * 64 + self.starts.trailing_zeros() as usize;
        let above = blocks[k].space & (!0u64 << (start % 64));
        let end = if above != 0 { k * 64 + above.trailing_zeros() as usize } else { self.masks.next_space(start) };
        if end / 64 == k {
            self.starts &= !0u64 << (end % 64);
        } else {
            self.block = end / 64;
            self.starts = self.masks.starts(self.block) & (!0u64 << (end % 64));
        }
        Some((start, end))
    }
}

pub const UPPER: u8 = 1;
pub const LOWER: u8 = 2;
pub const APOSTROPHE: u8 = 4;
pub const HIGH: u8 = 8;

#[inline(always)]
fn bits(blk: &Block, r: u64) -> u8 {
    ((blk.upper & r != 0) as u8)
        | (((blk.lower & r != 0) as u8) << 1)
        | (((blk.apostrophe & r != 0) as u8) << 2)
        | (((blk.high & r != 0) as u8) << 3)
}

/// The length of the Unicode whitespace character (not ASCII) starting at `b[i]`, or 0.
#[inline(never)]
pub fn unicode_space_at(b: &[u8], i: usize) -> usize {
    let c = match b[i] {
        0xc2 => b.get(i + 1).map(|&x| 0x80 | (x as u32 & 0x3f)),
        0xe1..=0xe3 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(&x), Some(&y)) => Some(((b[i] as u32 & 0x0f) << 12) | ((x as u32 & 0x3f) << 6) | (y as u32 & 0x3f)),
            _ => None,
        },
        _ => None,
    };
    match c.and_then(char::from_u32) {
        Some(c) if is_py_space(c) => c.len_utf8(),
        _ => 0,
    }
}

/// Appends the blocks of `b` (ASCII whitespace only) and returns the counts of `!` and `?`.
/// With `low` (at least `64 * (b.len() / 64 + 1)` bytes), writes the bytes of `b` there with
/// ASCII capitals lowercased, and zeros to the end of the last block.
fn blocks_into(b: &[u8], out: &mut Vec<Block>, low: Option<&mut [u8]>) -> (usize, usize) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512bw") {
            // SAFETY: the CPU has AVX-512BW (checked just above).
            return unsafe {
                match low {
                    Some(low) => avx512::blocks_into::<true>(b, out, low),
                    None => avx512::blocks_into::<false>(b, out, &mut []),
                }
            };
        }
        match low {
            Some(low) => sse2::blocks_into::<true>(b, out, low),
            None => sse2::blocks_into::<false>(b, out, &mut []),
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        blocks_into_bytewise(b, out, low)
    }
}

/// [`blocks_into`] one byte at a time: the portable version, and the reference the SSE2
/// version is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn blocks_into_bytewise(b: &[u8], out: &mut Vec<Block>, low: Option<&mut [u8]>) -> (usize, usize) {
    if let Some(low) = low {
        let n = 64 * (b.len() / 64 + 1);
        for (i, l) in low[..n].iter_mut().enumerate() {
            *l = b.get(i).map_or(0, u8::to_ascii_lowercase);
        }
    }
    let (mut ep, mut qm) = (0, 0);
    for k in 0..b.len() / 64 + 1 {
        let mut blk = Block::default();
        for i in 0..64 {
            let bit = 1u64 << i;
            let Some(&c) = b.get(k * 64 + i) else {
                blk.space |= bit;
                continue;
            };
            if matches!(c, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f) {
                blk.space |= bit;
            }
            if c.is_ascii_uppercase() {
                blk.upper |= bit;
            }
            if c.is_ascii_lowercase() {
                blk.lower |= bit;
            }
            if c == b'\'' {
                blk.apostrophe |= bit;
            }
            if c >= 0x80 {
                blk.high |= bit;
            }
            if c.is_ascii_punctuation() {
                blk.punct |= bit;
            }
            ep += (c == b'!') as usize;
            qm += (c == b'?') as usize;
        }
        blk.odd = blk.upper | blk.apostrophe | blk.high;
        out.push(blk);
    }
    (ep, qm)
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    use super::Block;

    /// Sixteen bytes' classes as 16-bit masks.
    struct Masks16 {
        space: u64,
        upper: u64,
        lower: u64,
        apostrophe: u64,
        high: u64,
        punct: u64,
    }

    /// The classes of the 16 bytes `x`; adds their `!` and `?` (as -1 per byte) to the byte
    /// counters; with `LOW`, also gives the bytes with ASCII capitals lowercased.
    #[inline(always)]
    fn classify<const LOW: bool>(x: __m128i, ep: &mut __m128i, qm: &mut __m128i) -> (Masks16, __m128i) {
        // SAFETY: SSE2 is part of the x86-64 baseline; these are register operations.
        unsafe {
            let set = |c: u8| _mm_set1_epi8(c as i8);
            // Signed comparisons: bytes from 0x80 are negative, so never in an ASCII range.
            let range = |lo: u8, hi: u8| _mm_and_si128(_mm_cmpgt_epi8(x, set(lo - 1)), _mm_cmplt_epi8(x, set(hi + 1)));
            let space =
                _mm_or_si128(_mm_cmpeq_epi8(x, set(b' ')), _mm_or_si128(range(b'\t', b'\r'), range(0x1c, 0x1f)));
            *ep = _mm_sub_epi8(*ep, _mm_cmpeq_epi8(x, set(b'!')));
            *qm = _mm_sub_epi8(*qm, _mm_cmpeq_epi8(x, set(b'?')));
            let mask = |v: __m128i| _mm_movemask_epi8(v) as u32 as u64;
            let upper = range(b'A', b'Z');
            let lower = range(b'a', b'z');
            // ASCII punctuation: printable, not a letter or digit (not a space either).
            let alnum = _mm_or_si128(_mm_or_si128(upper, lower), range(b'0', b'9'));
            let punct = _mm_andnot_si128(alnum, range(0x21, 0x7e));
            let low = if LOW { _mm_or_si128(x, _mm_and_si128(upper, set(0x20))) } else { x };
            let m = Masks16 {
                space: mask(space),
                upper: mask(upper),
                lower: mask(lower),
                apostrophe: mask(_mm_cmpeq_epi8(x, set(b'\''))),
                high: mask(x),
                punct: mask(punct),
            };
            (m, low)
        }
    }

    /// The sum of the 16 byte counters.
    #[inline(always)]
    fn total(v: __m128i) -> usize {
        // SAFETY: SSE2 register operations.
        unsafe {
            let s = _mm_sad_epu8(v, _mm_setzero_si128());
            (_mm_cvtsi128_si64(s) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s))) as usize
        }
    }

    /// The block of the 64 bytes at `p`; with `LOW`, writes them lowercased at `low`.
    ///
    /// # Safety
    /// `p` must point at 64 readable bytes, and with `LOW`, `low` at 64 writable ones.
    #[inline(always)]
    unsafe fn block<const LOW: bool>(p: *const u8, low: *mut u8, ep: &mut __m128i, qm: &mut __m128i) -> Block {
        let mut blk = Block::default();
        for j in 0..4 {
            // SAFETY: the caller guarantees 64 readable bytes; unaligned loads.
            let x = unsafe { _mm_loadu_si128(p.add(16 * j) as *const __m128i) };
            let (m, l) = classify::<LOW>(x, ep, qm);
            if LOW {
                // SAFETY: the caller guarantees 64 writable bytes; unaligned stores.
                unsafe { _mm_storeu_si128(low.add(16 * j) as *mut __m128i, l) };
            }
            let sh = 16 * j;
            blk.punct |= m.punct << sh;
            blk.space |= m.space << sh;
            blk.upper |= m.upper << sh;
            blk.lower |= m.lower << sh;
            blk.apostrophe |= m.apostrophe << sh;
            blk.high |= m.high << sh;
        }
        blk.odd = blk.upper | blk.apostrophe | blk.high;
        blk
    }

    /// [`super::blocks_into`]; with `LOW`, `low` must have at least `64 * (b.len() / 64 + 1)`
    /// bytes (it is not used otherwise).
    pub fn blocks_into<const LOW: bool>(b: &[u8], out: &mut Vec<Block>, low: &mut [u8]) -> (usize, usize) {
        let (mut ep_total, mut qm_total) = (0, 0);
        let full = b.len() / 64;
        if LOW {
            assert!(low.len() >= 64 * (full + 1), "the lowercase buffer is too short");
        }
        // SAFETY: SSE2 register operations.
        let zero = unsafe { _mm_setzero_si128() };
        let (mut ep, mut qm) = (zero, zero);
        for k in 0..full {
            // SAFETY: block `k < len / 64` lies inside `b`, and (with `LOW`) inside `low`, which
            // was checked to hold `full + 1` blocks.
            out.push(unsafe {
                block::<LOW>(b.as_ptr().add(64 * k), low.as_mut_ptr().wrapping_add(64 * k), &mut ep, &mut qm)
            });
            // Each block adds at most 4 to a byte counter: empty them before they overflow.
            if k % 63 == 62 {
                (ep_total, qm_total) = (ep_total + total(ep), qm_total + total(qm));
                (ep, qm) = (zero, zero);
            }
        }
        // The rest, padded with zero bytes, which are then marked as whitespace.
        let rest = &b[64 * full..];
        let mut pad = [0u8; 64];
        pad[..rest.len()].copy_from_slice(rest);
        // SAFETY: `pad` has 64 bytes, and (with `LOW`) `low` has block `full`.
        let mut last =
            unsafe { block::<LOW>(pad.as_ptr(), low.as_mut_ptr().wrapping_add(64 * full), &mut ep, &mut qm) };
        last.space |= !0u64 << rest.len();
        out.push(last);
        (ep_total + total(ep), qm_total + total(qm))
    }
}

/// [`blocks_into`] with AVX-512BW, chosen at run time where the CPU has it: one 64-byte load
/// per block, and each class's 64-bit mask straight from one or two byte comparisons into a
/// mask register (the SSE2 version needs four loads and four movemasks a class, shifted
/// together).
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    use super::Block;

    /// The bytes of `x` from `lo` to `hi` (unsigned; bytes from 0x80 never are, for ASCII
    /// ranges).
    #[inline]
    #[target_feature(enable = "avx512bw")]
    fn range(x: __m512i, lo: u8, hi: u8) -> u64 {
        _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8(lo as i8)), _mm512_set1_epi8((hi - lo) as i8))
    }

    #[inline]
    #[target_feature(enable = "avx512bw")]
    fn eq(x: __m512i, c: u8) -> u64 {
        _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(c as i8))
    }

    /// The block of the 64 bytes `x` and its counts of `!` and `?`; with `LOW`, writes the
    /// bytes lowercased at `low`.
    ///
    /// # Safety
    /// With `LOW`, `low` must point at 64 writable bytes.
    #[inline]
    #[target_feature(enable = "avx512bw")]
    unsafe fn block<const LOW: bool>(x: __m512i, low: *mut u8) -> (Block, usize, usize) {
        let upper = range(x, b'A', b'Z');
        let lower = range(x, b'a', b'z');
        // ASCII punctuation: printable, not a letter or digit (not a space either).
        let punct = range(x, 0x21, 0x7e) & !(upper | lower | range(x, b'0', b'9'));
        let space = eq(x, b' ') | range(x, b'\t', b'\r') | range(x, 0x1c, 0x1f);
        if LOW {
            // Setting 0x20 lowercases an ASCII capital.
            let l = _mm512_mask_add_epi8(x, upper, x, _mm512_set1_epi8(0x20));
            // SAFETY: the caller guarantees 64 writable bytes; an unaligned store.
            unsafe { _mm512_storeu_si512(low as *mut __m512i, l) };
        }
        let apostrophe = eq(x, b'\'');
        let high = _mm512_movepi8_mask(x);
        let blk = Block { space, upper, lower, apostrophe, high, punct, odd: upper | apostrophe | high };
        (blk, eq(x, b'!').count_ones() as usize, eq(x, b'?').count_ones() as usize)
    }

    /// [`super::blocks_into`]; with `LOW`, `low` must have at least `64 * (b.len() / 64 + 1)`
    /// bytes (it is not used otherwise).
    ///
    /// # Safety
    /// The CPU must have AVX-512BW.
    #[target_feature(enable = "avx512bw")]
    pub unsafe fn blocks_into<const LOW: bool>(b: &[u8], out: &mut Vec<Block>, low: &mut [u8]) -> (usize, usize) {
        let full = b.len() / 64;
        if LOW {
            assert!(low.len() >= 64 * (full + 1), "the lowercase buffer is too short");
        }
        let (mut ep, mut qm) = (0, 0);
        for k in 0..full {
            // SAFETY: block `k < len / 64` lies inside `b`, and (with `LOW`) inside `low`, which
            // was checked to hold `full + 1` blocks; unaligned load.
            let (blk, e, q) = unsafe {
                let x = _mm512_loadu_si512(b.as_ptr().add(64 * k) as *const __m512i);
                block::<LOW>(x, low.as_mut_ptr().wrapping_add(64 * k))
            };
            out.push(blk);
            (ep, qm) = (ep + e, qm + q);
        }
        // The rest, loaded with zero bytes past the end (a masked load reads only the bytes
        // of `b`), which are then marked as whitespace.
        let rest = b.len() - 64 * full;
        // SAFETY: the masked load reads only the `rest` bytes left in `b` (masked-off bytes
        // are not accessed); `low` has block `full`.
        let (mut last, e, q) = unsafe {
            let x = _mm512_maskz_loadu_epi8(!(!0u64 << rest), b.as_ptr().add(64 * full) as *const i8);
            block::<LOW>(x, low.as_mut_ptr().wrapping_add(64 * full))
        };
        last.space |= !0u64 << rest;
        out.push(last);
        (ep + e, qm + q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sse2_masks_equal_the_bytewise_ones() {
        // Every byte value at every position of a block, in texts of every length around the
        // block size, and long runs of `!` (the byte counters must not overflow).
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for len in 0..200 {
            texts.push((0..len).map(|i| ((i * 37 + len * 11) % 256) as u8).collect());
        }
        for c in 0..=255u8 {
            texts.push(vec![c; 130]);
        }
        texts.push(vec![b'!'; 100_000]);
        texts.push([b'?', b'!', b'a'].repeat(40_000));
        for t in &texts {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let ca = blocks_into(t, &mut a, None);
            let cb = blocks_into_bytewise(t, &mut b, None);
            assert_eq!(ca, cb, "counts, length {}", t.len());
            assert_eq!(a, b, "masks, length {}", t.len());
            // The SSE2 version too, where the run-time choice is AVX-512BW.
            #[cfg(target_arch = "x86_64")]
            {
                let mut c = Vec::new();
                let n = 64 * (t.len() / 64 + 1);
                let mut low = vec![0xaa; n];
                assert_eq!(sse2::blocks_into::<true>(t, &mut c, &mut low), cb);
                assert_eq!(c, b);
                assert!(low
                    .iter()
                    .zip((0..n).map(|i| t.get(i).map_or(0, u8::to_ascii_lowercase)))
                    .all(|(a, b)| *a == b));
            }
            assert_eq!(a.len(), t.len() / 64 + 1);
            // The lowercased copy: the bytes with ASCII capitals lowercased, then zeros to the
            // end of the last block (the buffer starts dirty, as a reused one is).
            let n = 64 * (t.len() / 64 + 1);
            let mut low = vec![0xaa; n + 3];
            let mut c = Vec::new();
            assert_eq!(blocks_into(t, &mut c, Some(&mut low)), ca);
            assert_eq!(c, a);
            let want: Vec<u8> = (0..n).map(|i| t.get(i).map_or(0, u8::to_ascii_lowercase)).collect();
            assert_eq!(low[..n], want[..], "lowercase, length {}", t.len());
            let mut low2 = vec![0xaa; n];
            blocks_into_bytewise(t, &mut Vec::new(), Some(&mut low2));
            assert_eq!(low2, want);
        }
    }

    #[test]
    fn words_and_classes_are_found_across_blocks() {
        let text = format!("{}Ab\u{a0}c'd\u{2003}{}É x", " ".repeat(60), "z".repeat(70));
        let mut m = Masks::default();
        m.build(&text);
        let words: Vec<(&str, u8)> = m.pieces().map(|(s, e)| (&text[s..e], m.classes(s, e))).collect();
        let want: Vec<(String, u8)> = text
            .split(super::is_py_space)
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = 0;
                c |= if w.bytes().any(|b| b.is_ascii_uppercase()) { UPPER } else { 0 };
                c |= if w.bytes().any(|b| b.is_ascii_lowercase()) { LOWER } else { 0 };
                c |= if w.contains('\'') { APOSTROPHE } else { 0 };
                c |= if !w.is_ascii() { HIGH } else { 0 };
                (w.to_string(), c)
            })
            .collect();
        let got: Vec<(String, u8)> = words.into_iter().map(|(w, c)| (w.to_string(), c)).collect();
        assert_eq!(got, want);
        assert!(m.non_ascii);
        m.build("");
        assert_eq!(m.pieces().next(), None);
        // Pieces at block edges, of a whole block, and running through several blocks.
        for text in [
            format!("{} {}", "a".repeat(63), "b".repeat(64)),
            format!("{}\t{} ", "a".repeat(64), "b".repeat(200)),
            format!(" {}", "c".repeat(127)),
            format!("{}x", " ".repeat(127)),
        ] {
            m.build(&text);
            let got: Vec<&str> = m.pieces().map(|(s, e)| &text[s..e]).collect();
            let want: Vec<&str> = text.split(super::is_py_space).filter(|w| !w.is_empty()).collect();
            assert_eq!(got, want);
        }
        // A window reads 64 bytes' classes from any position, the text's last ones included.
        let text = format!("{}A,b'{}!", " ".repeat(61), "x".repeat(70));
        m.build_low(&text);
        for pos in 0..text.len() {
            let want = (0..64).filter(|i| text.as_bytes().get(pos + i).is_some_and(u8::is_ascii_punctuation));
            let want = want.fold(0u64, |m, i| m | 1 << i);
            assert_eq!(m.window(pos, |b| b.punct), want, "{pos}");
        }
        assert_eq!(&m.low[LOW_PAD..LOW_PAD + text.len()], text.to_ascii_lowercase().as_bytes());
        assert_eq!(m.low[..LOW_PAD], [0; LOW_PAD]);
    }
}
