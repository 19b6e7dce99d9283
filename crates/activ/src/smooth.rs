//! Smooth activations: softplus, tanh, SiLU, Mish and softsign.
//!
//! # Formulas
//! - softplus(x; β) = (1/β)·log(1 + e^(βx)) (default β = 1)
//! - tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))
//! - silu(x) = x·σ(x) (also called swish)
//! - mish(x) = x·tanh(softplus(x))
//! - softsign(x) = x / (1 + |x|)
//!
//! # Stable formulation
//! - **softplus.** softplus(x; β) = max(x, 0) + log1p(e^(−β|x|))/β. This is an identity,
//!   not a threshold: max(βx, 0)/β = max(x, 0) exactly, and e^(−β|x|) ≤ 1 never overflows,
//!   so it holds for every finite β > 0 (PyTorch's `threshold = 20` breaks for huge β).
//!   β|x| is formed as a double-double and the correction log1p(·)/β is a double-double too,
//!   so the only rounding that matters is the final sum. β = 1 (the default) is −log σ(−x),
//!   the log-sigmoid kernel, in both types (on `f32` lanes for f32; in f64 it skips the
//!   double-double β|x| and the quotients by β, and since 2026-12-07 runs in plain `f64`:
//!   0.21 → 0.43 elements/ns); f32 with other β computes on `f64` lanes.
//! - **tanh.** tanh|x| = (1 − E)/(1 + E) with E = e^(−2|x|): for |x| ≥ 7/16,
//!   2/(1 + E) − 1 = (2q − 1) + 2qρ with 1/(1 + E) = q(1 + ρ) (2q − 1 is exact, so the one
//!   cancellation costs nothing); below, x + x³·P(x²) (P near-minimax). f32 runs on 16 `f32`
//!   lanes with E as a pair of `f32` (2^−28); f64 takes the same steps in plain `f64` (E
//!   to 2^−56.8, P of degree 9 in x², no double-double). Odd symmetry by sign.
//! - **silu.** x·σ(x) = x/(1 + E) for x > 0 and x·E/(1 + E) below, E = e^(−|x|) = 2^k(e_hi +
//!   e_lo), with x·e_hi split exactly (product and FMA residual), times 1/(1 + E) = q + qρ,
//!   rounded once unscaled and then scaled by 2^k: silu(−740) in f64 is a subnormal, not 0.
//!   f32 runs on `f32` lanes, f64 the same steps in plain `f64` (E to 2^−56.8, no
//!   double-double).
//! - **mish.** tanh(log(1 + e^x)) = n/(n + 2) with n = e^x(e^x + 2), which needs no log
//!   and no tanh. For x > 0 it is computed as 1 − δ with δ = 2E²/(1 + 2E + 2E²), E = e^(−x),
//!   so nothing overflows; mish(x) = x − x·δ with one fused multiply-add in the f32 kernel
//!   (on `f64` lanes). f64 takes the same steps in plain `f64` with the errors carried as
//!   second words (E to 2^−56.8, one division and its residual).
//! - **softsign.** x/(1 + |x|) with 1 + |x| kept exact as a pair and one division:
//!   w = 1/(1 + |x|) as a pair, then x·w for |x| ≤ 1 and sign(x)·(1 − w) above, each
//!   rounded once (the same steps in `f64` lanes and in `f32` lanes).
//!
//! # Special values
//! | x | softplus | tanh | silu | mish | softsign |
//! |---|---|---|---|---|---|
//! | NaN | NaN | NaN | NaN | NaN | NaN |
//! | −0.0 | ln 2 / β | −0.0 | −0.0 | −0.0 | −0.0 |
//! | +∞ | +∞ | 1 | +∞ | +∞ | 1 |
//! | −∞ | +0.0 | −1 | −0.0 | −0.0 | −1 |
//!
//! # Accuracy (measured by `activ audit`)
//! Bounds: f32 ≤ 1 ULP for softplus, tanh, silu and softsign, ≤ 2 ULP for mish, over all
//! inputs; f64 ≤ 2 ULP. Measured: f32 softplus with β = 2, 10^−3 and 100 0.502 ULP, mish
//! 0.502 (all 2^32 inputs: 0.503; its exponential is good to 2^−32, see `math::lean`),
//! softsign 0.500; the `f32`-lane kernels: softplus (β = 1) 0.737, tanh 0.612, silu 0.748 (all
//! 2^32 inputs: softplus 0.757, tanh 0.631, silu 0.761); f64 softplus 0.722 (β = 100: 0.746),
//! tanh 0.595 (0.501 with the double-double quotient before 2026-12-07),
//! silu 0.584 (1.420 with the double-double σ, whose x·m rounded before the sum), mish 0.600
//! (0.800 with double-double steps; 4·10^6 inputs: 0.681, a subnormal result),
//! softsign 0.500.
//!
//! # Derivatives (see [`Derivative`](crate::Derivative))
//! E denotes e^(−|x|) (or e^(−2|x|), e^(−β|x|)) as (hi + lo)·2^k, so nothing overflows
//! and the tails keep their digits down to the subnormals.
//! - softplus′(x; β) = σ(βx), βx a double-double (σ's condition number is |βx|).
//! - tanh′(x) = 1 − tanh²(x) = 4E/(1 + E)², E = e^(−2|x|): 1 − tanh² in f32 is off by 2×
//!   at x = 9 and 0 from x = 10.
//! - silu′(x) = σ(x)(1 + x·σ(−x)): (1 + E + xE)/(1 + E)² for x ≥ 0 and
//!   E(1 + x + E)/(1 + E)² for x < 0, in double-double. 1 + x + E cancels at the root
//!   x0 ≈ −1.2785; within 1/8 of it the Taylor series of silu′ around x0 is used
//!   (`math::roots`).
//! - mish′(x) = tanh(sp) + x·σ(x)·sech²(sp), sp = softplus(x). With n = eˣ(eˣ + 2):
//!   tanh(sp) = n/(n + 2), sech²(sp) = 4(n + 1)/(n + 2)², σ(x)(n + 1) = eˣ(1 + eˣ), so
//!   mish′ = eˣ[(eˣ + 2)(n + 2) + 4x(1 + eˣ)]/(n + 2)² for x ≤ 0 (cancels at x0 ≈ −1.1924:
//!   Taylor series there) and, with F = e^(−x), A = 1 + 2F + 2F²,
//!   [(1 + 2F)·A + 4x(1 + F)F²]/A² for x > 0 (no cancellation).
//! - softsign′(x) = 1/(1 + |x|)², 1 + |x| a double-double scaled into [1, 2) by its
//!   exponent, so the square keeps its digits below the normal range.
//!
//! Bounds f32 ≤ 2 ULP, f64 ≤ 4 ULP. Measured by `activ audit`: f′ in f32 0.502 ULP for
//! softplus and tanh (their E = e^(−|x|) is good to 2^−32, `math::lean`), 0.500 for silu,
//! mish and softsign; f64 softplus 0.500 (β = 100: 0.746), tanh 0.500, silu 0.500, mish
//! 0.501, softsign 0.733; dy·f′ f32 ≤ 0.502, f64 ≤ 0.750.

