//! The exponential: `e^x`, `e^x − 1`, and `e^(x + x_lo)` as a double-double times `2^k`.
//!
//! **Formula.** `e^x = 2^k · 2^(j/16) · e^r` with `n = round(16x / ln 2) = 16k + j`,
//! `j` in `[−8, 7]`, and `r = x − n·ln 2/16`, so `|r| ≤ ln 2/32 + 2^−40 ≈ 0.02166`.
//!
//! **Method.**
//! * Range reduction: `n` is the rounded `16x·log2(e)`, rounded to an integer with the magic
//!   constant `1.5·2^52`; `k = ⌊(n + 8)/16⌋` and `j = n − 16k` (all exact in `f64`).
//!   `r1 = x − n·L_HI` is one fused multiply-add and is *exact*: `L_HI = LN_2/16` is a
//!   multiple of 2^−57; for `|x| ≥ 2^−5`, `x` is too, and `|r1| < 2^−5` is a multiple of
//!   2^−57 below 2^52 of them; for smaller `x`, `n` is 0 (then `r1 = x`) or ±1 with
//!   `|x| ≥ 2^−6` (multiples of 2^−58, `|r1| < 2^−6`). The rest, `−n·L_LO + x_lo`, is added
//!   with an error-free sum, giving `r = h + l` as a double-double; the neglected
//!   `n·(ln 2/16 − L_HI − L_LO)` is below `34625 · 3.7e-35 < 2^−99`.
//! * Table: `T = 2^(j/16) = T_hi + T_lo` to 2^−106 (16 pairs, read per lane by
//!   `F64s::lookup16`: a gather on AVX2, a two-register permute on AVX-512).
//! * Polynomial: `e^h − 1 = h + h²/2 + h³·P(h)`, `P` with the Taylor coefficients `1/n!`,
//!   n = 3..8 (correctly rounded `1.0 / n!`), by Estrin's scheme in plain `f64`. The
//!   truncation error is `< |h|^9/9! · 1.03 < 2^−68` (relative to `e^h ≥ 0.97`, and
//!   `< 2^−73 · |h|` relative to `e^h − 1`). `h + h²/2` is exact as a pair (`h²` by
//!   `two_prod`, then a FastTwoSum); `h³·P(h) ≤ 1.8·10^−6` needs only `f64` (its roundings,
//!   about 2^−51 of it, are `< 2^−70`), and the tail `l` enters as `l + l·h`.
//! * Reconstruction: `T·(1 + p) = T_hi + T_hi·p_hi + (T_hi·p_lo + T_lo·(1 + p_hi))`, with
//!   `T_hi·p_hi` exact (a product and its FMA residual) and a FastTwoSum against `T_hi`, so
//!   `hi + lo` lies in `[0.69, 1.39]` with a relative error `< 2^−66`.
//! * Scaling: `ldexp` rounds once, also for subnormal and overflowing results. `exp`
//!   rounds `hi + lo` once in the normal range; when the result is subnormal it instead
//!   adds `1` to `(hi + lo)·2^(k+1022)` so that the one rounding falls on the subnormal
//!   grid, then subtracts `1` and scales by `2^-1022`, both exact.
//! * `expm1`: for `k = 0` it returns `(T_hi − 1) + T_hi·p_hi + …` from a `TwoSum` (`T_hi − 1`
//!   exact; `T = 1` for `j = 0`, where the result is `p` itself, so tiny `x` keeps its
//!   relative accuracy; for `j ≠ 0`, `|x| > 0.0216` and the sum cancels at most a factor
//!   2.02); otherwise `(hi + lo)·2^k − 1` with an error-free `TwoSum` against `−1`, which
//!   cancels at most a factor 3.7.
//!
//! **Cost.** The table replaced a reduction to `|r| ≤ ln 2/2` with a degree-15 Horner
//! polynomial and double-double products throughout, about twice the operations and the
//! dependency chain. On AVX2 (AMD EPYC, Zen 3; `activ bench --type f64`, the old and the new
//! build alternated twice in one session, best of each) the `f64` kernels built on it gained
//! 24–36 %: sigmoid 0.107 → 0.139 el/ns, SiLU 0.105 → 0.140, tanh 0.099 → 0.126, ELU
//! 0.128 → 0.166, softmax 0.103 → 0.140; the audit's maxima stayed the same or fell.
//!
//! **Special values.** `exp`: `exp(±0) = 1`, `exp(−∞) = 0`, `exp(+∞) = +∞`, NaN → NaN,
//! `+∞` above `ln(MAX) ≈ 709.7827`, subnormal results down to `2^-1074` near
//! `x ≈ −745.13`, then `0`. `expm1`: `expm1(−0) = −0`, `expm1(−∞) = −1`,
//! `expm1(+∞) = +∞`, NaN → NaN. `exp_parts` clamps `x` to `[−1500, 1500]` (NaN goes to
//! `−1500`); the caller handles NaN and infinities with selects. The range is wide enough
//! for the backward passes: dy·e^x with |dy| up to `f64::MAX` is below the least subnormal
//! for every x under −1455.
//!
//! **Measured accuracy** (unit tests below, against MPFR at 256 bits, 10^6 random inputs
//! over every binade plus edge cases each): `exp_parts` relative error `≤ 4.18e-21 ≈
//! 2^-67.70` (asserted `≤ 2^-60`); `exp` max `0.50000` ULP, `expm1` max `0.50040` ULP
//! (both asserted `< 0.51`); `ldexp` bit-identical to MPFR's correctly rounded
//! `y·2^k` on 2·10^5 random `(y, k)`, `|k| ≤ 2200`.

use super::dd::{fast_two_sum, select, two_prod, two_sum};
use crate::simd::F64s;

