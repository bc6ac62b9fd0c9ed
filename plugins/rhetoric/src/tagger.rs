//! The token tagger's hot path: the model's hashed weights folded into small per-template
//! tables and per-word caches, so that tagging a token costs a few array reads instead of two
//! dozen hashed lookups into a megabyte table (issue 9).
//!
//! [`features::SentenceView::visit`](crate::features::SentenceView::visit) stays the one
//! definition of the features (training uses it). [`Tables::visit`] emits the same features'
//! weights in the same order, so a sum over them is the same float to the bit; the tests
//! compare both on fixture text.

use std::borrow::Cow;

use crate::features::{mix, slot, Prepared, Template, PAD, PAD_AFTER, PAD_BEFORE};
use crate::model::{sigmoid, Stored, TAG_BITS};
use crate::text::SHAPE_PUNCT;

/// The hashed weights as the model file stores them, 16-bit integers times one scale: half
/// the memory of `f32` (the random reads of bigram and new-word weights miss the cache less),
/// the same values to the bit.
struct Quantised {
    q: Cow<'static, [i16]>,
    scale: f32,
}

impl Quantised {
    /// The weight of template `tpl` at value `v`.
    #[inline(always)]
    fn weight(&self, tpl: Template, v: u64) -> f32 {
        self.q[slot(mix(tpl as u64 + 1, v), TAG_BITS) as usize] as f32 * self.scale
    }
}

/// The weights of template `tpl` for the values `0..N`.
fn table<const N: usize>(tagger: &Quantised, tpl: Template) -> [f32; N] {
    std::array::from_fn(|v| tagger.weight(tpl, v as u64))
}

/// The weights of the templates that look at one word only, for one word: the word itself,
/// as the previous or next word (one or two away), and quoted.
#[derive(Debug, Clone, Copy, Default)]
struct WordWeights {
    word: f32,
    prev: f32,
    next: f32,
    prev2: f32,
    next2: f32,
    quoted: f32,
}

impl WordWeights {
    #[inline(always)]
    fn of(weight: impl Fn(Template, u64) -> f32, lower: u64) -> WordWeights {
        WordWeights {
            word: weight(Template::Word, lower),
            prev: weight(Template::PrevWord, lower),
            next: weight(Template::NextWord, lower),
            prev2: weight(Template::Prev2Word, lower),
            next2: weight(Template::Next2Word, lower),
            quoted: weight(Template::QuotedWord, lower),
        }
    }
}

/// A model's tagger weights for every template whose values are few, read by value.
///
/// Value ranges: shapes are 0..=5 and 9 (padding), so a shape window is below 1000; cue
/// groups are bits of a `u32`; positions 0..=5; repeat buckets 0..=4 times 16 plus a shape;
/// sentence-length buckets 0..=4; valences -4..=4 (`build.rs` clamps them) plus 8; negative
/// words 0..=4.
pub struct Tables {
    tagger: Quantised,
    bias: f32,
    shape: [f32; 10],
    shape_window: Box<[f32; 1000]>,
    cue: [f32; 32],
    sentence_cue: [f32; 32],
    cue_near: [f32; 32],
    position: [f32; 6],
    quoted: [f32; 2],
    repeated: [f32; 80],
    sentence_length: [f32; 5],
    valence: [f32; 17],
    valence_near: [f32; 17],
    sentence_valence: [f32; 5],
    pad_before: WordWeights,
    pad_after: WordWeights,
}

/// One sentence's values shared by all its tokens.
#[derive(Debug, Clone, Copy)]
struct SentenceInfo {
    /// Token range.
    a: usize,
    b: usize,
    /// Where token `a` sits in the padded per-document vectors.
    base: usize,
    cues: u32,
    end: f32,
    len_bucket: u32,
    negative: u32,
    /// The position of the last token, and the first positions at or past a quarter, a
    /// half and three quarters of the sentence (`4 * pos >= k * len` is `pos >= ceil(k *
    /// len / 4)`), for the position bucket.
    last: usize,
    quarters: [usize; 3],
}

/// A document laid out for [`Tables::visit`]: every sentence's tokens with [`PAD`] neutral
/// entries on either side (as `SentenceView` pads one sentence), and each word's weights
/// looked up once per distinct word. Keep one and [`DocView::load`] each document into it:
/// the buffers are reused.
#[derive(Default)]
pub struct DocView {
    sentences: Vec<SentenceInfo>,
    /// One [`Slot`] per padded position: a token's window is seven consecutive slots.
    slots: Vec<Slot>,
    /// Per distinct word id: its weights, and its suffix hash with that suffix's weight
    /// (a token whose suffix hash differs, which a hash collision of its lowercase form
    /// could cause, looks its own up).
    by_id: Vec<Option<(WordWeights, u64, f32)>>,
    /// The weights of recently seen words across documents (see [`WordCache`]).
    cache: WordCache,
}

