//! Rectifiers: ReLU, ReLU6, Leaky ReLU, ELU, SELU and CELU.
//!
//! # Formulas
//! - relu(x) = max(x, 0)
//! - relu6(x) = min(max(x, 0), 6)
//! - leaky_relu(x) = x for x > 0, negative_slope·x otherwise (default negative_slope = 0.01)
//! - elu(x) = x for x > 0, α·(eˣ − 1) otherwise (default α = 1)
//! - selu(x) = λ·x for x > 0, λα·(eˣ − 1) otherwise, with λ = 1.0507009873554804934193349852946
//!   and α = 1.6732632423543772848170429916717 (the exact constants of Klambauer et al. 2017)
//! - celu(x) = max(0, x) + min(0, α·(e^(x/α) − 1)) (default α = 1)
//!
//! # Stable formulation
//! The exponential branches use `expm1`, never `exp(x) − 1`, which cancels for small |x|
//! (elu(−1e−10) would lose every digit). SELU multiplies by λ and λα held as double-double
//! constants with one fused multiply-add, so the product is rounded once. In f64, e^x − 1
//! stays an unrounded pair s + t and α·s + α·t is rounded once; CELU's x/α is a
//! double-double (the quotient and its exact residual over α). The pair comes from plain
//! `f64` steps on a 16-entry table (`math::exp::expm1_neg_lean_pair_lanes`, 2^−56) for
//! x ≤ 0, which is all ELU, SELU and CELU with α > 0 need (0.42 → 0.85–0.89 elements/ns
//! for ELU and SELU, 0.40 → 0.76 for CELU, AVX-512, Zen 4); CELU with α < 0, whose
//! exponential branch has x/α > 0, keeps the double-double `math::exp::expm1_pair_lanes`.
//!
//! For `f32`, ELU (|α| ≥ 2^−60), SELU and CELU (α ≥ 2^−60) compute in `f32` lanes: e^x − 1
//! comes as a pair s + t good to 2^−27 (`math::exp32::expm1_neg_pair`), λ and λα as pairs of
//! `f32`, and α·s + α·t is rounded once. Other α (0, tiny, or negative for CELU) keep the
//! `f64`-lane kernels; the choice depends on the parameter only. The `max` of ReLU
//! is a select on `x <= 0`, so NaN propagates: `f32::max(x, 0.0)` returns 0 for NaN, which
//! is the classic bug of candle, burn and MXNet.
//!
//! # Special values
//! | x | relu | relu6 | leaky_relu | elu | selu | celu |
//! |---|---|---|---|---|---|---|
//! | NaN | NaN | NaN | NaN | NaN | NaN | NaN |
//! | −0.0 | +0.0 | +0.0 | −0.0 | −0.0 | −0.0 | −0.0 |
//! | +∞ | +∞ | 6 | +∞ | +∞ | +∞ | +∞ |
//! | −∞ | +0.0 | +0.0 | −∞ (slope > 0), +∞ (slope < 0), −0.0 (slope = 0) | −α | −λα | −α (α > 0) |
//!
//! # Accuracy (measured by `activ audit`)
//! relu, relu6 and leaky_relu are correctly rounded (one IEEE operation at most; the audit
//! counts 0 misrounded f32 results). elu, selu and celu: bounds f32 ≤ 1 ULP over all
//! inputs, f64 ≤ 2 ULP; measured f32 elu 0.525 (α = 3: 0.540), selu 0.750 (a subnormal
//! result, rounded twice), celu 0.525 (α = 0.5: 0.524, α = 3: 0.565); f64 elu 0.511 (α = 3:
//! 0.504), selu 0.798 (a result near the subnormals, where λ's low half rounds), celu
//! 0.504 (α = 0.5: 0.508, α = 3: 0.517); 0.500 for elu and celu with the double-double
//! pair before 2026-12-07. Before the f64 kernels took e^x − 1 as an unrounded pair, f64
//! measured selu 1.349, elu(α = 3) 1.248 and celu(α = 3) 1.749.
//!
//! # Derivatives (see [`Derivative`](crate::Derivative)), with PyTorch's values at the kinks
//! - relu′ = 1 for x > 0, 0 otherwise (relu′(0) = 0; flat for x ≤ 0).
//! - relu6′ = 1 on (0, 6), 0 elsewhere (0 at both kinks; flat outside).
//! - leaky_relu′ = 1 for x > 0, negative_slope otherwise (at 0 too).
//! - elu′ = 1 for x > 0, α·eˣ otherwise (α at 0); selu′ = λ for x > 0, λα·eˣ otherwise
//!   (λα at 0, λα a double-double); celu′ = 1 for x > 0, e^(x/α) otherwise, x/α a
//!   double-double. eˣ comes as (hi + lo)·2^k, so dy·α·eˣ is rounded once, subnormal
//!   results included.
//!
//! Bounds f32 ≤ 2 ULP, f64 ≤ 4 ULP. Measured by `activ audit`: relu, relu6, leaky_relu
//! exact (0 ULP; dy·slope correctly rounded); elu, selu, celu f′ and dy·f′ f32 0.502 ULP
//! (their eˣ is good to 2^−32, `math::lean`), f′ f64 0.500, dy·f′ f64 ≤ 0.750.

