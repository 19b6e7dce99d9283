//! GELU, in its exact (erf) form and its tanh approximation.
//!
//! # Formulas
//! - gelu(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)) = ½·x·erfc(−x/√2)
//! - gelu_tanh(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
//!
//! The two differ by up to about 5e−4 in absolute terms; models trained with one should be
//! run with the same one (JAX defaults to the tanh form, PyTorch to erf).
//!
//! # Stable formulation
//! - **gelu.** ½·x·(1 + erf(x/√2)) cancels for x below about −3.8 and is 0 long before
//!   gelu underflows. activ uses the upper tail Q(a) = Φ(−a) = ½·erfc(a/√2): x·Q(|x|) for
//!   x ≤ 0 and x − x·Q(x) for x > 0 (Q ≤ ½, no cancellation). Q's logarithmic derivative is
//!   about −a, so rounding a/√2 into e^(−a²/2) would cost up to a² relative ULPs (about 1500
//!   at x = −38): Q = e^(−x²/2)·S(|x|) with x² an exact pair, and S, smooth and slowly
//!   varying, from a table of 16 polynomials. The products are kept as pairs and rounded
//!   once (x − x·Q by FastTwoSum for x > 0); Q comes as m·2^k, so a subnormal result
//!   rounds x·m and then the scaling. f32 runs on `f32` lanes with degree-8 pieces
//!   (`math::gauss_tail32`), f64 in plain `f64` with degree-11 pieces and S·|x| in
//!   1/x² beyond 3.9 (`math::gauss_tail64`, 2^−55.5 for x·Q).
//! - **gelu_tanh.** 1 + tanh(u) = 2σ(2u), so gelu_tanh(x) = x·σ(z) with
//!   z = x·(2√(2/π) + 2√(2/π)·0.044715·x²). The naive form cancels for negative x, and
//!   σ's condition number is |z| (87 at x = −10), so z is a double-double built from
//!   double-double constants (0.044715 is not a binary fraction).
//!   f32 does the same on `f32` lanes with z as an `f32` pair and σ as in SiLU; f64 takes
//!   the same steps in plain `f64` (z a pair of `f64`, e^(−|z|) to 2^−56.3 with z's tail in
//!   its argument, no double-double quotient).
//!
//! # Special values
//! | x | gelu | gelu_tanh |
//! |---|---|---|
//! | NaN | NaN | NaN |
//! | ±0 | ±0 | ±0 |
//! | +∞ | +∞ | +∞ |
//! | −∞ | −0.0 | −0.0 |
//!
//! # Accuracy (measured by `activ audit`)
//! Bounds: f32 ≤ 2 ULP, f64 ≤ 2 ULP. Measured: f32 gelu 0.896 (all 2^32 inputs: 0.983),
//! gelu_tanh 0.750 (all 2^32: 0.758); f64 gelu 0.686 (a subnormal result; 1.460 before
//! 2026-12-08, when the double-double kernel rounded ½·erfc to 53 bits before the product
//! with x), gelu_tanh 0.730 (a subnormal result; 1.430 before 2026-12-07, when the
//! double-double kernel rounded x·m before the scaling by 2^k and then once more).
//!
//! # Derivatives (see [`Derivative`](crate::Derivative))
//! - gelu′(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π). For x > 0: 1 − h + xφ with
//!   h = ½·erfc(x/√2) ≤ ½ (no cancellation). For x ≤ 0: h − |x|φ, where both terms are
//!   about e^(−x²/2): they are brought to φ's power of two, subtracted as double-doubles
//!   and scaled last, so the subnormal tail rounds once. Below −38, Φ(x) = φ(x)·R(x) with
//!   the asymptotic Mills-ratio series R. The difference cancels at the root x0 ≈ −0.7518;
//!   within 1/8 of it the Taylor series of gelu′ is used (`math::roots`).
//! - gelu_tanh′(x) = σ(z) + x·z′·σ(z)σ(−z), z = x(a + bx²), z′ = a + 3bx²,
//!   a = 2√(2/π), b = 0.044715a. With E = e^(−|z|): [(1 + E) + x·z′·E]/(1 + E)² for x ≥ 0
//!   and E[(1 + E) + x·z′]/(1 + E)² for x < 0, which cancels at x0 ≈ −0.7525 (Taylor series
//!   there).
//!
//! Bounds f32 ≤ 2 ULP, f64 ≤ 4 ULP. Measured by `activ audit`: f′ f32 0.500 ULP for both,
//! f64 gelu 0.714, gelu_tanh 0.636; dy·f′ f32 0.500, f64 gelu 1.261, gelu_tanh 0.746.

