//! log(1 + E) for 0 ≤ E ≤ 1 given as an `f32` pair, returned as an `f32` pair: the kernel of
//! the `f32`-lane log-sigmoid.
//!
//! **Method.** u = 1 + E = u_hi + u_lo exactly (FastTwoSum). With c = 1 + j/16 the table
//! point nearest u_hi (j ≤ 15), log u = log c + log(1 + r), r = (u − c)/c: u_hi − c is exact
//! (Sterbenz), and r = (u_hi − c)·(1/c) + u_lo/c with 1/c as an `f32` pair, so r = r_hi + r_lo
//! to about 2^−48 relative. |r| ≤ 1/31, and log(1 + r) = r + r²·P(r), P the Taylor series to
//! r⁴ (remainder below 2^−32·|r|). log c is an `f32` pair; log c + r_hi is a FastTwoSum
//! (log c ≥ 0.06 > |r| for j ≥ 1, and log c = 0 for j = 0, where r = E itself and the
//! relative accuracy of log1p(E) for tiny E is kept). Relative error below 2^−28.

use crate::simd32::F32s;

const INV_HI: [f32; 16] = [
    1.0, 0.9411765, 0.8888889, 0.84210527, 0.8, 0.7619048, 0.72727275, 0.6956522, 0.6666667, 0.64,
    0.61538464, 0.5925926, 0.5714286, 0.55172414, 0.53333336, 0.516129,
];
const INV_LO: [f32; 16] = [
    0.0,
    -3.5061556e-09,
    -6.6227384e-09,
    -6.274173e-09,
    -1.1920929e-08,
    -1.4191582e-08,
    -2.1674417e-08,
    -1.2957531e-08,
    -1.9868216e-08,
    1.4305114e-08,
    -2.2924864e-08,
    -4.415159e-09,
    -2.5544848e-08,
    2.0553326e-09,
    -2.7815501e-08,
    1.5381843e-08,
];
const LOG_HI: [f32; 16] = [
    0.0, 0.06062462, 0.11778303, 0.17185026, 0.22314355, 0.2719337, 0.31845373, 0.3629055,
    0.4054651, 0.4462871, 0.48550782, 0.52324814, 0.5596158, 0.59470713, 0.62860864, 0.6613985,
];
const LOG_LO: [f32; 16] = [
    0.0,
    7.905942e-12,
    3.2986907e-09,
    -7.145759e-09,
    3.5408485e-09,
    1.0869003e-08,
    1.9658553e-09,
    -8.629968e-09,
    1.1872889e-08,
    7.081697e-09,
    -2.945779e-10,
    7.720999e-09,
    -2.908541e-09,
    -2.363911e-08,
    1.5413738e-08,
    1.1843601e-08,
];

/// 1.5·2^23: adding it rounds a value below 2^22 to an integer held in the low mantissa bits.
const ROUND_MAGIC: f32 = 12_582_912.0;

/// log(1 + e + e_err) for 0 ≤ e ≤ 1 and a normalised pair (|e_err| ≤ ulp(e)/2), as a pair.
#[inline(always)]
pub(crate) fn log1p_pair<V: F32s>(e: V, e_err: V) -> (V, V) {
    let one = V::splat(1.0);
    let u = one + e;
    let u_lo = (e - (u - one)) + e_err;
    // j = round(16(u − 1)) ≤ 15 (u = 2 takes j = 15, |r| = 1/31).
    let j = (u - one) * V::splat(16.0);
    let j = V::splat(15.0).min_or(j);
    let m = j + V::splat(ROUND_MAGIC);
    let c = (m - V::splat(ROUND_MAGIC)).mul_add(V::splat(0.0625), one);
    let d = u - c;
    let inv = V::lookup16(&INV_HI, m);
    let r = d * inv;
    let r_lo = d.mul_add(inv, -r) + d.mul_add(V::lookup16(&INV_LO, m), u_lo * inv);
    // Near u = 1 (c = 1), r is E itself: take the normalised input pair rather than
    // u − 1 and u's rounding error, which can be half as large as r.
    let first = j.lt(V::splat(0.5));
    let (r, r_lo) = (V::select(first, e, r), V::select(first, e_err, r_lo));
    // The series' argument is the whole r: for tiny E, r_hi is 0 and r_lo carries E.
    let rs = r + r_lo;
    let p = rs.mul_add(V::splat(-1.0 / 6.0), V::splat(0.2));
    let p = p.mul_add(rs, V::splat(-0.25));
    let p = p.mul_add(rs, V::splat(1.0 / 3.0));
    let p = p.mul_add(rs, V::splat(-0.5));
    let lc = V::lookup16(&LOG_HI, m);
    let l = lc + r;
    let l_err = r - (l - lc);
    let l_lo = l_err + (V::lookup16(&LOG_LO, m) + (r_lo + (rs * rs) * p));
    (l, l_lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against f64's ln_1p on a grid of e over (0, 1] (tiny e included): the pair is within
    /// 2^−27 relative, except where it is one rounded `f32` (tiny E: log c = 0, r_hi = 0 and
    /// the value sits in the low part), where it must be log1p(E) correctly rounded.
    #[test]
    fn relative_error() {
        let mut worst = 0.0f64;
        let mut check = |e: f32| {
            let (l, l_lo) = log1p_pair(e, 0.0);
            let got = l as f64 + l_lo as f64;
            let exact = (e as f64).ln_1p();
            let err = ((got - exact) / exact).abs();
            if l == 0.0 {
                assert_eq!(l_lo, exact as f32, "e = {e:e}");
            } else {
                worst = worst.max(err);
            }
        };
        let mut e = 1e-30f32;
        while e <= 1.0 {
            check(e);
            e = if e < 1e-3 {
                e * 1.01
            } else {
                e + 1.0 / 65536.0 + e * 1e-5
            };
        }
        for e in [0.5f32, 0.999_999_94, 1.0] {
            check(e);
        }
        eprintln!("log1p_pair worst 2^{}", worst.log2());
        assert!(worst < 2f64.powi(-27), "worst 2^{}", worst.log2());
    }
}
