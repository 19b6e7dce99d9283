//! The elementwise interface: one trait for every function of one input, and the slice
//! loops that run it.
//!
//! The slice forms call the very same scalar kernel on every element; there is no separate
//! head, body or tail code that could round differently. The loop is compiled twice — once
//! for the baseline target and once with AVX2+FMA enabled, chosen at run time — and both
//! give the same bits, because every operation in a kernel (including `mul_add`) is a
//! correctly rounded IEEE operation.

use crate::{Error, Float};

/// A function applied elementwise: `y = f(x)`.
///
/// Implemented for `f32` and `f64` by every activation of one input: the unit structs
/// ([`Sigmoid`](crate::Sigmoid), [`Relu`](crate::Relu), …) and the parametrized ones
/// ([`LeakyRelu`](crate::LeakyRelu), [`Softplus`](crate::Softplus), …).
///
/// ```
/// use activ::{Elementwise, LeakyRelu, Sigmoid};
///
/// let x = [-1.0f32, 0.0, 2.0];
/// let mut y = [0.0f32; 3];
/// Sigmoid.apply(&x, &mut y)?;
/// assert_eq!(y[1], 0.5);
///
/// let mut v = x;
/// LeakyRelu::new(0.2f32)?.apply_in_place(&mut v);
/// assert_eq!(v, [-0.2, 0.0, 2.0]);
/// # Ok::<(), activ::Error>(())
/// ```
pub trait Elementwise<T: Float>: Copy + Send + Sync {
    /// The function at one point.
    fn eval(&self, x: T) -> T;

    /// `y[i] = f(x[i])`. Fails with [`Error::LengthMismatch`], writing nothing, unless
    /// `x.len() == y.len()`.
    fn apply(&self, x: &[T], y: &mut [T]) -> Result<(), Error> {
        if x.len() != y.len() {
            return Err(Error::LengthMismatch {
                expected: x.len(),
                found: y.len(),
            });
        }
        self.map_on(crate::dispatch::active_isa(), x, y);
        Ok(())
    }

    /// `xs[i] = f(xs[i])`.
    fn apply_in_place(&self, xs: &mut [T]) {
        self.map_slice_in_place(xs);
    }

    /// The slice loop behind [`apply`](Elementwise::apply) on the path `isa`, which this
    /// CPU supports, lengths already checked. activ's functions override it with their
    /// vector kernels; it must give the same bits as [`eval`](Elementwise::eval).
    #[doc(hidden)]
    fn map_on(&self, isa: crate::Isa, x: &[T], y: &mut [T]) {
        crate::dispatch::map_on(isa, self, x, y);
    }

    /// The loop behind [`apply_in_place`](Elementwise::apply_in_place).
    #[doc(hidden)]
    fn map_slice_in_place(&self, xs: &mut [T]) {
        crate::dispatch::map_in_place(self, xs);
    }
}

/// An `f32` function written once over `f64` lanes ([`F64s`](crate::simd::F64s)): the scalar
/// form instantiates it at `f64`, the vector loops at AVX2 and AVX-512 registers.
pub(crate) trait LanesF32: Copy + Send + Sync {
    /// Whether the AVX-512 loop runs this kernel on four vectors interleaved operation by
    /// operation (`Twice<Twice<V>>`, see the `twice` module). Chosen per kernel by
    /// measurement, as for [`LanesF64`].
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))] // read by the AVX-512 loop only
    const INTERLEAVED: bool = false;
    /// f(x) on each lane of widened `f32` inputs, before the one rounding to `f32`.
    fn lanes<V: crate::simd::F64s>(&self, x: V) -> V;

    /// [`lanes`](LanesF32::lanes) with NaN inputs returned quieted (`x + x`), payload kept.
    /// Every path ends with this select, so a NaN's bits do not depend on how the kernel's
    /// arithmetic (or the compiler) propagated it.
    #[inline(always)]
    fn lanes_nan_kept<V: crate::simd::F64s>(&self, x: V) -> V {
        V::select(crate::simd::F64s::is_nan(x), x + x, self.lanes(x))
    }
}

