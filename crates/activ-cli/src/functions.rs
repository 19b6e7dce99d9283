//! The functions the command knows, by name, with their formulas and parameters.

use activ::{Elementwise, Error, Float};

/// A parameter: its name and default.
pub struct Param {
    pub name: &'static str,
    pub default: f64,
}

/// What kind of input a function takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One number in, one out.
    Elementwise,
    /// The numbers are one row; softmax-like output per number.
    Row,
    /// The numbers are one row; one number out.
    RowReduce,
}

/// One entry of `activ list`.
pub struct Function {
    pub name: &'static str,
    pub formula: &'static str,
    pub params: &'static [Param],
    pub shape: Shape,
}

const NO_PARAMS: &[Param] = &[];

pub const FUNCTIONS: &[Function] = &[
    f("sigmoid", "1 / (1 + exp(-x))", NO_PARAMS),
    f("log_sigmoid", "min(x, 0) - log1p(exp(-|x|))", NO_PARAMS),
    f("logit", "log(p / (1 - p)); NaN outside [0, 1]", NO_PARAMS),
    f(
        "logit_eps",
        "logit(clamp(p, eps, 1 - eps)), eps in [0, 0.5]",
        &[Param { name: "eps", default: 1e-6 }],
    ),
    f("relu", "max(x, 0), NaN propagated", NO_PARAMS),
    f("relu6", "min(max(x, 0), 6)", NO_PARAMS),
    f(
        "leaky_relu",
        "x if x > 0 else negative_slope * x",
        &[Param { name: "negative_slope", default: 0.01 }],
    ),
    f("elu", "x if x > 0 else alpha * (exp(x) - 1)", &[Param { name: "alpha", default: 1.0 }]),
    f(
        "selu",
        "lambda * (x if x > 0 else alpha * (exp(x) - 1)), lambda = 1.0507009873554804934193349852946, alpha = 1.6732632423543772848170429916717",
        NO_PARAMS,
    ),
    f(
        "celu",
        "max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), alpha != 0",
        &[Param { name: "alpha", default: 1.0 }],
    ),
    f("softplus", "log(1 + exp(beta * x)) / beta, beta > 0", &[Param { name: "beta", default: 1.0 }]),
    f("tanh", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))", NO_PARAMS),
    f("gelu", "x * Phi(x) = 0.5 * x * erfc(-x / sqrt(2))", NO_PARAMS),
    f("gelu_tanh", "0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))", NO_PARAMS),
    f("silu", "x * sigmoid(x)", NO_PARAMS),
    f("mish", "x * tanh(softplus(x))", NO_PARAMS),
    f("softsign", "x / (1 + |x|)", NO_PARAMS),
    f("hard_sigmoid", "relu6(x + 3) / 6", NO_PARAMS),
    f("hard_swish", "x * relu6(x + 3) / 6", NO_PARAMS),
    Function {
        name: "softmax",
        formula: "exp(x_i - max) / sum_j exp(x_j - max), over the numbers as one row",
        params: NO_PARAMS,
        shape: Shape::Row,
    },
    Function {
        name: "log_softmax",
        formula: "x_i - logsumexp(x), over the numbers as one row",
        params: NO_PARAMS,
        shape: Shape::Row,
    },
    Function {
        name: "logsumexp",
        formula: "log sum_j exp(x_j), over the numbers as one row",
        params: NO_PARAMS,
        shape: Shape::RowReduce,
    },
];

const fn f(name: &'static str, formula: &'static str, params: &'static [Param]) -> Function {
    Function {
        name,
        formula,
        params,
        shape: Shape::Elementwise,
    }
}

pub fn find(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// A function's parameter values, defaults filled in.
pub struct Params(Vec<(&'static str, f64)>);

impl Params {
    /// Resolves `name=value` pairs against the function's parameters.
    pub fn resolve(function: &Function, given: &[(String, f64)]) -> Result<Self, String> {
        let mut values: Vec<(&'static str, f64)> = function
            .params
            .iter()
            .map(|p| (p.name, p.default))
            .collect();
        for (name, value) in given {
            match values.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = *value,
                None => {
                    let known: Vec<&str> = function.params.iter().map(|p| p.name).collect();
                    return Err(if known.is_empty() {
                        format!("{} takes no parameters, got '{name}'", function.name)
                    } else {
                        format!(
                            "{} has no parameter '{name}' (parameters: {})",
                            function.name,
                            known.join(", ")
                        )
                    });
                }
            }
        }
        Ok(Params(values))
    }

    fn get<T: Float>(&self, name: &str) -> T {
        let v = self
            .0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|p| p.1)
            .unwrap_or(f64::NAN);
        T::from_f64(v)
    }
}

fn map<T: Float, F: Elementwise<T>>(f: F, xs: &mut [T]) -> Result<(), Error> {
    f.apply_in_place(xs);
    Ok(())
}

/// Defines `evaluate_f32` / `evaluate_f64`: evaluate a function on the numbers in place;
/// for the row functions the numbers are one row, and logsumexp leaves one number.
macro_rules! evaluator {
    ($fn_name:ident, $t:ty) => {
        pub fn $fn_name(
            function: &Function,
            params: &Params,
            xs: &mut Vec<$t>,
        ) -> Result<(), Error> {
            let n = xs.len();
            match function.name {
                "sigmoid" => map(activ::Sigmoid, xs),
                "log_sigmoid" => map(activ::LogSigmoid, xs),
                "logit" => map(activ::Logit, xs),
                "logit_eps" => map(activ::LogitEps::<$t>::new(params.get("eps"))?, xs),
                "relu" => map(activ::Relu, xs),
                "relu6" => map(activ::Relu6, xs),
                "leaky_relu" => map(
                    activ::LeakyRelu::<$t>::new(params.get("negative_slope"))?,
                    xs,
                ),
                "elu" => map(activ::Elu::<$t>::new(params.get("alpha"))?, xs),
                "selu" => map(activ::Selu, xs),
                "celu" => map(activ::Celu::<$t>::new(params.get("alpha"))?, xs),
                "softplus" => map(activ::Softplus::<$t>::new(params.get("beta"))?, xs),
                "tanh" => map(activ::Tanh, xs),
                "gelu" => map(activ::Gelu, xs),
                "gelu_tanh" => map(activ::GeluTanh, xs),
                "silu" => map(activ::Silu, xs),
                "mish" => map(activ::Mish, xs),
                "softsign" => map(activ::Softsign, xs),
                "hard_sigmoid" => map(activ::HardSigmoid, xs),
                "hard_swish" => map(activ::HardSwish, xs),
                "softmax" => activ::softmax_in_place(xs, 1, n),
                "log_softmax" => activ::log_softmax_in_place(xs, 1, n),
                "logsumexp" => {
                    let mut out = [0.0];
                    activ::logsumexp(xs, &mut out, 1, n)?;
                    *xs = out.to_vec();
                    Ok(())
                }
                other => unreachable!("function table and evaluate disagree on {other}"),
            }
        }
    };
}
evaluator!(evaluate_f32, f32);
evaluator!(evaluate_f64, f64);
