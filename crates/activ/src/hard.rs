//! Piecewise-linear activations: hard-sigmoid and hard-swish (PyTorch's definitions).
//!
//! # Formulas
//! - hard_sigmoid(x) = relu6(x + 3)/6 = min(max((x + 3)/6, 0), 1)
//! - hard_swish(x) = x·relu6(x + 3)/6
//!
//! (ONNX and Keras 2 define HardSigmoid as max(0, min(1, 0.2x + 0.5)), a different function.)
//!
//! # Stable formulation
//! x + 3 is kept exact as a double-double and divided by 6 once, so the result is rounded
//! once instead of twice; hard_swish multiplies x into that double-double before the
//! division. Above the upper kink hard_swish returns x itself, so no intermediate overflows.
//! The division needs no divide instruction: q = s·fl(1/6) is within two ULPs of s/6, so
//! s − 6q is exact in a fused multiply-add and q + (s − 6q + e)·fl(1/6) rounds once (the same
//! steps in `f64` lanes and, for f32, in `f32` lanes).
//!
//! # Special values
//! | x | hard_sigmoid | hard_swish |
//! |---|---|---|
//! | NaN | NaN | NaN |
//! | ±0 | 0.5 | ±0 |
//! | x ≤ −3 | +0.0 | −0.0 |
//! | x ≥ 3 | 1 | x |
//! | +∞ | 1 | +∞ |
//! | −∞ | +0.0 | −0.0 |
//!
//! # Accuracy (measured by `activ audit`)
//! Bounds: f32 ≤ 1 ULP, f64 ≤ 2 ULP. Measured: 0.500 ULP for both functions in both types.
//!
//! # Derivatives (see [`Derivative`](crate::Derivative)), with PyTorch's values at the kinks
//! - hard_sigmoid′ = 1/6 on (−3, 3), 0 elsewhere (0 at ±3; flat outside).
//! - hard_swish′ = 0 below −3 (flat), (2x + 3)/6 = x/3 + ½ on [−3, 3] (so −½ at −3 and 3/2
//!   at 3, as PyTorch), 1 above 3. 2x + 3 is a double-double divided by 6 once.
//!
//! Bounds f32 ≤ 2 ULP, f64 ≤ 4 ULP. Measured by `activ audit`: f′ 0.333 (hard_sigmoid:
//! 1/6 rounded) and 0.500 ULP; dy·f′ f32 0.500, f64 hard_sigmoid 0.667, hard_swish 0.876.

use crate::elementwise::unit_function;
use crate::math::dd::two_sum;
use crate::simd::F64s;
use crate::simd32::F32s;

/// (s + e)/6 for a double-double s + e, rounded once, without a division: q = s·fl(1/6) is
/// within two ULPs of s/6, so the residual s − 6q is exact in a fused multiply-add, and the
/// correction (below an ULP of q) needs 1/6 only roughly.
#[inline(always)]
fn div6<V: F64s>(s: V, e: V) -> V {
    let sixth = V::splat(1.0 / 6.0);
    let q = s * sixth;
    let r = (-q).mul_add(V::splat(6.0), s);
    (r + e).mul_add(sixth, q)
}

/// hard_sigmoid in `f64` on lanes: inside (−3, 3), x + 3 is an exact double-double
/// (FastTwoSum, |x| < 3) divided by 6 with [`div6`], a value in [0, 1]; 0 and 1 outside.
/// (Clamping x to [−3, 3] first instead of the two selects, two instructions fewer, gave
/// the same bits but measured 9 % slower on Zen 4.)
#[inline(always)]
fn hard_sigmoid_lanes64<V: F64s>(x: V) -> V {
    let three = V::splat(3.0);
    let s = three + x;
    let e = x - (s - three);
    let q = div6(s, e);
    let q = V::select(x.le(-three), V::splat(0.0), q);
    V::select(x.ge(three), V::splat(1.0), q)
}

/// hard_swish in `f64` on lanes: inside (−3, 3), x·(x + 3) as a double-double (x + 3 by
/// FastTwoSum, x·s by a product and its FMA residual, plus x·e) divided by 6 with [`div6`],
/// rounded once; x at and above 3. x is clamped at −3 first (a NaN passes), which gives a
/// zero there, and the sign of x goes on last: −0.0 at and below −3, ±0 kept.
#[inline(always)]
fn hard_swish_lanes64<V: F64s>(x: V) -> V {
    let three = V::splat(3.0);
    let xc = (-three).max_or(x);
    let s = three + xc;
    let e = xc - (s - three);
    let p = xc * s;
    let p_lo = xc.mul_add(s, -p) + xc * e;
    let r = div6(p, p_lo);
    V::select(x.ge(three), x, r).copysign(x)
}