use crate::elementwise::{require, unit_function, LanesF32, LanesF32Native};
use crate::math::dd::{
    add_dd, div_dd, div_dd_bounded, div_dd_by_reciprocal, mul_dd, reciprocal_is_normal, two_prod,
    two_sum,
};
use crate::math::lean;
use crate::simd::F64s;
use crate::simd32::F32s;
use crate::{Elementwise, Error, Float};

/// Softplus: `(1/β)·log(1 + e^(βx))`, stable for every finite β > 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Softplus<T> {
    beta: T,
}

impl<T: Float> Softplus<T> {
    /// The default β, 1.
    pub const DEFAULT_BETA: f64 = 1.0;

    /// A softplus with the given β; it must be finite and positive.
    pub fn new(beta: T) -> Result<Self, Error> {
        let beta = require(
            beta.is_finite() && beta > T::ZERO,
            "beta",
            "finite and > 0",
            beta,
        )?;
        Ok(Self { beta })
    }

    /// The sharpness β.
    pub fn beta(&self) -> T {
        self.beta
    }
}

impl<T: Float> Default for Softplus<T> {
    fn default() -> Self {
        Self { beta: T::ONE }
    }
}

/// softplus in `f64` on lanes: max(x, 0) + log1p(E)/β with E = e^(−β|x|) from a
/// double-double β|x|. For β|x| > 40, log1p(E) = E to within E/2 < 2^−58 relative, and E may
/// be subnormal while E/β is not (β < 1): the unscaled (hi + lo) is divided by β and scaled
/// once.
#[inline(always)]
fn softplus_lanes64<V: F64s>(x: V, beta: f64) -> V {
    use crate::math::exp::{exp_parts_lanes, ldexp_full_lanes, ldexp_lanes};
    let zero = V::splat(0.0);
    let b = V::splat(beta);
    let (t, t_lo) = two_prod(b, x.abs());
    // β|x| may overflow to +∞; its tail is then meaningless.
    let t_lo = V::select(t.lt(V::splat(f64::INFINITY)), t_lo, zero);
    let (hi, lo, k) = exp_parts_lanes(-t, -t_lo);
    let (l, l_lo) = crate::math::log::ln1p_dd_lanes(ldexp_lanes(hi, k), ldexp_lanes(lo, k));
    // β is one value for the whole call: inside [2^−1000, 2^1000] (every β in practice) both
    // quotients use its reciprocal, one division per call instead of two per lane. The
    // branch does not depend on the data.
    let ((c, c_lo), (q, _)) = if reciprocal_is_normal(beta) {
        let inv = V::splat(1.0 / beta);
        (
            div_dd_by_reciprocal(l, l_lo, b, zero, inv),
            div_dd_by_reciprocal(hi, lo, b, zero, inv),
        )
    } else {
        (div_dd(l, l_lo, b, zero), div_dd(hi, lo, b, zero))
    };
    let tiny = ldexp_full_lanes(q, k);
    let far = t.gt(V::splat(40.0));
    let (c, c_lo) = (V::select(far, tiny, c), V::select(far, zero, c_lo));
    let pos = x.max_or(zero);
    let (s, e) = add_dd(pos, zero, c, c_lo);
    let r = s + e;
    V::select(x.eq(V::splat(f64::INFINITY)), x, r)
}

