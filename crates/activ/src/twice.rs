//! Two vectors of lanes advanced together, operation by operation.
//!
//! The AVX-512 lane loops of [`crate::dispatch`] run the longer kernels, and every
//! derivative kernel, on `Twice<Twice<V>>` (softmax's exponential pass on `Twice<V>`): each
//! operation of the kernel then appears four times in a row in the instruction stream, once
//! per independent vector. A kernel is one long dependency chain (an exponential, a
//! division, the error terms of a pair), and the out-of-order core only overlaps what is
//! near in program order; calling the kernel on four vectors one after another leaves the
//! compiled code with one chain at a time. Measured on the AVX-512 path (n = 65536,
//! `activ bench`, the same binary with and without, one run): f32 log-sigmoid 0.95 → 1.16,
//! softplus 0.92 → 1.20, gelu-tanh 1.05 → 1.25, tanh and SiLU +5–9 %; f64 log-sigmoid
//! 0.136 → 0.211, Mish 0.153 → 0.215, ELU 0.357 → 0.466, tanh, GELU, softplus +16–22 %.
//! Sigmoid, the rectifiers, the short kernels and the `f32` kernels on `f64` lanes (Mish,
//! logit) gained nothing or lost up to 17 % (hard-sigmoid), so each kernel says which loop
//! it wants (`INTERLEAVED` in `elementwise`'s lane traits, `(interleaved)` in
//! `unit_function!`). The AVX2 path interleaves four `f32` vectors
//! (`Twice<Twice<F32x8>>`) for the same kernels, plus sigmoid and GELU
//! (`INTERLEAVED_AVX2`), despite its 16 registers: on an AVX2-only AMD EPYC (Zen 3) four
//! beat two by 9–19 % and two beat one, and sigmoid and GELU gained 11 % and 7 %; none for
//! `f64`. On an AMD EPYC Zen 4 (AVX-512; every kernel interleaved against the choices
//! above, one run, n = 65536) the `f64` logit and logit_eps gained 52–56 %, `f64` sigmoid,
//! SiLU and softsign 4–7 %, the `f32` logit and logit_eps on `f64` lanes 4–18 % and the
//! `f32` GELU 4–5 % (two comparisons), so they are interleaved too; `f32` ELU, SELU and CELU lost 7 % and hard-sigmoid 11 %. The
//! `f64` kernels may also ask for two vectors (`Twice<V>`, `LanesF64::INTERLEAVE`): four
//! chains of double-double pairs need more than AVX-512's 32 registers, and the `f64`
//! sigmoid's double-double kernel, which spilled with four, ran 12–20 % faster with two
//! there (its plain-`f64` kernel of 2026-12-07 runs alike with two and four; the other `f64`
//! kernels ran up to 18 % slower with two than with four, tanh and GELU-tanh within 1 %).
//!
//! Every method applies `V`'s own method to each half, so each lane computes exactly what
//! `V` computes, and the bit-identity of the paths carries over.

use crate::simd::F64s;
use crate::simd32::F32s;
use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

/// Two vectors of lanes: `self.0` holds the first `V::LANES` elements, `self.1` the next.
#[derive(Clone, Copy)]
pub(crate) struct Twice<V>(pub(crate) V, pub(crate) V);

macro_rules! twice_binop {
    ($Tr:ident, $m:ident) => {
        impl<V: $Tr<Output = V>> $Tr for Twice<V> {
            type Output = Twice<V>;
            #[inline(always)]
            fn $m(self, o: Self) -> Self {
                Twice(self.0.$m(o.0), self.1.$m(o.1))
            }
        }
    };
}
twice_binop!(Add, add);
twice_binop!(Sub, sub);
twice_binop!(Mul, mul);
twice_binop!(Div, div);
twice_binop!(BitAnd, bitand);
twice_binop!(BitOr, bitor);

impl<V: Neg<Output = V>> Neg for Twice<V> {
    type Output = Twice<V>;
    #[inline(always)]
    fn neg(self) -> Self {
        Twice(-self.0, -self.1)
    }
}

impl<V: Not<Output = V>> Not for Twice<V> {
    type Output = Twice<V>;
    #[inline(always)]
    fn not(self) -> Self {
        Twice(!self.0, !self.1)
    }
}