/// (s + e)/6 on `f32` lanes for a pair with |e| ≤ ulp(s): q = s·(1/6) is within two ULPs of
/// s/6, so the residual s − 6q is exact in a fused multiply-add, and q + (s − 6q + e)/6 is
/// rounded once (the correction is below an ULP of q, so 1/6's rounding in it is
/// negligible).
#[inline(always)]
fn div6_32<V: F32s>(s: V, e: V) -> V {
    let sixth = V::splat(1.0 / 6.0);
    let q = s * sixth;
    let r = (-q).mul_add(V::splat(6.0), s);
    (r + e).mul_add(sixth, q)
}

/// hard_sigmoid for `f32` on `f32` lanes: inside (−3, 3), x + 3 is an exact pair
/// (FastTwoSum, |x| < 3) divided by 6 with [`div6_32`]; 0 and 1 outside.
#[inline(always)]
fn hard_sigmoid_lanes32<V: F32s>(x: V) -> V {
    let three = V::splat(3.0);
    let s = three + x;
    let e = x - (s - three);
    let q = div6_32(s, e);
    let q = V::select(x.le(-three), V::splat(0.0), q);
    V::select(x.ge(three), V::splat(1.0), q)
}

unit_function!(
    /// Hard-sigmoid, relu6(x + 3)/6 (PyTorch's definition).
    HardSigmoid,
    /// Hard-sigmoid, relu6(x + 3)/6: see [`HardSigmoid`].
    fn hard_sigmoid, lanes32 hard_sigmoid_lanes32, lanes64 hard_sigmoid_lanes64
);

/// hard_swish for `f32` on `f32` lanes: inside (−3, 3), x·(x + 3) as an exact pair (x + 3 by
/// FastTwoSum, x·s by a product and its FMA residual, plus x·e) divided by 6 with
/// [`div6_32`]; x at and above 3. As in the `f64` kernel, x is clamped at −3 first and the
/// sign of x goes on last: −0.0 at and below −3, ±0 kept.
#[inline(always)]
fn hard_swish_lanes32<V: F32s>(x: V) -> V {
    let three = V::splat(3.0);
    let xc = (-three).max_or(x);
    let s = three + xc;
    let e = xc - (s - three);
    let p = xc * s;
    let p_lo = xc.mul_add(s, -p) + xc * e;
    let r = div6_32(p, p_lo);
    V::select(x.ge(three), x, r).copysign(x)
}

unit_function!(
    /// Hard-swish, x·relu6(x + 3)/6 (PyTorch's definition).
    HardSwish,
    /// Hard-swish, x·relu6(x + 3)/6: see [`HardSwish`].
    fn hard_swish, lanes32 hard_swish_lanes32, lanes64 hard_swish_lanes64
);

// ---------------------------------------------------------------------------------------
// Derivatives: see the module docs.

use crate::derivative::{derivative_via_lanes, grad_shorthand, GradLanes};

/// 1/6 as a double-double.
const SIXTH: (f64, f64) = (1.0 / 6.0, 9.25185853854297e-18);

impl GradLanes for HardSigmoid {
    const SCALED: bool = false;

    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let inside = x.gt(V::splat(-3.0)) & x.lt(V::splat(3.0));
        (
            V::select(inside, V::splat(SIXTH.0), zero),
            V::select(inside, V::splat(SIXTH.1), zero),
            zero,
        )
    }
    #[inline(always)]
    fn flat<V: F64s>(&self, x: V) -> V::Mask {
        x.le(V::splat(-3.0)) | x.ge(V::splat(3.0))
    }
}
derivative_via_lanes!(HardSigmoid);
grad_shorthand!(
    /// hard_sigmoid′(x): 1/6 on (−3, 3), else 0 (as PyTorch).
    HardSigmoid,
    hard_sigmoid_grad
);

impl GradLanes for HardSwish {
    const SCALED: bool = false;

    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let three = V::splat(3.0);
        let xc = V::select(x.abs().le(three), x, V::splat(0.0));
        let (s, e) = two_sum(V::splat(2.0) * xc, three);
        // (s + e)/6 as a double-double: q + (s − 6q + e)/6.
        let six = V::splat(6.0);
        let q = s / six;
        let r = ((-q).mul_add(six, s) + e) / six;
        let (g, g_lo) = crate::math::dd::fast_two_sum(q, r);
        let inside = x.ge(-three) & x.le(three);
        let g = V::select(
            inside,
            g,
            V::select(x.gt(three), V::splat(1.0), V::splat(0.0)),
        );
        let g_lo = V::select(inside, g_lo, V::splat(0.0));
        (g, g_lo, V::splat(0.0))
    }
    #[inline(always)]
    fn flat<V: F64s>(&self, x: V) -> V::Mask {
        x.lt(V::splat(-3.0))
    }
}
derivative_via_lanes!(HardSwish);
grad_shorthand!(
    /// hard_swish′(x): 0 below −3, x/3 + ½ on [−3, 3], 1 above (as PyTorch).
    HardSwish,
    hard_swish_grad
);
