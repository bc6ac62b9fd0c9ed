//! A record's compact JSON written straight into a byte buffer: the very bytes `serde_json`
//! writes for [`RecordView`], about twice as fast.
//!
//! Writing `jsonl` was an eighth of a full `slant analyze` run (callgrind, issue 9), most of it
//! in `serde_json`'s byte-by-byte string escaping and its per-token writer calls. Here strings
//! that need no escaping (nearly all of them) are checked a chunk at a time and copied whole,
//! and structure is written with plain pushes. Numbers still go through `serde_json` (integers
//! through `itoa`, which is what `serde_json` uses), so their formatting cannot drift; the
//! tests compare the two writers byte for byte.

use serde_json::Value;

use crate::annotation::Annotation;
use crate::record_view::RecordView;
use crate::text::OffsetMap;

impl RecordView<'_> {
    /// Appends the record's compact JSON (no newline) to `out`: the same bytes as
    /// `serde_json::to_writer(out, self)`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let doc = self.document();
        out.extend_from_slice(b"{\"id\":");
        write_str(out, doc.id());
        out.extend_from_slice(b",\"source\":");
        write_str(out, doc.source());
        out.extend_from_slice(b",\"chars\":");
        write_uint(out, self.chars());
        if let Some(title) = doc.title() {
            out.extend_from_slice(b",\"title\":");
            write_str(out, title);
        }
        if !doc.meta().is_null() {
            out.extend_from_slice(b",\"meta\":");
            write_value(out, doc.meta());
        }
        out.extend_from_slice(b",\"annotations\":[");
        let mut first = true;
        for (_, layer) in doc.layers() {
            for a in layer {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_annotation(out, a, doc.text(), doc.offsets());
            }
        }
        out.extend_from_slice(b"],\"summary\":");
        write_object(out, doc.summaries());
        out.extend_from_slice(b",\"diagnostics\":");
        // Diagnostics are few and plain; serializing them into a `Vec` cannot fail.
        if serde_json::to_writer(&mut *out, self.diagnostics()).is_err() {
            out.extend_from_slice(b"[]");
        }
        out.push(b'}');
    }
}

/// One annotation as `RecordAnnotation` serializes it.
fn write_annotation(out: &mut Vec<u8>, a: &Annotation, text: &str, map: &OffsetMap) {
    out.extend_from_slice(b"{\"layer\":");
    write_str(out, &a.layer);
    out.extend_from_slice(b",\"start\":");
    write_uint(out, map.to_char(text, a.start));
    out.extend_from_slice(b",\"end\":");
    write_uint(out, map.to_char(text, a.end));
    out.extend_from_slice(b",\"text\":");
    write_str(out, a.text(text));
    if let Some(label) = &a.label {
        out.extend_from_slice(b",\"label\":");
        write_str(out, label);
    }
    if let Some(score) = a.score {
        out.extend_from_slice(b",\"score\":");
        write_f64(out, score);
    }
    if !a.attrs.is_empty() {
        out.extend_from_slice(b",\"attrs\":");
        write_object(out, &a.attrs);
    }
    out.push(b'}');
}

/// Any JSON value, in `serde_json`'s compact form (object keys in the map's own order, which
/// is the order `serde_json` serializes them in).
pub(crate) fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                write_uint(out, u);
            } else if let Some(i) = n.as_i64() {
                out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes());
            } else if serde_json::to_writer(&mut *out, n).is_err() {
                // Unreachable: a number always serializes into a `Vec`.
                out.extend_from_slice(b"null");
            }
        }
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(out, map),
    }
}

/// An object from its entries in serialization order (a `serde_json::Map` or the summary's
/// `BTreeMap`, both iterated in the order `serde_json` writes them).
fn write_object<'v>(out: &mut Vec<u8>, entries: impl IntoIterator<Item = (&'v String, &'v Value)>) {
    out.push(b'{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        write_value(out, value);
    }
    out.push(b'}');
}

fn write_uint(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A float exactly as `serde_json` writes it (`null` when not finite).
fn write_f64(out: &mut Vec<u8>, x: f64) {
    if serde_json::to_writer(&mut *out, &x).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// A JSON string: quoted, with `serde_json`'s escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
/// other control characters as `\u00XX`; nothing else is escaped).
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if needs_escape(bytes) {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// Whether any byte must be escaped: a control character, `"` or `\\`. Eight bytes at a
/// time with the "has a byte less than n" and "has a zero byte" word tricks (both exact for
/// n <= 128), which keeps the common no-escape case near one instruction per byte.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    #[inline]
    fn has_zero(v: u64) -> bool {
        v.wrapping_sub(ONES) & !v & HIGHS != 0
    }
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let below_space = v.wrapping_sub(ONES * 0x20) & !v & HIGHS != 0;
        if below_space || has_zero(v ^ (ONES * u64::from(b'"'))) || has_zero(v ^ (ONES * u64::from(b'\\'))) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => &[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn same_as_serde(value: &Value) {
        let mut fast = Vec::new();
        write_value(&mut fast, value);
        assert_eq!(String::from_utf8(fast).unwrap(), serde_json::to_string(value).unwrap());
    }

    #[test]
    fn strings_escape_like_serde_json() {
        let mut all_bytes: String = (0u8..0x80).map(char::from).collect();
        all_bytes.push_str("’“”😀 Ереван \u{2028}\u{7f}");
        for s in [
            "",
            "plain",
            "a \"quoted\" \\ back\\slash",
            "tab\tnew\nline\r\u{8}\u{c}\u{0}\u{1f}",
            &all_bytes,
            &"x".repeat(31),
            &format!("{}\"", "y".repeat(64)),
            &format!("{}\n{}", "z".repeat(40), "w".repeat(40)),
        ] {
            same_as_serde(&Value::String(s.to_string()));
        }
    }

    #[test]
    fn the_escape_check_is_exact_for_every_byte_at_every_position() {
        for fill in [b'a', 0x80, 0xff, b'!', b'#', b'[', b']'] {
            for b in 0..=255u8 {
                for pos in 0..19 {
                    let mut bytes = vec![fill; 19];
                    bytes[pos] = b;
                    let expected = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(needs_escape(&bytes), expected, "byte {b:#x} at {pos} among {fill:#x}");
                }
            }
        }
    }

    #[test]
    fn values_write_like_serde_json() {
        same_as_serde(&json!(null));
        same_as_serde(&json!({
            "b": [true, false, null],
            "a": {"u": 18446744073709551615u64, "i": -9223372036854775808i64, "zero": 0},
            "floats": [0.0, -0.0, 1.0, 0.1, 1e300, -2.5e-10, 0.786, 1.0 / 3.0, 123456789.0],
            "nested": [[{"k\"ey": "v\\al"}], []],
            "empty": {}
        }));
    }
}
