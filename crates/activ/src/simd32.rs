//! Lanes of `f32`: the vocabulary of the `f32` kernels that compute in single precision.
//!
//! Most `f32` functions compute in `f64` lanes ([`crate::simd`]) and round once. That keeps
//! them within half an ULP or so, but a 512-bit register then holds 8 values instead of 16.
//! The hottest functions (sigmoid, tanh, SiLU, GELU) and the cheap ones whose conversions would
//! cost more than their arithmetic (softsign, hard-sigmoid, hard-swish) run on `f32` lanes, with the error terms
//! that single precision would lose carried explicitly as a second `f32` (see their
//! modules). As for [`crate::simd::F64s`], every operation here is one correctly rounded
//! IEEE operation, a select, a table read or an exact bit move, so every lane computes what
//! the scalar instantiation (`V = f32`) computes, and the dispatch paths agree bit for bit.
//! The one composite operation, [`F32s::scale`], is specified as the correctly rounded
//! product, and each type computes exactly that (AVX-512 in one `vscalefps`).
#![allow(unsafe_code)]

use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

/// `1.5·2^23 + 127`: adding it to an integer-valued `k` in [−126, 127] leaves `k + 127` in
/// the low mantissa bits, which a shift by 23 moves into the exponent field.
const POW2_MAGIC: f32 = 12_583_039.0;

/// Lanes of `f32` with a lane mask.
pub(crate) trait F32s:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The number of lanes.
    const LANES: usize;
    /// Reads `x[..LANES]`.
    fn load_f32(x: &[f32]) -> Self;
    /// Writes the lanes to `y[..LANES]`.
    fn store_f32(self, y: &mut [f32]);
    /// One boolean per lane.
    type Mask: Copy
        + BitAnd<Output = Self::Mask>
        + BitOr<Output = Self::Mask>
        + Not<Output = Self::Mask>;
    /// Every lane `v`.
    fn splat(v: f32) -> Self;
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
    /// `if self > x { self } else { x }` (x86's `maxps(self, x)`: a NaN `x` passes through).
    fn max_or(self, x: Self) -> Self;
    /// `if self < x { self } else { x }` (x86's `minps(self, x)`: a NaN `x` passes through).
    fn min_or(self, x: Self) -> Self;
    /// ⌊self⌋ (exact).
    fn floor(self) -> Self;
    /// `table[j]` per lane, `j` the low 4 bits of the lane's bit pattern.
    fn lookup16(table: &[f32; 16], i: Self) -> Self;
    /// The bit pattern shifted left by 23.
    fn shl23(self) -> Self;
    /// `self·2^k`, rounded once (also when the product is subnormal), for an integer-valued
    /// `k` in [−220, 100], |self| ≤ 2^8, and |self| ≥ 2^−20 if k < 0, ≥ 2^−3 if k < −100
    /// (so that the first of two exact steps stays normal).
    fn scale(self, k: Self) -> Self;

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
    /// 2^k, exact, for an integer-valued `k` in [−126, 127].
    #[inline(always)]
    fn pow2(k: Self) -> Self {
        (k + Self::splat(POW2_MAGIC)).shl23()
    }
    /// [`scale`](F32s::scale) by two exact powers of two, 2^max(k, −100) and then
    /// 2^(k − max(k, −100)): the first product stays normal (|self| ≥ 2^−20, or ≥ 2^−3 once
    /// k < −100), so only the second rounds, and it is a multiplication by 1 unless k < −100.
    /// The first factor is the one the `f32` sigmoid kernels already form (see
    /// `math::exp32::reciprocal_of_one_plus_exp`), so the compiler computes it once.
    #[inline(always)]
    fn scale_in_two_steps(self, k: Self) -> Self {
        let first = Self::splat(-100.0).max_or(k);
        self * Self::pow2(first) * Self::pow2(k - first)
    }
}

