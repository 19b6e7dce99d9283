//! softmax and log_softmax per element, ≤ 4 ULP (2 is the target), on random rows, rows
//! with one dominant logit and rows spanning 1e4, with 1, 7, 1000 and 65536 columns:
//! `f32` against a careful-`f64` reference, `f64` against MPFR. Prints every measured
//! maximum (`cargo test -- --nocapture`).

use activ_audit::rows::{measure_rows_f32, measure_rows_f64, rows_for, ROW_COLS, ROW_KINDS};
use activ_audit::{format_ulp, FloatType, Measurement};

fn check(ty: FloatType) {
    let mut failures = Vec::new();
    for kind in ROW_KINDS {
        for cols in ROW_COLS {
            let rows = rows_for(cols, ty);
            let a = match ty {
                FloatType::F32 => measure_rows_f32(kind, cols, rows),
                FloatType::F64 => measure_rows_f64(kind, cols, rows),
            };
            for m in [&a.softmax, &a.log_softmax] {
                report(m, kind.name(), cols, rows);
                if !m.passed() {
                    failures.push(m.describe());
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn report(m: &Measurement, kind: &str, cols: usize, rows: usize) {
    println!(
        "{:<11} {} {kind:<14} {rows:>3} × {cols:<5}: max {} ULP (subnormal results: {})",
        m.function,
        m.ty,
        format_ulp(m.max_ulp),
        format_ulp(m.max_subnormal_ulp)
    );
}

#[test]
fn softmax_rows_f32() {
    check(FloatType::F32);
}

#[test]
fn softmax_rows_f64() {
    check(FloatType::F64);
}