use crate::elementwise::unit_function;
use crate::math::dd::{add_dd, mul_dd, two_prod};
use crate::simd::F64s;
use crate::simd32::F32s;

/// 1/√2 as a double-double.
const FRAC_1_SQRT_2: (f64, f64) = (core::f64::consts::FRAC_1_SQRT_2, -4.833646656726457e-17);
/// 2·√(2/π) as a double-double.
const TWO_SQRT_2_OVER_PI: (f64, f64) = (1.5957691216057308, -9.96930880911092e-17);
/// 2·√(2/π)·0.044715 as a double-double.
const TWO_SQRT_2_OVER_PI_CUBIC: (f64, f64) = (0.07135481627260025, -6.175149918155315e-19);

/// GELU in `f64` on lanes, in plain `f64`: x·Q(|x|) = g·(m + m_lo)·2^k from
/// [`times_gauss_tail_lanes`] (Q(a) = Φ(−a) = e^(−a²/2)·S(a), x·Q within 2^−55.5, with a² an exact
/// pair, so no rounding of x/√2 reaches the exponential). m + m_lo is first brought to
/// 2^(k+200) (exact, normal for k ≥ −1081) and g·(m + m_lo)·2^(k+200) taken as an exact
/// product and its tail p + p_lo. x ≤ 0: (p + p_lo)·2^−200, with x's sign (p + p_lo is +0.0
/// for x = −0.0 where m_lo < 0), so the sum rounds once and a subnormal result once more.
/// x > 0: x − x·Q with x·Q ≤ x/2, a FastTwoSum rounded once. Above 38.7 (+∞ included) the
/// result is x, taken by a select; below −38.7 the arithmetic rounds to −0.0.
#[inline(always)]
fn gelu_lanes64<V: F64s>(x: V) -> V {
    use crate::math::exp::{pow2_plus_200, TWO_POW_MINUS_200};
    use crate::math::gauss_tail64::{times_gauss_tail_lanes, A_MAX};
    let (g, m, m_lo, k) = times_gauss_tail_lanes(x);
    let up = pow2_plus_200(k);
    let (m, m_lo) = (m * up, m_lo * up);
    let p = g * m;
    let p_lo = g.mul_add(m, -p) + g * m_lo;
    let down = V::splat(TWO_POW_MINUS_200);
    let negative = ((p + p_lo) * down).copysign(x);
    let (p, p_lo) = (p * down, p_lo * down);
    let d = x - p;
    let positive = d + (((x - d) - p) - p_lo);
    let r = V::select(x.gt(V::splat(0.0)), positive, negative);
    V::select(x.gt(V::splat(A_MAX)), x, r)
}

/// GELU for `f32` on `f32` lanes: Q(a) = Φ(−a), a = |x|, as 2^k·(e_hi + e_lo)(s_hi + s_lo)
/// from [`gauss_tail_parts`]; m = (e_hi + e_lo)(s_hi + s_lo) as a pair (a product, its FMA
/// residual and the cross terms). x ≤ 0: x·m rounded once, then scaled by 2^k (a second
/// rounding only for a subnormal result). x > 0: x − x·Q with x·Q an exact pair and x − x·Q
/// a FastTwoSum (Q ≤ ½), rounded once. a is clamped to 14.5: below −14.5 gelu is under a
/// quarter of the least subnormal, so x is clamped there too (−∞ included) and the
/// arithmetic rounds it to −0.0; above 14.5, x·Q is far below ulp(x) (x itself, which +∞
/// takes by a select).
#[inline(always)]
fn gelu_lanes32<V: F32s>(x: V) -> V {
    use crate::math::gauss_tail32::gauss_tail_parts;
    let limit = V::splat(14.5);
    let a = limit.min_or(x.abs());
    let (e_hi, e_lo, k, s_hi, s_lo) = gauss_tail_parts(a);
    let m = e_hi * s_hi;
    let m_lo = e_hi.mul_add(s_hi, -m) + e_hi.mul_add(s_lo, e_lo * s_hi);
    let x_low = (-limit).max_or(x);
    let negative = x_low.mul_add(m, x_low * m_lo).scale(k);
    // Clamped where `scale` clamps its first factor, so the two share it; below 2^−100,
    // x·Q is far under ulp(x) (x > 8 there) and the result is x either way.
    let s = V::pow2(V::splat(-100.0).max_or(k));
    let (q, q_lo) = (m * s, m_lo * s);
    let p = x * q;
    let p_lo = x.mul_add(q, -p) + x * q_lo;
    let d = x - p;
    let d_err = (x - d) - p;
    let positive = d + (d_err - p_lo);
    let r = V::select(x.gt(V::splat(0.0)), positive, negative);
    V::select(x.gt(limit), x, r)
}