use crate::elementwise::{require, unit_function, LanesF32, LanesF32Native};
use crate::math::dd::select;
use crate::math::exp32::expm1_neg_pair;
use crate::math::lean;
use crate::simd::F64s;
use crate::simd32::F32s;
use crate::{Elementwise, Error, Float};

#[inline(always)]
fn relu_f32(x: f32) -> f32 {
    // NaN passes through (it is neither > 0 nor <= 0); −0.0 becomes +0.0.
    if x > 0.0 || x.is_nan() {
        x
    } else {
        0.0
    }
}

#[inline(always)]
fn relu_f64(x: f64) -> f64 {
    select(x > 0.0 || x.is_nan(), x, 0.0)
}

#[inline(always)]
fn relu6_f32(x: f32) -> f32 {
    let r = relu_f32(x);
    if r > 6.0 {
        6.0
    } else {
        r
    }
}

#[inline(always)]
fn relu6_f64(x: f64) -> f64 {
    let r = relu_f64(x);
    select(r > 6.0, 6.0, r)
}

unit_function!(
    /// ReLU, `max(x, 0)`: NaN propagates and `relu(-0.0) = +0.0`.
    Relu,
    /// ReLU, `max(x, 0)`, with NaN propagated: see [`Relu`].
    ///
    /// ```
    /// assert_eq!(activ::relu(-2.0f32), 0.0);
    /// assert!(activ::relu(f64::NAN).is_nan());
    /// assert!(activ::relu(-0.0f32).is_sign_positive());
    /// ```
    fn relu, relu_f32, relu_f64, map_f32 crate::dispatch::Rectifier::Relu
);

unit_function!(
    /// ReLU6, `min(max(x, 0), 6)`: NaN propagates.
    Relu6,
    /// ReLU6, `min(max(x, 0), 6)`: see [`Relu6`].
    fn relu6, relu6_f32, relu6_f64, map_f32 crate::dispatch::Rectifier::Relu6
);

/// SELU's λ as a double-double.
const SELU_LAMBDA: (f64, f64) = (1.0507009873554805, 3.9874847667154144e-17);
/// SELU's λ·α as a double-double.
const SELU_LAMBDA_ALPHA: (f64, f64) = (1.7580993408473768, 1.41535193800845e-17);

