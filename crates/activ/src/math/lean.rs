//! Elementary functions on `f64` lanes for the `f32` kernels.
//!
//! An `f32` result needs its `f64` intermediates accurate to far fewer than 53 bits: an
//! intermediate relative error ε moves the final result by at most 2^24·ε `f32` ULPs on top of
//! the one rounding to `f32`. These kernels keep ε below 2^−46 (so below 2^−22 ULP), which
//! lets them skip the double-double steps of the `f64` kernels and run at vector speed.
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

/// 1/n! for n = 2..=10.
const INV_FACT: [f64; 9] = [
    0.5,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362880.0,
    1.0 / 3628800.0,
];

/// x = k·ln 2 + r with |r| ≤ ½ln 2 (+ rounding); returns (r, k + ROUND_MAGIC).
#[inline(always)]
fn reduce<V: F64s>(x: V) -> (V, V) {
    let t = x.mul_add(V::splat(LOG2_E), V::splat(ROUND_MAGIC));
    let k = t - V::splat(ROUND_MAGIC);
    let r = (-k).mul_add(V::splat(LN2_HI), x);
    let r = (-k).mul_add(V::splat(LN2_LO), r);
    (r, t)
}

/// (e^r − 1 − r)/r² by its Taylor series with the `N` coefficients 1/2! … 1/(N+1)!, so
/// e^r to r^(N+1): `N` = 9 (to r^10) leaves a remainder below 2^−42 relative for
/// |r| ≤ 0.35, `N` = 7 (to r^8) below 2^−31.7.
#[inline(always)]
fn expm1_tail<V: F64s, const N: usize>(r: V) -> V {
    let mut q = V::splat(INV_FACT[N - 1]);
    for &c in INV_FACT[..N - 1].iter().rev() {
        q = q.mul_add(r, V::splat(c));
    }
    q
}

/// 2^(t − ROUND_MAGIC + bias − 1023) for a t from [`reduce`] (an integer exponent in range).
#[inline(always)]
fn pow2<V: F64s>(t: V, bias: f64) -> V {
    (t + V::splat(bias)).shl52()
}

/// e^x, relative error below 2^−42. Inputs are clamped to [−700, 709] (NaN stays NaN): the
/// result is then a normal number, and below −700 (2^−1010) or above 709 (8e307) no `f32`
/// result can tell the clamped value from the true one.
#[inline(always)]
pub(crate) fn exp<V: F64s>(x: V) -> V {
    let x = V::splat(-700.0).max_or(x);
    let x = V::splat(709.0).min_or(x);
    let (r, t) = reduce(x);
    let p = (r * r).mul_add(expm1_tail::<V, 9>(r), r) + V::splat(1.0);
    p * pow2(t, 1023.0)
}

/// e^x for x ≤ 0 with relative error below 2^−31, for sums and quotients that end in one
/// rounding to `f32` (softmax): 2^24·2^−31 < 0.01 ULP. Two Taylor terms fewer than [`exp`]
/// (to r^8: the remainder r^9/9! is below 2^−31.7 of e^r for |r| ≤ ½ln 2; the test measures
/// 2^−31.8) and no upper clamp. Inputs below
/// −700 (−∞ included) give e^−700.
#[inline(always)]
pub(crate) fn exp_nonpositive<V: F64s>(x: V) -> V {
    let x = V::splat(-700.0).max_or(x);
    let (r, t) = reduce(x);
    let p = (r * r).mul_add(expm1_tail::<V, 7>(r), r) + V::splat(1.0);
    p * pow2(t, 1023.0)
}

/// e^x − 1 with relative error below 2^−41 (no cancellation near 0; ±0 map to themselves).
/// Inputs are clamped to [−60, 709]: e^−60 − 1 rounds to −1, and above 709 no `f32` result
/// can tell.
#[inline(always)]
pub(crate) fn expm1<V: F64s>(x: V) -> V {
    let xc = V::splat(-60.0).max_or(x);
    let xc = V::splat(709.0).min_or(xc);
    let (r, t) = reduce(xc);
    let p = (r * r).mul_add(expm1_tail::<V, 9>(r), r);
    // 2^k·p + (2^k − 1): 2^k − 1 is exact for k ≥ −53 and within 2^−60 of −1 below.
    let h = pow2(t, 1023.0);
    let m = h.mul_add(p, h - V::splat(1.0));
    V::select(x.eq(V::splat(0.0)), x, m)
}

/// 2·atanh(s) − 2s for |s| ≤ 0.1716 (z = s²), a series to s^19 (remainder below 2^−52).
#[inline(always)]
fn atanh_tail<V: F64s>(s: V, z: V) -> V {
    let mut q = V::splat(2.0 / 19.0);
    for n in (1..9).rev() {
        q = q.mul_add(z, V::splat(2.0 / (2 * n + 1) as f64));
    }
    s * z * q
}

/// log(1 + e) for 0 ≤ e ≤ 1 (or NaN), relative error below 2^−50.
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

/// log(q) for q > 0 normal (or +∞, NaN; 0 is not handled), relative error below 2^−50
/// away from q = 1 and absolute error below 2^−52·|log q| + 2^−100 near it.
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

    /// [`exp_nonpositive`] against `f64::exp` on [−700, 0] with a stride, and near 0.
    #[test]
    fn exp_nonpositive_relative_error_below_2_pow_minus_31() {
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
        eprintln!("exp_nonpositive worst 2^{}", worst.log2());
        assert!(worst < 2f64.powi(-31), "worst 2^{}", worst.log2());
    }
}
