//! Derivatives and backward passes (vector-Jacobian products) of the elementwise functions.
//!
//! # What is computed
//! For y = f(x) and an upstream gradient dy, the backward pass is dx = dy · f′(x), taken
//! from the forward *input* x. Each function's derivative is one kernel, written over
//! `f64` lanes, that returns f′(x) as an unevaluated (hi + lo)·2^k: a double-double in a
//! normal range and a power of two. The product with dy is then formed as
//! hi·dy + lo·dy (one fused multiply-add) and scaled by 2^k last, so dx is rounded once —
//! also where dy·f′(x) is subnormal, and where f′(x) alone would underflow but dy·f′(x)
//! does not. `f32` inputs are widened to `f64`. For the functions whose derivative is
//! transcendental, the `f32` pass computes f′(x) in plain `f64` instead (the `math::lean`
//! exponential, the plain-`f64` erfc, the Taylor series at the roots of f′ evaluated in
//! `f64`; relative error below 2^−38, or 2^−31 where f′ moves by at most the error of a
//! 2^−32 exponential) and rounds dy·f′(x) to `f64` and then to `f32`: an `f32` result needs
//! about 30 correct bits, and this runs 3–6× faster than the double-double kernel (Zen 4,
//! n = 65536). Either way an `f32` backward result is within a hair (2^−13 ULP, or 2^−7
//! with the 2^−32 exponential) of correctly rounded; the tests compare the two on every
//! 4093rd `f32` pattern (equal or one ULP apart, fewer than 1 in 1000 apart) and on special
//! values (equal bits).
//!
//! # Conventions
//! - **No derivative.** At kinks activ follows PyTorch and JAX: relu′(0) = 0,
//!   leaky_relu′(0) = negative_slope, relu6′(0) = relu6′(6) = 0, elu′(0) = α,
//!   selu′(0) = λα, celu′(0) = 1, hard_sigmoid′(±3) = 0, hard_swish′(−3) = −½ and
//!   hard_swish′(3) = 3/2 (PyTorch's `x/3 + ½` on [−3, 3]).
//! - **Flat pieces.** Where a function is constant around x (relu for x < 0, relu6 outside
//!   (0, 6), hard_sigmoid outside (−3, 3), hard_swish below −3, leaky_relu with slope 0 for
//!   x ≤ 0, logit_eps outside [eps, 1 − eps]), dx is +0 whatever dy is, as PyTorch's masks
//!   give.
//! - **Elsewhere** dx is dy·f′(x) rounded once, as if f′(x) were exact: an infinite dy gives
//!   ±∞ wherever f′(x) ≠ 0, even where f′(x) alone is below the subnormals, and NaN where
//!   f′(x) = 0 (hard_swish′(−1.5), and at x = ±∞ for the functions whose derivative
//!   vanishes there, such as sigmoid′(±∞)).
//! - **NaN.** A NaN x gives NaN (x's payload, quieted), even where dy is not NaN; a NaN dy
//!   gives NaN (dy's payload) except on flat pieces.
//!
//! # Accuracy (measured by `activ audit`)
//! Bounds: `f32` backward within 2 ULP of dy·f′(x) over all inputs, `f64` within 4 ULP. The
//! figures per function are in each family's module docs and in the book.
//!
//! # Bit identity
//! The scalar [`Derivative::vjp`] and every slice form run the same kernel on every
//! instruction-set path, so they return the same bits for the same (x, dy).

use crate::simd::F64s;
use crate::{Elementwise, Error, Float, Isa};

/// The derivative of an elementwise function and its backward pass.
///
/// Implemented for `f32` and `f64` by every function of one input. The backward pass
/// takes the forward *input* x (not the output): dx = dy · f′(x).
///
/// ```
/// use activ::{Derivative, Sigmoid};
///
/// // σ′(x) = σ(x)·σ(−x): accurate where y·(1 − y) rounds to 0.
/// assert_eq!(Sigmoid.derivative(0.0f32), 0.25);
/// assert!(Sigmoid.derivative(30.0f32) > 0.0);
///
/// let x = [-1.0f64, 0.0, 1.0];
/// let dy = [1.0f64, 2.0, 3.0];
/// let mut dx = [0.0f64; 3];
/// Sigmoid.backward(&x, &dy, &mut dx)?;
/// assert_eq!(dx[1], 0.5);
/// # Ok::<(), activ::Error>(())
/// ```
pub trait Derivative<T: Float>: Elementwise<T> {
    /// f′(x), rounded once.
    fn derivative(&self, x: T) -> T;

    /// dy · f′(x), rounded once: one element of [`backward`](Derivative::backward).
    fn vjp(&self, x: T, dy: T) -> T;

