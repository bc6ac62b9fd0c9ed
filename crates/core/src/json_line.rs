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
use crate::attrs::{AttrValue, Attrs};
use crate::record_view::RecordView;
use crate::text::{count_chars, OffsetMap};

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
        let mut chars = Chars::new(doc.text(), doc.offsets());
        for (_, layer) in doc.layers() {
            for a in layer {
                if !first {
                    out.push(b',');
                }
                first = false;
                write_annotation(out, a, &mut chars);
            }
        }
        out.extend_from_slice(b"],\"summary\":");
        write_map(out, doc.summaries(), write_attr);
        out.extend_from_slice(b",\"diagnostics\":");
        // Diagnostics are few and plain; serializing them into a `Vec` cannot fail.
        if serde_json::to_writer(&mut *out, self.diagnostics()).is_err() {
            out.extend_from_slice(b"[]");
        }
        out.push(b'}');
    }
}

/// Code-point offsets of annotation spans, as [`OffsetMap::to_char`] gives them, but counted
/// from a nearby offset already converted when there is one: a layer's annotations come
/// sorted by start, so the next start is often a few bytes after the last, and a short
/// span's end a few bytes after its start. Counting those bytes a chunk at a time costs less
/// than the map's look-up, which counts from a checkpoint up to 64 bytes back a byte at a
/// time (a tenth of the writer's work before).
struct Chars<'t> {
    text: &'t str,
    map: &'t OffsetMap,
    /// Pure ASCII text: code-point offsets are byte offsets.
    ascii: bool,
    /// The last start converted, as a byte and a code-point offset.
    byte: usize,
    char: usize,
}

impl<'t> Chars<'t> {
    fn new(text: &'t str, map: &'t OffsetMap) -> Self {
        Chars { text, map, ascii: map.len_chars() == text.len(), byte: 0, char: 0 }
    }

    /// The code-point offsets of a span's start and end (both on char boundaries, as every
    /// annotation's are).
    fn span(&mut self, start: usize, end: usize) -> (usize, usize) {
        if self.ascii {
            return (start, end);
        }
        let bytes = self.text.as_bytes();
        let start_char = match start.checked_sub(self.byte) {
            Some(gap) if gap <= SHORT_SPAN => self.char + count_chars(&bytes[self.byte..start]),
            _ => self.map.to_char(self.text, start),
        };
        (self.byte, self.char) = (start, start_char);
        let end_char = match end - start {
            len if len <= SHORT_SPAN => start_char + count_chars(&bytes[start..end]),
            _ => self.map.to_char(self.text, end),
        };
        (start_char, end_char)
    }
}

/// One annotation as `RecordAnnotation` serializes it.
fn write_annotation(out: &mut Vec<u8>, a: &Annotation, chars: &mut Chars) {
    out.extend_from_slice(b"{\"layer\":");
    write_str(out, &a.layer);
    let (start, end) = chars.span(a.start, a.end);
    out.extend_from_slice(b",\"start\":");
    write_uint(out, start);
    out.extend_from_slice(b",\"end\":");
    write_uint(out, end);
    out.extend_from_slice(b",\"text\":");
    write_str(out, a.text(chars.text));
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
        write_attrs(out, &a.attrs);
    }
    out.push(b'}');
}

/// Gaps of up to this many bytes are counted rather than looked up in the offset map.
const SHORT_SPAN: usize = 64;

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
        Value::Array(items) => write_list(out, items, write_value),
        Value::Object(map) => write_map(out, map, write_value),
    }
}

/// An attribute value, as `serde_json` writes the same value (see [`crate::attrs`]).
fn write_attr(out: &mut Vec<u8>, value: &AttrValue) {
    match value {
        AttrValue::Null => out.extend_from_slice(b"null"),
        AttrValue::Bool(true) => out.extend_from_slice(b"true"),
        AttrValue::Bool(false) => out.extend_from_slice(b"false"),
        AttrValue::UInt(u) => write_uint(out, *u),
        AttrValue::Int(i) => write_uint(out, *i),
        AttrValue::Float(x) => write_f64(out, *x),
        AttrValue::Str(s) => write_str(out, s),
        AttrValue::List(items) => write_list(out, items, write_attr),
        AttrValue::Map(map) => write_attrs(out, map),
    }
}

/// Attributes, in key order (the order `serde_json` writes a map in).
fn write_attrs(out: &mut Vec<u8>, attrs: &Attrs) {
    write_map(out, attrs.iter(), write_attr);
}

