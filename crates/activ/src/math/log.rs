//! The natural logarithm: `ln x`, `ln(1 + x)`, and `ln(1 + x_hi + x_lo)` as a double-double.
//!
//! **Formula.** `x = 2^e · m` with `m` in `[√½, √2)`, and
//! `ln x = e·ln 2 + ln m`, `ln m = 2·atanh(s) = 2s + 2s³/3 + 2s⁵/5 + …`, `s = (m − 1)/(m + 1)`,
//! `|s| ≤ (√2 − 1)/(√2 + 1) ≈ 0.1716`.
//!
//! **Method.**
//! * Reduction: `e` and `m` come from the bit pattern (`bits − bits(√½)`, arithmetic shift
//!   by 52); a subnormal `x` is first scaled by `2^54` (a select). `e` becomes an `f64`
//!   exactly through the magic constant `1.5·2^52`. For `ln(1 + x)`, `u + c = 1 + x`
//!   exactly (`TwoSum`), `m` and `e` come from `u`, and the tails `c` and `x_lo` are scaled
//!   by `2^-e` (two exact power-of-two factors) and carried into `m − 1` and `m + 1`.
//! * `s` is a double-double: `m − 1` is exact (Sterbenz), `m + 1` is an exact `TwoSum`, and
//!   the quotient is `div_dd_bounded` (one division; relative error ~2^-100).
//! * Polynomial: `ln m = 2s + s³·(2/3 + s²·R(s²))`, `R` of degree 7 fitted at Chebyshev
//!   nodes (`poly_coeffs.py`; the Taylor series needs degree 9), by Estrin's scheme in `f64`.
//!   Its approximation error is `< 2^-66.4 · |2s|`. `2/3` is a
//!   double-double; `s²`, `s³` and `s³·(2/3 + s²R)` are double-double products; the
//!   only significant roundings (in `R` and `s²R`) are `< 2^-64` relative to the result.
//! * `e·ln 2` uses `LN2_HI` with 42 significant bits, so `e·LN2_HI` is exact for
//!   `|e| < 2^11`, plus `e·LN2_LO`; the sum `e·ln 2 + ln m` never cancels by more than a
//!   factor 2 (`|ln m| ≤ ln2/2`) and is summed with `TwoSum`.
//! * `ln1p` for `|x| < 2^-40` uses `x − x²/2` (error `< 2^-80` relative), which also keeps
//!   subnormal inputs exact.
//!
//! **Special values.** `ln(±0) = −∞`, `ln(x < 0) = NaN`, `ln(+∞) = +∞`, NaN → NaN,
//! `ln(1) = +0`. `ln1p(−1) = −∞`, `ln1p(x < −1) = NaN`, `ln1p(+∞) = +∞`,
//! `ln1p(±0) = ±0`, NaN → NaN. `ln1p_dd(+∞) = (+∞, 0)`.
//!
//! **Measured accuracy** (unit tests below, against MPFR at 256 bits, 10^6 random inputs
//! over every binade plus edge cases each): `ln` max `0.50018` ULP, `ln1p` max `0.50006`
//! ULP (both asserted `< 0.51`); `ln1p_dd` relative error `≤ 7.35e-20 ≈ 2^-63.56`
//! (asserted `≤ 2^-60`).

use super::dd::{div_dd_bounded, fast_two_sum, mul_dd, select, two_prod, two_sum};
use crate::simd::F64s;

/// Bit pattern of `√½` rounded (0x1.6a09e667f3bcdp-1).
const SQRT_HALF_BITS: i64 = 0x3fe6_a09e_667f_3bcd;
/// `1.5·2^52` and its bit pattern: `from_bits(MAGIC_BITS + n) − MAGIC = n` exactly.
const MAGIC: f64 = 6_755_399_441_055_744.0;
const MAGIC_BITS: i64 = 0x4338_0000_0000_0000;
/// `2^54`, to lift subnormal inputs into the normal range.
const TWO54: f64 = 18_014_398_509_481_984.0;
/// `ln 2` rounded to 42 significant bits (0x1.62e42fefa38p-1), and the rest rounded
/// (0x1.ef35793c7673p-45); `|ln 2 − LN2_HI − LN2_LO| < 2e-31`.
const LN2_HI: f64 = 0.693_147_180_559_890_3;
const LN2_LO: f64 = 5.497_923_018_708_371e-14;
/// `2/3 = TWO_THIRDS_HI + TWO_THIRDS_LO` to about 2^-108.
const TWO_THIRDS_HI: f64 = 2.0 / 3.0;
const TWO_THIRDS_LO: f64 = 3.700_743_415_417_188e-17;
/// `2^-40`: below it `ln(1 + x) = x − x²/2` to `2^-80`.
const TINY: f64 = 9.094_947_017_729_282e-13;

