//! Python string and float semantics that VADER's numbers depend on: what `str.split()` and
//! `str.strip()` call whitespace, `str.isupper()`, `str.lower()`, stripping
//! `string.punctuation`, and `round(x, n)`.

/// Python's `str.isspace()` for one character, which `str.split()` and `str.strip()` use:
/// Unicode `White_Space` plus the four ASCII separators U+001C..U+001F, which Rust's
/// `char::is_whitespace` does not count.
#[inline]
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` without arguments.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Whether a character is in Python's `string.punctuation` (ASCII punctuation).
#[inline]
pub fn is_py_punct(c: char) -> bool {
    c.is_ascii_punctuation()
}

/// VADER's `_strip_punc_if_word`: strip leading and trailing ASCII punctuation unless that
/// leaves two characters or fewer (then the token was likely an emoticon and stays whole).
pub fn strip_punc_if_word(token: &str) -> &str {
    // ASCII punctuation bytes are whole characters, so byte positions stay on boundaries.
    let b = token.as_bytes();
    let (mut start, mut end) = (0, b.len());
    while start < end && b[start].is_ascii_punctuation() {
        start += 1;
    }
    while end > start && b[end - 1].is_ascii_punctuation() {
        end -= 1;
    }
    let stripped = &token[start..end];
    // Fewer than three bytes means fewer than three characters; otherwise count characters,
    // as Python's `len` does.
    if stripped.len() <= 2 || (!stripped.is_ascii() && stripped.chars().nth(2).is_none()) {
        token
    } else {
        stripped
    }
}

/// Unicode titlecase letters (category Lt), which Python's `isupper` treats as not upper.
fn is_titlecase(c: char) -> bool {
    matches!(c, '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}' | '\u{1f88}'..='\u{1f8f}' | '\u{1f98}'..='\u{1f9f}'
        | '\u{1fa8}'..='\u{1faf}' | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// Python's `str.isupper()`: at least one cased character and no lowercase or titlecase one.
pub fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    if s.is_ascii() {
        for b in s.bytes() {
            if b.is_ascii_lowercase() {
                return false;
            }
            cased |= b.is_ascii_uppercase();
        }
        return cased;
    }
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Appends Python's `s.lower()` to `out` (ASCII, and ASCII with general punctuation, without
/// allocating; other text through Rust's full Unicode lowercasing, which like Python's handles
/// the final sigma).
pub fn push_lower(s: &str, out: &mut String) {
    if only_ascii_or_general_punctuation(s.as_bytes()) {
        // The non-ASCII characters are curly quotes, dashes, ellipses and the like, which news
        // text puts around words and which have no case: ASCII lowercasing leaves their bytes
        // (all from 0x80) as they are.
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// Whether every character of the UTF-8 bytes `b` is ASCII or in U+2000 to U+207F (general
/// punctuation, superscripts), a block without capital letters whose lowercase is itself.
fn only_ascii_or_general_punctuation(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0..=0x7f => i += 1,
            // U+2000 to U+207F are E2 80 xx and E2 81 xx.
            0xe2 if matches!(b.get(i + 1), Some(0x80 | 0x81)) => i += 3,
            _ => return false,
        }
    }
    true
}

/// Python's `round(x, digits)` for a float: the decimal nearest to the exact binary value of
/// `x`, ties to even, converted back to the nearest float.
#[inline]
pub fn py_round(x: f64, digits: i32) -> f64 {
    let scale = match digits {
        3 => 1e3,
        4 => 1e4,
        _ => 10f64.powi(digits),
    };
    let y = x * scale;
    if y.abs() < 1e15 {
        // Truncation and rounding by integer conversion (exact below 2^53), which unlike
        // `f64::round` needs no libm call on baseline x86-64.
        let t = y as i64 as f64;
        let frac = y - t;
        // When `y` is clearly away from a half, the integer `r` is the correctly rounded
        // decimal, and `r / scale` (one correctly rounded division) is the float nearest to
        // it, as Python returns. Near a half, the scaling may have moved `y` across it:
        // decide on the exact decimal expansion below.
        if (frac.abs() - 0.5).abs() > 1e-6 {
            let r = if frac > 0.5 {
                t + 1.0
            } else if frac < -0.5 {
                t - 1.0
            } else {
                t
            };
            let out = r / scale;
            if out == 0.0 {
                // Python keeps the sign of a value that rounds to zero (`round(-0.00001, 4)`
                // is -0.0).
                return if x.is_sign_negative() { -0.0 } else { 0.0 };
            }
            return out;
        }
    }
    // Rust's formatter computes the exact decimal expansion, ties to even, like Python.
    let s = format!("{:.*}", digits as usize, x);
    s.parse().unwrap_or(x)
}

/// [`py_round`]`(x, D)` as a signed number of `10^-D` units and whether the float it stands
/// for is negative (Python keeps the sign of a value that rounds to zero), when the fast path
/// of [`py_round`] decides the rounding and the result is below 10 in magnitude (the values
/// [`places_into`] prints); `None` otherwise. `py_round(x, D)` is then the float nearest to
/// `units / 10^D`, and [`write_units`] prints what [`places_into`] prints for it.
#[inline]
pub fn round_units<const D: u32>(x: f64) -> Option<(i64, bool)> {
    let scale = 10u64.pow(D) as f64;
    let y = x * scale;
    // (NaN fails the test too.)
    if y.is_nan() || y.abs() >= 1e15 {
        return None;
    }
    // The same steps as `py_round`'s fast path.
    let t = y as i64 as f64;
    let frac = y - t;
    if (frac.abs() - 0.5).abs() <= 1e-6 {
        return None;
    }
    let r = if frac > 0.5 {
        t + 1.0
    } else if frac < -0.5 {
        t - 1.0
    } else {
        t
    };
    if r.abs() >= 10.0 * scale {
        return None;
    }
    // A negative `x` rounds to a negative number or to -0.0; a positive one to neither.
    Some((r as i64, x.is_sign_negative()))
}

/// Writes a [`round_units`] result as Python's `repr` prints the rounded float: the digits
/// of the integer with `D` places, trailing zeros dropped but one.
#[inline]
pub fn write_units<const D: u32>((units, negative): (i64, bool), out: &mut Vec<u8>) {
    let mut buf = [0u8; 16];
    let n = fixed_point_into::<D>(units.unsigned_abs(), negative, &mut buf);
    out.extend_from_slice(&buf[..n]);
}

/// [`write_units`] into `line` at `at`, which must have 16 bytes from there; returns where
/// the number ends. (`slant vader` assembles each JSON line on the stack and appends it to
/// its output at once, rather than appending each piece with a copy of variable length.)
#[inline(always)]
pub fn units_at<const D: u32>((units, negative): (i64, bool), line: &mut [u8], at: usize) -> usize {
    let mut buf = [0u8; 16];
    let n = fixed_point_into::<D>(units.unsigned_abs(), negative, &mut buf);
    line[at..at + 16].copy_from_slice(&buf);
    at + n
}

/// Writes `k / 10^D` with a `-` when `negative`, `D` places with trailing zeros dropped but
/// one, into `buf` (the integer part is one digit); returns the length. Bytes past the length
/// may be written too. Without a branch: the `D` digits are bytes of one word, written at
/// once, and the length is found from the last nonzero digit.
#[inline]
fn fixed_point_into<const D: u32>(k: u64, negative: bool, buf: &mut [u8; 16]) -> usize {
    const { assert!(D >= 1 && D <= 8, "one word holds the digits") };
    let p = 10u64.pow(D);
    let n = negative as usize;
    buf[0] = b'-';
    buf[n] = b'0' + (k / p) as u8;
    buf[n + 1] = b'.';
    // The fractional digits, the first in the lowest byte (divisions by constants).
    let mut f = k % p;
    let mut w = 0u64;
    for j in (0..D).rev() {
        w |= (f % 10) << (8 * j);
        f /= 10;
    }
    // Trailing zeros dropped but one: the digits up to the last nonzero one, at least one.
    let len = (64 - (w | 1).leading_zeros() as usize).div_ceil(8);
    buf[n + 2..n + 10].copy_from_slice(&(w | 0x3030_3030_3030_3030).to_le_bytes());
    n + 2 + len
}

/// Writes `x`, a value [`py_round`] returned for `digits` places, as Python's `repr` prints
/// it (see [`places_into`]; anything else goes through [`write_py_float`]).
#[inline]
pub fn write_rounded(x: f64, digits: u32, out: &mut String) {
    let mut buf = [0u8; 16];
    let n = match digits {
        3 => places_into::<3>(x, &mut buf),
        4 => places_into::<4>(x, &mut buf),
        _ => None,
    };
    match n {
        // Only ASCII digits, '-' and '.' were written.
        Some(n) => out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or_default()),
        None => write_py_float(x, out),
    }
}

/// Writes `x` into `buf` as Python's `repr` prints it, if `x` is the float nearest to a
/// decimal with at most `D` places below 10 (what [`py_round`] returns for `D` places);
/// returns the length, or `None` for any other value. Such a float prints as that decimal:
/// no shorter decimal rounds to the same float, and none of that length is closer; so the
/// digits come from an integer, without a float formatter.
#[inline]
pub fn places_into<const D: u32>(x: f64, buf: &mut [u8; 16]) -> Option<usize> {
    let p = 10u64.pow(D);
    let scale = p as f64;
    let y = x.abs() * scale;
    if y.is_nan() || y >= 10.0 * scale {
        return None;
    }
    let k = (y + 0.5) as i64 as u64;
    if k as f64 / scale != x.abs() {
        return None;
    }
    Some(fixed_point_into::<D>(k, x.is_sign_negative(), buf))
}

/// Writes a float as Python's `repr` does (which is what `json.dumps` prints): shortest
/// round-trip digits, always with a fraction or exponent.
pub fn write_py_float(x: f64, out: &mut String) {
    let a = x.abs();
    if a != 0.0 && !(1e-4..1e16).contains(&a) {
        // Python switches to scientific notation outside [1e-4, 1e16) and writes `1e-05`.
        let s = format!("{x:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = if let Some(d) = exp.strip_prefix('-') { ('-', d) } else { ('+', exp) };
        out.push_str(mant);
        out.push('e');
        out.push(sign);
        if digits.len() < 2 {
            out.push('0');
        }
        out.push_str(digits);
        return;
    }
    let mut buf = ryu::Buffer::new();
    out.push_str(buf.format(x));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_matches_python_including_ties_and_negative_zero() {
        // Expected values from CPython 3.11 `round(x, n)`.
        let cases = [
            (0.0625, 3, 0.062),
            (0.1875, 3, 0.188),
            (0.0005, 3, 0.001),
            (0.0015, 3, 0.002),
            (0.00025, 4, 0.0003),
            (2.675, 2, 2.67),
            (0.12345, 4, 0.1235),
            (0.8316, 4, 0.8316),
            (-0.00001, 4, -0.0),
            (0.5, 0, 0.0),
            (1.5, 0, 2.0),
        ];
        for (x, d, want) in cases {
            let got = py_round(x, d);
            assert_eq!(got, want, "round({x}, {d})");
            assert_eq!(got.is_sign_negative(), want.is_sign_negative(), "sign of round({x}, {d})");
        }
    }

    #[test]
    fn floats_print_like_python_repr() {
        let mut s = String::new();
        for x in [0.0, -0.0, 0.254, 1.0, 0.0001, 1e-5, -0.4215] {
            write_py_float(x, &mut s);
            s.push(' ');
        }
        assert_eq!(s, "0.0 -0.0 0.254 1.0 0.0001 1e-05 -0.4215 ");
    }

    #[test]
    fn rounded_values_print_as_the_float_formatter_prints_them() {
        let (mut fast, mut slow) = (String::new(), String::new());
        for digits in [3u32, 4] {
            let n = 10i64.pow(digits);
            for k in -2 * n..=2 * n {
                let x = py_round(k as f64 / n as f64, digits as i32);
                for x in [x, -x] {
                    fast.clear();
                    slow.clear();
                    write_rounded(x, digits, &mut fast);
                    write_py_float(x, &mut slow);
                    assert_eq!(fast, slow, "{x} at {digits} places");
                }
            }
        }
        for x in [0.12345, 1e-7, 1e20, 12.5, f64::NAN, f64::INFINITY, 0.1 + 0.2] {
            fast.clear();
            slow.clear();
            write_rounded(x, 3, &mut fast);
            write_py_float(x, &mut slow);
            assert_eq!(fast, slow, "{x} is not rounded: the fallback prints it");
        }
    }

    #[test]
    fn units_print_what_rounding_then_printing_prints() {
        // The fused path of `slant vader` against `py_round` then `places_into`, on a dense
        // grid, values near halves, zeros of both signs and values out of its range.
        let mut xs: Vec<f64> = (0..300_000).map(|i| (i as f64 * 0.000_007_3) - 1.1).collect();
        for k in -2000..2000 {
            for d in [-1e-9, 0.0, 1e-9] {
                xs.push(k as f64 / 2000.0 + 0.000_05 + d);
                xs.push(k as f64 / 20000.0 + 0.000_05 + d);
            }
        }
        xs.extend([0.0, -0.0, -0.00001, 0.00001, 1.0, -1.0, 9.9999, 10.0, -12.5, 1e20, f64::NAN]);
        let mut buf = [0u8; 16];
        for &x in &xs {
            for d in [3u32, 4] {
                let units = if d == 3 { round_units::<3>(x) } else { round_units::<4>(x) };
                let Some(units) = units else { continue };
                let mut fast = Vec::new();
                if d == 3 {
                    write_units::<3>(units, &mut fast)
                } else {
                    write_units::<4>(units, &mut fast)
                };
                let mut line = [b'x'; 24];
                let end = if d == 3 { units_at::<3>(units, &mut line, 3) } else { units_at::<4>(units, &mut line, 3) };
                assert_eq!(line[3..end].to_vec(), fast, "{x} at {d} places, on the stack");
                let r = py_round(x, d as i32);
                let n = if d == 3 { places_into::<3>(r, &mut buf) } else { places_into::<4>(r, &mut buf) };
                let n = n.expect("a rounded value below 10 prints from integers");
                assert_eq!(fast, buf[..n].to_vec(), "{x} at {d} places");
            }
        }
        assert!(round_units::<4>(f64::NAN).is_none() && round_units::<3>(10.0).is_none());
    }

    #[test]
    fn rounding_agrees_with_the_exact_decimal_expansion() {
        // Every value VADER rounds is a ratio or a normalized sum; sweep a dense grid.
        for i in 0..200_000 {
            let x = (i as f64 * 0.000_013_7) - 1.3;
            for d in [3, 4] {
                let want: f64 = format!("{:.*}", d as usize, x).parse().unwrap();
                let got = py_round(x, d);
                assert_eq!(got.abs(), want.abs(), "round({x}, {d})");
            }
        }
    }

    #[test]
    fn python_string_predicates() {
        assert!(py_isupper("GOOD!"));
        assert!(!py_isupper("Good"));
        assert!(!py_isupper(":)"));
        assert!(py_isupper("ÉTÉ"));
        assert!(!py_isupper("\u{1c5}A"));
        assert!(is_py_space('\u{1f}') && is_py_space('\u{a0}') && !is_py_space('x'));
        assert_eq!(strip_punc_if_word("good!!"), "good");
        assert_eq!(strip_punc_if_word(":)"), ":)");
        assert_eq!(strip_punc_if_word("'ok'"), "'ok'");
        assert_eq!(strip_punc_if_word("(été)"), "été");
        assert_eq!(strip_punc_if_word("(éé)"), "(éé)");
        let mut s = String::new();
        push_lower("\u{39f}\u{394}\u{39f}\u{3a3}", &mut s);
        assert_eq!(s, "\u{3bf}\u{3b4}\u{3bf}\u{3c2}", "final sigma as in Python");
    }

    #[test]
    fn push_lower_equals_unicode_lowercasing() {
        // Every character of U+2000 to U+207F (the fast path) and its neighbours, alone and
        // around words, against `str::to_lowercase`.
        let mut texts: Vec<String> = (0x1f00..0x2200u32)
            .filter_map(char::from_u32)
            .flat_map(|c| [c.to_string(), format!("{c}Don't{c}"), format!("ÉTÉ{c}")])
            .collect();
        texts.extend(
            ["\u{201c}Angry,\u{201d}", "WAR\u{2014}PEACE", "\u{39f}\u{3a3}\u{2019}", "x\u{2071}\u{207f}"]
                .map(String::from),
        );
        for t in &texts {
            let mut got = String::from("prefix ");
            push_lower(t, &mut got);
            assert_eq!(got, format!("prefix {}", t.to_lowercase()), "{t:?}");
        }
        assert!(only_ascii_or_general_punctuation("\u{201c}Angry\u{201d}".as_bytes()));
        assert!(!only_ascii_or_general_punctuation("caf\u{e9}".as_bytes()));
    }
}
