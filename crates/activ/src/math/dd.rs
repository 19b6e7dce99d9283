//! Double-double building blocks: an unevaluated sum `hi + lo` carries about 106 bits.
//!
//! Used where an `f64` function would otherwise lose digits to a rounded intermediate,
//! e.g. `x - max` in softmax or `|x|/√2` before `erfc`. Generic over [`F64s`], so the same
//! steps run on one `f64` and on vector lanes.

use crate::simd::F64s;

/// `a + b = s + e` exactly (Knuth's TwoSum; no condition on the magnitudes).
#[inline(always)]
pub(crate) fn two_sum<V: F64s>(a: V, b: V) -> (V, V) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// `a + b = s + e` exactly, provided `|a| >= |b|` or `a == 0` (Dekker's FastTwoSum).
#[inline(always)]
pub(crate) fn fast_two_sum<V: F64s>(a: V, b: V) -> (V, V) {
    let s = a + b;
    let e = b - (s - a);
    (s, e)
}

/// `a · b = p + e` exactly (barring underflow), using one fused multiply-add.
#[inline(always)]
pub(crate) fn two_prod<V: F64s>(a: V, b: V) -> (V, V) {
    let p = a * b;
    let e = a.mul_add(b, -p);
    (p, e)
}

/// `(a_hi + a_lo) · (b_hi + b_lo)` as a double-double, relative error about 2^-104.
#[inline(always)]
pub(crate) fn mul_dd<V: F64s>(a_hi: V, a_lo: V, b_hi: V, b_lo: V) -> (V, V) {
    let (p, e) = two_prod(a_hi, b_hi);
    let e = a_hi.mul_add(b_lo, a_lo.mul_add(b_hi, e));
    fast_two_sum(p, e)
}

/// `(a_hi + a_lo) / (b_hi + b_lo)` as a double-double, relative error about 2^-100
/// (one Newton correction of the rounded quotient).
#[inline(always)]
pub(crate) fn div_dd<V: F64s>(a_hi: V, a_lo: V, b_hi: V, b_lo: V) -> (V, V) {
    let q = a_hi / b_hi;
    // a − q·b, with the product q·b_hi taken exactly by the fused multiply-add.
    let r = (-q).mul_add(b_hi, a_hi) + a_lo - q * b_lo;
    fast_two_sum(q, r / b_hi)
}

/// Whether a divisor `b` is in `[2^−1000, 2^1000]` in magnitude, where `1/b` is a normal
/// number and a quotient may be taken as a product with it ([`div_dd_bounded`]).
#[inline(always)]
pub(crate) fn reciprocal_is_normal(b: f64) -> bool {
    (2f64.powi(-1000)..=2f64.powi(1000)).contains(&b.abs())
}

/// [`div_dd`] with one division instead of two, for a divisor with `|b_hi|` in
/// `[2^−1000, 2^1000]` ([`reciprocal_is_normal`]) and a quotient away from the overflow and
/// underflow thresholds: [`div_dd_by_reciprocal`] with `1/b_hi`. Lanes outside that range get
/// a result the caller must select away (as it must with [`div_dd`] for a zero divisor).
#[inline(always)]
pub(crate) fn div_dd_bounded<V: F64s>(a_hi: V, a_lo: V, b_hi: V, b_lo: V) -> (V, V) {
    div_dd_by_reciprocal(a_hi, a_lo, b_hi, b_lo, V::splat(1.0) / b_hi)
}

/// `(a_hi + a_lo) / (b_hi + b_lo)` as a double-double from `inv = 1/b_hi` rounded (a caller
/// with one divisor for many lanes computes it once). The quotient `q = a_hi·inv` is within
/// two ulps of `a_hi/b_hi`, the fused multiply-add's residual `a_hi − q·b_hi` is then exact
/// or rounded at `2^−104·|a_hi|`, and the correction `r·inv` adds its own rounding at
/// `2^−104`: relative error about 2^−100, as [`div_dd`].
#[inline(always)]
pub(crate) fn div_dd_by_reciprocal<V: F64s>(a_hi: V, a_lo: V, b_hi: V, b_lo: V, inv: V) -> (V, V) {
    let q = a_hi * inv;
    let r = (-q).mul_add(b_hi, a_hi) + a_lo - q * b_lo;
    fast_two_sum(q, r * inv)
}

/// `(a_hi + a_lo) + (b_hi + b_lo)` as a double-double.
#[inline(always)]
pub(crate) fn add_dd<V: F64s>(a_hi: V, a_lo: V, b_hi: V, b_lo: V) -> (V, V) {
    let (s, e) = two_sum(a_hi, b_hi);
    fast_two_sum(s, e + a_lo + b_lo)
}

/// A branch-free select: both operands are already computed, so this is a blend in SIMD.
#[inline(always)]
pub(crate) fn select(cond: bool, a: f64, b: f64) -> f64 {
    if cond {
        a
    } else {
        b
    }
}
