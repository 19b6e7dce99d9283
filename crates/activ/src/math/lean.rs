//! Elementary functions on `f64` lanes for the `f32` kernels.
//!
//! An `f32` result needs its `f64` intermediates accurate to far fewer than 53 bits: an
//! intermediate relative error ε moves the final result by at most 2^24·ε `f32` ULPs on top of
//! the one rounding to `f32` (times the result's condition number in that intermediate).
//! These kernels keep ε below 2^−41 (so below 2^−17 ULP), and [`exp_nonpositive`] below
//! 2^−32 (2^−8 ULP), which lets them skip the double-double steps of the `f64` kernels and
//! run at vector speed. [`exp_nonpositive`] serves where the result moves by at most E's
//! own relative error (condition number ≤ 1): softmax's sum and quotient, log-softmax's
//! sum, Mish, softplus with β ≠ 1, and the backward passes of sigmoid, log-sigmoid,
//! softplus, tanh, ELU, SELU and CELU (α > 0). Where a derivative cancels near its root
//! (SiLU, Mish, GELU), and for logsumexp, whose absolute error bound rests on its
//! exponentials, [`exp`] keeps 2^−42.
//! They use only the operations of [`F64s`], so every lane computes what the scalar
//! instantiation computes, bit for bit.

use crate::simd::F64s;

/// 1.5·2^52: adding it rounds a value below 2^51 in magnitude to an integer, kept in the
/// low mantissa bits.
const ROUND_MAGIC: f64 = 6755399441055744.0;
const LOG2_E: f64 = core::f64::consts::LOG2_E;
/// ln 2 split so that k·LN2_HI is exact for |k| < 2^11.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const LN2: f64 = core::f64::consts::LN_2;

/// Q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ½ln 2, so that e^r = 1 + r + r²·Q(r): Chebyshev
/// interpolants (near-minimax) from `poly_coeffs.py`, coefficients rounded to `f64`, with
/// the relative error of 1 + r + r²·Q(r) it measures in 50-digit arithmetic. Degree 7 here
/// leaves 2^−43.62 (the Taylor series needs degree 9 for 2^−42).
const TAIL_2_POW_MINUS_43: [f64; 8] = [
    0.4999999999995511,
    0.16666666666662586,
    0.04166666678626573,
    0.00833333334420298,
    0.0013888839110572009,
    0.00019841224599656011,
    2.486787017968786e-05,
    2.7617564785876205e-06,
];

/// As [`TAIL_2_POW_MINUS_43`], degree 5: 2^−32.08 (the Taylor series needs degree 7 for
/// 2^−31.7).
const TAIL_2_POW_MINUS_32: [f64; 6] = [
    0.5000000013457727,
    0.16666666681614256,
    0.04166646500604005,
    0.008333310934448869,
    0.001393364103198679,
    0.00019890980869750424,
];

/// x = k·ln 2 + r with |r| ≤ ½ln 2 (+ rounding), k·ln 2 exact (two constants); returns
/// (r, k + ROUND_MAGIC).
#[inline(always)]
fn reduce<V: F64s>(x: V) -> (V, V) {
    let t = x.mul_add(V::splat(LOG2_E), V::splat(ROUND_MAGIC));
    let k = t - V::splat(ROUND_MAGIC);
    let r = (-k).mul_add(V::splat(LN2_HI), x);
    let r = (-k).mul_add(V::splat(LN2_LO), r);
    (r, t)
}

/// [`reduce`] in one fused multiply-add with ln 2 rounded to `f64`, for e^x, whose relative
/// error moves with the absolute error of r: |ln 2 − LN2| < 2^−55.2, so for |k| ≤ 1023 r is
/// off by under 2^−45.2 (and rounded once, at 2^−53·|r|).
#[inline(always)]
fn reduce_short<V: F64s>(x: V) -> (V, V) {
    let t = x.mul_add(V::splat(LOG2_E), V::splat(ROUND_MAGIC));
    let k = t - V::splat(ROUND_MAGIC);
    ((-k).mul_add(V::splat(LN2), x), t)
}

/// The polynomial with coefficients `c` (ascending powers) at r, by Horner's rule (Estrin's
/// scheme, one or two multiplies more, measured 1–3 % slower in softmax and Mish on Zen 4:
/// these short loops are bound by the operation count, not the dependency chain; the longer
/// double-double kernels of `log.rs` are the other way round).
#[inline(always)]
fn horner<V: F64s, const N: usize>(r: V, c: &[f64; N]) -> V {
    let mut q = V::splat(c[N - 1]);
    for &ci in c[..N - 1].iter().rev() {
        q = q.mul_add(r, V::splat(ci));
    }
    q
}

/// 2^k for a t = k + ROUND_MAGIC from [`reduce`] (k in [−1022, 1023]).
#[inline(always)]
fn pow2<V: F64s>(t: V) -> V {
    (t + V::splat(1023.0)).shl52()
}