/// The methods that `F32s` and `F64s` share, for `Twice<V>`: each applies `V`'s method to
/// both halves.
macro_rules! shared_lane_methods {
    ($scalar:ty) => {
        const LANES: usize = 2 * V::LANES;
        type Mask = Twice<V::Mask>;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            Twice(V::load_f32(x), V::load_f32(&x[V::LANES..]))
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            self.0.store_f32(y);
            self.1.store_f32(&mut y[V::LANES..]);
        }
        #[inline(always)]
        fn splat(v: $scalar) -> Self {
            Twice(V::splat(v), V::splat(v))
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            Twice(self.0.mul_add(a.0, b.0), self.1.mul_add(a.1, b.1))
        }
        #[inline(always)]
        fn abs(self) -> Self {
            Twice(self.0.abs(), self.1.abs())
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            Twice(self.0.copysign(sign.0), self.1.copysign(sign.1))
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Self::Mask {
            Twice(self.0.lt(o.0), self.1.lt(o.1))
        }
        #[inline(always)]
        fn le(self, o: Self) -> Self::Mask {
            Twice(self.0.le(o.0), self.1.le(o.1))
        }
        #[inline(always)]
        fn eq(self, o: Self) -> Self::Mask {
            Twice(self.0.eq(o.0), self.1.eq(o.1))
        }
        #[inline(always)]
        fn is_nan(self) -> Self::Mask {
            Twice(self.0.is_nan(), self.1.is_nan())
        }
        #[inline(always)]
        fn select(m: Self::Mask, a: Self, b: Self) -> Self {
            Twice(V::select(m.0, a.0, b.0), V::select(m.1, a.1, b.1))
        }
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            Twice(self.0.max_or(x.0), self.1.max_or(x.1))
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            Twice(self.0.min_or(x.0), self.1.min_or(x.1))
        }
        #[inline(always)]
        fn floor(self) -> Self {
            Twice(self.0.floor(), self.1.floor())
        }
        #[inline(always)]
        fn lookup16(table: &[$scalar; 16], i: Self) -> Self {
            Twice(V::lookup16(table, i.0), V::lookup16(table, i.1))
        }
        #[inline(always)]
        fn gt(self, o: Self) -> Self::Mask {
            Twice(self.0.gt(o.0), self.1.gt(o.1))
        }
        #[inline(always)]
        fn ge(self, o: Self) -> Self::Mask {
            Twice(self.0.ge(o.0), self.1.ge(o.1))
        }
    };
}

impl<V: F32s> F32s for Twice<V> {
    shared_lane_methods!(f32);
    #[inline(always)]
    fn shl23(self) -> Self {
        Twice(self.0.shl23(), self.1.shl23())
    }
    #[inline(always)]
    fn scale(self, k: Self) -> Self {
        Twice(self.0.scale(k.0), self.1.scale(k.1))
    }
    #[inline(always)]
    fn pow2(k: Self) -> Self {
        Twice(V::pow2(k.0), V::pow2(k.1))
    }
    #[inline(always)]
    fn scale_in_two_steps(self, k: Self) -> Self {
        Twice(
            self.0.scale_in_two_steps(k.0),
            self.1.scale_in_two_steps(k.1),
        )
    }
}

impl<V: F64s> F64s for Twice<V> {
    shared_lane_methods!(f64);
    #[inline(always)]
    fn write_f64(self, out: &mut [f64]) {
        self.0.write_f64(out);
        self.1.write_f64(&mut out[V::LANES..]);
    }
    #[inline(always)]
    fn load_f64(x: &[f64]) -> Self {
        Twice(V::load_f64(x), V::load_f64(&x[V::LANES..]))
    }
    #[inline(always)]
    fn shl52(self) -> Self {
        Twice(self.0.shl52(), self.1.shl52())
    }
    #[inline(always)]
    fn shr52(self) -> Self {
        Twice(self.0.shr52(), self.1.shr52())
    }
    #[inline(always)]
    fn bits_and(self, o: Self) -> Self {
        Twice(self.0.bits_and(o.0), self.1.bits_and(o.1))
    }
    #[inline(always)]
    fn bits_or(self, o: Self) -> Self {
        Twice(self.0.bits_or(o.0), self.1.bits_or(o.1))
    }
}

/// [`F32s::store_f32`] with a non-temporal store (see `dispatch::stream_start`). The loops
/// pass a `y` aligned to the vector's width; any other goes through a plain store.
#[cfg(target_arch = "x86_64")]
pub(crate) trait StreamF32: F32s {
    /// Writes the lanes to `y[..LANES]`, bypassing the caches when `y` is aligned.
    fn stream_f32(self, y: &mut [f32]);
}

#[cfg(target_arch = "x86_64")]
impl<V: StreamF32> StreamF32 for Twice<V> {
    #[inline(always)]
    fn stream_f32(self, y: &mut [f32]) {
        self.0.stream_f32(y);
        self.1.stream_f32(&mut y[V::LANES..]);
    }
}

/// Non-temporal stores of `f64` lanes (see `dispatch::stream_start`): the `f32` results of an
/// `f32` kernel on `f64` lanes, or `f64` results. The loops pass a `y` aligned to the
/// stored width; any other goes through a plain store.
#[cfg(target_arch = "x86_64")]
pub(crate) trait StreamF64Lanes: F64s {
    /// [`F64s::store_f32`], bypassing the caches when `y` is aligned.
    fn stream_f32(self, y: &mut [f32]);
    /// [`F64s::write_f64`], bypassing the caches when `out` is aligned.
    fn stream_f64(self, out: &mut [f64]);
}

#[cfg(target_arch = "x86_64")]
impl<V: StreamF64Lanes> StreamF64Lanes for Twice<V> {
    #[inline(always)]
    fn stream_f32(self, y: &mut [f32]) {
        self.0.stream_f32(y);
        self.1.stream_f32(&mut y[V::LANES..]);
    }
    #[inline(always)]
    fn stream_f64(self, out: &mut [f64]) {
        self.0.stream_f64(out);
        self.1.stream_f64(&mut out[V::LANES..]);
    }
}
