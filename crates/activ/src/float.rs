//! The two floating-point types activ computes in.

use core::fmt::{Debug, Display};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// `f32` or `f64`: the element types every activ function accepts.
///
/// The trait is sealed; its methods are the few conversions the generic code needs.
pub trait Float:
    sealed::Sealed + Copy + PartialOrd + Debug + Display + Default + Send + Sync + 'static
{
    /// Additive identity.
    const ZERO: Self;
    /// Multiplicative identity.
    const ONE: Self;
    /// Positive infinity.
    const INFINITY: Self;
    /// Negative infinity.
    const NEG_INFINITY: Self;
    /// A quiet NaN.
    const NAN: Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// Converts from `f64`, rounding to nearest, ties to even.
    fn from_f64(x: f64) -> Self;
    /// True for a finite value.
    fn is_finite(self) -> bool;
    /// True for NaN.
    fn is_nan(self) -> bool;
    /// Softmax (or, with `log`, log-softmax) of one row in place, by this type's kernel.
    #[doc(hidden)]
    fn row_softmax(isa: crate::Isa, row: &mut [Self], masked: crate::MaskedRows, log: bool);
    /// logsumexp of one row, by this type's kernel.
    #[doc(hidden)]
    fn row_logsumexp(isa: crate::Isa, row: &[Self]) -> Self;
    /// Softmax (or, with `log`, log-softmax) backward of one row by this type's kernel; a
    /// `None` input is read from `out`.
    #[doc(hidden)]
    fn row_backward(
        isa: crate::Isa,
        log: bool,
        y: Option<&[Self]>,
        dy: Option<&[Self]>,
        out: &mut [Self],
    );
}

impl Float for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const INFINITY: Self = f32::INFINITY;
    const NEG_INFINITY: Self = f32::NEG_INFINITY;
    const NAN: Self = f32::NAN;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }
    #[inline(always)]
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
    fn row_softmax(isa: crate::Isa, row: &mut [Self], masked: crate::MaskedRows, log: bool) {
        crate::dispatch::row_softmax_f32(isa, row, masked, log);
    }
    fn row_logsumexp(isa: crate::Isa, row: &[Self]) -> Self {
        crate::dispatch::row_logsumexp_f32(isa, row)
    }
    fn row_backward(
        isa: crate::Isa,
        log: bool,
        y: Option<&[Self]>,
        dy: Option<&[Self]>,
        out: &mut [Self],
    ) {
        crate::dispatch::row_backward(isa, log, y, dy, out);
    }
}

impl Float for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    const INFINITY: Self = f64::INFINITY;
    const NEG_INFINITY: Self = f64::NEG_INFINITY;
    const NAN: Self = f64::NAN;
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
    #[inline(always)]
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    fn row_softmax(isa: crate::Isa, row: &mut [Self], masked: crate::MaskedRows, log: bool) {
        crate::dispatch::row_softmax_f64(isa, row, masked, log);
    }
    fn row_logsumexp(isa: crate::Isa, row: &[Self]) -> Self {
        crate::dispatch::row_logsumexp_f64(isa, row)
    }
    fn row_backward(
        isa: crate::Isa,
        log: bool,
        y: Option<&[Self]>,
        dy: Option<&[Self]>,
        out: &mut [Self],
    ) {
        crate::dispatch::row_backward(isa, log, y, dy, out);
    }
}