/// `1.5·2^52`: adding it rounds a double of magnitude `< 2^51` to an integer.
const MAGIC: f64 = 6_755_399_441_055_744.0;
/// `16/ln 2`.
const SIXTEEN_OVER_LN2: f64 = 23.083_120_654_223_414;
/// `ln 2/16` rounded to 53 bits (`LN_2/16`, exact: a power-of-two division).
const LN2_16_HI: f64 = core::f64::consts::LN_2 / 16.0;
/// `ln 2/16 − LN2_16_HI` rounded; `|ln 2/16 − LN2_16_HI − LN2_16_LO| < 3.7e-35`.
const LN2_16_LO: f64 = 1.449_404_258_653_937_2e-18;
/// Inputs of `exp_parts` are clamped to `[−X_MAX, X_MAX]`.
const X_MAX: f64 = 1500.0;

// Taylor coefficients 1/n!, correctly rounded (n! is exact in f64 for n ≤ 18).
const C3: f64 = 1.0 / 6.0;
const C4: f64 = 1.0 / 24.0;
const C5: f64 = 1.0 / 120.0;
const C6: f64 = 1.0 / 720.0;
const C7: f64 = 1.0 / 5040.0;
const C8: f64 = 1.0 / 40320.0;

/// `2^((i − 8)/16)` rounded to `f64`, `i` in `0..16`.
const T_HI: [f64; 16] = [
    core::f64::consts::FRAC_1_SQRT_2,
    0.738_413_072_969_749_7,
    0.771_105_412_703_970_4,
    0.805_245_165_974_627_1,
    0.840_896_415_253_714_5,
    0.878_126_080_186_649_7,
    0.917_004_043_204_671_2,
    0.957_603_280_698_573_7,
    1.0,
    1.044_273_782_427_413_8,
    1.090_507_732_665_257_7,
    1.138_788_634_756_691_6,
    1.189_207_115_002_721,
    1.241_857_812_073_484,
    1.296_839_554_651_009_6,
    1.354_255_546_936_892_7,
];
/// `2^((i − 8)/16) − T_HI[i]` rounded: the pair is `2^((i − 8)/16)` to `2^−106` relative.
const T_LO: [f64; 16] = [
    -4.833_646_656_726_457e-17,
    -1.741_997_278_446_398e-17,
    3.974_917_404_848_810_4e-17,
    1.235_359_628_489_894_4e-17,
    4.099_505_010_290_748e-17,
    1.480_070_347_724_436_7e-17,
    1.641_553_612_122_813_6e-17,
    -5.309_973_028_097_981_3e-17,
    0.0,
    8.551_889_705_537_965e-17,
    -3.046_782_079_812_471e-17,
    8.912_812_676_025_408e-17,
    3.982_015_231_465_646e-17,
    4.658_027_591_836_937e-17,
    2.538_250_279_488_831_5e-17,
    7.700_948_379_802_99e-17,
];

/// `e^(x + x_lo) = (hi + lo) · 2^k`, with `hi + lo` in `[0.69, 1.39]` and
/// `|lo| <= ulp(hi)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpParts {
    pub hi: f64,
    pub lo: f64,
    pub k: i64,
}

/// `2^n` from its bit pattern, for `n` in `[−1022, 1023]`.
#[inline(always)]
fn pow2i(n: i64) -> f64 {
    f64::from_bits((n.wrapping_add(1023) as u64) << 52)
}

/// `e^(h + l) − 1` as an unnormalised pair `p_hi + p_lo`, for `|h| ≤ 0.0217` and
/// `|l| ≤ 2^−50·|h|` or so (the double-double `r`): `h + h²/2` exactly as a FastTwoSum of
/// `h` and the rounded `h²/2`, and the rest — `h²`'s rounding error, `h³·P(h)` and `l·e^h` —
/// in plain `f64` in `p_lo` (`|p_lo| < 2^−19`). Error `< 2^−67` absolute, and `< 2^−64`
/// relative to `e^(h + l) − 1` (the roundings of `h³·P(h)`, about 2^−51 of it, over `h`).
/// Generic over lanes: the scalar kernels run it at `V = f64`.
#[inline(always)]
fn expm1_small<V: F64s>(h: V, l: V) -> (V, V) {
    // P(h) = 1/6 + h/24 + … + h^5/8!, by Estrin's scheme (three dependent steps).
    let (q, qe) = two_prod(h, h);
    let a0 = V::splat(C4).mul_add(h, V::splat(C3));
    let a1 = V::splat(C6).mul_add(h, V::splat(C5));
    let a2 = V::splat(C8).mul_add(h, V::splat(C7));
    let poly = a2.mul_add(q * q, a1.mul_add(q, a0));
    let cubic = (q * h) * poly;
    let half = V::splat(0.5);
    // |h²/2| < |h|, so the FastTwoSum is exact; half·q is exact.
    let (a, ae) = fast_two_sum(h, half * q);
    // l·e^h = l + l·h (+ l·h²/2 < 2^−60·|h|³, dropped).
    (a, ae + (half.mul_add(qe, cubic) + l.mul_add(h, l)))
}

/// The reduction shared by `exp` and `expm1`: `e^(x + x_lo) = 2^k · T · (1 + p)` with
/// `T = t_hi + t_lo = 2^(j/16)`, `j` in `[−8, 7]`, and `p = p_hi + p_lo` from
/// [`expm1_small`]. Returns `(t_hi, t_lo, p_hi, p_lo, k)`, `k` as an integer-valued `f64`.
/// Inputs are clamped to `[−1500, 1500]`, NaN to −1500.
#[inline(always)]
fn exp_reduce_lanes<V: F64s>(x: V, x_lo: V) -> (V, V, V, V, V) {
    let xm = V::splat(X_MAX);
    let inside = x.abs().le(xm);
    let xc = V::select(x.gt(V::splat(0.0)), xm, -xm);
    let xc = V::select(inside, x, xc);
    let x_lo = V::select(inside, x_lo, V::splat(0.0));
    // n = round(16x/ln 2) = 16k + j, |n| ≤ 34625; k = ⌊(n + 8)/16⌋ (n/16 + 1/2 is exact).
    let n = xc.mul_add(V::splat(SIXTEEN_OVER_LN2), V::splat(MAGIC)) - V::splat(MAGIC);
    let k = n.mul_add(V::splat(0.0625), V::splat(0.5)).floor();
    let index = V::splat(-16.0).mul_add(k, n) + V::splat(8.0);
    // r = x − n·ln 2/16 + x_lo = h + l. r1 is exact (see the module doc).
    let r1 = (-n).mul_add(V::splat(LN2_16_HI), xc);
    let (m, me) = two_prod(n, V::splat(LN2_16_LO));
    let (h, l) = two_sum(r1, (x_lo - m) - me);
    let (p_hi, p_lo) = expm1_small(h, l);
    let t_hi = V::lookup16(&T_HI, index);
    let t_lo = V::lookup16(&T_LO, index);
    (t_hi, t_lo, p_hi, p_lo, k)
}