/// Everything the tagger reads of one padded position, in one place (44 bytes): a token's
/// features are read from the seven slots around it, a few cache lines, instead of from six
/// vectors (six base pointers, six bounds tests, six streams).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The word's weights (the padding word's on either side of a sentence).
    words: WordWeights,
    /// The weights of the token's two bigrams (with the previous and with the next token)
    /// and of its suffix; zero in padding. The bigrams sit at random places of the 512 KB
    /// weight table, so reading them while tagging stalled on a cache miss per token (two
    /// fifths of the tagger's time); read in [`DocView::load`] among independent loads, the
    /// processor overlaps the misses. The suffix weight is resolved there too, so that
    /// tagging reads no per-word table.
    prev_bigram: f32,
    next_bigram: f32,
    suffix: f32,
    /// Cue groups on the token.
    cue: u32,
    /// Shape (9 in padding), VADER valence, whether quoted, repeat bucket (as in
    /// [`Prepared`]).
    shape: u8,
    valence: i8,
    quoted: bool,
    repeats: u8,
}

/// Words' weights kept from document to document: the six word templates of a word sit in
/// six random places of the weight table, each a likely cache miss, and the same common
/// words come back in every article. One entry per slot (the slot chosen by the word's hash,
/// a newer word replacing an older one), so the memory stays fixed; an entry is used only for
/// the very hashes it was computed from, so the weights are the table's.
#[derive(Default)]
struct WordCache {
    entries: Vec<CacheEntry>,
}

#[derive(Debug, Clone, Copy, Default)]
struct CacheEntry {
    lower: u64,
    suffix: u64,
    words: WordWeights,
    suffix_weight: f32,
    /// Whether the entry holds a word (a zero hash is a possible word hash).
    used: bool,
}

/// Entries of a [`WordCache`]: 4096 of 48 bytes (192 KB).
const CACHE_BITS: u32 = 12;

impl WordCache {
    /// The weights of the word with hashes `lower` and `suffix`.
    #[inline]
    fn get(&mut self, tables: &Tables, lower: u64, suffix: u64) -> (WordWeights, u64, f32) {
        if self.entries.is_empty() {
            self.entries = vec![CacheEntry::default(); 1 << CACHE_BITS];
        }
        let e = &mut self.entries[(lower >> (64 - CACHE_BITS)) as usize];
        if !(e.used && e.lower == lower && e.suffix == suffix) {
            *e = CacheEntry {
                lower,
                suffix,
                words: WordWeights::of(|tpl, v| tables.tagger.weight(tpl, v), lower),
                suffix_weight: tables.tagger.weight(Template::Suffix, suffix),
                used: true,
            };
        }
        (e.words, suffix, e.suffix_weight)
    }
}

