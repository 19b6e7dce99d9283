//! Special values: the results the family docs of activ state for NaN, ±∞, ±0, subnormal
//! and extreme inputs, and the special rows of the softmax family and its backward passes
//! (masked rows: +0 gradients under the zeros policy, NaN under the NaN policy; NaN
//! propagation; exact values; empty and strided rows).
//!
//! Where the doc states a constant (sigmoid(±0) = 0.5, relu(−0.0) = +0.0, logit(1) = +∞)
//! the expectation is that constant, bit for bit, so the sign of a zero counts; NaN means
//! "any NaN". Where the value is not a simple constant (sigmoid(−100) in `f32`, the
//! subnormal 3.78e−44; gelu(−10); anything at ±f32::MAX or ±1e30) the expectation is the
//! reference within the function's bound, which also demands a finite result wherever the
//! true result is finite, and a subnormal where the true result is subnormal.

use std::f64::consts::LN_2;
use std::fmt;

use activ::{MaskedRows, Rows, RowsMut};
use rug::Float;

use crate::cases::{Bound, Case};
use crate::measure::{format_ulp, FloatType};
use crate::reference::MPFR_PREC;
use crate::ulp::{ulp_error_f32, ulp_error_f64};

/// What a special input must produce.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expect {
    /// Exactly this value, bit for bit (the sign of zero included); a NaN here accepts any
    /// NaN.
    Exactly(f64),
    /// The reference rounded to nearest, bit for bit (used for stated constants such as
    /// −ln 2 and −λα, which are not literals).
    CorrectlyRounded,
    /// The reference within the function's bound for the type.
    WithinBound,
    /// A zero of either sign (where a negative quantity underflows, as gelu′(−∞): its sign
    /// is not part of the contract).
    Zero,
}

/// One special input of one function, for one type or both.
#[derive(Clone, Debug, PartialEq)]
pub struct Special {
    /// The case name (see [`crate::cases::cases`]).
    pub function: String,
    /// `None` for both types.
    pub ty: Option<FloatType>,
    /// The input (converted to `f32` for `f32`; only `f32`-representable values are given
    /// for both types).
    pub input: f64,
    /// The expectation.
    pub expect: Expect,
}

/// A special value that came out wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecialFailure {
    /// The function (a case name, or softmax / log_softmax / logsumexp).
    pub function: String,
    /// The element type.
    pub ty: FloatType,
    /// The input (a value, or a description of the row).
    pub input: String,
    /// What came out.
    pub got: String,
    /// What the docs promise.
    pub expected: String,
}

impl fmt::Display for SpecialFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: input {} gave {}, expected {}",
            self.function, self.ty, self.input, self.got, self.expected
        )
    }
}

/// How many special values of one function and type were checked, and which failed.
#[derive(Clone, Debug, Default)]
pub struct SpecialOutcome {
    /// Number of checks.
    pub checked: usize,
    /// The failures among them.
    pub failures: Vec<SpecialFailure>,
}

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

fn both(function: &str, rows: &[(f64, Expect)]) -> Vec<Special> {
    rows.iter()
        .map(|&(input, expect)| Special {
            function: function.to_string(),
            ty: None,
            input,
            expect,
        })
        .collect()
}

fn only(function: &str, ty: FloatType, rows: &[(f64, Expect)]) -> Vec<Special> {
    rows.iter()
        .map(|&(input, expect)| Special {
            function: function.to_string(),
            ty: Some(ty),
            input,
            expect,
        })
        .collect()
}

use Expect::{CorrectlyRounded as Rounded, Exactly as Is, WithinBound as Near, Zero};

/// The `f64` just below `v` (positive, normal `v`).
fn below(v: f64) -> f64 {
    f64::from_bits(v.to_bits() - 1)
}

/// The `f64` just above `v` (positive, normal `v`).
fn above(v: f64) -> f64 {
    f64::from_bits(v.to_bits() + 1)
}

/// The `f32` just above `v` (positive, normal `v`), widened.
fn above32(v: f32) -> f64 {
    f32::from_bits(v.to_bits() + 1) as f64
}

/// The `f32` just below `v` (positive, normal `v`), widened.
fn below32(v: f32) -> f64 {
    f32::from_bits(v.to_bits() - 1) as f64
}

/// The roots of silu′, gelu′, gelu_tanh′ and mish′, rounded to `f64` (from the 80-digit
/// values of activ's `tools/grad_roots.py`).
pub const DERIVATIVE_ROOTS: [(&str, f64); 4] = [
    ("silu_grad", -1.278_464_542_761_073_7),
    ("gelu_grad", -0.751_791_524_693_564_5),
    ("gelu_tanh_grad", -0.752_461_422_071_016_3),
    ("mish_grad", -1.192_431_214_515_495_2),
];

