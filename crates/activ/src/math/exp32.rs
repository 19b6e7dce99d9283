//! e^z for z ≤ 0 in `f32` lanes, as a sum of two `f32` times a power of two.
//!
//! **Formula.** e^z = 2^k · 2^(j/16) · e^r with n = round(16z/ln 2) = 16k + j, 0 ≤ j < 16,
//! and r = z − n·ln 2/16, |r| ≤ ln 2/32 ≈ 0.0217.
//!
//! **Method.** n comes from adding 1.5·2^23 (its low 4 bits are j, read by a 16-entry
//! permute). r = z − n·L_hi − n·L_lo: L_hi has 12 significant bits, so n·L_hi is exact for
//! |n| < 2^12 and the first fused multiply-add is exact (z and n·L_hi are close); the second
//! rounds at 2^−24·|r|, and ln 2/16 − L_hi − L_lo ≈ 10^−13 adds at most 2^−31.8 for
//! |n| ≤ 2540. e^r − 1 = r + r²(1/2 + r/6 + r²/24) (truncation below r^5/120 < 2^−34).
//! The table holds 2^(j/16) = T_hi + T_lo (T_lo to 2^−49), and
//! e^z = 2^k·(T_hi + E_lo) with E_lo = T_hi·(e^r − 1) + T_lo rounded once. T_hi is exact, so
//! the only roundings are in E_lo, |E_lo| < 2^−4.7·T_hi: the pair is accurate to about
//! 2^−28 relative (3·2^−24·2^−4.7 from r, the polynomial and E_lo, plus the 2^−31.8).
//!
//! **Range.** z is clamped to [−110, 0] (NaN passes; callers select it away): e^−110 <
//! 2^−158, below half the least subnormal even after a factor 2^8, and k ≥ −159.

use crate::simd32::F32s;

/// 1.5·2^23: adding it rounds an `f32` of magnitude below 2^22 to an integer.
const ROUND_MAGIC: f32 = 12_582_912.0;
/// 16/ln 2.
const SIXTEEN_OVER_LN2: f32 = 23.083_12;
/// ln 2/16 = L_HI + L_LO, L_HI with 12 significant bits.
const L_HI: f32 = 0.043_319_702;
const L_LO: f32 = 1.996_636_5e-6;
/// Taylor coefficients 1/2, 1/6, 1/24 of e^r − 1 − r over r².
const C2: f32 = 0.5;
const C3: f32 = 0.166_666_67;
const C4: f32 = 0.041_666_668;

/// 2^(j/16) rounded to `f32`.
const T_HI: [f32; 16] = [
    1.0,
    1.044_273_7,
    1.090_507_7,
    1.138_788_6,
    1.189_207_1,
    1.241_857_8,
    1.296_839_6,
    1.354_255_6,
    core::f32::consts::SQRT_2,
    1.476_826_2,
    1.542_210_8,
    1.610_490_3,
    1.681_792_9,
    1.756_252_2,
    1.834_008_1,
    1.915_206_6,
];
/// 2^(j/16) − T_HI[j] rounded to `f32`.
const T_LO: [f32; 16] = [
    0.0,
    4.833_47e-8,
    -1.307_754e-8,
    5.386_222_3e-8,
    3.797_635_3e-8,
    4.496_838e-8,
    -4.018_999_5e-8,
    -1.012_335e-8,
    2.420_323_5e-8,
    -4.500_899e-8,
    8.070_905e-9,
    9.836_217e-9,
    -2.475_532_7e-8,
    -9.235_77e-9,
    -1.123_927_8e-8,
    9.845_328e-9,
];

/// e^z = 2^k·(hi + lo) for z ≤ 0 (clamped at −110): returns (hi, lo, k) with hi in [1, 2),
/// |lo| < 2^−4.7·hi and k an integer-valued `f32` in [−159, 0].
#[inline(always)]
pub(crate) fn exp_parts_neg<V: F32s>(z: V) -> (V, V, V) {
    // −0.0, not 0.0: r + (−0.0) is r for every r, so the addition compiles away.
    exp_parts_neg2(z, V::splat(-0.0))
}

/// [`exp_parts_neg`] of z + z_lo, a pair with |z_lo| ≤ ulp(z) (z_lo joins r, where its
/// rounding costs 2^−24·|r|).
#[inline(always)]
pub(crate) fn exp_parts_neg2<V: F32s>(z: V, z_lo: V) -> (V, V, V) {
    let z = V::splat(-110.0).max_or(z);
    let t = z.mul_add(V::splat(SIXTEEN_OVER_LN2), V::splat(ROUND_MAGIC));
    let n = t - V::splat(ROUND_MAGIC);
    let r = (-n).mul_add(V::splat(L_HI), z);
    let r = (-n).mul_add(V::splat(L_LO), r) + z_lo;
    let q = r.mul_add(V::splat(C4), V::splat(C3));
    let q = q.mul_add(r, V::splat(C2));
    let p = (r * r).mul_add(q, r);
    let hi = V::lookup16(&T_HI, t);
    let lo = hi.mul_add(p, V::lookup16(&T_LO, t));
    let k = (n * V::splat(0.0625)).floor();
    (hi, lo, k)
}

