//! `activ plot`: the SVG figures of the book.
//!
//! Two kinds of figure:
//! - each function with its derivative (the derivative is a central difference of activ's
//!   f64 function, which is accurate far beyond the resolution of a plot);
//! - the error, in f32 ULPs, of a naive f32 formula against activ's f64 result, across x.
//!   The naive formulas are evaluated in f32 arithmetic with correctly rounded `exp`, `log`
//!   and `erf` (computed in f64 and rounded once), so the errors shown are those of the
//!   formula itself, not of a particular libm.
//!
//! This file depends on nothing but `activ`, `plotters` and `std`: the book's test crate
//! compiles it too (`crates/activ-book/tests/plots.rs`) and checks that the committed SVG
//! files in `book/src/plots/` are exactly what it generates.

use std::path::Path;

use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 400;
const FUNCTION_COLOR: RGBColor = RGBColor(31, 119, 180);
const DERIVATIVE_COLOR: RGBColor = RGBColor(214, 39, 40);
const BOUND_COLOR: RGBColor = RGBColor(44, 160, 44);
const SECOND_COLOR: RGBColor = RGBColor(255, 127, 14);

/// A function plotted with its derivative.
struct FunctionFigure {
    file: &'static str,
    title: &'static str,
    f: fn(f64) -> f64,
    x: (f64, f64),
    y: (f64, f64),
}

fn logsumexp_with_zero(x: f64) -> f64 {
    let mut out = [0.0f64];
    activ::logsumexp(&[x, 0.0], &mut out, 1, 2).expect("a 1×2 row");
    out[0]
}

const FUNCTION_FIGURES: &[FunctionFigure] = &[
    FunctionFigure {
        file: "sigmoid.svg",
        title: "sigmoid σ(x) and its derivative σ(x)σ(−x)",
        f: activ::sigmoid::<f64>,
        x: (-8.0, 8.0),
        y: (-0.1, 1.1),
    },
    FunctionFigure {
        file: "log_sigmoid.svg",
        title: "log-sigmoid log σ(x) and its derivative σ(−x)",
        f: activ::log_sigmoid::<f64>,
        x: (-8.0, 8.0),
        y: (-8.0, 1.5),
    },
    FunctionFigure {
        file: "logit.svg",
        title: "logit(p) and its derivative 1/(p(1 − p))",
        f: activ::logit::<f64>,
        x: (0.005, 0.995),
        y: (-6.0, 12.0),
    },
    FunctionFigure {
        file: "relu.svg",
        title: "relu(x) and its derivative",
        f: activ::relu::<f64>,
        x: (-3.0, 3.0),
        y: (-0.5, 3.0),
    },
    FunctionFigure {
        file: "relu6.svg",
        title: "relu6(x) and its derivative",
        f: activ::relu6::<f64>,
        x: (-2.0, 8.0),
        y: (-0.5, 6.5),
    },
    FunctionFigure {
        file: "leaky_relu.svg",
        title: "leaky_relu(x) (slope 0.01) and its derivative",
        f: activ::leaky_relu::<f64>,
        x: (-3.0, 3.0),
        y: (-0.5, 3.0),
    },
    FunctionFigure {
        file: "elu.svg",
        title: "elu(x) = celu(x) (α = 1) and the derivative",
        f: activ::elu::<f64>,
        x: (-4.0, 3.0),
        y: (-1.5, 3.0),
    },
    FunctionFigure {
        file: "selu.svg",
        title: "selu(x) and its derivative",
        f: activ::selu::<f64>,
        x: (-4.0, 3.0),
        y: (-2.0, 3.5),
    },
    FunctionFigure {
        file: "softplus.svg",
        title: "softplus(x) (β = 1) and its derivative σ(x)",
        f: activ::softplus::<f64>,
        x: (-6.0, 6.0),
        y: (-0.5, 6.0),
    },
    FunctionFigure {
        file: "tanh.svg",
        title: "tanh(x) and its derivative 1 − tanh²(x)",
        f: activ::tanh::<f64>,
        x: (-4.0, 4.0),
        y: (-1.2, 1.2),
    },
    FunctionFigure {
        file: "gelu.svg",
        title: "gelu(x) = xΦ(x) and its derivative Φ(x) + xφ(x)",
        f: activ::gelu::<f64>,
        x: (-4.0, 3.0),
        y: (-0.5, 3.0),
    },
    FunctionFigure {
        file: "gelu_tanh.svg",
        title: "gelu_tanh(x) and its derivative",
        f: activ::gelu_tanh::<f64>,
        x: (-4.0, 3.0),
        y: (-0.5, 3.0),
    },
    FunctionFigure {
        file: "silu.svg",
        title: "silu(x) = xσ(x) and its derivative",
        f: activ::silu::<f64>,
        x: (-6.0, 4.0),
        y: (-0.5, 4.0),
    },
    FunctionFigure {
        file: "mish.svg",
        title: "mish(x) and its derivative",
        f: activ::mish::<f64>,
        x: (-6.0, 4.0),
        y: (-0.5, 4.0),
    },
    FunctionFigure {
        file: "softsign.svg",
        title: "softsign(x) and its derivative 1/(1 + |x|)²",
        f: activ::softsign::<f64>,
        x: (-6.0, 6.0),
        y: (-1.2, 1.2),
    },
    FunctionFigure {
        file: "hard_sigmoid.svg",
        title: "hard_sigmoid(x) and its derivative",
        f: activ::hard_sigmoid::<f64>,
        x: (-5.0, 5.0),
        y: (-0.2, 1.2),
    },
    FunctionFigure {
        file: "hard_swish.svg",
        title: "hard_swish(x) and its derivative",
        f: activ::hard_swish::<f64>,
        x: (-5.0, 4.0),
        y: (-1.0, 4.0),
    },
    FunctionFigure {
        file: "logsumexp.svg",
        title: "logsumexp(x, 0) and its derivative softmax(x, 0)₁",
        f: logsumexp_with_zero,
        x: (-6.0, 6.0),
        y: (-0.5, 6.0),
    },
];