/// The derivative values stated in activ's `derivative` module docs: the kinks (PyTorch's
/// conventions), NaN, ±∞ and ±0, and results that are subnormal but must not be flushed.
fn stated_derivative_specials() -> Vec<Special> {
    use FloatType::{F32, F64};
    let mut t = Vec::new();
    t.extend(both(
        "sigmoid_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.25)),
            (-0.0, Is(0.25)),
            (INF, Is(0.0)),
            (-INF, Is(0.0)),
            // y(1 − y) would give 0 from 17 on in f32.
            (30.0, Near),
            // Subnormal in f32 (3.78e−44), not 0.
            (-100.0, Near),
            (100.0, Near),
            (-87.5, Near),
            (-104.0, Near),
        ],
    ));
    // Subnormal in f64.
    t.extend(only(
        "sigmoid_grad",
        F64,
        &[(-740.0, Near), (740.0, Near), (-745.0, Near)],
    ));
    t.extend(both(
        "log_sigmoid_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.5)),
            (-0.0, Is(0.5)),
            (INF, Is(0.0)),
            (-INF, Is(1.0)),
            (-100.0, Is(1.0)),
            (100.0, Near),
        ],
    ));
    t.extend(only("log_sigmoid_grad", F64, &[(740.0, Near)]));
    t.extend(both(
        "logit_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(INF)),
            (-0.0, Is(INF)),
            (1.0, Is(INF)),
            (0.5, Is(4.0)),
            (0.25, Near),
            (0.75, Near),
            (1e-40, Near),
            (-0.5, Is(NAN)),
            (-1e-40, Is(NAN)),
            (1.5, Is(NAN)),
            (2.0, Is(NAN)),
            (INF, Is(NAN)),
            (-INF, Is(NAN)),
        ],
    ));
    t.extend(both(
        "logit_eps_grad(eps=1e-6)",
        &[
            (NAN, Is(NAN)),
            // Outside [eps, 1 − eps] the clamp is flat: +0.
            (0.0, Is(0.0)),
            (-0.0, Is(0.0)),
            (1.0, Is(0.0)),
            (-1.0, Is(0.0)),
            (2.0, Is(0.0)),
            (INF, Is(0.0)),
            (-INF, Is(0.0)),
            (0.5, Is(4.0)),
            // At the clamp point itself the derivative is logit′.
            (1e-6, Near),
        ],
    ));
    t.extend(only(
        "logit_eps_grad(eps=1e-6)",
        F32,
        &[(below32(1e-6), Is(0.0))],
    ));
    t.extend(only(
        "logit_eps_grad(eps=1e-6)",
        F64,
        &[(below(1e-6), Is(0.0)), (1.0 - 1e-6, Near)],
    ));
    let tiny = f32::from_bits(1) as f64;
    t.extend(both(
        "relu_grad",
        &[
            (NAN, Is(NAN)),
            // relu′(0) = 0, as PyTorch.
            (0.0, Is(0.0)),
            (-0.0, Is(0.0)),
            (-1.0, Is(0.0)),
            (-INF, Is(0.0)),
            (tiny, Is(1.0)),
            (1.0, Is(1.0)),
            (INF, Is(1.0)),
        ],
    ));
    t.extend(both(
        "relu6_grad",
        &[
            (NAN, Is(NAN)),
            // 0 at both kinks.
            (0.0, Is(0.0)),
            (-0.0, Is(0.0)),
            (6.0, Is(0.0)),
            (tiny, Is(1.0)),
            (3.0, Is(1.0)),
            (7.0, Is(0.0)),
            (-1.0, Is(0.0)),
            (INF, Is(0.0)),
            (-INF, Is(0.0)),
        ],
    ));
    t.extend(only("relu6_grad", F32, &[(below32(6.0), Is(1.0))]));
    t.extend(only("relu6_grad", F64, &[(below(6.0), Is(1.0))]));
    for (leaky, slope) in [
        ("leaky_relu_grad", 0.01),
        ("leaky_relu_grad(negative_slope=0.2)", 0.2),
    ] {
        t.extend(both(
            leaky,
            &[
                (NAN, Is(NAN)),
                // leaky_relu′(0) = negative_slope, as PyTorch.
                (0.0, Is(slope)),
                (-0.0, Is(slope)),
                (-1.0, Is(slope)),
                (-INF, Is(slope)),
                (tiny, Is(1.0)),
                (1.0, Is(1.0)),
                (INF, Is(1.0)),
            ],
        ));
    }
    for (elu, alpha) in [("elu_grad", 1.0), ("elu_grad(alpha=0.5)", 0.5)] {
        t.extend(both(
            elu,
            &[
                (NAN, Is(NAN)),
                // elu′(0) = α, as PyTorch.
                (0.0, Is(alpha)),
                (-0.0, Is(alpha)),
                (1.0, Is(1.0)),
                (INF, Is(1.0)),
                (-INF, Is(0.0)),
                (-1e-10, Near),
                (-1.0, Near),
            ],
        ));
    }
    for celu in ["celu_grad", "celu_grad(alpha=0.5)"] {
        t.extend(both(
            celu,
            &[
                (NAN, Is(NAN)),
                // celu′(0) = 1.
                (0.0, Is(1.0)),
                (-0.0, Is(1.0)),
                (1.0, Is(1.0)),
                (INF, Is(1.0)),
                (-INF, Is(0.0)),
                (-1.0, Near),
            ],
        ));
    }
    t.extend(both(
        "selu_grad",
        &[
            (NAN, Is(NAN)),
            // selu′(0) = λα; λ above 0.
            (0.0, Rounded),
            (-0.0, Rounded),
            (1.0, Rounded),
            (INF, Rounded),
            (-INF, Is(0.0)),
            (-1.0, Near),
        ],
    ));
    for softplus in [
        "softplus_grad",
        "softplus_grad(beta=2)",
        "softplus_grad(beta=1e-3)",
        "softplus_grad(beta=100)",
    ] {
        t.extend(both(
            softplus,
            &[
                (NAN, Is(NAN)),
                (0.0, Is(0.5)),
                (-0.0, Is(0.5)),
                (INF, Is(1.0)),
                (-INF, Is(0.0)),
                (1e30, Is(1.0)),
                (-1e30, Is(0.0)),
            ],
        ));
    }
    t.extend(both(
        "tanh_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(1.0)),
            (-0.0, Is(1.0)),
            (INF, Is(0.0)),
            (-INF, Is(0.0)),
            (1e-30, Is(1.0)),
            (0.55, Near),
            // 1 − tanh² would be 0 here.
            (20.0, Near),
            (-20.0, Near),
        ],
    ));
    // Subnormal results.
    t.extend(only("tanh_grad", F32, &[(-50.0, Near), (50.0, Near)]));
    t.extend(only("tanh_grad", F64, &[(-370.0, Near), (370.0, Near)]));
    for (f, root) in DERIVATIVE_ROOTS {
        t.extend(both(
            f,
            &[
                (NAN, Is(NAN)),
                (0.0, Is(0.5)),
                (-0.0, Is(0.5)),
                (INF, Is(1.0)),
                // f′ < 0 below the root: the underflow may keep the sign.
                (-INF, Zero),
                (1e30, Is(1.0)),
                (-1e30, Zero),
                // The f32 nearest the root of f′, where the terms cancel completely.
                (root as f32 as f64, Near),
            ],
        ));
        t.extend(only(f, F64, &[(root, Near)]));
    }
    // mish′(0) = tanh(ln 2) = 3/5, not 0.5.
    t.retain(|s| !(s.function == "mish_grad" && s.input == 0.0));
    t.extend(both("mish_grad", &[(0.0, Rounded), (-0.0, Rounded)]));
    t.extend(both("gelu_grad", &[(-10.0, Near), (-13.5, Near)]));
    t.extend(only("gelu_grad", F64, &[(-37.5, Near), (-38.0, Near)]));
    t.extend(both("gelu_tanh_grad", &[(-9.0, Near), (-10.5, Near)]));
    t.extend(only("gelu_tanh_grad", F64, &[(-21.3, Near)]));
    for f in ["silu_grad", "mish_grad"] {
        t.extend(both(f, &[(-100.0, Near), (-20.0, Near)]));
        t.extend(only(f, F64, &[(-740.0, Near)]));
    }
    t.extend(both(
        "softsign_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(1.0)),
            (-0.0, Is(1.0)),
            (1.0, Is(0.25)),
            (-1.0, Is(0.25)),
            (3.0, Is(0.0625)),
            (INF, Is(0.0)),
            (-INF, Is(0.0)),
            (1e20, Near),
            (1e30, Near),
        ],
    ));
    t.extend(only("softsign_grad", F64, &[(1e160, Near), (-1e160, Near)]));
    t.extend(both(
        "hard_sigmoid_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Rounded),
            (-0.0, Rounded),
            (2.5, Rounded),
            // 0 at both kinks and outside.
            (-3.0, Is(0.0)),
            (3.0, Is(0.0)),
            (-4.0, Is(0.0)),
            (4.0, Is(0.0)),
            (INF, Is(0.0)),
            (-INF, Is(0.0)),
        ],
    ));
    t.extend(only("hard_sigmoid_grad", F32, &[(below32(3.0), Rounded)]));
    t.extend(only("hard_sigmoid_grad", F64, &[(below(3.0), Rounded)]));
    t.extend(both(
        "hard_swish_grad",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.5)),
            (-0.0, Is(0.5)),
            // x/3 + ½ on the closed interval [−3, 3], as PyTorch.
            (-3.0, Is(-0.5)),
            (3.0, Is(1.5)),
            (-1.5, Zero),
            (1.0, Near),
            (-4.0, Is(0.0)),
            (4.0, Is(1.0)),
            (INF, Is(1.0)),
            (-INF, Is(0.0)),
        ],
    ));
    // Just outside the closed interval: the flat piece and the identity.
    t.extend(only(
        "hard_swish_grad",
        F32,
        &[(-above32(3.0), Is(0.0)), (above32(3.0), Is(1.0))],
    ));
    t.extend(only(
        "hard_swish_grad",
        F64,
        &[(-above(3.0), Is(0.0)), (above(3.0), Is(1.0))],
    ));
    t
}

