//! The error type of the slice and row APIs.

use core::fmt;

/// Why a slice or row call refused to run. When one is returned, nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// An output (or input) slice has the wrong number of elements.
    LengthMismatch {
        /// What the call needed.
        expected: usize,
        /// What it was given.
        found: usize,
    },
    /// Two matrix views that must have the same shape do not.
    ShapeMismatch {
        /// `(rows, cols)` of the input.
        expected: (usize, usize),
        /// `(rows, cols)` of the output.
        found: (usize, usize),
    },
    /// A row stride is smaller than the number of columns, so rows would overlap.
    StrideTooSmall {
        /// The stride given.
        stride: usize,
        /// The number of columns.
        cols: usize,
    },
    /// `rows × cols` (or the extent of a strided view) does not fit in `usize`.
    SizeOverflow,
    /// A parameter is outside the function's domain.
    InvalidParameter {
        /// The parameter's name, as in the function's signature.
        name: &'static str,
        /// What a valid value is.
        requirement: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::LengthMismatch { expected, found } => {
                write!(
                    f,
                    "length mismatch: expected {expected} elements, found {found}"
                )
            }
            Error::ShapeMismatch { expected, found } => write!(
                f,
                "shape mismatch: input is {}×{}, output is {}×{}",
                expected.0, expected.1, found.0, found.1
            ),
            Error::StrideTooSmall { stride, cols } => {
                write!(f, "row stride {stride} is smaller than the {cols} columns")
            }
            Error::SizeOverflow => f.write_str("matrix extent overflows usize"),
            Error::InvalidParameter { name, requirement } => {
                write!(f, "invalid parameter {name}: must be {requirement}")
            }
        }
    }
}

impl std::error::Error for Error {}