/// `T·(1 + p) = T_hi + m + tail` with `m = T_hi·p_hi` rounded and `tail` its residual plus
/// `T_hi·p_lo + T_lo·(1 + p_hi)` (`T_lo·p_lo < 2^−70`, dropped). Returns `(m, tail)`.
#[inline(always)]
fn times_table<V: F64s>(t_hi: V, t_lo: V, p_hi: V, p_lo: V) -> (V, V) {
    let (m, me) = two_prod(t_hi, p_hi);
    (m, me + t_hi.mul_add(p_lo, t_lo.mul_add(p_hi, t_lo)))
}

/// [`exp_parts`] on lanes: `e^(x + x_lo) = (hi + lo)·2^k` with `k` returned as an
/// integer-valued `f64`. Inputs are clamped to `[−1500, 1500]`, NaN to −1500.
#[inline(always)]
pub(crate) fn exp_parts_lanes<V: F64s>(x: V, x_lo: V) -> (V, V, V) {
    let (t_hi, t_lo, p_hi, p_lo, k) = exp_reduce_lanes(x, x_lo);
    let (m, tail) = times_table(t_hi, t_lo, p_hi, p_lo);
    // |m| < 0.03 < t_hi, so a FastTwoSum is exact.
    let (s, se) = fast_two_sum(t_hi, m);
    let (hi, lo) = fast_two_sum(s, se + tail);
    (hi, lo, k)
}

/// `y·2^k` on lanes for any finite `y` and integer-valued `k`, rounded once: the steps of
/// [`ldexp`] (normalise y by its exponent, then two factors), on the bit pattern.
#[inline(always)]
pub(crate) fn ldexp_full_lanes<V: F64s>(y: V, k: V) -> V {
    let two52 = V::splat(4503599627370496.0);
    let ey = y.abs().shr52().bits_or(two52) - two52;
    let s = V::splat(-1022.0).max_or(V::splat(1023.0).min_or(V::splat(1023.0) - ey));
    let bias = V::splat(MAGIC + 1023.0);
    let m = y * (s + bias).shl52();
    let b = k - s;
    let b = V::splat(-1200.0).max_or(V::splat(1200.0).min_or(b));
    let b1 = (b * V::splat(0.5)).floor();
    m * (b1 + bias).shl52() * ((b - b1) + bias).shl52()
}

/// `y·2^k` for `y` in `[2^−60, 2]` and an integer-valued `|k| ≤ 1600` on lanes: the first
/// factor scales exactly, the second rounds (or overflows).
#[inline(always)]
fn scale_near_lanes<V: F64s>(y: V, k: V) -> V {
    let k1 = (k * V::splat(0.5)).floor();
    let bias = V::splat(MAGIC + 1023.0);
    y * (k1 + bias).shl52() * ((k - k1) + bias).shl52()
}

/// [`expm1`] on lanes: the pair of [`expm1_pair_lanes`] rounded, ±0 kept (NaN is the
/// caller's to handle). The ELU family uses the pair itself; this rounded form is kept for
/// the accuracy tests of the pair.
#[cfg(all(test, target_arch = "x86_64"))]
#[inline(always)]
pub(crate) fn expm1_lanes<V: F64s>(x: V) -> V {
    let (hi, lo) = expm1_pair_lanes(x, V::splat(0.0));
    V::select(x.eq(V::splat(0.0)), x, hi + lo)
}

/// e^(x + x_lo) − 1 on lanes as an unrounded pair hi + lo (|lo| ≤ ulp(hi) or so), for a
/// caller that multiplies it by a constant and rounds once (ELU, SELU, CELU); `x_lo` is the
/// tail of a double-double argument (|x_lo| ≤ ulp(x)). (+∞, 0) where the result overflows.
/// ±0 give (+0, 0): the caller keeps the sign of zero.
#[inline(always)]
pub(crate) fn expm1_pair_lanes<V: F64s>(x: V, x_lo: V) -> (V, V) {
    // Beyond ±1100 the result is −1 or +∞ already; the clamp keeps |k| ≤ 1600 for
    // `scale_near_lanes`. (NaN goes to ±1100 here and is the caller's to handle.)
    let big = V::splat(1100.0);
    let inside = x.abs().le(big);
    let xc = V::select(inside, x, big.copysign(x));
    let x_lo = V::select(inside, x_lo, V::splat(0.0));
    let (t_hi, t_lo, p_hi, p_lo, k) = exp_reduce_lanes(xc, x_lo);
    let (m, tail) = times_table(t_hi, t_lo, p_hi, p_lo);
    // For k = 0, e^x − 1 = (T_hi − 1) + m + tail: T_hi − 1 is exact (Sterbenz, T_hi in
    // [0.7, 1.36]) and the TwoSum keeps the relative accuracy: for j = 0 the result is p
    // itself (T = 1), and otherwise |x| > 0.0216, where e^x − 1 and T − 1 have one sign and
    // the sum cancels at most a factor 2.02 (j = 1). For k ≠ 0, e^x = (hi + lo)·2^k is
    // formed first (|x| > 0.32: 2^k·(hi + lo) − 1 cancels at most a factor 3.7).
    let at_zero = k.eq(V::splat(0.0));
    let one = V::select(at_zero, V::splat(1.0), V::splat(0.0));
    let (s, se) = two_sum(t_hi - one, m);
    let (hi, lo) = fast_two_sum(s, se + tail);
    let eh = scale_near_lanes(hi, k);
    let el = scale_near_lanes(lo, k);
    let (s, e) = two_sum(eh, V::splat(-1.0));
    let inf = V::splat(f64::INFINITY);
    let overflow = eh.eq(inf);
    let r_hi = V::select(overflow, inf, V::select(at_zero, hi, s));
    let r_lo = V::select(
        overflow | at_zero,
        V::select(at_zero, lo, V::splat(0.0)),
        e + el,
    );
    (r_hi, r_lo)
}

