//! The table of functions under audit: what to call, what to compare against, and the
//! bound each must meet.
//!
//! Parametrized functions appear once with their default parameters, under the plain name,
//! and again for a few other parameters (named like `softplus(beta=2)`), because a kernel
//! can be right for β = 1 and wrong where β|x| needs its double-double tail.

use std::fmt;
use std::sync::Arc;

use activ::{Celu, Elementwise, Elu, LeakyRelu, LogitEps, Softplus};
use rug::Float;

use crate::reference::{careful, mpfr};

/// An `f32` function of activ.
pub type F32Fn = Arc<dyn Fn(f32) -> f32 + Send + Sync>;
/// An `f64` function of activ.
pub type F64Fn = Arc<dyn Fn(f64) -> f64 + Send + Sync>;
/// The `f64` reference for the `f32` function (input: the `f32` value, exactly).
pub type F32Reference = Arc<dyn Fn(f64) -> f64 + Send + Sync>;
/// The MPFR reference for the `f64` function.
pub type F64Reference = Arc<dyn Fn(f64) -> Float + Send + Sync>;

/// The accuracy a function promises.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The result is the exact value rounded to nearest, bit for bit.
    CorrectlyRounded,
    /// The error is at most this many ULPs of the exact value.
    Ulp(f64),
}

impl Bound {
    /// Whether a measured maximum error (and count of results that are not the nearest
    /// value) meets the bound.
    pub fn admits(&self, max_ulp: f64, misrounded: u64) -> bool {
        match *self {
            Bound::CorrectlyRounded => misrounded == 0,
            Bound::Ulp(b) => max_ulp <= b,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::CorrectlyRounded => f.write_str("correctly rounded"),
            Bound::Ulp(b) => write!(f, "≤ {b} ULP"),
        }
    }
}

/// Where random `f64` inputs are drawn from. The `f32` sweep always covers every bit
/// pattern, whatever the domain, so NaN results outside it are checked too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Every finite `f64`.
    Real,
    /// [0, 1] (logit): random draws there, near 0 and near 1.
    UnitInterval,
}

