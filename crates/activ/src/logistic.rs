//! The logistic family: sigmoid, log-sigmoid and logit.
//!
//! # Formulas
//! - σ(x) = 1 / (1 + e^(−x))
//! - log σ(x) = −log(1 + e^(−x))
//! - logit(p) = log(p / (1 − p)), the inverse of σ; `logit_eps` first clamps p to
//!   [eps, 1 − eps], as PyTorch's `logit(p, eps)`.
//!
//! # Stable formulation
//! - **sigmoid.** Only e^(−|x|) ∈ (0, 1] is ever computed, so nothing overflows
//!   (e^x/(1+e^x) is NaN from x ≈ 88.7 in f32). With E = e^(−|x|): σ(|x|) = 1/(1+E) and
//!   σ(−|x|) = E/(1+E). E comes from the exp kernel as (hi + lo)·2^k; the quotient is taken
//!   on the unscaled hi + lo with a double-double denominator and scaled by 2^k last, so
//!   sigmoid(−740) in f64 and sigmoid(−100) in f32 are subnormals rounded once, not zeros.
//!   f32 runs on 16 `f32` lanes per AVX-512 register: E = 2^k(e_hi + e_lo) from a 16-entry
//!   table of 2^(j/16) and a degree-4 polynomial (relative error 2^−28);
//!   q = 1/(1 + E) rounded and the residual ρ = 1 − q(1 + E) as (1 − q) − q·E (1 − q is
//!   exact for q ∈ [½, 1], and q·E enters through two fused multiply-adds), so
//!   1/(1 + E) = q + qρ to 2^−30; σ(|x|) = q + qρ rounded once, σ(−|x|) = (e_hi + e_lo)(q + qρ)
//!   rounded once in [½, 2) and then scaled by 2^k (rounding a second time only for a
//!   subnormal result). f64 takes the same steps in plain `f64` (E to 2^−56.8 from a
//!   degree-5 polynomial, ρ to 2^−58), with no double-double: 0.50 → 0.56 ULP measured,
//!   0.436 → 0.83 elements/ns (AVX-512, Zen 4).
//! - **log-sigmoid.** log σ(x) = min(x, 0) − log1p(e^(−|x|)). Both terms are ≤ 0, so the
//!   sum never cancels, and it is never −∞ for finite x (log(σ(x)) is −∞ from x ≈ −745).
//!   f32 runs on `f32` lanes: E as a pair, log1p(E) as a pair (`math::log32`: a 16-entry
//!   table of log(1 + j/16) and a short series), x − log1p(E) a TwoSum, rounded once. f64
//!   takes the same steps in plain `f64` (E to 2^−56.8, log1p(E) to 2^−57 from the same
//!   table and a degree-8 series: 0.205 → 0.415 elements/ns on AVX-512, Zen 4).
//! - **logit.** log(p/(1−p)) loses half the digits near p = ½, where the quotient is near 1.
//!   For p ≥ ½, logit(p) = log1p((2p − 1)/(1 − p)); for ¼ ≤ p < ½,
//!   logit(p) = −log1p((1 − 2p)/p). Numerators and denominators there are exact (Sterbenz),
//!   so only the quotient rounds, and log1p takes it as a double-double. Below ¼,
//!   log(p/(1 − p)) with 1 − p kept exact as a double-double. Near 1 this is
//!   log(p) − log1p(−p) in effect, with 1 − p exact. In f64 the argument (1 + w or the
//!   quotient, each a double-double) is chosen per lane before one logarithm in plain `f64`
//!   (2^k times a table point times 1 + r, an unrounded pair within 2^−57), which is rounded
//!   once.
//!
//! # Special values
//! | x | sigmoid | log_sigmoid |
//! |---|---|---|
//! | NaN | NaN | NaN |
//! | ±0 | 0.5 | −ln 2 |
//! | +∞ | 1 | −0.0 |
//! | −∞ | +0.0 | −∞ |
//!
//! logit: NaN → NaN; p < 0 or p > 1 → NaN; logit(0) = −∞; logit(1) = +∞; logit(½) = 0.
//! logit_eps: p is clamped before logit, so 0 and 1 give finite results for eps > 0; NaN
//! stays NaN.
//!
//! # Accuracy (measured by `activ audit`)
//! Bounds: f32 ≤ 1 ULP over all inputs, subnormal results included; f64 ≤ 2 ULP.
//! Measured (every 256th f32 pattern; 10^6 random f64 inputs over all binades plus edge
//! cases, against MPFR): sigmoid f32 0.737 ULP (a subnormal result; all 2^32 inputs:
//! 0.757), log_sigmoid f32 0.748 (a subnormal result; all 2^32: 0.757), logit f32 0.500 ULP;
//! f64 sigmoid 0.556 (4·10^6 inputs: 0.570; 0.500 with the double-double quotient
//! before 2026-12-07), log_sigmoid 0.530 (0.500 with the double-double log1p), logit 0.512
//! (logit_eps 0.518; 0.500 with the double-double log before 2026-12-08, 0.958 and 0.979
//! before the log of p/(1 − p) was taken as a pair and rounded once).
//!
//! # Derivatives (see [`Derivative`](crate::Derivative))
//! - σ′(x) = σ(x)·σ(−x) = E/(1 + E)² with E = e^(−|x|): never y·(1 − y), which is exactly 0
//!   once σ(x) rounds to 1 (x > 17 in f32, x > 37 in f64). E = (hi + lo)·2^k and the
//!   quotient is taken on the unscaled hi + lo, so σ′(−740) in f64 is a subnormal, and
//!   dy·σ′(x) is rounded once.
//! - (log σ)′(x) = σ(−x).
//! - logit′(p) = 1/(p(1 − p)) with 1 − p exact as a double-double; p is scaled by 2^600
//!   first when tiny so p(1 − p) keeps its digits. NaN outside [0, 1], +∞ at 0 and 1.
//! - logit_eps′(p) = logit′(p) on [eps, 1 − eps] and 0 outside (the clamp is flat there),
//!   as PyTorch's `logit_backward`.
//!
//! Bounds f32 ≤ 2 ULP, f64 ≤ 4 ULP (f′ and dy·f′). Measured by `activ audit`: f′ and dy·f′
//! f32 sigmoid and log_sigmoid 0.502 ULP (E = e^(−|x|) good to 2^−32, `math::lean`), logit
//! 0.500; f′ f64 0.500 for all three; dy·f′ f64 sigmoid 0.750, log_sigmoid 0.749, logit
//! 0.749.