/// R(z) ≈ (2·atanh(s) − 2s − 2s³/3)/s⁵, z = s², on the range of s: a degree-7 Chebyshev
/// interpolant (near-minimax) from `poly_coeffs.py`, coefficients rounded to `f64`.
/// 2s + s³·(2/3 + z·R(z)) is 2·atanh(s) within 2^−66.41 relative (the Taylor series
/// 2/5, 2/7, …, 2/23, three terms longer, leaves 2^−65.6).
const R: [f64; 8] = [
    0.4,
    0.28571428571429364,
    0.22222222221656224,
    0.18181818335315972,
    0.15384594970727944,
    0.13334804247336837,
    0.11706248296907151,
    0.1172305357999828,
];

/// The integer `n` (`|n| < 2^51`) as an exact `f64`, without a float conversion.
#[inline(always)]
fn i2f(n: i64) -> f64 {
    f64::from_bits(MAGIC_BITS.wrapping_add(n) as u64) - MAGIC
}

/// `(e, m)` with `u = 2^e · m` exactly and `m` in `[√½, √2)`, for normal positive `u`.
#[inline(always)]
fn split(u: f64) -> (i64, f64) {
    let bits = u.to_bits() as i64;
    let e = bits.wrapping_sub(SQRT_HALF_BITS) >> 52;
    let m = f64::from_bits(bits.wrapping_sub(e << 52) as u64);
    (e, m)
}

/// `ln(2^e · (m + t_hi + t_lo))` as a double-double, for `m` in `[√½, √2)` and a tail
/// `|t_hi + t_lo| ≤ 2^-52`. Relative error `< 2^-62`. Generic over lanes.
#[inline(always)]
fn ln_reduced<V: F64s>(m: V, t_hi: V, t_lo: V, ef: V) -> (V, V) {
    let one = V::splat(1.0);
    let two = V::splat(2.0);
    // s = (m + t − 1)/(m + t + 1) as a double-double.
    let (f, f_lo) = two_sum(m - one, t_hi);
    let f_lo = f_lo + t_lo;
    let (d, d_lo) = two_sum(m, one);
    let d_lo = d_lo + (t_hi + t_lo);
    let (s, s_lo) = div_dd_bounded(f, f_lo, d, d_lo);
    // R(z), z = s², by Estrin's scheme: three dependent fused multiply-adds instead of
    // Horner's seven (Horner measured 5 % slower in the f64 log-sigmoid and logit).
    let z = s * s;
    let z2 = z * z;
    let a0 = V::splat(R[1]).mul_add(z, V::splat(R[0]));
    let a1 = V::splat(R[3]).mul_add(z, V::splat(R[2]));
    let a2 = V::splat(R[5]).mul_add(z, V::splat(R[4]));
    let a3 = V::splat(R[7]).mul_add(z, V::splat(R[6]));
    let r = a3.mul_add(z2, a2).mul_add(z2 * z2, a1.mul_add(z2, a0));
    // 2/3 + z·R as a double-double (|z·R| ≤ 0.0125 < 2/3).
    let (w, w_lo) = fast_two_sum(V::splat(TWO_THIRDS_HI), z * r);
    let w_lo = w_lo + V::splat(TWO_THIRDS_LO);
    // s³ and C = s³·(2/3 + z·R) as double-doubles.
    let (q, qe) = two_prod(s, s);
    let qe = (two * s).mul_add(s_lo, qe);
    let (c3, c3e) = mul_dd(q, qe, s, s_lo);
    let (c, ce) = mul_dd(c3, c3e, w, w_lo);
    // ln m = 2s + C, |C| < 0.01·|2s|.
    let (a, ae) = fast_two_sum(two * s, c);
    let a_lo = ae + ce + two * s_lo;
    // + e·ln 2 (e·LN2_HI exact).
    let (hi, he) = two_sum(ef * V::splat(LN2_HI), a);
    fast_two_sum(hi, he + (a_lo + ef * V::splat(LN2_LO)))
}