/// A naive f32 formula with its legend label.
type Naive = (&'static str, fn(f32) -> f32);

/// A naive f32 formula compared with activ's f64 function.
struct ErrorFigure {
    file: &'static str,
    title: &'static str,
    x_desc: &'static str,
    /// activ's f64 result: the reference.
    reference: fn(f64) -> f64,
    /// One or two naive formulas, with their legend labels.
    naive: &'static [Naive],
    /// activ's stated f32 bound, drawn as a horizontal line.
    bound: f64,
    x: (f32, f32),
}

// Correctly rounded f32 elementary functions: the f64 result rounded once.
fn exp32(x: f32) -> f32 {
    (x as f64).exp() as f32
}

fn ln32(x: f32) -> f32 {
    (x as f64).ln() as f32
}

/// erf in f64 to about 1e-15 relative, enough to round to f32 correctly (but for ties
/// closer than that, which the plot cannot show anyway).
fn erf64(t: f64) -> f64 {
    let a = t.abs();
    if a >= 6.0 {
        // 1 − erf(6) ≈ 2e−17: ±1 to f64 precision, and exactly ±1 in f32.
        return 1.0f64.copysign(t);
    }
    // erf(a) = 2/√π · e^(−a²) · Σ_n 2^n a^(2n+1) / (1·3·5···(2n+1)): positive terms.
    let mut term = a;
    let mut sum = a;
    let mut n = 0.0;
    while term > sum * 1e-18 {
        n += 1.0;
        term *= 2.0 * a * a / (2.0 * n + 1.0);
        sum += term;
    }
    let r = std::f64::consts::FRAC_2_SQRT_PI * (-a * a).exp() * sum;
    r.copysign(t)
}

fn erf32(x: f32) -> f32 {
    erf64(x as f64) as f32
}

fn naive_sigmoid_exp_ratio(x: f32) -> f32 {
    let e = exp32(x);
    e / (1.0 + e)
}

fn naive_sigmoid_reciprocal(x: f32) -> f32 {
    1.0 / (1.0 + exp32(-x))
}

fn naive_log_sigmoid(x: f32) -> f32 {
    ln32(1.0 / (1.0 + exp32(-x)))
}

fn naive_logit(p: f32) -> f32 {
    ln32(p / (1.0 - p))
}

fn naive_logit_reciprocal(p: f32) -> f32 {
    -ln32(1.0 / p - 1.0)
}

fn naive_softplus(x: f32) -> f32 {
    ln32(1.0 + exp32(x))
}

fn naive_gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf32(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// log_softmax of the dominant entry of the row (0, −d), with the max already subtracted:
/// (x_i − m) − log(Σ e^(x_j − m)).
fn naive_log_softmax_dominant(d: f32) -> f32 {
    0.0 - ln32(1.0 + exp32(-d))
}

fn log_softmax_dominant(d: f64) -> f64 {
    let mut y = [0.0f64; 2];
    activ::log_softmax(&[0.0, -d], &mut y, 1, 2).expect("a 1×2 row");
    y[0]
}

const ERROR_FIGURES: &[ErrorFigure] = &[
    ErrorFigure {
        file: "naive_sigmoid_error.svg",
        title: "naive f32 sigmoid: error against activ's f64 result",
        x_desc: "x",
        reference: activ::sigmoid::<f64>,
        naive: &[
            ("e^x/(1 + e^x)", naive_sigmoid_exp_ratio),
            ("1/(1 + e^−x)", naive_sigmoid_reciprocal),
        ],
        bound: 1.0,
        x: (-110.0, 100.0),
    },
    ErrorFigure {
        file: "naive_log_sigmoid_error.svg",
        title: "naive f32 log(σ(x)): error against activ's f64 result",
        x_desc: "x",
        reference: activ::log_sigmoid::<f64>,
        naive: &[("log(1/(1 + e^−x))", naive_log_sigmoid)],
        bound: 1.0,
        x: (-110.0, 40.0),
    },
    ErrorFigure {
        file: "naive_logit_error.svg",
        title: "naive f32 logit: error against activ's f64 result",
        x_desc: "p",
        reference: activ::logit::<f64>,
        naive: &[
            ("log(p/(1 − p))", naive_logit),
            ("−log(1/p − 1)", naive_logit_reciprocal),
        ],
        bound: 1.0,
        x: (0.001, 0.999),
    },
    ErrorFigure {
        file: "naive_softplus_error.svg",
        title: "naive f32 softplus: error against activ's f64 result",
        x_desc: "x",
        reference: activ::softplus::<f64>,
        naive: &[("log(1 + e^x)", naive_softplus)],
        bound: 1.0,
        x: (-110.0, 100.0),
    },
    ErrorFigure {
        file: "naive_gelu_error.svg",
        title: "naive f32 GELU: error against activ's f64 result",
        x_desc: "x",
        reference: activ::gelu::<f64>,
        naive: &[("0.5·x·(1 + erf(x/√2))", naive_gelu)],
        bound: 2.0,
        x: (-14.0, 4.0),
    },
    ErrorFigure {
        file: "naive_log_softmax_error.svg",
        title: "naive f32 log_softmax of the dominant logit of (0, −d)",
        x_desc: "d",
        reference: log_softmax_dominant,
        naive: &[("−log(1 + e^−d)", naive_log_softmax_dominant)],
        bound: 4.0,
        x: (0.0, 100.0),
    },
];

/// The size of one f32 ULP at the magnitude of `r` (subnormal spacing below 2^−126).
fn ulp_f32(r: f64) -> f64 {
    let a = r.abs();
    if a < f64::from(f32::MIN_POSITIVE) {
        return 2f64.powi(-149);
    }
    let exponent = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(exponent - 23)
}

/// Errors below and above these are drawn at the edges of the error plots.
const ERROR_FLOOR: f64 = 1e-2;
const ERROR_CEILING: f64 = 1e10;

/// |naive − reference| in f32 ULPs of the reference; NaN and infinities where the reference
/// is finite count as the ceiling.
fn ulp_error(naive: f32, reference: f64) -> f64 {
    let y = f64::from(naive);
    if y == reference || (y.is_nan() && reference.is_nan()) {
        return ERROR_FLOOR;
    }
    if !y.is_finite() || !reference.is_finite() {
        return ERROR_CEILING;
    }
    let rounded = f64::from(reference as f32);
    if rounded.is_infinite() {
        return ERROR_CEILING;
    }
    ((y - reference).abs() / ulp_f32(reference)).clamp(ERROR_FLOOR, ERROR_CEILING)
}

fn io(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn function_figure(out_dir: &Path, fig: &FunctionFigure) -> Result<(), String> {
    const POINTS: usize = 800;
    let path = out_dir.join(fig.file);
    let root = SVGBackend::new(&path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(io)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(fig.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(fig.x.0..fig.x.1, fig.y.0..fig.y.1)
        .map_err(io)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(io)?;
    let xs: Vec<f64> = (0..=POINTS)
        .map(|i| fig.x.0 + (fig.x.1 - fig.x.0) * i as f64 / POINTS as f64)
        .collect();
    let clamp = |v: f64| v.clamp(fig.y.0, fig.y.1);
    let f = fig.f;
    chart
        .draw_series(LineSeries::new(
            xs.iter().map(|&x| (x, clamp(f(x)))),
            FUNCTION_COLOR.stroke_width(2),
        ))
        .map_err(io)?
        .label("function")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], FUNCTION_COLOR));
    let derivative = |x: f64| {
        let h = 1e-6 * x.abs().max(1.0);
        (f(x + h) - f(x - h)) / (2.0 * h)
    };
    chart
        .draw_series(LineSeries::new(
            xs.iter().map(|&x| (x, clamp(derivative(x)))),
            DERIVATIVE_COLOR.stroke_width(2),
        ))
        .map_err(io)?
        .label("derivative")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], DERIVATIVE_COLOR));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(io)?;
    root.present().map_err(io)
}