/// The special values stated in the family docs, function by function.
fn stated_specials() -> Vec<Special> {
    let mut t = Vec::new();
    t.extend(both(
        "sigmoid",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.5)),
            (-0.0, Is(0.5)),
            (INF, Is(1.0)),
            (-INF, Is(0.0)),
            // e^x/(1 + e^x) is NaN here in f32; σ rounds to 1 exactly.
            (100.0, Is(1.0)),
            // The subnormal 3.78e−44 in f32, not 0.
            (-100.0, Near),
            (-87.5, Near),
            (-104.0, Near),
        ],
    ));
    t.extend(only(
        "sigmoid",
        FloatType::F64,
        &[(-740.0, Near), (-745.0, Near)],
    ));
    t.extend(both(
        "log_sigmoid",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(-LN_2)),
            (-0.0, Is(-LN_2)),
            (INF, Is(-0.0)),
            (-INF, Is(-INF)),
            (-100.0, Near),
            (-1e30, Near),
            (1e30, Near),
        ],
    ));
    t.extend(only(
        "log_sigmoid",
        FloatType::F64,
        &[(-800.0, Is(-800.0)), (-1e300, Near)],
    ));
    t.extend(both(
        "logit",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(-INF)),
            (-0.0, Is(-INF)),
            (1.0, Is(INF)),
            (0.5, Is(0.0)),
            (-0.5, Is(NAN)),
            (-1e-40, Is(NAN)),
            (-INF, Is(NAN)),
            (1.5, Is(NAN)),
            (2.0, Is(NAN)),
            (INF, Is(NAN)),
            (1e-40, Near),
            (0.25, Near),
            (0.75, Near),
        ],
    ));
    t.extend(both(
        "logit_eps(eps=1e-6)",
        &[
            (NAN, Is(NAN)),
            // Clamped into [eps, 1 − eps]: finite.
            (0.0, Near),
            (1.0, Near),
            (-1.0, Near),
            (2.0, Near),
            (-INF, Near),
            (INF, Near),
            (0.5, Is(0.0)),
        ],
    ));
    for relu in ["relu", "relu6"] {
        t.extend(both(
            relu,
            &[
                (NAN, Is(NAN)),
                (-0.0, Is(0.0)),
                (0.0, Is(0.0)),
                (-1.0, Is(0.0)),
                (-INF, Is(0.0)),
            ],
        ));
    }
    t.extend(both("relu", &[(INF, Is(INF)), (2.5, Is(2.5))]));
    t.extend(both(
        "relu6",
        &[(INF, Is(6.0)), (7.0, Is(6.0)), (6.0, Is(6.0))],
    ));
    for leaky in ["leaky_relu", "leaky_relu(negative_slope=0.2)"] {
        t.extend(both(
            leaky,
            &[
                (NAN, Is(NAN)),
                (-0.0, Is(-0.0)),
                (0.0, Is(0.0)),
                (INF, Is(INF)),
                (-INF, Is(-INF)),
                (-1e30, Near),
            ],
        ));
    }
    for (elu, alpha) in [
        ("elu", 1.0),
        ("elu(alpha=0.5)", 0.5),
        ("celu", 1.0),
        ("celu(alpha=0.5)", 0.5),
    ] {
        t.extend(both(
            elu,
            &[
                (NAN, Is(NAN)),
                (-0.0, Is(-0.0)),
                (0.0, Is(0.0)),
                (INF, Is(INF)),
                (-INF, Is(-alpha)),
                (-1e-10, Near),
                (-1e30, Is(-alpha)),
            ],
        ));
    }
    t.extend(both(
        "selu",
        &[
            (NAN, Is(NAN)),
            (-0.0, Is(-0.0)),
            (0.0, Is(0.0)),
            (INF, Is(INF)),
            (-INF, Rounded),
            (-1e30, Rounded),
            (-1e-10, Near),
        ],
    ));
    for softplus in [
        "softplus",
        "softplus(beta=2)",
        "softplus(beta=1e-3)",
        "softplus(beta=100)",
    ] {
        t.extend(both(
            softplus,
            &[
                (NAN, Is(NAN)),
                (-0.0, Near),
                (0.0, Near),
                (INF, Is(INF)),
                (-INF, Is(0.0)),
                (1e30, Near),
                (-1e30, Near),
            ],
        ));
    }
    t.extend(both("softplus", &[(1000.0, Is(1000.0))]));
    t.extend(only("softplus", FloatType::F64, &[(-1000.0, Is(0.0))]));
    t.extend(both(
        "tanh",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.0)),
            (-0.0, Is(-0.0)),
            (INF, Is(1.0)),
            (-INF, Is(-1.0)),
            (1e-30, Near),
            (0.55, Near),
            (-0.55, Near),
            (20.0, Is(1.0)),
        ],
    ));
    for f in ["silu", "mish"] {
        t.extend(both(
            f,
            &[
                (NAN, Is(NAN)),
                (0.0, Is(0.0)),
                (-0.0, Is(-0.0)),
                (INF, Is(INF)),
                (-INF, Is(-0.0)),
                (-100.0, Near),
                (1e30, Near),
                (-1e30, Near),
            ],
        ));
    }
    t.extend(only("silu", FloatType::F64, &[(-740.0, Near)]));
    t.extend(both(
        "softsign",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.0)),
            (-0.0, Is(-0.0)),
            (INF, Is(1.0)),
            (-INF, Is(-1.0)),
            (1e30, Near),
        ],
    ));
    for f in ["gelu", "gelu_tanh"] {
        t.extend(both(
            f,
            &[
                (NAN, Is(NAN)),
                (0.0, Is(0.0)),
                (-0.0, Is(-0.0)),
                (INF, Is(INF)),
                (-INF, Is(-0.0)),
                // 0.5·x·(1 + erf(x/√2)) cancels to 0 here; the true value is −7.6e−23.
                (-10.0, Near),
                (-13.0, Near),
                (1e30, Near),
                (-1e30, Near),
            ],
        ));
    }
    t.extend(only(
        "gelu",
        FloatType::F64,
        &[(-38.0, Near), (-37.5, Near)],
    ));
    t.extend(both(
        "hard_sigmoid",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.5)),
            (-0.0, Is(0.5)),
            (-3.0, Is(0.0)),
            (-4.0, Is(0.0)),
            (3.0, Is(1.0)),
            (4.0, Is(1.0)),
            (INF, Is(1.0)),
            (-INF, Is(0.0)),
            (1.0, Near),
        ],
    ));
    t.extend(both(
        "hard_swish",
        &[
            (NAN, Is(NAN)),
            (0.0, Is(0.0)),
            (-0.0, Is(-0.0)),
            (-3.0, Is(-0.0)),
            (-4.0, Is(-0.0)),
            (3.0, Is(3.0)),
            (4.0, Is(4.0)),
            (INF, Is(INF)),
            (-INF, Is(-0.0)),
            (1e30, Near),
        ],
    ));
    t.extend(stated_derivative_specials());
    t
}