/// `ln(u + t_hi + t_lo) + e_offset·ln 2` as a double-double on lanes, for a normal positive
/// `u` and a tail `|t_hi + t_lo| ≤ ulp(u)`, with the split of u = 2^e·m done on the bit
/// pattern (no integer arithmetic), giving the same `m` and `e` as [`split`].
#[inline(always)]
fn ln_split_lanes<V: F64s>(u: V, t_hi: V, t_lo: V, e_offset: V) -> (V, V) {
    // u = 2^e·m, m in [√½, √2), from the biased exponent and the mantissa in [1, 2).
    let (biased, m0) = exponent_and_mantissa(u);
    let big = m0.ge(V::splat(f64::from_bits(SQRT_HALF_BITS as u64 + (1 << 52))));
    let m = V::select(big, m0 * V::splat(0.5), m0);
    let e = biased - V::splat(1023.0) + V::select(big, V::splat(1.0), V::splat(0.0));
    // The tails scaled by 2^−e in two exact steps.
    let e1 = (e * V::splat(0.5)).floor();
    let bias = V::splat(MAGIC + 1023.0);
    let p1 = (bias - e1).shl52();
    let p2 = (bias + (e1 - e)).shl52();
    ln_reduced(m, t_hi * p1 * p2, t_lo * p1 * p2, e + e_offset)
}

/// The biased exponent of a normal positive u, as an integer-valued `f64`, and its
/// mantissa in [1, 2), from the bit pattern (no integer arithmetic).
#[inline(always)]
fn exponent_and_mantissa<V: F64s>(u: V) -> (V, V) {
    let two52 = V::splat(4503599627370496.0);
    let biased = u.shr52().bits_or(two52) - two52;
    let m = u
        .bits_and(V::splat(f64::from_bits(0x000f_ffff_ffff_ffff)))
        .bits_or(V::splat(1.0));
    (biased, m)
}

/// `ln(1 + x_hi + x_lo)` as a double-double on lanes, for `−1 < x_hi < 2^1000` finite.
#[inline(always)]
pub(crate) fn ln1p_dd_lanes<V: F64s>(x_hi: V, x_lo: V) -> (V, V) {
    let (u, c) = two_sum(V::splat(1.0), x_hi);
    let (h, l) = ln_split_lanes(u, c, x_lo, V::splat(0.0));
    // Tiny x: ln(1 + x) = x − x²/2 + O(x³).
    let tiny = x_hi.abs().lt(V::splat(TINY));
    let (th, tl) = fast_two_sum(x_hi, (V::splat(-0.5) * x_hi).mul_add(x_hi, x_lo));
    (V::select(tiny, th, h), V::select(tiny, tl, l))
}

/// `ln(1 + x_hi + x_lo)` as a double-double, for `x_hi > −1` finite: [`ln1p_dd_lanes`] at
/// one lane, so the scalar callers and the lane kernels share one implementation (and its
/// tests).
#[inline(always)]
fn ln1p_parts(x_hi: f64, x_lo: f64) -> (f64, f64) {
    ln1p_dd_lanes(x_hi, x_lo)
}

/// `ln x`, within 0.51 ULP (subnormal `x` included).
#[inline(always)]
pub(crate) fn ln(x: f64) -> f64 {
    let sub = x < f64::MIN_POSITIVE;
    let xs = select(sub, x * TWO54, x);
    let (e, m) = split(xs);
    let ef = i2f(e) - select(sub, 54.0, 0.0);
    let (h, l) = ln_reduced(m, 0.0, 0.0, ef);
    let r = h + l;
    let r = select(x == f64::INFINITY, x, r);
    let r = select(x == 0.0, f64::NEG_INFINITY, r);
    let r = select(x < 0.0, f64::NAN, r);
    select(x.is_nan(), x, r)
}

/// `ln(1 + x)`, within 0.51 ULP for every `x ≥ −1`.
#[allow(dead_code)]
#[inline(always)]
pub(crate) fn ln1p(x: f64) -> f64 {
    let (h, l) = ln1p_parts(x, 0.0);
    let r = h + l;
    let r = select(x == f64::INFINITY, x, r);
    let r = select(x == -1.0, f64::NEG_INFINITY, r);
    let r = select(x < -1.0, f64::NAN, r);
    // ln1p(±0) = ±0; NaN passes.
    let r = select(x == 0.0, x, r);
    select(x.is_nan(), x, r)
}

