//! Error measurement in units in the last place (ULP) of the reference.
//!
//! The unit is the spacing of the result type in the binade of the *exact* value, not of
//! the computed result: a result that lands in the next binade down (just below a power of
//! two) is then not rewarded with a finer unit. Below the smallest normal the spacing is
//! the fixed subnormal one (2^−149 for `f32`, 2^−1074 for `f64`), so subnormal results are
//! measured in the units they are actually rounded to, instead of being flushed to "close
//! enough" by a relative error.
//!
//! Conventions shared by both measures:
//! - two NaNs, or two equal infinities, are an error of 0 (the right answer);
//! - NaN against a number, or an infinity against a finite value, is an infinite error;
//! - a reference beyond the type's range counts as the infinity it rounds to, so an
//!   overflow to ±∞ that correct rounding would also produce is an error of 0.

use rug::Float;

use crate::measure::FloatType;

/// Smallest binade exponent of a normal `f32`.
const F32_MIN_EXP: i32 = -126;
/// Smallest binade exponent of a normal `f64`.
const F64_MIN_EXP: i32 = -1022;

/// The `f32` ULP in the binade of `reference` (which is exact enough in `f64`):
/// 2^(e − 23) for |reference| ∈ [2^e, 2^(e+1)), and 2^−149 below the normal range.
pub fn f32_ulp_of(reference: f64) -> f64 {
    let a = reference.abs();
    if a == 0.0 || a < f32::MIN_POSITIVE as f64 {
        return 2f64.powi(-149);
    }
    // The binade exponent of a normal f64 is its biased exponent field minus 1023, and
    // every f64 at or above 2^−126 is normal.
    let e = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(e.max(F32_MIN_EXP) - 23)
}