impl LanesF32 for Softplus<f32> {
    /// max(x, 0) + log1p(e^(−β|x|))/β on `f64` lanes; β|x| is exact in `f64`. log1p(E)
    /// moves by at most E's relative error (its logarithmic derivative in E is below 1) and
    /// the sum of two nonnegative terms does not cancel, so E's 2^−32
    /// ([`lean::exp_nonpositive`]) reaches the result as under 2^−8 ULP.
    #[inline(always)]
    fn lanes<V: F64s>(&self, x: V) -> V {
        let beta = V::splat(self.beta as f64);
        let l = lean::log1p_unit(lean::exp_nonpositive(-(beta * x.abs()))) / beta;
        let pos = x.max_or(V::splat(0.0));
        V::select(x.is_nan(), x, pos + l)
    }
}

/// softplus with β = 1 on `f32` lanes: softplus(x) = −log σ(−x), the log-sigmoid kernel
/// (negation is exact, so its accuracy carries over).
#[derive(Clone, Copy)]
struct UnitSoftplus;

impl LanesF32Native for UnitSoftplus {
    const INTERLEAVED: bool = true;
    #[inline(always)]
    fn lanes32<V: F32s>(&self, x: V) -> V {
        -crate::logistic::log_sigmoid_lanes32(-x)
    }
}

impl Softplus<f32> {
    /// β = 1, the default and the common case, runs on `f32` lanes; other β on `f64` lanes.
    fn lanes32_kernel(&self) -> Option<UnitSoftplus> {
        (self.beta == 1.0).then_some(UnitSoftplus)
    }
}
crate::elementwise::f32_via_lanes32_or_lanes!(Softplus<f32>);

impl crate::elementwise::LanesF64 for Softplus<f64> {
    const INTERLEAVE: usize = 4;
    /// β = 1 (the default) takes the log-sigmoid kernel, softplus(x) = −log σ(−x) (negation
    /// is exact), as the `f32` one does: it needs neither the double-double β|x| nor the
    /// quotients by β. The branch is on the parameter, the same for every element.
    #[inline(always)]
    fn lanes64<V: F64s>(&self, x: V) -> V {
        if self.beta == 1.0 {
            -crate::logistic::log_sigmoid_lanes64(-x)
        } else {
            softplus_lanes64(x, self.beta)
        }
    }
}
crate::elementwise::f64_via_lanes!(Softplus<f64>);

/// Softplus with β = 1: see [`Softplus`].
///
/// ```
/// assert_eq!(activ::softplus(1000.0f32), 1000.0);
/// assert_eq!(activ::softplus(-1000.0f64), 0.0);
/// ```
#[inline]
pub fn softplus<T: Float>(x: T) -> T
where
    Softplus<T>: Elementwise<T>,
{
    Softplus::<T>::default().eval(x)
}

/// tanh(a)/a − 1 over a², a near-minimax polynomial in a² on [0, 7/16] (`poly_coeffs.py`,
/// degree 9): a + a³·P(a²) is within 2^−58.04 of tanh a, relative (60-digit arithmetic,
/// 3000 points, these `f64` coefficients).
const TANH_SMALL_F64: [f64; 10] = [
    -0.3333333333333333,
    0.13333333333332978,
    -0.05396825396764155,
    0.02186948849504881,
    -0.008863234125731622,
    0.003592100404416227,
    -0.0014555018456171075,
    0.000587531206464858,
    -0.00022763061613130696,
    6.647251067102285e-05,
];

/// tanh in `f64` on lanes, the `f32` lanes' steps ([`tanh_lanes32`]) in plain `f64`.
/// a = |x| ≥ 7/16: tanh a = (2q − 1) + 2q·ρ, one fused multiply-add, with E = e^(−2a) from
/// [`exp_neg_lean_lanes`](crate::math::exp::exp_neg_lean_lanes) (2^−56.8, condition
/// number 2E/(1 − E²) ≤ 1.01 here) and 1/(1 + E) = q(1 + ρ) from
/// [`reciprocal_of_one_plus_exp_lanes`](crate::math::exp::reciprocal_of_one_plus_exp_lanes)
/// (ρ to 2^−58.6 absolute, which grows by 2q/tanh a < 4.9 relative); 2q − 1 is exact
/// (Sterbenz, 2q ∈ [1.4, 2]). Below 7/16, a + a³·P(a²) ([`TANH_SMALL_F64`]), rounded once.
/// The sign is copied last, so tanh(−0.0) = −0.0.
#[inline(always)]
fn tanh_lanes64<V: F64s>(x: V) -> V {
    use crate::math::exp::{exp_neg_lean_lanes, reciprocal_of_one_plus_exp_lanes};
    let a = x.abs();
    let (e_hi, e_lo, k) = exp_neg_lean_lanes(V::splat(-2.0) * a);
    let (q, rho) = reciprocal_of_one_plus_exp_lanes(e_hi, e_lo, k);
    let two_q = q + q;
    let large = two_q.mul_add(rho, two_q - V::splat(1.0));
    let s = a * a;
    let mut p = V::splat(TANH_SMALL_F64[9]);
    for &c in TANH_SMALL_F64[..9].iter().rev() {
        p = p.mul_add(s, V::splat(c));
    }
    let small = (a * s).mul_add(p, a);
    V::select(a.lt(V::splat(0.4375)), small, large).copysign(x)
}

/// tanh(a)/a − 1 over a², a near-minimax polynomial in a² on [0, 7/16] (coefficients
/// rounded to `f32`; a + a³·P(a²) is within 2^−28.5 of tanh a, relative).
const TANH_SMALL: [f32; 5] = [
    -0.333_333_34,
    0.133_332_95,
    -0.053_952_035,
    0.021_626_364,
    -0.007_345_475,
];