/// An `f32` function written once over `f32` lanes ([`F32s`](crate::simd32::F32s)), for
/// the kernels that carry their own error terms in single precision (16 lanes per
/// AVX-512 register instead of 8).
pub(crate) trait LanesF32Native: Copy + Send + Sync {
    /// Whether the x86 loops run this kernel on four interleaved vectors per call
    /// (`Twice<Twice<V>>`, see the `twice` module), on AVX-512 and AVX2. Chosen per kernel
    /// by measurement; it helps the long kernels and not the short ones.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))] // read by the x86 loops only
    const INTERLEAVED: bool = false;
    /// [`INTERLEAVED`](LanesF32Native::INTERLEAVED) for the AVX2 loop, where a kernel may
    /// gain from it when it does not on AVX-512 (sigmoid and GELU, measured on an AVX2-only
    /// AMD EPYC, Zen 3).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))] // read by the x86 loops only
    const INTERLEAVED_AVX2: bool = Self::INTERLEAVED;
    /// f(x) on each lane.
    fn lanes32<V: crate::simd32::F32s>(&self, x: V) -> V;

    /// [`lanes32`](LanesF32Native::lanes32) with NaN inputs returned quieted (`x + x`).
    #[inline(always)]
    fn lanes32_nan_kept<V: crate::simd32::F32s>(&self, x: V) -> V {
        V::select(crate::simd32::F32s::is_nan(x), x + x, self.lanes32(x))
    }
}

/// An `f64` function written once over `f64` lanes; the scalar form is the `V = f64`
/// instantiation.
pub(crate) trait LanesF64: Copy + Send + Sync {
    /// How many vectors the AVX-512 loop runs this kernel on per call, interleaved
    /// operation by operation: 1, 2 (`Twice<V>`) or 4 (`Twice<Twice<V>>`, see the `twice`
    /// module). Chosen per kernel by measurement: it helps the long kernels and not the
    /// short ones, and four chains of double-double pairs can run out of registers (f64
    /// sigmoid's double-double kernel spilled to the stack with four and ran 12–20 % faster
    /// with two on a Zen 4; its plain-`f64` kernel runs alike with two and four, and 3–5 %
    /// slower with one).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))] // read by the AVX-512 loop only
    const INTERLEAVE: usize = 1;
    /// f(x) on each lane.
    fn lanes64<V: crate::simd::F64s>(&self, x: V) -> V;

    /// [`lanes64`](LanesF64::lanes64) with NaN inputs returned quieted (`x + x`).
    #[inline(always)]
    fn lanes64_nan_kept<V: crate::simd::F64s>(&self, x: V) -> V {
        V::select(crate::simd::F64s::is_nan(x), x + x, self.lanes64(x))
    }
}

/// Implements `Elementwise<f64>` for a type with a [`LanesF64`] kernel.
macro_rules! f64_via_lanes {
    ($Struct:ty) => {
        impl $crate::Elementwise<f64> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f64) -> f64 {
                $crate::elementwise::LanesF64::lanes64_nan_kept(self, x)
            }
            fn map_on(&self, isa: $crate::Isa, x: &[f64], y: &mut [f64]) {
                $crate::dispatch::map_lanes_f64(isa, self, x, y);
            }
            fn map_slice_in_place(&self, xs: &mut [f64]) {
                $crate::dispatch::map_lanes_f64_in_place(self, xs);
            }
        }
    };
}
pub(crate) use f64_via_lanes;

/// Implements `Elementwise<f32>` for a type with a [`LanesF32`] kernel.
macro_rules! f32_via_lanes {
    ($Struct:ty) => {
        impl $crate::Elementwise<f32> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f32) -> f32 {
                $crate::elementwise::LanesF32::lanes_nan_kept(self, x as f64) as f32
            }
            fn map_on(&self, isa: $crate::Isa, x: &[f32], y: &mut [f32]) {
                $crate::dispatch::map_lanes_f32(isa, self, x, y);
            }
            fn map_slice_in_place(&self, xs: &mut [f32]) {
                $crate::dispatch::map_lanes_f32_in_place(self, xs);
            }
        }
    };
}
pub(crate) use f32_via_lanes;