/// SELU in `f64` on lanes: λ·x and λα·(e^x − 1) with double-double constants and
/// e^x − 1 as an unrounded pair s + t, each rounded once; ±0 kept.
#[inline(always)]
fn selu_lanes64<V: F64s>(x: V) -> V {
    let pos = V::splat(SELU_LAMBDA.0).mul_add(x, V::splat(SELU_LAMBDA.1) * x);
    let (s, t) =
        crate::math::exp::expm1_neg_lean_pair_lanes(V::splat(0.0).min_or(x), V::splat(0.0));
    let (c_hi, c_lo) = (V::splat(SELU_LAMBDA_ALPHA.0), V::splat(SELU_LAMBDA_ALPHA.1));
    let neg = c_hi.mul_add(s, c_hi.mul_add(t, c_lo * s));
    let neg = V::select(x.eq(V::splat(0.0)), x, neg);
    V::select(x.gt(V::splat(0.0)), pos, neg)
}

/// α·(s + t) for e^z − 1 = s + t from `expm1_pair_lanes`, rounded once; a zero result (α =
/// 0, or an underflow) takes the sign of α·s, as α·expm1(z) would.
#[inline(always)]
fn times_expm1_pair<V: F64s>(alpha: V, s: V, t: V) -> V {
    let r = alpha.mul_add(s, alpha * t);
    V::select(r.eq(V::splat(0.0)), alpha * s, r)
}

/// SELU's λ as a pair of `f32`.
const SELU_LAMBDA_32: (f32, f32) = (1.050_701, -3.479_265_2e-8);
/// SELU's λ·α as a pair of `f32`.
const SELU_LAMBDA_ALPHA_32: (f32, f32) = (1.758_099_3, 2.329_671_7e-8);

/// SELU for `f32` on `f32` lanes: λ·x with λ as a pair, rounded once; λα·(s + t) with
/// e^x − 1 = s + t from [`expm1_neg_pair`] and λα as a pair, rounded once. For
/// |x| < 2^−60 the result is c·x (c = λ or λα; e^x − 1 = x there to 2^−61), formed on
/// x·2^64 and scaled back, so that the low half of c does not round on the subnormal grid
/// (±0 come out as ±0). +∞ gives +∞: λ's low half, which is negative, multiplies x clamped
/// to the largest finite `f32` (no ∞ − ∞, and no change for any finite x).
#[inline(always)]
fn selu_lanes32<V: F32s>(x: V) -> V {
    let zero = V::splat(0.0);
    let positive = x.gt(zero);
    let (l_hi, l_lo) = (V::splat(SELU_LAMBDA_32.0), V::splat(SELU_LAMBDA_32.1));
    let (c_hi, c_lo) = (
        V::splat(SELU_LAMBDA_ALPHA_32.0),
        V::splat(SELU_LAMBDA_ALPHA_32.1),
    );
    let pos = l_hi.mul_add(x, l_lo * V::splat(f32::MAX).min_or(x));
    let (s, t) = expm1_neg_pair(zero.min_or(x), zero);
    let neg = c_hi.mul_add(s, c_hi.mul_add(t, c_lo * s));
    let xs = x * V::splat(TWO_POW_64);
    let (k_hi, k_lo) = (
        V::select(positive, l_hi, c_hi),
        V::select(positive, l_lo, c_lo),
    );
    let small = k_hi.mul_add(xs, k_lo * xs) * V::splat(1.0 / TWO_POW_64);
    let y = V::select(positive, pos, neg);
    V::select(x.abs().lt(V::splat(TWO_POW_M60)), small, y)
}

unit_function!(
    /// SELU with the exact constants λ = 1.0507009873554804934193349852946 and
    /// α = 1.6732632423543772848170429916717.
    Selu,
    /// SELU: see [`Selu`].
    fn selu, lanes32 selu_lanes32, lanes64 (interleaved) selu_lanes64
);

/// Leaky ReLU: `x` for `x > 0`, `negative_slope · x` otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeakyRelu<T> {
    negative_slope: T,
}

impl<T: Float> LeakyRelu<T> {
    /// The default slope, 0.01, as in PyTorch, JAX and ONNX.
    pub const DEFAULT_NEGATIVE_SLOPE: f64 = 0.01;