unit_function!(
    /// GELU, x·Φ(x) with the Gaussian CDF Φ (the exact, erf form).
    Gelu,
    /// GELU, x·Φ(x): see [`Gelu`].
    ///
    /// ```
    /// // 0.5*x*(1 + erf(x/√2)) is exactly 0 here; the true value is about -7.6e-23.
    /// let y = activ::gelu(-10.0f64);
    /// assert!((y / -7.619853024160527e-23 - 1.0).abs() < 1e-15);
    /// ```
    fn gelu, lanes32 (interleaved) gelu_lanes32, lanes64 (interleaved) gelu_lanes64
);

/// gelu_tanh in `f64` on lanes, the steps of [`gelu_tanh_lanes32`] in plain `f64`: z =
/// x·(a + b·x²) as a pair (σ's condition number is |z|), E = e^(−|z|) from
/// [`exp_neg_lean2_lanes`](crate::math::exp::exp_neg_lean2_lanes) with z's tail joining
/// its argument (2^−56.3), and x·σ(z) by
/// [`times_sigmoid_lanes64`](crate::logistic::times_sigmoid_lanes64). Below −40 the result
/// is −0.0: x is clamped there (−∞ included) and the arithmetic rounds it to −0.0 (below
/// x ≈ −24.4, |z| > 760, where the exponential clamps, |x|·e^−760 < 2^−1090). z is formed
/// from x clamped to 20 (z > 600, where σ(z) = 1 to far below an ULP), and x·σ(z) is then
/// x up to +∞. The sign of x is copied last (±0).
#[inline(always)]
fn gelu_tanh_lanes64<V: F64s>(x: V) -> V {
    let x = V::splat(-40.0).max_or(x);
    let xc = V::splat(20.0).min_or(x);
    let sq = xc * xc;
    let sq_lo = xc.mul_add(xc, -sq);
    let (b, b_lo) = (
        V::splat(TWO_SQRT_2_OVER_PI_CUBIC.0),
        V::splat(TWO_SQRT_2_OVER_PI_CUBIC.1),
    );
    let bs = b * sq;
    let bs_lo = b.mul_add(sq, -bs) + b.mul_add(sq_lo, b_lo * sq);
    let a = V::splat(TWO_SQRT_2_OVER_PI.0);
    let w = a + bs;
    let w_b = w - a;
    let w_lo = ((a - (w - w_b)) + (bs - w_b)) + (V::splat(TWO_SQRT_2_OVER_PI.1) + bs_lo);
    let z = xc * w;
    let z_lo = xc.mul_add(w, -z) + xc * w_lo;
    let positive_z = z.gt(V::splat(0.0));
    let (e_hi, e_lo, k) =
        crate::math::exp::exp_neg_lean2_lanes(-z.abs(), V::select(positive_z, -z_lo, z_lo));
    crate::logistic::times_sigmoid_lanes64(x, positive_z, e_hi, e_lo, k).copysign(x)
}

/// 2√(2/π) and 2√(2/π)·0.044715 as `f32` pairs.
const A32: (f32, f32) = (1.595_769_2, -4.534_068e-8);
const B32: (f32, f32) = (0.071_354_814, 2.398_832_5e-9);