impl F32s for f32 {
    const LANES: usize = 1;
    #[inline(always)]
    fn load_f32(x: &[f32]) -> Self {
        x[0]
    }
    #[inline(always)]
    fn store_f32(self, y: &mut [f32]) {
        y[0] = self;
    }
    type Mask = bool;
    #[inline(always)]
    fn splat(v: f32) -> Self {
        v
    }
    #[inline(always)]
    fn mul_add(self, a: Self, b: Self) -> Self {
        f32::mul_add(self, a, b)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn copysign(self, sign: Self) -> Self {
        f32::copysign(self, sign)
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
        f32::is_nan(self)
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
    fn floor(self) -> Self {
        f32::floor(self)
    }
    #[inline(always)]
    fn lookup16(table: &[f32; 16], i: Self) -> Self {
        table[(i.to_bits() & 15) as usize]
    }
    #[inline(always)]
    fn shl23(self) -> Self {
        f32::from_bits(self.to_bits() << 23)
    }
    #[inline(always)]
    fn scale(self, k: Self) -> Self {
        // The product is exact in f64 (|k| ≤ 220), so the conversion is the one rounding.
        let p2 = f64::from_bits(((k as i64 + 1023) as u64) << 52);
        (self as f64 * p2) as f32
    }
}

#[cfg(target_arch = "x86_64")]
pub(crate) use x86::{F32x16, F32x8};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::F32s;
    use core::arch::x86_64::*;
    use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

    /// Eight `f32` lanes in an AVX register. Built only on the AVX2+FMA path.
    #[derive(Clone, Copy)]
    pub(crate) struct F32x8(__m256);

    /// The AVX2 lane mask: all ones or all zeros per lane.
    #[derive(Clone, Copy)]
    pub(crate) struct Mask8(__m256);

    /// Sixteen `f32` lanes in an AVX-512 register. Built only on the AVX-512 path.
    #[derive(Clone, Copy)]
    pub(crate) struct F32x16(__m512);

    // SAFETY (every `unsafe` block in this module): the intrinsics need AVX, AVX2, FMA or
    // AVX-512F. `F32x8`/`Mask8` values exist only inside the AVX2+FMA loops and `F32x16`
    // only inside the AVX-512 loops of `dispatch`, which run after
    // `is_x86_feature_detected!` confirmed those features; the intrinsics take and return
    // registers only, and the loads and stores go through bounds-checked array references.

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
    binop!(F32x8, Add, add, _mm256_add_ps);
    binop!(F32x8, Sub, sub, _mm256_sub_ps);
    binop!(F32x8, Mul, mul, _mm256_mul_ps);
    binop!(F32x8, Div, div, _mm256_div_ps);
    binop!(Mask8, BitAnd, bitand, _mm256_and_ps);
    binop!(Mask8, BitOr, bitor, _mm256_or_ps);
    binop!(F32x16, Add, add, _mm512_add_ps);
    binop!(F32x16, Sub, sub, _mm512_sub_ps);
    binop!(F32x16, Mul, mul, _mm512_mul_ps);
    binop!(F32x16, Div, div, _mm512_div_ps);

    impl Neg for F32x8 {
        type Output = F32x8;
        #[inline(always)]
        fn neg(self) -> F32x8 {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_xor_ps(self.0, _mm256_set1_ps(-0.0)) })
        }
    }

    impl Not for Mask8 {
        type Output = Mask8;
        #[inline(always)]
        fn not(self) -> Mask8 {
            // SAFETY: see the module note.
            Mask8(unsafe { _mm256_xor_ps(self.0, _mm256_castsi256_ps(_mm256_set1_epi32(-1))) })
        }
    }

    macro_rules! stream {
        ($T:ident, $N:literal, $bytes:literal, $intr:ident) => {
            impl crate::twice::StreamF32 for $T {
                #[inline(always)]
                fn stream_f32(self, y: &mut [f32]) {
                    let y: &mut [f32; $N] = (&mut y[..$N]).try_into().expect("lanes");
                    if y.as_ptr().align_offset($bytes) != 0 {
                        return self.store_f32(y);
                    }
                    // SAFETY: see the module note; `y` is $N writable floats, aligned to
                    // the vector's width as the instruction needs.
                    unsafe { $intr(y.as_mut_ptr(), self.0) }
                }
            }
        };
    }
    stream!(F32x8, 8, 32, _mm256_stream_ps);
    stream!(F32x16, 16, 64, _mm512_stream_ps);

    impl F32s for F32x8 {
        const LANES: usize = 8;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            let x: &[f32; 8] = x[..8].try_into().expect("8 lanes");
            // SAFETY: see the module note; `x` is 8 readable floats.
            F32x8(unsafe { _mm256_loadu_ps(x.as_ptr()) })
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 8] = (&mut y[..8]).try_into().expect("8 lanes");
            // SAFETY: see the module note; `y` is 8 writable floats.
            unsafe { _mm256_storeu_ps(y.as_mut_ptr(), self.0) }
        }
        type Mask = Mask8;
        #[inline(always)]
        fn splat(v: f32) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_set1_ps(v) })
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_fmadd_ps(self.0, a.0, b.0) })
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_andnot_ps(_mm256_set1_ps(-0.0), self.0) })
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            // SAFETY: see the module note.
            unsafe {
                let s = _mm256_set1_ps(-0.0);
                F32x8(_mm256_or_ps(
                    _mm256_andnot_ps(s, self.0),
                    _mm256_and_ps(s, sign.0),
                ))
            }
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Mask8 {
            // SAFETY: see the module note.
            Mask8(unsafe { _mm256_cmp_ps::<_CMP_LT_OQ>(self.0, o.0) })
        }
        #[inline(always)]
        fn le(self, o: Self) -> Mask8 {
            // SAFETY: see the module note.
            Mask8(unsafe { _mm256_cmp_ps::<_CMP_LE_OQ>(self.0, o.0) })
        }
        #[inline(always)]
        fn eq(self, o: Self) -> Mask8 {
            // SAFETY: see the module note.
            Mask8(unsafe { _mm256_cmp_ps::<_CMP_EQ_OQ>(self.0, o.0) })
        }
        #[inline(always)]
        fn is_nan(self) -> Mask8 {
            // SAFETY: see the module note.
            Mask8(unsafe { _mm256_cmp_ps::<_CMP_UNORD_Q>(self.0, self.0) })
        }
        #[inline(always)]
        fn select(m: Mask8, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_blendv_ps(b.0, a.0, m.0) })
        }
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_max_ps(self.0, x.0) })
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe { _mm256_min_ps(self.0, x.0) })
        }
        #[inline(always)]
        fn floor(self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe {
                _mm256_round_ps::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(self.0)
            })
        }
        #[inline(always)]
        fn lookup16(table: &[f32; 16], i: Self) -> Self {
            // SAFETY: see the module note. Each permute reads the low 3 bits of the index;
            // bit 3, moved to the sign, picks the half.
            unsafe {
                let idx = _mm256_castps_si256(i.0);
                let lo = _mm256_permutevar8x32_ps(_mm256_loadu_ps(table.as_ptr()), idx);
                let hi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(table.as_ptr().add(8)), idx);
                let upper = _mm256_castsi256_ps(_mm256_slli_epi32::<28>(idx));
                F32x8(_mm256_blendv_ps(lo, hi, upper))
            }
        }
        #[inline(always)]
        fn shl23(self) -> Self {
            // SAFETY: see the module note.
            F32x8(unsafe {
                _mm256_castsi256_ps(_mm256_slli_epi32::<23>(_mm256_castps_si256(self.0)))
            })
        }
        #[inline(always)]
        fn scale(self, k: Self) -> Self {
            self.scale_in_two_steps(k)
        }
    }

    impl Neg for F32x16 {
        type Output = F32x16;
        #[inline(always)]
        fn neg(self) -> F32x16 {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_xor_ps(self.0, _mm512_set1_ps(-0.0)) })
        }
    }

    impl F32s for F32x16 {
        const LANES: usize = 16;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            let x: &[f32; 16] = x[..16].try_into().expect("16 lanes");
            // SAFETY: see the module note; `x` is 16 readable floats.
            F32x16(unsafe { _mm512_loadu_ps(x.as_ptr()) })
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 16] = (&mut y[..16]).try_into().expect("16 lanes");
            // SAFETY: see the module note; `y` is 16 writable floats.
            unsafe { _mm512_storeu_ps(y.as_mut_ptr(), self.0) }
        }
        // AVX-512 compares produce a bit per lane; u16's `&`, `|` and `!` are the mask ops.
        type Mask = __mmask16;
        #[inline(always)]
        fn splat(v: f32) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_set1_ps(v) })
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_fmadd_ps(self.0, a.0, b.0) })
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_abs_ps(self.0) })
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            // SAFETY: see the module note.
            unsafe {
                let s = _mm512_set1_ps(-0.0);
                F32x16(_mm512_or_ps(
                    _mm512_andnot_ps(s, self.0),
                    _mm512_and_ps(s, sign.0),
                ))
            }
        }
        #[inline(always)]
        fn lt(self, o: Self) -> __mmask16 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_ps_mask::<_CMP_LT_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn le(self, o: Self) -> __mmask16 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_ps_mask::<_CMP_LE_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn eq(self, o: Self) -> __mmask16 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn is_nan(self) -> __mmask16 {
            // SAFETY: see the module note.
            unsafe { _mm512_cmp_ps_mask::<_CMP_UNORD_Q>(self.0, self.0) }
        }
        #[inline(always)]
        fn select(m: __mmask16, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_mask_blend_ps(m, b.0, a.0) })
        }
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_max_ps(self.0, x.0) })
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe { _mm512_min_ps(self.0, x.0) })
        }
        #[inline(always)]
        fn floor(self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe {
                _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(self.0)
            })
        }
        #[inline(always)]
        fn lookup16(table: &[f32; 16], i: Self) -> Self {
            // SAFETY: see the module note. The permute reads the low 4 bits of each index.
            unsafe {
                F32x16(_mm512_permutexvar_ps(
                    _mm512_castps_si512(i.0),
                    _mm512_loadu_ps(table.as_ptr()),
                ))
            }
        }
        #[inline(always)]
        fn shl23(self) -> Self {
            // SAFETY: see the module note.
            F32x16(unsafe {
                _mm512_castsi512_ps(_mm512_slli_epi32::<23>(_mm512_castps_si512(self.0)))
            })
        }
        #[inline(always)]
        fn scale(self, k: Self) -> Self {
            // SAFETY: see the module note. `vscalefps` computes self·2^⌊k⌋ rounded once under
            // the default MXCSR (round to nearest, no flush to zero), which Rust code keeps.
            F32x16(unsafe { _mm512_scalef_ps(self.0, k.0) })
        }
    }
}