use crate::elementwise::{f32_via_lanes, require, unit_function, LanesF32};
use crate::math::dd::{div_dd, div_dd_bounded, fast_two_sum, mul_dd, two_sum};
use crate::math::exp::{
    exp_neg_lean_lanes, exp_parts_lanes, pair_next_to_one, reciprocal_of_one_plus_exp_lanes,
    scale_down_lanes,
};
use crate::math::exp32::{exp_parts_neg, reciprocal_of_one_plus_exp, scaled_pair};
use crate::math::lean;
use crate::math::log32::log1p_pair;
use crate::simd::F64s;
use crate::simd32::F32s;
use crate::{Error, Float};

/// σ(z_hi + z_lo) = (m + m_lo)·2^k on lanes, m + m_lo a double-double in a normal range
/// and k ≤ 0 an integer-valued `f64`, so that a caller multiplying by x (SiLU, GELU-tanh) or
/// by dy (the derivatives) rounds once even when the result is subnormal.
#[inline(always)]
pub(crate) fn sigmoid_parts_lanes<V: F64s>(z_hi: V, z_lo: V) -> (V, V, V) {
    let zero = V::splat(0.0);
    let positive = z_hi.gt(zero);
    let a_lo = V::select(positive, -z_lo, z_lo);
    let (hi, lo, k) = exp_parts_lanes(-z_hi.abs(), a_lo);
    // E = e_hi + e_lo, exact where it matters: below 2^−1000 it does not change 1 + E.
    let (e_hi, e_lo) = pair_next_to_one(hi, lo, k);
    // 1/(1 + E) as a double-double with one division: q = 1/(1 + e_hi) rounded twice,
    // then the residual ρ = 1 − q(1 + E) = (1 − q) − q·e_hi − q·e_lo without forming 1 + E
    // as a pair: 1 − q is exact (Sterbenz, q ∈ [½, 1]), the first fused multiply-add
    // leaves ρ + q·e_lo (about 2^−52) rounded at 2^−105, and the second subtracts q·e_lo.
    // 1/(1 + E) = q + qρ to 2^−104 (ρ² < 2^−104), normalised by a FastTwoSum.
    let one = V::splat(1.0);
    let q = one / (one + e_hi);
    let rho = (-q).mul_add(e_hi, one - q);
    let rho = (-q).mul_add(e_lo, rho);
    let (inv, inv_lo) = fast_two_sum(q, q * rho);
    let (neg, neg_lo) = mul_dd(hi, lo, inv, inv_lo);
    (
        V::select(positive, inv, neg),
        V::select(positive, inv_lo, neg_lo),
        V::select(positive, zero, k),
    )
}

