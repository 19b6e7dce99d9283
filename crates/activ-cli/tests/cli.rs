//! `activ eval`, `activ list`, filtered `activ audit`s and the one-line errors with exit
//! code 2, run on the built binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn activ(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_activ"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run activ");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("activ output")
}

fn lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn eval_prints_shortest_round_trip_values() {
    let out = activ(&["eval", "sigmoid", "--", "-100", "0", "100", "nan"], None);
    assert!(out.status.success());
    // f32 by default: sigmoid(-100) is the subnormal 3.78e-44, whose shortest f32 form is 3.8e-44.
    assert_eq!(lines(&out), ["3.8e-44", "0.5", "1", "NaN"]);
    let parsed: f32 = lines(&out)[0].parse().unwrap();
    assert_eq!(parsed, activ::sigmoid(-100.0f32));

    let out = activ(&["eval", "sigmoid", "--f64", "--", "-100"], None);
    assert_eq!(lines(&out), [format!("{:e}", activ::sigmoid(-100.0f64))]);

    let out = activ(&["eval", "softplus", "--param", "beta=2", "--", "1"], None);
    let expected = activ::Softplus::new(2.0f32).unwrap();
    assert_eq!(
        lines(&out)[0].parse::<f32>().unwrap(),
        activ::Elementwise::eval(&expected, 1.0f32)
    );
}

#[test]
fn eval_reads_numbers_from_stdin() {
    let out = activ(&["eval", "relu"], Some("-1 2.5\n-0\n"));
    assert!(out.status.success());
    assert_eq!(lines(&out), ["0", "2.5", "0"]);
}

#[test]
fn list_names_every_function_with_its_formula() {
    let out = activ(&["list"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    for name in [
        "sigmoid",
        "logit",
        "softmax",
        "leaky_relu",
        "gelu_tanh",
        "hard_swish",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} missing:\n{text}"
        );
    }
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    for args in [
        &["eval", "nope", "1"][..],
        &["eval", "sigmoid", "abc"],
        &["eval", "softplus", "--param", "beta=0", "1"],
        &["eval", "softplus", "--param", "gamma=1", "1"],
        &["eval", "celu", "--param", "alpha=0", "1"],
        &["frobnicate"],
    ] {
        let out = activ(args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    }
}

#[test]
fn audit_reports_functions_derivatives_and_backward_products() {
    let out = activ(
        &["audit", "--filter", "hard_swish", "--f64-samples", "1000"],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let rows: Vec<(String, String)> = text
        .lines()
        .filter(|l| l.starts_with("| hard_swish"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].to_string(), cells[2].to_string())
        })
        .collect();
    let expected: Vec<(String, String)> = ["hard_swish", "hard_swish_grad", "hard_swish_vjp"]
        .iter()
        .flat_map(|f| ["f32", "f64"].map(|t| (f.to_string(), t.to_string())))
        .collect();
    assert_eq!(rows, expected, "{text}");
    // The backward rows carry the backward bounds.
    assert!(text
        .lines()
        .any(|l| l.starts_with("| hard_swish_grad | f64 |") && l.contains("≤ 4 ULP")));
    assert!(text.contains("PASSED"), "{text}");
}

#[test]
fn audit_reports_the_softmax_rows_and_their_backward_passes() {
    let out = activ(&["audit", "--filter", "softmax"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<(String, String, String)> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| function"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").map(str::trim).collect();
            (
                cells[0].trim_start_matches("| ").to_string(),
                cells[1].to_string(),
                cells[6].to_string(),
            )
        })
        .collect();
    let mut expected = Vec::new();
    for ty in ["f32", "f64"] {
        for (function, bound) in [
            ("softmax", "≤ 4 ULP"),
            ("log_softmax", "≤ 4 ULP"),
            // Markdown cells: the | of the formulas are escaped.
            ("softmax_backward", r"≤ 1 ULP + 2^-80·\|y_j\|·Σ\|y_i·dy_i\|"),
            ("log_softmax_backward", r"≤ 1 ULP + 2^-59·e^(y_j)·Σ\|dy_i\|"),
        ] {
            expected.push((function.to_string(), ty.to_string(), bound.to_string()));
        }
    }
    assert_eq!(rows, expected, "{text}");
    // The exit status agrees with the verdict line.
    assert_eq!(
        out.status.success(),
        text.contains("\nPASSED in "),
        "{text}"
    );
}
