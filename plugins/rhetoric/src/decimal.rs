//! Two-decimal rendering of the floats in explanations (`{:.2}`), without the standard
//! formatter's general exact-decimal machinery.
//!
//! Every model span's explanation holds half a dozen such numbers, and `core::fmt` spent about
//! 600 instructions on each: more than tagging a token. A non-negative `f32` below a million is
//! a 24-bit integer times a power of two, so a hundred times it, rounded half to even as the
//! standard formatter rounds, takes one shift and one comparison. Anything else (negative, not
//! finite, huge) goes to the standard formatter, so the text is the same for every input.

use std::fmt::Write as _;

/// Appends `x` as `format!("{x:.2}")` would write it.
pub fn push_2dp(out: &mut String, x: f32) {
    match hundredths(x) {
        Some(n) => {
            // The integer part's digits, most significant first (below 10^6: seven at most).
            let mut int = n / 100;
            let mut digits = [0u8; 8];
            let mut k = digits.len();
            loop {
                k -= 1;
                digits[k] = b'0' + (int % 10) as u8;
                int /= 10;
                if int == 0 {
                    break;
                }
            }
            digits[k..].iter().for_each(|&d| out.push(d as char));
            out.push('.');
            let frac = (n % 100) as u8;
            out.push((b'0' + frac / 10) as char);
            out.push((b'0' + frac % 10) as char);
        }
        None => {
            let _ = write!(out, "{x:.2}");
        }
    }
}

/// `x` times 100 rounded to an integer, ties to even (as `{:.2}` rounds the exact binary
/// value), for `+0.0 <= x < 1e6`; `None` for anything else.
fn hundredths(x: f32) -> Option<u64> {
    if !(x.is_sign_positive() && x < 1e6) {
        // Also catches NaN, which is neither below 1e6 nor above it.
        return None;
    }
    let bits = x.to_bits();
    let exp_field = (bits >> 23) & 0xff;
    let frac = (bits & 0x7f_ffff) as u64;
    // x = m * 2^e exactly.
    let (m, e) = if exp_field == 0 { (frac, -149i32) } else { (frac | 0x80_0000, exp_field as i32 - 150) };
    // m < 2^24, so m * 100 < 2^31.
    let num = m * 100;
    if e >= 0 {
        // x < 1e6, so num << e < 1e8: no overflow.
        return Some(num << e);
    }
    let s = (-e) as u32;
    if s >= 40 {
        // num / 2^s < 2^31 / 2^40 < 1/2: rounds to zero, and is no tie.
        return Some(0);
    }
    let q = num >> s;
    let r = num & ((1u64 << s) - 1);
    let half = 1u64 << (s - 1);
    Some(if r > half || (r == half && q & 1 == 1) { q + 1 } else { q })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(x: f32) {
        let mut got = String::new();
        push_2dp(&mut got, x);
        assert_eq!(got, format!("{x:.2}"), "bits {:#x}", x.to_bits());
    }

    #[test]
    fn ties_edges_and_special_values_match_the_standard_formatter() {
        // Exact ties (odd multiples of 1/8) round to even as `{:.2}` does.
        for k in 0..2000 {
            check(k as f32 / 8.0);
        }
        for x in [0.0, -0.0, 0.005, 0.015, 0.995, 0.9949999, 1e-45, 1e-30, 999_999.9, 1e6, 3e9] {
            check(x);
        }
        for x in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.25, -1.5, f32::MAX, f32::MIN_POSITIVE] {
            check(x);
        }
    }

    #[test]
    fn a_spread_of_floats_matches_the_standard_formatter() {
        // Every 997th bit pattern from 0 to 4.0 (probabilities and weights), and some beyond.
        let top = 4.0f32.to_bits();
        let mut bits = 0u32;
        while bits <= top {
            check(f32::from_bits(bits));
            bits += 997;
        }
        let mut bits = top;
        while bits < 1e7f32.to_bits() {
            check(f32::from_bits(bits));
            bits += 104_729;
        }
    }

    /// Every non-negative float below 16, in release: `cargo test -p slant-rhetoric --release
    /// -- --ignored every_float` (about a billion formats; minutes).
    #[test]
    #[ignore]
    fn every_float_below_sixteen_matches_the_standard_formatter() {
        let mut got = String::new();
        let mut want = String::new();
        for bits in 0..=16.0f32.to_bits() {
            let x = f32::from_bits(bits);
            got.clear();
            want.clear();
            push_2dp(&mut got, x);
            let _ = write!(want, "{x:.2}");
            assert_eq!(got, want, "bits {bits:#x}");
        }
    }
}