/// tanh for `f32` on `f32` lanes. a = |x| ≥ 7/16: (1 − E)/(1 + E) = 2/(1 + E) − 1 with
/// E = e^(−2a) ≤ 0.42 as a pair from [`exp_parts_neg`] (relative error 2^−28, which the
/// condition number 2E/(1 − E²) < 1 keeps) and 1/(1 + E) = q(1 + ρ) from
/// [`reciprocal_of_one_plus_exp`](crate::math::exp32::reciprocal_of_one_plus_exp) (ρ to
/// 2^−30.5): 2q − 1 is exact (Sterbenz, 2q ∈ [1.4, 2]), so tanh a = (2q − 1) + 2q·ρ is one
/// fused multiply-add, rounded once; the error of ρ grows by 2q/tanh a < 3.4 to 2^−28.7
/// relative.
/// Below 7/16, a + a³·P(a²), rounded once (a subnormal a gives a). The sign is copied last,
/// so tanh(−0.0) = −0.0.
#[inline(always)]
fn tanh_lanes32<V: F32s>(x: V) -> V {
    use crate::math::exp32::{exp_parts_neg, reciprocal_of_one_plus_exp};
    let a = x.abs();
    let (e_hi, e_lo, k) = exp_parts_neg(V::splat(-2.0) * a);
    let (q, rho) = reciprocal_of_one_plus_exp(e_hi, e_lo, k);
    let two_q = q + q;
    let large = two_q.mul_add(rho, two_q - V::splat(1.0));
    let s = a * a;
    let mut p = V::splat(TANH_SMALL[4]);
    for &c in TANH_SMALL[..4].iter().rev() {
        p = p.mul_add(s, V::splat(c));
    }
    let small = (a * s).mul_add(p, a);
    V::select(a.lt(V::splat(0.4375)), small, large).copysign(x)
}

unit_function!(
    /// The hyperbolic tangent.
    Tanh,
    /// The hyperbolic tangent: see [`Tanh`].
    fn tanh, lanes32 (interleaved) tanh_lanes32, lanes64 (interleaved) tanh_lanes64
);

/// SiLU in `f64` on lanes: x·σ(x) by
/// [`times_sigmoid_lanes64`](crate::logistic::times_sigmoid_lanes64), in plain `f64` as
/// the `f32` lanes' [`silu_lanes32`]. Below −760, |x·σ(x)| < 760·e^−760 < 2^−1086 is far
/// under half the least subnormal: x is clamped there (−∞ included) and the arithmetic
/// rounds the result to −0.0; the sign of x is copied last (±0).
#[inline(always)]
fn silu_lanes64<V: F64s>(x: V) -> V {
    let x = V::splat(-760.0).max_or(x);
    let (e_hi, e_lo, k) = crate::math::exp::exp_neg_lean_lanes(-x.abs());
    crate::logistic::times_sigmoid_lanes64(x, x.gt(V::splat(0.0)), e_hi, e_lo, k).copysign(x)
}

/// SiLU for `f32` on `f32` lanes: x·σ(x) by
/// [`times_sigmoid_lanes32`](crate::logistic::times_sigmoid_lanes32), with no selects of
/// its own. Below −110 the result is under half the least subnormal, so x is clamped there
/// (−∞ included) and the arithmetic rounds it to −0.0; large x and +∞ come out as x (see
/// `times_sigmoid_lanes32`); silu(x) has the sign of x, which also gives ±0 for ±0 (the
/// unscaled sum is +0 for −0).
#[inline(always)]
fn silu_lanes32<V: F32s>(x: V) -> V {
    let x = V::splat(-110.0).max_or(x);
    let (e_hi, e_lo, k) = crate::math::exp32::exp_parts_neg(-x.abs());
    crate::logistic::times_sigmoid_lanes32(x, x.gt(V::splat(0.0)), e_hi, e_lo, k).copysign(x)
}

unit_function!(
    /// SiLU (swish), x·σ(x).
    Silu,
    /// SiLU (swish), x·σ(x): see [`Silu`].
    fn silu, lanes32 (interleaved) silu_lanes32, lanes64 (interleaved) silu_lanes64
);

