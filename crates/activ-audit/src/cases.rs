//! The table of functions under audit: what to call, what to compare against, and the
//! bound each must meet.
//!
//! Parametrized functions appear once with their default parameters, under the plain name,
//! and again for a few other parameters (named like `softplus(beta=2)`), because a kernel
//! can be right for β = 1 and wrong where β|x| needs its double-double tail.
//!
//! Every elementwise function also has two backward cases, after the forward ones:
//! - `name_grad` (like `activ::sigmoid_grad`): f′(x) = [`Derivative::derivative`], against
//!   the `_grad` references of [`careful`] and [`mpfr`];
//! - `name_vjp`: dy·f′(x) = [`Derivative::vjp`], with dy a pseudo-random function of x
//!   ([`vjp_dy_f32`], [`vjp_dy_f64`]: mostly |dy| near 1, but also products aimed at the
//!   subnormals and near overflow), against the reference derivative times dy.
//!
//! Parametrized ones are named like `softplus_grad(beta=2)`. Both are held to the
//! backward contract: 2 ULP in `f32`, 4 ULP in `f64`.

use std::fmt;
use std::sync::Arc;

use activ::{
    Celu, Derivative, Elementwise, Elu, Gelu, GeluTanh, HardSigmoid, HardSwish, LeakyRelu,
    LogSigmoid, Logit, LogitEps, Mish, Relu, Relu6, Selu, Sigmoid, Silu, Softplus, Softsign, Tanh,
};
use rug::Float;

use crate::measure::{vjp_dy_f32, vjp_dy_f64, FloatType};
use crate::reference::{careful, mpfr, MPFR_PREC};

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
    /// A mixed bound, for results that may be a near-total cancellation (the row backward
    /// passes): |result − exact| ≤ `ulp` ULP + 2^`log2_factor`·scale, where the scale is a
    /// per-element magnitude the function documents (`scale` describes it). Whether it
    /// holds is decided per element ([`crate::Measurement::max_bound_ratio`]), not from
    /// the maximum ULP error alone.
    UlpPlusScaled {
        /// The ULP part.
        ulp: f64,
        /// The exponent of the factor applied to the scale.
        log2_factor: i32,
        /// The scale, as a formula (for reports).
        scale: &'static str,
    },
}

