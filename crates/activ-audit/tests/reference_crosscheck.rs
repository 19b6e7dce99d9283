//! The careful-`f64` references (the yardstick of every `f32` measurement) checked against
//! MPFR on 10^4 `f32` inputs per function: they must agree to ~1e−15 relative (at most
//! 1e−13, which allows the 2t² conditioning of erfc in gelu) wherever the value is in the
//! `f32` range, and to within 1e−6 of an `f32` ULP everywhere, so an `f32` error measured
//! against them is the true error to six decimals.
//!
//! The derivatives (`_grad`) are held to the same standard, on inputs of which a third are
//! drawn from [−2, 0], around the roots of silu′, gelu′, gelu_tanh′ and mish′ where the
//! careful references switch between their `f64` sum and MPFR.

use activ_audit::reference::{careful, mpfr};
use activ_audit::rng::SplitMix64;
use activ_audit::ulp::f32_ulp_of;
use rug::Float;

type Careful = Box<dyn Fn(f64) -> f64>;
type Exact = Box<dyn Fn(f64) -> Float>;

/// Where the inputs of a pair are drawn.
#[derive(Clone, Copy, PartialEq)]
enum Inputs {
    /// Random finite `f32` patterns and uniform [−30, 30].
    Real,
    /// [0, 1], both ends.
    Unit,
    /// As `Real`, plus uniform [−2, 0] (the roots of the derivatives).
    Roots,
}

/// Both references of every function, with the parameters the `f32` cases use (rounded
/// to `f32`, as the `f32` functions hold them).
fn pairs() -> Vec<(&'static str, Inputs, Careful, Exact)> {
    let p = |v: f64| v as f32 as f64;
    let mut v: Vec<(&'static str, Inputs, Careful, Exact)> = vec![
        (
            "sigmoid",
            Inputs::Real,
            Box::new(careful::sigmoid),
            Box::new(mpfr::sigmoid),
        ),
        (
            "log_sigmoid",
            Inputs::Real,
            Box::new(careful::log_sigmoid),
            Box::new(mpfr::log_sigmoid),
        ),
        (
            "logit",
            Inputs::Unit,
            Box::new(careful::logit),
            Box::new(mpfr::logit),
        ),
        (
            "relu",
            Inputs::Real,
            Box::new(careful::relu),
            Box::new(mpfr::relu),
        ),
        (
            "relu6",
            Inputs::Real,
            Box::new(careful::relu6),
            Box::new(mpfr::relu6),
        ),
        (
            "selu",
            Inputs::Real,
            Box::new(careful::selu),
            Box::new(mpfr::selu),
        ),
        (
            "tanh",
            Inputs::Real,
            Box::new(careful::tanh),
            Box::new(mpfr::tanh),
        ),
        (
            "gelu",
            Inputs::Real,
            Box::new(careful::gelu),
            Box::new(mpfr::gelu),
        ),
        (
            "gelu_tanh",
            Inputs::Real,
            Box::new(careful::gelu_tanh),
            Box::new(mpfr::gelu_tanh),
        ),
        (
            "silu",
            Inputs::Real,
            Box::new(careful::silu),
            Box::new(mpfr::silu),
        ),
        (
            "mish",
            Inputs::Real,
            Box::new(careful::mish),
            Box::new(mpfr::mish),
        ),
        (
            "softsign",
            Inputs::Real,
            Box::new(careful::softsign),
            Box::new(mpfr::softsign),
        ),
        (
            "hard_sigmoid",
            Inputs::Real,
            Box::new(careful::hard_sigmoid),
            Box::new(mpfr::hard_sigmoid),
        ),
        (
            "hard_swish",
            Inputs::Real,
            Box::new(careful::hard_swish),
            Box::new(mpfr::hard_swish),
        ),
    ];
    for (name, slope) in [("leaky_relu", 0.01), ("leaky_relu(0.2)", 0.2)] {
        let s = p(slope);
        v.push((
            name,
            Inputs::Real,
            Box::new(move |x| careful::leaky_relu(x, s)),
            Box::new(move |x| mpfr::leaky_relu(x, s)),
        ));
    }
    for (name, a) in [("elu", 1.0), ("elu(0.5)", 0.5)] {
        v.push((
            name,
            Inputs::Real,
            Box::new(move |x| careful::elu(x, a)),
            Box::new(move |x| mpfr::elu(x, a)),
        ));
    }
    for (name, a) in [("celu", 1.0), ("celu(0.5)", 0.5)] {
        v.push((
            name,
            Inputs::Real,
            Box::new(move |x| careful::celu(x, a)),
            Box::new(move |x| mpfr::celu(x, a)),
        ));
    }
    for (name, beta) in [
        ("softplus", 1.0),
        ("softplus(2)", 2.0),
        ("softplus(1e-3)", 1e-3),
        ("softplus(100)", 100.0),
    ] {
        let b = p(beta);
        v.push((
            name,
            Inputs::Real,
            Box::new(move |x| careful::softplus(x, b)),
            Box::new(move |x| mpfr::softplus(x, b)),
        ));
    }
    let (lo, hi) = (p(1e-6), (1.0 - 1e-6f32) as f64);
    v.push((
        "logit_eps(1e-6)",
        Inputs::Unit,
        Box::new(move |x| careful::logit_clamped(x, lo, hi)),
        Box::new(move |x| mpfr::logit_clamped(x, lo, hi)),
    ));
    v.extend(derivative_pairs());
    v
}