    /// A leaky ReLU with the given slope; it must be finite.
    pub fn new(negative_slope: T) -> Result<Self, Error> {
        let negative_slope = require(
            negative_slope.is_finite(),
            "negative_slope",
            "finite",
            negative_slope,
        )?;
        Ok(Self { negative_slope })
    }

    /// The slope for negative inputs.
    pub fn negative_slope(&self) -> T {
        self.negative_slope
    }
}

impl<T: Float> Default for LeakyRelu<T> {
    fn default() -> Self {
        Self {
            negative_slope: T::from_f64(Self::DEFAULT_NEGATIVE_SLOPE),
        }
    }
}

macro_rules! leaky_relu_impl {
    ($t:ident) => {
        impl Elementwise<$t> for LeakyRelu<$t> {
            #[inline(always)]
            fn eval(&self, x: $t) -> $t {
                let s = self.negative_slope;
                // 0 · (−∞) would be NaN; with slope 0 every negative input maps to −0.0.
                let neg = if s == 0.0 { -0.0 } else { x * s };
                // NaN passes through unchanged, whatever the slope.
                if x > 0.0 || x.is_nan() {
                    x
                } else {
                    neg
                }
            }
            leaky_relu_impl!(@map $t);
        }
    };
    (@map f32) => {
        fn map_on(&self, isa: crate::Isa, x: &[f32], y: &mut [f32]) {
            let kind = crate::dispatch::Rectifier::Leaky(self.negative_slope);
            crate::dispatch::rectify_f32(isa, kind, self, x, y);
        }
        fn map_slice_in_place(&self, xs: &mut [f32]) {
            let kind = crate::dispatch::Rectifier::Leaky(self.negative_slope);
            crate::dispatch::rectify_f32_in_place(kind, self, xs);
        }
    };
    (@map f64) => {};
}
leaky_relu_impl!(f32);
leaky_relu_impl!(f64);

/// Leaky ReLU with the default slope 0.01: see [`LeakyRelu`].
///
/// ```
/// assert_eq!(activ::leaky_relu(-2.0f64), -0.02);
/// assert!(activ::leaky_relu(-0.0f32).is_sign_negative());
/// ```
#[inline]
pub fn leaky_relu<T: Float>(x: T) -> T
where
    LeakyRelu<T>: Elementwise<T>,
{
    LeakyRelu::<T>::default().eval(x)
}

/// ELU: `x` for `x > 0`, `α·(eˣ − 1)` otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Elu<T> {
    alpha: T,
}

impl<T: Float> Elu<T> {
    /// The default α, 1.
    pub const DEFAULT_ALPHA: f64 = 1.0;

    /// An ELU with the given α; it must be finite.
    pub fn new(alpha: T) -> Result<Self, Error> {
        let alpha = require(alpha.is_finite(), "alpha", "finite", alpha)?;
        Ok(Self { alpha })
    }

    /// The scale of the negative branch.
    pub fn alpha(&self) -> T {
        self.alpha
    }
}

impl<T: Float> Default for Elu<T> {
    fn default() -> Self {
        Self { alpha: T::ONE }
    }
}

/// |α| below this (0 included) keeps ELU and CELU on their `f64`-lane kernels: the `f32`
/// kernels' tail α·t would round on the subnormal grid, at a size that matters next to a
/// result that small.
const F32_LANES_MIN_ALPHA: f32 = TWO_POW_M60;
/// 2^−60 in `f64`.
const TWO_POW_M60_F64: f64 = TWO_POW_M60 as f64;
/// 2^−60 and 2^64 (exact in `f32`).
const TWO_POW_M60: f32 = 1.0 / (1u64 << 60) as f32;
const TWO_POW_64: f32 = (1u64 << 63) as f32 * 2.0;

/// ELU for `f32` on `f32` lanes (|α| ≥ 2^−60): e^x − 1 as a pair s + t
/// ([`expm1_neg_pair`]) and α·s + α·t rounded once; ±0 give α·x, as α·expm1(x) would.
#[derive(Clone, Copy)]
struct EluLanes32 {
    alpha: f32,
}