/// Mish in `f64` on lanes, E = e^(−|x|) = 2^k(hi + lo) from
/// [`exp_neg_lean_lanes`](crate::math::exp::exp_neg_lean_lanes) (2^−56.8), in plain `f64`
/// with the errors of each step carried as a second word where they matter:
/// - x > 0: mish = x(1 − δ), δ = 2E²/B, B = 1 + 2E + 2E² (n/(n + 2) with n = e^x(e^x + 2),
///   divided through by e^(2x) so nothing overflows). B is a pair (two TwoSums), q = 1/B
///   rounded, δ = δ0 + q·r with δ0 = 2E²·q and r = 2E² − δ0·B its residual, and
///   x − x·δ0 (a TwoSum of x and the exact product) − x·q·r rounded once. δ ≤ 0.4 enters
///   with weight δ/(1 − δ) ≤ 2/3.
/// - x ≤ 0: mish = x·N/(N + 2), N = E(E + 2) = 2^k·A with A = (hi + lo)(2 + E) unscaled, a
///   pair; B = 2 + 2^k·A a pair (a TwoSum), q = 1/B with its residual ρ, and x·A·q(1 + ρ)
///   formed unscaled, rounded once and scaled by 2^k (a second rounding only for a
///   subnormal result).
///
/// One division: the two branches' B are selected first. Below −800 (−∞ included) x is
/// clamped and the arithmetic gives −0.0 (|x|·e^−760 < 2^−1086); ±0 and x > 2^900 (where
/// δ < 2^−1000, +∞ included) map to themselves by a select.
#[inline(always)]
fn mish_lanes64<V: F64s>(x: V) -> V {
    use crate::math::exp::{exp_neg_lean_lanes, scale_down_lanes};
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let two = V::splat(2.0);
    let xc = V::splat(-800.0).max_or(x);
    let (hi, lo, k) = exp_neg_lean_lanes(-xc.abs());
    // Normalised, so that products of two low parts (lo is up to 3 % of hi) drop out.
    let (hi, lo) = crate::math::dd::fast_two_sum(hi, lo);
    // E only enters next to 1 or 2 (and as E², next to 1), unchanged by E below 2^−1000.
    let s = crate::math::exp::pow2_from_minus_1000(k);
    let (e, e_lo) = (hi * s, lo * s);
    // x ≤ 0: A = (hi + lo)(2 + E) and B = 2 + 2^k·A, pairs (2 + E a FastTwoSum, E ≤ 1).
    let g = two + e;
    let g_lo = (e - (g - two)) + e_lo;
    let a = hi * g;
    let a_lo = hi.mul_add(g, -a) + hi.mul_add(g_lo, lo * g);
    let (b_neg, b_err) = two_sum(two, s * a);
    let b_neg_lo = s.mul_add(a_lo, b_err);
    // x > 0: E² = w + w_lo, B = (1 + 2E) + 2E² as a pair.
    let w = e * e;
    let w_lo = e.mul_add(e, -w) + (e + e) * e_lo;
    let (a_pos, a_err) = two_sum(one, e + e);
    let w2 = w + w;
    let (b_pos, b_pos_err) = two_sum(a_pos, w2);
    let b_pos_lo = (b_pos_err + a_err) + ((e_lo + e_lo) + (w_lo + w_lo));
    let positive = x.gt(zero);
    let b = V::select(positive, b_pos, b_neg);
    let b_lo = V::select(positive, b_pos_lo, b_neg_lo);
    let q = one / b;
    // x > 0: δ = δ0 + q·r.
    let d0 = w2 * q;
    let r = (-d0).mul_add(b, w2) + ((w_lo + w_lo) - d0 * b_lo);
    // x is taken times 2^100 (and x > 2^900 is x itself, selected below), so that the
    // products' residuals stay normal for tiny x; the result is scaled back last.
    use crate::logistic::TWO_POW_100_F64;
    let up = V::splat(TWO_POW_100_F64);
    let xs = V::splat(TWO_POW_900).min_or(x) * up;
    let h = xs * d0;
    let h_err = xs.mul_add(d0, -h);
    let (s1, s1_err) = two_sum(xs, -h);
    let pos = (s1 + ((s1_err - h_err) - xs * (q * r))) * V::splat(1.0 / TWO_POW_100_F64);
    // x ≤ 0: x·A·q(1 + ρ) unscaled (x times 2^100 again), ρ = 1 − q·(b + b_lo) (the first
    // part exact), scaled by 2^(k − 100) with one rounding.
    let rho = (-q).mul_add(b, one) - q * b_lo;
    let xs = xc * up;
    let p = xs * a;
    let p_err = xs.mul_add(a, -p);
    let tail = p.mul_add(q * rho, p_err.mul_add(q, (xs * a_lo) * q));
    let neg = scale_down_lanes(p.mul_add(q, tail), k - V::splat(100.0));
    let r = V::select(positive, pos, neg);
    V::select(x.gt(V::splat(TWO_POW_900)) | x.eq(zero), x, r)
}

/// 2^900 as an `f64`.
const TWO_POW_900: f64 = f64::from_bits((1023 + 900) << 52);

/// Mish for `f32` on `f64` lanes, the `f64` formulation without the double-double steps:
/// x·(1 + 2E)/(1 + 2E + 2E²) for x > 0 and x·n/(n + 2), n = E(E + 2), for x ≤ 0,
/// E = e^(−|x|). The ratio's logarithmic derivative in E is below 1 in magnitude, so E's
/// 2^−32 ([`lean::exp_nonpositive`]) moves the result by under 2^−8 ULP.
/// The special inputs need no select of their own: ±0 give x·3/5 = ±0, +∞ gives ∞·1/1
/// (E = e^−700, the clamp), and below −800 x is clamped, which turns −∞ into −800·2e^−700,
/// a −0.0 in `f32` as every x below about −104 gives. Only NaN is selected, so that the input
/// NaN itself comes out on every path (two NaN operands leave the choice to the hardware).
#[inline(always)]
fn mish_lanes<V: F64s>(x: V) -> V {
    let e = lean::exp_nonpositive(-x.abs());
    let two = V::splat(2.0);
    let a = two.mul_add(e, V::splat(1.0));
    let n = e * (e + two);
    // One division: each branch's numerator and denominator are selected first.
    let positive = x.gt(V::splat(0.0));
    let num = V::splat(-800.0).max_or(x) * V::select(positive, a, n);
    let r = num / V::select(positive, (two * e).mul_add(e, a), n + two);
    V::select(x.is_nan(), x, r)
}