    /// `dx[i] = dy[i] · f′(x[i])`. Fails with [`Error::LengthMismatch`], writing nothing,
    /// unless the three lengths are equal.
    fn backward(&self, x: &[T], dy: &[T], dx: &mut [T]) -> Result<(), Error> {
        same_len(x.len(), dy.len())?;
        same_len(x.len(), dx.len())?;
        self.backward_on(crate::dispatch::active_isa(), x, dy, dx);
        Ok(())
    }

    /// `dy_dx[i] = dy_dx[i] · f′(x[i])`: the gradient overwrites the upstream gradient.
    fn backward_in_place(&self, x: &[T], dy_dx: &mut [T]) -> Result<(), Error> {
        same_len(x.len(), dy_dx.len())?;
        let isa = crate::dispatch::active_isa();
        crate::dispatch::split(x, dy_dx, |x, dy_dx| {
            let mut buf = [T::ZERO; IN_PLACE_BLOCK];
            for (xb, db) in x
                .chunks(IN_PLACE_BLOCK)
                .zip(dy_dx.chunks_mut(IN_PLACE_BLOCK))
            {
                let dy = &mut buf[..db.len()];
                dy.copy_from_slice(db);
                self.backward_on(isa, xb, dy, db);
            }
        });
        Ok(())
    }

    /// `x_dx[i] = dy[i] · f′(x_dx[i])`: the gradient overwrites the forward input.
    fn backward_over_input(&self, x_dx: &mut [T], dy: &[T]) -> Result<(), Error> {
        same_len(x_dx.len(), dy.len())?;
        let isa = crate::dispatch::active_isa();
        crate::dispatch::split(dy, x_dx, |dy, x_dx| {
            let mut buf = [T::ZERO; IN_PLACE_BLOCK];
            for (db, xb) in dy
                .chunks(IN_PLACE_BLOCK)
                .zip(x_dx.chunks_mut(IN_PLACE_BLOCK))
            {
                let x = &mut buf[..xb.len()];
                x.copy_from_slice(xb);
                self.backward_on(isa, x, db, xb);
            }
        });
        Ok(())
    }

    /// The loop behind [`backward`](Derivative::backward) on the path `isa`, which this CPU
    /// supports, lengths already checked (single-threaded pieces of at most a few
    /// thousand elements come here from the in-place forms).
    #[doc(hidden)]
    fn backward_on(&self, isa: Isa, x: &[T], dy: &[T], dx: &mut [T]);
}

/// The in-place forms copy the input they overwrite block by block: the slice loop then
/// runs on three distinct slices, and every element still goes through the same kernel.
const IN_PLACE_BLOCK: usize = 512;

fn same_len(expected: usize, found: usize) -> Result<(), Error> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::LengthMismatch { expected, found })
    }
}

/// The derivative kernel of a function, over `f64` lanes.
pub(crate) trait GradLanes: Copy + Send + Sync {
    /// f′(x) = (hi + lo)·2^k on each lane, k an integer-valued `f64`, |lo| ≤ ulp(hi) and
    /// hi normal with |hi| < 2^1023 (or 0), so that hi·dy with dy in [2^−52, 1) never
    /// overflows or underflows.
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V);

    /// Lanes where the function is constant around x: there dx = +0 for every dy.
    #[inline(always)]
    fn flat<V: F64s>(&self, x: V) -> V::Mask {
        x.lt(V::splat(f64::NEG_INFINITY))
    }

    /// Whether `grad_parts` can return k ≠ 0. Kernels with k = 0 everywhere (the
    /// piecewise-linear ones) skip the scaling steps.
    const SCALED: bool = true;

    /// dy·f′(x), rounded once, with the flat-piece and NaN conventions of the module docs.
    #[inline(always)]
    fn vjp_lanes<V: F64s>(&self, x: V, dy: V) -> V {
        let (hi, lo, k) = self.grad_parts(x);
        let inf = V::splat(f64::INFINITY);
        let r = if Self::SCALED {
            // dy is brought to [2^−52, 1) by its exponent (exactly; subnormals too) and the
            // exponent moves to k, so hi·dy can neither overflow nor underflow before the
            // one rounding in `ldexp_full_lanes`, however large or small dy is.
            let two52 = V::splat(4503599627370496.0);
            let biased = dy.abs().shr52().bits_or(two52) - two52;
            let s = V::splat(-1022.0).max_or(V::splat(1022.0).min_or(V::splat(1022.0) - biased));
            let dys = dy * (s + V::splat(6755399441055744.0 + 1023.0)).shl52();
            // |hi| < 2^1023 and |dys| < 1: the product cannot overflow here.
            crate::math::exp::ldexp_full_lanes(hi.mul_add(dys, lo * dys), k - s)
        } else {
            // k = 0 and |lo| ≤ ulp(hi): lo·dy stays finite, so an overflow is hi·dy's, with
            // its sign.
            hi.mul_add(dy, lo * dy)
        };
        // An infinite dy: ±∞ wherever f′(x) ≠ 0 (hi is finite, and 0 only where f′(x) is),
        // NaN where it is 0 (hi·dy + lo·dy would be NaN from lo = 0). At x = ±∞ the kernels
        // clamp their exponentials, so a vanishing limit shows as a tiny 2^k instead of 0.
        let vanishing = x.abs().eq(inf) & k.lt(V::splat(-1000.0));
        // (hi·0: the vanishing limit keeps f′'s sign, −0 for a negative ELU α.)
        let g = V::select(vanishing, hi * V::splat(0.0), hi);
        // An infinite dy takes f′(x)'s sign from hi, and so does a zero dy: hi·dy + lo·dy
        // would be +0 for dy = −0 and lo of the other sign.
        let r = V::select(dy.abs().eq(inf) | dy.eq(V::splat(0.0)), dy * g, r);
        let r = V::select(dy.is_nan(), dy + dy, r);
        let r = V::select(self.flat(x), V::splat(0.0), r);
        V::select(x.is_nan(), x + x, r)
    }

    /// dy·f′(x) for `f32` x and dy widened to `f64` lanes, which the caller rounds to `f32`.
    /// By default the `f64` kernel, [`vjp_lanes`](GradLanes::vjp_lanes); the kernels with a
    /// transcendental derivative override it with one in plain `f64` through [`lean_vjp`]
    /// (an `f32` result needs f′(x) to about 30 bits, not 106).
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        self.vjp_lanes(x, dy)
    }
}