impl LanesF32Native for EluLanes32 {
    #[inline(always)]
    fn lanes32<V: F32s>(&self, x: V) -> V {
        let zero = V::splat(0.0);
        let positive = x.gt(zero);
        let (s, t) = expm1_neg_pair(zero.min_or(x), zero);
        let alpha = V::splat(self.alpha);
        let neg = alpha.mul_add(s, alpha * t);
        let neg = V::select(x.eq(zero), alpha * x, neg);
        V::select(positive, x, neg)
    }
}

/// ELU for `f32` with |α| < 2^−60, on `f64` lanes.
impl LanesF32 for Elu<f32> {
    #[inline(always)]
    fn lanes<V: F64s>(&self, x: V) -> V {
        let neg = V::splat(self.alpha as f64) * lean::expm1(x);
        V::select(x.gt(V::splat(0.0)), x, neg)
    }
}

impl Elu<f32> {
    /// The `f32`-lane kernel, when α allows it (|α| ≥ 2^−60).
    fn lanes32_kernel(&self) -> Option<EluLanes32> {
        (self.alpha.abs() >= F32_LANES_MIN_ALPHA).then_some(EluLanes32 { alpha: self.alpha })
    }
}

crate::elementwise::f32_via_lanes32_or_lanes!(Elu<f32>);

impl crate::elementwise::LanesF64 for Elu<f64> {
    const INTERLEAVE: usize = 4;
    #[inline(always)]
    fn lanes64<V: F64s>(&self, x: V) -> V {
        let alpha = V::splat(self.alpha);
        let (s, t) =
            crate::math::exp::expm1_neg_lean_pair_lanes(V::splat(0.0).min_or(x), V::splat(0.0));
        let neg = times_expm1_pair(alpha, s, t);
        let neg = V::select(x.eq(V::splat(0.0)), alpha * x, neg);
        V::select(x.gt(V::splat(0.0)), x, neg)
    }
}
crate::elementwise::f64_via_lanes!(Elu<f64>);

/// ELU with α = 1: see [`Elu`].
#[inline]
pub fn elu<T: Float>(x: T) -> T
where
    Elu<T>: Elementwise<T>,
{
    Elu::<T>::default().eval(x)
}

/// CELU: `max(0, x) + min(0, α·(e^(x/α) − 1))`; α must be finite and non-zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Celu<T> {
    alpha: T,
}

impl<T: Float> Celu<T> {
    /// The default α, 1.
    pub const DEFAULT_ALPHA: f64 = 1.0;

    /// A CELU with the given α; it must be finite and non-zero.
    pub fn new(alpha: T) -> Result<Self, Error> {
        let alpha = require(
            alpha.is_finite() && alpha != T::ZERO,
            "alpha",
            "finite and non-zero",
            alpha,
        )?;
        Ok(Self { alpha })
    }

    /// The scale α.
    pub fn alpha(&self) -> T {
        self.alpha
    }
}

impl<T: Float> Default for Celu<T> {
    fn default() -> Self {
        Self { alpha: T::ONE }
    }
}

/// CELU with α ≥ 2^−60 for `f32` on `f32` lanes: x/α as a pair (the quotient q and the
/// exact residual x − qα divided by α), e^(x/α) − 1 as a pair s + t ([`expm1_neg_pair`]),
/// and α·s + α·t rounded once; x for x ≥ 0 (±0 kept). x is first clamped at −100α (the
/// result is −α well before), so x/α cannot overflow; for |x| < 2^−30·α the result is x
/// (celu(x) = x + x²/2α + …, and x²/2α is below a quarter of an ULP of x), which keeps q
/// and its residual normal. α < 0, where x/α > 0 and the branch can overflow, and tiny α
/// stay on the `f64`-lane kernel; the choice depends on α only.
#[derive(Clone, Copy)]
struct CeluLanes32 {
    alpha: f32,
    inv_alpha: f32,
    floor: f32,
    tiny: f32,
}