unit_function!(
    /// Mish, x·tanh(softplus(x)).
    Mish,
    /// Mish, x·tanh(softplus(x)): see [`Mish`].
    fn mish, lanes mish_lanes, lanes64 (interleaved) mish_lanes64
);

/// Softsign in `f64` on lanes, one division (as the `f32` kernel): 1 + |x| an exact pair d,
/// w = 1/d = w_q + w_q·ρ with ρ the division residual; x·w for |x| ≤ 1 and sign(x)·(1 − w)
/// above (1 − w_q an exact FastTwoSum, w ≤ ½), each rounded once. ±∞ give ±1.
#[inline(always)]
fn softsign_lanes64<V: F64s>(x: V) -> V {
    let one = V::splat(1.0);
    let a = x.abs();
    let large = a.gt(one);
    let big = V::select(large, a, one);
    let small = V::select(large, one, a);
    let d_hi = big + small;
    let d_lo = small - (d_hi - big);
    let w = one / d_hi;
    let rho = (-w).mul_add(d_hi, one);
    let rho = (-w).mul_add(d_lo, rho);
    let w_lo = w * rho;
    let inside = x.mul_add(w, x * w_lo);
    let t = one - w;
    let t_err = (one - t) - w;
    let outside = (t + (t_err - w_lo)).copysign(x);
    let y = V::select(large, outside, inside);
    V::select(a.eq(V::splat(f64::INFINITY)), one.copysign(x), y)
}

/// softsign for `f32` on `f32` lanes, one division: 1 + |x| as an exact pair d (FastTwoSum,
/// larger term first) and w = 1/d = w_q + w_q·ρ, ρ the division residual (to 2^−46). For
/// |x| ≤ 1, x·w rounded once; above, sign(x)·(1 − w) with 1 − w_q an exact FastTwoSum
/// (w ≤ ½), rounded once. ±∞ give ±1.
#[inline(always)]
fn softsign_lanes32<V: F32s>(x: V) -> V {
    let one = V::splat(1.0);
    // From 2^26 on, 1/(1 + |x|) < 2^−26 and 1 − w rounds to 1: clamping |x| there keeps ±∞
    // out of the arithmetic (∞ − ∞ in d_lo), and the sign comes from x below.
    let a = V::splat(TWO_POW_26).min_or(x.abs());
    let large = a.gt(one);
    let big = V::select(large, a, one);
    let small = V::select(large, one, a);
    let d_hi = big + small;
    let d_lo = small - (d_hi - big);
    let w = one / d_hi;
    let rho = (-w).mul_add(d_hi, one);
    let rho = (-w).mul_add(d_lo, rho);
    let w_lo = w * rho;
    let inside = x.mul_add(w, x * w_lo);
    let t = one - w;
    let t_err = (one - t) - w;
    let outside = (t + (t_err - w_lo)).copysign(x);
    V::select(large, outside, inside)
}

/// 2^26 as an `f32`.
const TWO_POW_26: f32 = (1u32 << 26) as f32;

unit_function!(
    /// Softsign, x/(1 + |x|).
    Softsign,
    /// Softsign, x/(1 + |x|): see [`Softsign`].
    fn softsign, lanes32 softsign_lanes32, lanes64 (interleaved) softsign_lanes64
);

// ---------------------------------------------------------------------------------------
// Derivatives: see the module docs.

use crate::derivative::{
    derivative_via_lanes, grad_shorthand, lean_root_ends, lean_vjp, negligible_negative,
    root_series, GradLanes,
};
use crate::math::exp::{exp_parts_lanes, pair_next_to_one};

impl<T: Float> GradLanes for Softplus<T> {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let (t, t_lo) = two_prod(V::splat(self.beta.to_f64()), x);
        let t_lo = V::select(t.abs().lt(V::splat(f64::INFINITY)), t_lo, zero);
        crate::logistic::sigmoid_parts_lanes(t, t_lo)
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        // β·x is exact for an `f32` β and x.
        let s = crate::logistic::sigmoid_lean(V::splat(self.beta.to_f64()) * x);
        lean_vjp(self, x, dy, dy * s)
    }
}
derivative_via_lanes!(Softplus<f32>, f32);
derivative_via_lanes!(Softplus<f64>, f64);

impl GradLanes for Tanh {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let (hi, lo, k) = exp_parts_lanes(V::splat(-2.0) * x.abs(), zero);
        let (e, e_lo) = pair_next_to_one(hi, lo, k);
        let (d, d_lo) = add_dd(V::splat(1.0), zero, e, e_lo);
        let (d2, d2_lo) = mul_dd(d, d_lo, d, d_lo);
        let four = V::splat(4.0);
        let (q, q_lo) = div_dd_bounded(four * hi, four * lo, d2, d2_lo);
        (q, q_lo, k)
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        let g = crate::logistic::sigmoid_grad_lean(V::splat(2.0) * x);
        lean_vjp(self, x, dy, dy * (V::splat(4.0) * g))
    }
}
derivative_via_lanes!(Tanh);
grad_shorthand!(
    /// tanh′(x) = 1 − tanh²(x), computed as 4e^(−2|x|)/(1 + e^(−2|x|))² (no cancellation).
    ///
    /// ```
    /// // In f32, 1 − tanh²(x) is 1.19e−7 at x = 9 (true: 6.09e−8) and 0 from x = 10 on.
    /// let t = activ::tanh(10.0f32);
    /// assert_eq!(1.0 - t * t, 0.0);
    /// assert!((activ::tanh_grad(10.0f32) / 8.24461445577e-9 - 1.0).abs() < 1e-6);
    /// assert!((activ::tanh_grad(9.0f32) / 6.09199171232e-8 - 1.0).abs() < 1e-6);
    /// ```
    Tanh,
    tanh_grad
);