/// σ in `f64` on lanes, the `f32` lanes' scheme ([`sigmoid_lanes32`]) in `f64`: with
/// E = e^(−|x|) = 2^k·(e_hi + e_lo) to 2^−56.8 from [`exp_neg_lean_lanes`] and
/// 1/(1 + E) = q(1 + ρ) to 2^−58 from [`reciprocal_of_one_plus_exp_lanes`], σ(|x|) = q + qρ
/// rounded once, and σ(−|x|) = (e_hi + e_lo)(q + qρ) formed unscaled in [0.35, 1.4], rounded
/// once and scaled by 2^k, which rounds (once) only when the result is subnormal. No
/// double-double: the errors before the last rounding stay below 2^−55.5 relative, a few
/// hundredths of an ULP.
#[inline(always)]
fn sigmoid_lanes64<V: F64s>(x: V) -> V {
    let (e_hi, e_lo, k) = exp_neg_lean_lanes(-x.abs());
    let (q, rho) = reciprocal_of_one_plus_exp_lanes(e_hi, e_lo, k);
    let positive = q.mul_add(rho, q);
    let tail = (e_hi * q).mul_add(rho, e_lo * q);
    let negative = e_hi.mul_add(q, tail);
    V::select(x.gt(V::splat(0.0)), positive, scale_down_lanes(negative, k))
}

/// σ for `f32` on `f32` lanes. With E = e^(−|x|) = 2^k·(e_hi + e_lo) from
/// [`exp_parts_neg`] and 1/(1 + E) = q(1 + ρ) to 2^−30 from [`reciprocal_of_one_plus_exp`]
/// (one division, and a residual that needs no pair for 1 + E): σ(|x|) = q + qρ, rounded
/// once; σ(−|x|) = (e_hi + e_lo)(q + qρ) formed unscaled in [½, 2) and rounded once, then
/// scaled by 2^k, which rounds only when the result is subnormal (so within one ULP there
/// too).
#[inline(always)]
fn sigmoid_lanes32<V: F32s>(x: V) -> V {
    let (e_hi, e_lo, k) = exp_parts_neg(-x.abs());
    let (q, rho) = reciprocal_of_one_plus_exp(e_hi, e_lo, k);
    let positive = q.mul_add(rho, q);
    // e_hi·q + (e_lo·q + (e_hi·q)·ρ): the products that do not need ρ run while it is
    // computed, so two fused multiply-adds follow it.
    let tail = (e_hi * q).mul_add(rho, e_lo * q);
    let negative = e_hi.mul_add(q, tail);
    V::select(x.gt(V::splat(0.0)), positive, negative.scale(k))
}