/// The derivatives' references, with the parameters of the `f32` cases.
fn derivative_pairs() -> Vec<(&'static str, Inputs, Careful, Exact)> {
    let p = |v: f64| v as f32 as f64;
    let r = Inputs::Roots;
    let mut v: Vec<(&'static str, Inputs, Careful, Exact)> = vec![
        (
            "sigmoid_grad",
            r,
            Box::new(careful::sigmoid_grad),
            Box::new(mpfr::sigmoid_grad),
        ),
        (
            "log_sigmoid_grad",
            r,
            Box::new(careful::log_sigmoid_grad),
            Box::new(mpfr::log_sigmoid_grad),
        ),
        (
            "logit_grad",
            Inputs::Unit,
            Box::new(careful::logit_grad),
            Box::new(mpfr::logit_grad),
        ),
        (
            "relu_grad",
            r,
            Box::new(careful::relu_grad),
            Box::new(mpfr::relu_grad),
        ),
        (
            "relu6_grad",
            r,
            Box::new(careful::relu6_grad),
            Box::new(mpfr::relu6_grad),
        ),
        (
            "selu_grad",
            r,
            Box::new(careful::selu_grad),
            Box::new(mpfr::selu_grad),
        ),
        (
            "tanh_grad",
            r,
            Box::new(careful::tanh_grad),
            Box::new(mpfr::tanh_grad),
        ),
        (
            "gelu_grad",
            r,
            Box::new(careful::gelu_grad),
            Box::new(mpfr::gelu_grad),
        ),
        (
            "gelu_tanh_grad",
            r,
            Box::new(careful::gelu_tanh_grad),
            Box::new(mpfr::gelu_tanh_grad),
        ),
        (
            "silu_grad",
            r,
            Box::new(careful::silu_grad),
            Box::new(mpfr::silu_grad),
        ),
        (
            "mish_grad",
            r,
            Box::new(careful::mish_grad),
            Box::new(mpfr::mish_grad),
        ),
        (
            "softsign_grad",
            r,
            Box::new(careful::softsign_grad),
            Box::new(mpfr::softsign_grad),
        ),
        (
            "hard_sigmoid_grad",
            r,
            Box::new(careful::hard_sigmoid_grad),
            Box::new(mpfr::hard_sigmoid_grad),
        ),
        (
            "hard_swish_grad",
            r,
            Box::new(careful::hard_swish_grad),
            Box::new(mpfr::hard_swish_grad),
        ),
    ];
    for (name, slope) in [("leaky_relu_grad", 0.01), ("leaky_relu_grad(0.2)", 0.2)] {
        let s = p(slope);
        v.push((
            name,
            r,
            Box::new(move |x| careful::leaky_relu_grad(x, s)),
            Box::new(move |x| mpfr::leaky_relu_grad(x, s)),
        ));
    }
    for (name, a) in [("elu_grad", 1.0), ("elu_grad(0.5)", 0.5)] {
        v.push((
            name,
            r,
            Box::new(move |x| careful::elu_grad(x, a)),
            Box::new(move |x| mpfr::elu_grad(x, a)),
        ));
    }
    for (name, a) in [("celu_grad", 1.0), ("celu_grad(0.5)", 0.5)] {
        v.push((
            name,
            r,
            Box::new(move |x| careful::celu_grad(x, a)),
            Box::new(move |x| mpfr::celu_grad(x, a)),
        ));
    }
    for (name, beta) in [
        ("softplus_grad", 1.0),
        ("softplus_grad(2)", 2.0),
        ("softplus_grad(1e-3)", 1e-3),
        ("softplus_grad(100)", 100.0),
    ] {
        let b = p(beta);
        v.push((
            name,
            r,
            Box::new(move |x| careful::softplus_grad(x, b)),
            Box::new(move |x| mpfr::softplus_grad(x, b)),
        ));
    }
    let (lo, hi) = (p(1e-6), (1.0 - 1e-6f32) as f64);
    v.push((
        "logit_eps_grad(1e-6)",
        Inputs::Unit,
        Box::new(move |x| careful::logit_eps_grad(x, lo, hi)),
        Box::new(move |x| mpfr::logit_eps_grad(x, lo, hi)),
    ));
    v
}