/// `ln(1 + x_hi + x_lo)` as a double-double `(hi, lo)`, relative error `< 2^-60`, for
/// finite `x_hi ≥ 0` and a small tail `x_lo` (may be 0). `x_hi = +∞` gives `(+∞, 0)`.
#[inline(always)]
pub(crate) fn ln1p_dd(x_hi: f64, x_lo: f64) -> (f64, f64) {
    let (h, l) = ln1p_parts(x_hi, x_lo);
    let inf = x_hi == f64::INFINITY;
    (select(inf, x_hi, h), select(inf, 0.0, l))
}

/// 1/c for the table points c = 1 + j/16, j = 0 … 15, rounded to `f64`.
const INV_C_HI: [f64; 16] = [
    1.0,
    0.9411764705882353,
    0.8888888888888888,
    0.8421052631578947,
    0.8,
    0.7619047619047619,
    0.7272727272727273,
    0.6956521739130435,
    0.6666666666666666,
    0.64,
    0.6153846153846154,
    0.5925925925925926,
    0.5714285714285714,
    0.5517241379310345,
    0.5333333333333333,
    0.5161290322580645,
];
/// 1/c − INV_C_HI[j], rounded.
const INV_C_LO: [f64; 16] = [
    0.0,
    1.3061447348531253e-17,
    4.9343245538895844e-17,
    4.674623261579606e-17,
    -4.4408920985006264e-17,
    4.229421046191072e-17,
    -2.0185873175002847e-17,
    1.9308226515220113e-17,
    3.700743415417188e-17,
    -1.3322676295501878e-17,
    -3.416070845000482e-17,
    3.289549702593056e-17,
    3.172065784643304e-17,
    7.656710514656252e-18,
    7.401486830834377e-18,
    1.4325458382260084e-17,
];
/// log c = log(1 + j/16), rounded to `f64`.
const LOG_C_HI: [f64; 16] = [
    0.0,
    0.06062462181643484,
    0.11778303565638346,
    0.17185025692665923,
    0.22314355131420976,
    0.27193371548364176,
    0.3184537311185346,
    0.3629054936893685,
    0.4054651081081644,
    0.44628710262841953,
    0.4855078157817008,
    0.5232481437645479,
    0.5596157879354227,
    0.5947071077466928,
    0.6286086594223741,
    0.661398482245365,
];
/// log c − LOG_C_HI[j], rounded.
const LOG_C_LO: [f64; 16] = [
    0.0,
    2.6424025938726934e-18,
    -1.1971685747593677e-18,
    -6.0224538210113705e-18,
    -9.091270597324799e-18,
    7.83319637697442e-19,
    2.7114779367326236e-17,
    -2.1492361455310972e-17,
    -2.8811380259626426e-18,
    -1.8182541194649598e-17,
    -1.6618350693852048e-17,
    -3.1833882216350925e-17,
    2.685492580212308e-17,
    1.3751689964323675e-17,
    4.3538742607970387e-17,
    -7.603333785634003e-18,
];

/// P(r) ≈ (log(1 + r) − r)/r² on |r| ≤ 1/31 (widened by 10^−9): the degree-8 Chebyshev
/// interpolant from `poly_coeffs.py`; r + r²·P(r) is log(1 + r) within 2^−61.02 relative
/// (50-digit arithmetic, 4000 points, these `f64` coefficients).
const LOG1P_TAIL_31: [f64; 9] = [
    -0.5,
    0.3333333333333296,
    -0.24999999999999656,
    0.20000000004810725,
    -0.16666666671076608,
    0.14285697645504847,
    -0.12499984746130513,
    0.11132423901380797,
    -0.10019537059742797,
];