/// gelu_tanh for `f32` on `f32` lanes: x·σ(z), z = x·(a + b·x²) formed as an `f32` pair
/// (x² exact by FMA, b·x² a product pair, a + b·x² a TwoSum, x times it another product
/// pair): σ's condition number is |z|, up to 110 where the result is not 0. x·σ(z) as in
/// SiLU ([`times_sigmoid_lanes32`](crate::logistic::times_sigmoid_lanes32)), with z_lo
/// joining the exponential's argument.
/// Below −12 the result is under a quarter of the least subnormal: x is clamped there (−∞
/// included) and the arithmetic rounds it to −0.0. z is formed from x clamped to 20 as well,
/// where σ(z) = 1 to far below an ULP, and x·σ(z) is then x up to +∞ (see
/// `times_sigmoid_lanes32`). gelu_tanh(x) has the sign of x, which gives ±0 for ±0.
#[inline(always)]
fn gelu_tanh_lanes32<V: F32s>(x: V) -> V {
    let x = V::splat(-12.0).max_or(x);
    let xc = V::splat(20.0).min_or(x);
    let sq = xc * xc;
    let sq_lo = xc.mul_add(xc, -sq);
    let (b, b_lo) = (V::splat(B32.0), V::splat(B32.1));
    let bs = b * sq;
    let bs_lo = b.mul_add(sq, -bs) + b.mul_add(sq_lo, b_lo * sq);
    let a = V::splat(A32.0);
    let w = a + bs;
    let w_b = w - a;
    let w_lo = ((a - (w - w_b)) + (bs - w_b)) + (V::splat(A32.1) + bs_lo);
    let z = xc * w;
    let z_lo = xc.mul_add(w, -z) + xc * w_lo;
    let positive_z = z.gt(V::splat(0.0));
    let (e_hi, e_lo, k) =
        crate::math::exp32::exp_parts_neg2(-z.abs(), V::select(positive_z, -z_lo, z_lo));
    crate::logistic::times_sigmoid_lanes32(x, positive_z, e_hi, e_lo, k).copysign(x)
}

unit_function!(
    /// The tanh approximation of GELU, ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    GeluTanh,
    /// The tanh approximation of GELU: see [`GeluTanh`].
    fn gelu_tanh, lanes32 (interleaved) gelu_tanh_lanes32,
    lanes64 (interleaved) gelu_tanh_lanes64
);

// ---------------------------------------------------------------------------------------
// Derivatives: see the module docs.

use crate::derivative::{
    derivative_via_lanes, grad_shorthand, lean_root_ends, lean_vjp, negligible_negative,
    root_series, GradLanes,
};
use crate::math::dd::div_dd_bounded;
use crate::math::exp::exp_parts_lanes;
use crate::math::lean;

/// 1/√(2π) as a double-double.
const FRAC_1_SQRT_2PI: (f64, f64) = (0.3989422804014327, -2.49232720227773e-17);

impl GradLanes for Gelu {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        use crate::math::exp::ldexp_lanes;
        let zero = V::splat(0.0);
        let one = V::splat(1.0);
        let a = x.abs();
        // h = ½·erfc(|x|/√2) = (m + m_lo)·2^(kh − 1), t = |x|/√2 a double-double.
        let (t, t_lo) = two_prod(a, V::splat(FRAC_1_SQRT_2.0));
        let t_lo = a.mul_add(V::splat(FRAC_1_SQRT_2.1), t_lo);
        let t_lo = V::select(t.lt(V::splat(f64::INFINITY)), t_lo, zero);
        let (m, m_lo, kh) = crate::math::erf::erfc_dd_lanes(t, t_lo);
        let kh = kh - one;
        // φ = e^(−x²/2)/√(2π) = (p + p_lo)·2^kp, x² a double-double.
        let xc = V::splat(60.0).min_or(a);
        let (s, s_lo) = two_prod(xc, xc);
        let half = V::splat(-0.5);
        let (eh, el, kp) = exp_parts_lanes(half * s, half * s_lo);
        let (p, p_lo) = mul_dd(
            eh,
            el,
            V::splat(FRAC_1_SQRT_2PI.0),
            V::splat(FRAC_1_SQRT_2PI.1),
        );
        let (xp, xp_lo) = mul_dd(xc, zero, p, p_lo);
        // x > 0: 1 − h + xφ, h and xφ scaled to their values (they only add digits below 1).
        let (u, u_lo) = add_dd(one, zero, -ldexp_lanes(m, kh), -ldexp_lanes(m_lo, kh));
        let (pos, pos_lo) = add_dd(u, u_lo, ldexp_lanes(xp, kp), ldexp_lanes(xp_lo, kp));
        // x ≤ 0: (h·2^−kp − |x|φ·2^−kp)·2^kp; kh − kp is small, h/φ ≈ 1/|x| or so.
        let dk = kh - kp;
        let (neg, neg_lo) = add_dd(ldexp_lanes(m, dk), ldexp_lanes(m_lo, dk), -xp, -xp_lo);
        // x < −38: erfc's kernel stops at t = 27.5 (x ≈ −38.9), and there Φ(x)/φ(x) is the
        // Mills ratio R = (1/a)(1 − 1/a² + 3/a⁴ − 15/a⁶ + …), whose terms fall below 2^−60 of
        // the first by the eighth; gelu′ = φ·(R − a) without cancellation (R ≈ 1/a ≪ a).
        let w = one / (xc * xc);
        let mut m = V::splat(-135135.0);
        for c in [10395.0, -945.0, 105.0, -15.0, 3.0, -1.0, 1.0] {
            m = m.mul_add(w, V::splat(c));
        }
        let (tg, tg_lo) = mul_dd(p, p_lo, m / xc - xc, zero);
        let tail = x.lt(V::splat(-38.0));
        let neg = V::select(tail, tg, neg);
        let neg_lo = V::select(tail, tg_lo, neg_lo);
        let (near, g, g_lo) = root_series(&crate::math::roots::GELU, x);
        let positive = x.gt(zero);
        let r = V::select(positive, pos, V::select(near, g, neg));
        let r_lo = V::select(positive, pos_lo, V::select(near, g_lo, neg_lo));
        let k = V::select(positive | near, zero, kp);
        // Below −60, |gelu′|·f64::MAX is under the least subnormal.
        let far = x.lt(V::splat(-60.0));
        let (far_hi, far_lo, far_k) = negligible_negative();
        (
            V::select(far, far_hi, r),
            V::select(far, far_lo, r_lo),
            V::select(far, far_k, k),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        lean_vjp(self, x, dy, dy * gelu_grad_lean(x))
    }
}