/// Implements `Elementwise<f32>` for a type with a [`LanesF32Native`] kernel.
macro_rules! f32_via_lanes32 {
    ($Struct:ty) => {
        impl $crate::Elementwise<f32> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f32) -> f32 {
                $crate::elementwise::LanesF32Native::lanes32_nan_kept(self, x)
            }
            fn map_on(&self, isa: $crate::Isa, x: &[f32], y: &mut [f32]) {
                $crate::dispatch::map_lanes32(isa, self, x, y);
            }
            fn map_slice_in_place(&self, xs: &mut [f32]) {
                $crate::dispatch::map_lanes32_in_place(self, xs);
            }
        }
    };
}
pub(crate) use f32_via_lanes32;

/// Implements `Elementwise<f32>` for a type whose parameter picks its kernel: the type's
/// `lanes32_kernel()` returns an `f32`-lane ([`LanesF32Native`]) kernel where the parameter
/// allows one, and `None` sends the call to the type's own [`LanesF32`] (`f64`-lane)
/// kernel. The choice depends on the parameter only, so `eval` and the slice loops agree.
macro_rules! f32_via_lanes32_or_lanes {
    ($Struct:ty) => {
        impl $crate::Elementwise<f32> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f32) -> f32 {
                use $crate::elementwise::{LanesF32, LanesF32Native};
                match self.lanes32_kernel() {
                    Some(k) => k.lanes32_nan_kept(x),
                    None => self.lanes_nan_kept(x as f64) as f32,
                }
            }
            fn map_on(&self, isa: $crate::Isa, x: &[f32], y: &mut [f32]) {
                match self.lanes32_kernel() {
                    Some(k) => $crate::dispatch::map_lanes32(isa, &k, x, y),
                    None => $crate::dispatch::map_lanes_f32(isa, self, x, y),
                }
            }
            fn map_slice_in_place(&self, xs: &mut [f32]) {
                match self.lanes32_kernel() {
                    Some(k) => $crate::dispatch::map_lanes32_in_place(&k, xs),
                    None => $crate::dispatch::map_lanes_f32_in_place(self, xs),
                }
            }
        }
    };
}
pub(crate) use f32_via_lanes32_or_lanes;