/// Error of an `f32` result against an `f64` reference, in `f32` ULPs of the reference.
pub fn ulp_error_f32(result: f32, reference: f64) -> f64 {
    if result.is_nan() || reference.is_nan() {
        return if result.is_nan() && reference.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    // A reference beyond f32's range is judged by what it rounds to.
    let rounded = reference as f32;
    if result.is_infinite() || rounded.is_infinite() {
        if result == rounded {
            return 0.0;
        }
        if result.is_infinite() {
            return f64::INFINITY;
        }
    }
    if reference.is_infinite() {
        return f64::INFINITY;
    }
    ((result as f64) - reference).abs() / f32_ulp_of(reference)
}

/// The `f64` ULP exponent in the binade of an MPFR `reference`: the ULP is 2^returned.
fn f64_ulp_exponent(reference: &Float) -> i32 {
    match reference.get_exp() {
        // MPFR's exponent e puts |x| in [2^(e−1), 2^e): the binade exponent is e − 1.
        Some(e) => ((e - 1).max(F64_MIN_EXP) - 52).max(-1074),
        // Zero (NaN and infinities are handled before this is called).
        None => -1074,
    }
}

/// The ULP of type `ty` in the binade of an exact value given in MPFR, as its exponent (the
/// ULP is 2^returned): the same unit as [`f32_ulp_of`] and [`ulp_error_f64`], read off the
/// MPFR exponent so that no rounding to `f64` comes first. Zero gets the subnormal spacing.
pub fn ulp_exponent(ty: FloatType, exact: &Float) -> i32 {
    let (min_exp, mantissa_bits) = match ty {
        FloatType::F32 => (F32_MIN_EXP, 23),
        FloatType::F64 => (F64_MIN_EXP, 52),
    };
    match exact.get_exp() {
        Some(e) => (e - 1).max(min_exp) - mantissa_bits,
        None => min_exp - mantissa_bits,
    }
}

/// Error of an `f64` result against an MPFR reference, in `f64` ULPs of the reference.
pub fn ulp_error_f64(result: f64, reference: &Float) -> f64 {
    if result.is_nan() || reference.is_nan() {
        return if result.is_nan() && reference.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let rounded = reference.to_f64();
    if result.is_infinite() || rounded.is_infinite() {
        if result == rounded {
            return 0.0;
        }
        if result.is_infinite() {
            return f64::INFINITY;
        }
    }
    if reference.is_infinite() {
        return f64::INFINITY;
    }
    let prec = reference.prec().max(64);
    let difference = Float::with_val(prec, result) - reference;
    let scale = Float::with_val(64, Float::i_exp(1, -f64_ulp_exponent(reference)));
    (difference.abs() * scale).to_f64()
}

/// True when `result` is the reference rounded to nearest `f32`, bit for bit (so the sign
/// of a zero counts), or both are NaN.
pub fn is_correctly_rounded_f32(result: f32, reference: f64) -> bool {
    let rounded = reference as f32;
    (result.is_nan() && rounded.is_nan()) || result.to_bits() == rounded.to_bits()
}

/// True when `result` is the MPFR reference rounded to nearest `f64`, bit for bit, or both
/// are NaN.
pub fn is_correctly_rounded_f64(result: f64, reference: &Float) -> bool {
    let rounded = reference.to_f64();
    (result.is_nan() && rounded.is_nan()) || result.to_bits() == rounded.to_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f32_units() {
        assert_eq!(f32_ulp_of(1.0), 2f64.powi(-23));
        assert_eq!(f32_ulp_of(1.999), 2f64.powi(-23));
        assert_eq!(f32_ulp_of(-2.0), 2f64.powi(-22));
        assert_eq!(f32_ulp_of(1e-40), 2f64.powi(-149));
        assert_eq!(f32_ulp_of(0.0), 2f64.powi(-149));
        let one_ulp_above = f32::from_bits(1.0f32.to_bits() + 1);
        assert_eq!(ulp_error_f32(one_ulp_above, 1.0), 1.0);
        assert_eq!(ulp_error_f32(1.0, 1.0 + 2f64.powi(-25)), 0.25);
        // Just below a power of two, the unit is that of the exact value's binade.
        assert_eq!(ulp_error_f32(0.99999994, 1.0), 0.5);
        assert_eq!(ulp_error_f32(f32::from_bits(3), 2f64.powi(-149)), 2.0);
        assert_eq!(ulp_error_f32(0.0, 2f64.powi(-150)), 0.5);
        assert_eq!(ulp_error_f32(f32::NAN, f64::NAN), 0.0);
        assert_eq!(ulp_error_f32(f32::NAN, 1.0), f64::INFINITY);
        assert_eq!(ulp_error_f32(1.0, f64::NAN), f64::INFINITY);
        assert_eq!(ulp_error_f32(f32::INFINITY, f64::INFINITY), 0.0);
        assert_eq!(ulp_error_f32(f32::INFINITY, 1e300), 0.0);
        assert_eq!(ulp_error_f32(f32::INFINITY, 1.0), f64::INFINITY);
        assert_eq!(ulp_error_f32(f32::MAX, f64::INFINITY), f64::INFINITY);
        assert_eq!(
            ulp_error_f32(f32::NEG_INFINITY, f64::INFINITY),
            f64::INFINITY
        );
    }

    #[test]
    fn f64_units() {
        let r = |v: f64| Float::with_val(200, v);
        assert_eq!(ulp_error_f64(1.0, &r(1.0)), 0.0);
        assert_eq!(ulp_error_f64(1.0 + f64::EPSILON, &r(1.0)), 1.0);
        assert_eq!(ulp_error_f64(0.0, &r(f64::from_bits(1))), 1.0);
        assert_eq!(ulp_error_f64(f64::from_bits(5), &r(f64::from_bits(1))), 4.0);
        let exact_third = Float::with_val(200, 1) / 3u32;
        let e = ulp_error_f64(1.0 / 3.0, &exact_third);
        assert!(e > 0.0 && e <= 0.5, "{e}");
        let huge = Float::with_val(200, f64::MAX) * 2u32;
        assert_eq!(ulp_error_f64(f64::INFINITY, &huge), 0.0);
        assert_eq!(ulp_error_f64(f64::MAX, &r(f64::INFINITY)), f64::INFINITY);
        assert_eq!(ulp_error_f64(f64::NAN, &r(f64::NAN)), 0.0);
        assert_eq!(ulp_error_f64(f64::NAN, &r(2.0)), f64::INFINITY);
        assert!(is_correctly_rounded_f64(-0.0, &r(-0.0)));
        assert!(!is_correctly_rounded_f64(0.0, &r(-0.0)));
        assert!(is_correctly_rounded_f32(0.1, 0.1));
        assert!(!is_correctly_rounded_f32(-0.0, 0.0));
    }

    #[test]
    fn exponents_from_mpfr() {
        let r = |v: f64| Float::with_val(200, v);
        assert_eq!(ulp_exponent(FloatType::F64, &r(1.0)), -52);
        assert_eq!(ulp_exponent(FloatType::F64, &r(-3.0)), -51);
        assert_eq!(ulp_exponent(FloatType::F64, &r(0.0)), -1074);
        assert_eq!(ulp_exponent(FloatType::F64, &r(f64::from_bits(1))), -1074);
        assert_eq!(ulp_exponent(FloatType::F32, &r(1.0)), -23);
        assert_eq!(ulp_exponent(FloatType::F32, &r(1e-40)), -149);
        assert_eq!(ulp_exponent(FloatType::F32, &r(0.0)), -149);
        for v in [1.0, 1.999, 3.5e-30, 1e-40, 7e20] {
            assert_eq!(
                2f64.powi(ulp_exponent(FloatType::F32, &r(v))),
                f32_ulp_of(v),
                "{v}"
            );
        }
        // Beyond f64's range the unit keeps growing.
        let huge = Float::with_val(200, f64::MAX) * 4u32;
        assert_eq!(ulp_exponent(FloatType::F64, &huge), 1025 - 52);
    }
}