fn error_figure(out_dir: &Path, fig: &ErrorFigure) -> Result<(), String> {
    // Each point is the largest error over SAMPLES inputs of its bin.
    const BINS: usize = 600;
    const SAMPLES: usize = 32;
    let path = out_dir.join(fig.file);
    let root = SVGBackend::new(&path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(io)?;
    let (x0, x1) = (f64::from(fig.x.0), f64::from(fig.x.1));
    let mut chart = ChartBuilder::on(&root)
        .caption(fig.title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, (ERROR_FLOOR..ERROR_CEILING).log_scale())
        .map_err(io)?;
    chart
        .configure_mesh()
        .x_desc(fig.x_desc)
        .y_desc("error in f32 ULPs")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(io)?;
    let colors = [DERIVATIVE_COLOR, SECOND_COLOR];
    for (k, &(label, naive)) in fig.naive.iter().enumerate() {
        let mut points = Vec::with_capacity(BINS);
        for b in 0..BINS {
            let mut worst = ERROR_FLOOR;
            for s in 0..SAMPLES {
                let t = (b * SAMPLES + s) as f64 / (BINS * SAMPLES) as f64;
                let x = (x0 + (x1 - x0) * t) as f32;
                worst = worst.max(ulp_error(naive(x), (fig.reference)(f64::from(x))));
            }
            let centre = x0 + (x1 - x0) * (b as f64 + 0.5) / BINS as f64;
            points.push((centre, worst));
        }
        let color = colors[k % colors.len()];
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(io)?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
    }
    let bound = fig.bound;
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x0, bound), (x1, bound)],
            6,
            4,
            BOUND_COLOR.stroke_width(2),
        ))
        .map_err(io)?
        .label(format!("activ's f32 bound ({bound} ULP)"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BOUND_COLOR));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(io)?;
    root.present().map_err(io)
}