/// 2^k·(hi + lo) from [`exp_parts_neg`] as a normalised pair e + e_err (|e_err| ≤ ulp(e)/2).
/// Below 2^−100 the value no longer matters next to 1, which is where the callers add it,
/// so the exponent is clamped there (where [`F32s::scale`]'s two-step form clamps its
/// first factor, which the compiler then computes once).
#[inline(always)]
pub(crate) fn scaled_pair<V: F32s>(hi: V, lo: V, k: V) -> (V, V) {
    let s = V::pow2(V::splat(-100.0).max_or(k));
    let (big, small) = (hi * s, lo * s);
    // FastTwoSum: |small| < |big|.
    let e = big + small;
    (e, small - (e - big))
}

/// 1/(1 + E) = q(1 + ρ) + O(ρ²) for E = 2^k(hi + lo) ∈ [0, 1] from [`exp_parts_neg`]:
/// returns (q, ρ) with q = 1/(1 + E) rounded three times and |ρ| < 2^−21.
///
/// With s = 2^max(k, −100), d = (1 + hi·s) + lo·s in two fused multiply-adds (the first
/// waits only for the table and k, not for lo, which shortens the chain of dependent
/// operations: sigmoid +3 %, tanh +2 % against 1 + (hi·s + lo·s), Zen 4, 2026-12-07) is
/// 1 + E rounded twice, and q = 1/d once more (what follows depends on q only, not on how d
/// was rounded). The residual ρ = 1 − q(1 + E) is then taken without forming 1 + E as a
/// pair: 1 − q is exact (Sterbenz: q ∈ [½, 1]), (1 − q) − (q·s)·hi is
/// one fused multiply-add with an exact product (q·s is exact: a power of two times q, and
/// normal), whose value is ρ + q·s·lo, below 2^−5.6 in magnitude (|lo| < 2^−4.7·hi and q·E
/// ≤ ½), so it rounds at 2^−30.6; the second fused multiply-add subtracts (q·s)·lo and
/// rounds at 2^−45. So ρ is within 2^−30.5 of 1 − q(1 + E), and q + qρ is 1/(1 + E) to
/// 2^−30 relative. Below k = −100, E < 2^−99 is far under the 2^−48 that matters next to 1
/// here, so clamping s there (to keep q·s normal) costs nothing.
#[inline(always)]
pub(crate) fn reciprocal_of_one_plus_exp<V: F32s>(hi: V, lo: V, k: V) -> (V, V) {
    let one = V::splat(1.0);
    let s = V::pow2(V::splat(-100.0).max_or(k));
    let q = one / lo.mul_add(s, hi.mul_add(s, one));
    let qs = q * s;
    let rho = (-qs).mul_add(hi, one - q);
    (q, (-qs).mul_add(lo, rho))
}

/// log2(e) rounded to `f32` (only to pick n in [`expm1_neg_pair`]).
const LOG2_E: f32 = core::f32::consts::LOG2_E;
/// ln 2 = LN2_HI + LN2_LO, LN2_HI with 16 significant bits, so n·LN2_HI is exact for
/// |n| < 2^8.
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
/// Taylor coefficients 1/3! … 1/8! of (e^r − 1 − r − r²/2)/r³.
const EXPM1_Q: [f32; 6] = [
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
];

