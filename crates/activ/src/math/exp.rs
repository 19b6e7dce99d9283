//! TEMPORARY STUB — being replaced by the real kernel.
#![allow(dead_code)]

/// `e^(x + x_lo) = (hi + lo) · 2^k`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExpParts {
    pub hi: f64,
    pub lo: f64,
    pub k: i64,
}

#[inline(always)]
pub(crate) fn exp_parts(x: f64, x_lo: f64) -> ExpParts {
    let k = (x * core::f64::consts::LOG2_E)
        .round()
        .clamp(-1500.0, 1500.0);
    let r = x - k * core::f64::consts::LN_2 + x_lo;
    ExpParts {
        hi: r.exp(),
        lo: 0.0,
        k: k as i64,
    }
}

#[inline(always)]
pub(crate) fn ldexp(y: f64, k: i64) -> f64 {
    let k1 = k / 2;
    let k2 = k - k1;
    y * 2f64.powi(k1 as i32) * 2f64.powi(k2 as i32)
}

#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    x.exp()
}

#[inline(always)]
pub(crate) fn expm1(x: f64) -> f64 {
    x.exp_m1()
}