impl LanesF32Native for CeluLanes32 {
    #[inline(always)]
    fn lanes32<V: F32s>(&self, x: V) -> V {
        let zero = V::splat(0.0);
        let alpha = V::splat(self.alpha);
        let xn = V::splat(self.floor).max_or(zero.min_or(x));
        let q = xn / alpha;
        let q_lo = (-q).mul_add(alpha, xn) * V::splat(self.inv_alpha);
        let (s, t) = expm1_neg_pair(q, q_lo);
        let neg = alpha.mul_add(s, alpha * t);
        let neg = V::select(x.abs().lt(V::splat(self.tiny)), x, neg);
        V::select(x.ge(zero), x, neg)
    }
}

crate::elementwise::f32_via_lanes32_or_lanes!(Celu<f32>);

impl Celu<f32> {
    /// The `f32`-lane kernel, when α allows it (α ≥ 2^−60).
    fn lanes32_kernel(&self) -> Option<CeluLanes32> {
        (self.alpha >= F32_LANES_MIN_ALPHA).then(|| CeluLanes32 {
            alpha: self.alpha,
            inv_alpha: 1.0 / self.alpha,
            floor: -100.0 * self.alpha,
            tiny: self.alpha / (1u32 << 30) as f32,
        })
    }
}

/// CELU for `f32` with α < 2^−60 (negative α included), on `f64` lanes.
impl LanesF32 for Celu<f32> {
    #[inline(always)]
    fn lanes<V: F64s>(&self, x: V) -> V {
        let alpha = V::splat(self.alpha as f64);
        let neg = alpha * lean::expm1(x / alpha);
        let neg = V::splat(0.0).min_or(neg);
        V::select(x.ge(V::splat(0.0)), x, neg)
    }
}

impl crate::elementwise::LanesF64 for Celu<f64> {
    const INTERLEAVE: usize = 4;
    #[inline(always)]
    fn lanes64<V: F64s>(&self, x: V) -> V {
        let alpha = V::splat(self.alpha);
        // x/α as a double-double: a quotient q and the residual x − qα (exact in the fused
        // multiply-add) over α. α is one value per call: for |α| in [2^−1000, 2^1000] (every
        // α in practice) both use 1/α, computed once per call, instead of two divisions per
        // lane (q = x·(1/α) is then within two ulps of x/α, which the residual corrects).
        // The branch does not depend on the data.
        let (q, q_lo) = if crate::math::dd::reciprocal_is_normal(self.alpha) {
            let inv = V::splat(1.0 / self.alpha);
            let q = x * inv;
            (q, (-q).mul_add(alpha, x) * inv)
        } else {
            let q = x / alpha;
            (q, (-q).mul_add(alpha, x) / alpha)
        };
        // For α > 0 the exponential branch has q = x/α ≤ 0, the plain-`f64` pair's range
        // (q > 0 only where x > 0 is selected below); for α < 0 it needs e^q − 1 for q > 0,
        // up to overflow. The branch is per call, not per element.
        let (s, t) = if self.alpha > 0.0 {
            // q's residual is ∞ or NaN where q is infinite (x = −∞, or x/α overflowing),
            // and no residual matters below −760, where the result is −α.
            let q_lo = V::select(q.ge(V::splat(-760.0)), q_lo, V::splat(0.0));
            crate::math::exp::expm1_neg_lean_pair_lanes(V::splat(0.0).min_or(q), q_lo)
        } else {
            crate::math::exp::expm1_pair_lanes(q, q_lo)
        };
        let neg = times_expm1_pair(alpha, s, t);
        // celu(x) = x + x²/2α + …, which rounds to x here (and keeps q and its residual
        // away from the subnormals).
        let neg = V::select(x.abs().lt(alpha.abs() * V::splat(TWO_POW_M60_F64)), x, neg);
        // For α < 0 the exponential branch can be positive; min(0, ·) clips it.
        let neg = V::splat(0.0).min_or(neg);
        // ±0 map to themselves: for α < 0, α·expm1(x/α) carries the opposite zero.
        V::select(x.ge(V::splat(0.0)), x, neg)
    }
}
crate::elementwise::f64_via_lanes!(Celu<f64>);

