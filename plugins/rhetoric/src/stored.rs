//! The model file's format (read and write) and the compact class rows built from it. It
//! depends on nothing else of the crate, so that the build script can include it too and bake
//! the embedded model's tables into the binary (see `build.rs` and [`crate::baked`]).

/// Hashed buckets of the tagger (2^18 weights, 1 MB as f32 in memory).
pub const TAG_BITS: u32 = 18;
/// Hashed buckets of the span classifier's features (`features::CLASS_BITS`, which
/// `model.rs` checks against this at compile time).
pub const CLASS_BITS: u32 = 16;
/// The PTC classes (`PtcClass::ALL.len()`, checked in `model.rs` at compile time).
pub const N_CLASSES: usize = 14;
/// Outputs of the span classifier: the PTC classes, then "no technique".
pub const N_OUTPUTS: usize = N_CLASSES + 1;
/// Span shapes (`model::Shape::ALL.len()`, checked in `model.rs` at compile time).
pub const N_SHAPES: u8 = 4;
const MAGIC: &[u8; 4] = b"SLRH";
const VERSION: u32 = 4;

/// The settings of a model beside its weights (see `model::Model` for their meaning).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knobs {
    pub threshold: f32,
    pub extend: f32,
    pub abstain: f32,
    pub second: f32,
    /// Per PTC class, the `model::Shape` a span of that class takes (as a `u8`).
    pub shapes: [u8; N_CLASSES],
}

/// A model as its file stores it: each table's weights as 16-bit integers times one scale
/// per table. `model::Model`'s weights are exactly `q as f32 * scale`; the analyzer reads
/// these instead (half the memory of `f32`, and no float table to build at start).
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub threshold: f32,
    pub extend: f32,
    pub abstain: f32,
    pub second: f32,
    pub shapes: [u8; N_CLASSES],
    pub tagger: Vec<i16>,
    pub tagger_scale: f32,
    pub classes: Vec<i16>,
    pub class_scale: f32,
}

impl Stored {
    pub fn from_bytes(bytes: &[u8]) -> Result<Stored, String> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err("rhetoric model: bad magic (not a Slant rhetoric model)".to_string());
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(format!("rhetoric model: version {version}, expected {VERSION}"));
        }
        let dims = r.take(4)?;
        if dims[0] as u32 != TAG_BITS || dims[1] as u32 != CLASS_BITS || dims[2] as usize != N_OUTPUTS {
            return Err(format!(
                "rhetoric model: dimensions {}/{}/{} differ from the code's {TAG_BITS}/{CLASS_BITS}/{N_OUTPUTS}; \
                 run `cargo xtask train rhetoric`",
                dims[0], dims[1], dims[2]
            ));
        }
        let threshold = r.f32()?;
        let extend = r.f32()?;
        let abstain = r.f32()?;
        let second = r.f32()?;
        let shapes: [u8; N_CLASSES] = r.take(N_CLASSES)?.try_into().map_err(|_| "rhetoric model: truncated")?;
        if shapes.iter().any(|&x| x >= N_SHAPES) {
            return Err("rhetoric model: unknown span shape".to_string());
        }
        let (tagger, tagger_scale) = r.table(1 << TAG_BITS)?;
        let (classes, class_scale) = r.table(N_OUTPUTS << CLASS_BITS)?;
        Ok(Stored { threshold, extend, abstain, second, shapes, tagger, tagger_scale, classes, class_scale })
    }

    /// The model's settings beside its weights.
    pub fn knobs(&self) -> Knobs {
        Knobs {
            threshold: self.threshold,
            extend: self.extend,
            abstain: self.abstain,
            second: self.second,
            shapes: self.shapes,
        }
    }

    /// Writes a model's settings and tables: each table's weights smaller than `prune` in
    /// magnitude are dropped and the rest quantised to 16 bits.
    pub fn write(knobs: &Knobs, tagger: &[f32], classes: &[f32], prune: f32) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(TAG_BITS as u8);
        out.push(CLASS_BITS as u8);
        out.push(N_OUTPUTS as u8);
        out.push(0);
        out.extend_from_slice(&knobs.threshold.to_le_bytes());
        out.extend_from_slice(&knobs.extend.to_le_bytes());
        out.extend_from_slice(&knobs.abstain.to_le_bytes());
        out.extend_from_slice(&knobs.second.to_le_bytes());
        out.extend_from_slice(&knobs.shapes);
        write_table(&mut out, tagger, prune);
        write_table(&mut out, classes, prune);
        out
    }
}

