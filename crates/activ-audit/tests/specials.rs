//! The special-value tables: NaN, ±∞, ±0 (sign included), subnormal and extreme inputs of
//! every function, derivative (kinks included) and backward product in both types, and the
//! special rows of softmax, log_softmax and logsumexp. Each test lists every failure, not
//! just the first.

use activ_audit::specials::{check_case_specials, check_row_specials};
use activ_audit::{FloatType, Kind};

fn elementwise(ty: FloatType, kind: Kind) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in activ_audit::cases().into_iter().filter(|c| c.kind == kind) {
        let outcome = check_case_specials(&case, ty);
        assert!(outcome.checked > 0, "{} has no special values", case.name);
        checked += outcome.checked;
        failures.extend(outcome.failures);
    }
    assert!(checked > 0, "no {kind:?} cases");
    println!("{checked} special values checked for {kind:?} {ty}");
    let list: Vec<String> = failures.iter().map(|f| format!("  {f}")).collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} special values wrong in {ty}:\n{}",
        failures.len(),
        list.join("\n")
    );
}

fn rows(ty: FloatType) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (function, outcome) in check_row_specials(ty) {
        assert!(outcome.checked > 0, "{function} has no special rows");
        checked += outcome.checked;
        failures.extend(outcome.failures);
    }
    let list: Vec<String> = failures.iter().map(|f| format!("  {f}")).collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} special rows wrong in {ty}:\n{}",
        failures.len(),
        list.join("\n")
    );
}

#[test]
fn elementwise_specials_f32() {
    elementwise(FloatType::F32, Kind::Forward);
}

#[test]
fn elementwise_specials_f64() {
    elementwise(FloatType::F64, Kind::Forward);
}

#[test]
fn derivative_specials_f32() {
    elementwise(FloatType::F32, Kind::Derivative);
}

#[test]
fn derivative_specials_f64() {
    elementwise(FloatType::F64, Kind::Derivative);
}

#[test]
fn vjp_specials_f32() {
    elementwise(FloatType::F32, Kind::Vjp);
}

#[test]
fn vjp_specials_f64() {
    elementwise(FloatType::F64, Kind::Vjp);
}

#[test]
fn row_specials_f32() {
    rows(FloatType::F32);
}

#[test]
fn row_specials_f64() {
    rows(FloatType::F64);
}
