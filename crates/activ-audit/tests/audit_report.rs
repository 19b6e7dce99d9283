//! The audit engine end to end, on a small budget: the report has one row per function and
//! type, prints as a markdown table with the promised columns, and `passed` agrees with
//! the rows.

use activ_audit::{run, AuditOptions, FloatType};

fn small(filter: &str) -> AuditOptions {
    AuditOptions {
        f64_samples: 1000,
        f32_stride: 1 << 16,
        filter: Some(filter.to_string()),
        ..AuditOptions::default()
    }
}

#[test]
fn defaults_match_the_contract() {
    let d = AuditOptions::default();
    assert!(!d.exhaustive);
    assert_eq!(d.f32_stride, 256, "2^24 f32 inputs per function");
    assert_eq!(d.f64_samples, 1_000_000);
    assert!(d.threads >= 1);
}

#[test]
fn report_rows_and_table() {
    let report = run(&small("hard_sigmoid"));
    let names: Vec<(&str, FloatType)> = report
        .rows
        .iter()
        .map(|r| (r.function.as_str(), r.ty))
        .collect();
    // The filter selects by substring: the function and its two backward cases.
    assert_eq!(
        names,
        [
            ("hard_sigmoid", FloatType::F32),
            ("hard_sigmoid", FloatType::F64),
            ("hard_sigmoid_grad", FloatType::F32),
            ("hard_sigmoid_grad", FloatType::F64),
            ("hard_sigmoid_vjp", FloatType::F32),
            ("hard_sigmoid_vjp", FloatType::F64),
        ]
    );
    let f32_row = &report.rows[0];
    let m = f32_row.measurement.as_ref().expect("a measurement");
    assert_eq!(m.tested, 1 << 16);
    assert!(f32_row.specials.checked > 0);
    assert_eq!(report.path, activ::active_isa().name());
    assert_eq!(report.passed(), report.rows.iter().all(|r| r.passed()));
    let table = report.to_string();
    println!("{table}");
    assert!(table.starts_with(
        "| function | type | path | inputs tested | max ULP | at x | bound | specials | verdict |"
    ));
    assert!(table.contains("| hard_sigmoid | f32 | "));
    assert!(table.contains("| hard_sigmoid_grad | f64 | "));
    assert!(table.contains("| hard_sigmoid_vjp | f32 | "));
}

#[test]
fn derivative_rows_have_the_backward_bounds() {
    let report = run(&small("softsign_grad"));
    let rows: Vec<(&str, FloatType, String)> = report
        .rows
        .iter()
        .map(|r| {
            let m = r.measurement.as_ref().expect("a measurement");
            (r.function.as_str(), r.ty, m.bound.to_string())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("softsign_grad", FloatType::F32, "≤ 2 ULP".to_string()),
            ("softsign_grad", FloatType::F64, "≤ 4 ULP".to_string()),
        ]
    );
    assert!(report.rows.iter().all(|r| r.specials.checked > 0));
}

#[test]
fn rows_are_part_of_the_report() {
    let report = run(&small("softmax"));
    let names: Vec<String> = report
        .rows
        .iter()
        .map(|r| format!("{} {}", r.function, r.ty))
        .collect();
    // The filter selects by substring: the forward rows and softmax / log_softmax backward.
    assert_eq!(
        names,
        [
            "softmax f32",
            "log_softmax f32",
            "softmax_backward f32",
            "log_softmax_backward f32",
            "softmax f64",
            "log_softmax f64",
            "softmax_backward f64",
            "log_softmax_backward f64",
        ]
    );
    for row in &report.rows {
        let m = row.measurement.as_ref().expect("a measurement");
        assert!(m.tested > 65536, "{}: {}", row.function, m.tested);
        assert!(row.specials.checked > 0, "{}", row.function);
        let bound = m.bound.to_string();
        let expected = match row.function.as_str() {
            "softmax_backward" => "≤ 1 ULP + 2^-80·|y_j|·Σ|y_i·dy_i|",
            "log_softmax_backward" => "≤ 1 ULP + 2^-59·e^(y_j)·Σ|dy_i|",
            _ => "≤ 4 ULP",
        };
        assert_eq!(bound, expected, "{}", row.function);
        // Backward rows: every dy kind on every row of the forward measurement.
        if row.function.ends_with("_backward") {
            let forward = &report.rows[report
                .rows
                .iter()
                .position(|r| {
                    r.ty == row.ty && r.function == row.function.trim_end_matches("_backward")
                })
                .expect("the forward row")];
            let forward_tested = forward.measurement.as_ref().expect("a measurement").tested;
            assert_eq!(m.tested, 4 * forward_tested, "{}", row.function);
        }
    }
    let table = report.to_string();
    println!("{table}");
    assert!(table.contains("| softmax_backward | f64 | "));
    // The | of the bound formulas are escaped inside the markdown cells.
    assert!(table.contains(" | ≤ 1 ULP + 2^-80·\\|y_j\\|·Σ\\|y_i·dy_i\\| | "));
    assert!(table.contains(" | ≤ 1 ULP + 2^-59·e^(y_j)·Σ\\|dy_i\\| | "));
    assert!(table.contains(" beyond 1 ULP; max error/bound "));
    assert_eq!(report.passed(), report.rows.iter().all(|r| r.passed()));
}

#[test]
fn logsumexp_rows() {
    let report = run(&small("logsumexp"));
    let rows: Vec<(String, Option<String>)> = report
        .rows
        .iter()
        .map(|r| {
            (
                format!("{} {}", r.function, r.ty),
                r.measurement.as_ref().map(|m| m.bound.to_string()),
            )
        })
        .collect();
    let two = Some("≤ 2 ULP".to_string());
    assert_eq!(
        rows,
        [
            ("logsumexp f32".to_string(), None),
            ("logsumexp_backward f32".to_string(), two.clone()),
            ("logsumexp f64".to_string(), None),
            ("logsumexp_backward f64".to_string(), two),
        ]
    );
    assert!(report.rows.iter().all(|r| r.specials.checked > 0));
    for row in report.rows.iter().filter(|r| r.measurement.is_some()) {
        assert!(
            row.passed(),
            "{}",
            row.measurement.as_ref().unwrap().describe()
        );
    }
}

#[test]
fn an_empty_selection_does_not_pass() {
    let report = run(&small("no such function"));
    assert!(report.rows.is_empty());
    assert!(!report.passed());
}