/// Inputs every function is checked at, against its reference: the extremes of each type
/// (no overflow to NaN or ∞ where the result is finite), subnormals, and a NaN with the
/// sign bit set (NaN must propagate whatever its bits).
fn common_specials(function: &str) -> Vec<Special> {
    let mut t = both(
        function,
        &[
            (-NAN, Is(NAN)),
            (1.0, Near),
            (-1.0, Near),
            (1e30, Near),
            (-1e30, Near),
            (f32::MAX as f64, Near),
            (-f32::MAX as f64, Near),
            (f32::MIN_POSITIVE as f64, Near),
            (-f32::MIN_POSITIVE as f64, Near),
        ],
    );
    t.extend(only(
        function,
        FloatType::F32,
        &[
            (f32::from_bits(1) as f64, Near),
            (-f32::from_bits(1) as f64, Near),
            (f32::from_bits(0x007f_ffff) as f64, Near),
        ],
    ));
    t.extend(only(
        function,
        FloatType::F64,
        &[
            (f64::MAX, Near),
            (-f64::MAX, Near),
            (1e300, Near),
            (-1e300, Near),
            (f64::from_bits(1), Near),
            (-f64::from_bits(1), Near),
            (f64::MIN_POSITIVE, Near),
        ],
    ));
    t
}

/// The whole elementwise table: the stated values, then the common ones for every case.
pub fn special_table(cases: &[Case]) -> Vec<Special> {
    let mut t = stated_specials();
    for case in cases {
        for special in common_specials(&case.name) {
            // A stated expectation for the same input takes precedence.
            let stated = t.iter().any(|s| {
                s.function == special.function
                    && s.input.to_bits() == special.input.to_bits()
                    && (s.ty.is_none() || s.ty == special.ty)
            });
            if !stated {
                t.push(special);
            }
        }
    }
    t
}