/// gelu′(x) = Φ(x) + x·φ(x) in plain `f64` for the `f32` backward pass, with one exponential:
/// E = e^(−x²/2) (x² exact for `f32` x; [`lean::exp`], 2^−43) gives both φ = E/√(2π) and
/// h = Φ(−|x|) = ½·E·erfcx(|x|/√2) ([`erfcx_lanes`](crate::math::erf::erfcx_lanes); the
/// rounding of |x|/√2 moves erfcx by about 2^−53 relative). So gelu′ = 1 + E·(x/√(2π) − ½·erfcx)
/// for x > 0 (the bracket may cancel, but next to 1 its error is absolute and tiny) and
/// E·(x/√(2π) + ½·erfcx) for x ≤ 0, which cancels only near the root (the Taylor series of
/// [`lean_root_ends`] there; beyond its window the terms are at most 9 times the result, so
/// about 2^−39); 1 above 40 ([`lean_root_ends`]). Far below, the clamped exponential leaves a
/// negative f′(x) below anything dy·f′(x) can show.
#[inline(always)]
fn gelu_grad_lean<V: F64s>(x: V) -> V {
    let half_erfcx =
        V::splat(0.5) * crate::math::erf::erfcx_lanes(x.abs() * V::splat(FRAC_1_SQRT_2.0));
    let e = lean::exp(V::splat(-0.5) * (x * x));
    let positive = x.gt(V::splat(0.0));
    let bracket = x.mul_add(
        V::splat(FRAC_1_SQRT_2PI.0),
        V::select(positive, -half_erfcx, half_erfcx),
    );
    let direct = V::select(positive, e.mul_add(bracket, V::splat(1.0)), e * bracket);
    // Above 40, E is below 2^−1000.
    lean_root_ends(&crate::math::roots::GELU, x, positive, direct, 40.0)
}
derivative_via_lanes!(Gelu);
grad_shorthand!(
    /// gelu′(x) = Φ(x) + x·φ(x): see [`Derivative`](crate::Derivative).
    ///
    /// ```
    /// // Φ(−10) + (−10)·φ(−10) cancels; the true value is −7.6184000964648e−22.
    /// let g = activ::gelu_grad(-10.0f64);
    /// assert!((g / -7.6184000964648140857e-22 - 1.0).abs() < 1e-15);
    /// ```
    Gelu,
    gelu_grad
);

