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

/// Appends Python's `s.lower()` to `out` (ASCII without allocating; other text through Rust's
/// full Unicode lowercasing, which like Python's handles the final sigma).
pub fn push_lower(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// Python's `round(x, digits)` for a float: the decimal nearest to the exact binary value of
/// `x`, ties to even, converted back to the nearest float.
pub fn py_round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    let y = x * scale;
    let r = y.round();
    // When `y` is clearly away from a half, the integer `r` is the correctly rounded decimal,
    // and `r / scale` (one correctly rounded division) is the float nearest to it, as Python
    // returns. Near a half, the scaling may have moved `y` across it: decide on the exact
    // decimal expansion, which Rust's formatter computes (ties to even, like Python).
    if ((y - y.trunc()).abs() - 0.5).abs() > 1e-6 && y.abs() < 1e15 {
        let out = r / scale;
        if out == 0.0 {
            // Python keeps the sign of a value that rounds to zero (`round(-0.00001, 4)` is -0.0).
            return if x.is_sign_negative() { -0.0 } else { 0.0 };
        }
        return out;
    }
    let s = format!("{:.*}", digits as usize, x);
    s.parse().unwrap_or(x)
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
}