/// The `f32` backward pass from a product r = dy·f′(x) that the kernel formed in plain
/// `f64`, with f′(x) within 2^−38 relative for every `f32` x (the `math::lean` functions,
/// and at most a factor 17 of cancellation beside the roots of f′), or 2^−31 where it rests
/// on `lean::exp_nonpositive` without cancellation: r rounds to `f64` and then to `f32`,
/// within 2^−13 (2^−7) `f32` ULP of dy·f′(x) rounded once.
/// For `f32` dy (|dy| in [2^−149, 2^128)) and |f′(x)| below 2^800, r cannot overflow, and
/// it underflows in `f64` only far below the least `f32` subnormal. The kernel keeps the
/// conventions of [`GradLanes::vjp_lanes`] for an infinite dy (f′(x) exactly 0 where it
/// vanishes, at x = ±∞, and nonzero elsewhere); this adds those for NaN and flat pieces.
#[inline(always)]
pub(crate) fn lean_vjp<V: F64s, F: GradLanes>(f: &F, x: V, dy: V, r: V) -> V {
    let r = V::select(dy.is_nan(), dy + dy, r);
    let r = V::select(f.flat(x), V::splat(0.0), r);
    V::select(x.is_nan(), x + x, r)
}

/// f′(x) = c, exactly, on every lane.
#[inline(always)]
pub(crate) fn constant<V: F64s>(c: V) -> (V, V, V) {
    (c, V::splat(0.0), V::splat(0.0))
}

/// Implements [`Derivative`] for `f32` or `f64` through a type's [`GradLanes`] kernel.
macro_rules! derivative_via_lanes {
    ($Struct:ty, f32) => {
        impl $crate::Derivative<f32> for $Struct {
            #[inline]
            fn derivative(&self, x: f32) -> f32 {
                $crate::Derivative::vjp(self, x, 1.0)
            }
            #[inline]
            fn vjp(&self, x: f32, dy: f32) -> f32 {
                $crate::derivative::GradLanes::vjp_lanes_f32(self, x as f64, dy as f64) as f32
            }
            fn backward_on(&self, isa: $crate::Isa, x: &[f32], dy: &[f32], dx: &mut [f32]) {
                $crate::dispatch::backward_lanes_f32(isa, self, x, dy, dx);
            }
        }
    };
    ($Struct:ty, f64) => {
        impl $crate::Derivative<f64> for $Struct {
            #[inline]
            fn derivative(&self, x: f64) -> f64 {
                $crate::Derivative::vjp(self, x, 1.0)
            }
            #[inline]
            fn vjp(&self, x: f64, dy: f64) -> f64 {
                $crate::derivative::GradLanes::vjp_lanes(self, x, dy)
            }
            fn backward_on(&self, isa: $crate::Isa, x: &[f64], dy: &[f64], dx: &mut [f64]) {
                $crate::dispatch::backward_lanes_f64(isa, self, x, dy, dx);
            }
        }
    };
    ($Struct:ty) => {
        $crate::derivative::derivative_via_lanes!($Struct, f32);
        $crate::derivative::derivative_via_lanes!($Struct, f64);
    };
}
pub(crate) use derivative_via_lanes;