/// x·σ(z) on `f32` lanes (SiLU, GELU-tanh), given z > 0 and E = e^(−|z|) = 2^k(e_hi + e_lo)
/// from the exp kernel. With 1/(1 + E) = q + q_ρ ([`reciprocal_of_one_plus_exp`]): z > 0
/// gives x·q + x·q_ρ rounded once; z ≤ 0 gives x·e_hi exactly (a product and its FMA
/// residual) times q + q_ρ, rounded once unscaled and then scaled by 2^k (a second rounding
/// only for a subnormal result). Where z > 17, E < 2^−24 and q = 1, so the result is
/// x − x·E rounded, which is x itself for the callers' x and z (SiLU, GELU-tanh; all 2^32
/// `f32` inputs checked when their selects of x went) up to +∞: x·q_ρ is taken with x
/// clamped to 2^100 so that +∞ never meets −∞. The caller handles ±0, large negative x
/// and NaN.
#[inline(always)]
pub(crate) fn times_sigmoid_lanes32<V: F32s>(
    x: V,
    z_positive: V::Mask,
    e_hi: V,
    e_lo: V,
    k: V,
) -> V {
    let (q, rho) = reciprocal_of_one_plus_exp(e_hi, e_lo, k);
    let q_rho = q * rho;
    let positive = x.mul_add(q, V::splat(TWO_POW_100).min_or(x) * q_rho);
    let p = x * e_hi;
    let p_err = x.mul_add(e_hi, -p);
    let tail = p_err.mul_add(q, x * e_lo.mul_add(q, e_hi * q_rho));
    let negative = p.mul_add(q, tail).scale(k);
    V::select(z_positive, positive, negative)
}

/// 2^100 as an `f32`.
const TWO_POW_100: f32 = (1u128 << 100) as f32;

/// [`times_sigmoid_lanes32`] in `f64`: x·σ(z) for E = e^(−|z|) = 2^k(e_hi + e_lo) from
/// [`exp_neg_lean_lanes`] (2^−56.8) and 1/(1 + E) = q + qρ from
/// [`reciprocal_of_one_plus_exp_lanes`] (2^−58). z > 0: x·q + x·qρ rounded once (x·qρ on
/// min(x, 2^100), so that +∞ stays +∞; where E < 2^−53, q = 1 and this is x − x·E rounded
/// once). z ≤ 0: x·e_hi exact as a product and its residual, times q + qρ,
/// rounded once unscaled (|x·e_hi| ≤ 2^100 for the callers) and scaled by 2^k, a second
/// rounding only for a subnormal result. The caller handles ±0, large negative x and NaN.
#[inline(always)]
pub(crate) fn times_sigmoid_lanes64<V: F64s>(
    x: V,
    z_positive: V::Mask,
    e_hi: V,
    e_lo: V,
    k: V,
) -> V {
    let (q, rho) = reciprocal_of_one_plus_exp_lanes(e_hi, e_lo, k);
    let q_rho = q * rho;
    let positive = x.mul_add(q, V::splat(TWO_POW_100_F64).min_or(x) * q_rho);
    let p = x * e_hi;
    let p_err = x.mul_add(e_hi, -p);
    let tail = p_err.mul_add(q, x * e_lo.mul_add(q, e_hi * q_rho));
    let negative = scale_down_lanes(p.mul_add(q, tail), k);
    V::select(z_positive, positive, negative)
}

/// 2^100 as an `f64`.
pub(crate) const TWO_POW_100_F64: f64 = (1u128 << 100) as f64;

unit_function!(
    /// The logistic sigmoid σ(x) = 1/(1 + e^(−x)).
    Sigmoid,
    /// The logistic sigmoid σ(x) = 1/(1 + e^(−x)): see [`Sigmoid`].
    ///
    /// ```
    /// assert_eq!(activ::sigmoid(0.0f32), 0.5);
    /// assert_eq!(activ::sigmoid(f64::INFINITY), 1.0);
    /// // A subnormal, not a flush to zero:
    /// assert_eq!(activ::sigmoid(-100.0f32), 3.78e-44);
    /// ```
    fn sigmoid, lanes32 (interleaved_on_avx2) sigmoid_lanes32, lanes64 (interleaved_two) sigmoid_lanes64
);