fn same_bits_f32(a: f32, b: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

fn same_bits_f64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

fn show_f32(v: f32) -> String {
    format!("{v:e} ({:#010x})", v.to_bits())
}

fn show_f64(v: f64) -> String {
    format!("{v:e} ({:#018x})", v.to_bits())
}

fn bound_text(bound: Bound) -> String {
    bound.to_string()
}

/// The input as shown, with the case's note on it (the dy of a `_vjp` case).
fn with_note(case: &Case, ty: FloatType, shown: String, x: f64) -> String {
    match &case.input_note {
        Some(note) => format!("{shown} with {}", note(ty, x)),
        None => shown,
    }
}

/// Checks one special on one type; `None` when it holds.
fn check_one(case: &Case, special: &Special, ty: FloatType) -> Option<SpecialFailure> {
    let failure = |input: String, got: String, expected: String| SpecialFailure {
        function: case.name.clone(),
        ty,
        input,
        got,
        expected,
    };
    match ty {
        FloatType::F32 => {
            let x = special.input as f32;
            let y = (case.f32_fn)(x);
            let r = (case.f32_reference)(x as f64);
            let (ok, expected) = match special.expect {
                Expect::Exactly(v) => (same_bits_f32(y, v as f32), show_f32(v as f32)),
                Expect::CorrectlyRounded => (
                    same_bits_f32(y, r as f32),
                    format!("{} (reference rounded)", show_f32(r as f32)),
                ),
                Expect::Zero => (y == 0.0, "±0".to_string()),
                Expect::WithinBound => {
                    let ulp = ulp_error_f32(y, r);
                    let ok = case.f32_bound.admits(ulp, 0)
                        && (case.f32_bound != Bound::CorrectlyRounded
                            || same_bits_f32(y, r as f32));
                    (
                        ok,
                        format!(
                            "{r:e} {} (error {} ULP)",
                            bound_text(case.f32_bound),
                            format_ulp(ulp)
                        ),
                    )
                }
            };
            (!ok).then(|| {
                failure(
                    with_note(case, ty, show_f32(x), x as f64),
                    show_f32(y),
                    expected,
                )
            })
        }
        FloatType::F64 => {
            let x = special.input;
            let y = (case.f64_fn)(x);
            let (ok, expected) = match special.expect {
                Expect::Exactly(v) => (same_bits_f64(y, v), show_f64(v)),
                Expect::Zero => (y == 0.0, "±0".to_string()),
                Expect::CorrectlyRounded => {
                    let r = (case.f64_reference)(x).to_f64();
                    (
                        same_bits_f64(y, r),
                        format!("{} (reference rounded)", show_f64(r)),
                    )
                }
                Expect::WithinBound => {
                    let r = (case.f64_reference)(x);
                    let ulp = ulp_error_f64(y, &r);
                    let ok = case.f64_bound.admits(ulp, 0)
                        && (case.f64_bound != Bound::CorrectlyRounded
                            || same_bits_f64(y, r.to_f64()));
                    (
                        ok,
                        format!(
                            "{} {} (error {} ULP)",
                            r.to_string_radix(10, Some(20)),
                            bound_text(case.f64_bound),
                            format_ulp(ulp)
                        ),
                    )
                }
            };
            (!ok).then(|| failure(with_note(case, ty, show_f64(x), x), show_f64(y), expected))
        }
    }
}

/// Checks every elementwise special of `case` for `ty`.
pub fn check_case_specials(case: &Case, ty: FloatType) -> SpecialOutcome {
    let table = special_table(std::slice::from_ref(case));
    let mut outcome = SpecialOutcome::default();
    for special in table
        .iter()
        .filter(|s| s.function == case.name && s.ty.is_none_or(|t| t == ty))
    {
        outcome.checked += 1;
        if let Some(f) = check_one(case, special, ty) {
            outcome.failures.push(f);
        }
    }
    outcome
}

/// Numbers that `activ`'s generic row functions accept, with the conversions the checks
/// need.
trait RowFloat: activ::Float {
    const TY: FloatType;
    fn show(self) -> String;
    /// Same value, NaN equal to NaN; the sign of zero is not part of the row contract.
    fn same_value(self, other: Self) -> bool;
    /// Error against a value given in MPFR (ULPs of this type).
    fn ulp_against(self, exact: &Float) -> f64;
    const MAX: Self;
}

impl RowFloat for f32 {
    const TY: FloatType = FloatType::F32;
    const MAX: Self = f32::MAX;
    fn show(self) -> String {
        show_f32(self)
    }
    fn same_value(self, other: Self) -> bool {
        (self.is_nan() && other.is_nan()) || self == other
    }
    fn ulp_against(self, exact: &Float) -> f64 {
        ulp_error_f32(self, exact.to_f64())
    }
}

impl RowFloat for f64 {
    const TY: FloatType = FloatType::F64;
    const MAX: Self = f64::MAX;
    fn show(self) -> String {
        show_f64(self)
    }
    fn same_value(self, other: Self) -> bool {
        (self.is_nan() && other.is_nan()) || self == other
    }
    fn ulp_against(self, exact: &Float) -> f64 {
        ulp_error_f64(self, exact)
    }
}

/// What one element of a special row must be.
#[derive(Clone, Copy)]
enum RowExpect {
    Value(f64),
    /// Within 1 ULP of an exact value (1/k, −ln k: one correctly rounded operation at most
    /// away from the exact constant).
    Near(fn() -> Float),
    /// +0, sign included (the gradient of a masked row).
    PlusZero,
}

fn show_row<T: RowFloat>(row: &[T]) -> String {
    let items: Vec<String> = row.iter().map(|v| format!("{:e}", v.to_f64())).collect();
    format!("[{}]", items.join(", "))
}

/// The row functions with special rows, in report order.
const ROW_FUNCTIONS: [&str; 6] = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "softmax_backward",
    "log_softmax_backward",
    "logsumexp_backward",
];

struct RowChecker<T> {
    outcomes: Vec<(String, SpecialOutcome)>,
    _ty: std::marker::PhantomData<T>,
}

impl<T: RowFloat> RowChecker<T> {
    fn new() -> Self {
        Self {
            outcomes: ROW_FUNCTIONS
                .iter()
                .map(|f| (f.to_string(), SpecialOutcome::default()))
                .collect(),
            _ty: std::marker::PhantomData,
        }
    }

    fn outcome(&mut self, function: &str) -> &mut SpecialOutcome {
        &mut self
            .outcomes
            .iter_mut()
            .find(|(f, _)| f == function)
            .expect("a row function")
            .1
    }