/// gelu − gelu_tanh across x: the two GELUs are different functions.
fn gelu_difference_figure(out_dir: &Path) -> Result<(), String> {
    const POINTS: usize = 800;
    let path = out_dir.join("gelu_erf_minus_tanh.svg");
    let root = SVGBackend::new(&path, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(io)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("gelu(x) − gelu_tanh(x)", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(-6.0f64..6.0, -4e-4f64..4e-4)
        .map_err(io)?;
    chart
        .configure_mesh()
        .x_desc("x")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(io)?;
    chart
        .draw_series(LineSeries::new(
            (0..=POINTS).map(|i| {
                let x = -6.0 + 12.0 * i as f64 / POINTS as f64;
                (x, activ::gelu(x) - activ::gelu_tanh(x))
            }),
            FUNCTION_COLOR.stroke_width(2),
        ))
        .map_err(io)?;
    root.present().map_err(io)
}

/// The names of every file [`run`] writes.
pub fn figure_files() -> Vec<&'static str> {
    let mut files: Vec<&'static str> = FUNCTION_FIGURES.iter().map(|f| f.file).collect();
    files.extend(ERROR_FIGURES.iter().map(|f| f.file));
    files.push("gelu_erf_minus_tanh.svg");
    files
}

/// Writes every figure of the book into `out_dir` (created if missing).
pub fn run(out_dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    for fig in FUNCTION_FIGURES {
        function_figure(out_dir, fig).map_err(|e| format!("{}: {e}", fig.file))?;
    }
    for fig in ERROR_FIGURES {
        error_figure(out_dir, fig).map_err(|e| format!("{}: {e}", fig.file))?;
    }
    gelu_difference_figure(out_dir).map_err(|e| format!("gelu_erf_minus_tanh.svg: {e}"))?;
    for file in figure_files() {
        if !out_dir.join(file).is_file() {
            return Err(format!("{file} was not written"));
        }
    }
    Ok(())
}