/// log σ in `f64` on lanes, the steps of [`log_sigmoid_lanes32`] in plain `f64`:
/// min(x, 0) − log1p(E), E = e^(−|x|) = 2^k(e_hi + e_lo) from [`exp_neg_lean_lanes`]
/// (2^−56.8) and log1p(E) as a pair from
/// [`log1p_lean_pair_lanes`](crate::math::log::log1p_lean_pair_lanes) (2^−57). x < 0:
/// x − log1p(E) with x − l a TwoSum, rounded once (both terms ≤ 0: no cancellation).
/// x ≥ 0: −log1p(E), rounded once; where E < 2^−60 that is −E (log1p(E) = E(1 − E/2)),
/// scaled by 2^k last so that subnormal results round on their own grid.
#[inline(always)]
pub(crate) fn log_sigmoid_lanes64<V: F64s>(x: V) -> V {
    let (e_hi, e_lo, k) = exp_neg_lean_lanes(-x.abs());
    let (big, small) = pair_next_to_one(e_hi, e_lo, k);
    let (e, e_err) = fast_two_sum(big, small);
    let (l, l_lo) = crate::math::log::log1p_lean_pair_lanes(e, e_err);
    let (sum, err) = two_sum(x, -l);
    let negative = sum + (err - l_lo);
    let tiny = -scale_down_lanes(e_hi + e_lo, k);
    let positive = V::select(k.lt(V::splat(-60.0)), tiny, -(l + l_lo));
    let r = V::select(x.lt(V::splat(0.0)), negative, positive);
    V::select(x.eq(V::splat(f64::NEG_INFINITY)), x, r)
}

/// log σ for `f32` on `f32` lanes: min(x, 0) − log1p(E), E = e^(−|x|) a pair from
/// [`exp_parts_neg`] and log1p(E) a pair from [`log1p_pair`]. x < 0: x − log1p(E) with
/// x − l a TwoSum, rounded once. x ≥ 0: −log1p(E), rounded once; where E < 2^−30 that is −E
/// (log1p(E) = E(1 − E/2)), scaled by 2^k last so that subnormal results round correctly.
#[inline(always)]
pub(crate) fn log_sigmoid_lanes32<V: F32s>(x: V) -> V {
    let (e_hi, e_lo, k) = exp_parts_neg(-x.abs());
    let (e, e_err) = scaled_pair(e_hi, e_lo, k);
    let (l, l_lo) = log1p_pair(e, e_err);
    let s = x - l;
    let b = s - x;
    let err = (x - (s - b)) + (-l - b);
    let negative = s + (err - l_lo);
    let tiny = -(e_hi + e_lo).scale(k);
    let positive = V::select(k.lt(V::splat(-30.0)), tiny, -(l + l_lo));
    let r = V::select(x.lt(V::splat(0.0)), negative, positive);
    V::select(x.eq(V::splat(f32::NEG_INFINITY)), x, r)
}

unit_function!(
    /// log σ(x) = min(x, 0) − log1p(e^(−|x|)): finite for every finite x.
    LogSigmoid,
    /// log σ(x): see [`LogSigmoid`].
    ///
    /// ```
    /// // log(sigmoid(-800.0)) would be log(0) = -inf.
    /// assert_eq!(activ::log_sigmoid(-800.0f64), -800.0);
    /// ```
    fn log_sigmoid, lanes32 (interleaved) log_sigmoid_lanes32,
    lanes64 (interleaved) log_sigmoid_lanes64
);

