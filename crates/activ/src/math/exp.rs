//! The exponential: `e^x`, `e^x − 1`, and `e^(x + x_lo)` as a double-double times `2^k`.
//!
//! **Formula.** `e^x = 2^k · e^r` with `k = round(x / ln 2)` and `r = x − k·ln 2`, so
//! `|r| ≤ ln 2 / 2 + 2^-40 ≈ 0.3466`.
//!
//! **Method.**
//! * Range reduction: `k` is the rounded `x·log2(e)`, rounded to an integer with the magic
//!   constant `1.5·2^52` (the integer is read from the low bits of the sum's bit pattern).
//!   `r1 = x − k·LN2_HI` is one fused multiply-add and is *exact*: `LN2_HI` is `ln 2`
//!   rounded to 53 bits (a multiple of 2^-53), `x` is a multiple of 2^-54 whenever `k ≠ 0`
//!   (then `|x| > 0.34`), and `|r1| < 1/2`, so `r1` is a multiple of 2^-54 below 2^53 of
//!   them. The rest, `−k·LN2_LO + x_lo`, is added with an error-free sum, giving
//!   `r = h + l` as a double-double; the neglected `k·(ln 2 − LN2_HI − LN2_LO)` is below
//!   `2165 · 5.8e-34 < 2^-99`.
//! * Polynomial: `e^h − 1 = h + h²/2 + h³·(1/6 + h·U(h))`, with the Taylor coefficients
//!   `1/n!` (n = 4..15, each a correctly rounded `1.0 / n!` with `n!` exact in `f64`).
//!   The truncation error is `< |h|^16/16! · 1.03 < 2^-68.6` (relative to `e^h ≥ 0.7`,
//!   and `< 2^-67.6 · |h|` relative to `e^h − 1`). `U` is evaluated by Horner in plain
//!   `f64`; `1/6 + h·U` is a double-double (`1/6` split in two doubles), `h²` and `h³` are
//!   exact products (`two_prod`), `h³·(1/6 + hU)` is a double-double product, and the
//!   sum `h + h²/2 + …` is taken with FastTwoSum steps whose errors are collected in
//!   the low part. The tail `l` enters as `l·e^h ≈ l + l·(e^h − 1)`. The only roundings
//!   that matter are in `U` and `h·U`, together `< 2^-63` relative to `e^h`.
//! * Scaling: `ldexp` rounds once, also for subnormal and overflowing results. `exp`
//!   rounds `hi + lo` once in the normal range; when the result is subnormal it instead
//!   adds `1` to `(hi + lo)·2^(k+1022)` so that the one rounding falls on the subnormal
//!   grid, then subtracts `1` and scales by `2^-1022`, both exact.
//! * `expm1`: for `k = 0` it returns `(e^r − 1)` rounded from the double-double directly
//!   (relative accuracy kept for tiny `x`); otherwise `(hi + lo)·2^k − 1` with an
//!   error-free `TwoSum` against `−1`, which cancels at most a factor ~3.
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
//! over every binade plus edge cases each): `exp_parts` relative error `≤ 1.70e-19 ≈
//! 2^-62.35` (asserted `≤ 2^-60`); `exp` max `0.50068` ULP, `expm1` max `0.50089` ULP
//! (both asserted `< 0.51`); `ldexp` bit-identical to MPFR's correctly rounded
//! `y·2^k` on 2·10^5 random `(y, k)`, `|k| ≤ 2200`.

use super::dd::{fast_two_sum, mul_dd, select, two_prod, two_sum};
use crate::simd::F64s;

/// `1.5·2^52`: adding it rounds a double of magnitude `< 2^51` to an integer.
const MAGIC: f64 = 6_755_399_441_055_744.0;
/// Bit pattern of `MAGIC`; `bits(MAGIC + n) − MAGIC_BITS = n` for `|n| < 2^51`.
const MAGIC_BITS: i64 = 0x4338_0000_0000_0000;
const LOG2E: f64 = core::f64::consts::LOG2_E;
/// `ln 2` rounded to 53 bits (0x1.62e42fefa39efp-1).
const LN2_HI: f64 = core::f64::consts::LN_2;
/// `ln 2 − LN2_HI` rounded (0x1.abc9e3b39803fp-56); `|ln 2 − LN2_HI − LN2_LO| < 5.8e-34`.
const LN2_LO: f64 = 2.319_046_813_846_299_6e-17;
/// `1/6 = SIXTH_HI + SIXTH_LO` to about 2^-110.
const SIXTH_HI: f64 = 1.0 / 6.0;
const SIXTH_LO: f64 = 9.251_858_538_542_97e-18;
/// Inputs of `exp_parts` are clamped to `[−X_MAX, X_MAX]`.
const X_MAX: f64 = 1500.0;

