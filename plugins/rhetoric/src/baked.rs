//! The embedded model's tables as `build.rs` decoded them from `model/rhetoric.model` at build
//! time, so that a process reads them in place instead of decoding the file and building
//! the tables at start (about 20M instructions, half of a one-article run). The model file
//! stays the source of truth: a retrained model is baked by the next build, and the tests
//! compare these tables with the ones built from the file at run time.

use crate::lexicon::{BakedLexicon, Lexicon};
use crate::stored::{Knobs, Row};

// `KNOBS` (the model's settings) and `TAGGER_SCALE`, written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/model_baked.rs"));

// `LEXICON`, the cue lexicon's tables, written by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/lexicon_baked.rs"));

/// The cue lexicon (as `Lexicon::new` builds it).
pub fn lexicon() -> Lexicon {
    Lexicon::from_baked(&LEXICON)
}

/// Bytes aligned to a cache line, so that they can be read as a table of any of the baked
/// types (whose alignment is at most 64).
#[repr(C, align(64))]
struct Aligned<B: ?Sized>(B);

/// The tagger's 2^18 weights as 16-bit integers, in the target's byte order.
static TAGGER: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/tagger.bin")));
/// The class row of each span-feature bucket (`u16`, the target's byte order).
static CLASS_INDEX: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/class_index.bin")));
/// The class rows, sixteen `f32` each (the target's byte order).
static CLASS_ROWS: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/class_rows.bin")));

/// `bytes` read as a table of `T` (a type whose every bit pattern is a value:
/// `bytemuck::Pod`).
///
/// # Panics
/// If `bytes` does not start aligned for `T` or its length is not a multiple of `T`'s size,
/// which the alignment of [`Aligned`] and the sizes `build.rs` writes rule out.
fn table<T: bytemuck::Pod>(bytes: &'static Aligned<[u8]>) -> &'static [T] {
    bytemuck::cast_slice(&bytes.0)
}

/// The tagger's weights (as `Stored::tagger`), times [`TAGGER_SCALE`].
pub fn tagger() -> &'static [i16] {
    table(TAGGER)
}

/// The class row of each span-feature bucket (as `stored::class_rows` computes it).
pub fn class_index() -> &'static [u16] {
    table(CLASS_INDEX)
}

/// The class rows (as `stored::class_rows` computes them).
pub fn class_rows() -> &'static [Row] {
    table(CLASS_ROWS)
}

/// The model's settings beside its weights.
pub fn knobs() -> Knobs {
    KNOBS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stored::{class_rows as build_rows, Stored};

    #[test]
    fn baked_lexicon_is_the_one_built_from_the_cues() {
        let built = Lexicon::new().expect("lexicon");
        assert_eq!(lexicon(), built);
        let text = "Patriots! Some say, so-called experts, as Hitler did.";
        assert!(!lexicon().find(text).is_empty());
    }

    #[test]
    fn baked_tables_are_the_model_files() {
        let stored = Stored::from_bytes(crate::MODEL_BYTES).expect("stored model");
        assert_eq!(knobs(), stored.knobs());
        assert_eq!(TAGGER_SCALE.to_bits(), stored.tagger_scale.to_bits());
        assert_eq!(tagger(), &stored.tagger[..]);
        assert!(tagger().iter().any(|&q| q != 0));
        let (index, rows) = build_rows(&stored.classes, stored.class_scale);
        assert_eq!(class_index(), &index[..]);
        assert_eq!(class_rows().len(), rows.len());
        for (k, (baked, built)) in class_rows().iter().zip(&rows).enumerate() {
            let bits = |r: &Row| r.0.map(f32::to_bits);
            assert_eq!(bits(baked), bits(built), "row {k}");
        }
    }
}