/// log(1 + e + e_err) for 0 ≤ e ≤ 1 and a normalised pair (|e_err| ≤ ulp(e)/2), as an
/// unrounded pair l + l_lo within 2^−57 relative (measured against MPFR: 2^−57.54): the
/// plain-`f64` counterpart of
/// `log32::log1p_pair`, for the `f64` log-sigmoid and softplus, where the double-double
/// [`ln1p_dd_lanes`] (2^−63.6, with a division) carries more than an `f64` result needs.
///
/// u = 1 + E = u + u_lo exactly (FastTwoSum), and log u = log c + log(1 + r) with the table
/// point c and r + r_lo from [`reduce_by_table`] and log(1 + r) − r from [`log1p_beyond_r`]
/// (2^−61.0; its roundings stay far under 2^−57). log c + r is a FastTwoSum (log c ≥
/// 0.06 > |r| for j ≥ 1, and log c = 0 for j = 0, where r is E itself, so a tiny E keeps its
/// relative accuracy).
#[inline(always)]
pub(crate) fn log1p_lean_pair_lanes<V: F64s>(e: V, e_err: V) -> (V, V) {
    let one = V::splat(1.0);
    let u = one + e;
    let u_lo = (e - (u - one)) + e_err;
    let (j, r, r_lo) = reduce_by_table(u, u_lo);
    // Near u = 1 (c = 1), r is E itself: take the normalised input pair rather than u − 1
    // and u's rounding error, which can be half as large as r.
    let first = j.lt(V::splat(0.5));
    let (r, r_lo) = (V::select(first, e, r), V::select(first, e_err, r_lo));
    let lc = V::lookup16(&LOG_C_HI, j);
    let l = lc + r;
    let l_err = r - (l - lc);
    let l_lo = l_err + (V::lookup16(&LOG_C_LO, j) + log1p_beyond_r(r, r_lo));
    (l, l_lo)
}

/// For u + u_lo in [1, 2] (|u_lo| ≤ ulp(u) or so): the table point c = 1 + j/16 nearest u
/// (j ≤ 15; u = 2 takes j = 15) and r + r_lo = (u + u_lo − c)/c, |r| ≤ 1/31. u − c is exact
/// (Sterbenz), and r = (u − c)·(1/c) + u_lo/c with 1/c as a pair, so r + r_lo is good to
/// about 2^−100. j is an integer-valued `f64`, which `lookup16` reads.
#[inline(always)]
fn reduce_by_table<V: F64s>(u: V, u_lo: V) -> (V, V, V) {
    let one = V::splat(1.0);
    let j = V::splat(15.0).min_or((u - one) * V::splat(16.0));
    let j = (j + V::splat(MAGIC)) - V::splat(MAGIC);
    let c = j.mul_add(V::splat(0.0625), one);
    let d = u - c;
    let inv = V::lookup16(&INV_C_HI, j);
    let r = d * inv;
    let r_lo = d.mul_add(inv, -r) + d.mul_add(V::lookup16(&INV_C_LO, j), u_lo * inv);
    (j, r, r_lo)
}

/// log(1 + r + r_lo) − r = r_lo + r²·P(r) ([`LOG1P_TAIL_31`], 2^−61.0 relative to the log)
/// for |r| ≤ 1/31, rounded in plain `f64`: its roundings stay below 2^−53·r²/2 ≤ 2^−63·|r|.
#[inline(always)]
fn log1p_beyond_r<V: F64s>(r: V, r_lo: V) -> V {
    let rs = r + r_lo;
    let mut p = V::splat(LOG1P_TAIL_31[8]);
    for &c in LOG1P_TAIL_31[..8].iter().rev() {
        p = p.mul_add(rs, V::splat(c));
    }
    r_lo + (rs * rs) * p
}