/// e^(z + z_lo) − 1 for z ≤ 0 (clamped at −87; |z_lo| ≤ ulp(z)) as a pair s + t, accurate
/// to about 2^−27 relative, so that a caller rounds s + t (or α·s + α·t) once.
///
/// No table here: e^z − 1 cancels near 0, and a table's 2^(j/16) − 1 against e^r − 1 of
/// the other sign would cancel too. Instead z = n·ln 2 + r with |r| ≤ ln 2/2 and
/// e^z − 1 = (2^n − 1) + 2^n·(e^r − 1):
/// - n = 0 (|z| < ln 2/2): r = z exactly and the result is e^r − 1 = r + r²/2 + r³·Q(r)
///   with r² exact (a product and its FMA residual) and r + r²/2 an exact FastTwoSum; Q's
///   own rounding is scaled by r³/(e^r − 1) < 0.05, so the pair is good to 2^−27.
/// - n < 0: the result is below −0.29, 2^n − 1 and (2^n − 1) + 2^n·p are FastTwoSums
///   (2^n ≤ ½ and |2^n·p| ≤ 0.21), and every other error is relative to a term at most
///   0.21/0.29 of the result.
///
/// r = z − n·LN2_HI (exact: both are multiples of ulp(z) or of 2^−24·ulp, and |r| < ½)
/// − n·LN2_LO, whose rounding is kept in r_lo; r_lo·e^r ≈ r_lo·(1 + r) joins the tail.
#[inline(always)]
pub(crate) fn expm1_neg_pair<V: F32s>(z: V, z_lo: V) -> (V, V) {
    let z = V::splat(-87.0).max_or(z);
    let t = z.mul_add(V::splat(LOG2_E), V::splat(ROUND_MAGIC));
    let n = t - V::splat(ROUND_MAGIC);
    let r_hi = (-n).mul_add(V::splat(LN2_HI), z);
    let r = (-n).mul_add(V::splat(LN2_LO), r_hi);
    let r_lo = (-n).mul_add(V::splat(LN2_LO), r_hi - r) + z_lo;
    // e^r − 1 = p + p_lo.
    let r2 = r * r;
    let r2_lo = r.mul_add(r, -r2);
    let half = V::splat(0.5);
    let h = r2 * half;
    let p = r + h;
    let p_err = h - (p - r);
    let mut q = V::splat(EXPM1_Q[5]);
    for &c in EXPM1_Q[..5].iter().rev() {
        q = q.mul_add(r, V::splat(c));
    }
    let p_lo = r2.mul_add(r * q, r2_lo.mul_add(half, p_err)) + r_lo.mul_add(r, r_lo);
    // (2^n − 1) + 2^n·(p + p_lo).
    let one = V::splat(1.0);
    let u = V::pow2(n);
    let s1 = u - one;
    let t1 = u - (s1 + one);
    let v = u * p;
    let s2 = s1 + v;
    let t2 = v - (s2 - s1);
    (s2, u.mul_add(p_lo, t1 + t2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bits of the tables: T_HI[j] + T_LO[j] is 2^(j/16) to 2^−49 (checked in f64).
    #[test]
    fn tables_are_powers_of_two() {
        for j in 0..16 {
            let exact = (j as f64 / 16.0).exp2();
            let pair = T_HI[j] as f64 + T_LO[j] as f64;
            assert!(((pair - exact) / exact).abs() < 2f64.powi(-48), "j = {j}");
            assert_eq!(T_HI[j], exact as f32, "j = {j}");
        }
        assert_eq!((L_HI.to_bits() & 0xfff), 0, "L_HI has 12 significant bits");
    }

    /// The pair against f64's exp on every f32 in [−110, 0] with a stride.
    #[test]
    fn relative_error_below_2_pow_minus_27() {
        let mut worst = 0.0f64;
        let mut bits = 0x8000_0000u32;
        while bits <= 110f32.to_bits() | 0x8000_0000 {
            let z = f32::from_bits(bits);
            let (hi, lo, k) = exp_parts_neg(z);
            let got = (hi as f64 + lo as f64) * (k as f64).exp2();
            let exact = (z as f64).exp();
            worst = worst.max(((got - exact) / exact).abs());
            bits += 97;
        }
        eprintln!("exp_parts_neg worst 2^{}", worst.log2());
        assert!(
            worst < 2f64.powi(-27),
            "worst {worst:e} = 2^{}",
            worst.log2()
        );
    }

    /// q + qρ against 1/(1 + E) in f64, E = 2^k(hi + lo) the pair it was given, on every f32
    /// in [−110, 0] with a stride: within 2^−30 relative, and |ρ| < 2^−21.
    #[test]
    fn reciprocal_of_one_plus_exp_within_2_pow_minus_30() {
        let mut worst = 0.0f64;
        let mut largest_rho = 0.0f64;
        let mut bits = 0x8000_0000u32;
        while bits <= 110f32.to_bits() | 0x8000_0000 {
            let (hi, lo, k) = exp_parts_neg(f32::from_bits(bits));
            let (q, rho) = reciprocal_of_one_plus_exp(hi, lo, k);
            let got = q as f64 + q as f64 * rho as f64;
            let exact = 1.0 / (1.0 + (hi as f64 + lo as f64) * (k as f64).exp2());
            worst = worst.max(((got - exact) / exact).abs());
            largest_rho = largest_rho.max((rho as f64).abs());
            bits += 89;
        }
        eprintln!(
            "reciprocal_of_one_plus_exp worst 2^{}, |ρ| ≤ 2^{}",
            worst.log2(),
            largest_rho.log2()
        );
        assert!(worst < 2f64.powi(-30), "worst 2^{}", worst.log2());
        assert!(largest_rho < 2f64.powi(-21), "|ρ| 2^{}", largest_rho.log2());
    }

    /// The pair against f64's exp_m1 on every f32 in [−90, 0] with a stride, and near 0.
    #[test]
    fn expm1_pair_relative_error_below_2_pow_minus_27() {
        let mut worst = 0.0f64;
        let mut check = |z: f32| {
            let (s, t) = expm1_neg_pair(z, 0.0);
            let got = s as f64 + t as f64;
            let exact = (z as f64).exp_m1();
            if exact != 0.0 {
                worst = worst.max(((got - exact) / exact).abs());
            }
        };
        let mut bits = 0x8000_0001u32;
        while bits <= 90f32.to_bits() | 0x8000_0000 {
            check(f32::from_bits(bits));
            bits += 61;
        }
        for i in 1..100_000u32 {
            check(-(i as f32) * 1e-5);
        }
        eprintln!("expm1_neg_pair worst 2^{}", worst.log2());
        assert!(
            worst < 2f64.powi(-27),
            "worst {worst:e} = 2^{}",
            worst.log2()
        );
    }
}