/// CELU with α = 1: see [`Celu`].
#[inline]
pub fn celu<T: Float>(x: T) -> T
where
    Celu<T>: Elementwise<T>,
{
    Celu::<T>::default().eval(x)
}

// ---------------------------------------------------------------------------------------
// Derivatives: see the module docs.

use crate::derivative::{constant, derivative_via_lanes, grad_shorthand, lean_vjp, GradLanes};

/// dy·e^q·c for the `f32` backward passes of the ELU family, in plain `f64`: c·dy first
/// (exact for an `f32` c; `SELU`'s λα rounds once), then e^q, exactly 0 at q = −∞ (the
/// clamped exponential would leave e^−700). `NONPOSITIVE` (q ≤ 0 on every lane the caller
/// keeps: ELU, SELU, CELU with α > 0) takes e^q within 2^−32 ([`lean::exp_nonpositive`]),
/// which the product carries through unchanged, at most 2^−8 ULP; otherwise (CELU with
/// α < 0, where q = x/α ≥ 0) within 2^−42 ([`lean::exp`]), and above q = 709 the clamp's
/// e^709 already takes any nonzero `f32` dy past the `f32` range, as the `f64` kernel does.
#[inline(always)]
fn scaled_exp_vjp<V: F64s, const NONPOSITIVE: bool>(c: f64, q: V, dy: V) -> V {
    let e = if NONPOSITIVE {
        lean::exp_nonpositive(q)
    } else {
        lean::exp(q)
    };
    let e = V::select(q.eq(V::splat(f64::NEG_INFINITY)), V::splat(0.0), e);
    (dy * V::splat(c)) * e
}
use crate::math::dd::{mul_dd, two_prod};
use crate::math::exp::exp_parts_lanes;

impl GradLanes for Relu {
    const SCALED: bool = false;

    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        constant(V::select(x.gt(V::splat(0.0)), V::splat(1.0), V::splat(0.0)))
    }
    #[inline(always)]
    fn flat<V: F64s>(&self, x: V) -> V::Mask {
        x.le(V::splat(0.0))
    }
}
derivative_via_lanes!(Relu);
grad_shorthand!(
    /// relu′(x): 1 for x > 0, else 0 (relu′(0) = 0, as PyTorch and JAX).
    Relu,
    relu_grad
);

impl GradLanes for Relu6 {
    const SCALED: bool = false;

    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let inside = x.gt(V::splat(0.0)) & x.lt(V::splat(6.0));
        constant(V::select(inside, V::splat(1.0), V::splat(0.0)))
    }
    #[inline(always)]
    fn flat<V: F64s>(&self, x: V) -> V::Mask {
        x.le(V::splat(0.0)) | x.ge(V::splat(6.0))
    }
}
derivative_via_lanes!(Relu6);
grad_shorthand!(
    /// relu6′(x): 1 on (0, 6), else 0 (0 at both kinks, as PyTorch).
    Relu6,
    relu6_grad
);

impl<T: Float> GradLanes for LeakyRelu<T> {
    const SCALED: bool = false;

    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let slope = V::splat(self.negative_slope.to_f64());
        constant(V::select(x.gt(V::splat(0.0)), V::splat(1.0), slope))
    }
    #[inline(always)]
    fn flat<V: F64s>(&self, x: V) -> V::Mask {
        // Slope 0 is ReLU: flat for x ≤ 0.
        let zero = V::splat(0.0);
        x.le(zero) & V::splat(self.negative_slope.to_f64()).eq(zero)
    }
}
derivative_via_lanes!(LeakyRelu<f32>, f32);
derivative_via_lanes!(LeakyRelu<f64>, f64);