impl Bound {
    /// Whether a measured maximum error (and count of results that are not the nearest
    /// value) meets the bound. For [`Bound::UlpPlusScaled`] this is only the sufficient
    /// condition max ULP ≤ the ULP part; [`crate::Measurement::passed`] decides with the
    /// per-element ratio instead.
    pub fn admits(&self, max_ulp: f64, misrounded: u64) -> bool {
        match *self {
            Bound::CorrectlyRounded => misrounded == 0,
            Bound::Ulp(b) | Bound::UlpPlusScaled { ulp: b, .. } => max_ulp <= b,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::CorrectlyRounded => f.write_str("correctly rounded"),
            Bound::Ulp(b) => write!(f, "≤ {b} ULP"),
            Bound::UlpPlusScaled {
                ulp,
                log2_factor,
                scale,
            } => write!(f, "≤ {ulp} ULP + 2^{log2_factor}·{scale}"),
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

/// What a case measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The function itself, f(x).
    Forward,
    /// Its derivative f′(x) ([`Derivative::derivative`]), named `name_grad`.
    Derivative,
    /// The backward pass of one element, dy·f′(x) ([`Derivative::vjp`]), with a
    /// pseudo-random dy, named `name_vjp`.
    Vjp,
}

/// One function under audit.
#[derive(Clone)]
pub struct Case {
    /// The function's name, with its parameters when they are not the defaults.
    pub name: String,
    /// Function, derivative or vector-Jacobian product.
    pub kind: Kind,
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
    /// What else a reported input needs to be reproduced (the dy of a `_vjp` case), given
    /// the type and the input.
    pub input_note: Option<InputNote>,
}

/// See [`Case::input_note`].
pub type InputNote = Arc<dyn Fn(FloatType, f64) -> String + Send + Sync>;

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("name", &self.name)
            .field("kind", &self.kind)
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
        kind: Kind::Forward,
        f32_fn: Arc::new(f32_fn),
        f64_fn: Arc::new(f64_fn),
        f32_reference: Arc::new(f32_reference),
        f64_reference: Arc::new(f64_reference),
        f32_bound,
        f64_bound,
        domain,
        input_note: None,
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

/// The backward contract: derivatives and vector-Jacobian products within 2 ULP in `f32`.
const GRAD_F32: Bound = Bound::Ulp(2.0);
/// … and within 4 ULP in `f64` (the kernels aim at about 1).
const GRAD_F64: Bound = Bound::Ulp(4.0);

/// The two backward cases of one function: `{base}_grad{params}` and `{base}_vjp{params}`.
/// `d32` and `d64` are activ's function objects; `grad32` is the careful-`f64` derivative
/// for the `f32` function (with its parameters rounded to `f32`), `grad64` the MPFR one.
fn backward_pair<D32, D64>(
    base: &str,
    params: &str,
    d32: D32,
    d64: D64,
    grad32: impl Fn(f64) -> f64 + Send + Sync + 'static,
    grad64: impl Fn(f64) -> Float + Send + Sync + 'static,
    domain: Domain,
) -> [Case; 2]
where
    D32: Derivative<f32> + Copy + Send + Sync + 'static,
    D64: Derivative<f64> + Copy + Send + Sync + 'static,
{
    let grad32: F32Reference = Arc::new(grad32);
    let grad64: F64Reference = Arc::new(grad64);
    let mut grad = case(
        format!("{base}_grad{params}"),
        move |x| d32.derivative(x),
        move |x| d64.derivative(x),
        {
            let g = grad32.clone();
            move |x| g(x)
        },
        {
            let g = grad64.clone();
            move |x| g(x)
        },
        GRAD_F32,
        GRAD_F64,
        domain,
    );
    // dy is chosen from the careful derivative's binade; the f64 side uses the same careful
    // function on f64 inputs for that (only as an estimate, and identically on both sides).
    let mut vjp = case(
        format!("{base}_vjp{params}"),
        {
            let g = grad32.clone();
            move |x: f32| d32.vjp(x, vjp_dy_f32(x, g(x as f64)))
        },
        {
            let g = grad32.clone();
            move |x: f64| d64.vjp(x, vjp_dy_f64(x, g(x)))
        },
        {
            let g = grad32.clone();
            move |x: f64| {
                let r = g(x);
                r * vjp_dy_f32(x as f32, r) as f64
            }
        },
        {
            let g = grad32.clone();
            move |x: f64| {
                let dy = vjp_dy_f64(x, g(x));
                Float::with_val(MPFR_PREC, grad64(x) * dy)
            }
        },
        GRAD_F32,
        GRAD_F64,
        domain,
    );
    grad.kind = Kind::Derivative;
    vjp.kind = Kind::Vjp;
    vjp.input_note = Some(Arc::new(move |ty, x| match ty {
        FloatType::F32 => {
            let dy = vjp_dy_f32(x as f32, grad32(x));
            format!("dy = {dy:e} (bits {:#x})", dy.to_bits())
        }
        FloatType::F64 => {
            let dy = vjp_dy_f64(x, grad32(x));
            format!("dy = {dy:e} (bits {:#x})", dy.to_bits())
        }
    }));
    [grad, vjp]
}

/// The backward cases of every function, in the order of [`forward_cases`]: each
/// function's `_grad` and `_vjp` next to each other.
pub fn backward_cases() -> Vec<Case> {
    let d = Domain::Real;
    let u = Domain::UnitInterval;
    let mut v = Vec::new();
    v.extend(backward_pair(
        "sigmoid",
        "",
        Sigmoid,
        Sigmoid,
        careful::sigmoid_grad,
        mpfr::sigmoid_grad,
        d,
    ));
    v.extend(backward_pair(
        "log_sigmoid",
        "",
        LogSigmoid,
        LogSigmoid,
        careful::log_sigmoid_grad,
        mpfr::log_sigmoid_grad,
        d,
    ));
    v.extend(backward_pair(
        "logit",
        "",
        Logit,
        Logit,
        careful::logit_grad,
        mpfr::logit_grad,
        u,
    ));
    v.extend(backward_pair(
        "relu",
        "",
        Relu,
        Relu,
        careful::relu_grad,
        mpfr::relu_grad,
        d,
    ));
    v.extend(backward_pair(
        "relu6",
        "",
        Relu6,
        Relu6,
        careful::relu6_grad,
        mpfr::relu6_grad,
        d,
    ));
    v.extend(leaky_relu_backward("", 0.01));
    v.extend(elu_backward("", 1.0));
    v.extend(backward_pair(
        "selu",
        "",
        Selu,
        Selu,
        careful::selu_grad,
        mpfr::selu_grad,
        d,
    ));
    v.extend(celu_backward("", 1.0));
    v.extend(softplus_backward("", 1.0));
    v.extend(backward_pair(
        "tanh",
        "",
        Tanh,
        Tanh,
        careful::tanh_grad,
        mpfr::tanh_grad,
        d,
    ));
    v.extend(backward_pair(
        "gelu",
        "",
        Gelu,
        Gelu,
        careful::gelu_grad,
        mpfr::gelu_grad,
        d,
    ));
    v.extend(backward_pair(
        "gelu_tanh",
        "",
        GeluTanh,
        GeluTanh,
        careful::gelu_tanh_grad,
        mpfr::gelu_tanh_grad,
        d,
    ));
    v.extend(backward_pair(
        "silu",
        "",
        Silu,
        Silu,
        careful::silu_grad,
        mpfr::silu_grad,
        d,
    ));
    v.extend(backward_pair(
        "mish",
        "",
        Mish,
        Mish,
        careful::mish_grad,
        mpfr::mish_grad,
        d,
    ));
    v.extend(backward_pair(
        "softsign",
        "",
        Softsign,
        Softsign,
        careful::softsign_grad,
        mpfr::softsign_grad,
        d,
    ));
    v.extend(backward_pair(
        "hard_sigmoid",
        "",
        HardSigmoid,
        HardSigmoid,
        careful::hard_sigmoid_grad,
        mpfr::hard_sigmoid_grad,
        d,
    ));
    v.extend(backward_pair(
        "hard_swish",
        "",
        HardSwish,
        HardSwish,
        careful::hard_swish_grad,
        mpfr::hard_swish_grad,
        d,
    ));
    v.extend(leaky_relu_backward("(negative_slope=0.2)", 0.2));
    v.extend(elu_backward("(alpha=0.5)", 0.5));
    v.extend(celu_backward("(alpha=0.5)", 0.5));
    v.extend(softplus_backward("(beta=2)", 2.0));
    v.extend(softplus_backward("(beta=1e-3)", 1e-3));
    v.extend(softplus_backward("(beta=100)", 100.0));
    v.extend(logit_eps_backward("(eps=1e-6)", 1e-6));
    v
}

fn leaky_relu_backward(params: &str, slope: f64) -> [Case; 2] {
    let slope32 = slope as f32 as f64;
    backward_pair(
        "leaky_relu",
        params,
        LeakyRelu::new(slope as f32).expect("a finite slope"),
        LeakyRelu::new(slope).expect("a finite slope"),
        move |x| careful::leaky_relu_grad(x, slope32),
        move |x| mpfr::leaky_relu_grad(x, slope),
        Domain::Real,
    )
}

fn elu_backward(params: &str, alpha: f64) -> [Case; 2] {
    let alpha32 = alpha as f32 as f64;
    backward_pair(
        "elu",
        params,
        Elu::new(alpha as f32).expect("a finite alpha"),
        Elu::new(alpha).expect("a finite alpha"),
        move |x| careful::elu_grad(x, alpha32),
        move |x| mpfr::elu_grad(x, alpha),
        Domain::Real,
    )
}

fn celu_backward(params: &str, alpha: f64) -> [Case; 2] {
    let alpha32 = alpha as f32 as f64;
    backward_pair(
        "celu",
        params,
        Celu::new(alpha as f32).expect("a finite non-zero alpha"),
        Celu::new(alpha).expect("a finite non-zero alpha"),
        move |x| careful::celu_grad(x, alpha32),
        move |x| mpfr::celu_grad(x, alpha),
        Domain::Real,
    )
}

fn softplus_backward(params: &str, beta: f64) -> [Case; 2] {
    let beta32 = beta as f32 as f64;
    backward_pair(
        "softplus",
        params,
        Softplus::new(beta as f32).expect("a finite positive beta"),
        Softplus::new(beta).expect("a finite positive beta"),
        move |x| careful::softplus_grad(x, beta32),
        move |x| mpfr::softplus_grad(x, beta),
        Domain::Real,
    )
}

fn logit_eps_backward(params: &str, eps: f64) -> [Case; 2] {
    // The same clamp points as the forward case: activ's flat pieces start there.
    let (lo32, hi32) = (eps as f32 as f64, (1.0 - eps as f32) as f64);
    let (lo64, hi64) = (eps, 1.0 - eps);
    backward_pair(
        "logit_eps",
        params,
        LogitEps::new(eps as f32).expect("eps in [0, 0.5]"),
        LogitEps::new(eps).expect("eps in [0, 0.5]"),
        move |p| careful::logit_eps_grad(p, lo32, hi32),
        move |p| mpfr::logit_eps_grad(p, lo64, hi64),
        Domain::UnitInterval,
    )
}

/// Every function under audit: the forward cases ([`forward_cases`]), then the backward
/// ones ([`backward_cases`]).
pub fn cases() -> Vec<Case> {
    let mut v = forward_cases();
    v.extend(backward_cases());
    v
}

/// The functions themselves, defaults first, then the parametrized variants.
pub fn forward_cases() -> Vec<Case> {
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
        // α not a power of two: the f32 kernels round α·s + α·t, and CELU's x/α is a
        // quotient with a residual.
        elu_case("elu(alpha=3)", 3.0),
        celu_case("celu(alpha=3)", 3.0),
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