/// Defines the scalar shorthand `activ::name_grad(x)` = f′(x) for a unit struct.
macro_rules! grad_shorthand {
    ($(#[$doc:meta])* $Struct:ident, $name:ident) => {
        $(#[$doc])*
        #[inline]
        pub fn $name<T: $crate::Float>(x: T) -> T
        where
            $Struct: $crate::Derivative<T>,
        {
            $crate::Derivative::derivative(&$Struct, x)
        }
    };
}
pub(crate) use grad_shorthand;

/// f′(x) = −2^−2200: the parts ([`GradLanes::grad_parts`]) of a derivative that is
/// negative but far below anything dy·f′(x) can show (below −60 for GELU, −1500 for SiLU),
/// so that dx is −0·sign(dy) for finite dy and −∞·sign(dy) for an infinite one, as the
/// conventions ask of a nonzero f′(x). (The scaling in `vjp_lanes` stops at 2^−1200.)
#[inline(always)]
pub(crate) fn negligible_negative<V: F64s>() -> (V, V, V) {
    (V::splat(-1.0), V::splat(0.0), V::splat(-2200.0))
}

/// [`root_series`] in plain `f64`, for the `f32` backward passes: d = (x − x0_hi) − x0_mid
/// (the first difference exact by Sterbenz's lemma, the second rounding at 2^−53·|d|) and
/// d·(c_1 + d·(c_2 + d·…)), whose terms do not cancel on the window (|c_2·d| ≤ |c_1|/8 for
/// every root here), within 2^−50 relative.
#[inline(always)]
fn root_series_lean<V: F64s>(s: &crate::math::roots::RootSeries, x: V) -> (V::Mask, V) {
    let d0 = x - V::splat(s.x0.0);
    let d = d0 - V::splat(s.x0.1);
    let mut q = V::splat(s.rest[0]);
    for &c in &s.rest[1..] {
        q = q.mul_add(d, V::splat(c));
    }
    let p = d.mul_add(d.mul_add(q, V::splat(s.c2.0)), V::splat(s.c1.0));
    let near = d0.abs().le(V::splat(crate::math::roots::ROOT_WINDOW));
    (near, d * p)
}

/// The end of a plain-`f64` derivative whose f′ has a root x0 < 0 (SiLU, Mish, GELU,
/// GELU-tanh): the closed form `direct` — which cannot cancel on the lanes marked
/// `positive` — gives way to [`root_series_lean`] next to the root, to 1 above `one_above`
/// (where f′ is 1 to far below an ULP and the closed form may meet ∞·0), and to −0 at
/// x = −∞, where f′ vanishes (the clamped exponentials would leave ∞·e^−700 there).
#[inline(always)]
pub(crate) fn lean_root_ends<V: F64s>(
    s: &crate::math::roots::RootSeries,
    x: V,
    positive: V::Mask,
    direct: V,
    one_above: f64,
) -> V {
    let (near, series) = root_series_lean(s, x);
    let g = V::select(near & !positive, series, direct);
    let g = V::select(x.gt(V::splat(one_above)), V::splat(1.0), g);
    V::select(x.eq(V::splat(f64::NEG_INFINITY)), V::splat(-0.0), g)
}

/// f′(x) from its Taylor series around the root x0 of f′ (see [`crate::math::roots`]), as
/// a double-double, and the mask of lanes within [`ROOT_WINDOW`](crate::math::roots) of
/// x0, where the caller takes it instead of the direct formula. d = x − x0 is exact to
/// about 2^−150 (x − x0_hi is exact there, by Sterbenz's lemma).
#[inline(always)]
pub(crate) fn root_series<V: F64s>(s: &crate::math::roots::RootSeries, x: V) -> (V::Mask, V, V) {
    use crate::math::dd::{add_dd, mul_dd, two_prod, two_sum};
    let (d0, e0) = two_sum(x, V::splat(-s.x0.0));
    let (d, d_lo) = two_sum(d0, V::splat(-s.x0.1));
    let d_lo = d_lo + (e0 - V::splat(s.x0.2));
    let mut q = V::splat(s.rest[0]);
    for &c in &s.rest[1..] {
        q = q.mul_add(d, V::splat(c));
    }
    let (t, t_lo) = two_prod(d, q);
    let (q2, q2_lo) = add_dd(V::splat(s.c2.0), V::splat(s.c2.1), t, t_lo);
    let (u, u_lo) = mul_dd(d, d_lo, q2, q2_lo);
    let (p, p_lo) = add_dd(V::splat(s.c1.0), V::splat(s.c1.1), u, u_lo);
    let (g, g_lo) = mul_dd(d, d_lo, p, p_lo);
    let near = d0.abs().le(V::splat(crate::math::roots::ROOT_WINDOW));
    (near, g, g_lo)
}