#[cfg(target_arch = "aarch64")]
pub(crate) use arm::F32x4;

/// NEON, part of the aarch64 baseline (see [`crate::simd`]'s NEON note).
#[cfg(target_arch = "aarch64")]
mod arm {
    use super::F32s;
    use core::arch::aarch64::*;
    use core::ops::{Add, BitAnd, BitOr, Div, Mul, Neg, Not, Sub};

    // SAFETY (every `unsafe` block in this module): as in `crate::simd`'s NEON module.

    /// Four `f32` lanes in a NEON register.
    #[derive(Clone, Copy)]
    pub(crate) struct F32x4(float32x4_t);

    /// The NEON lane mask: all ones or all zeros per lane.
    #[derive(Clone, Copy)]
    pub(crate) struct Mask4(uint32x4_t);

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
    binop!(F32x4, Add, add, vaddq_f32);
    binop!(F32x4, Sub, sub, vsubq_f32);
    binop!(F32x4, Mul, mul, vmulq_f32);
    binop!(F32x4, Div, div, vdivq_f32);
    binop!(Mask4, BitAnd, bitand, vandq_u32);
    binop!(Mask4, BitOr, bitor, vorrq_u32);

    impl Neg for F32x4 {
        type Output = F32x4;
        #[inline(always)]
        fn neg(self) -> F32x4 {
            // SAFETY: see the module note.
            F32x4(unsafe { vnegq_f32(self.0) })
        }
    }