impl GradLanes for Silu {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let one = V::splat(1.0);
        let (hi, lo, k) = exp_parts_lanes(-x.abs(), zero);
        // E enters next to 1 (or to 1 + x, x·E with x·E ≤ |x|·e^−|x|), so below 2^−1000 it
        // changes nothing.
        let (e, e_lo) = pair_next_to_one(hi, lo, k);
        let (d, d_lo) = add_dd(one, zero, e, e_lo);
        let (d2, d2_lo) = mul_dd(d, d_lo, d, d_lo);
        // x ≥ 0: (1 + E + xE)/(1 + E)², all terms positive.
        let (xe, xe_lo) = mul_dd(x, zero, e, e_lo);
        let (n, n_lo) = add_dd(d, d_lo, xe, xe_lo);
        // x < 0: E(1 + x + E)/(1 + E)², E unscaled and 2^k applied last.
        let (s, s_lo) = two_sum(one, x);
        let (b, b_lo) = add_dd(s, s_lo, e, e_lo);
        let (nb, nb_lo) = mul_dd(hi, lo, b, b_lo);
        // One division: the numerators share the divisor and are selected first.
        let positive = x.ge(zero);
        let (q, q_lo) = div_dd_bounded(
            V::select(positive, n, nb),
            V::select(positive, n_lo, nb_lo),
            d2,
            d2_lo,
        );
        let (near, g, g_lo) = root_series(&crate::math::roots::SILU, x);
        let series = near & !positive;
        let r = V::select(series, g, q);
        let r_lo = V::select(series, g_lo, q_lo);
        let k = V::select(positive | near, zero, k);
        // Above 800 the derivative is 1 to far below half an ULP (and ∞·0 is avoided); below
        // −1500, |x·eˣ|·f64::MAX is under the least subnormal.
        let big = x.gt(V::splat(800.0));
        let r = V::select(big, one, r);
        let far = x.lt(V::splat(-1500.0));
        let (far_hi, far_lo, far_k) = negligible_negative();
        (
            V::select(far, far_hi, r),
            V::select(far, far_lo, V::select(big, zero, r_lo)),
            V::select(far, far_k, k),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        lean_vjp(self, x, dy, dy * silu_grad_lean(x))
    }
}

/// silu′(x) in plain `f64` for the `f32` backward pass, E = e^(−|x|) within 2^−42: x ≥ 0 gives (1 +
/// E + xE)/(1 + E)² (no cancellation), x < 0 gives E(1 + x + E)/(1 + E)², which cancels only near
/// the root, where the Taylor series of [`lean_root_ends`] takes over (outside its window by at
/// most a factor 17, so the error stays below 2^−38). Below −700 the clamped E leaves a negative
/// f′(x) far below anything dy·f′(x) can show; −0 at x = −∞.
#[inline(always)]
fn silu_grad_lean<V: F64s>(x: V) -> V {
    let one = V::splat(1.0);
    let e = lean::exp(-x.abs());
    let d = one + e;
    let d2 = d * d;
    let positive = x.ge(V::splat(0.0));
    let direct = V::select(positive, x.mul_add(e, d), e * ((one + x) + e)) / d2;
    lean_root_ends(&crate::math::roots::SILU, x, positive, direct, 800.0)
}
derivative_via_lanes!(Silu);
grad_shorthand!(
    /// silu′(x) = σ(x)·(1 + x·σ(−x)): see [`Derivative`](crate::Derivative).
    Silu,
    silu_grad
);