impl GradLanes for GeluTanh {
    #[inline(always)]
    fn grad_parts<V: F64s>(&self, x: V) -> (V, V, V) {
        let zero = V::splat(0.0);
        let one = V::splat(1.0);
        let big = V::splat(1e4);
        let xc = V::select(x.abs().lt(big), x, big.copysign(x));
        let (s, s_lo) = two_prod(xc, xc);
        let (b, b_lo) = (
            V::splat(TWO_SQRT_2_OVER_PI_CUBIC.0),
            V::splat(TWO_SQRT_2_OVER_PI_CUBIC.1),
        );
        let (a, a_lo) = (
            V::splat(TWO_SQRT_2_OVER_PI.0),
            V::splat(TWO_SQRT_2_OVER_PI.1),
        );
        let (c, c_lo) = mul_dd(b, b_lo, s, s_lo);
        // z = x(a + bx²) and z′ = a + 3bx², double-doubles.
        let (zc, zc_lo) = add_dd(a, a_lo, c, c_lo);
        let (z, z_lo) = mul_dd(xc, zero, zc, zc_lo);
        let (c3, c3_lo) = two_prod(V::splat(3.0), c);
        let (dz, dz_lo) = add_dd(a, a_lo, c3, V::splat(3.0).mul_add(c_lo, c3_lo));
        let (xdz, xdz_lo) = mul_dd(xc, zero, dz, dz_lo);
        let (hi, lo, k) = exp_parts_lanes(-z.abs(), V::select(z.gt(zero), -z_lo, z_lo));
        // E enters next to 1 (x·z′·E too: z′ grows like x², E like e^−x³), so below
        // 2^−1000 it changes nothing.
        let (e, e_lo) = crate::math::exp::pair_next_to_one(hi, lo, k);
        let (d, d_lo) = add_dd(one, zero, e, e_lo);
        let (d2, d2_lo) = mul_dd(d, d_lo, d, d_lo);
        // x ≥ 0: [(1 + E) + x·z′·E]/(1 + E)².
        let (xe, xe_lo) = mul_dd(xdz, xdz_lo, e, e_lo);
        let (n, n_lo) = add_dd(d, d_lo, xe, xe_lo);
        // x < 0: E[(1 + E) + x·z′]/(1 + E)², E unscaled, 2^k applied last.
        let (w, w_lo) = add_dd(d, d_lo, xdz, xdz_lo);
        let (nw, nw_lo) = mul_dd(hi, lo, w, w_lo);
        // One division: the numerators share the divisor and are selected first.
        let positive = x.ge(zero);
        let (q, q_lo) = div_dd_bounded(
            V::select(positive, n, nw),
            V::select(positive, n_lo, nw_lo),
            d2,
            d2_lo,
        );
        let (near, g, g_lo) = root_series(&crate::math::roots::GELU_TANH, x);
        let series = near & !positive;
        let r = V::select(series, g, q);
        let r_lo = V::select(series, g_lo, q_lo);
        let k = V::select(positive | near, zero, k);
        // Above 1e4 the derivative is 1 exactly in f64 (E = 0); below −40, under half the
        // least subnormal.
        let top = x.ge(big);
        let far = x.lt(V::splat(-40.0));
        let (far_hi, far_lo, far_k) = negligible_negative();
        (
            V::select(far, far_hi, V::select(top, one, r)),
            V::select(far, far_lo, V::select(top, zero, r_lo)),
            V::select(far, far_k, V::select(top, zero, k)),
        )
    }
    #[inline(always)]
    fn vjp_lanes_f32<V: F64s>(&self, x: V, dy: V) -> V {
        lean_vjp(self, x, dy, dy * gelu_tanh_grad_lean(x))
    }
}

/// The GELU-tanh derivative in plain `f64` for the `f32` backward pass: with z = x(a + bx²) (x²
/// exact, two more roundings, so e^(−|z|) moves by |z|·2^−51, below 2^−41 where it is not clamped),
/// z′ = a + 3bx² and E = e^(−|z|) within 2^−42: x ≥ 0 gives [(1 + E) + x·z′·E]/(1 + E)² (no
/// cancellation), x < 0 gives E[(1 + E) + x·z′]/(1 + E)², which cancels only near the root (the
/// Taylor series of [`lean_root_ends`] there; beyond its window by at most a factor 9); 1 above
/// 10^4 ([`lean_root_ends`]). Far below, a negative f′(x) below anything dy·f′(x) can show.
#[inline(always)]
fn gelu_tanh_grad_lean<V: F64s>(x: V) -> V {
    let one = V::splat(1.0);
    let s = x * x;
    let a = V::splat(TWO_SQRT_2_OVER_PI.0);
    let b = V::splat(TWO_SQRT_2_OVER_PI_CUBIC.0);
    let z = x * b.mul_add(s, a);
    let xdz = x * (V::splat(3.0) * b).mul_add(s, a);
    let e = lean::exp(-z.abs());
    let d = one + e;
    let d2 = d * d;
    let positive = x.ge(V::splat(0.0));
    let direct = V::select(positive, xdz.mul_add(e, d), e * (d + xdz)) / d2;
    lean_root_ends(&crate::math::roots::GELU_TANH, x, positive, direct, 1e4)
}
derivative_via_lanes!(GeluTanh);
grad_shorthand!(
    /// The derivative of the tanh form of GELU: see [`Derivative`](crate::Derivative).
    GeluTanh,
    gelu_tanh_grad
);
