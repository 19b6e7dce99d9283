//! TEMPORARY STUB — being replaced by the real kernel.
#![allow(dead_code)]

#[inline(always)]
pub(crate) fn erfc_parts(t_hi: f64, t_lo: f64) -> (f64, i64) {
    let _ = t_lo;
    (1.0 - erf_series(t_hi), 0)
}

fn erf_series(x: f64) -> f64 {
    // crude placeholder
    (x * 1.1283791670955126).tanh()
}

#[inline(always)]
pub(crate) fn erf(x: f64) -> f64 {
    erf_series(x)
}

#[inline(always)]
pub(crate) fn erfc(x: f64) -> f64 {
    1.0 - erf_series(x)
}
