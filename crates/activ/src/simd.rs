//! Lanes of `f64`: the one vocabulary the `f32` kernels are written in.
//!
//! A kernel is a generic function of `V: F64s`. It is instantiated with `V = f64` for the
//! scalar form and the portable loop, with [`F64x4`] (AVX2+FMA) and with [`F64x8`]
//! (AVX-512) for the vector loops. Every operation here is one IEEE 754 operation that is
//! correctly rounded (add, sub, mul, div, fma, compares, selects, sign and bit moves), so
//! each lane computes exactly what the scalar instantiation computes: the paths agree bit
//! for bit by construction, and the tests check it.
//!
//! Why `std::arch` and not a crate: the operations needed are few, the mapping to
//! instructions must be exact (no approximate reciprocal, no reassociation), and the core
//! crate takes no dependencies. Each vector type can only be built inside a function that
//! the dispatcher calls after detecting the CPU features, so the `unsafe` intrinsic calls
//! below never run on a CPU that lacks them.
#![allow(unsafe_code)]

use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

/// Lanes of `f64` with a lane mask.
pub(crate) trait F64s:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The number of lanes.
    const LANES: usize;
    /// Widens `x[..LANES]` to `f64`.
    fn load_f32(x: &[f32]) -> Self;
    /// Rounds to `f32` (to nearest, ties to even) into `y[..LANES]`.
    fn store_f32(self, y: &mut [f32]);
    /// Writes the lanes to `out[..LANES]`.
    fn write_f64(self, out: &mut [f64]);
    /// Reads `x[..LANES]`.
    fn load_f64(x: &[f64]) -> Self;
    /// One boolean per lane.
    type Mask: Copy
        + BitAnd<Output = Self::Mask>
        + BitOr<Output = Self::Mask>
        + Not<Output = Self::Mask>;
    /// Every lane `v`.
    fn splat(v: f64) -> Self;
    /// `self · a + b`, rounded once.
    fn mul_add(self, a: Self, b: Self) -> Self;
    /// `|self|`.
    fn abs(self) -> Self;
    /// `|self|` with the sign of `sign`.
    fn copysign(self, sign: Self) -> Self;
    /// `self < o` (false for NaN).
    fn lt(self, o: Self) -> Self::Mask;
    /// `self <= o` (false for NaN).
    fn le(self, o: Self) -> Self::Mask;
    /// `self == o` (false for NaN).
    fn eq(self, o: Self) -> Self::Mask;
    /// `self != self`.
    fn is_nan(self) -> Self::Mask;
    /// Lane-wise `if m { a } else { b }`.
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    /// `if self > x { self } else { x }`: x86's `maxpd(self, x)`, so a NaN `x` passes
    /// through. With `self` a bound, a clamp from below in one instruction.
    fn max_or(self, x: Self) -> Self;
    /// `if self < x { self } else { x }`: x86's `minpd(self, x)`; a NaN `x` passes through.
    fn min_or(self, x: Self) -> Self;
    /// ⌊self⌋ (exact).
    fn floor(self) -> Self;
    /// `table[i]` per lane for an integer-valued `i` in 0..16 (any other value reads some
    /// entry of the table, never outside it).
    fn lookup16(table: &[f64; 16], i: Self) -> Self;
    /// The bit pattern shifted left by 52: turns `2^52·1.5 + n` into the exponent field `n`.
    fn shl52(self) -> Self;
    /// The bit pattern shifted right by 52 (logical): the biased exponent of a positive value.
    fn shr52(self) -> Self;
    /// Bitwise and of the patterns.
    fn bits_and(self, o: Self) -> Self;
    /// Bitwise or of the patterns.
    fn bits_or(self, o: Self) -> Self;

    /// `self > o` (false for NaN).
    #[inline(always)]
    fn gt(self, o: Self) -> Self::Mask {
        o.lt(self)
    }
    /// `self >= o` (false for NaN).
    #[inline(always)]
    fn ge(self, o: Self) -> Self::Mask {
        o.le(self)
    }
}

