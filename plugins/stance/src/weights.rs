//! A linear model's weight file, as `cargo xtask train stance` writes and commits it (readable,
//! diffable); `build.rs` reads the committed ones and bakes their tables into the binary (see
//! [`crate::table`]), so that the analyzer starts without parsing a hundred thousand decimals.
//!
//! Text: `#` comment lines, one `classes:` line, then one line per feature:
//! `key<TAB>name<TAB>w1 w2 …` (key = the feature's 64-bit hash in hex).
//!
//! `build.rs` includes this file as a module of its own, so it uses nothing else of the crate.

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