/// e^x, relative error below 2^−42 (2^−43.62 from the polynomial, 2^−45.2 from the
/// reduction, the roundings near 2^−52; the test measures it). Inputs are clamped to
/// [−700, 709] (NaN stays NaN): the result is then a normal number, and below −700
/// (2^−1010) or above 709 (8e307) no `f32` result can tell the clamped value from the true
/// one.
#[inline(always)]
pub(crate) fn exp<V: F64s>(x: V) -> V {
    let x = V::splat(-700.0).max_or(x);
    let x = V::splat(709.0).min_or(x);
    let (r, t) = reduce_short(x);
    let p = (r * r).mul_add(horner(r, &TAIL_2_POW_MINUS_43), r);
    // 2^k + 2^k·(e^r − 1) in one fused multiply-add: one rounding, one operation fewer
    // than forming 1 + (e^r − 1) first.
    let s = pow2(t);
    p.mul_add(s, s)
}

/// e^x for x ≤ 0 with relative error below 2^−32, for results rounded once to `f32` that
/// move by at most this error (the module note lists them): 2^24·2^−32 < 0.004 ULP. [`exp`]
/// with the degree-5 [`TAIL_2_POW_MINUS_32`] (2^−32.08) and no upper clamp. Inputs below
/// −700 (−∞ included) give e^−700; NaN stays NaN.
#[inline(always)]
pub(crate) fn exp_nonpositive<V: F64s>(x: V) -> V {
    let x = V::splat(-700.0).max_or(x);
    let (r, t) = reduce_short(x);
    let p = (r * r).mul_add(horner(r, &TAIL_2_POW_MINUS_32), r);
    let s = pow2(t);
    p.mul_add(s, s)
}

/// e^x − 1 with relative error below 2^−41 (no cancellation near 0; ±0 map to themselves).
/// Inputs are clamped to [−60, 709]: e^−60 − 1 rounds to −1, and above 709 no `f32` result
/// can tell.
#[inline(always)]
pub(crate) fn expm1<V: F64s>(x: V) -> V {
    let xc = V::splat(-60.0).max_or(x);
    let xc = V::splat(709.0).min_or(xc);
    let (r, t) = reduce(xc);
    let p = (r * r).mul_add(horner(r, &TAIL_2_POW_MINUS_43), r);
    // 2^k·p + (2^k − 1): 2^k − 1 is exact for k ≥ −53 and within 2^−60 of −1 below.
    let h = pow2(t);
    let m = h.mul_add(p, h - V::splat(1.0));
    V::select(x.eq(V::splat(0.0)), x, m)
}

/// T(z) ≈ (2·atanh(s) − 2s)/(s·z), z = s², on |s| ≤ (√2 − 1)/(√2 + 1) ≈ 0.1716: a degree-4
/// Chebyshev interpolant in z from `poly_coeffs.py` (the series 2/3 + 2z/5 + 2z²/7 + … needs
/// degree 8 for the same accuracy); 2s + s·z·T(z) is 2·atanh(s) within 2^−43.10 relative
/// (measured in 50-digit arithmetic at 3000 points with these `f64` coefficients).
const ATANH_TAIL: [f64; 5] = [
    0.6666666666737509,
    0.39999998797337577,
    0.2857175453591648,
    0.22191400830181768,
    0.1936265371666445,
];

/// 2·atanh(s) − 2s for |s| ≤ 0.1716 (z = s²), within 2^−43.1 of 2·atanh(s).
#[inline(always)]
fn atanh_tail<V: F64s>(s: V, z: V) -> V {
    s * z * horner(z, &ATANH_TAIL)
}

/// log(1 + e) for 0 ≤ e ≤ 1 (or NaN), relative error below 2^−43 ([`ATANH_TAIL`]'s
/// 2^−43.1 and a few roundings near 2^−53; the test measures it).
#[inline(always)]
pub(crate) fn log1p_unit<V: F64s>(e: V) -> V {
    let u = V::splat(1.0) + e;
    // What rounding 1 + e lost, relative to u (u − 1 is exact).
    let c = (e - (u - V::splat(1.0))) / u;
    let big = u.gt(V::splat(core::f64::consts::SQRT_2));
    let f = V::select(big, u * V::splat(0.5), u) - V::splat(1.0);
    let s = f / (V::splat(2.0) + f);
    let l = (V::splat(2.0) * s + atanh_tail(s, s * s)) + c;
    V::select(big, l + V::splat(LN2), l)
}

