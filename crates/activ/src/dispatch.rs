//! Run-time selection of the slice loops: portable, AVX2+FMA or AVX-512.
//!
//! Each loop is a function with `#[target_feature(enable = ...)]`, called only after
//! `is_x86_feature_detected!` has confirmed the features, so a plain `cargo build --release`
//! gets the fastest path the CPU has. Most `f32` functions run their lane kernels on 8 or
//! 16 `f32` lanes ([`crate::simd32`]); logit, Mish, softplus with β ≠ 1, ELU with
//! |α| < 2^−60, CELU with α < 2^−60 and the softmax family run on 4 or 8 `f64` lanes
//! ([`crate::simd`]), as do the `f64` functions. The loops ask for the input 8 KiB ahead into L2 (`prefetch_ahead`): with a
//! kernel that computes for a while per vector, the hardware prefetcher alone left
//! DRAM-sized arrays (16M elements) at the sum of compute and memory time. Outputs of 32 MiB
//! and more are written with non-temporal stores (`stream_start`), which saves the read of
//! each output line before it is written. Every operation is a
//! correctly rounded IEEE operation (with FMA, `mul_add` is one instruction instead of a
//! call into libm's `fma`: the same value), so every path gives the same bits.
//! `ACTIV_FORCE_ISA=portable|avx2|avx512` forces a path (read once per process), and
//! [`apply_on_isa`] runs a chosen one, which the tests use to compare the paths.
#![allow(unsafe_code)]

use crate::derivative::GradLanes;
use crate::elementwise::{LanesF32, LanesF32Native, LanesF64};
#[cfg(target_arch = "aarch64")]
use crate::simd::{F64s, F64x2};
#[cfg(target_arch = "x86_64")]
use crate::simd::{F64s, F64x4, F64x8};
#[cfg(target_arch = "x86_64")]
use crate::simd32::{F32s, F32x16, F32x8};
#[cfg(target_arch = "aarch64")]
use crate::simd32::{F32s, F32x4};
#[cfg(target_arch = "x86_64")]
use crate::twice::{StreamF32, StreamF64Lanes, Twice};
use crate::{Elementwise, Float};

/// The instruction-set path the slice loops run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// Baseline target features only.
    Portable,
    /// x86-64 with AVX2 and FMA.
    Avx2Fma,
    /// x86-64 with AVX-512 (F, DQ, VL, BW) besides AVX2 and FMA.
    Avx512,
    /// aarch64 with NEON (Advanced SIMD), which every aarch64 Linux target has.
    Neon,
}

impl Isa {
    /// A short lowercase name, as accepted by `ACTIV_FORCE_ISA`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2Fma => "avx2",
            Isa::Avx512 => "avx512",
            Isa::Neon => "neon",
        }
    }
}

/// The path the slice loops use in this process.
pub fn active_isa() -> Isa {
    use std::sync::OnceLock;
    static ISA: OnceLock<Isa> = OnceLock::new();
    *ISA.get_or_init(|| {
        let forced = std::env::var("ACTIV_FORCE_ISA").ok();
        let available = available_isas();
        // A forced path the CPU lacks falls back to the best one it has.
        match available
            .iter()
            .find(|isa| Some(isa.name()) == forced.as_deref())
        {
            Some(&isa) => isa,
            None => *available.last().expect("portable is always available"),
        }
    })
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    has_avx2()
        && std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512vl")
        && std::arch::is_x86_feature_detected!("avx512bw")
}

#[inline(always)]
fn map_portable<T: Float, F: Elementwise<T>>(f: &F, x: &[T], y: &mut [T]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi = f.eval(xi);
    }
}

