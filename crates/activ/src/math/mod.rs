//! activ's own elementary-function kernels, in `f64`.
//!
//! Every kernel is straight-line code: fused multiply-adds, integer operations on the bit
//! pattern, and selects (`if c { a } else { b }` on values both already computed). No
//! kernel branches on its data or calls libm, so the same sequence of IEEE operations can
//! run in SIMD lanes and give the same bits as the scalar form.
//!
//! The kernels are written over lanes ([`crate::simd::F64s`], [`crate::simd32::F32s`]) so
//! the same steps run on one value and in AVX2/AVX-512 registers. The `f64` functions run
//! the double-double kernels (`exp`, `log`, `erf`) where a bound needs them (logsumexp,
//! logit, the backward passes) and the plain-`f64` ones (`exp`'s `*_lean*`, `log`'s
//! `log1p_lean_pair_lanes`, `gauss_tail64`), which carry a few bits beyond 53 as unrounded
//! pairs, elsewhere. The `f32` functions run on `f32` lanes (`exp32`, `log32`,
//! `gauss_tail32`) or the lighter `lean` kernels in `f64`, and round once at the end.

pub(crate) mod dd;
pub(crate) mod erf;
pub(crate) mod exp;
pub(crate) mod exp32;
pub(crate) mod gauss_tail32;
pub(crate) mod gauss_tail64;
pub(crate) mod lean;
pub(crate) mod log;
pub(crate) mod log32;
pub(crate) mod roots;

/// Neighbours of `x` for the kernels' tests: ±`n` steps in the bit pattern.
#[cfg(test)]
pub(crate) fn around(x: f64, n: u64) -> impl Iterator<Item = f64> {
    let b = x.to_bits();
    (b.saturating_sub(n)..=b.saturating_add(n)).map(f64::from_bits)
}
