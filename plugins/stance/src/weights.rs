//! The two forms of a linear model's weights: the text file `cargo xtask train stance` writes
//! and commits (readable, diffable), and the compact binary form `build.rs` bakes from it into
//! the binary, so that the analyzer starts without parsing a hundred thousand decimals.
//!
//! Text: `#` comment lines, one `classes:` line, then one line per feature:
//! `key<TAB>name<TAB>w1 w2 …` (key = the feature's 64-bit hash in hex).
//!
//! Compact (little-endian): `SLW1`, class count `k`, feature count `n`, names length; each
//! class as length + bytes; `n` keys (u64); `n·k` weights (f32 bits); `n` name end offsets
//! (u32); the names, concatenated.
//!
//! `build.rs` includes this file as a module of its own, so it uses nothing else of the crate.

/// Magic bytes of the compact form.
pub const MAGIC: &[u8; 4] = b"SLW1";

/// Reads a weight file: calls `row(key, name, weights)` for each feature in file order and
/// returns the class names. The error names the offending line.
pub fn read_text(text: &str, mut row: impl FnMut(u64, &str, &[f32])) -> Result<Vec<String>, String> {
    let mut classes: Vec<String> = Vec::new();
    let mut ws: Vec<f32> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("classes:") {
            classes = rest.split_whitespace().map(str::to_string).collect();
            continue;
        }
        let k = classes.len();
        if k == 0 {
            return Err(format!("line {}: feature before the `classes:` line", n + 1));
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(key), Some(name), Some(weights)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("line {}: expected key<TAB>name<TAB>weights", n + 1));
        };
        let key = u64::from_str_radix(key, 16).map_err(|e| format!("line {}: bad key `{key}`: {e}", n + 1))?;
        ws.clear();
        for w in weights.split_whitespace() {
            ws.push(w.parse().map_err(|e| format!("line {}: bad weight `{w}`: {e}", n + 1))?);
        }
        if ws.len() != k {
            return Err(format!("line {}: {} weights for {k} classes", n + 1, ws.len()));
        }
        row(key, name, &ws);
    }
    if classes.is_empty() {
        return Err("no `classes:` line".to_string());
    }
    Ok(classes)
}

/// The compact form of a weight file.
pub fn compact(text: &str) -> Result<Vec<u8>, String> {
    let (mut keys, mut weights, mut ends, mut names) = (Vec::new(), Vec::new(), Vec::new(), String::new());
    let classes = read_text(text, |key, name, ws| {
        keys.push(key);
        weights.extend_from_slice(ws);
        names.push_str(name);
        ends.push(names.len() as u32);
    })?;
    let mut out = Vec::with_capacity(16 + keys.len() * 12 + weights.len() * 4 + names.len());
    out.extend_from_slice(MAGIC);
    for x in [classes.len(), keys.len(), names.len()] {
        out.extend_from_slice(&(x as u32).to_le_bytes());
    }
    for c in &classes {
        out.extend_from_slice(&(c.len() as u32).to_le_bytes());
        out.extend_from_slice(c.as_bytes());
    }
    keys.iter().for_each(|k| out.extend_from_slice(&k.to_le_bytes()));
    weights.iter().for_each(|w| out.extend_from_slice(&w.to_bits().to_le_bytes()));
    ends.iter().for_each(|e| out.extend_from_slice(&e.to_le_bytes()));
    out.extend_from_slice(names.as_bytes());
    Ok(out)
}

/// A compact model, decoded: borrowed from the bytes where it can be.
pub struct Compact<'a> {
    pub classes: Vec<String>,
    pub keys: Vec<u64>,
    pub weights: Vec<f32>,
    pub name_ends: Vec<u32>,
    pub names: &'a str,
}

/// Decodes the compact form.
pub fn decode(bytes: &[u8]) -> Result<Compact<'_>, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err("not a compact weight file (bad magic)".to_string());
    }
    let (k, n, names_len) = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
    let mut classes = Vec::with_capacity(k);
    for _ in 0..k {
        let len = r.u32()? as usize;
        let c = std::str::from_utf8(r.take(len)?).map_err(|e| format!("class name: {e}"))?;
        classes.push(c.to_string());
    }
    let keys = r.take(n * 8)?.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))).collect();
    let weights = r
        .take(n * k * 4)?
        .chunks_exact(4)
        .map(|b| f32::from_bits(u32::from_le_bytes(b.try_into().expect("4 bytes"))))
        .collect();
    let name_ends: Vec<u32> =
        r.take(n * 4)?.chunks_exact(4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes"))).collect();
    let names = std::str::from_utf8(r.take(names_len)?).map_err(|e| format!("feature names: {e}"))?;
    if r.at != bytes.len() || name_ends.last().is_some_and(|&e| e as usize != names.len()) {
        return Err("compact weight file: inconsistent lengths".to_string());
    }
    if name_ends.windows(2).any(|w| w[0] > w[1]) || name_ends.iter().any(|&e| !names.is_char_boundary(e as usize)) {
        return Err("compact weight file: bad name offsets".to_string());
    }
    Ok(Compact { classes, keys, weights, name_ends, names })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(len).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else { return Err("compact weight file: truncated".to_string()) };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
}