/// Defines a unit struct for a function without parameters, its `Elementwise` impls and the
/// generic scalar shorthand `activ::name(x)`.
macro_rules! unit_function {
    // The struct, its `f64` lanes and the shorthand, shared by the two lane arms below.
    // `(interleaved)` before a kernel sets its `INTERLEAVED` (see `LanesF32Native`), or
    // its `INTERLEAVE` to 4 for an `f64` kernel (`(interleaved_two)`: 2, see `LanesF64`);
    // `(interleaved_on_avx2)` before an `f32`-lane kernel sets `INTERLEAVED_AVX2` only.
    (@yes interleaved) => {
        true
    };
    (@count interleaved) => {
        4
    };
    (@count interleaved_two) => {
        2
    };
    (@lanes32_consts interleaved) => {
        const INTERLEAVED: bool = true;
    };
    (@lanes32_consts interleaved_on_avx2) => {
        const INTERLEAVED_AVX2: bool = true;
    };
    (
        @common [$(#[$struct_doc:meta])*] $Struct:ident [$(#[$fn_doc:meta])*] $name:ident,
        [$($i64:ident)?] $f64_lanes:path
    ) => {
        $(#[$struct_doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $Struct;

        impl $crate::elementwise::LanesF64 for $Struct {
            $(const INTERLEAVE: usize = $crate::elementwise::unit_function!(@count $i64);)?
            #[inline(always)]
            fn lanes64<V: $crate::simd::F64s>(&self, x: V) -> V {
                $f64_lanes(x)
            }
        }
        $crate::elementwise::f64_via_lanes!($Struct);

        $(#[$fn_doc])*
        #[inline]
        pub fn $name<T: $crate::Float>(x: T) -> T
        where
            $Struct: $crate::Elementwise<T>,
        {
            $crate::Elementwise::eval(&$Struct, x)
        }
    };
    (
        $(#[$struct_doc:meta])*
        $Struct:ident,
        $(#[$fn_doc:meta])*
        fn $name:ident, lanes32 $(($i32:ident))? $f32_lanes:path,
        lanes64 $(($i64:ident))? $f64_lanes:path
    ) => {
        $crate::elementwise::unit_function!(
            @common [$(#[$struct_doc])*] $Struct [$(#[$fn_doc])*] $name, [$($i64)?] $f64_lanes
        );
        impl $crate::elementwise::LanesF32Native for $Struct {
            $($crate::elementwise::unit_function!(@lanes32_consts $i32);)?
            #[inline(always)]
            fn lanes32<V: $crate::simd32::F32s>(&self, x: V) -> V {
                $f32_lanes(x)
            }
        }
        $crate::elementwise::f32_via_lanes32!($Struct);
    };
    (
        $(#[$struct_doc:meta])*
        $Struct:ident,
        $(#[$fn_doc:meta])*
        fn $name:ident, lanes $(($i32:ident))? $f32_lanes:path,
        lanes64 $(($i64:ident))? $f64_lanes:path
    ) => {
        $crate::elementwise::unit_function!(
            @common [$(#[$struct_doc])*] $Struct [$(#[$fn_doc])*] $name, [$($i64)?] $f64_lanes
        );
        impl $crate::elementwise::LanesF32 for $Struct {
            $(const INTERLEAVED: bool = $crate::elementwise::unit_function!(@yes $i32);)?
            #[inline(always)]
            fn lanes<V: $crate::simd::F64s>(&self, x: V) -> V {
                $f32_lanes(x)
            }
        }
        $crate::elementwise::f32_via_lanes!($Struct);
    };
    (
        $(#[$struct_doc:meta])*
        $Struct:ident,
        $(#[$fn_doc:meta])*
        fn $name:ident, lanes $f32_lanes:path, $f64_kernel:path
    ) => {
        $(#[$struct_doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $Struct;

        impl $crate::elementwise::LanesF32 for $Struct {
            #[inline(always)]
            fn lanes<V: $crate::simd::F64s>(&self, x: V) -> V {
                $f32_lanes(x)
            }
        }
        $crate::elementwise::f32_via_lanes!($Struct);

        impl $crate::Elementwise<f64> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f64) -> f64 {
                $f64_kernel(x)
            }
        }

        $(#[$fn_doc])*
        #[inline]
        pub fn $name<T: $crate::Float>(x: T) -> T
        where
            $Struct: $crate::Elementwise<T>,
        {
            $crate::Elementwise::eval(&$Struct, x)
        }
    };
    (
        $(#[$struct_doc:meta])*
        $Struct:ident,
        $(#[$fn_doc:meta])*
        fn $name:ident, $f32_kernel:path, $f64_kernel:path, map_f32 $kind:expr
    ) => {
        $(#[$struct_doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $Struct;

        impl $crate::Elementwise<f32> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f32) -> f32 {
                $f32_kernel(x)
            }
            fn map_on(&self, isa: $crate::Isa, x: &[f32], y: &mut [f32]) {
                $crate::dispatch::rectify_f32(isa, $kind, self, x, y);
            }
            fn map_slice_in_place(&self, xs: &mut [f32]) {
                $crate::dispatch::rectify_f32_in_place($kind, self, xs);
            }
        }

        impl $crate::Elementwise<f64> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f64) -> f64 {
                $f64_kernel(x)
            }
        }

        $(#[$fn_doc])*
        #[inline]
        pub fn $name<T: $crate::Float>(x: T) -> T
        where
            $Struct: $crate::Elementwise<T>,
        {
            $crate::Elementwise::eval(&$Struct, x)
        }
    };
}
pub(crate) use unit_function;

/// Checks a parameter and builds the error that names it.
pub(crate) fn require<T: Float>(
    ok: bool,
    name: &'static str,
    requirement: &'static str,
    value: T,
) -> Result<T, Error> {
    if ok {
        Ok(value)
    } else {
        Err(Error::InvalidParameter { name, requirement })
    }
}