/// log(v + v_lo) for a finite v > 0 below 2^1000 (subnormal included) outside [½, 1), and
/// |v_lo| ≤ ulp(v), as an unrounded pair l + l_lo within 2^−57 relative (measured against
/// MPFR: 2^−57.52, near v = 1.023 where r²·P(r) weighs most), for the `f64` logit, whose
/// arguments are 1 + w ≥ 1 or p/(1 − p) < ⅓; it took the double-double log (2^−62, with a
/// division) before.
///
/// v = 2^e·m with m in [1, 2) from the bit pattern (a subnormal v scaled by 2^54 first),
/// m_lo = v_lo·2^−e (with e clamped at −1000: below it |log v| > 693 and dropping v_lo moves
/// the log by 2^−52 absolute at most). log m = log c + log(1 + r) from [`reduce_by_table`]
/// and [`log1p_beyond_r`]. e·ln 2 + log c is a FastTwoSum (e·`LN2_HI` exact; |e·ln 2| ≥
/// ln 2 > log c when e ≠ 0), and adding r is one too (|r| ≤ 1/31 < log c for j ≥ 1; the sum
/// is 0 for e = j = 0). The excluded [½, 1) is where e = −1 and the three terms cancel.
#[inline(always)]
pub(crate) fn log_lean_pair_lanes<V: F64s>(v: V, v_lo: V) -> (V, V) {
    let one = V::splat(1.0);
    let sub = v.lt(V::splat(f64::MIN_POSITIVE));
    let scale = V::select(sub, V::splat(TWO54), one);
    let (biased, m) = exponent_and_mantissa(v * scale);
    let e = biased - V::select(sub, V::splat(1023.0 + 54.0), V::splat(1023.0));
    let m_lo = v_lo * (V::splat(MAGIC + 1023.0) - V::splat(-1000.0).max_or(e)).shl52();
    let (j, r, r_lo) = reduce_by_table(m, m_lo);
    // Normalised (FastTwoSum): near v = 1, r = v − 1 and r_lo = v_lo may nearly cancel, and
    // the r²·P(r) term would vanish below r_lo's ulp.
    let rn = r + r_lo;
    let (r, r_lo) = (rn, r_lo - (rn - r));
    let t = e * V::splat(LN2_HI);
    let lc = V::lookup16(&LOG_C_HI, j);
    let s = t + lc;
    let s_err = lc - (s - t);
    let l = s + r;
    let l_err = r - (l - s);
    let tail = e.mul_add(V::splat(LN2_LO), V::lookup16(&LOG_C_LO, j));
    (l, l_err + (s_err + (tail + log1p_beyond_r(r, r_lo))))
}