// Taylor coefficients 1/n!, correctly rounded (n! is exact in f64 for n ≤ 18).
const C4: f64 = 1.0 / 24.0;
const C5: f64 = 1.0 / 120.0;
const C6: f64 = 1.0 / 720.0;
const C7: f64 = 1.0 / 5040.0;
const C8: f64 = 1.0 / 40320.0;
const C9: f64 = 1.0 / 362_880.0;
const C10: f64 = 1.0 / 3_628_800.0;
const C11: f64 = 1.0 / 39_916_800.0;
const C12: f64 = 1.0 / 479_001_600.0;
const C13: f64 = 1.0 / 6_227_020_800.0;
const C14: f64 = 1.0 / 87_178_291_200.0;
const C15: f64 = 1.0 / 1_307_674_368_000.0;

/// `e^(x + x_lo) = (hi + lo) · 2^k`, with `hi + lo` in about `[0.70, 1.42]` and
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

/// `e^(h + l) − 1` as a double-double, for `|h| ≤ 0.35`, `|l| ≤ 2^-50·|h|` or so
/// (a double-double `r`). Relative error `< 2^-62` versus `e^(h + l) − 1`. Generic over
/// lanes: the scalar kernels run it at `V = f64`.
#[inline(always)]
fn expm1_reduced<V: F64s>(h: V, l: V) -> (V, V) {
    // U(h) = 1/24 + h/120 + … + h^11/15!, Horner in f64. (No closures here: a closure
    // would not inherit the SIMD target features of the loop it is inlined into.)
    let mut v = V::splat(C15).mul_add(h, V::splat(C14));
    for k in [C13, C12, C11, C10, C9, C8, C7, C6, C5, C4] {
        v = v.mul_add(h, V::splat(k));
    }
    let u = v;
    // S = 1/6 + h·U as a double-double (|h·U| ≤ 0.0157 < 1/6).
    let (s_hi, s_lo) = fast_two_sum(V::splat(SIXTH_HI), h * u);
    let s_lo = s_lo + V::splat(SIXTH_LO);
    // h², h³ exactly (up to the h²-tail times h, ~2^-106 relative).
    let (q, qe) = two_prod(h, h);
    let (c3, c3e) = two_prod(q, h);
    let c3e = qe.mul_add(h, c3e);
    // C = h³·S, |C| ≤ 0.0075.
    let (cc, ce) = mul_dd(c3, c3e, s_hi, s_lo);
    // h + (h²/2 + C): each FastTwoSum has its larger operand first (|C| < |h|/3 · h²/2·2).
    let (a, ae) = fast_two_sum(V::splat(0.5) * q, cc);
    let (b, be) = fast_two_sum(h, a);
    // The tail l: e^(h+l) − 1 = (e^h − 1) + l·e^h, and l·e^h = l + l·(e^h − 1).
    let tail = (ae + be) + (ce + V::splat(0.5) * qe) + l.mul_add(b, l);
    fast_two_sum(b, tail)
}