/// α·e^(x + x_lo) as (hi + lo)·2^k for x ≤ 0 (α a double-double). α is taken as α/4 with
/// the 4 moved to the exponent, so α·hi cannot overflow while α·eˣ is finite.
#[inline(always)]
fn scaled_exp_parts<V: F64s>(alpha: (f64, f64), x: V, x_lo: V) -> (V, V, V) {
    let (hi, lo, k) = exp_parts_lanes(x, x_lo);
    let normal = alpha.0.abs() >= f64::MIN_POSITIVE * 4.0;
    let (a, a_lo, shift) = if normal {
        (alpha.0 * 0.25, alpha.1 * 0.25, 2.0)
    } else {
        (alpha.0, alpha.1, 0.0)
    };
    let (p, p_lo) = mul_dd(V::splat(a), V::splat(a_lo), hi, lo);
    (p, p_lo, k + V::splat(shift))
}

impl<T: Float> GradLanes for Elu<T> {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let (p, p_lo, k) = scaled_exp_parts((self.alpha.to_f64(), 0.0), x, V::splat(0.0));
        let pos = x.gt(V::splat(0.0));
        let zero = V::splat(0.0);
        (
            V::select(pos, V::splat(1.0), p),
            V::select(pos, zero, p_lo),
            V::select(pos, zero, k),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        let neg = scaled_exp_vjp::<V, true>(self.alpha.to_f64(), x, dy);
        lean_vjp(self, x, dy, V::select(x.gt(V::splat(0.0)), dy, neg))
    }
}
derivative_via_lanes!(Elu<f32>, f32);
derivative_via_lanes!(Elu<f64>, f64);

impl GradLanes for Selu {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let (p, p_lo, k) = scaled_exp_parts(SELU_LAMBDA_ALPHA, x, V::splat(0.0));
        let pos = x.gt(V::splat(0.0));
        let zero = V::splat(0.0);
        (
            V::select(pos, V::splat(SELU_LAMBDA.0), p),
            V::select(pos, V::splat(SELU_LAMBDA.1), p_lo),
            V::select(pos, zero, k),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        let neg = scaled_exp_vjp::<V, true>(SELU_LAMBDA_ALPHA.0, x, dy);
        let pos = dy * V::splat(SELU_LAMBDA.0);
        lean_vjp(self, x, dy, V::select(x.gt(V::splat(0.0)), pos, neg))
    }
}
derivative_via_lanes!(Selu);
grad_shorthand!(
    /// selu′(x): λ for x > 0, λα·eˣ otherwise (λα at 0, as PyTorch).
    Selu,
    selu_grad
);

impl<T: Float> GradLanes for Celu<T> {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let alpha = V::splat(self.alpha.to_f64());
        // x/α as a double-double: e^(x/α) has condition number |x/α|.
        let q = x / alpha;
        let (p, p_err) = two_prod(q, alpha);
        let q_lo = ((x - p) - p_err) / alpha;
        let q_lo = V::select(q.abs().lt(V::splat(f64::INFINITY)), q_lo, zero);
        let (hi, lo, k) = exp_parts_lanes(q, q_lo);
        let pos = x.gt(zero);
        (
            V::select(pos, V::splat(1.0), hi),
            V::select(pos, zero, lo),
            V::select(pos, zero, k),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        // x/α rounds once: e^(x/α) moves by |x/α|·2^−53 ≤ 2^−43 where it is not clamped.
        // The branch is on the parameter, the same for every element.
        let q = x / V::splat(self.alpha.to_f64());
        let neg = if self.alpha.to_f64() > 0.0 {
            scaled_exp_vjp::<V, true>(1.0, q, dy)
        } else {
            scaled_exp_vjp::<V, false>(1.0, q, dy)
        };
        lean_vjp(self, x, dy, V::select(x.gt(V::splat(0.0)), dy, neg))
    }
}
derivative_via_lanes!(Celu<f32>, f32);
derivative_via_lanes!(Celu<f64>, f64);