/// Q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ln 2/32 (widened by 10^−9): the degree-5 Chebyshev
/// interpolant from `poly_coeffs.py`; 1 + r + r²·Q(r) is e^r within 2^−64.42 relative
/// (50-digit arithmetic, 4001 points, these `f64` coefficients).
const TAIL_16: [f64; 6] = [
    0.5000000000000001,
    0.16666666666666669,
    0.041666666663595475,
    0.00833333333299209,
    0.0013889063440655676,
    0.00019841463787470567,
];

/// The reduction of [`exp_parts_lanes`] for a ≤ 0 in plain `f64`, shared by
/// [`exp_neg_lean2_lanes`] and [`expm1_neg_lean_pair_lanes`]: a is clamped at −760 (below
/// it e^a < 2^−1096, which no `f64` result built on it can see; NaN passes, callers select
/// it away), n = round(16a/ln 2) = 16k + j, r1 = a − n·L_HI exact and r = r1 − n·L_LO
/// rounded (at 2^−53·|r| ≤ 2^−58.5). Returns (n, k, r1, r, index), k integer-valued and
/// index the argument of `lookup16` for 2^(j/16) in [`T_HI`] and [`T_LO`].
#[inline(always)]
fn reduce_neg_lean<V: F64s>(a: V) -> (V, V, V, V, V) {
    let a = V::splat(-760.0).max_or(a);
    let t = a.mul_add(V::splat(SIXTEEN_OVER_LN2), V::splat(MAGIC));
    let n = t - V::splat(MAGIC);
    let k = n.mul_add(V::splat(0.0625), V::splat(0.5)).floor();
    let r1 = (-n).mul_add(V::splat(LN2_16_HI), a);
    let r = (-n).mul_add(V::splat(LN2_16_LO), r1);
    // t − 2^52 + 8 = 2^51 + n + 8 (exact): its low four bits, which `lookup16` reads, are
    // j + 8 for j = n − 16k in [−8, 7], the index of 2^(j/16) in the tables.
    let index = t + V::splat(8.0 - 4_503_599_627_370_496.0);
    (n, k, r1, r, index)
}

/// Q(r) of [`TAIL_16`] by Horner's rule.
#[inline(always)]
fn tail_16<V: F64s>(r: V) -> V {
    let mut q = V::splat(TAIL_16[5]);
    for &c in TAIL_16[..5].iter().rev() {
        q = q.mul_add(r, V::splat(c));
    }
    q
}

/// e^a for a ≤ 0 as 2^k·(hi + lo) with hi = 2^(j/16) a table entry (exact), |lo| < 2^−4.7·hi
/// and k ≥ −1097 an integer-valued `f64`, accurate to about 2^−57 relative: the plain-`f64`
/// counterpart of `exp32::exp_parts_neg`, for kernels whose `f64` result needs e^a to a
/// few bits beyond 53 rather than the 2^−67 of [`exp_parts_lanes`]' double-double.
///
/// After [`reduce_neg_lean`] (r rounded at 2^−58.5), e^r − 1 = r + r²·Q(r) ([`TAIL_16`],
/// 2^−64.4) is rounded once (2^−58.5 again), and lo = T_hi·(e^r − 1) + T_lo once more
/// (2^−53·|lo| ≤ 2^−58.4 of hi). Together below 2^−56.8 relative (measured against MPFR:
/// 2^−57.03 over 10^6 inputs; the test now sends every other input through
/// [`exp_neg_lean2_lanes`] and shows 2^−57.15 for the rest).
#[inline(always)]
pub(crate) fn exp_neg_lean_lanes<V: F64s>(a: V) -> (V, V, V) {
    // −0.0, not 0.0: r + (−0.0) is r for every r, so the addition compiles away.
    exp_neg_lean2_lanes(a, V::splat(-0.0))
}

/// [`exp_neg_lean_lanes`] of a + a_lo, a double-double with |a_lo| ≤ ulp(a) (a_lo joins r,
/// one more rounding at 2^−53·|r|, so 2^−56.3 in all; measured 2^−56.76).
#[inline(always)]
pub(crate) fn exp_neg_lean2_lanes<V: F64s>(a: V, a_lo: V) -> (V, V, V) {
    let (_, k, _, r, index) = reduce_neg_lean(a);
    let r = r + a_lo;
    let p = (r * r).mul_add(tail_16(r), r);
    let hi = V::lookup16(&T_HI, index);
    let lo = hi.mul_add(p, V::lookup16(&T_LO, index));
    (hi, lo, k)
}

