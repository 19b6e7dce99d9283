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
pub trait Elementwise<T: Float>: Copy {
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
        crate::dispatch::map(self, x, y);
        Ok(())
    }

    /// `xs[i] = f(xs[i])`.
    fn apply_in_place(&self, xs: &mut [T]) {
        crate::dispatch::map_in_place(self, xs);
    }
}

/// Defines a unit struct for a function without parameters, its `Elementwise` impls and the
/// generic scalar shorthand `activ::name(x)`.
macro_rules! unit_function {
    (
        $(#[$struct_doc:meta])*
        $Struct:ident,
        $(#[$fn_doc:meta])*
        fn $name:ident, $f32_kernel:path, $f64_kernel:path
    ) => {
        $(#[$struct_doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $Struct;

        impl $crate::Elementwise<f32> for $Struct {
            #[inline(always)]
            fn eval(&self, x: f32) -> f32 {
                $f32_kernel(x)
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