impl F64s for f64 {
    const LANES: usize = 1;
    #[inline(always)]
    fn load_f32(x: &[f32]) -> Self {
        x[0] as f64
    }
    #[inline(always)]
    fn store_f32(self, y: &mut [f32]) {
        y[0] = self as f32;
    }
    #[inline(always)]
    fn write_f64(self, out: &mut [f64]) {
        out[0] = self;
    }
    #[inline(always)]
    fn load_f64(x: &[f64]) -> Self {
        x[0]
    }
    type Mask = bool;
    #[inline(always)]
    fn splat(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        f64::mul_add(self, a, b)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f64::copysign(self, sign)
    }
    #[inline(always)]
    fn lt(self, o: Self) -> bool {
        self < o
    }
    #[inline(always)]
    fn le(self, o: Self) -> bool {
        self <= o
    }
    #[inline(always)]
    fn eq(self, o: Self) -> bool {
        self == o
    }
    #[inline(always)]
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    #[inline(always)]
    fn select(m: bool, a: Self, b: Self) -> Self {
        if m {
            a
        } else {
            b
        }
    }
    #[inline(always)]
    fn floor(self) -> Self {
        f64::floor(self)
    }
    #[inline(always)]
    fn lookup16(table: &[f64; 16], i: Self) -> Self {
        table[(i as usize) & 15]
    }
    #[inline(always)]
    fn max_or(self, x: Self) -> Self {
        if self > x {
            self
        } else {
            x
        }
    }
    #[inline(always)]
    fn min_or(self, x: Self) -> Self {
        if self < x {
            self
        } else {
            x
        }
    }
    #[inline(always)]
    fn shl52(self) -> Self {
        f64::from_bits(self.to_bits() << 52)
    }
    #[inline(always)]
    fn shr52(self) -> Self {
        f64::from_bits(self.to_bits() >> 52)
    }
    #[inline(always)]
    fn bits_and(self, o: Self) -> Self {
        f64::from_bits(self.to_bits() & o.to_bits())
    }
    #[inline(always)]
    fn bits_or(self, o: Self) -> Self {
        f64::from_bits(self.to_bits() | o.to_bits())
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use x86::{F64x4, F64x8};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::F64s;
    use core::arch::x86_64::*;
    use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

    /// Four `f64` lanes in an AVX register. Built only on the AVX2+FMA path.
    #[derive(Clone, Copy)]
    pub(crate) struct F64x4(__m256d);

    /// The AVX2 lane mask: all ones or all zeros per lane.
    #[derive(Clone, Copy)]
    pub(crate) struct Mask4(__m256d);

    /// Eight `f64` lanes in an AVX-512 register. Built only on the AVX-512 path.
    #[derive(Clone, Copy)]
    pub(crate) struct F64x8(__m512d);

    // SAFETY (every `unsafe` block in this module): the intrinsics need AVX, AVX2, FMA or
    // AVX-512F/DQ. `F64x4`/`Mask4` values exist only inside the AVX2+FMA loops and `F64x8`
    // only inside the AVX-512 loops of `dispatch`, which run after
    // `is_x86_feature_detected!` confirmed those features; the intrinsics take and return
    // registers only, and the loads and stores are bounds-checked (see `load`/`store`).

    macro_rules! binop4 {
        ($Tr:ident, $m:ident, $intr:ident) => {
            impl $Tr for F64x4 {
                type Output = F64x4;
                #[inline(always)]
                fn $m(self, o: F64x4) -> F64x4 {
                    // SAFETY: see the module note.
                    F64x4(unsafe { $intr(self.0, o.0) })
                }
            }
        };
    }
    binop4!(Add, add, _mm256_add_pd);
    binop4!(Sub, sub, _mm256_sub_pd);
    binop4!(Mul, mul, _mm256_mul_pd);
    binop4!(Div, div, _mm256_div_pd);

    impl Neg for F64x4 {
        type Output = F64x4;
        #[inline(always)]
        fn neg(self) -> F64x4 {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_xor_pd(self.0, _mm256_set1_pd(-0.0)) })
        }
    }

    macro_rules! maskop4 {
        ($Tr:ident, $m:ident, $intr:ident) => {
            impl $Tr for Mask4 {
                type Output = Mask4;
                #[inline(always)]
                fn $m(self, o: Mask4) -> Mask4 {
                    // SAFETY: see the module note.
                    Mask4(unsafe { $intr(self.0, o.0) })
                }
            }
        };
    }
    maskop4!(BitAnd, bitand, _mm256_and_pd);
    maskop4!(BitOr, bitor, _mm256_or_pd);

    impl Not for Mask4 {
        type Output = Mask4;
        #[inline(always)]
        fn not(self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { _mm256_xor_pd(self.0, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))) })
        }
    }

    impl F64s for F64x4 {
        const LANES: usize = 4;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            F64x4::load_f32(x)
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            F64x4::store_f32(self, y)
        }
        #[inline(always)]
        fn write_f64(self, out: &mut [f64]) {
            let out: &mut [f64; 4] = (&mut out[..4]).try_into().expect("4 lanes");
            // SAFETY: see the module note; `out` is 4 writable doubles.
            unsafe { _mm256_storeu_pd(out.as_mut_ptr(), self.0) }
        }
        #[inline(always)]
        fn load_f64(x: &[f64]) -> Self {
            let x: &[f64; 4] = x[..4].try_into().expect("4 lanes");
            // SAFETY: see the module note; `x` is 4 readable doubles.
            F64x4(unsafe { _mm256_loadu_pd(x.as_ptr()) })
        }
        type Mask = Mask4;
        #[inline(always)]
        fn splat(v: f64) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_set1_pd(v) })
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_fmadd_pd(self.0, a.0, b.0) })
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_andnot_pd(_mm256_set1_pd(-0.0), self.0) })
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            // SAFETY: see the module note.
            unsafe {
                let s = _mm256_set1_pd(-0.0);
                F64x4(_mm256_or_pd(
                    _mm256_andnot_pd(s, self.0),
                    _mm256_and_pd(s, sign.0),
                ))
            }
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { _mm256_cmp_pd::<_CMP_LT_OQ>(self.0, o.0) })
        }
        #[inline(always)]
        fn le(self, o: Self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { _mm256_cmp_pd::<_CMP_LE_OQ>(self.0, o.0) })
        }
        #[inline(always)]
        fn eq(self, o: Self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { _mm256_cmp_pd::<_CMP_EQ_OQ>(self.0, o.0) })
        }
        #[inline(always)]
        fn is_nan(self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { _mm256_cmp_pd::<_CMP_UNORD_Q>(self.0, self.0) })
        }
        #[inline(always)]
        fn select(m: Mask4, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_blendv_pd(b.0, a.0, m.0) })
        }
        #[inline(always)]
        fn floor(self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe {
                _mm256_round_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(self.0)
            })
        }
        #[inline(always)]
        fn lookup16(table: &[f64; 16], i: Self) -> Self {
            // SAFETY: see the module note. The indices are masked to 0..16, inside `table`.
            unsafe {
                let bits =
                    _mm256_castpd_si256(_mm256_add_pd(i.0, _mm256_set1_pd(4503599627370496.0)));
                let idx = _mm256_and_si256(bits, _mm256_set1_epi64x(15));
                F64x4(_mm256_i64gather_pd::<8>(table.as_ptr(), idx))
            }
        }
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_max_pd(self.0, x.0) })
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_min_pd(self.0, x.0) })
        }
        #[inline(always)]
        fn shl52(self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe {
                _mm256_castsi256_pd(_mm256_slli_epi64::<52>(_mm256_castpd_si256(self.0)))
            })
        }
        #[inline(always)]
        fn shr52(self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe {
                _mm256_castsi256_pd(_mm256_srli_epi64::<52>(_mm256_castpd_si256(self.0)))
            })
        }
        #[inline(always)]
        fn bits_and(self, o: Self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_and_pd(self.0, o.0) })
        }
        #[inline(always)]
        fn bits_or(self, o: Self) -> Self {
            // SAFETY: see the module note.
            F64x4(unsafe { _mm256_or_pd(self.0, o.0) })
        }
    }

    impl F64x4 {
        /// Widens `x[..4]` to `f64`.
        #[inline(always)]
        pub(crate) fn load_f32(x: &[f32]) -> Self {
            let x: &[f32; 4] = x[..4].try_into().expect("4 lanes");
            // SAFETY: see the module note; `x` is 4 readable floats.
            F64x4(unsafe { _mm256_cvtps_pd(_mm_loadu_ps(x.as_ptr())) })
        }
        /// Rounds to `f32` (to nearest, ties to even) into `y[..4]`.
        #[inline(always)]
        pub(crate) fn store_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 4] = (&mut y[..4]).try_into().expect("4 lanes");
            // SAFETY: see the module note; `y` is 4 writable floats.
            unsafe { _mm_storeu_ps(y.as_mut_ptr(), _mm256_cvtpd_ps(self.0)) }
        }
    }

    impl crate::twice::StreamF64Lanes for F64x4 {
        /// [`Self::store_f32`] with a non-temporal store (see `dispatch::stream_start`).
        /// The loops pass a 16-byte aligned `y`; any other goes through a plain store.
        #[inline(always)]
        fn stream_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 4] = (&mut y[..4]).try_into().expect("4 lanes");
            if y.as_ptr().align_offset(16) != 0 {
                return self.store_f32(y);
            }
            // SAFETY: see the module note; `y` is 4 writable floats, 16-byte aligned.
            unsafe { _mm_stream_ps(y.as_mut_ptr(), _mm256_cvtpd_ps(self.0)) }
        }
        /// [`F64s::write_f64`] with a non-temporal store; 32-byte aligned, as above.
        #[inline(always)]
        fn stream_f64(self, out: &mut [f64]) {
            let out: &mut [f64; 4] = (&mut out[..4]).try_into().expect("4 lanes");
            if out.as_ptr().align_offset(32) != 0 {
                return self.write_f64(out);
            }
            // SAFETY: see the module note; `out` is 4 writable doubles, 32-byte aligned.
            unsafe { _mm256_stream_pd(out.as_mut_ptr(), self.0) }
        }
    }

    macro_rules! binop8 {
        ($Tr:ident, $m:ident, $intr:ident) => {
            impl $Tr for F64x8 {
                type Output = F64x8;
                #[inline(always)]
                fn $m(self, o: F64x8) -> F64x8 {
                    // SAFETY: see the module note.
                    F64x8(unsafe { $intr(self.0, o.0) })
                }
            }
        };
    }
    binop8!(Add, add, _mm512_add_pd);
    binop8!(Sub, sub, _mm512_sub_pd);
    binop8!(Mul, mul, _mm512_mul_pd);
    binop8!(Div, div, _mm512_div_pd);

    impl Neg for F64x8 {
        type Output = F64x8;
        #[inline(always)]
        fn neg(self) -> F64x8 {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_xor_pd(self.0, _mm512_set1_pd(-0.0)) })
        }
    }

    impl F64s for F64x8 {
        const LANES: usize = 8;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            F64x8::load_f32(x)
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            F64x8::store_f32(self, y)
        }
        #[inline(always)]
        fn write_f64(self, out: &mut [f64]) {
            let out: &mut [f64; 8] = (&mut out[..8]).try_into().expect("8 lanes");
            // SAFETY: see the module note; `out` is 8 writable doubles.
            unsafe { _mm512_storeu_pd(out.as_mut_ptr(), self.0) }
        }
        #[inline(always)]
        fn load_f64(x: &[f64]) -> Self {
            let x: &[f64; 8] = x[..8].try_into().expect("8 lanes");
            // SAFETY: see the module note; `x` is 8 readable doubles.
            F64x8(unsafe { _mm512_loadu_pd(x.as_ptr()) })
        }
        // AVX-512 compares produce a bit per lane; u8's `&`, `|` and `!` are the mask ops.
        type Mask = __mmask8;
        #[inline(always)]
        fn splat(v: f64) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_set1_pd(v) })
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_fmadd_pd(self.0, a.0, b.0) })
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_andnot_pd(_mm512_set1_pd(-0.0), self.0) })
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            // SAFETY: see the module note.
            unsafe {
                let s = _mm512_set1_pd(-0.0);
                F64x8(_mm512_or_pd(
                    _mm512_andnot_pd(s, self.0),
                    _mm512_and_pd(s, sign.0),
                ))
            }
        }
        #[inline(always)]
        fn lt(self, o: Self) -> __mmask8 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_pd_mask::<_CMP_LT_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn le(self, o: Self) -> __mmask8 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_pd_mask::<_CMP_LE_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn eq(self, o: Self) -> __mmask8 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn is_nan(self) -> __mmask8 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(self.0, self.0) }
        }
        #[inline(always)]
        fn select(m: __mmask8, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_mask_blend_pd(m, b.0, a.0) })
        }
        #[inline(always)]
        fn floor(self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe {
                _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(self.0)
            })
        }
        #[inline(always)]
        fn lookup16(table: &[f64; 16], i: Self) -> Self {
            // SAFETY: see the module note. The 16 entries are loaded whole; the permute reads
            // the low 4 bits of each index, so every lane picks one of them.
            unsafe {
                let lo = _mm512_loadu_pd(table.as_ptr());
                let hi = _mm512_loadu_pd(table.as_ptr().add(8));
                let idx =
                    _mm512_castpd_si512(_mm512_add_pd(i.0, _mm512_set1_pd(4503599627370496.0)));
                F64x8(_mm512_permutex2var_pd(lo, idx, hi))
            }
        }
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_max_pd(self.0, x.0) })
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_min_pd(self.0, x.0) })
        }
        #[inline(always)]
        fn shl52(self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe {
                _mm512_castsi512_pd(_mm512_slli_epi64::<52>(_mm512_castpd_si512(self.0)))
            })
        }
        #[inline(always)]
        fn shr52(self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe {
                _mm512_castsi512_pd(_mm512_srli_epi64::<52>(_mm512_castpd_si512(self.0)))
            })
        }
        #[inline(always)]
        fn bits_and(self, o: Self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_and_pd(self.0, o.0) })
        }
        #[inline(always)]
        fn bits_or(self, o: Self) -> Self {
            // SAFETY: see the module note.
            F64x8(unsafe { _mm512_or_pd(self.0, o.0) })
        }
    }

    impl F64x8 {
        /// Widens `x[..8]` to `f64`.
        #[inline(always)]
        pub(crate) fn load_f32(x: &[f32]) -> Self {
            let x: &[f32; 8] = x[..8].try_into().expect("8 lanes");
            // SAFETY: see the module note; `x` is 8 readable floats.
            F64x8(unsafe { _mm512_cvtps_pd(_mm256_loadu_ps(x.as_ptr())) })
        }
        /// Rounds to `f32` (to nearest, ties to even) into `y[..8]`.
        #[inline(always)]
        pub(crate) fn store_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 8] = (&mut y[..8]).try_into().expect("8 lanes");
            // SAFETY: see the module note; `y` is 8 writable floats.
            unsafe { _mm256_storeu_ps(y.as_mut_ptr(), _mm512_cvtpd_ps(self.0)) }
        }
    }

    impl crate::twice::StreamF64Lanes for F64x8 {
        /// [`Self::store_f32`] with a non-temporal store (see `dispatch::stream_start`).
        /// The loops pass a 32-byte aligned `y`; any other goes through a plain store.
        #[inline(always)]
        fn stream_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 8] = (&mut y[..8]).try_into().expect("8 lanes");
            if y.as_ptr().align_offset(32) != 0 {
                return self.store_f32(y);
            }
            // SAFETY: see the module note; `y` is 8 writable floats, 32-byte aligned.
            unsafe { _mm256_stream_ps(y.as_mut_ptr(), _mm512_cvtpd_ps(self.0)) }
        }
        /// [`F64s::write_f64`] with a non-temporal store; 64-byte aligned, as above.
        #[inline(always)]
        fn stream_f64(self, out: &mut [f64]) {
            let out: &mut [f64; 8] = (&mut out[..8]).try_into().expect("8 lanes");
            if out.as_ptr().align_offset(64) != 0 {
                return self.write_f64(out);
            }
            // SAFETY: see the module note; `out` is 8 writable doubles, 64-byte aligned.
            unsafe { _mm512_stream_pd(out.as_mut_ptr(), self.0) }
        }
    }
}