    fn check(&mut self, function: &str, input: &str, got: &[T], expected: &[RowExpect]) {
        let mut ok = got.len() == expected.len();
        for (&g, e) in got.iter().zip(expected) {
            ok &= match *e {
                RowExpect::Value(v) => g.same_value(T::from_f64(v)),
                RowExpect::Near(exact) => g.ulp_against(&exact()) <= 1.0,
                RowExpect::PlusZero => g.to_f64().to_bits() == 0,
            };
        }
        let outcome = self.outcome(function);
        outcome.checked += 1;
        if !ok {
            let expected: Vec<String> = expected
                .iter()
                .map(|e| match *e {
                    RowExpect::Value(v) => T::from_f64(v).show(),
                    RowExpect::Near(exact) => {
                        format!("{} ±1 ULP", exact().to_string_radix(10, Some(20)))
                    }
                    RowExpect::PlusZero => "+0".to_string(),
                })
                .collect();
            outcome.failures.push(SpecialFailure {
                function: function.to_string(),
                ty: T::TY,
                input: input.to_string(),
                got: show_row(got),
                expected: format!("[{}]", expected.join(", ")),
            });
        }
    }

    /// Checks that a call succeeded and left `got` as expected.
    fn check_call(
        &mut self,
        function: &str,
        input: &str,
        result: Result<(), activ::Error>,
        got: &[T],
        expected: &[RowExpect],
    ) {
        match result {
            Ok(()) => self.check(function, input, got, expected),
            Err(e) => {
                let outcome = self.outcome(function);
                outcome.checked += 1;
                outcome.failures.push(SpecialFailure {
                    function: function.to_string(),
                    ty: T::TY,
                    input: input.to_string(),
                    got: format!("error: {e}"),
                    expected: "success".to_string(),
                });
            }
        }
    }

    /// softmax, log_softmax (default policy) and logsumexp of one row.
    fn row(&mut self, x: &[f64], softmax: &[RowExpect], log_softmax: &[RowExpect], lse: RowExpect) {
        let x: Vec<T> = x.iter().map(|&v| T::from_f64(v)).collect();
        let input = show_row(&x);
        let cols = x.len();
        let mut y = vec![T::from_f64(7.0); cols];
        activ::softmax(&x, &mut y, 1, cols).expect("matching shapes");
        self.check("softmax", &input, &y, softmax);
        activ::log_softmax(&x, &mut y, 1, cols).expect("matching shapes");
        self.check("log_softmax", &input, &y, log_softmax);
        let mut out = [T::from_f64(7.0)];
        activ::logsumexp(&x, &mut out, 1, cols).expect("matching shapes");
        self.check("logsumexp", &input, &out, &[lse]);
    }

    /// softmax or log_softmax backward (by `function`) of one row y with gradient dy.
    fn backward(&mut self, function: &str, y: &[T], dy: &[f64], expected: &[RowExpect]) {
        let dy: Vec<T> = dy.iter().map(|&v| T::from_f64(v)).collect();
        let input = format!("y {}, dy {}", show_row(y), show_row(&dy));
        let cols = y.len();
        let mut dx = vec![T::from_f64(7.0); cols];
        let result = match function {
            "softmax_backward" => activ::softmax_backward(y, &dy, &mut dx, 1, cols),
            _ => activ::log_softmax_backward(y, &dy, &mut dx, 1, cols),
        };
        self.check_call(function, &input, result, &dx, expected);
    }

    /// logsumexp backward of one row x with gradient dout.
    fn logsumexp_backward(&mut self, x: &[f64], dout: f64, expected: &[RowExpect]) {
        let x: Vec<T> = x.iter().map(|&v| T::from_f64(v)).collect();
        let dout = T::from_f64(dout);
        let input = format!("x {}, dout {:e}", show_row(&x), dout.to_f64());
        let cols = x.len();
        let mut dx = vec![T::from_f64(7.0); cols];
        let result = activ::logsumexp_backward(&x, &[dout], &mut dx, 1, cols);
        self.check_call("logsumexp_backward", &input, result, &dx, expected);
    }
}

fn values<T: RowFloat>(v: &[f64]) -> Vec<T> {
    v.iter().map(|&e| T::from_f64(e)).collect()
}