/// Half random finite `f32` bit patterns, half uniform in [−30, 30] (or [0, 1]); for
/// `Roots`, a third each of patterns, [−30, 30] and [−2, 0].
fn inputs(kind: Inputs, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    (0..10_000)
        .map(|i| {
            let x = if kind == Inputs::Roots && i % 3 == 2 {
                -2.0 * rng.unit()
            } else if kind == Inputs::Unit {
                if i % 2 == 0 {
                    f32::from_bits(rng.below(0x3f80_0000) as u32) as f64
                } else {
                    1.0 - f32::from_bits(rng.below(0x3f00_0000) as u32) as f64
                }
            } else if i % 2 == 0 {
                let bits = rng.next_u64() as u32;
                let x = f32::from_bits(bits);
                if x.is_finite() {
                    x as f64
                } else {
                    0.0
                }
            } else {
                (rng.unit() * 60.0 - 30.0) as f32 as f64
            };
            x as f32 as f64
        })
        .collect()
}

#[test]
fn careful_references_agree_with_mpfr() {
    let mut failures = Vec::new();
    for (k, (name, kind, careful_ref, exact_ref)) in pairs().into_iter().enumerate() {
        let (mut max_rel, mut max_f32_ulps) = (0.0f64, 0.0f64);
        for x in inputs(kind, 0x5eed + k as u64) {
            let c = careful_ref(x);
            let e = exact_ref(x);
            if e.is_nan() || c.is_nan() {
                if e.is_nan() != c.is_nan() {
                    failures.push(format!("{name}({x:e}): careful {c:e}, MPFR {e}"));
                }
                continue;
            }
            let ef = e.to_f64();
            if e.is_infinite() || c.is_infinite() {
                if c != ef {
                    failures.push(format!("{name}({x:e}): careful {c:e}, MPFR {e}"));
                }
                continue;
            }
            let diff = (Float::with_val(200, c) - &e).abs().to_f64();
            let f32_ulps = diff / f32_ulp_of(ef);
            max_f32_ulps = max_f32_ulps.max(f32_ulps);
            let in_f32_range = ef.abs() >= f32::MIN_POSITIVE as f64 && ef.abs() <= f32::MAX as f64;
            let rel = if in_f32_range { diff / ef.abs() } else { 0.0 };
            max_rel = max_rel.max(rel);
            if f32_ulps > 1e-6 || rel > 1e-13 {
                failures.push(format!(
                    "{name}({x:e}) (bits {:#x}): careful {c:e}, MPFR {}, relative error {rel:e}, {f32_ulps:e} f32 ULP",
                    (x as f32).to_bits(),
                    e.to_string_radix(10, Some(25))
                ));
            }
        }
        println!("{name:<20} max relative error {max_rel:.2e}, max {max_f32_ulps:.2e} f32 ULP");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