    impl Not for Mask4 {
        type Output = Mask4;
        #[inline(always)]
        fn not(self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { vmvnq_u32(self.0) })
        }
    }

    impl F32s for F32x4 {
        const LANES: usize = 4;
        #[inline(always)]
        fn load_f32(x: &[f32]) -> Self {
            let x: &[f32; 4] = x[..4].try_into().expect("4 lanes");
            // SAFETY: `x` is 4 readable floats.
            F32x4(unsafe { vld1q_f32(x.as_ptr()) })
        }
        #[inline(always)]
        fn store_f32(self, y: &mut [f32]) {
            let y: &mut [f32; 4] = (&mut y[..4]).try_into().expect("4 lanes");
            // SAFETY: `y` is 4 writable floats.
            unsafe { vst1q_f32(y.as_mut_ptr(), self.0) }
        }
        type Mask = Mask4;
        #[inline(always)]
        fn splat(v: f32) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe { vdupq_n_f32(v) })
        }
        #[inline(always)]
        fn mul_add(self, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe { vfmaq_f32(b.0, self.0, a.0) })
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe { vabsq_f32(self.0) })
        }
        #[inline(always)]
        fn copysign(self, sign: Self) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe { vbslq_f32(vdupq_n_u32(1 << 31), sign.0, self.0) })
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { vcltq_f32(self.0, o.0) })
        }
        #[inline(always)]
        fn le(self, o: Self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { vcleq_f32(self.0, o.0) })
        }
        #[inline(always)]
        fn eq(self, o: Self) -> Mask4 {
            // SAFETY: see the module note.
            Mask4(unsafe { vceqq_f32(self.0, o.0) })
        }
        #[inline(always)]
        fn is_nan(self) -> Mask4 {
            !self.eq(self)
        }
        #[inline(always)]
        fn select(m: Mask4, a: Self, b: Self) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe { vbslq_f32(m.0, a.0, b.0) })
        }
        // Compare and select, not FMAX: a NaN `x` comes back as itself (see `F64x2`).
        #[inline(always)]
        fn max_or(self, x: Self) -> Self {
            Self::select(x.lt(self), self, x)
        }
        #[inline(always)]
        fn min_or(self, x: Self) -> Self {
            Self::select(self.lt(x), self, x)
        }
        #[inline(always)]
        fn floor(self) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe { vrndmq_f32(self.0) })
        }
        #[inline(always)]
        fn lookup16(table: &[f32; 16], i: Self) -> Self {
            // A byte table lookup over the 64-byte table: lane j reads bytes 4j..4j+3.
            let p = table.as_ptr();
            // SAFETY: `p` points to 16 readable floats, read as four registers.
            let tbl = unsafe {
                uint8x16x4_t(
                    vreinterpretq_u8_f32(vld1q_f32(p)),
                    vreinterpretq_u8_f32(vld1q_f32(p.add(4))),
                    vreinterpretq_u8_f32(vld1q_f32(p.add(8))),
                    vreinterpretq_u8_f32(vld1q_f32(p.add(12))),
                )
            };
            // SAFETY: see the module note.
            unsafe {
                let j = vandq_u32(vreinterpretq_u32_f32(i.0), vdupq_n_u32(15));
                let idx = vmlaq_u32(
                    vdupq_n_u32(0x0302_0100),
                    vshlq_n_u32::<2>(j),
                    vdupq_n_u32(0x0101_0101),
                );
                F32x4(vreinterpretq_f32_u8(vqtbl4q_u8(
                    tbl,
                    vreinterpretq_u8_u32(idx),
                )))
            }
        }
        #[inline(always)]
        fn shl23(self) -> Self {
            // SAFETY: see the module note.
            F32x4(unsafe {
                vreinterpretq_f32_u32(vshlq_n_u32::<23>(vreinterpretq_u32_f32(self.0)))
            })
        }
        #[inline(always)]
        fn scale(self, k: Self) -> Self {
            self.scale_in_two_steps(k)
        }
    }
}