#[cfg(target_arch = "aarch64")]
pub(crate) use arm::F64x2;

/// NEON: part of the aarch64 baseline, so these types are usable in every aarch64 build and
/// the NEON path needs no run-time detection.
#[cfg(target_arch = "aarch64")]
mod arm {
    use super::F64s;
    use core::arch::aarch64::*;
    use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

    // SAFETY (every `unsafe` block in this module): the intrinsics need NEON, which every
    // aarch64 target this crate builds for enables; they take and return registers only,
    // and the loads and stores go through bounds-checked array references.

    /// Two `f64` lanes in a NEON register.
    #[derive(Clone, Copy)]
    pub(crate) struct F64x2(float64x2_t);

    /// The NEON lane mask: all ones or all zeros per lane.
    #[derive(Clone, Copy)]
    pub(crate) struct Mask2(uint64x2_t);

    macro_rules! binop {
        ($T:ident, $Tr:ident, $m:ident, $intr:ident) => {
            impl $Tr for $T {
                type Output = $T;
                #[inline(always)]
                fn $m(self, o: $T) -> $T {
                    // SAFETY: see the module note.
                    $T(unsafe { $intr(self.0, o.0) })
                }
            }
        };
    }
    binop!(F64x2, Add, add, vaddq_f64);
    binop!(F64x2, Sub, sub, vsubq_f64);
    binop!(F64x2, Mul, mul, vmulq_f64);
    binop!(F64x2, Div, div, vdivq_f64);
    binop!(Mask2, BitAnd, bitand, vandq_u64);
    binop!(Mask2, BitOr, bitor, vorrq_u64);