/// The special rows of the backward passes.
fn run_backward_specials<T: RowFloat>(c: &mut RowChecker<T>) {
    use RowExpect::{Near as N, PlusZero as Z, Value as V};
    let nan3 = [V(NAN); 3];
    let masked = [T::NEG_INFINITY; 3];
    fn view<T: RowFloat>(v: &[T]) -> Rows<'_, T> {
        Rows::new(v, 1, 3).expect("shape")
    }
    // Masked rows under the zeros policy: the forward wrote 0 (softmax) or −∞
    // (log_softmax), and the gradient is +0 whatever dy holds.
    let mut y = [T::from_f64(7.0); 3];
    activ::softmax(&masked, &mut y, 1, 3).expect("matching shapes");
    c.backward("softmax_backward", &y, &[1.0, NAN, -INF], &[Z; 3]);
    c.backward("softmax_backward", &y, &[-2.0, 0.5, 3.0], &[Z; 3]);
    activ::log_softmax(&masked, &mut y, 1, 3).expect("matching shapes");
    c.backward("log_softmax_backward", &y, &[1.0, NAN, -INF], &[Z; 3]);
    c.backward("log_softmax_backward", &y, &[-2.0, 0.5, 3.0], &[Z; 3]);
    c.logsumexp_backward(&[-INF; 3], 5.0, &[Z; 3]);
    // Under MaskedRows::Nan the forward wrote NaN, and NaN propagates; logsumexp backward
    // takes the policy itself.
    activ::softmax_rows(
        view(&masked),
        RowsMut::new(&mut y, 1, 3).expect("shape"),
        MaskedRows::Nan,
    )
    .expect("matching shapes");
    c.backward("softmax_backward", &y, &[1.0, 2.0, 3.0], &nan3);
    activ::log_softmax_rows(
        view(&masked),
        RowsMut::new(&mut y, 1, 3).expect("shape"),
        MaskedRows::Nan,
    )
    .expect("matching shapes");
    c.backward("log_softmax_backward", &y, &[1.0, 2.0, 3.0], &nan3);
    let mut dx = [T::from_f64(7.0); 3];
    let result = activ::logsumexp_backward_rows(
        view(&masked),
        &[T::from_f64(5.0)],
        RowsMut::new(&mut dx, 1, 3).expect("shape"),
        MaskedRows::Nan,
    );
    c.check_call(
        "logsumexp_backward",
        &format!("x {}, dout 5 with MaskedRows::Nan", show_row(&masked)),
        result,
        &dx,
        &nan3,
    );

    // NaN in dy poisons ⟨dy, y⟩ and Σ dy, so the whole row; NaN in y poisons the softmax
    // row (through ⟨dy, y⟩) but only its own entry of the log_softmax row.
    let quarter: Vec<T> = values(&[0.25, 0.25, 0.5]);
    c.backward("softmax_backward", &quarter, &[0.0, NAN, 2.0], &nan3);
    c.backward(
        "softmax_backward",
        &values::<T>(&[0.25, NAN, 0.5]),
        &[0.0, 1.0, 2.0],
        &nan3,
    );
    let logs: Vec<T> = values(&[-1.0, -1.5, -2.0]);
    c.backward("log_softmax_backward", &logs, &[0.0, NAN, 2.0], &nan3);
    c.backward(
        "log_softmax_backward",
        &values::<T>(&[NAN, -1.0, -2.0]),
        &[1.0, 2.0, 3.0],
        &[
            V(NAN),
            N(|| Float::with_val(MPFR_PREC, -1).exp() * -6i32 + 2u32),
            N(|| Float::with_val(MPFR_PREC, -2).exp() * -6i32 + 3u32),
        ],
    );
    c.logsumexp_backward(&[1.0, NAN, 2.0], 1.0, &nan3);
    c.logsumexp_backward(&[0.0, 0.0], NAN, &[V(NAN); 2]);

    // Exact values: the doc example, a one-hot y, one column, a −∞ entry.
    c.backward(
        "softmax_backward",
        &quarter,
        &[0.0, 1.0, 2.0],
        &[V(-0.3125), V(-0.0625), V(0.375)],
    );
    c.backward(
        "softmax_backward",
        &values::<T>(&[1.0, 0.0, 0.0]),
        &[3.0, -1.0, 2.0],
        &[V(0.0); 3],
    );
    c.backward(
        "log_softmax_backward",
        &values::<T>(&[0.0]),
        &[3.0],
        &[V(0.0)],
    );
    c.backward(
        "log_softmax_backward",
        &values::<T>(&[0.0, -INF]),
        &[1.0, 2.0],
        &[V(-2.0), V(2.0)],
    );
    c.logsumexp_backward(&[0.0, 0.0], 2.0, &[V(1.0), V(1.0)]);
    c.logsumexp_backward(
        &[INF, 0.0, INF, -INF],
        4.0,
        &[V(2.0), V(0.0), V(2.0), V(0.0)],
    );
    let max = T::MAX.to_f64();
    c.logsumexp_backward(&[max, max], -2.0, &[V(-1.0), V(-1.0)]);
    c.logsumexp_backward(&[-1e30], 0.75, &[V(0.75)]);

    // cols = 0: nothing written.
    let sentinel = T::from_f64(7.0);
    let empty: [T; 0] = [];
    let mut buffer = [sentinel; 3];
    let input = "3 rows of 0 columns";
    let result = activ::softmax_backward(&empty, &empty, &mut buffer[..0], 3, 0);
    c.check_call("softmax_backward", input, result, &buffer, &[V(7.0); 3]);
    let result = activ::log_softmax_backward(&empty, &empty, &mut buffer[..0], 3, 0);
    c.check_call("log_softmax_backward", input, result, &buffer, &[V(7.0); 3]);
    let douts = [T::from_f64(1.0); 3];
    let result = activ::logsumexp_backward(&empty, &douts, &mut buffer[..0], 3, 0);
    c.check_call("logsumexp_backward", input, result, &buffer, &[V(7.0); 3]);

    // Strided rows: the elements between rows are never touched.
    let y: Vec<T> = values(&[0.5, 0.5, 99.0, 99.0, 0.25, 0.75]);
    let dy: Vec<T> = values(&[1.0, 2.0, 99.0, 99.0, 4.0, 0.0]);
    let mut dx = vec![sentinel; 6];
    let input = "2 rows of 2 columns with stride 4: the gap";
    fn strided<T: RowFloat>(v: &[T]) -> Rows<'_, T> {
        Rows::strided(v, 2, 2, 4).expect("strided view")
    }
    let result = activ::softmax_backward_rows(
        strided(&y),
        strided(&dy),
        RowsMut::strided(&mut dx, 2, 2, 4).expect("strided view"),
    );
    c.check_call("softmax_backward", input, result, &dx[2..4], &[V(7.0); 2]);
    let result = activ::log_softmax_backward_rows(
        strided(&y),
        strided(&dy),
        RowsMut::strided(&mut dx, 2, 2, 4).expect("strided view"),
    );
    c.check_call(
        "log_softmax_backward",
        input,
        result,
        &dx[2..4],
        &[V(7.0); 2],
    );
    let result = activ::logsumexp_backward_rows(
        strided(&y),
        &values::<T>(&[1.0, 1.0]),
        RowsMut::strided(&mut dx, 2, 2, 4).expect("strided view"),
        MaskedRows::Zeros,
    );
    c.check_call("logsumexp_backward", input, result, &dx[2..4], &[V(7.0); 2]);
}

fn exact_ln(k: u32) -> Float {
    Float::with_val(MPFR_PREC, k).ln()
}