impl GradLanes for Mish {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let one = V::splat(1.0);
        let two = V::splat(2.0);
        let four = V::splat(4.0);
        let (hi, lo, k) = exp_parts_lanes(-x.abs(), zero);
        // E enters next to 1 or 2, and in x·(1 + E)·E² and x·(1 + E) next to terms of size 1
        // or |x| (|x|·E ≤ |x|·e^−|x|), so below 2^−1000 it changes nothing.
        let (e, e_lo) = pair_next_to_one(hi, lo, k);
        // x > 0, F = E: [(1 + 2F)·A + 4x(1 + F)F²]/A², A = 1 + 2F + 2F².
        let (p, p_lo) = add_dd(one, zero, two * e, two * e_lo);
        let (f2, f2_lo) = mul_dd(e, e_lo, e, e_lo);
        let (a, a_lo) = add_dd(p, p_lo, two * f2, two * f2_lo);
        let (pa, pa_lo) = mul_dd(p, p_lo, a, a_lo);
        let (g1, g1_lo) = add_dd(one, zero, e, e_lo);
        let (t, t_lo) = mul_dd(g1, g1_lo, f2, f2_lo);
        let (xt, xt_lo) = mul_dd(four * x, zero, t, t_lo);
        let (num, num_lo) = add_dd(pa, pa_lo, xt, xt_lo);
        let (a2, a2_lo) = mul_dd(a, a_lo, a, a_lo);
        // x ≤ 0, E = eˣ: E[(E + 2)(n + 2) + 4x(1 + E)]/(n + 2)², n = E(E + 2).
        let (ep2, ep2_lo) = add_dd(two, zero, e, e_lo);
        let (n, n_lo) = mul_dd(e, e_lo, ep2, ep2_lo);
        let (n2, n2_lo) = add_dd(two, zero, n, n_lo);
        let (u, u_lo) = mul_dd(ep2, ep2_lo, n2, n2_lo);
        let (v, v_lo) = mul_dd(four * x, zero, g1, g1_lo);
        let (b, b_lo) = add_dd(u, u_lo, v, v_lo);
        let (nb, nb_lo) = mul_dd(hi, lo, b, b_lo);
        let (den, den_lo) = mul_dd(n2, n2_lo, n2, n2_lo);
        // One division: each branch's numerator and divisor are selected first.
        let positive = x.gt(zero);
        let (q, q_lo) = div_dd_bounded(
            V::select(positive, num, nb),
            V::select(positive, num_lo, nb_lo),
            V::select(positive, a2, den),
            V::select(positive, a2_lo, den_lo),
        );
        let (near, g, g_lo) = root_series(&crate::math::roots::MISH, x);
        let series = near & !positive;
        let r = V::select(series, g, q);
        let r_lo = V::select(series, g_lo, q_lo);
        let k = V::select(positive | near, zero, k);
        // Above 800 mish′ is 1 to far below half an ULP (4x would overflow near MAX); below
        // −1500, |mish′|·f64::MAX is under the least subnormal.
        let inf = x.gt(V::splat(800.0));
        let far = x.lt(V::splat(-1500.0));
        let (far_hi, far_lo, far_k) = negligible_negative();
        (
            V::select(far, far_hi, V::select(inf, one, r)),
            V::select(far, far_lo, V::select(inf, zero, r_lo)),
            V::select(far, far_k, k),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        lean_vjp(self, x, dy, dy * mish_grad_lean(x))
    }
}

/// mish′(x) in plain `f64` for the `f32` backward pass, the two forms of the `f64` kernel with E =
/// e^(−|x|) within 2^−42: x > 0, F = E: [(1 + 2F)·A + 4x(1 + F)F²]/A² with A = 1 + 2F + 2F² (all
/// terms positive); x ≤ 0, E = eˣ: E[(E + 2)(n + 2) + 4x(1 + E)]/(n + 2)² with n = E(E + 2), which
/// cancels only near the root (the Taylor series of [`lean_root_ends`] there; outside its window by
/// at most a factor 17, so the error stays below 2^−38). Below −700 the clamped E leaves a negative
/// f′(x) far below anything dy·f′(x) can show; −0 at x = −∞, 1 above 800.
#[inline(always)]
fn mish_grad_lean<V: F64s>(x: V) -> V {
    let one = V::splat(1.0);
    let two = V::splat(2.0);
    let four_x = V::splat(4.0) * x;
    let e = lean::exp(-x.abs());
    let e1 = one + e;
    let e2 = e * e;
    let p = two.mul_add(e, one);
    let a = two.mul_add(e2, p);
    let ep2 = e + two;
    let n2 = e.mul_add(ep2, two);
    let positive = x.gt(V::splat(0.0));
    let num = V::select(
        positive,
        four_x.mul_add(e1 * e2, p * a),
        e * four_x.mul_add(e1, ep2 * n2),
    );
    let direct = num / V::select(positive, a * a, n2 * n2);
    lean_root_ends(&crate::math::roots::MISH, x, positive, direct, 800.0)
}
derivative_via_lanes!(Mish);
grad_shorthand!(
    /// mish′(x) = tanh(softplus(x)) + x·σ(x)·sech²(softplus(x)): see
    /// [`Derivative`](crate::Derivative).
    Mish,
    mish_grad
);

impl GradLanes for Softsign {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let a = x.abs();
        let (d, d_lo) = two_sum(V::splat(1.0), a);
        // d = 1 + |x| scaled into [1, 2) by its exponent e, so 1/d² keeps its digits
        // however large |x| is; the 2^−2e goes to k. (d ≥ 1 is normal.)
        let two52 = V::splat(4503599627370496.0);
        let biased = d.shr52().bits_or(two52) - two52;
        // (At |x| ≥ 2^1023 the scale stops at 2^−1022, leaving d in [2, 4): still fine.)
        let s = V::splat(-1022.0).max_or(V::splat(1023.0) - biased);
        let scale = (s + V::splat(6755399441055744.0 + 1023.0)).shl52();
        let (d, d_lo) = (d * scale, d_lo * scale);
        let (r, r_lo) = div_dd(V::splat(1.0), zero, d, d_lo);
        let (g, g_lo) = mul_dd(r, r_lo, r, r_lo);
        let infinite = a.eq(V::splat(f64::INFINITY));
        (
            V::select(infinite, zero, g),
            V::select(infinite, zero, g_lo),
            V::select(infinite, zero, s + s),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        // 1 + |x| rounds once (relative 2^−53), its square once, the quotient once; for
        // `f32` x the square stays below 2^257, and 1/∞ = 0 at x = ±∞.
        let d = V::splat(1.0) + x.abs();
        lean_vjp(self, x, dy, dy / (d * d))
    }
}
derivative_via_lanes!(Softsign);
grad_shorthand!(
    /// softsign′(x) = 1/(1 + |x|)².
    Softsign,
    softsign_grad
);