#[inline(always)]
fn map_in_place_portable<T: Float, F: Elementwise<T>>(f: &F, xs: &mut [T]) {
    for v in xs.iter_mut() {
        *v = f.eval(*v);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn map_avx2<T: Float, F: Elementwise<T>>(f: &F, x: &[T], y: &mut [T]) {
    map_portable(f, x, y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn map_avx512<T: Float, F: Elementwise<T>>(f: &F, x: &[T], y: &mut [T]) {
    map_portable(f, x, y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn map_in_place_avx512<T: Float, F: Elementwise<T>>(f: &F, xs: &mut [T]) {
    map_in_place_portable(f, xs)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn map_in_place_avx2<T: Float, F: Elementwise<T>>(f: &F, xs: &mut [T]) {
    map_in_place_portable(f, xs)
}

/// The paths this CPU can run, from the portable one to the fastest.
pub fn available_isas() -> Vec<Isa> {
    #[allow(unused_mut)]
    let mut isas = vec![Isa::Portable];
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx2() {
            isas.push(Isa::Avx2Fma);
        }
        if has_avx512() {
            isas.push(Isa::Avx512);
        }
    }
    // NEON is in the aarch64 baseline: compiled in, so always there.
    #[cfg(target_arch = "aarch64")]
    isas.push(Isa::Neon);
    isas
}

/// `y[i] = f(x[i])` on a chosen path, for tests that compare the paths bit for bit.
/// Panics if `isa` is not in [`available_isas`] or the lengths differ.
#[doc(hidden)]
pub fn apply_on_isa<T: Float, F: Elementwise<T>>(isa: Isa, f: &F, x: &[T], y: &mut [T]) {
    assert_eq!(x.len(), y.len(), "apply_on_isa: length mismatch");
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    f.map_on(isa, x, y);
}

/// Slices at least this long are split across threads with the `parallel` feature.
#[cfg(feature = "parallel")]
const PARALLEL_MIN: usize = 1 << 16;
/// The piece each thread takes: a multiple of every vector and block width, so the pieces
/// end where a single-thread loop's vectors end and the bits cannot change.
#[cfg(feature = "parallel")]
const PARALLEL_CHUNK: usize = 1 << 14;

/// Runs `body` on matching pieces of `x` and `y`, on several threads for long slices with the
/// `parallel` feature, else in one call.
#[inline(always)]
pub(crate) fn split<T: Send + Sync>(x: &[T], y: &mut [T], body: impl Fn(&[T], &mut [T]) + Sync) {
    #[cfg(feature = "parallel")]
    if x.len() >= PARALLEL_MIN {
        use rayon::prelude::*;
        x.par_chunks(PARALLEL_CHUNK)
            .zip(y.par_chunks_mut(PARALLEL_CHUNK))
            .for_each(|(a, b)| body(a, b));
        return;
    }
    body(x, y)
}

/// In place, as [`split`].
#[inline(always)]
fn split_in_place<T: Send + Sync>(xs: &mut [T], body: impl Fn(&mut [T]) + Sync) {
    #[cfg(feature = "parallel")]
    if xs.len() >= PARALLEL_MIN {
        use rayon::prelude::*;
        xs.par_chunks_mut(PARALLEL_CHUNK).for_each(&body);
        return;
    }
    body(xs)
}

/// `y[i] = f(x[i])` through `eval`, on a path this CPU supports; lengths are equal.
pub(crate) fn map_on<T: Float, F: Elementwise<T>>(isa: Isa, f: &F, x: &[T], y: &mut [T]) {
    debug_assert_eq!(x.len(), y.len());
    split(x, y, |x, y| map_on_one_thread(isa, f, x, y));
}

fn map_on_one_thread<T: Float, F: Elementwise<T>>(isa: Isa, f: &F, x: &[T], y: &mut [T]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { map_avx2(f, x, y) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { map_avx512(f, x, y) },
        _ => map_portable(f, x, y),
    }
}

/// `xs[i] = f(xs[i])`.
pub(crate) fn map_in_place<T: Float, F: Elementwise<T>>(f: &F, xs: &mut [T]) {
    let isa = active_isa();
    split_in_place(xs, |xs| map_in_place_one_thread(isa, f, xs));
}

fn map_in_place_one_thread<T: Float, F: Elementwise<T>>(isa: Isa, f: &F, xs: &mut [T]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx2Fma` only after detecting AVX2 and FMA on this CPU.
        Isa::Avx2Fma => unsafe { map_in_place_avx2(f, xs) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx512` only after detecting its features.
        Isa::Avx512 => unsafe { map_in_place_avx512(f, xs) },
        _ => map_in_place_portable(f, xs),
    }
}

/// The portable `f32` lane loop: the kernel at `V = f64`, element by element.
#[inline(always)]
fn lanes_f32_portable<F: LanesF32>(f: &F, x: &[f32], y: &mut [f32]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi = f.lanes_nan_kept(xi as f64) as f32;
    }
}

/// How far ahead of the loads the lane loops ask for the input, in bytes, and into L2
/// (`_MM_HINT_T1`): measured at 2^24 `f32` with non-temporal stores (single runs, noisy),
/// sigmoid ran at 1.42–1.46 el/ns with 2 or 4 KiB into L1, 1.57 with 8 KiB into L1,
/// 1.58–1.67 with 8 KiB into L2 and 1.64 with 32 KiB into L2.
#[cfg(target_arch = "x86_64")]
const PREFETCH_DISTANCE: usize = 8192;

/// No prefetch on aarch64: its prefetch intrinsic is not stable yet.
#[cfg(target_arch = "aarch64")]
#[inline(always)]
fn prefetch_ahead<T>(_: *const T) {}

/// Asks for the cache line `PREFETCH_DISTANCE` bytes past `p`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch_ahead<T>(p: *const T) {
    use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T1};
    let ahead = p.cast::<i8>().wrapping_add(PREFETCH_DISTANCE);
    // SAFETY: a prefetch is only a hint; it never faults, also past the end of the slice.
    unsafe { _mm_prefetch::<_MM_HINT_T1>(ahead) }
}

/// Outputs of at least this many bytes are written with non-temporal stores, which skip
/// the read-for-ownership of each output line and do not evict the caches: measured on this
/// machine (an Intel Xeon with AVX-512) at 2^24 `f32` (64 MiB per array), hard-sigmoid
/// 1.77 → 2.44–2.57 el/ns and sigmoid 1.39–1.42 → 1.61–1.67 el/ns. At 2^22 (16 MiB per
/// array) they were slower for hard-sigmoid (3.40 → 2.92 el/ns), and a caller that reads the
/// output next wants it in the cache, so only outputs of 32 MiB and more stream.
#[cfg(target_arch = "x86_64")]
const STREAM_MIN_BYTES: usize = 32 << 20;

/// Where the streamed part of `y` starts: `y.len()` (nothing streamed) below
/// [`STREAM_MIN_BYTES`], else the first 64-byte aligned element, so that every vector
/// store of the streamed part is aligned to its width.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn stream_start<T>(y: &[T]) -> usize {
    if core::mem::size_of_val(y) < STREAM_MIN_BYTES {
        return y.len();
    }
    y.as_ptr().align_offset(64).min(y.len())
}

/// Runs a lane-loop macro over `x` into `y`, with the plain store `$store` before
/// [`stream_start`] and the non-temporal `$stream` from there, then fences the
/// non-temporal stores (they are weakly ordered) before the caller sees `y`. The streamed
/// part runs one vector per call even for the interleaved kernels: from DRAM the
/// interleaved loop was 9–15 % slower (n = 2^24, same run: f32 tanh 1.23 → 1.06,
/// log-sigmoid 0.84 → 0.71, SiLU 1.37 → 1.21 el/ns), while in cache it is faster.
#[cfg(target_arch = "x86_64")]
macro_rules! streamed {
    ($lp:ident!([$($calls:tt)+] $W:ty, $V:ty, $N:literal, $f:expr, $x:expr, $y:expr, $kernel:ident, $load:ident; $store:ident / $stream:ident)) => {{
        let (x, y) = ($x, $y);
        let at = stream_start(y);
        let (x_head, x_body) = x.split_at(at);
        let (y_head, y_body) = y.split_at_mut(at);
        $lp!([$($calls)+] $W, $V, $N, $f, x_head, y_head, $kernel, $load, $store);
        if !y_body.is_empty() {
            $lp!([$($calls)+] $V, $V, $N, $f, x_body, y_body, $kernel, $load, $stream);
            core::arch::x86_64::_mm_sfence();
        }
    }};
}

/// Runs the kernel `$kernel` over `x` into `y`. Each step makes one call per entry of the
/// list (`[a 0, b 1, c 2, d 3]`: four) on `$W`, which is `$V` (`$N` lanes) or, for the
/// kernels that ask for it, `Twice<Twice<$V>>` (four vectors interleaved operation by
/// operation, see the `twice` module); the calls are written out, not looped, and all
/// results are computed before the first is stored. The remaining whole vectors run on
/// `$V`, and the last partial vector is computed in a zero-padded buffer by the same kernel,
/// so the tail rounds exactly like the body. `$load` reads a vector (`load_f32`, or
/// `load_f64` for `f64` data) and `$store` writes one.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
macro_rules! lanes_loop {
    ([$($v:ident $i:literal),+] $W:ty, $V:ty, $N:literal, $f:expr, $x:expr, $y:expr, $kernel:ident, $load:ident, $store:ident) => {{
        let (f, x, y) = ($f, $x, $y);
        let wide = <$W>::LANES;
        let step = [$($i),+].len() * wide;
        let mut xq = x.chunks_exact(step);
        let mut yq = y.chunks_exact_mut(step);
        for (xc, yc) in (&mut xq).zip(&mut yq) {
            for part in xc.chunks_exact($N) {
                prefetch_ahead(part.as_ptr());
            }
            $(let $v = f.$kernel(<$W>::$load(&xc[$i * wide..]));)+
            $($v.$store(&mut yc[$i * wide..]);)+
        }
        let mut xs = xq.remainder().chunks_exact($N);
        let mut ys = yq.into_remainder().chunks_exact_mut($N);
        for (xc, yc) in (&mut xs).zip(&mut ys) {
            f.$kernel(<$V>::$load(xc)).$store(yc);
        }
        let (xr, yr) = (xs.remainder(), ys.into_remainder());
        if !xr.is_empty() {
            let mut buf = [0.0; $N];
            buf[..xr.len()].copy_from_slice(xr);
            let mut out = [0.0; $N];
            f.$kernel(<$V>::$load(&buf)).$store(&mut out);
            yr.copy_from_slice(&out[..yr.len()]);
        }
    }};
}

/// In place: each vector is read, computed and written back; four calls on `$W` per step,
/// as in `lanes_loop`.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
macro_rules! lanes_loop_in_place {
    ($W:ty, $V:ty, $N:literal, $f:expr, $xs:expr, $kernel:ident) => {{
        let (f, xs) = ($f, $xs);
        let wide = <$W>::LANES;
        let mut quads = xs.chunks_exact_mut(4 * wide);
        for c in &mut quads {
            for part in c.chunks_exact($N) {
                prefetch_ahead(part.as_ptr());
            }
            let a = f.$kernel(<$W>::load_f32(&c[..]));
            let b = f.$kernel(<$W>::load_f32(&c[wide..]));
            let d = f.$kernel(<$W>::load_f32(&c[2 * wide..]));
            let e = f.$kernel(<$W>::load_f32(&c[3 * wide..]));
            a.store_f32(&mut c[..]);
            b.store_f32(&mut c[wide..]);
            d.store_f32(&mut c[2 * wide..]);
            e.store_f32(&mut c[3 * wide..]);
        }
        let mut chunks = quads.into_remainder().chunks_exact_mut($N);
        for c in &mut chunks {
            let v = f.$kernel(<$V>::load_f32(c));
            v.store_f32(c);
        }
        let rest = chunks.into_remainder();
        if !rest.is_empty() {
            let mut buf = [0.0f32; $N];
            buf[..rest.len()].copy_from_slice(rest);
            let v = f.$kernel(<$V>::load_f32(&buf));
            v.store_f32(&mut buf);
            let n = rest.len();
            rest.copy_from_slice(&buf[..n]);
        }
    }};
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lanes_f32_avx2<F: LanesF32>(f: &F, x: &[f32], y: &mut [f32]) {
    streamed!(
        lanes_loop!([a 0, b 1, c 2, d 3] F64x4, F64x4, 4, f, x, y, lanes_nan_kept, load_f32; store_f32 / stream_f32)
    )
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn lanes_f32_avx512<F: LanesF32>(f: &F, x: &[f32], y: &mut [f32]) {
    if F::INTERLEAVED {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] Twice<Twice<F64x8>>, F64x8, 8, f, x, y, lanes_nan_kept, load_f32; store_f32 / stream_f32)
        )
    } else {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] F64x8, F64x8, 8, f, x, y, lanes_nan_kept, load_f32; store_f32 / stream_f32)
        )
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lanes_f32_in_place_avx2<F: LanesF32>(f: &F, xs: &mut [f32]) {
    lanes_loop_in_place!(F64x4, F64x4, 4, f, xs, lanes_nan_kept)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn lanes_f32_in_place_avx512<F: LanesF32>(f: &F, xs: &mut [f32]) {
    lanes_loop_in_place!(F64x8, F64x8, 8, f, xs, lanes_nan_kept)
}

/// `y[i] = f(x[i])` for an `f32` lane kernel, on `isa`. The caller guarantees that the CPU
/// supports `isa` and that the lengths are equal.
pub(crate) fn map_lanes_f32<F: LanesF32>(isa: Isa, f: &F, x: &[f32], y: &mut [f32]) {
    debug_assert_eq!(x.len(), y.len());
    split(x, y, |x, y| map_lanes_f32_one_thread(isa, f, x, y));
}

fn map_lanes_f32_one_thread<F: LanesF32>(isa: Isa, f: &F, x: &[f32], y: &mut [f32]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the callers pass an `isa` from `active_isa` or checked against
        // `available_isas`, so this CPU has AVX2 and FMA.
        Isa::Avx2Fma => unsafe { lanes_f32_avx2(f, x, y) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above, this CPU has the AVX-512 features of the path.
        Isa::Avx512 => unsafe { lanes_f32_avx512(f, x, y) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            lanes_loop!([a 0, b 1, c 2, d 3] F64x2, F64x2, 2, f, x, y, lanes_nan_kept, load_f32, store_f32)
        }
        _ => lanes_f32_portable(f, x, y),
    }
}

/// The in-place loop of the `f32` lane kernels.
pub(crate) fn map_lanes_f32_in_place<F: LanesF32>(f: &F, xs: &mut [f32]) {
    let isa = active_isa();
    split_in_place(xs, |xs| map_lanes_f32_in_place_one_thread(isa, f, xs));
}

fn map_lanes_f32_in_place_one_thread<F: LanesF32>(isa: Isa, f: &F, xs: &mut [f32]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx2Fma` only after detecting AVX2 and FMA.
        Isa::Avx2Fma => unsafe { lanes_f32_in_place_avx2(f, xs) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx512` only after detecting its features.
        Isa::Avx512 => unsafe { lanes_f32_in_place_avx512(f, xs) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => lanes_loop_in_place!(F64x2, F64x2, 2, f, xs, lanes_nan_kept),
        _ => {
            for v in xs.iter_mut() {
                *v = f.lanes_nan_kept(*v as f64) as f32;
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lanes32_avx2<F: LanesF32Native>(f: &F, x: &[f32], y: &mut [f32]) {
    // Four vectors per call for the interleaved kernels, as on AVX-512, although AVX2 has
    // only 16 registers: on an AVX2-only AMD EPYC (Zen 3) four beat two (same binary, one
    // run, n = 65536: log-sigmoid +14 %, softplus +19 %, tanh +15 %, GELU-tanh +14 %, SiLU
    // +9 %), and two beat one; on an Intel Xeon run with ACTIV_FORCE_ISA=avx2, two beat one
    // by 6–16 %. Sigmoid and GELU, not interleaved on AVX-512, gained 11 % and 7 % here
    // (`INTERLEAVED_AVX2`). Interleaving the `f64` kernels on AVX2 gained nothing.
    if F::INTERLEAVED_AVX2 {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] Twice<Twice<F32x8>>, F32x8, 8, f, x, y, lanes32_nan_kept, load_f32; store_f32 / stream_f32)
        )
    } else {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] F32x8, F32x8, 8, f, x, y, lanes32_nan_kept, load_f32; store_f32 / stream_f32)
        )
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn lanes32_avx512<F: LanesF32Native>(f: &F, x: &[f32], y: &mut [f32]) {
    if F::INTERLEAVED {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] Twice<Twice<F32x16>>, F32x16, 16, f, x, y, lanes32_nan_kept, load_f32; store_f32 / stream_f32)
        )
    } else {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] F32x16, F32x16, 16, f, x, y, lanes32_nan_kept, load_f32; store_f32 / stream_f32)
        )
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lanes32_in_place_avx2<F: LanesF32Native>(f: &F, xs: &mut [f32]) {
    if F::INTERLEAVED_AVX2 {
        lanes_loop_in_place!(Twice<Twice<F32x8>>, F32x8, 8, f, xs, lanes32_nan_kept)
    } else {
        lanes_loop_in_place!(F32x8, F32x8, 8, f, xs, lanes32_nan_kept)
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn lanes32_in_place_avx512<F: LanesF32Native>(f: &F, xs: &mut [f32]) {
    if F::INTERLEAVED {
        lanes_loop_in_place!(Twice<Twice<F32x16>>, F32x16, 16, f, xs, lanes32_nan_kept)
    } else {
        lanes_loop_in_place!(F32x16, F32x16, 16, f, xs, lanes32_nan_kept)
    }
}

/// `y[i] = f(x[i])` for an `f32`-lane kernel, on `isa` (which this CPU has); equal lengths.
pub(crate) fn map_lanes32<F: LanesF32Native>(isa: Isa, f: &F, x: &[f32], y: &mut [f32]) {
    debug_assert_eq!(x.len(), y.len());
    split(x, y, |x, y| match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the callers pass an `isa` from `active_isa` or checked against
        // `available_isas`, so this CPU has AVX2 and FMA.
        Isa::Avx2Fma => unsafe { lanes32_avx2(f, x, y) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above, this CPU has the AVX-512 features of the path.
        Isa::Avx512 => unsafe { lanes32_avx512(f, x, y) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            lanes_loop!([a 0, b 1, c 2, d 3] F32x4, F32x4, 4, f, x, y, lanes32_nan_kept, load_f32, store_f32)
        }
        _ => {
            for (yi, &xi) in y.iter_mut().zip(x) {
                *yi = f.lanes32_nan_kept(xi);
            }
        }
    });
}

/// The in-place loop of the `f32`-lane kernels.
pub(crate) fn map_lanes32_in_place<F: LanesF32Native>(f: &F, xs: &mut [f32]) {
    let isa = active_isa();
    split_in_place(xs, |xs| match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx2Fma` only after detecting AVX2 and FMA.
        Isa::Avx2Fma => unsafe { lanes32_in_place_avx2(f, xs) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx512` only after detecting its features.
        Isa::Avx512 => unsafe { lanes32_in_place_avx512(f, xs) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => lanes_loop_in_place!(F32x4, F32x4, 4, f, xs, lanes32_nan_kept),
        _ => {
            for v in xs.iter_mut() {
                *v = f.lanes32_nan_kept(*v);
            }
        }
    });
}

/// Softmax or log-softmax of one `f32` row in place, on `isa` (which this CPU has).
pub(crate) fn row_softmax_f32(isa: Isa, row: &mut [f32], masked: crate::MaskedRows, log: bool) {
    use crate::softmax::row_f32_lanes;
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2(row: &mut [f32], masked: crate::MaskedRows, log: bool) {
        row_f32_lanes::<F64x4, F32x8>(row, masked, log)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512(row: &mut [f32], masked: crate::MaskedRows, log: bool) {
        row_f32_lanes::<F64x8, F32x16>(row, masked, log)
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { avx2(row, masked, log) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512(row, masked, log) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => row_f32_lanes::<F64x2, F32x4>(row, masked, log),
        _ => row_f32_lanes::<f64, f32>(row, masked, log),
    }
}

/// logsumexp of one `f32` row, on `isa` (which this CPU has).
pub(crate) fn row_logsumexp_f32(isa: Isa, row: &[f32]) -> f32 {
    use crate::softmax::logsumexp_f32_lanes;
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2(row: &[f32]) -> f32 {
        logsumexp_f32_lanes::<F64x4, F32x8>(row)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512(row: &[f32]) -> f32 {
        logsumexp_f32_lanes::<F64x8, F32x16>(row)
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { avx2(row) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512(row) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => logsumexp_f32_lanes::<F64x2, F32x4>(row),
        _ => logsumexp_f32_lanes::<f64, f32>(row),
    }
}

/// Softmax (or log-softmax) of one row in place on a chosen path, for tests that compare
/// the paths bit for bit. Panics if `isa` is not in [`available_isas`].
#[doc(hidden)]
pub fn row_softmax_on_isa<T: Float>(isa: Isa, row: &mut [T], masked: crate::MaskedRows, log: bool) {
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    T::row_softmax(isa, row, masked, log);
}

/// logsumexp of one row on a chosen path, for tests. Panics if `isa` is not available.
#[doc(hidden)]
pub fn row_logsumexp_on_isa<T: Float>(isa: Isa, row: &[T]) -> T {
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    T::row_logsumexp(isa, row)
}

/// Softmax or log-softmax of one `f64` row in place, on `isa` (which this CPU has). The
/// double-double row kernel is the same on every path; compiled with FMA, its `mul_add`s
/// are instructions instead of calls into libm.
pub(crate) fn row_softmax_f64(isa: Isa, row: &mut [f64], masked: crate::MaskedRows, log: bool) {
    use crate::softmax::row_f64_lanes;
    #[inline(always)]
    fn run(row: &mut [f64], masked: crate::MaskedRows, log: bool) {
        row_f64_lanes::<f64>(row, masked, log)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2(row: &mut [f64], masked: crate::MaskedRows, log: bool) {
        row_f64_lanes::<F64x4>(row, masked, log)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512(row: &mut [f64], masked: crate::MaskedRows, log: bool) {
        row_f64_lanes::<F64x8>(row, masked, log)
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { avx2(row, masked, log) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512(row, masked, log) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => row_f64_lanes::<F64x2>(row, masked, log),
        _ => run(row, masked, log),
    }
}

/// logsumexp of one `f64` row, on `isa` (which this CPU has).
pub(crate) fn row_logsumexp_f64(isa: Isa, row: &[f64]) -> f64 {
    use crate::softmax::logsumexp_f64_lanes;
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2(row: &[f64]) -> f64 {
        logsumexp_f64_lanes::<F64x4>(row)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512(row: &[f64]) -> f64 {
        logsumexp_f64_lanes::<F64x8>(row)
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { avx2(row) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512(row) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => logsumexp_f64_lanes::<F64x2>(row),
        _ => logsumexp_f64_lanes::<f64>(row),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lanes_f64_avx2<F: LanesF64>(f: &F, x: &[f64], y: &mut [f64]) {
    streamed!(
        lanes_loop!([a 0, b 1] F64x4, F64x4, 4, f, x, y, lanes64_nan_kept, load_f64; write_f64 / stream_f64)
    )
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn lanes_f64_avx512<F: LanesF64>(f: &F, x: &[f64], y: &mut [f64]) {
    if F::INTERLEAVE == 4 {
        streamed!(
            lanes_loop!([a 0, b 1] Twice<Twice<F64x8>>, F64x8, 8, f, x, y, lanes64_nan_kept, load_f64; write_f64 / stream_f64)
        )
    } else if F::INTERLEAVE == 2 {
        streamed!(
            lanes_loop!([a 0, b 1, c 2, d 3] Twice<F64x8>, F64x8, 8, f, x, y, lanes64_nan_kept, load_f64; write_f64 / stream_f64)
        )
    } else {
        streamed!(
            lanes_loop!([a 0, b 1] F64x8, F64x8, 8, f, x, y, lanes64_nan_kept, load_f64; write_f64 / stream_f64)
        )
    }
}

fn map_lanes_f64_one_thread<F: LanesF64>(isa: Isa, f: &F, x: &[f64], y: &mut [f64]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { lanes_f64_avx2(f, x, y) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { lanes_f64_avx512(f, x, y) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            lanes_loop!([a 0, b 1] F64x2, F64x2, 2, f, x, y, lanes64_nan_kept, load_f64, write_f64)
        }
        _ => {
            for (yi, &xi) in y.iter_mut().zip(x) {
                *yi = f.lanes64_nan_kept(xi);
            }
        }
    }
}

/// `y[i] = f(x[i])` for an `f64` lane kernel, on `isa` (which this CPU has).
pub(crate) fn map_lanes_f64<F: LanesF64>(isa: Isa, f: &F, x: &[f64], y: &mut [f64]) {
    debug_assert_eq!(x.len(), y.len());
    split(x, y, |x, y| map_lanes_f64_one_thread(isa, f, x, y));
}

/// In place: the same loop over a copy of each piece (the lane loop reads a whole vector
/// before it writes it, so a piece-sized copy keeps the code to one loop).
pub(crate) fn map_lanes_f64_in_place<F: LanesF64>(f: &F, xs: &mut [f64]) {
    let isa = active_isa();
    split_in_place(xs, |xs| {
        let mut buf = [0.0f64; 1024];
        for c in xs.chunks_mut(1024) {
            let n = c.len();
            buf[..n].copy_from_slice(c);
            map_lanes_f64_one_thread(isa, f, &buf[..n], c);
        }
    });
}

/// Runs `body` on matching pieces of `x`, `dy` and `dx`, as [`split`].
#[inline(always)]
fn split3<T: Send + Sync>(
    x: &[T],
    dy: &[T],
    dx: &mut [T],
    body: impl Fn(&[T], &[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "parallel")]
    if x.len() >= PARALLEL_MIN {
        use rayon::prelude::*;
        x.par_chunks(PARALLEL_CHUNK)
            .zip(dy.par_chunks(PARALLEL_CHUNK))
            .zip(dx.par_chunks_mut(PARALLEL_CHUNK))
            .for_each(|((a, b), c)| body(a, b, c));
        return;
    }
    body(x, dy, dx)
}

/// Runs a derivative kernel over `x` and `dy` into `dx`: two calls per step on `$W`, which
/// is `$V` (`$N` lanes) or, on AVX-512, `Twice<Twice<$V>>` (see the `twice` module: four
/// vectors interleaved operation by operation; measured at n = 65536, same binary with and
/// without: sigmoid, log-sigmoid, tanh and SELU backward +49–70 %, GELU, GELU-tanh, SiLU and
/// Mish +11–38 %, logit and the rectifiers ±3–13 %, none slower beyond noise); elements `$E` are read by `$load` and written by `$store`. The
/// remaining whole vectors and the last partial one run on `$V`, the partial one through
/// zero-padded buffers, so the tail rounds exactly like the body.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
macro_rules! backward_loop {
    ($W:ty, $V:ty, $N:literal, $E:ty, $vjp:ident, $load:ident, $store:ident, $f:expr, $x:expr, $dy:expr, $dx:expr) => {{
        let (f, x, dy, dx) = ($f, $x, $dy, $dx);
        let wide = <$W>::LANES;
        let mut xq = x.chunks_exact(2 * wide);
        let mut dyq = dy.chunks_exact(2 * wide);
        let mut dxq = dx.chunks_exact_mut(2 * wide);
        for ((a, b), c) in (&mut xq).zip(&mut dyq).zip(&mut dxq) {
            for (pa, pb) in a.chunks_exact($N).zip(b.chunks_exact($N)) {
                prefetch_ahead(pa.as_ptr());
                prefetch_ahead(pb.as_ptr());
            }
            let r0 = f.$vjp(<$W>::$load(&a[..]), <$W>::$load(&b[..]));
            let r1 = f.$vjp(<$W>::$load(&a[wide..]), <$W>::$load(&b[wide..]));
            r0.$store(&mut c[..]);
            r1.$store(&mut c[wide..]);
        }
        let (xr, dyr, dxr) = (xq.remainder(), dyq.remainder(), dxq.into_remainder());
        let mut start = 0;
        while start < xr.len() {
            let n = (xr.len() - start).min($N);
            let mut bx = [0.0 as $E; $N];
            let mut bd = [0.0 as $E; $N];
            let mut out = [0.0 as $E; $N];
            bx[..n].copy_from_slice(&xr[start..start + n]);
            bd[..n].copy_from_slice(&dyr[start..start + n]);
            f.$vjp(<$V>::$load(&bx), <$V>::$load(&bd)).$store(&mut out);
            dxr[start..start + n].copy_from_slice(&out[..n]);
            start += n;
        }
    }};
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn backward_f32_avx2<F: GradLanes>(f: &F, x: &[f32], dy: &[f32], dx: &mut [f32]) {
    backward_loop!(
        F64x4,
        F64x4,
        4,
        f32,
        vjp_lanes_f32,
        load_f32,
        store_f32,
        f,
        x,
        dy,
        dx
    )
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn backward_f32_avx512<F: GradLanes>(f: &F, x: &[f32], dy: &[f32], dx: &mut [f32]) {
    backward_loop!(
        Twice<Twice<F64x8>>,
        F64x8,
        8,
        f32,
        vjp_lanes_f32,
        load_f32,
        store_f32,
        f,
        x,
        dy,
        dx
    )
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn backward_f64_avx2<F: GradLanes>(f: &F, x: &[f64], dy: &[f64], dx: &mut [f64]) {
    backward_loop!(F64x4, F64x4, 4, f64, vjp_lanes, load_f64, write_f64, f, x, dy, dx)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
fn backward_f64_avx512<F: GradLanes>(f: &F, x: &[f64], dy: &[f64], dx: &mut [f64]) {
    backward_loop!(
        Twice<Twice<F64x8>>,
        F64x8,
        8,
        f64,
        vjp_lanes,
        load_f64,
        write_f64,
        f,
        x,
        dy,
        dx
    )
}

/// `dx[i] = dy[i]·f′(x[i])` for `f32`, on `isa` (which this CPU has); lengths are equal.
pub(crate) fn backward_lanes_f32<F: GradLanes>(
    isa: Isa,
    f: &F,
    x: &[f32],
    dy: &[f32],
    dx: &mut [f32],
) {
    debug_assert!(x.len() == dy.len() && x.len() == dx.len());
    split3(x, dy, dx, |x, dy, dx| match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { backward_f32_avx2(f, x, dy, dx) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { backward_f32_avx512(f, x, dy, dx) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => backward_loop!(
            F64x2,
            F64x2,
            2,
            f32,
            vjp_lanes_f32,
            load_f32,
            store_f32,
            f,
            x,
            dy,
            dx
        ),
        _ => {
            for ((o, &xi), &di) in dx.iter_mut().zip(x).zip(dy) {
                *o = f.vjp_lanes_f32(xi as f64, di as f64) as f32;
            }
        }
    });
}

/// `dx[i] = dy[i]·f′(x[i])` for `f64`, on `isa` (which this CPU has); lengths are equal.
pub(crate) fn backward_lanes_f64<F: GradLanes>(
    isa: Isa,
    f: &F,
    x: &[f64],
    dy: &[f64],
    dx: &mut [f64],
) {
    debug_assert!(x.len() == dy.len() && x.len() == dx.len());
    split3(x, dy, dx, |x, dy, dx| match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { backward_f64_avx2(f, x, dy, dx) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { backward_f64_avx512(f, x, dy, dx) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => {
            backward_loop!(F64x2, F64x2, 2, f64, vjp_lanes, load_f64, write_f64, f, x, dy, dx)
        }
        _ => {
            for ((o, &xi), &di) in dx.iter_mut().zip(x).zip(dy) {
                *o = f.vjp_lanes(xi, di);
            }
        }
    });
}

/// `dx[i] = dy[i]·f′(x[i])` on a chosen path, for tests that compare the paths bit for bit.
/// Panics if `isa` is not in [`available_isas`] or the lengths differ.
#[doc(hidden)]
pub fn backward_on_isa<T: Float, F: crate::Derivative<T>>(
    isa: Isa,
    f: &F,
    x: &[T],
    dy: &[T],
    dx: &mut [T],
) {
    assert!(
        x.len() == dy.len() && x.len() == dx.len(),
        "backward_on_isa: length mismatch"
    );
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    f.backward_on(isa, x, dy, dx);
}

/// One row of a softmax-family backward pass on `isa` (which this CPU has): the row kernel
/// on 8 or 4 `f64` lanes, or one at a time, with the same accumulator layout on every path.
pub(crate) fn row_backward<E: Float + crate::softmax::LaneElem>(
    isa: Isa,
    log: bool,
    y: Option<&[E]>,
    dy: Option<&[E]>,
    out: &mut [E],
) {
    use crate::softmax_backward::{row_backward as run, RowGrad};
    let kind = if log {
        RowGrad::LogSoftmax
    } else {
        RowGrad::Softmax
    };
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2<E: Float + crate::softmax::LaneElem>(
        kind: RowGrad,
        y: Option<&[E]>,
        dy: Option<&[E]>,
        out: &mut [E],
    ) {
        run::<F64x4, E>(kind, y, dy, out)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512<E: Float + crate::softmax::LaneElem>(
        kind: RowGrad,
        y: Option<&[E]>,
        dy: Option<&[E]>,
        out: &mut [E],
    ) {
        run::<F64x8, E>(kind, y, dy, out)
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `active_isa()` or a path checked against `available_isas`.
        Isa::Avx2Fma => unsafe { avx2(kind, y, dy, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512(kind, y, dy, out) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => run::<F64x2, E>(kind, y, dy, out),
        _ => run::<f64, E>(kind, y, dy, out),
    }
}

/// Softmax (or, with `log`, log-softmax) backward of one row on a chosen path, for tests
/// that compare the paths. Panics if `isa` is not available or the lengths differ.
#[doc(hidden)]
pub fn row_backward_on_isa<T: Float>(isa: Isa, log: bool, y: &[T], dy: &[T], dx: &mut [T]) {
    assert!(
        y.len() == dy.len() && y.len() == dx.len(),
        "row_backward_on_isa: length mismatch"
    );
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    T::row_backward(isa, log, Some(y), Some(dy), dx);
}

/// The rectifiers whose `f32` loops have their own AVX-512 code: a compare and a masked
/// move per 16 lanes (and a min or a multiply), without widening to `f64`. Every result is
/// one IEEE operation or a select, so the bits are those of the scalar `eval`.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) enum Rectifier {
    Relu,
    Relu6,
    Leaky(f32),
}

/// 16 results of a rectifier: x where x > 0 or x is NaN (`_CMP_NLE_UQ`), else the negative
/// branch; relu6 then takes min(6, ·), which returns its second operand, so NaN stays.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
#[inline]
fn rectify16(kind: Rectifier, x: std::arch::x86_64::__m512) -> std::arch::x86_64::__m512 {
    use std::arch::x86_64::*;
    let zero = _mm512_setzero_ps();
    let keep = _mm512_cmp_ps_mask::<_CMP_NLE_UQ>(x, zero);
    match kind {
        Rectifier::Relu => _mm512_maskz_mov_ps(keep, x),
        Rectifier::Relu6 => _mm512_min_ps(_mm512_set1_ps(6.0), _mm512_maskz_mov_ps(keep, x)),
        Rectifier::Leaky(s) => {
            let neg = if s == 0.0 {
                _mm512_set1_ps(-0.0)
            } else {
                _mm512_mul_ps(x, _mm512_set1_ps(s))
            };
            _mm512_mask_mov_ps(neg, keep, x)
        }
    }
}

/// `dst[i] = rectifier(src[i])` for `n` elements; `src` may equal `dst` (each vector is
/// loaded before it is stored). The tail uses masked loads and stores, which touch no
/// memory outside the masked lanes.
///
/// # Safety
/// The CPU has the AVX-512 features of [`Isa::Avx512`]; `src` and `dst` are valid for `n`
/// elements, and either equal or not overlapping.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
unsafe fn rectify_f32_avx512(kind: Rectifier, src: *const f32, dst: *mut f32, n: usize) {
    use std::arch::x86_64::*;
    // Peel a head so the stores (and, for buffers from the same allocator, the loads) are
    // 64-byte aligned: a vector that straddles two cache lines costs two accesses, and
    // large `Vec`s typically start 16 bytes into a line.
    let head = ((64 - (dst as usize) % 64) % 64 / 4).min(n);
    if head > 0 {
        let mask: __mmask16 = (1u16 << head) - 1;
        // SAFETY: the masked lanes are 0..head ≤ n; masked-off lanes are not accessed.
        unsafe {
            let v = _mm512_maskz_loadu_ps(mask, src);
            _mm512_mask_storeu_ps(dst, mask, rectify16(kind, v));
        }
    }
    let mut i = head;
    // Out of place and large: non-temporal stores, as the lane loops (`stream_start`).
    // `dst + head` is 64-byte aligned, as `_mm512_stream_ps` requires.
    let stream = !core::ptr::eq(src, dst) && n * 4 >= STREAM_MIN_BYTES;
    while i + 64 <= n {
        // SAFETY: i + 64 ≤ n, so the four vectors are inside both buffers, and
        // dst + i is 64-byte aligned (i − head is a multiple of 64 elements).
        unsafe {
            let a = rectify16(kind, _mm512_loadu_ps(src.add(i)));
            let b = rectify16(kind, _mm512_loadu_ps(src.add(i + 16)));
            let c = rectify16(kind, _mm512_loadu_ps(src.add(i + 32)));
            let d = rectify16(kind, _mm512_loadu_ps(src.add(i + 48)));
            if stream {
                _mm512_stream_ps(dst.add(i), a);
                _mm512_stream_ps(dst.add(i + 16), b);
                _mm512_stream_ps(dst.add(i + 32), c);
                _mm512_stream_ps(dst.add(i + 48), d);
            } else {
                _mm512_storeu_ps(dst.add(i), a);
                _mm512_storeu_ps(dst.add(i + 16), b);
                _mm512_storeu_ps(dst.add(i + 32), c);
                _mm512_storeu_ps(dst.add(i + 48), d);
            }
        }
        i += 64;
    }
    if stream {
        // The non-temporal stores are weakly ordered: fence them before returning.
        _mm_sfence();
    }
    while i < n {
        let m = (n - i).min(16);
        let mask: __mmask16 = if m == 16 { 0xFFFF } else { (1u16 << m) - 1 };
        // SAFETY: the masked lanes are i..i + m ≤ n; masked-off lanes are not accessed.
        unsafe {
            let v = _mm512_maskz_loadu_ps(mask, src.add(i));
            _mm512_mask_storeu_ps(dst.add(i), mask, rectify16(kind, v));
        }
        i += m;
    }
}

/// `y[i] = f(x[i])` for a rectifier on `isa`: the AVX-512 loop above, or the generic loop.
pub(crate) fn rectify_f32<F: Elementwise<f32>>(
    isa: Isa,
    kind: Rectifier,
    f: &F,
    x: &[f32],
    y: &mut [f32],
) {
    debug_assert_eq!(x.len(), y.len());
    // Only the AVX-512 loop needs to know which rectifier it runs.
    #[cfg(not(target_arch = "x86_64"))]
    let _ = kind;
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => split(x, y, |x, y| {
            let n = x.len().min(y.len());
            // SAFETY: `isa` is `Avx512` only when this CPU has its features (callers pass
            // `active_isa()` or a checked path); x and y are distinct slices of n elements.
            unsafe { rectify_f32_avx512(kind, x.as_ptr(), y.as_mut_ptr(), n) }
        }),
        _ => map_on(isa, f, x, y),
    }
}

/// In place, as [`rectify_f32`].
pub(crate) fn rectify_f32_in_place<F: Elementwise<f32>>(kind: Rectifier, f: &F, xs: &mut [f32]) {
    #[cfg(not(target_arch = "x86_64"))]
    let _ = kind;
    match active_isa() {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => split_in_place(xs, |xs| {
            let n = xs.len();
            let p = xs.as_mut_ptr();
            // SAFETY: `active_isa` returns `Avx512` only after detecting its features; the
            // source and destination are the same n elements, which the loop allows.
            unsafe { rectify_f32_avx512(kind, p, p, n) }
        }),
        _ => map_in_place(f, xs),
    }
}

/// The online-normalizer `f32` softmax of one row in place on a chosen path: the variant the
/// benchmarks compare with the library's three-pass kernel (see
/// `softmax::row_f32_online_lanes`). Panics if `isa` is not available.
#[doc(hidden)]
pub fn row_softmax_online_f32_on_isa(isa: Isa, row: &mut [f32]) {
    use crate::softmax::row_f32_online_lanes;
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2(row: &mut [f32]) {
        row_f32_online_lanes::<F64x4>(row, crate::MaskedRows::Zeros)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512(row: &mut [f32]) {
        row_f32_online_lanes::<F64x8>(row, crate::MaskedRows::Zeros)
    }
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` was checked against `available_isas` above.
        Isa::Avx2Fma => unsafe { avx2(row) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512(row) },
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => row_f32_online_lanes::<F64x2>(row, crate::MaskedRows::Zeros),
        _ => row_f32_online_lanes::<f64>(row, crate::MaskedRows::Zeros),
    }
}