/// logit in `f64` on lanes: for p ≥ ¼, ±log1p(w) with w = (2p − 1)/(1 − p) or (1 − 2p)/p
/// (numerator and denominator exact, the quotient a double-double); for p < ¼,
/// log(p/(1 − p)) with 1 − p an exact double-double. One logarithm per lane: the argument
/// is chosen first (1 + w ≥ 1 as a double-double for p ≥ ¼, p/(1 − p) < ⅓ below), and its
/// plain-`f64` log ([`log_lean_pair_lanes`](crate::math::log::log_lean_pair_lanes), an
/// unrounded pair within 2^−57) is rounded once (negated for ¼ ≤ p < ½).
#[inline(always)]
fn logit_lanes64<V: F64s>(p: V) -> V {
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let two = V::splat(2.0);
    let upper = p.ge(V::splat(0.5));
    let low = p.lt(V::splat(0.25));
    // One division per lane: the branch picks its numerator and (double-double) divisor
    // first. Every divisor is in [2^−53, 1] on the lanes that keep their quotient: 1 − p for
    // p ≥ ½ (exact), p for ¼ ≤ p < ½, and 1 − p as a TwoSum pair for p < ¼.
    let (c1, c1_lo) = two_sum(one, -p);
    let num = V::select(upper, two.mul_add(p, -one), (-two).mul_add(p, one));
    let num = V::select(low, p, num);
    let den = V::select(low, c1, V::select(upper, one - p, p));
    let den_lo = V::select(low, c1_lo, zero);
    let (w, w_lo) = div_dd_bounded(num, zero, den, den_lo);
    let (u, c) = two_sum(one, w);
    // Lanes outside the branch's range (and p = 0 or 1, NaN) get 1, so the log stays finite.
    let valid = p.gt(zero) & p.lt(one);
    let v_hi = V::select(valid, V::select(low, w, u), one);
    let v_lo = V::select(valid, V::select(low, w_lo, c + w_lo), zero);
    let (l, l_lo) = crate::math::log::log_lean_pair_lanes(v_hi, v_lo);
    let r = l + l_lo;
    let r = V::select(upper | low, r, -r);
    let r = V::select(p.eq(zero), V::splat(f64::NEG_INFINITY), r);
    let r = V::select(p.eq(one), V::splat(f64::INFINITY), r);
    let inside = p.ge(zero) & p.le(one);
    V::select(inside, r, V::splat(f64::NAN))
}

/// logit for `f32` on `f64` lanes: log(p/(1 − p)). For an `f32` p, 1 − p is exact where it
/// matters (p ≥ ½) and the quotient's rounding moves the result by at most 2^−52 absolute,
/// which near p = ½ (|logit| ≥ 2^−23) is still below 2^−29 relative.
#[inline(always)]
fn logit_lanes<V: F64s>(p: V) -> V {
    let l = lean::log(p / (V::splat(1.0) - p));
    let l = V::select(p.eq(V::splat(0.0)), V::splat(f64::NEG_INFINITY), l);
    let l = V::select(p.eq(V::splat(1.0)), V::splat(f64::INFINITY), l);
    let inside = p.ge(V::splat(0.0)) & p.le(V::splat(1.0));
    V::select(inside, l, V::splat(f64::NAN))
}

unit_function!(
    /// logit(p) = log(p/(1 − p)), the inverse of the sigmoid. NaN outside [0, 1].
    Logit,
    /// logit(p) = log(p/(1 − p)): see [`Logit`].
    ///
    /// ```
    /// assert_eq!(activ::logit(0.5f32), 0.0);
    /// assert_eq!(activ::logit(1.0f64), f64::INFINITY);
    /// assert!(activ::logit(1.5f64).is_nan());
    /// ```
    fn logit, lanes (interleaved) logit_lanes, lanes64 (interleaved) logit_lanes64
);

/// logit(clamp(p, eps, 1 − eps)), as PyTorch's `logit(p, eps)`; eps ∈ [0, ½].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogitEps<T> {
    eps: T,
}

impl<T: Float> LogitEps<T> {
    /// A clamped logit; `eps` must lie in [0, ½].
    pub fn new(eps: T) -> Result<Self, Error> {
        let ok = eps >= T::ZERO && eps <= T::from_f64(0.5);
        let eps = require(ok, "eps", "in [0, 0.5]", eps)?;
        Ok(Self { eps })
    }