/// A list, each item written by `write`.
fn write_list<T>(out: &mut Vec<u8>, items: &[T], write: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

/// An object from its entries in serialization order (a `serde_json::Map`, the summaries'
/// `BTreeMap` or [`Attrs`], each iterated in the order `serde_json` writes it), each value
/// written by `write`.
fn write_map<'v, K: AsRef<str>, V: 'v>(
    out: &mut Vec<u8>,
    entries: impl IntoIterator<Item = (K, &'v V)>,
    write: impl Fn(&mut Vec<u8>, &V),
) {
    out.push(b'{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, key.as_ref());
        out.push(b':');
        write(out, value);
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

/// The letter after the backslash of each byte's escape in a JSON string as `serde_json`
/// writes it (`b'u'` for `\u00XX`), or 0 for a byte copied as it is.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x0c] = b'f';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Bytes tested at once for escapes: one SSE2 register, which the compiler fills from
/// [`chunk_needs_escape`]'s plain loop.
const CHUNK: usize = 16;

/// A JSON string: quoted, with `serde_json`'s escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
/// other control characters as `\u00XX`; nothing else is escaped).
///
/// One pass: the string is tested a chunk at a time, and only a chunk that holds a byte to
/// escape is walked byte by byte. Clean bytes are copied in runs, from the last escape to the
/// next. Article sentences often hold a `"` or a newline, so escaping must not send the whole
/// string back to a byte-by-byte walk (the earlier writer did, and spent most of its time there).
/// The bytes after the last whole chunk are tested with loads that overlap bytes already
/// tested (the test only says whether an escape is there), not byte by byte: most strings
/// (keys, labels, short values) are shorter than a chunk.
#[inline]
pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if bytes.len() < CHUNK {
        write_short_str(out, bytes);
    } else {
        write_long_str(out, bytes);
    }
}

/// [`write_str`] for a string of at least one chunk, out of line: the short strings' path
/// is inlined where strings are written, and stays small.
#[inline(never)]
fn write_long_str(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `copied`: the first byte not yet in `out`.
    let mut copied = 0;
    let mut at = 0;
    while let Some(chunk) = bytes[at..].first_chunk::<CHUNK>() {
        if chunk_needs_escape(chunk) {
            copied = escape_span(out, bytes, copied, at, at + CHUNK);
        }
        at += CHUNK;
    }
    // The bytes after the last whole chunk: test the string's last chunk, which overlaps
    // bytes tested already. That is harmless: a yes only sends `bytes[at..]` through
    // `escape_span`.
    if at < bytes.len() && bytes.last_chunk::<CHUNK>().is_some_and(chunk_needs_escape) {
        copied = escape_span(out, bytes, copied, at, bytes.len());
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// A string shorter than a chunk: most keys, labels and values. Two word loads that overlap
/// in the middle test it and place it, quoted, in a small array, which is appended whole and
/// cut back to the string's length: no byte is handled alone, and no copy of a variable
/// length is called for a few bytes.
#[inline(always)]
fn write_short_str(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = bytes.len();
    let mut quoted = [0u8; CHUNK + 2];
    quoted[0] = b'"';
    let clean = if len >= 8 {
        let (low, high) = (load8(&bytes[..8]), load8(&bytes[len - 8..]));
        quoted[1..9].copy_from_slice(&low.to_le_bytes());
        quoted[len - 7..len + 1].copy_from_slice(&high.to_le_bytes());
        !(word_needs_escape(low) | word_needs_escape(high))
    } else if len >= 4 {
        let (low, high) = (load4(&bytes[..4]), load4(&bytes[len - 4..]));
        quoted[1..5].copy_from_slice(&low.to_le_bytes());
        quoted[len - 3..len + 1].copy_from_slice(&high.to_le_bytes());
        !word_needs_escape(u64::from(low) | u64::from(high) << 32)
    } else {
        for (i, &b) in bytes.iter().enumerate() {
            quoted[i + 1] = b;
        }
        bytes.iter().all(|&b| ESCAPE[b as usize] == 0)
    };
    if clean {
        quoted[len + 1] = b'"';
        let end = out.len() + len + 2;
        out.extend_from_slice(&quoted);
        out.truncate(end);
        return;
    }
    out.reserve(len + 2);
    out.push(b'"');
    let copied = escape_span(out, bytes, 0, 0, len);
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

#[inline]
fn load8(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

#[inline]
fn load4(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

/// Whether any of eight bytes must be escaped, with the "has a byte less than n" and "has a
/// zero byte" word tricks (both exact as a yes/no answer for n <= 128).
#[inline]
fn word_needs_escape(v: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    #[inline]
    fn has_below(v: u64, n: u8) -> bool {
        v.wrapping_sub(ONES * u64::from(n)) & !v & HIGHS != 0
    }
    // `|`, not `||`: three cheap tests beat two unpredictable branches.
    has_below(v, 0x20) | has_below(v ^ (ONES * u64::from(b'"')), 1) | has_below(v ^ (ONES * u64::from(b'\\')), 1)
}

/// Whether any byte of the chunk must be escaped: a control character, `"` or `\\`. Written
/// as a branch-free loop over a fixed-size chunk so that it compiles to a few vector
/// instructions (compare, or, move mask) instead of a test per byte.
#[inline(always)]
fn chunk_needs_escape(chunk: &[u8; CHUNK]) -> bool {
    let mut any = false;
    for &b in chunk {
        any |= (b < 0x20) | (b == b'"') | (b == b'\\');
    }
    any
}

/// Writes the bytes to escape among `bytes[from..to]`, each after the clean bytes from
/// `copied` up to it, and returns the new `copied`.
#[inline]
fn escape_span(out: &mut Vec<u8>, bytes: &[u8], mut copied: usize, from: usize, to: usize) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, &b) in bytes[from..to].iter().enumerate() {
        let letter = ESCAPE[b as usize];
        if letter == 0 {
            continue;
        }
        let i = from + i;
        out.extend_from_slice(&bytes[copied..i]);
        if letter == b'u' {
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]]);
        } else {
            out.extend_from_slice(&[b'\\', letter]);
        }
        copied = i + 1;
    }
    copied
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
        for fill in [b'a', 0x80, 0xff, b'!', b'#', b'[', b']', b' '] {
            for b in 0..=255u8 {
                for pos in 0..CHUNK {
                    let mut bytes = [fill; CHUNK];
                    bytes[pos] = b;
                    let expected = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(chunk_needs_escape(&bytes), expected, "byte {b:#x} at {pos} among {fill:#x}");
                }
            }
        }
    }

    #[test]
    fn the_word_check_is_exact_for_every_byte_at_every_position() {
        for fill in [b'a', 0x80, 0xff, b'!', b'#', b'[', b']', b' '] {
            for b in 0..=255u8 {
                for pos in 0..8 {
                    let mut bytes = [fill; 8];
                    bytes[pos] = b;
                    let expected = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(word_needs_escape(load8(&bytes)), expected, "byte {b:#x} at {pos} among {fill:#x}");
                }
            }
        }
    }

    #[test]
    fn span_offsets_match_the_offset_map_in_layer_order() {
        let text =
            format!("{}Ереван “no” – 😀, Russia’s envoy said. {}", "plain ".repeat(30), "Ещё раз «да». ".repeat(12));
        let map = OffsetMap::new(&text);
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        // Starts ascending and then starting over, like the layers of a record; spans short
        // and long.
        let mut chars = Chars::new(&text, &map);
        for round in 0..2 {
            for (i, &start) in bounds.iter().enumerate().skip(round).step_by(3) {
                for &end in [i, i + 1, i + 7, i + 40, i + 200].iter().filter_map(|&j| bounds.get(j)) {
                    let expected = (map.to_char(&text, start), map.to_char(&text, end));
                    assert_eq!(chars.span(start, end), expected, "{start}..{end}");
                }
            }
        }
        let ascii = "only ASCII here";
        let map = OffsetMap::new(ascii);
        assert_eq!(Chars::new(ascii, &map).span(5, 10), (5, 10));
    }

    #[test]
    fn chunked_char_counts_match_the_chars_of_every_span() {
        let text = "Ереван said “no” – 😀 twice, and Russia’s envoy replied in plain ASCII. Ещё раз: «да».";
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for (i, &start) in bounds.iter().enumerate() {
            for &end in &bounds[i..] {
                assert_eq!(count_chars(&text.as_bytes()[start..end]), text[start..end].chars().count());
            }
        }
    }

    /// `serde_json`'s escaping, byte by byte, as the reference for the chunked writer.
    fn reference(s: &str) -> String {
        serde_json::to_string(s).unwrap()
    }

    #[test]
    fn every_byte_to_escape_at_every_position_and_length_writes_like_serde_json() {
        // Lengths around one, two and three chunks put the escape in a whole chunk, in the
        // tail, and on every chunk edge; two escapes check the runs copied between them.
        for len in 0..3 * CHUNK + 2 {
            for pos in 0..len {
                for b in (0u8..0x20).chain([b'"', b'\\', b'/', b'a', 0x7f]) {
                    let mut bytes = vec![b'x'; len];
                    bytes[pos] = b;
                    if len > 3 {
                        bytes[(pos * 7 + 3) % len] = b'\n';
                    }
                    let s = String::from_utf8(bytes).unwrap();
                    let mut fast = Vec::new();
                    write_str(&mut fast, &s);
                    assert_eq!(String::from_utf8(fast).unwrap(), reference(&s), "{s:?}");
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