/// One function under audit.
#[derive(Clone)]
pub struct Case {
    /// The function's name, with its parameters when they are not the defaults.
    pub name: String,
    /// activ's `f32` function.
    pub f32_fn: F32Fn,
    /// activ's `f64` function.
    pub f64_fn: F64Fn,
    /// The careful-`f64` reference for `f32`.
    pub f32_reference: F32Reference,
    /// The MPFR reference for `f64`.
    pub f64_reference: F64Reference,
    /// The `f32` bound.
    pub f32_bound: Bound,
    /// The `f64` bound.
    pub f64_bound: Bound,
    /// Where to sample `f64` inputs.
    pub domain: Domain,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("name", &self.name)
            .field("f32_bound", &self.f32_bound)
            .field("f64_bound", &self.f64_bound)
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

/// The contract: every function within 2 ULP in `f64`.
const F64_BOUND: Bound = Bound::Ulp(2.0);
/// The smooth functions computed in `f64` and rounded once: 1 ULP in `f32`.
const F32_ONE: Bound = Bound::Ulp(1.0);
/// gelu, gelu_tanh and mish: 2 ULP in `f32`.
const F32_TWO: Bound = Bound::Ulp(2.0);

#[allow(clippy::too_many_arguments)]
fn case(
    name: impl Into<String>,
    f32_fn: impl Fn(f32) -> f32 + Send + Sync + 'static,
    f64_fn: impl Fn(f64) -> f64 + Send + Sync + 'static,
    f32_reference: impl Fn(f64) -> f64 + Send + Sync + 'static,
    f64_reference: impl Fn(f64) -> Float + Send + Sync + 'static,
    f32_bound: Bound,
    f64_bound: Bound,
    domain: Domain,
) -> Case {
    Case {
        name: name.into(),
        f32_fn: Arc::new(f32_fn),
        f64_fn: Arc::new(f64_fn),
        f32_reference: Arc::new(f32_reference),
        f64_reference: Arc::new(f64_reference),
        f32_bound,
        f64_bound,
        domain,
    }
}

fn leaky_relu_case(name: &str, slope: f64) -> Case {
    let f32_fn = LeakyRelu::new(slope as f32).expect("a finite slope");
    let f64_fn = LeakyRelu::new(slope).expect("a finite slope");
    // The f32 function multiplies by the f32 slope: that is the function to measure.
    let slope32 = slope as f32 as f64;
    case(
        name,
        move |x| f32_fn.eval(x),
        move |x| f64_fn.eval(x),
        move |x| careful::leaky_relu(x, slope32),
        move |x| mpfr::leaky_relu(x, slope),
        Bound::CorrectlyRounded,
        F64_BOUND,
        Domain::Real,
    )
}

fn elu_case(name: &str, alpha: f64) -> Case {
    let f32_fn = Elu::new(alpha as f32).expect("a finite alpha");
    let f64_fn = Elu::new(alpha).expect("a finite alpha");
    let alpha32 = alpha as f32 as f64;
    case(
        name,
        move |x| f32_fn.eval(x),
        move |x| f64_fn.eval(x),
        move |x| careful::elu(x, alpha32),
        move |x| mpfr::elu(x, alpha),
        F32_ONE,
        F64_BOUND,
        Domain::Real,
    )
}

fn celu_case(name: &str, alpha: f64) -> Case {
    let f32_fn = Celu::new(alpha as f32).expect("a finite non-zero alpha");
    let f64_fn = Celu::new(alpha).expect("a finite non-zero alpha");
    let alpha32 = alpha as f32 as f64;
    case(
        name,
        move |x| f32_fn.eval(x),
        move |x| f64_fn.eval(x),
        move |x| careful::celu(x, alpha32),
        move |x| mpfr::celu(x, alpha),
        F32_ONE,
        F64_BOUND,
        Domain::Real,
    )
}

fn softplus_case(name: &str, beta: f64) -> Case {
    let f32_fn = Softplus::new(beta as f32).expect("a finite positive beta");
    let f64_fn = Softplus::new(beta).expect("a finite positive beta");
    let beta32 = beta as f32 as f64;
    case(
        name,
        move |x| f32_fn.eval(x),
        move |x| f64_fn.eval(x),
        move |x| careful::softplus(x, beta32),
        move |x| mpfr::softplus(x, beta),
        F32_ONE,
        F64_BOUND,
        Domain::Real,
    )
}

fn logit_eps_case(name: &str, eps: f64) -> Case {
    let f32_fn = LogitEps::new(eps as f32).expect("eps in [0, 0.5]");
    let f64_fn = LogitEps::new(eps).expect("eps in [0, 0.5]");
    // activ clamps in the argument's type, so the upper bound is 1 − eps rounded in that
    // type; the references clamp to the same two points.
    let (lo32, hi32) = (eps as f32 as f64, (1.0 - eps as f32) as f64);
    let (lo64, hi64) = (eps, 1.0 - eps);
    case(
        name,
        move |x| f32_fn.eval(x),
        move |x| f64_fn.eval(x),
        move |p| careful::logit_clamped(p, lo32, hi32),
        move |p| mpfr::logit_clamped(p, lo64, hi64),
        F32_ONE,
        F64_BOUND,
        Domain::UnitInterval,
    )
}

/// Every function under audit, defaults first, then the parametrized variants.
pub fn cases() -> Vec<Case> {
    vec![
        case(
            "sigmoid",
            activ::sigmoid::<f32>,
            activ::sigmoid::<f64>,
            careful::sigmoid,
            mpfr::sigmoid,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "log_sigmoid",
            activ::log_sigmoid::<f32>,
            activ::log_sigmoid::<f64>,
            careful::log_sigmoid,
            mpfr::log_sigmoid,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "logit",
            activ::logit::<f32>,
            activ::logit::<f64>,
            careful::logit,
            mpfr::logit,
            F32_ONE,
            F64_BOUND,
            Domain::UnitInterval,
        ),
        case(
            "relu",
            activ::relu::<f32>,
            activ::relu::<f64>,
            careful::relu,
            mpfr::relu,
            Bound::CorrectlyRounded,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "relu6",
            activ::relu6::<f32>,
            activ::relu6::<f64>,
            careful::relu6,
            mpfr::relu6,
            Bound::CorrectlyRounded,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "leaky_relu",
            activ::leaky_relu::<f32>,
            activ::leaky_relu::<f64>,
            |x| careful::leaky_relu(x, 0.01f32 as f64),
            |x| mpfr::leaky_relu(x, 0.01),
            Bound::CorrectlyRounded,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "elu",
            activ::elu::<f32>,
            activ::elu::<f64>,
            |x| careful::elu(x, 1.0),
            |x| mpfr::elu(x, 1.0),
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "selu",
            activ::selu::<f32>,
            activ::selu::<f64>,
            careful::selu,
            mpfr::selu,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "celu",
            activ::celu::<f32>,
            activ::celu::<f64>,
            |x| careful::celu(x, 1.0),
            |x| mpfr::celu(x, 1.0),
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "softplus",
            activ::softplus::<f32>,
            activ::softplus::<f64>,
            |x| careful::softplus(x, 1.0),
            |x| mpfr::softplus(x, 1.0),
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "tanh",
            activ::tanh::<f32>,
            activ::tanh::<f64>,
            careful::tanh,
            mpfr::tanh,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "gelu",
            activ::gelu::<f32>,
            activ::gelu::<f64>,
            careful::gelu,
            mpfr::gelu,
            F32_TWO,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "gelu_tanh",
            activ::gelu_tanh::<f32>,
            activ::gelu_tanh::<f64>,
            careful::gelu_tanh,
            mpfr::gelu_tanh,
            F32_TWO,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "silu",
            activ::silu::<f32>,
            activ::silu::<f64>,
            careful::silu,
            mpfr::silu,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "mish",
            activ::mish::<f32>,
            activ::mish::<f64>,
            careful::mish,
            mpfr::mish,
            F32_TWO,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "softsign",
            activ::softsign::<f32>,
            activ::softsign::<f64>,
            careful::softsign,
            mpfr::softsign,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "hard_sigmoid",
            activ::hard_sigmoid::<f32>,
            activ::hard_sigmoid::<f64>,
            careful::hard_sigmoid,
            mpfr::hard_sigmoid,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        case(
            "hard_swish",
            activ::hard_swish::<f32>,
            activ::hard_swish::<f64>,
            careful::hard_swish,
            mpfr::hard_swish,
            F32_ONE,
            F64_BOUND,
            Domain::Real,
        ),
        leaky_relu_case("leaky_relu(negative_slope=0.2)", 0.2),
        elu_case("elu(alpha=0.5)", 0.5),
        celu_case("celu(alpha=0.5)", 0.5),
        softplus_case("softplus(beta=2)", 2.0),
        softplus_case("softplus(beta=1e-3)", 1e-3),
        softplus_case("softplus(beta=100)", 100.0),
        logit_eps_case("logit_eps(eps=1e-6)", 1e-6),
    ]
}

/// The case with exactly this name.
pub fn find(name: &str) -> Option<Case> {
    cases().into_iter().find(|c| c.name == name)
}