    impl Neg for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn neg(self) -> F64x2 {
            // SAFETY: see the module note.
            F64x2(unsafe { vnegq_f64(self.0) })
        }
    }

    impl Not for Mask2 {
        type Output = Mask2;
        #[inline(always)]
        fn not(self) -> Mask2 {
            // SAFETY: see the module note.
            Mask2(unsafe { veorq_u64(self.0, vdupq_n_u64(u64::MAX)) })
        }
    }

    #[inline(always)]
    fn bits(v: float64x2_t) -> uint64x2_t {
        // SAFETY: see the module note.
        unsafe { vreinterpretq_u64_f64(v) }
    }

    #[inline(always)]
    fn from_bits(v: uint64x2_t) -> F64x2 {
        // SAFETY: see the module note.
        F64x2(unsafe { vreinterpretq_f64_u64(v) })
    }

    impl F64s for F64x2 {
        const LANES: usize = 2;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            let x: &[f32; 2] = x[..2].try_into().expect("2 lanes");
            // SAFETY: `x` is 2 readable floats.
            F64x2(unsafe { vcvt_f64_f32(vld1_f32(x.as_ptr())) })
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 2] = (&mut y[..2]).try_into().expect("2 lanes");
            // SAFETY: `y` is 2 writable floats. FCVTN rounds to nearest, ties to even.
            unsafe { vst1_f32(y.as_mut_ptr(), vcvt_f32_f64(self.0)) }
        }
        #[inline(always)]
        fn write_f64(self, out: &mut [f64]) {
            let out: &mut [f64; 2] = (&mut out[..2]).try_into().expect("2 lanes");
            // SAFETY: `out` is 2 writable doubles.
            unsafe { vst1q_f64(out.as_mut_ptr(), self.0) }
        }
        #[inline(always)]
        fn load_f64(x: &[f64]) -> Self {
            let x: &[f64; 2] = x[..2].try_into().expect("2 lanes");
            // SAFETY: `x` is 2 readable doubles.
            F64x2(unsafe { vld1q_f64(x.as_ptr()) })
        }
        type Mask = Mask2;
        #[inline(always)]
        fn splat(v: f64) -> Self {
            // SAFETY: see the module note.
            F64x2(unsafe { vdupq_n_f64(v) })
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F64x2(unsafe { vfmaq_f64(b.0, self.0, a.0) })
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: see the module note.
            F64x2(unsafe { vabsq_f64(self.0) })
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            // SAFETY: see the module note.
            F64x2(unsafe { vbslq_f64(vdupq_n_u64(1 << 63), sign.0, self.0) })
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Mask2 {
            // SAFETY: see the module note.
            Mask2(unsafe { vcltq_f64(self.0, o.0) })
        }
        #[inline(always)]
        fn le(self, o: Self) -> Mask2 {
            // SAFETY: see the module note.
            Mask2(unsafe { vcleq_f64(self.0, o.0) })
        }
        #[inline(always)]
        fn eq(self, o: Self) -> Mask2 {
            // SAFETY: see the module note.
            Mask2(unsafe { vceqq_f64(self.0, o.0) })
        }
        #[inline(always)]
        fn is_nan(self) -> Mask2 {
            !self.eq(self)
        }
        #[inline(always)]
        fn select(m: Mask2, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F64x2(unsafe { vbslq_f64(m.0, a.0, b.0) })
        }
        #[inline(always)]
        fn floor(self) -> Self {
            // SAFETY: see the module note.
            F64x2(unsafe { vrndmq_f64(self.0) })
        }
        #[inline(always)]
        fn lookup16(table: &[f64; 16], i: Self) -> Self {
            let pick = |v: f64| table[(v as usize) & 15];
            // SAFETY: see the module note.
            let (lo, hi) = unsafe { (vgetq_lane_f64::<0>(i.0), vgetq_lane_f64::<1>(i.0)) };
            let (lo, hi) = (pick(lo), pick(hi));
            // SAFETY: see the module note.
            F64x2(unsafe { vsetq_lane_f64::<1>(hi, vdupq_n_f64(lo)) })
        }
        // FMAX/FMIN would turn a NaN `x` into a quiet NaN; the compare and select return `x`
        // itself, as `maxpd` and the scalar form do.
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            Self::select(x.lt(self), self, x)
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            Self::select(self.lt(x), self, x)
        }
        #[inline(always)]
        fn shl52(self) -> Self {
            // SAFETY: see the module note.
            from_bits(unsafe { vshlq_n_u64::<52>(bits(self.0)) })
        }
        #[inline(always)]
        fn shr52(self) -> Self {
            // SAFETY: see the module note.
            from_bits(unsafe { vshrq_n_u64::<52>(bits(self.0)) })
        }
        #[inline(always)]
        fn bits_and(self, o: Self) -> Self {
            // SAFETY: see the module note.
            from_bits(unsafe { vandq_u64(bits(self.0), bits(o.0)) })
        }
        #[inline(always)]
        fn bits_or(self, o: Self) -> Self {
            // SAFETY: see the module note.
            from_bits(unsafe { vorrq_u64(bits(self.0), bits(o.0)) })
        }
    }
}