/// e^(z + z_lo) − 1 for z ≤ 0 as an unrounded pair s + t within 2^−56 relative (measured
/// against MPFR: 2^−57.29), for a caller that rounds α·s + α·t once (the ELU family): the
/// plain-`f64` counterpart of `exp32::expm1_neg_pair`, on the reduction and the table of
/// [`exp_neg_lean_lanes`].
///
/// e^z − 1 = (2^k·T_hi − 1) + 2^k·(T_hi·(r + r²·Q(r)) + T_lo). Here 2^k·T_hi ≤ 1 (z ≤ 0
/// gives n ≤ 0, so j ≤ 0 where k = 0), so 2^k·T_hi − 1 is a FastTwoSum, and adding
/// 2^k·T_hi·r (itself exact as a product and its residual) to it is one too: for j = 0 and
/// k = 0 the first sum is 0 and the result is the second term whole; otherwise
/// |2^k·T_hi·r| ≤ 0.021 < |2^k·T_hi − 1|, and the sum cancels at most a factor 2.02 (j = −1).
/// Everything else is small next to the result and enters the tail t: r's rounding
/// (r = r1 − n·L_LO, kept exactly as r_lo, plus z_lo), T_hi·r²·Q(r) and T_lo·(1 + r). Where
/// the result is −1 to far below an ULP (k < −1000), 2^k is clamped at 2^−1000.
#[inline(always)]
pub(crate) fn expm1_neg_lean_pair_lanes<V: F64s>(z: V, z_lo: V) -> (V, V) {
    let (n, k, r1, r, index) = reduce_neg_lean(z);
    let r_lo = (-n).mul_add(V::splat(LN2_16_LO), r1 - r) + z_lo;
    let q = tail_16(r);
    let hi = V::lookup16(&T_HI, index);
    // T_lo·e^r, not T_lo: T_lo·r is 2^−54 of a result near −0.0217.
    let t_lo = V::lookup16(&T_LO, index);
    let rest = hi.mul_add((r * r).mul_add(q, r_lo), t_lo.mul_add(r, t_lo));
    let m = hi * r;
    let m_err = hi.mul_add(r, -m);
    let scale = pow2_from_minus_1000(k);
    let one = V::splat(1.0);
    let u = scale * hi;
    let s1 = u - one;
    let t1 = u - (s1 + one);
    let v = scale * m;
    let s2 = s1 + v;
    let t2 = v - (s2 - s1);
    (s2, scale.mul_add(rest + m_err, t1 + t2))
}

/// 1/(1 + E) = q(1 + ρ) + O(ρ²) for E = 2^k(hi + lo) ∈ [0, 1] from [`exp_neg_lean_lanes`]:
/// returns (q, ρ) with q = 1/(1 + E) rounded three times and |ρ| < 2^−50: the `f64`
/// counterpart of `exp32::reciprocal_of_one_plus_exp`. With s = 2^max(k, −1000),
/// d = (1 + hi·s) + lo·s and q = 1/d; ρ = 1 − q(1 + E) is (1 − q) − (q·s)·hi − (q·s)·lo in two
/// fused multiply-adds: 1 − q is exact (Sterbenz, q ∈ [½, 1]), q·s is exact (q·2^k, normal),
/// the first sum is ρ + q·s·lo (below 2^−5.6 in magnitude, rounded at 2^−58.6), the second
/// rounds at 2^−105. q + qρ is then 1/(1 + E) to 2^−58 relative (measured 2^−60.0, the
/// test below). Below k = −1000, E < 2^−999 cannot move 1 + E.
#[inline(always)]
pub(crate) fn reciprocal_of_one_plus_exp_lanes<V: F64s>(hi: V, lo: V, k: V) -> (V, V) {
    let one = V::splat(1.0);
    let s = pow2_from_minus_1000(k);
    let q = one / lo.mul_add(s, hi.mul_add(s, one));
    let qs = q * s;
    let rho = (-qs).mul_add(hi, one - q);
    (q, (-qs).mul_add(lo, rho))
}

/// y·2^k rounded once for an integer-valued k in [−1222, 0] and a y with y·2^(k+200) normal
/// (y in [2^−100, 2^100] and k ≥ −1100, say): y·2^(k+200) is then exact, and the
/// multiplication by 2^−200 rounds once, on the subnormal grid where the result is
/// subnormal.
#[inline(always)]
pub(crate) fn scale_down_lanes<V: F64s>(y: V, k: V) -> V {
    y * pow2_plus_200(k) * V::splat(TWO_POW_MINUS_200)
}

/// 2^(k+200) for an integer-valued k in [−1222, 823], from the bit pattern: the first
/// factor of [`scale_down_lanes`], for callers that work on y·2^(k+200) before the last.
#[inline(always)]
pub(crate) fn pow2_plus_200<V: F64s>(k: V) -> V {
    (k + V::splat(MAGIC + 1223.0)).shl52()
}

/// 2^−200.
pub(crate) const TWO_POW_MINUS_200: f64 = f64::from_bits((1023 - 200) << 52);

/// 2^max(k, −1000) for an integer-valued `f64` k ≤ 1023, from the bit pattern: the factor
/// that brings 2^k·(hi + lo) next to 1, where a value below 2^−1000 no longer shows and the
/// clamp keeps the factor (and q·2^k in the reciprocals) normal.
#[inline(always)]
pub(crate) fn pow2_from_minus_1000<V: F64s>(k: V) -> V {
    (V::splat(-1000.0).max_or(k) + V::splat(MAGIC + 1023.0)).shl52()
}

/// `e^x = (hi + lo)·2^k` from [`exp_parts_lanes`] as the pair `(hi·2^k, lo·2^k)` for a caller
/// that only adds it to 1 (or to a value at least that large): one power of two,
/// `2^max(k, −1000)`, in place of [`ldexp_lanes`]' two. It is exact above 2^−1000 (hi·2^k
/// stays normal) and stands in for `e^x` below, where `e^x` no longer changes the sum.
#[inline(always)]
pub(crate) fn pair_next_to_one<V: F64s>(hi: V, lo: V, k: V) -> (V, V) {
    let s = pow2_from_minus_1000(k);
    (hi * s, lo * s)
}

/// `y·2^k` on lanes for an integer-valued `k` and `|y| < 2^24` (and not too small: see
/// below), rounded once. `k` is clamped to `[−1100, 1023]`: below, `|y|·2^k` is under
/// half the least subnormal for every `|y| < 2^24`. The first factor 2^⌊k/2⌋ scales
/// exactly (y stays normal for `|y| ≥ 2^−450`), the second rounds.
#[inline(always)]
pub(crate) fn ldexp_lanes<V: F64s>(y: V, k: V) -> V {
    let k = V::splat(1023.0).min_or(V::splat(-1100.0).max_or(k));
    let k1 = (k * V::splat(0.5)).floor();
    let k2 = k - k1;
    let bias = V::splat(MAGIC + 1023.0);
    y * (k1 + bias).shl52() * (k2 + bias).shl52()
}

