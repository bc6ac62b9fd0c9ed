//! The learned tone's weight table: a weight file parsed into the ranked arrays the model
//! reads. Shared by `build.rs`, which bakes the committed file into static tables, and by the
//! model's own parser (tests and the trainer's check of the files it writes).

/// Log2 of the number of feature slots.
pub const BUCKET_BITS: u32 = 18;
/// Number of feature slots.
pub const BUCKETS: usize = 1 << BUCKET_BITS;

/// A parsed weight file: per 64 slots the bitmap word of the slots that have a weight and the
/// number of weights before it, the weights in slot order (ten-thousandths), and the band.
#[derive(Debug)]
pub struct Table {
    pub bits: Vec<u64>,
    pub before: Vec<u16>,
    pub weights: Vec<i16>,
    pub band: f64,
}

/// Parses a weight file: `#` comments, `band: x`, then `slot<TAB>name<TAB>weight` rows
/// (a slot met twice keeps its last weight; weights in ten-thousandths, below 3.2767 in
/// size; at most 65,535 of them). The error names the line.
pub fn parse(src: &str) -> Result<Table, String> {
    let mut flat = vec![0i16; BUCKETS];
    // The names column is for people reading the file; scoring needs only slots and
    // weights, so it is checked for presence but not kept.
    let mut band = 0.15;
    for (n, line) in src.lines().enumerate() {
        let bad = |what: &str| format!("line {}: {what}: {line:?}", n + 1);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(b) = line.strip_prefix("band:") {
            band = b.trim().parse().map_err(|_| bad("bad band"))?;
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(s), Some(_name), Some(w), None) = (cols.next(), cols.next(), cols.next(), cols.next()) else {
            return Err(bad("want slot, name and weight"));
        };
        let s: u32 = s.parse().map_err(|_| bad("bad slot"))?;
        let w: f64 = w.parse().map_err(|_| bad("bad weight"))?;
        let q = (w * 1e4).round();
        if s as usize >= BUCKETS || !q.is_finite() || q.abs() > i16::MAX as f64 {
            return Err(bad("slot out of range or weight not finite or too large"));
        }
        flat[s as usize] = q as i16;
    }
    let (mut bits, mut before, mut weights) = (Vec::new(), Vec::new(), Vec::new());
    for chunk in flat.chunks(64) {
        let mut b = 0u64;
        before.push(u16::try_from(weights.len()).map_err(|_| "more than 65,535 weights".to_string())?);
        for (k, &w) in chunk.iter().enumerate() {
            if w != 0 {
                b |= 1 << k;
                weights.push(w);
            }
        }
        bits.push(b);
    }
    Ok(Table { bits, before, weights, band })
}