fn run_row_specials<T: RowFloat>() -> Vec<(String, SpecialOutcome)> {
    use RowExpect::{Near as N, Value as V};
    let mut c = RowChecker::<T>::new();
    let nan3 = [V(NAN); 3];
    // A NaN anywhere poisons the row, even next to +∞.
    c.row(&[1.0, NAN, 2.0], &nan3, &nan3, V(NAN));
    c.row(&[INF, NAN, -INF], &nan3, &nan3, V(NAN));
    // k entries +∞: 1/k there, 0 elsewhere; −ln k and −∞.
    c.row(
        &[INF, 1.0, -INF],
        &[V(1.0), V(0.0), V(0.0)],
        &[V(-0.0), V(-INF), V(-INF)],
        V(INF),
    );
    c.row(
        &[INF, 0.0, INF, -INF],
        &[V(0.5), V(0.0), V(0.5), V(0.0)],
        &[N(|| -exact_ln(2)), V(-INF), N(|| -exact_ln(2)), V(-INF)],
        V(INF),
    );
    let third = || Float::with_val(MPFR_PREC, 1) / 3u32;
    let minus_ln3 = || -exact_ln(3);
    c.row(
        &[INF, -5.0, INF, T::MAX.to_f64(), INF],
        &[N(third), V(0.0), N(third), V(0.0), N(third)],
        &[N(minus_ln3), V(-INF), N(minus_ln3), V(-INF), N(minus_ln3)],
        V(INF),
    );
    // A fully masked row: zeros / −∞ by default, logsumexp −∞.
    c.row(&[-INF; 3], &[V(0.0); 3], &[V(-INF); 3], V(-INF));
    // Huge finite logits do not overflow: e^(x − max) with x − max ≤ 0.
    let max = T::MAX.to_f64();
    c.row(
        &[max, -max],
        &[V(1.0), V(0.0)],
        &[
            V(0.0),
            N(|| -Float::with_val(MPFR_PREC, T::MAX.to_f64()) * 2u32),
        ],
        V(max),
    );
    c.row(
        &[max, max],
        &[V(0.5), V(0.5)],
        &[N(|| -exact_ln(2)), N(|| -exact_ln(2))],
        // max + ln 2 rounds to max in both types.
        V(max),
    );
    c.row(&[-1e30], &[V(1.0)], &[V(0.0)], V(-1e30));

    // MaskedRows::Nan turns a masked row into NaN (logsumexp stays −∞).
    let x = [T::NEG_INFINITY; 3];
    let mut y = [T::from_f64(7.0); 3];
    let input = format!("{} with MaskedRows::Nan", show_row(&x));
    activ::softmax_rows(
        Rows::new(&x, 1, 3).expect("shape"),
        RowsMut::new(&mut y, 1, 3).expect("shape"),
        MaskedRows::Nan,
    )
    .expect("matching shapes");
    c.check("softmax", &input, &y, &nan3);
    activ::log_softmax_rows(
        Rows::new(&x, 1, 3).expect("shape"),
        RowsMut::new(&mut y, 1, 3).expect("shape"),
        MaskedRows::Nan,
    )
    .expect("matching shapes");
    c.check("log_softmax", &input, &y, &nan3);

    // cols = 0: nothing written, logsumexp −∞ for every row.
    let sentinel = T::from_f64(7.0);
    let source = [T::from_f64(1.0); 6];
    let mut out = [sentinel; 3];
    let result = activ::logsumexp(&source[..0], &mut out, 3, 0);
    c.check_call(
        "logsumexp",
        "3 rows of 0 columns",
        result,
        &out,
        &[V(-INF); 3],
    );
    let mut buffer = [sentinel; 6];
    let result = activ::softmax(&source[..0], &mut buffer[..0], 3, 0);
    c.check_call(
        "softmax",
        "3 rows of 0 columns",
        result,
        &buffer,
        &[V(7.0); 6],
    );
    let result = activ::log_softmax(&source[..0], &mut buffer[..0], 3, 0);
    c.check_call(
        "log_softmax",
        "3 rows of 0 columns",
        result,
        &buffer,
        &[V(7.0); 6],
    );
    let result = activ::softmax_rows(
        Rows::strided(&source, 2, 0, 3).expect("a valid empty view"),
        RowsMut::strided(&mut buffer, 2, 0, 3).expect("a valid empty view"),
        MaskedRows::Zeros,
    );
    let input = "2 rows of 0 columns, stride 3";
    c.check_call("softmax", input, result, &buffer, &[V(7.0); 6]);
    let result = activ::log_softmax_rows(
        Rows::strided(&source, 2, 0, 3).expect("a valid empty view"),
        RowsMut::strided(&mut buffer, 2, 0, 3).expect("a valid empty view"),
        MaskedRows::Zeros,
    );
    c.check_call("log_softmax", input, result, &buffer, &[V(7.0); 6]);
    // Strided rows: the elements between rows are never touched.
    let x: Vec<T> = [0.0, 1.0, 99.0, 99.0, 2.0, 3.0]
        .iter()
        .map(|&v| T::from_f64(v))
        .collect();
    let mut y = vec![sentinel; 6];
    activ::softmax_rows(
        Rows::strided(&x, 2, 2, 4).expect("strided view"),
        RowsMut::strided(&mut y, 2, 2, 4).expect("strided view"),
        MaskedRows::Zeros,
    )
    .expect("matching shapes");
    c.check(
        "softmax",
        "2 rows of 2 columns with stride 4: the gap",
        &y[2..4],
        &[V(7.0); 2],
    );
    run_backward_specials(&mut c);
    c.outcomes
}

/// The special rows of softmax, log_softmax and logsumexp and of their backward passes, for
/// one type, per function.
pub fn check_row_specials(ty: FloatType) -> Vec<(String, SpecialOutcome)> {
    match ty {
        FloatType::F32 => run_row_specials::<f32>(),
        FloatType::F64 => run_row_specials::<f64>(),
    }
}

/// Every special value of every case and of the softmax family, both types; empty when
/// all hold.
pub fn check_specials() -> Vec<SpecialFailure> {
    let cases = crate::cases::cases();
    let mut failures = Vec::new();
    for ty in [FloatType::F32, FloatType::F64] {
        for case in &cases {
            failures.extend(check_case_specials(case, ty).failures);
        }
        for (_, outcome) in check_row_specials(ty) {
            failures.extend(outcome.failures);
        }
    }
    failures
}