    /// The clamp margin.
    pub fn eps(&self) -> T {
        self.eps
    }
}

impl crate::elementwise::LanesF64 for LogitEps<f64> {
    const INTERLEAVE: usize = 4;
    #[inline(always)]
    fn lanes64<V: F64s>(&self, p: V) -> V {
        let lo = V::splat(self.eps);
        let hi = V::splat(1.0 - self.eps);
        // max_or and min_or pass a NaN p through (their second operand).
        let p = hi.min_or(lo.max_or(p));
        logit_lanes64(p)
    }
}
crate::elementwise::f64_via_lanes!(LogitEps<f64>);

impl LanesF32 for LogitEps<f32> {
    const INTERLEAVED: bool = true;
    #[inline(always)]
    fn lanes<V: F64s>(&self, p: V) -> V {
        // The clamp bounds are f32 values, as in PyTorch (1 − eps rounded to f32).
        let lo = V::splat(self.eps as f64);
        let hi = V::splat((1.0 - self.eps) as f64);
        let p = hi.min_or(lo.max_or(p));
        logit_lanes(p)
    }
}
f32_via_lanes!(LogitEps<f32>);

// ---------------------------------------------------------------------------------------
// Derivatives: see the module docs.

use crate::derivative::{derivative_via_lanes, grad_shorthand, lean_vjp, GradLanes};

/// σ(z) in plain `f64` for the `f32` backward passes: E = e^(−|z|) within 2^−32
/// ([`lean::exp_nonpositive`]), then 1/(1 + E) or E/(1 + E), two more roundings. E's error
/// reaches the result at most once over (the quotients' logarithmic derivatives in E are
/// E/(1 + E) and 1/(1 + E)), 2^−8 `f32` ULP. Exactly 0 at z = −∞, where σ vanishes (the
/// clamped exponential alone would leave e^−700 there).
#[inline(always)]
pub(crate) fn sigmoid_lean<V: F64s>(z: V) -> V {
    let e = lean::exp_nonpositive(-z.abs());
    let d = V::splat(1.0) + e;
    let s = V::select(z.gt(V::splat(0.0)), V::splat(1.0), e) / d;
    V::select(z.eq(V::splat(f64::NEG_INFINITY)), V::splat(0.0), s)
}

/// E/(1 + E)² in plain `f64` for E = e^(−|z|) (σ′(z) = σ(z)σ(−z), and tanh′ with z = 2x
/// up to a factor 4), within 2^−31 relative (E within 2^−32 from
/// [`lean::exp_nonpositive`], and the logarithmic derivative (1 − E)/(1 + E) of E/(1 + E)²
/// in E is at most 1); exactly 0 at z = ±∞.
#[inline(always)]
pub(crate) fn sigmoid_grad_lean<V: F64s>(z: V) -> V {
    let a = z.abs();
    let e = lean::exp_nonpositive(-a);
    let d = V::splat(1.0) + e;
    V::select(a.eq(V::splat(f64::INFINITY)), V::splat(0.0), e / (d * d))
}

/// σ′(x) = E/(1 + E)², E = e^(−|x|) = (hi + lo)·2^k.
#[inline(always)]
fn sigmoid_grad_parts<V: F64s>(x: V) -> (V, V, V) {
    let zero = V::splat(0.0);
    let (hi, lo, k) = exp_parts_lanes(-x.abs(), zero);
    let (e, e_lo) = pair_next_to_one(hi, lo, k);
    let (d, d_lo) = crate::math::dd::add_dd(V::splat(1.0), zero, e, e_lo);
    let (d2, d2_lo) = mul_dd(d, d_lo, d, d_lo);
    let (q, q_lo) = div_dd_bounded(hi, lo, d2, d2_lo);
    (q, q_lo, k)
}

