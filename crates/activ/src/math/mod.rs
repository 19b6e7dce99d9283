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

// MPFR is a dev-dependency on x86-64 only, so the reference tests that draw from this
// generator run there.
/// SplitMix64: a tiny deterministic generator.
#[cfg(all(test, target_arch = "x86_64"))]
pub(crate) struct Rng(pub(crate) u64);

#[cfg(all(test, target_arch = "x86_64"))]
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
    /// Uniform integer in [lo, hi].
    pub(crate) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    /// ±2^e·(1 + u): a random double in a random binade of [2^lo, 2^(hi+1)).
    pub(crate) fn binade(&mut self, lo: i64, hi: i64, signed: bool) -> f64 {
        let e = self.int(lo, hi);
        let mant = self.next() & ((1u64 << 52) - 1);
        let x = if e < -1022 {
            // Subnormal: 2^e is bit e + 1074, followed by the top mantissa bits.
            let s = (e + 1074) as u32;
            f64::from_bits((1u64 << s) | (mant >> (52 - s)))
        } else {
            f64::from_bits((((e + 1023) as u64) << 52) | mant)
        };
        if signed && self.next() & 1 == 1 {
            -x
        } else {
            x
        }
    }
}
