//! TEMPORARY STUB — being replaced by the real kernel.
#![allow(dead_code)]

#[inline(always)]
pub(crate) fn ln(x: f64) -> f64 {
    x.ln()
}

#[inline(always)]
pub(crate) fn ln1p(x: f64) -> f64 {
    x.ln_1p()
}

/// `ln(1 + x)` as a double-double `hi + lo`.
#[inline(always)]
pub(crate) fn ln1p_dd(x: f64, x_lo: f64) -> (f64, f64) {
    let x = x + x_lo;
    (x.ln_1p(), 0.0)
}