impl GradLanes for Sigmoid {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        sigmoid_grad_parts(x)
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        lean_vjp(self, x, dy, dy * sigmoid_grad_lean(x))
    }
}
derivative_via_lanes!(Sigmoid);
grad_shorthand!(
    /// σ′(x) = σ(x)·σ(−x): see [`Derivative`](crate::Derivative).
    ///
    /// ```
    /// // y·(1 − y) with y = σ(30) = 1.0f32 would give 0.
    /// assert!((activ::sigmoid_grad(30.0f32) / 9.357623e-14 - 1.0).abs() < 1e-6);
    /// ```
    Sigmoid,
    sigmoid_grad
);

impl GradLanes for LogSigmoid {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        sigmoid_parts_lanes(-x, V::splat(0.0))
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        lean_vjp(self, x, dy, dy * sigmoid_lean(-x))
    }
}
derivative_via_lanes!(LogSigmoid);
grad_shorthand!(
    /// (log σ)′(x) = σ(−x): see [`Derivative`](crate::Derivative).
    LogSigmoid,
    log_sigmoid_grad
);

/// logit′(p) = 1/(p(1 − p)) as (hi + lo)·2^k; NaN outside [0, 1], +∞ at 0 and 1.
#[inline(always)]
fn logit_grad_parts<V: F64s>(p: V) -> (V, V, V) {
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let (c, c_lo) = two_sum(one, -p);
    // 2^−500 and 2^600: p·(1 − p) stays normal and its reciprocal finite before scaling.
    let tiny = p.lt(V::splat(f64::from_bits(0x20B0_0000_0000_0000)));
    let ps = V::select(tiny, p * V::splat(f64::from_bits(0x6570_0000_0000_0000)), p);
    let k = V::select(tiny, V::splat(600.0), zero);
    let (d, d_lo) = mul_dd(ps, zero, c, c_lo);
    let (q, q_lo) = div_dd(one, zero, d, d_lo);
    let ends = p.eq(zero) | p.eq(one);
    let q = V::select(ends, V::splat(f64::INFINITY), q);
    let q_lo = V::select(ends, zero, q_lo);
    let inside = p.ge(zero) & p.le(one);
    (
        V::select(inside, q, V::splat(f64::NAN)),
        V::select(inside, q_lo, zero),
        k,
    )
}

/// logit′(p) = 1/(p(1 − p)) in plain `f64` for `f32` p: 1 − p and the product each round
/// once (relative 2^−53; p(1 − p) ≥ 2^−150 is normal), the quotient once more. +∞ at 0
/// and 1 (the quotient of a signed zero is selected, as −0.0 would give −∞), NaN outside
/// [0, 1].
#[inline(always)]
fn logit_grad_lean<V: F64s>(p: V) -> V {
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let g = one / (p * (one - p));
    let g = V::select(p.eq(zero) | p.eq(one), V::splat(f64::INFINITY), g);
    V::select(p.ge(zero) & p.le(one), g, V::splat(f64::NAN))
}

impl GradLanes for Logit {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, p: V) -> (V, V, V) {
        logit_grad_parts(p)
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, p: V, dy: V) -> V {
        lean_vjp(self, p, dy, dy * logit_grad_lean(p))
    }
}
derivative_via_lanes!(Logit);
grad_shorthand!(
    /// logit′(p) = 1/(p(1 − p)): see [`Derivative`](crate::Derivative).
    Logit,
    logit_grad
);

impl<T: Float> GradLanes for LogitEps<T> {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, p: V) -> (V, V, V) {
        logit_grad_parts(p)
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, p: V, dy: V) -> V {
        lean_vjp(self, p, dy, dy * logit_grad_lean(p))
    }
    #[inline(always)]
    fn flat<V: F64s>(&self, p: V) -> V::Mask {
        // The bounds the forward clamps to, in the type's own precision.
        let lo = self.eps;
        let hi = T::from_f64(1.0 - self.eps.to_f64());
        p.lt(V::splat(lo.to_f64())) | p.gt(V::splat(hi.to_f64()))
    }
}
derivative_via_lanes!(LogitEps<f32>, f32);
derivative_via_lanes!(LogitEps<f64>, f64);
