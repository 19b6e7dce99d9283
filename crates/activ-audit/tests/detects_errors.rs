//! The measuring machinery itself must be able to fail: each test feeds it a function (or a
//! reference) that is wrong in a known way and asserts that the error is caught, with a
//! message naming the function, the input (bits and value), the result, the reference and
//! the error.

use std::sync::Arc;

use activ_audit::cases::find;
use activ_audit::measure::seed_for;
use activ_audit::specials::check_case_specials;
use activ_audit::{sample_f64, sweep_f32, Case, FloatType};

fn case(name: &str) -> Case {
    find(name).unwrap_or_else(|| panic!("no case named {name}"))
}

#[test]
fn a_two_ulp_error_in_f32_fails_a_one_ulp_bound() {
    let mut c = case("sigmoid");
    // Two ULPs high wherever sigmoid is in (0.5, 1): the sweep must see it.
    c.f32_fn = Arc::new(|x: f32| {
        let y = activ::sigmoid(x);
        if y > 0.5 && y < 0.99 {
            f32::from_bits(y.to_bits() + 2)
        } else {
            y
        }
    });
    let m = sweep_f32(&c, 1 << 12, 2);
    assert!(!m.passed(), "{}", m.describe());
    assert!(m.max_ulp > 1.0 && m.max_ulp < 3.0, "{}", m.describe());
    let message = m.describe();
    for part in ["sigmoid f32", "bits 0x", "result", "reference", "EXCEEDS"] {
        assert!(message.contains(part), "'{part}' missing from: {message}");
    }
}

#[test]
fn a_wrong_reference_is_noticed() {
    let mut c = case("tanh");
    c.f32_reference = Arc::new(|x: f64| (x * (1.0 + 1e-6)).tanh());
    let m = sweep_f32(&c, 1 << 12, 2);
    assert!(!m.passed(), "{}", m.describe());
}

#[test]
fn flushing_subnormal_results_to_zero_fails() {
    let mut c = case("sigmoid");
    c.f32_fn = Arc::new(|x: f32| {
        let y = activ::sigmoid(x);
        if y < f32::MIN_POSITIVE {
            0.0
        } else {
            y
        }
    });
    let m = sweep_f32(&c, 1 << 8, 2);
    assert!(!m.passed());
    assert!(m.max_subnormal_ulp > 1.0, "{}", m.describe());
}

#[test]
fn one_misrounded_result_fails_a_correctly_rounded_function() {
    let mut c = case("relu");
    // Off by one ULP on [1, 2) only: within "1 ULP", but not correctly rounded.
    c.f32_fn = Arc::new(|x: f32| {
        if (1.0..2.0).contains(&x) {
            f32::from_bits(x.to_bits() + 1)
        } else {
            activ::relu(x)
        }
    });
    let m = sweep_f32(&c, 1 << 12, 2);
    assert!(m.misrounded > 0 && !m.passed(), "{}", m.describe());
}

#[test]
fn a_three_ulp_error_in_f64_fails() {
    let mut c = case("softsign");
    c.f64_fn = Arc::new(|x: f64| {
        let y = activ::softsign(x);
        if y > 0.25 && y < 0.49 {
            f64::from_bits(y.to_bits() + 3)
        } else {
            y
        }
    });
    let m = sample_f64(&c, 10_000, seed_for("softsign"), 2);
    assert!(!m.passed(), "{}", m.describe());
    assert!(m.max_ulp > 2.0 && m.max_ulp < 4.0, "{}", m.describe());
    assert!(m.describe().contains("softsign f64"));
}

#[test]
fn wrong_special_values_are_caught() {
    let mut c = case("relu");
    // The classic bugs: NaN becomes 0 and −0.0 stays −0.0.
    c.f32_fn = Arc::new(|x: f32| {
        if x > 0.0 {
            x
        } else if x < 0.0 {
            0.0
        } else {
            x * 0.0
        }
    });
    c.f64_fn = Arc::new(|x: f64| x.max(0.0));
    let f32_outcome = check_case_specials(&c, FloatType::F32);
    let text: Vec<String> = f32_outcome.failures.iter().map(|f| f.to_string()).collect();
    assert!(
        text.iter().any(|t| t.contains("input -0e0")),
        "relu(−0.0) = −0.0 not caught: {text:?}"
    );
    let f64_outcome = check_case_specials(&c, FloatType::F64);
    let text: Vec<String> = f64_outcome.failures.iter().map(|f| f.to_string()).collect();
    assert!(
        text.iter().any(|t| t.contains("input NaN")),
        "relu(NaN) = 0 not caught: {text:?}"
    );
}

#[test]
fn the_naive_sigmoid_derivative_fails() {
    let mut c = case("sigmoid_grad");
    // y·(1 − y) rounds to 0 from x ≈ 17 on, and loses all relative accuracy before.
    c.f32_fn = Arc::new(|x: f32| {
        let y = activ::sigmoid(x);
        y * (1.0 - y)
    });
    let m = sweep_f32(&c, 1 << 12, 2);
    assert!(!m.passed(), "{}", m.describe());
    assert!(m.max_ulp > 1e3, "{}", m.describe());
    assert!(m.describe().contains("sigmoid_grad f32"));
}

#[test]
fn a_product_of_the_rounded_derivative_fails_the_vjp_audit() {
    use activ::Derivative;
    use activ_audit::measure::vjp_dy_f64;
    use activ_audit::reference::careful;
    let mut c = case("sigmoid_vjp");
    // dy·f′(x) with f′(x) rounded first, with the case's own dy: where f′(x) is subnormal or
    // underflows (x ≈ −745) and dy brings the product back into range, its digits are gone.
    c.f64_fn = Arc::new(|x: f64| {
        let dy = vjp_dy_f64(x, careful::sigmoid_grad(x));
        dy * activ::Sigmoid.derivative(x)
    });
    let m = sample_f64(&c, 1000, seed_for(&c.name), 2);
    assert!(!m.passed(), "{}", m.describe());
    assert!(m.describe().contains("sigmoid_vjp f64"));
}

#[test]
fn a_wrong_kink_convention_is_caught() {
    let mut c = case("relu_grad");
    // relu′(0) = 1 (the other common convention) is not activ's documented value.
    c.f32_fn = Arc::new(|x: f32| if x >= 0.0 { 1.0 } else { 0.0 });
    let outcome = check_case_specials(&c, FloatType::F32);
    let text: Vec<String> = outcome.failures.iter().map(|f| f.to_string()).collect();
    assert!(
        text.iter().any(|t| t.contains("input 0e0")),
        "relu′(0) = 1 not caught: {text:?}"
    );
}
