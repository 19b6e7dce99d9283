//! # activ: neural-network activation functions, exact at the edges
//!
//! Every function comes in `f32` and `f64`, as a scalar, over a slice (out of place or in
//! place), and — for the softmax family — over the rows of a matrix. Every function has a
//! stated, tested accuracy bound in ULPs over its whole domain, and stated results for NaN,
//! ±∞, −0.0, subnormals and extreme inputs. Nothing overflows to NaN where the true value
//! is finite, and subnormal results are computed, not flushed to zero.
//!
//! ```
//! use activ::{Elementwise, Softplus};
//!
//! // Scalars, generic over f32 and f64.
//! assert_eq!(activ::sigmoid(0.0f32), 0.5);
//! assert_eq!(activ::relu(-3.0f64), 0.0);
//!
//! // Slices, out of place (lengths checked) and in place.
//! let x = [-2.0f32, 0.0, 2.0];
//! let mut y = [0.0f32; 3];
//! activ::Sigmoid.apply(&x, &mut y)?;
//! let mut v = x;
//! Softplus::new(2.0f32)?.apply_in_place(&mut v);
//!
//! // Softmax over the rows of a row-major matrix.
//! let logits = [1.0f64, 2.0, 3.0, 4.0];
//! let mut p = [0.0f64; 4];
//! activ::softmax(&logits, &mut p, 2, 2)?;
//! # Ok::<(), activ::Error>(())
//! ```
//!
//! ## Bit-identical results
//! A function returns the same bits for the same input whichever way it is called: the
//! scalar form, a slice of any length, offset or alignment, in place or not, on any
//! instruction-set path. There is one kernel per function, written as straight-line
//! arithmetic (fused multiply-adds, bit operations and selects) with no libm call, and
//! every element of a slice goes through it.
//!
//! ## Families
//! - [logistic](crate::Sigmoid): [`sigmoid`], [`log_sigmoid`], [`logit`], [`LogitEps`]
//! - rectifiers: [`relu`], [`relu6`], [`leaky_relu`], [`elu`], [`selu`], [`celu`]
//! - smooth: [`softplus`], [`tanh`], [`gelu`], [`gelu_tanh`], [`silu`], [`mish`], [`softsign`]
//! - hard: [`hard_sigmoid`], [`hard_swish`]
//! - rows: [`softmax`], [`log_softmax`], [`logsumexp`], and the strided forms on [`Rows`]
#![deny(unsafe_code)]
#![warn(missing_docs)]

mod derivative;
mod dispatch;
mod elementwise;
mod error;
mod float;
mod gelu;
mod hard;
mod logistic;
pub(crate) mod math;
mod rectifier;
mod simd;
mod simd32;
mod smooth;
pub(crate) mod softmax;
mod softmax_backward;
mod twice;

pub use derivative::Derivative;
pub use dispatch::{
    active_isa, apply_on_isa, available_isas, backward_on_isa, row_backward_on_isa,
    row_logsumexp_on_isa, row_softmax_on_isa, row_softmax_online_f32_on_isa, Isa,
};
pub use elementwise::Elementwise;
pub use error::Error;
pub use float::Float;
pub use gelu::{gelu, gelu_grad, gelu_tanh, gelu_tanh_grad, Gelu, GeluTanh};
pub use hard::{
    hard_sigmoid, hard_sigmoid_grad, hard_swish, hard_swish_grad, HardSigmoid, HardSwish,
};
pub use logistic::{
    log_sigmoid, log_sigmoid_grad, logit, logit_grad, sigmoid, sigmoid_grad, LogSigmoid, Logit,
    LogitEps, Sigmoid,
};
pub use rectifier::{
    celu, elu, leaky_relu, relu, relu6, relu6_grad, relu_grad, selu, selu_grad, Celu, Elu,
    LeakyRelu, Relu, Relu6, Selu,
};
pub use smooth::{
    mish, mish_grad, silu, silu_grad, softplus, softsign, softsign_grad, tanh, tanh_grad, Mish,
    Silu, Softplus, Softsign, Tanh,
};
pub use softmax::{
    log_softmax, log_softmax_in_place, log_softmax_rows, log_softmax_rows_in_place, logsumexp,
    logsumexp_rows, softmax, softmax_in_place, softmax_rows, softmax_rows_in_place, MaskedRows,
    Rows, RowsMut,
};
pub use softmax_backward::{
    log_softmax_backward, log_softmax_backward_in_place, log_softmax_backward_rows,
    log_softmax_backward_rows_in_place, log_softmax_backward_rows_over_output, logsumexp_backward,
    logsumexp_backward_in_place, logsumexp_backward_rows, logsumexp_backward_rows_in_place,
    softmax_backward, softmax_backward_in_place, softmax_backward_rows,
    softmax_backward_rows_in_place, softmax_backward_rows_over_output,
};

/// The README's Rust example, compiled and run as a doctest so it cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