/// `e^(x + x_lo) = (hi + lo) · 2^k`, relative error `< 2^-60` (measured `< 2^-64`):
/// [`exp_parts_lanes`] at one lane, so the scalar and the vector kernels agree bit for bit.
///
/// For finite `x` in `[−1500, 1500]`; other inputs are clamped (NaN to `−1500`), so any
/// input gives finite parts. `|x_lo|` is a small tail (may be 0).
#[inline(always)]
pub(crate) fn exp_parts(x: f64, x_lo: f64) -> ExpParts {
    let (hi, lo, k) = exp_parts_lanes(x, x_lo);
    ExpParts {
        hi,
        lo,
        k: k as i64,
    }
}

/// `y · 2^k` for `y` in `[2^-60, 2]` and `|k| ≤ 2100` (two exact-then-rounding steps).
#[inline(always)]
fn scale_near(y: f64, k: i64) -> f64 {
    let k1 = k >> 1;
    y * pow2i(k1) * pow2i(k - k1)
}

/// `y · 2^k` with a single rounding, also when the result is subnormal or overflows.
///
/// `y` is first brought exactly to `m = y·2^s` in `[2^-51, 4)` (`s` from its exponent
/// field; a subnormal `y` is scaled by `2^1023`), then `m · 2^b1 · 2^b2` with
/// `b = k − s` clamped to `[−1200, 1200]`, `b1 = b >> 1`, `b2 = b − b1`: the first
/// product is exact (it stays normal), the second rounds once. Any `k` is accepted
/// (`|k|` beyond 2200 saturates); `±0`, `±∞` and NaN pass through.
#[inline(always)]
pub(crate) fn ldexp(y: f64, k: i64) -> f64 {
    let ey = ((y.to_bits() >> 52) & 0x7ff) as i64;
    let s = (1023 - ey).clamp(-1022, 1023);
    let m = y * pow2i(s);
    let b = (k.clamp(-4000, 4000) - s).clamp(-1200, 1200);
    let b1 = b >> 1;
    m * pow2i(b1) * pow2i(b - b1)
}

/// `e^x`, within 0.51 ULP everywhere (subnormal results included).
#[allow(dead_code)]
#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    // Beyond ±1100 the result is 0 or +∞ already; the clamp keeps k where `scale_near`
    // and the subnormal step are exact. (NaN is restored at the end.)
    let xc = select(x.abs() <= 1100.0, x, 1100.0f64.copysign(x));
    let ExpParts { hi, lo, k } = exp_parts(xc, 0.0);
    // Normal range (and overflow): hi + lo rounded once, then an exact scaling.
    let normal = scale_near(hi + lo, k);
    // Subnormal range (k ≤ −1022): y = (hi + lo)·2^(k+1022) < 1, exactly; 1 + y rounds
    // on the grid 2^-52, which becomes the subnormal grid 2^-1074 after the exact
    // subtraction of 1 and scaling by 2^-1022.
    let sc = pow2i((k + 1022).min(0));
    let (yh, yl) = (hi * sc, lo * sc);
    let (s, e) = fast_two_sum(1.0, yh);
    let sub = ((s + (e + yl)) - 1.0) * f64::MIN_POSITIVE;
    let r = select(normal < f64::MIN_POSITIVE, sub, normal);
    select(x.is_nan(), x, r)
}

