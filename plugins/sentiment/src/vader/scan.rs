//! Bit masks of a text's byte classes, 64 bytes per block (SSE2 on x86-64, a byte loop
//! elsewhere), so that the tokenizer finds token boundaries and a token's case, apostrophes
//! and non-ASCII bytes with a few bit operations per token instead of a loop over its bytes.
//! The same pass counts the `!` and `?` of VADER's punctuation emphasis.

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

/// The masks of one text, reused from text to text.
#[derive(Debug, Default)]
pub struct Masks {
    /// `len / 64 + 1` blocks: the last one always has at least one position past the end, so
    /// a search for the next whitespace always stops inside the blocks.
    pub blocks: Vec<Block>,
    /// How many `!` and `?` the text has.
    pub exclamations: usize,
    pub questions: usize,
    /// Whether the text has a non-ASCII byte.
    pub non_ascii: bool,
}

impl Masks {
    /// The masks of `text`.
    pub fn build(&mut self, text: &str) {
        let b = text.as_bytes();
        self.blocks.clear();
        self.blocks.reserve(b.len() / 64 + 1);
        let (ep, qm) = blocks_into(b, &mut self.blocks);
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
fn blocks_into(b: &[u8], out: &mut Vec<Block>) -> (usize, usize) {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::blocks_into(b, out)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        blocks_into_bytewise(b, out)
    }
}

/// [`blocks_into`] one byte at a time: the portable version, and the reference the SSE2
/// version is tested against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn blocks_into_bytewise(b: &[u8], out: &mut Vec<Block>) -> (usize, usize) {
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
    }

    /// The classes of the 16 bytes `x`; adds their `!` and `?` (as -1 per byte) to the byte
    /// counters.
    #[inline(always)]
    fn classify(x: __m128i, ep: &mut __m128i, qm: &mut __m128i) -> Masks16 {
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
            Masks16 {
                space: mask(space),
                upper: mask(range(b'A', b'Z')),
                lower: mask(range(b'a', b'z')),
                apostrophe: mask(_mm_cmpeq_epi8(x, set(b'\''))),
                high: mask(x),
            }
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

    /// The block of the 64 bytes at `p`.
    ///
    /// # Safety
    /// `p` must point at 64 readable bytes.
    #[inline(always)]
    unsafe fn block(p: *const u8, ep: &mut __m128i, qm: &mut __m128i) -> Block {
        let mut blk = Block::default();
        for j in 0..4 {
            // SAFETY: the caller guarantees 64 readable bytes; unaligned loads.
            let x = unsafe { _mm_loadu_si128(p.add(16 * j) as *const __m128i) };
            let m = classify(x, ep, qm);
            let sh = 16 * j;
            blk.space |= m.space << sh;
            blk.upper |= m.upper << sh;
            blk.lower |= m.lower << sh;
            blk.apostrophe |= m.apostrophe << sh;
            blk.high |= m.high << sh;
        }
        blk.odd = blk.upper | blk.apostrophe | blk.high;
        blk
    }

    pub fn blocks_into(b: &[u8], out: &mut Vec<Block>) -> (usize, usize) {
        let (mut ep_total, mut qm_total) = (0, 0);
        // SAFETY: SSE2 register operations.
        let zero = unsafe { _mm_setzero_si128() };
        let (mut ep, mut qm) = (zero, zero);
        let full = b.len() / 64;
        for k in 0..full {
            // SAFETY: block `k < len / 64` lies inside `b`.
            out.push(unsafe { block(b.as_ptr().add(64 * k), &mut ep, &mut qm) });
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
        // SAFETY: `pad` has 64 bytes.
        let mut last = unsafe { block(pad.as_ptr(), &mut ep, &mut qm) };
        last.space |= !0u64 << rest.len();
        out.push(last);
        (ep_total + total(ep), qm_total + total(qm))
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
            let ca = blocks_into(t, &mut a);
            let cb = blocks_into_bytewise(t, &mut b);
            assert_eq!(ca, cb, "counts, length {}", t.len());
            assert_eq!(a, b, "masks, length {}", t.len());
            assert_eq!(a.len(), t.len() / 64 + 1);
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
    }
}