/// log(q) for q > 0 normal (or +∞, NaN; 0 is not handled), relative error below 2^−43:
/// log q = e·ln 2 + 2·atanh(s) with |2·atanh(s)| ≤ ½ln 2, which is |log q| when e = 0 and at
/// most |log q| otherwise, so [`ATANH_TAIL`]'s 2^−43.1 holds for the sum (the test measures
/// it).
#[inline(always)]
pub(crate) fn log<V: F64s>(q: V) -> V {
    // q = m·2^e with m in [1, 2): exponent and mantissa from the bit pattern.
    let two52 = V::splat(4503599627370496.0);
    let e = q.shr52().bits_or(two52) - two52 - V::splat(1023.0);
    let m = q
        .bits_and(V::splat(f64::from_bits(0x000f_ffff_ffff_ffff)))
        .bits_or(V::splat(1.0));
    let big = m.gt(V::splat(core::f64::consts::SQRT_2));
    let m = V::select(big, m * V::splat(0.5), m);
    let e = V::select(big, e + V::splat(1.0), e);
    let f = m - V::splat(1.0);
    let s = f / (V::splat(2.0) + f);
    let l = V::splat(2.0) * s + atanh_tail(s, s * s);
    let r = e.mul_add(V::splat(LN2_HI), e.mul_add(V::splat(LN2_LO), l));
    V::select(q.eq(V::splat(f64::INFINITY)) | q.is_nan(), q, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::around;

    /// Prints the worst relative error found for `name` and asserts it is below 2^`log2_bound`.
    fn assert_worst_below(name: &str, worst: f64, log2_bound: i32) {
        eprintln!("{name} worst 2^{}", worst.log2());
        assert!(
            worst < 2f64.powi(log2_bound),
            "{name} worst 2^{}",
            worst.log2()
        );
    }

    /// [`exp`] and [`expm1`] against `std`'s (within an ULP, 2^−52) over their ranges with a
    /// stride, near 0, and at the switch points (k + ½)·ln 2 of the reduction, where |r| is
    /// largest.
    #[test]
    fn exp_and_expm1_relative_errors_below_their_bounds() {
        let (mut worst_exp, mut worst_expm1) = (0.0f64, 0.0f64);
        let mut check = |x: f64| {
            if (-700.0..=709.0).contains(&x) {
                let exact = x.exp();
                worst_exp = worst_exp.max(((exp(x) - exact) / exact).abs());
            }
            if (-60.0..=709.0).contains(&x) && x != 0.0 {
                let exact = x.exp_m1();
                worst_expm1 = worst_expm1.max(((expm1(x) - exact) / exact).abs());
            }
        };
        for i in 0..2_000_000i32 {
            check(-700.0 + f64::from(i) * 7.045e-4);
            check(f64::from(i - 1_000_000) * 1e-9);
            check(f64::from(i - 1_000_000) * 3.5e-7);
        }
        for k in -1011..=1023 {
            around((f64::from(k) + 0.5) * core::f64::consts::LN_2, 64).for_each(&mut check);
        }
        assert_worst_below("exp", worst_exp, -42);
        assert_worst_below("expm1", worst_expm1, -41);
    }

    /// [`log`] and [`log1p_unit`] against `std`'s (within an ULP): q over the normal range
    /// with a stride in the exponent and many mantissas, q next to 1 (where log q is tiny
    /// and only its relative error counts) and next to √2 and √2/2 (where the reduction
    /// switches); e over [0, 1] and near 0.
    #[test]
    fn log_and_log1p_unit_relative_errors_below_2_pow_minus_43() {
        let (mut worst_log, mut worst_log1p) = (0.0f64, 0.0f64);
        let mut check_log = |q: f64| {
            let exact = q.ln();
            if exact != 0.0 {
                worst_log = worst_log.max(((log(q) - exact) / exact).abs());
            }
        };
        for k in (-1022..=1023).step_by(7) {
            for i in 0..2000 {
                check_log(
                    (1.0 + f64::from(i) / 2000.0) * f64::from_bits(((k + 1023) as u64) << 52),
                );
            }
        }
        for i in 1..1_000_000i32 {
            let d = f64::from(i) * 1e-12;
            check_log(1.0 + d);
            check_log(1.0 - d);
            check_log(1.0 + f64::from(i) * 3e-7);
            check_log(1.0 - f64::from(i) * 3e-7);
        }
        for edge in [core::f64::consts::SQRT_2, core::f64::consts::FRAC_1_SQRT_2] {
            around(edge, 999).for_each(&mut check_log);
        }
        let mut check_log1p = |e: f64| {
            let exact = e.ln_1p();
            if exact != 0.0 {
                worst_log1p = worst_log1p.max(((log1p_unit(e) - exact) / exact).abs());
            }
        };
        for i in 0..=2_000_000i32 {
            check_log1p(f64::from(i) / 2e6);
            check_log1p(f64::from(i) * 1e-15);
        }
        assert_worst_below("log", worst_log, -43);
        assert_worst_below("log1p_unit", worst_log1p, -43);
    }

    /// [`exp_nonpositive`] against `f64::exp` on [−700, 0] with a stride, and near 0.
    #[test]
    fn exp_nonpositive_relative_error_below_2_pow_minus_32() {
        let mut worst = 0.0f64;
        let mut check = |x: f64| {
            let got = exp_nonpositive(x);
            let exact = x.exp();
            worst = worst.max(((got - exact) / exact).abs());
        };
        for i in 0..2_000_000u32 {
            check(-(i as f64) * 3.5e-4);
            check(-(i as f64) * 1e-9);
        }
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), exp_nonpositive(-700.0));
        assert_worst_below("exp_nonpositive", worst, -32);
    }
}