/// [`exp_parts`] on lanes: `e^(x + x_lo) = (hi + lo)·2^k` with `k` returned as an
/// integer-valued `f64`. Inputs are clamped to `[−1500, 1500]`, NaN to −1500.
#[inline(always)]
pub(crate) fn exp_parts_lanes<V: F64s>(x: V, x_lo: V) -> (V, V, V) {
    let (p_hi, p_lo, kf) = exp_reduce_lanes(x, x_lo);
    let (hi, lo) = fast_two_sum(V::splat(1.0), p_hi);
    let (hi, lo) = fast_two_sum(hi, lo + p_lo);
    (hi, lo, kf)
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

/// `exp_reduce` on lanes: `e^(x + x_lo) = (1 + p_hi + p_lo)·2^k`, `k` as an `f64`.
#[inline(always)]
fn exp_reduce_lanes<V: F64s>(x: V, x_lo: V) -> (V, V, V) {
    let xm = V::splat(X_MAX);
    let inside = x.abs().le(xm);
    let xc = V::select(x.gt(V::splat(0.0)), xm, -xm);
    let xc = V::select(inside, x, xc);
    let x_lo = V::select(inside, x_lo, V::splat(0.0));
    let t = xc.mul_add(V::splat(LOG2E), V::splat(MAGIC));
    let kf = t - V::splat(MAGIC);
    let r1 = (-kf).mul_add(V::splat(LN2_HI), xc);
    let (p, pe) = two_prod(kf, V::splat(LN2_LO));
    let (h, l) = two_sum(r1, (x_lo - p) - pe);
    let (p_hi, p_lo) = expm1_reduced(h, l);
    (p_hi, p_lo, kf)
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
    let (p_hi, p_lo, k) = exp_reduce_lanes(xc, x_lo);
    let (hi, lo) = fast_two_sum(V::splat(1.0), p_hi);
    let lo = lo + p_lo;
    let eh = scale_near_lanes(hi, k);
    let el = scale_near_lanes(lo, k);
    let (s, e) = two_sum(eh, V::splat(-1.0));
    let at_zero = k.eq(V::splat(0.0));
    let inf = V::splat(f64::INFINITY);
    let overflow = eh.eq(inf);
    let r_hi = V::select(overflow, inf, V::select(at_zero, p_hi, s));
    let r_lo = V::select(
        overflow | at_zero,
        V::select(at_zero, p_lo, V::splat(0.0)),
        e + el,
    );
    (r_hi, r_lo)
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

/// `e^(x + x_lo) = (1 + p_hi + p_lo)·2^k`; returns `(p_hi, p_lo, k)`.
#[inline(always)]
fn exp_reduce(x: f64, x_lo: f64) -> (f64, f64, i64) {
    // Clamp; NaN and ±∞ go to ∓… (NaN to −X_MAX), with a zero tail.
    let inside = x.abs() <= X_MAX;
    let xc = select(x > 0.0, X_MAX, -X_MAX);
    let xc = select(inside, x, xc);
    let x_lo = select(inside, x_lo, 0.0);
    // k = round(x·log2 e), |k| ≤ 2165.
    let t = xc.mul_add(LOG2E, MAGIC);
    let k = (t.to_bits() as i64).wrapping_sub(MAGIC_BITS);
    let kf = t - MAGIC;
    // r = x − k·ln2 + x_lo = h + l. r1 is exact (see the module doc).
    let r1 = (-kf).mul_add(LN2_HI, xc);
    let (p, pe) = two_prod(kf, LN2_LO);
    let (h, l) = two_sum(r1, (x_lo - p) - pe);
    let (p_hi, p_lo) = expm1_reduced(h, l);
    (p_hi, p_lo, k)
}

/// `e^(x + x_lo) = (hi + lo) · 2^k`, relative error `< 2^-60` (measured `< 2^-62.5`).
///
/// For finite `x` in `[−1500, 1500]`; other inputs are clamped (NaN to `−1500`), so any
/// input gives finite parts. `|x_lo|` is a small tail (may be 0).
#[inline(always)]
pub(crate) fn exp_parts(x: f64, x_lo: f64) -> ExpParts {
    let (p_hi, p_lo, k) = exp_reduce(x, x_lo);
    // |p_hi| ≤ 0.42 < 1.
    let (hi, lo) = fast_two_sum(1.0, p_hi);
    let (hi, lo) = fast_two_sum(hi, lo + p_lo);
    ExpParts { hi, lo, k }
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
    let (p_hi, p_lo, k) = exp_reduce(xc, 0.0);
    let (hi, lo) = fast_two_sum(1.0, p_hi);
    let lo = lo + p_lo;
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
    use rug::Float;

    const PREC: u32 = 256;

    /// SplitMix64: a tiny deterministic generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        /// Uniform in [0, 1).
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
        }
        /// Uniform integer in [lo, hi].
        fn int(&mut self, lo: i64, hi: i64) -> i64 {
            lo + (self.next() % ((hi - lo + 1) as u64)) as i64
        }
        /// ±2^e·(1 + u): a random double in a random binade of [2^lo, 2^(hi+1)).
        fn binade(&mut self, lo: i64, hi: i64, signed: bool) -> f64 {
            let e = self.int(lo, hi);
            let mant = self.next() & ((1u64 << 52) - 1);
            let x = if e < -1022 {
                // Subnormal: 2^e is bit e + 1074, followed by the top mantissa bits.
                let s = (e + 1074) as u32;
                f64::from_bits((1u64 << s) | (mant >> (52 - s)))
            } else {
                f64::from_bits((((e + 1023) as u64) << 52) | mant)
            };
            if signed && self.next() & 1 == 1 {
                -x
            } else {
                x
            }
        }
    }

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

    /// Neighbours of `x`: ±`n` steps in the bit pattern.
    fn around(x: f64, n: u64) -> impl Iterator<Item = f64> {
        let b = x.to_bits();
        (b.saturating_sub(n)..=b.saturating_add(n)).map(f64::from_bits)
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
        // Near (k + ½)·ln 2, where the reduction switches k.
        for k in -1080..1030 {
            let t = (k as f64 + 0.5) * core::f64::consts::LN_2;
            v.extend(around(t, 2));
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
            assert!((0.70..=1.42).contains(&(p.hi + p.lo)), "range at {x:e}");
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
}
