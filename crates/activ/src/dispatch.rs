//! Run-time selection of the slice loop.
//!
//! The kernels are `#[inline(always)]`, so each loop below gets its own copy of the kernel
//! compiled for the loop's target features. With FMA available, `mul_add` becomes one
//! instruction instead of a call into libm's `fma`; the result is the same correctly rounded
//! value either way, so every path gives the same bits. `ACTIV_FORCE_ISA=portable` forces
//! the baseline loop (read once per process), which the tests use to compare the paths.
#![allow(unsafe_code)]

use crate::{Elementwise, Float};

/// The instruction-set path the slice loops run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// Baseline target features only.
    Portable,
    /// x86-64 with AVX2 and FMA.
    Avx2Fma,
}

impl Isa {
    /// A short lowercase name, as accepted by `ACTIV_FORCE_ISA`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2Fma => "avx2",
        }
    }
}

/// The path the slice loops use in this process.
pub fn active_isa() -> Isa {
    use std::sync::OnceLock;
    static ISA: OnceLock<Isa> = OnceLock::new();
    *ISA.get_or_init(|| {
        let forced = std::env::var("ACTIV_FORCE_ISA").ok();
        if forced.as_deref() == Some("portable") {
            return Isa::Portable;
        }
        detect()
    })
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Isa {
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        Isa::Avx2Fma
    } else {
        Isa::Portable
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Isa {
    Isa::Portable
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
#[target_feature(enable = "avx2,fma")]
fn map_in_place_avx2<T: Float, F: Elementwise<T>>(f: &F, xs: &mut [T]) {
    map_in_place_portable(f, xs)
}

/// The paths this CPU can run, the portable one first.
pub fn available_isas() -> Vec<Isa> {
    let mut isas = vec![Isa::Portable];
    if detect() != Isa::Portable {
        isas.push(detect());
    }
    isas
}

/// `y[i] = f(x[i])` on a chosen path, for tests that compare the paths bit for bit.
/// Panics if `isa` is not in [`available_isas`] or the lengths differ.
#[doc(hidden)]
pub fn apply_on_isa<T: Float, F: Elementwise<T>>(isa: Isa, f: &F, x: &[T], y: &mut [T]) {
    assert_eq!(x.len(), y.len(), "apply_on_isa: length mismatch");
    assert!(available_isas().contains(&isa), "{isa:?} is not available");
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: checked above that this CPU supports the path's features.
        Isa::Avx2Fma => unsafe { map_avx2(f, x, y) },
        _ => map_portable(f, x, y),
    }
}

/// `y[i] = f(x[i])`; lengths are equal (checked by the caller).
pub(crate) fn map<T: Float, F: Elementwise<T>>(f: &F, x: &[T], y: &mut [T]) {
    debug_assert_eq!(x.len(), y.len());
    match active_isa() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx2Fma` only after detecting AVX2 and FMA on this CPU.
        Isa::Avx2Fma => unsafe { map_avx2(f, x, y) },
        _ => map_portable(f, x, y),
    }
}

/// `xs[i] = f(xs[i])`.
pub(crate) fn map_in_place<T: Float, F: Elementwise<T>>(f: &F, xs: &mut [T]) {
    match active_isa() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `active_isa` returns `Avx2Fma` only after detecting AVX2 and FMA on this CPU.
        Isa::Avx2Fma => unsafe { map_in_place_avx2(f, xs) },
        _ => map_in_place_portable(f, xs),
    }
}