impl DocView {
    /// Lays out document `p` for `tables`.
    pub fn load(&mut self, tables: &Tables, p: &Prepared) {
        self.sentences.clear();
        self.by_id.clear();
        self.by_id.resize(p.distinct_words, None);
        // The slots are sized once and written through slices (no capacity test per
        // token): a sentence of `b - a` tokens takes `PAD + (b - a) + PAD` places, and the
        // loop below writes every one of the first `total`. So the buffer only ever grows
        // (to the largest document's size): cutting it to each document's size made the
        // next larger one write its new slots twice.
        let pad = |words| Slot { words, shape: 9, ..Slot::default() };
        let (before, after) = (pad(tables.pad_before), pad(tables.pad_after));
        let total = p.tokens.len() + 2 * PAD * p.sentences.len();
        if self.slots.len() < total {
            // Grown with a padding slot, which every slot is about to be overwritten with
            // or by a token's: a plain store loop, where all-zero slots made it a `memset`.
            self.slots.resize(total, before);
        }
        let mut k = 0;
        for &(a, b) in &p.sentences {
            let n = b - a;
            let base = k + PAD;
            let end = base + n;
            self.slots[k..base].fill(before);
            self.slots[end..end + PAD].fill(after);
            let cache = &mut self.cache;
            let by_id = &mut self.by_id;
            // Every per-token input as a slice of the sentence's length, read by position
            // (the lengths are known equal, so the reads need no bounds tests, and no chain
            // of zipped iterators keeps its state on the stack).
            let tokens = &p.tokens[a..b];
            let (ids, cues) = (&p.word_ids[a..b], &p.cue_mask[a..b]);
            let (valences, quoted, repeats) = (&p.valence[a..b], &p.quoted[a..b], &p.repeats[a..b]);
            let slots = &mut self.slots[base..end];
            // A pair of neighbours is mixed once: it is the next bigram of the one and the
            // previous bigram of the other (each template has its own slot). Out of the
            // sentence the neighbour is the padding word, as in `SentenceView`.
            let mut pair = mix(PAD_BEFORE, tokens[0].lower);
            for d in 0..n {
                let t = &tokens[d];
                let (words, suffix, suffix_weight) =
                    *by_id[ids[d] as usize].get_or_insert_with(|| cache.get(tables, t.lower, t.suffix));
                let next_lower = if d + 1 < n { tokens[d + 1].lower } else { PAD_AFTER };
                let next = mix(t.lower, next_lower);
                slots[d] = Slot {
                    words,
                    prev_bigram: tables.tagger.weight(Template::PrevBigram, pair),
                    next_bigram: tables.tagger.weight(Template::NextBigram, next),
                    // A token whose suffix hash differs from the one kept for its id (which
                    // a hash collision of lowercase forms could cause) looks its own up.
                    suffix: if suffix == t.suffix {
                        suffix_weight
                    } else {
                        tables.tagger.weight(Template::Suffix, t.suffix)
                    },
                    cue: cues[d],
                    shape: t.shape,
                    valence: valences[d],
                    quoted: quoted[d],
                    repeats: repeats[d],
                };
                pair = next;
            }
            k = end + PAD;
            let last = &p.tokens[b - 1];
            let end_kind = if last.shape == SHAPE_PUNCT { last.lower } else { 0 };
            let len_bucket = match n {
                0..=5 => 0,
                6..=12 => 1,
                13..=25 => 2,
                26..=40 => 3,
                _ => 4,
            };
            self.sentences.push(SentenceInfo {
                a,
                b,
                base,
                cues: p.sentence_cues[a],
                end: tables.tagger.weight(Template::SentenceEnd, end_kind),
                len_bucket,
                negative: p.sentence_negative[a] as u32,
                last: n - 1,
                quarters: [n.div_ceil(4), n.div_ceil(2), (3 * n).div_ceil(4)],
            });
        }
    }

    /// The sentences, as indices for [`Tables::visit`] with their token ranges.
    pub fn sentences(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.sentences.iter().enumerate().map(|(j, s)| (j, s.a, s.b))
    }
}

impl Tables {
    /// The tables of a stored model: its weights are those of [`Model::from_bytes`] to the
    /// bit (`q as f32 * scale`, computed the same way).
    pub fn new(model: &Stored) -> Tables {
        Tables::of(Quantised { q: Cow::Owned(model.tagger.clone()), scale: model.tagger_scale })
    }

    /// The tables of the embedded model, over the weights the build script baked (see
    /// [`crate::baked`]), which are those of [`Stored::from_bytes`] of the model file.
    pub fn embedded() -> Tables {
        Tables::of(Quantised { q: Cow::Borrowed(crate::baked::tagger()), scale: crate::baked::TAGGER_SCALE })
    }

    /// The tables over tagger weights `t`.
    fn of(t: Quantised) -> Tables {
        Tables {
            bias: t.weight(Template::Bias, 0),
            shape: table(&t, Template::Shape),
            shape_window: Box::new(table(&t, Template::ShapeWindow)),
            cue: table(&t, Template::Cue),
            sentence_cue: table(&t, Template::SentenceCue),
            cue_near: table(&t, Template::CueNear),
            position: table(&t, Template::Position),
            quoted: table(&t, Template::Quoted),
            repeated: table(&t, Template::Repeated),
            sentence_length: table(&t, Template::SentenceLength),
            valence: table(&t, Template::Valence),
            valence_near: table(&t, Template::ValenceNear),
            sentence_valence: table(&t, Template::SentenceValence),
            pad_before: WordWeights::of(|tpl, v| t.weight(tpl, v), PAD_BEFORE),
            pad_after: WordWeights::of(|tpl, v| t.weight(tpl, v), PAD_AFTER),
            tagger: t,
        }
    }

    /// Probability per token that it lies inside a propaganda span: [`Model::tag`] of the
    /// model these tables came from, to the bit. `view` must hold `p` (see [`DocView::load`]).
    pub fn tag(&self, p: &Prepared, view: &DocView, probs: &mut Vec<f32>) {
        // With no floor nothing is cut: every token gets its exact probability.
        self.tag_above(p, view, probs, 0.0);
    }