/// Lanes of a [`Row`]: the classes, then zeros.
pub const ROW_LANES: usize = 16;
const _: () = assert!(N_OUTPUTS <= ROW_LANES);

/// One class row: the weights of the classes, then zeros, aligned to a cache line.
#[derive(Debug, Clone, Copy, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C, align(64))]
pub struct Row(pub [f32; ROW_LANES]);

/// A stored model's class weights with the all-zero rows folded into one (see
/// `model::ClassRows`): the row of each feature bucket, and the rows, each weight
/// `q as f32 * scale` as `model::Model::from_bytes` computes it.
pub fn class_rows(classes: &[i16], scale: f32) -> (Vec<u16>, Vec<Row>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut zero_rows = false;
    let mut index: Vec<u16> = Vec::with_capacity(classes.len() / N_OUTPUTS);
    for row in classes.chunks_exact(N_OUTPUTS) {
        // A row of zeros is a row of +0.0 in the model, and adds nothing.
        if row.iter().all(|&q| q == 0) {
            zero_rows = true;
            index.push(u16::MAX);
        } else {
            let mut r = Row([0.0; ROW_LANES]);
            for (w, &q) in r.0.iter_mut().zip(row) {
                *w = q as f32 * scale;
            }
            // At most 2^CLASS_BITS = 2^16 rows, so the nonzero ones number below 2^16
            // whenever there is a zero row, and fit in a `u16` otherwise.
            index.push(rows.len() as u16);
            rows.push(r);
        }
    }
    // The zero rows all point at one row of zeros (+0.0, as `0 as f32 * scale` is), after
    // the others.
    if zero_rows {
        let zero = rows.len() as u16;
        rows.push(Row([0.0; ROW_LANES]));
        index.iter_mut().filter(|k| **k == u16::MAX).for_each(|k| *k = zero);
    }
    (index, rows)
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn write_table(out: &mut Vec<u8>, w: &[f32], prune: f32) {
    let max = w.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let kept: Vec<(usize, i16)> = w
        .iter()
        .enumerate()
        .filter(|(_, v)| v.abs() >= prune)
        .map(|(i, v)| (i, (v / scale).round() as i16))
        .filter(|(_, q)| *q != 0)
        .collect();
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
    let mut prev = 0usize;
    for (i, q) in kept {
        write_varint(out, (i - prev) as u64);
        out.extend_from_slice(&q.to_le_bytes());
        prev = i;
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.pos + n;
        let s = self.bytes.get(self.pos..end).ok_or("rhetoric model: truncated file")?;
        self.pos = end;
        Ok(s)
    }

    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "rhetoric model: truncated")?))
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "rhetoric model: truncated")?))
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.take(1)?[0];
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err("rhetoric model: bad varint".to_string());
            }
        }
    }

    /// A table of `size` weights (the ones not stored are 0) and its scale.
    fn table(&mut self, size: usize) -> Result<(Vec<i16>, f32), String> {
        let scale = self.f32()?;
        let n = self.u32()? as usize;
        let mut w = vec![0i16; size];
        let mut idx = 0usize;
        for _ in 0..n {
            idx += self.varint()? as usize;
            let q = i16::from_le_bytes(self.take(2)?.try_into().map_err(|_| "rhetoric model: truncated")?);
            *w.get_mut(idx).ok_or("rhetoric model: weight index out of range")? = q;
        }
        Ok((w, scale))
    }
}
