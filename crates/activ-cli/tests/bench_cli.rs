//! `activ bench` prints the table the README and the book quote. These tests check its shape
//! only: speeds depend on the machine and its load, so no number is compared with a
//! threshold beyond being a positive, finite speed.

use std::process::{Command, Output};

const HEADER: [&str; 9] = [
    "function",
    "type",
    "n",
    "activ el/ns",
    "copy el/ns",
    "naive el/ns",
    "activ/copy",
    "speed-up vs naive",
    "path",
];

fn activ(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_activ"))
        .args(args)
        .output()
        .expect("run the activ binary")
}

/// The cells of a markdown table row, trimmed.
fn cells(line: &str) -> Vec<&str> {
    let inner = line
        .trim()
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .unwrap_or_else(|| panic!("not a table row: {line}"));
    inner.split('|').map(str::trim).collect()
}

fn positive_finite(cell: &str, what: &str) -> f64 {
    let v: f64 = cell
        .trim_end_matches('×')
        .parse()
        .unwrap_or_else(|_| panic!("{what}: '{cell}' is not a number"));
    assert!(
        v.is_finite() && v > 0.0,
        "{what}: {v} is not a positive speed"
    );
    v
}

#[test]
fn table_for_the_relu_family() {
    let out = activ(&["bench", "--n", "1024", "--filter", "relu"]);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        out.status.success(),
        "activ bench failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();

    // First line: date (UTC), CPU and dispatch path.
    let first = lines[0];
    assert!(first.starts_with("activ bench: "), "{first}");
    let date = &first["activ bench: ".len()..];
    let bytes = date.as_bytes();
    assert!(
        date.len() > 20
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes[10] == b' '
            && bytes[13] == b':'
            && date[16..].starts_with(" UTC, ")
            && date[..4].parse::<u32>().is_ok_and(|y| y >= 2024),
        "no date at the start of: {first}"
    );
    let path = activ::active_isa().name();
    assert!(first.contains(&format!("path {path}")), "{first}");

    let header = lines
        .iter()
        .position(|l| l.starts_with("| function |"))
        .expect("a table header");
    assert_eq!(cells(lines[header]), HEADER);
    assert_eq!(
        cells(lines[header + 1]).len(),
        HEADER.len(),
        "separator row"
    );
    let rows: Vec<Vec<&str>> = lines[header + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .map(|l| cells(l))
        .collect();

    let mut seen = Vec::new();
    for row in &rows {
        assert_eq!(row.len(), HEADER.len(), "{row:?}");
        assert!(row[0].contains("relu"), "the filter let {} through", row[0]);
        assert_eq!(row[2], "1024");
        let speeds: Vec<f64> = (3..8).map(|k| positive_finite(row[k], HEADER[k])).collect();
        // The ratios are those of the speeds in the same row, to the three digits printed.
        let (a, c, nv) = (speeds[0], speeds[1], speeds[2]);
        assert!((speeds[3] / (a / c) - 1.0).abs() < 0.02, "{row:?}");
        assert!((speeds[4] / (a / nv) - 1.0).abs() < 0.02, "{row:?}");
        assert_eq!(row[8], path);
        seen.push((row[0], row[1]));
    }
    for function in ["relu", "relu6", "leaky_relu"] {
        for ty in ["f32", "f64"] {
            assert!(seen.contains(&(function, ty)), "no row for {function} {ty}");
        }
    }
    assert_eq!(rows.len(), 6, "{rows:?}");
}

#[test]
fn svg_chart_and_type_selection() {
    let svg = std::env::temp_dir().join(format!("activ-bench-{}.svg", std::process::id()));
    let svg_arg = svg.to_str().expect("a UTF-8 temporary path");
    let out = activ(&[
        "bench",
        "--n",
        "256",
        "--filter",
        "soft",
        "--type",
        "f32",
        "--softmax",
        "4x64",
        "--reps",
        "1",
        "--rep-ms",
        "1",
        "--svg",
        svg_arg,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("| function") && !l.starts_with("|---"))
        .map(cells)
        .collect();
    let names: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(
        names,
        [
            ("softplus", "f32"),
            ("softsign", "f32"),
            ("softmax", "f32"),
            ("log_softmax", "f32")
        ]
    );
    assert_eq!(rows[2][2], "4×64");
    assert_eq!(rows[3][2], "4×64");

    let text = std::fs::read_to_string(&svg).expect("the SVG file");
    std::fs::remove_file(&svg).ok();
    assert!(text.starts_with("<svg"), "not an SVG file");
    for label in [
        "softplus",
        "softsign",
        "softmax",
        "log_softmax",
        "activ",
        "naive loop",
        "copy_from_slice",
    ] {
        assert!(text.contains(label), "the chart has no label {label}");
    }
}

#[test]
fn bad_arguments_are_refused() {
    for args in [
        &["bench", "--filter", "no-such-function"][..],
        &["bench", "--n", "0"],
        &["bench", "--softmax", "256"],
    ] {
        let out = activ(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed a table");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("activ: "), "{args:?}: {stderr}");
    }
}