    /// [`Tables::tag`], except that a token whose probability is surely below `floor` gets
    /// 0.0 instead, without computing the exponential: most tokens are far from any span,
    /// and the decoder only compares such probabilities with thresholds at or above `floor`
    /// (see [`Model::decode_floor`]), which 0.0 fails as the exact value would.
    pub fn tag_above(&self, p: &Prepared, view: &DocView, probs: &mut Vec<f32>, floor: f32) {
        // The logit of `floor`, less a margin far wider than the rounding of `sigmoid`.
        let cut = if floor > 0.0 && floor < 1.0 {
            let f = floor as f64;
            ((f / (1.0 - f)).ln() - 0.05) as f32
        } else {
            f32::NEG_INFINITY
        };
        // Every token lies in a sentence, and the loop below writes its probability: the
        // vector keeps the values it held (only new elements are 0.0) rather than being
        // cleared and filled first.
        probs.resize(p.tokens.len(), 0.0);
        for s in &view.sentences {
            // Token `a + d`'s window is the seven slots from `s.base + d - PAD`.
            let slots = &view.slots[s.base - PAD..s.base + (s.b - s.a) + PAD];
            for (pos, (window, prob)) in slots.windows(2 * PAD + 1).zip(&mut probs[s.a..s.b]).enumerate() {
                let mut z = -0.0f32;
                self.emit(s, window.try_into().expect("window"), pos, |_, _, w| z += w);
                *prob = if z < cut { 0.0 } else { sigmoid(z) };
            }
        }
    }

    /// Calls `emit(template, detail, weight)` for every tagger feature of token `i` of
    /// sentence `j` (of `view`), in the order of `SentenceView::visit`, with the detail it
    /// gives and the feature's weight.
    #[inline(always)]
    pub fn visit(&self, view: &DocView, j: usize, i: usize, emit: impl FnMut(Template, u32, f32)) {
        let s = &view.sentences[j];
        let k = s.base + (i - s.a);
        self.emit(s, view.slots[k - PAD..=k + PAD].try_into().expect("window"), i - s.a, emit);
    }