// MPFR is a dev-dependency on x86-64 only (the aarch64 cross build of the tests under qemu
// has no cross-built GMP); these reference tests run on the x86-64 machines.
#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::math::{around, Rng};
    use rug::Float;

    const PREC: u32 = 256;

    /// |ours − exact| in units of the last place of the exact value (ulp of a subnormal is
    /// 2^-1074, of a normal value in [2^n, 2^(n+1)) it is 2^(n−52)).
    fn ulp_err(ours: f64, exact: &Float) -> f64 {
        let r = exact.to_f64();
        if r.is_infinite() || ours.is_infinite() || exact.is_zero() {
            return if ours == r { 0.0 } else { f64::INFINITY };
        }
        let e = exact.get_exp().unwrap(); // |exact| in [2^(e−1), 2^e)
        let ulp_exp = (e - 53).max(-1074);
        let mut d = Float::with_val(PREC, ours) - exact;
        d.abs_mut();
        d >>= ulp_exp;
        d.to_f64()
    }

    struct Worst {
        err: f64,
        at: f64,
        n: usize,
    }

    impl Worst {
        fn new() -> Self {
            Worst {
                err: 0.0,
                at: f64::NAN,
                n: 0,
            }
        }
        fn add(&mut self, err: f64, x: f64) {
            self.n += 1;
            if err > self.err || err.is_nan() {
                self.err = err;
                self.at = x;
            }
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert_eq!(ln(-0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan() && ln(-5e-324).is_nan() && ln(f64::NEG_INFINITY).is_nan());
        assert_eq!(ln(f64::INFINITY), f64::INFINITY);
        assert!(ln(f64::NAN).is_nan());
        assert_eq!(ln(1.0).to_bits(), 0);
        assert_eq!(ln(5e-324), -744.4400719213812);
        assert_eq!(ln(f64::MAX), 709.782712893384);
        assert_eq!(ln1p(-1.0), f64::NEG_INFINITY);
        assert!(ln1p(-1.0000000000000002).is_nan() && ln1p(f64::NEG_INFINITY).is_nan());
        assert_eq!(ln1p(f64::INFINITY), f64::INFINITY);
        assert!(ln1p(f64::NAN).is_nan());
        assert_eq!(ln1p(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(ln1p(0.0).to_bits(), 0);
        assert_eq!(ln1p(5e-324), 5e-324);
        assert_eq!(ln1p(-5e-324), -5e-324);
        assert_eq!(ln1p(1e-300), 1e-300);
        assert_eq!(ln1p(f64::MAX), 709.782712893384);
        assert_eq!(ln1p_dd(0.0, 0.0), (0.0, 0.0));
        assert_eq!(ln1p_dd(5e-324, 0.0), (5e-324, 0.0));
        assert_eq!(ln1p_dd(f64::INFINITY, 0.0), (f64::INFINITY, 0.0));
    }

    #[test]
    fn ln_ulp() {
        let mut rng = Rng(11);
        let mut w = Worst::new();
        let mut xs = vec![5e-324, f64::MIN_POSITIVE, f64::MAX, 1.0, 2.0, 0.5];
        for t in [
            core::f64::consts::FRAC_1_SQRT_2,
            core::f64::consts::SQRT_2,
            1.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            core::f64::consts::E,
        ] {
            xs.extend(around(t, 50).filter(|x| !x.is_nan()));
        }
        for i in 0..1_000_000 {
            xs.push(match i % 4 {
                // Every binade, subnormals included.
                0 | 1 => rng.binade(-1074, 1023, false),
                // Near 1, from both sides.
                2 => 1.0 + (rng.unit() - 0.5) * 2f64.powi(-(rng.int(1, 60) as i32)),
                _ => 0.5 + 1.5 * rng.unit(),
            });
        }
        for &x in &xs {
            w.add(ulp_err(ln(x), &Float::with_val(PREC, x).ln()), x);
        }
        println!(
            "ln: max {:.6} ULP at x = {:e} ({} inputs)",
            w.err, w.at, w.n
        );
        assert!(w.err < 0.51);
    }

    #[test]
    fn ln1p_ulp() {
        let mut rng = Rng(12);
        let mut w = Worst::new();
        let mut xs = vec![5e-324, -5e-324, f64::MIN_POSITIVE, f64::MAX, -0.5, 1.0];
        for t in [
            TINY,
            -TINY,
            core::f64::consts::SQRT_2 - 1.0,
            core::f64::consts::FRAC_1_SQRT_2 - 1.0,
            -1.0,
            1e-8,
            -1e-8,
            f64::MAX,
        ] {
            xs.extend(around(t, 50).filter(|&x| x >= -1.0));
        }
        for i in 0..1_000_000 {
            xs.push(match i % 5 {
                0 | 1 => rng.binade(-1074, 1023, false),
                2 => -rng.binade(-1074, -1, false),
                // Near −1.
                3 => -1.0 + rng.unit() * 2f64.powi(-(rng.int(1, 53) as i32)),
                _ => -0.5 + 2.0 * rng.unit(),
            });
        }
        for &x in &xs {
            w.add(ulp_err(ln1p(x), &Float::with_val(PREC, x).ln_1p()), x);
        }
        println!(
            "ln1p: max {:.6} ULP at x = {:e} ({} inputs)",
            w.err, w.at, w.n
        );
        assert!(w.err < 0.51);
    }

    #[test]
    fn ln1p_dd_relative() {
        let mut rng = Rng(13);
        let mut worst = 0.0f64;
        let mut at = (0.0, 0.0);
        let mut xs = vec![0.0, 5e-324, f64::MIN_POSITIVE, f64::MAX];
        for t in [TINY, core::f64::consts::SQRT_2 - 1.0, 1.0, 1e-8] {
            xs.extend(around(t, 50));
        }
        for i in 0..1_000_000 {
            xs.push(match i % 3 {
                0 | 1 => rng.binade(-1074, 1023, false),
                _ => 2.0 * rng.unit(),
            });
        }
        let mut n = 0;
        for (i, &x) in xs.iter().enumerate() {
            // A double-double tail (≤ half an ulp of x) for every other input.
            let x_lo = if i % 2 == 0 {
                0.0
            } else {
                x * (rng.unit() - 0.5) * 2f64.powi(-52)
            };
            let (hi, lo) = ln1p_dd(x, x_lo);
            let exact = (Float::with_val(PREC, x) + x_lo).ln_1p();
            let ours = Float::with_val(PREC, hi) + lo;
            let rel = if exact.is_zero() {
                assert_eq!((hi, lo), (0.0, 0.0));
                0.0
            } else {
                let mut r = (ours - &exact) / &exact;
                r.abs_mut();
                r.to_f64()
            };
            n += 1;
            if rel > worst {
                worst = rel;
                at = (x, x_lo);
            }
        }
        println!(
            "ln1p_dd: max relative error {worst:.3e} = 2^{:.2} at x = {:e}, x_lo = {:e} ({n} inputs)",
            worst.log2(),
            at.0,
            at.1
        );
        assert!(worst <= 2f64.powi(-60));
    }

    /// The worst relative error of a pair kernel l + l_lo against MPFR over inputs with
    /// their tails, printed under `name` and asserted at most `bound`.
    fn check_pair(
        name: &str,
        inputs: &[(f64, f64)],
        kernel: impl Fn(f64, f64) -> (f64, f64),
        reference: impl Fn(Float) -> Float,
        bound: f64,
    ) {
        let (mut worst, mut at) = (0.0f64, 0.0);
        for &(x, x_lo) in inputs {
            let (l, l_lo) = kernel(x, x_lo);
            let exact = reference(Float::with_val(PREC, x) + x_lo);
            if exact.is_zero() {
                assert_eq!(l + l_lo, 0.0);
                continue;
            }
            let ours = Float::with_val(PREC, l) + l_lo;
            let rel = (Float::with_val(PREC, ours - &exact) / &exact)
                .abs()
                .to_f64();
            if rel > worst {
                (worst, at) = (rel, x);
            }
        }
        println!(
            "{name}: max relative error 2^{:.2} at {at:e} ({} inputs)",
            worst.log2(),
            inputs.len()
        );
        assert!(worst <= bound, "{name}: 2^{} at {at:e}", worst.log2());
    }

    /// The plain-`f64` pair log(1 + e + e_err) for e in [0, 1] against MPFR, e normalised
    /// with a tail for every other input, tiny e and the table's points included: within
    /// 2^−57 relative as stated.
    #[test]
    fn log1p_lean_pair_relative() {
        let mut rng = Rng(17);
        let mut es = vec![0.0, 5e-324, f64::MIN_POSITIVE, 1.0];
        for j in 1..16 {
            es.extend(around(j as f64 / 16.0, 20));
            es.extend(around((j as f64 + 0.5) / 16.0, 20));
        }
        for i in 0..1_000_000 {
            es.push(match i % 3 {
                0 => rng.binade(-1074, -1, false),
                _ => rng.unit(),
            });
        }
        let inputs: Vec<(f64, f64)> = es
            .iter()
            .enumerate()
            .filter(|(_, e)| (0.0..=1.0).contains(*e))
            .map(|(i, &e)| {
                let e_err = if i % 2 == 0 || e == 1.0 {
                    0.0
                } else {
                    e * (rng.unit() - 0.5) * 2f64.powi(-53)
                };
                (e, e_err)
            })
            .collect();
        check_pair(
            "log1p_lean_pair",
            &inputs,
            log1p_lean_pair_lanes,
            |u| u.ln_1p(),
            2f64.powi(-57),
        );
    }

    /// The plain-`f64` pair log(v + v_lo) against MPFR over its domain (v ≥ 1 up to 2^60,
    /// v < ½ down to the least subnormal), v_lo up to an ulp for every other input, the
    /// table's points, 1, 2, ½⁻ and the binade edges included: within 2^−57 relative.
    #[test]
    fn log_lean_pair_relative() {
        let mut rng = Rng(23);
        let mut vs = vec![
            1.0,
            2.0,
            0.5f64.next_down(),
            5e-324,
            f64::MIN_POSITIVE,
            2f64.powi(60),
        ];
        for j in 0..16 {
            vs.extend(around(1.0 + j as f64 / 16.0, 20));
            vs.extend(around(1.0 + (j as f64 + 0.5) / 16.0, 20));
            vs.extend(around((1.0 + (j as f64 + 0.5) / 16.0) / 8.0, 20));
        }
        for i in 0..1_000_000 {
            vs.push(match i % 4 {
                0 => rng.binade(-1074, -2, false),
                1 => 1.0 + rng.unit(),
                2 => 1.0 + rng.unit() * 2f64.powi(-30),
                _ => rng.binade(0, 59, false),
            });
        }
        let inputs: Vec<(f64, f64)> = vs
            .iter()
            .enumerate()
            .filter(|(_, &v)| v > 0.0 && !(0.5..1.0).contains(&v) && v <= 2f64.powi(60))
            .map(|(i, &v)| {
                let ulp = (v.next_up() - v).max(5e-324);
                let v_lo = if i % 2 == 0 {
                    0.0
                } else {
                    ulp * (rng.unit() - 0.5) * 2.0
                };
                (v, v_lo)
            })
            .collect();
        check_pair(
            "log_lean_pair",
            &inputs,
            log_lean_pair_lanes,
            |u| u.ln(),
            2f64.powi(-57),
        );
    }
}
