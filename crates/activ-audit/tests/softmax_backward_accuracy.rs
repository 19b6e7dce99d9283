//! The row backward passes per element against MPFR from the exact inputs they received,
//! on the rows of the forward measurement (random, one dominant logit, spanning 1e4; 1, 7,
//! 1000 and 65536 columns), each softmax and log_softmax row with every kind of dy
//! (random, nearly constant, constant, near c·softmax):
//! - softmax_backward: |dx_j − exact| ≤ 1 ULP + 2^−80·|y_j|·Σ|y_i dy_i|;
//! - log_softmax_backward: |dx_j − exact| ≤ 1 ULP + 2^−59·e^(y_j)·Σ|dy_i|;
//! - logsumexp_backward: ≤ 2 ULP.
//!
//! Prints every measured maximum, the elements beyond 1 ULP and the largest error / bound
//! (`cargo test -- --nocapture`).

use std::sync::OnceLock;

use activ_audit::rows::{rows_for, ROW_COLS, ROW_KINDS};
use activ_audit::rows_backward::{measure_backward_rows, RowBackwardAccuracy};
use activ_audit::{format_ulp, FloatType, Measurement};

fn measure(ty: FloatType) -> Vec<RowBackwardAccuracy> {
    let mut all = Vec::new();
    for kind in ROW_KINDS {
        for cols in ROW_COLS {
            let rows = rows_for(cols, ty);
            all.push(match ty {
                FloatType::F32 => measure_backward_rows::<f32>(kind, cols, rows),
                FloatType::F64 => measure_backward_rows::<f64>(kind, cols, rows),
            });
        }
    }
    all
}

/// The measurements of one type, taken once for the tests of that type.
fn measured(ty: FloatType) -> &'static [RowBackwardAccuracy] {
    static F32: OnceLock<Vec<RowBackwardAccuracy>> = OnceLock::new();
    static F64: OnceLock<Vec<RowBackwardAccuracy>> = OnceLock::new();
    match ty {
        FloatType::F32 => F32.get_or_init(|| measure(ty)),
        FloatType::F64 => F64.get_or_init(|| measure(ty)),
    }
}

fn check(ty: FloatType, function: &str) {
    let mut failures = Vec::new();
    let mut tested = 0;
    for a in measured(ty) {
        let m = match function {
            "softmax_backward" => &a.softmax_backward,
            "log_softmax_backward" => &a.log_softmax_backward,
            _ => &a.logsumexp_backward,
        };
        assert_eq!(m.function, function);
        assert!(m.tested > 0);
        tested += m.tested;
        report(m, a.kind.name(), a.cols, a.rows);
        if !m.passed() {
            failures.push(m.describe());
        }
    }
    assert!(tested > 100_000, "{function} {ty}: only {tested} elements");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn report(m: &Measurement, kind: &str, cols: usize, rows: usize) {
    println!(
        "{:<20} {} {kind:<14} {rows:>3} × {cols:<5}: max {} ULP (subnormal results: {}), {} beyond 1 ULP, max error/bound {:.3}",
        m.function,
        m.ty,
        format_ulp(m.max_ulp),
        format_ulp(m.max_subnormal_ulp),
        m.beyond_ulp,
        m.max_bound_ratio,
    );
}

#[test]
fn softmax_backward_f32() {
    check(FloatType::F32, "softmax_backward");
}

#[test]
fn softmax_backward_f64() {
    check(FloatType::F64, "softmax_backward");
}

#[test]
fn log_softmax_backward_f32() {
    check(FloatType::F32, "log_softmax_backward");
}

#[test]
fn log_softmax_backward_f64() {
    check(FloatType::F64, "log_softmax_backward");
}

#[test]
fn logsumexp_backward_f32() {
    check(FloatType::F32, "logsumexp_backward");
}

#[test]
fn logsumexp_backward_f64() {
    check(FloatType::F64, "logsumexp_backward");
}