/// `e^x − 1`, within 0.51 ULP everywhere: [`expm1_lanes`] at one lane (the pair the ELU
/// family runs, rounded), with NaN passed through. Kept for its accuracy tests (which need
/// MPFR).
#[cfg(all(test, target_arch = "x86_64"))]
pub(crate) fn expm1(x: f64) -> f64 {
    select(x.is_nan(), x, expm1_lanes(x))
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

    fn exact_exp(x: f64) -> Float {
        Float::with_val(PREC, x).exp()
    }

    fn exact_expm1(x: f64) -> Float {
        Float::with_val(PREC, x).exp_m1()
    }

    /// Edge inputs for exp and expm1.
    fn edges() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1e-300,
            -1e-300,
            1.0,
            -1.0,
            -37.5,
            -40.0,
            -1000.0,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
        ];
        for t in [
            709.782712893384,   // largest x with finite e^x
            -708.3964185322641, // e^x ≈ 2^-1022
            -744.4400719213812, // e^x ≈ 2^-1074
            -745.1332191019411, // e^x ≈ 2^-1075
            -745.1332191019412,
            -36.7368005696771, // e^x ≈ 2^-53
            -37.42994775023705,
            0.34657359027997264, // ln2/2
            -0.34657359027997264,
            1e-8,
            -1e-8,
        ] {
            v.extend(around(t, 40));
            v.extend(around(-t, 3));
        }
        // Near (n + ½)·ln 2/16, where the reduction switches the table entry (and k, when
        // n + ½ is a multiple of 8 plus ½): every switch in [−2, 2], every eighth beyond.
        for n in -17300..16500 {
            if n % 8 == 0 || (-50..50).contains(&n) {
                let t = (n as f64 + 0.5) * (core::f64::consts::LN_2 / 16.0);
                v.extend(around(t, 2));
            }
        }
        v
    }

    #[test]
    fn exp_special_values() {
        assert_eq!(exp(f64::NEG_INFINITY).to_bits(), 0);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(709.782712893384), 1.7976931348622732e308);
        assert_eq!(exp(709.7827128933841), f64::INFINITY);
        assert_eq!(exp(-745.1332191019411), 5e-324);
        assert_eq!(exp(-745.1332191019412), 0.0);
        assert_eq!(expm1(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(expm1(0.0).to_bits(), 0);
        assert_eq!(expm1(f64::NEG_INFINITY), -1.0);
        assert_eq!(expm1(f64::INFINITY), f64::INFINITY);
        assert!(expm1(f64::NAN).is_nan());
        assert_eq!(expm1(-5e-324), -5e-324);
        assert_eq!(expm1(5e-324), 5e-324);
        assert_eq!(expm1(-800.0), -1.0);
        assert_eq!(expm1(710.0), f64::INFINITY);
        for x in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e300, -1e300] {
            let p = exp_parts(x, 0.0);
            assert!(
                p.hi.is_finite() && p.lo.is_finite() && p.k.abs() <= 2165,
                "{x}"
            );
        }
    }

    #[test]
    fn ldexp_single_rounding() {
        let mut rng = Rng(7);
        let mut n = 0;
        for _ in 0..200_000 {
            let y = rng.binade(-1074, 1023, true);
            let k = rng.int(-2200, 2200);
            let got = ldexp(y, k);
            let mut f = Float::with_val(PREC, y);
            f <<= k as i32;
            let want = f.to_f64();
            assert_eq!(got.to_bits(), want.to_bits(), "ldexp({y:e}, {k})");
            n += 1;
        }
        for y in [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(ldexp(y, 5).to_bits(), y.to_bits());
            assert_eq!(ldexp(y, -3000).to_bits(), y.to_bits());
        }
        assert!(ldexp(f64::NAN, 3).is_nan());
        assert_eq!(ldexp(1.0, -1075), 0.0);
        assert_eq!(ldexp(1.5, -1075), 5e-324);
        assert_eq!(ldexp(5e-324, 2097), 2f64.powi(1023));
        assert_eq!(ldexp(5e-324, 2098), f64::INFINITY);
        println!("ldexp: {n} random (y, k) pairs bit-exact");
    }

    fn check_exp_inputs(xs: impl Iterator<Item = f64>, w: &mut Worst, wm: &mut Worst) {
        for x in xs {
            w.add(ulp_err(exp(x), &exact_exp(x)), x);
            wm.add(ulp_err(expm1(x), &exact_expm1(x)), x);
        }
    }

    fn run_exp(seed: u64, count: usize, label: &str) {
        let mut rng = Rng(seed);
        let (mut w, mut wm) = (Worst::new(), Worst::new());
        let xs = (0..count).map(|i| match i % 4 {
            // Every binade from 2^-60 to 2^9, both signs, inside the finite range.
            0 | 1 => {
                let x = rng.binade(-60, 9, true);
                if (-746.0..710.0).contains(&x) {
                    x
                } else {
                    -746.0 + 1456.0 * rng.unit()
                }
            }
            2 => -746.0 + 1456.0 * rng.unit(),
            // Tiny and subnormal arguments.
            _ => rng.binade(-1074, -61, true),
        });
        check_exp_inputs(xs, &mut w, &mut wm);
        if seed == 1 {
            check_exp_inputs(edges().into_iter(), &mut w, &mut wm);
        }
        println!(
            "{label}: exp max {:.6} ULP at x = {:e} ({} inputs); expm1 max {:.6} ULP at x = {:e} ({} inputs)",
            w.err, w.at, w.n, wm.err, wm.at, wm.n
        );
        assert!(w.err < 0.51, "exp: {} ULP at {:e}", w.err, w.at);
        assert!(wm.err < 0.51, "expm1: {} ULP at {:e}", wm.err, wm.at);
    }

    #[test]
    fn exp_expm1_ulp_a() {
        run_exp(1, 500_000, "exp/expm1 A");
    }

    #[test]
    fn exp_expm1_ulp_b() {
        run_exp(2, 500_000, "exp/expm1 B");
    }

    #[test]
    fn table_is_two_to_the_j_over_16() {
        for (i, (&hi, &lo)) in T_HI.iter().zip(T_LO.iter()).enumerate() {
            let mut exact = Float::with_val(PREC, i as i32 - 8);
            exact /= 16;
            exact.exp2_mut();
            assert_eq!(hi, exact.to_f64(), "T_HI[{i}] is not 2^(j/16) rounded");
            let mut rel = (Float::with_val(PREC, hi) + lo - &exact) / &exact;
            rel.abs_mut();
            assert!(rel.to_f64() < 2f64.powi(-105), "T_LO[{i}]: {rel}");
        }
        let mut l = Float::with_val(PREC, 2).ln();
        l /= 16;
        assert_eq!(LN2_16_HI, l.to_f64());
        l -= LN2_16_HI;
        assert_eq!(LN2_16_LO, l.to_f64());
        l -= LN2_16_LO;
        assert!(l.to_f64().abs() < 3.7e-35);
        let s = Float::with_val(PREC, 16) / Float::with_val(PREC, 2).ln();
        assert_eq!(SIXTEEN_OVER_LN2, s.to_f64());
    }

    #[test]
    fn exp_parts_relative() {
        let mut rng = Rng(3);
        let mut worst = 0.0f64;
        let mut at = (0.0, 0.0);
        let mut n = 0;
        let mut xs: Vec<f64> = edges().into_iter().filter(|x| x.abs() <= 1500.0).collect();
        xs.extend([1500.0, -1500.0, 1100.0, -1100.0]);
        for i in 0..1_000_000 {
            xs.push(match i % 3 {
                0 => rng.binade(-80, 11, true).clamp(-1500.0, 1500.0),
                1 => -1500.0 + 3000.0 * rng.unit(),
                _ => rng.binade(-1074, -81, true),
            });
        }
        for (i, &x) in xs.iter().enumerate() {
            // A double-double tail (≤ half an ulp of x) for every other input.
            let x_lo = if i % 2 == 0 {
                0.0
            } else {
                x * (rng.unit() - 0.5) * 2f64.powi(-52)
            };
            let p = exp_parts(x, x_lo);
            assert!((0.69..=1.39).contains(&(p.hi + p.lo)), "range at {x:e}");
            let ulp_hi = f64::from_bits(p.hi.to_bits() + 1) - p.hi;
            assert!(p.lo.abs() <= ulp_hi, "lo at {x:e}");
            let exact = (Float::with_val(PREC, x) + x_lo).exp();
            let mut ours = Float::with_val(PREC, p.hi) + p.lo;
            ours <<= p.k as i32;
            let mut rel = (ours - &exact) / &exact;
            rel.abs_mut();
            let rel = rel.to_f64();
            n += 1;
            if rel > worst {
                worst = rel;
                at = (x, x_lo);
            }
        }
        println!(
            "exp_parts: max relative error {worst:.3e} = 2^{:.2} at x = {:e}, x_lo = {:e} ({n} inputs)",
            worst.log2(),
            at.0,
            at.1
        );
        assert!(worst <= 2f64.powi(-60));
    }

    /// The plain-`f64` pair e^z − 1 = s + t for z ≤ 0 against MPFR (with and without a
    /// tail z_lo), over [−760, 0], every binade down to the subnormals, and around the
    /// table's first steps, where the sum cancels most.
    #[test]
    fn expm1_neg_lean_pair() {
        let mut rng = Rng(13);
        let mut zs: Vec<f64> = edges()
            .into_iter()
            .filter(|x| x.is_finite() && *x <= 0.0 && *x >= -760.0)
            .collect();
        for i in 0..1_000_000 {
            zs.push(match i % 4 {
                0 => -rng.binade(-80, 9, false).min(760.0),
                1 => -760.0 * rng.unit(),
                2 => -0.2 * rng.unit(),
                _ => -rng.binade(-1074, -81, false),
            });
        }
        let (mut worst, mut at) = (0.0f64, 0.0);
        for (i, &z) in zs.iter().enumerate() {
            let z_lo = if i % 2 == 0 {
                0.0
            } else {
                z * (rng.unit() - 0.5) * 2f64.powi(-52)
            };
            let (s, t) = expm1_neg_lean_pair_lanes(z, z_lo);
            let exact = Float::with_val(PREC, Float::with_val(PREC, z) + z_lo).exp_m1();
            if exact == 0 {
                continue;
            }
            let ours = Float::with_val(PREC, s) + t;
            let rel = (Float::with_val(PREC, ours - &exact) / &exact)
                .abs()
                .to_f64();
            if rel > worst {
                (worst, at) = (rel, z);
            }
        }
        println!(
            "expm1_neg_lean_pair: 2^{:.2} at z = {at:e} ({} inputs)",
            worst.log2(),
            zs.len()
        );
        assert!(worst <= 2f64.powi(-56));
    }

    /// The plain-`f64` pair e^a = 2^k(hi + lo) for a ≤ 0 and the reciprocal built on it,
    /// against MPFR: E within 2^−56.8 as stated (2^−56.3 with a tail a_lo), q + qρ within
    /// 2^−58 of 1/(1 + E) (E as returned, so this measures the reciprocal alone), |ρ| < 2^−50.
    #[test]
    fn exp_neg_lean_and_reciprocal() {
        let mut rng = Rng(11);
        let mut xs: Vec<f64> = edges()
            .into_iter()
            .filter(|x| x.is_finite() && *x <= 0.0 && *x >= -760.0)
            .collect();
        for i in 0..1_000_000 {
            xs.push(match i % 3 {
                0 => -rng.binade(-80, 9, false).min(760.0),
                1 => -760.0 * rng.unit(),
                _ => -rng.binade(-1074, -81, false),
            });
        }
        let (mut worst_e, mut worst_q, mut at_e, mut at_q) = (0.0f64, 0.0f64, 0.0, 0.0);
        let mut worst_tail = 0.0f64;
        for (i, &a) in xs.iter().enumerate() {
            // A double-double tail (≤ half an ulp of a) for every other input, through
            // exp_neg_lean2_lanes (stated 2^−56.3); the others through exp_neg_lean_lanes.
            let a_lo = a * (rng.unit() - 0.5) * 2f64.powi(-52);
            let (hi, lo, k) = if i % 2 == 0 {
                exp_neg_lean_lanes(a)
            } else {
                exp_neg_lean2_lanes(a, a_lo)
            };
            let a_lo = if i % 2 == 0 { 0.0 } else { a_lo };
            assert!((-1097.0..=0.0).contains(&k) && k == k.floor(), "k at {a:e}");
            assert!(lo.abs() < 2f64.powf(-4.7) * hi, "lo at {a:e}");
            let exact = (Float::with_val(PREC, a) + a_lo).exp();
            let mut e = Float::with_val(PREC, hi) + lo;
            e <<= k as i32;
            let rel = (Float::with_val(PREC, &e - &exact) / &exact).abs().to_f64();
            if a_lo != 0.0 {
                worst_tail = worst_tail.max(rel);
            } else if rel > worst_e {
                (worst_e, at_e) = (rel, a);
            }
            let (q, rho) = reciprocal_of_one_plus_exp_lanes(hi, lo, k);
            assert!(rho.abs() < 2f64.powi(-50), "rho at {a:e}");
            let recip = Float::with_val(PREC, 1.0) / (Float::with_val(PREC, 1.0) + &e);
            let ours = Float::with_val(PREC, q) + Float::with_val(PREC, q) * rho;
            let rel = (Float::with_val(PREC, ours - &recip) / &recip)
                .abs()
                .to_f64();
            if rel > worst_q {
                (worst_q, at_q) = (rel, a);
            }
        }
        println!(
            "exp_neg_lean: 2^{:.2} at a = {at_e:e}, with a tail 2^{:.2}; reciprocal: 2^{:.2} \
             at a = {at_q:e} ({} inputs)",
            worst_e.log2(),
            worst_tail.log2(),
            worst_q.log2(),
            xs.len()
        );
        assert!(worst_e <= 2f64.powf(-56.8));
        assert!(worst_tail <= 2f64.powf(-56.3));
        assert!(worst_q <= 2f64.powi(-58));
    }
}