    /// [`Tables::visit`] of the token at position `pos` of sentence `s`, whose window of
    /// slots is `w`.
    #[inline(always)]
    fn emit(&self, s: &SentenceInfo, w: &[Slot; 2 * PAD + 1], pos: usize, mut emit: impl FnMut(Template, u32, f32)) {
        let c = PAD;
        let t = &w[c];
        emit(Template::Bias, 0, self.bias);
        emit(Template::Word, 0, t.words.word);
        emit(Template::PrevWord, 0, w[c - 1].words.prev);
        emit(Template::NextWord, 0, w[c + 1].words.next);
        emit(Template::Prev2Word, 0, w[c - 2].words.prev2);
        emit(Template::Next2Word, 0, w[c + 2].words.next2);
        emit(Template::PrevBigram, 0, t.prev_bigram);
        emit(Template::NextBigram, 0, t.next_bigram);
        emit(Template::Suffix, 0, t.suffix);
        emit(Template::Shape, 0, self.shape[t.shape as usize]);
        emit(
            Template::ShapeWindow,
            0,
            self.shape_window[w[c - 1].shape as usize * 100 + t.shape as usize * 10 + w[c + 1].shape as usize],
        );
        let own = t.cue;
        let mut m = own;
        while m != 0 {
            let g = m.trailing_zeros();
            emit(Template::Cue, g, self.cue[g as usize]);
            m &= m - 1;
        }
        let mut m = s.cues & !own;
        while m != 0 {
            let g = m.trailing_zeros();
            emit(Template::SentenceCue, g, self.sentence_cue[g as usize]);
            m &= m - 1;
        }
        let near = w.iter().fold(0, |n, x| n | x.cue);
        let mut m = near & !own;
        while m != 0 {
            let g = m.trailing_zeros();
            emit(Template::CueNear, g, self.cue_near[g as usize]);
            m &= m - 1;
        }
        // `SentenceView::visit`'s bucket, with the quarters found once per sentence.
        let pos_bucket = if pos == 0 {
            0
        } else if pos == s.last {
            1
        } else {
            let [q1, q2, q3] = s.quarters;
            2 + (pos >= q1) as usize + (pos >= q2) as usize + (pos >= q3) as usize
        };
        emit(Template::Position, pos_bucket as u32, self.position[pos_bucket]);
        let quoted = t.quoted;
        emit(Template::Quoted, quoted as u32, self.quoted[quoted as usize]);
        emit(Template::SentenceEnd, 0, s.end);
        let rep = t.repeats as usize;
        emit(Template::Repeated, rep as u32, self.repeated[rep * 16 + t.shape as usize]);
        if quoted {
            emit(Template::QuotedWord, 0, t.words.quoted);
        }
        emit(Template::SentenceLength, s.len_bucket, self.sentence_length[s.len_bucket as usize]);
        let v = t.valence;
        if v != 0 {
            emit(Template::Valence, (v + 8) as u32, self.valence[(v + 8) as usize]);
        }
        // Most tokens have no emotive word within two either side: one test tells so.
        let val = [w[c - 2].valence, w[c - 1].valence, v, w[c + 1].valence, w[c + 2].valence];
        let mut strongest = 0i8;
        if val[0] | val[1] | val[3] | val[4] != 0 {
            for (d, &x) in val.iter().enumerate() {
                if d != 2 && x.abs() > strongest.abs() {
                    strongest = x;
                }
            }
        }
        if strongest != 0 {
            emit(Template::ValenceNear, (strongest + 8) as u32, self.valence_near[(strongest + 8) as usize]);
        }
        emit(Template::SentenceValence, s.negative, self.sentence_valence[s.negative as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::SentenceView;

    const TEXT: &str = "Patriots! The corrupt, lying regime of Hitler-loving thugs “reformed” nothing. \
        Either we stand or we fall? No. Lies, lies and more lies: a disaster, a catastrophe \
        that every decent citizen knows. Short. “A quoted sentence of nine tokens, long here.” \
        And a rather longer one that runs on past eight tokens, so that windows reach the padding \
        of the next sentence; terrible, horrible, wonderful and great words of VADER's lexicon.";

    fn prepared(text: &str) -> Prepared {
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        Prepared::new(text, &crate::text::split_sentences(text), lexicon.find(text))
    }

    #[test]
    fn tables_emit_the_features_of_the_sentence_view_with_their_weights() {
        let model = crate::embedded_model().expect("embedded model");
        let tables = Tables::new(&Stored::from_bytes(crate::MODEL_BYTES).expect("stored model"));
        let p = prepared(TEXT);
        let mut doc = DocView::default();
        doc.load(&tables, &p);
        let mut sv = SentenceView::default();
        let mut checked = 0;
        for (j, a, b) in doc.sentences() {
            sv.load(&p, a, b);
            for i in a..b {
                let mut want = Vec::new();
                sv.visit(&p, i, TAG_BITS, |tpl, index, detail| {
                    want.push((tpl, detail, model.tagger[index as usize].to_bits()))
                });
                let mut got = Vec::new();
                tables.visit(&doc, j, i, |tpl, detail, w| got.push((tpl, detail, w.to_bits())));
                assert_eq!(got, want, "token {i}");
                checked += 1;
            }
        }
        assert_eq!(checked, p.tokens.len());
        assert!(p.sentences.len() >= 6);
    }

    #[test]
    fn probabilities_below_the_floor_decode_as_the_exact_ones() {
        let model = crate::embedded_model().expect("embedded model");
        let tables = Tables::new(&Stored::from_bytes(crate::MODEL_BYTES).expect("stored model"));
        let mut doc = DocView::default();
        let (mut exact, mut floored) = (Vec::new(), Vec::new());
        let p = prepared(TEXT);
        doc.load(&tables, &p);
        tables.tag(&p, &doc, &mut exact);
        let floor = model.decode_floor();
        tables.tag_above(&p, &doc, &mut floored, floor);
        let mut zeroed = 0;
        for (x, y) in exact.iter().zip(&floored) {
            if y.to_bits() != x.to_bits() {
                assert!(*y == 0.0 && *x < floor, "{x} {y}");
                zeroed += 1;
            }
        }
        assert!(zeroed > 0, "some tokens are below the floor");
        let spans = |probs: &[f32]| {
            let d = model.decode(TEXT, &p, probs, model.threshold, model.extend);
            d.iter().map(|s| (s.sentence, s.start, s.end, s.score.to_bits())).collect::<Vec<_>>()
        };
        assert_eq!(spans(&floored), spans(&exact));
        assert!(!spans(&exact).is_empty());
    }

    #[test]
    fn tables_tag_as_the_model_does_bit_for_bit() {
        let model = crate::embedded_model().expect("embedded model");
        let tables = Tables::new(&Stored::from_bytes(crate::MODEL_BYTES).expect("stored model"));
        let mut doc = DocView::default();
        let mut probs = Vec::new();
        // The view is reused across documents, as the analyzer does.
        for text in [TEXT, "Short one.", TEXT.split_at(120).1] {
            let p = prepared(text);
            doc.load(&tables, &p);
            tables.tag(&p, &doc, &mut probs);
            let want = model.tag(&p);
            assert_eq!(
                probs.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }
}
