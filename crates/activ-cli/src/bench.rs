//! `activ bench`: a quick table of speeds, for the README and the book.
//!
//! The criterion benchmarks (`cargo bench -p activ`) are the careful measurement; this is
//! the glance. Every row times three loops over the same input in the same run — activ,
//! `copy_from_slice` (the memory-bandwidth ceiling) and the naive scalar loop — so that the
//! ratios stay meaningful on a busy or throttled machine where the absolute numbers do not.
//! The function list, inputs and naive loops are those of the criterion benchmarks.
//!
//! Timing: each loop is repeated until one repetition lasts at least `--rep-ms` (which also
//! warms caches, branch predictors and the clock), then the three loops take turns for
//! `--reps` repetitions and each keeps its fastest. The minimum, not the mean: noise on a
//! shared machine only ever adds time.

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use activ::Elementwise;
use clap::{Args, ValueEnum};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

#[path = "../../activ/benches/common/mod.rs"]
mod common;
use common::{Domain, Real, Visit};

#[derive(Args)]
pub struct BenchArgs {
    /// Elements per array for the elementwise functions.
    #[arg(long, default_value_t = 65536)]
    n: usize,
    /// Only functions whose name contains this.
    #[arg(long)]
    filter: Option<String>,
    /// The element types to measure.
    #[arg(long = "type", value_name = "TYPE", value_enum, default_value_t = Types::Both)]
    types: Types,
    /// The matrix of the softmax family (softmax, log_softmax, logsumexp), as ROWSxCOLS.
    #[arg(long, value_name = "ROWSxCOLS", default_value = "256x1024", value_parser = parse_shape)]
    softmax: (usize, usize),
    /// Minimum length of one timed repetition, in milliseconds.
    #[arg(long, default_value_t = 20)]
    rep_ms: u64,
    /// Timed repetitions per loop; the fastest counts.
    #[arg(long, default_value_t = 7)]
    reps: usize,
    /// Also write a bar chart of the f32 rows (f64 if only f64 was measured) to this SVG file.
    #[arg(long, value_name = "PATH")]
    svg: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Types {
    Both,
    F32,
    F64,
}

fn parse_shape(s: &str) -> Result<(usize, usize), String> {
    let (rows, cols) = s
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("expected ROWSxCOLS, got '{s}'"))?;
    let parse = |v: &str| match v.trim().parse::<usize>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(format!("'{v}' is not a positive whole number")),
    };
    Ok((parse(rows)?, parse(cols)?))
}

/// One line of the table: elements per nanosecond of the three loops.
struct Row {
    function: &'static str,
    ty: &'static str,
    size: String,
    activ: f64,
    copy: f64,
    naive: f64,
}

/// One timed loop; it writes its output into the slice it is given.
type Loop<'a, T> = &'a mut dyn FnMut(&mut [T]);

struct Timer {
    rep: Duration,
    reps: usize,
}

fn time<T>(f: &mut dyn FnMut(&mut [T]), y: &mut [T], iters: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f(black_box(&mut *y));
    }
    start.elapsed()
}

impl Timer {
    /// Iterations for one repetition of at least `self.rep`.
    fn calibrate<T>(&self, f: &mut dyn FnMut(&mut [T]), y: &mut [T]) -> u64 {
        let mut iters = 1u64;
        loop {
            let t = time(f, y, iters);
            if t >= self.rep {
                return iters;
            }
            // Aim 20% past the target so the next try usually lands; grow at most 100× in
            // case the first, cold call was unrepresentatively fast or slow.
            let scale = if t.is_zero() {
                100.0
            } else {
                (1.2 * self.rep.as_secs_f64() / t.as_secs_f64()).min(100.0)
            };
            iters = ((iters as f64 * scale).ceil() as u64).max(iters + 1);
        }
    }

    /// Elements per nanosecond of each loop over `elements` elements, writing into `y`.
    fn measure<T, const K: usize>(
        &self,
        elements: usize,
        y: &mut [T],
        mut loops: [Loop<'_, T>; K],
    ) -> [f64; K] {
        let iters: Vec<u64> = loops.iter_mut().map(|f| self.calibrate(*f, y)).collect();
        let mut best_ns = [f64::INFINITY; K];
        // Interleaved, so that a slow phase of the machine hits all three alike.
        for _ in 0..self.reps {
            for (k, f) in loops.iter_mut().enumerate() {
                let ns = time(*f, y, iters[k]).as_secs_f64() * 1e9 / iters[k] as f64;
                best_ns[k] = best_ns[k].min(ns);
            }
        }
        best_ns.map(|ns| elements as f64 / ns)
    }
}

/// Collects the names the filter keeps, so a filter matching nothing fails before timing.
struct Names<'a> {
    filter: &'a str,
    kept: Vec<&'static str>,
}

impl<T: Real> Visit<T> for Names<'_> {
    fn function<F, N>(&mut self, name: &'static str, _: F, _: N, _: Domain)
    where
        F: Elementwise<T>,
        N: Fn(T) -> T + Copy,
    {
        if name.contains(self.filter) {
            self.kept.push(name);
        }
    }
}

/// Times every selected elementwise function of one type and prints its row.
struct Runner<'a, T> {
    filter: &'a str,
    timer: &'a Timer,
    path: &'static str,
    real: Vec<T>,
    unit: Vec<T>,
    y: Vec<T>,
    rows: &'a mut Vec<Row>,
}

impl<T: Real> Visit<T> for Runner<'_, T> {
    fn function<F, N>(&mut self, name: &'static str, activ: F, naive: N, domain: Domain)
    where
        F: Elementwise<T>,
        N: Fn(T) -> T + Copy,
    {
        if !name.contains(self.filter) {
            return;
        }
        let x = match domain {
            Domain::Real => &self.real[..],
            Domain::Unit => &self.unit[..],
        };
        let [a, c, nv] = self.timer.measure(
            x.len(),
            &mut self.y,
            [
                &mut |y| activ.apply(black_box(x), y).expect("equal lengths"),
                &mut |y| y.copy_from_slice(black_box(x)),
                &mut |y| common::map(naive, black_box(x), y),
            ],
        );
        let row = Row {
            function: name,
            ty: T::NAME,
            size: x.len().to_string(),
            activ: a,
            copy: c,
            naive: nv,
        };
        print_row(&row, self.path);
        self.rows.push(row);
    }
}

fn measure_type<T: Real>(args: &BenchArgs, timer: &Timer, path: &'static str, rows: &mut Vec<Row>) {
    let filter = args.filter.as_deref().unwrap_or("");
    T::each_function(&mut Runner {
        filter,
        timer,
        path,
        real: common::inputs::<T>(args.n, Domain::Real),
        unit: common::inputs::<T>(args.n, Domain::Unit),
        y: vec![T::c(0.0); args.n],
        rows: &mut *rows,
    });
    let (r, c) = args.softmax;
    let x = common::inputs::<T>(r * c, Domain::Real);
    let mut y = vec![T::c(0.0); r * c];
    for (function, activ_fn, naive) in common::rows_family::<T>() {
        if !function.contains(filter) {
            continue;
        }
        let [a, cp, nv] = timer.measure(
            r * c,
            &mut y,
            [
                &mut |y| activ_fn(black_box(&x), y, r, c),
                &mut |y| y.copy_from_slice(black_box(&x)),
                &mut |y| naive(black_box(&x), y, r, c),
            ],
        );
        let row = Row {
            function,
            ty: T::NAME,
            size: format!("{r}×{c}"),
            activ: a,
            copy: cp,
            naive: nv,
        };
        print_row(&row, path);
        rows.push(row);
    }
}

/// Three significant digits, without switching to exponents for slow debug builds.
fn sig3(v: f64) -> String {
    if !v.is_finite() || v <= 0.0 {
        return format!("{v}");
    }
    let decimals = (2 - v.log10().floor() as i32).clamp(0, 9) as usize;
    format!("{v:.decimals$}")
}

fn print_row(row: &Row, path: &str) {
    println!(
        "| {} | {} | {} | {} | {} | {} | {}× | {}× | {} |",
        row.function,
        row.ty,
        row.size,
        sig3(row.activ),
        sig3(row.copy),
        sig3(row.naive),
        sig3(row.activ / row.copy),
        sig3(row.activ / row.naive),
        path
    );
    // Rows appear as they are measured; a whole run takes a while.
    std::io::stdout().flush().ok();
}

/// "YYYY-MM-DD HH:MM UTC" from the system clock.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        t / 3600,
        t % 3600 / 60
    )
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`): no date library for one line of output.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The CPU's marketing name, from /proc/cpuinfo where there is one.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown CPU".to_string())
}

pub fn run(args: &BenchArgs) -> Result<(), String> {
    if args.n == 0 {
        return Err("--n must be at least 1".into());
    }
    if args.reps == 0 || args.rep_ms == 0 {
        return Err("--reps and --rep-ms must be at least 1".into());
    }
    let filter = args.filter.as_deref().unwrap_or("");
    let mut names = Names {
        filter,
        kept: Vec::new(),
    };
    <f32 as Real>::each_function(&mut names);
    let rows_match = common::rows_family::<f32>()
        .iter()
        .any(|(f, _, _)| f.contains(filter));
    if names.kept.is_empty() && !rows_match {
        return Err(format!(
            "no function name contains '{filter}' (try `activ list`)"
        ));
    }

    let path = activ::active_isa().name();
    let when = utc_now();
    let cpu = cpu_model();
    let (r, c) = args.softmax;
    println!(
        "activ bench: {when}, {cpu}, path {path}, single thread, n = {}, softmax {r}×{c}",
        args.n
    );
    println!();
    println!(
        "| function | type | n | activ el/ns | copy el/ns | naive el/ns | activ/copy | speed-up vs naive | path |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---|");

    let timer = Timer {
        rep: Duration::from_millis(args.rep_ms),
        reps: args.reps,
    };
    let mut rows = Vec::new();
    if args.types != Types::F64 {
        measure_type::<f32>(args, &timer, path, &mut rows);
    }
    if args.types != Types::F32 {
        measure_type::<f64>(args, &timer, path, &mut rows);
    }
    println!();
    println!(
        "el/ns: elements per nanosecond, the best of {} repetitions of at least {} ms. \
         copy: y.copy_from_slice(x), the memory-bandwidth ceiling. naive: the textbook \
         formula per element with std's exp, ln and tanh (crates/activ/benches/common/mod.rs).",
        args.reps, args.rep_ms
    );

    if let Some(svg) = &args.svg {
        let ty = if rows.iter().any(|r| r.ty == "f32") {
            "f32"
        } else {
            "f64"
        };
        let chosen: Vec<&Row> = rows.iter().filter(|r| r.ty == ty).collect();
        let title = format!("{ty}: elements per ns, single thread (n = {})", args.n);
        let subtitle = format!("{when}, {cpu}, path {path}");
        write_svg(svg, &chosen, &title, &subtitle)
            .map_err(|e| format!("cannot write {}: {e}", svg.display()))?;
        eprintln!("activ bench: wrote {}", svg.display());
    }
    Ok(())
}

fn draw_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

const ACTIV_COLOR: RGBColor = RGBColor(31, 119, 180);
const NAIVE_COLOR: RGBColor = RGBColor(255, 127, 14);
const COPY_COLOR: RGBColor = RGBColor(160, 160, 160);

/// Horizontal bars, three per function, on a log scale: the speeds span three orders of
/// magnitude (a naive mish against a copy), and ratios are what the chart is read for.
fn write_svg(path: &Path, rows: &[&Row], title: &str, subtitle: &str) -> Result<(), String> {
    const WIDTH: u32 = 760;
    const ROW_HEIGHT: u32 = 30;
    let n = rows.len();
    let height = 130 + ROW_HEIGHT * n as u32;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err)?;
    let (head, body) = root.split_vertically(52);
    head.draw(&Text::new(title, (12, 8), ("sans-serif", 18)))
        .map_err(draw_err)?;
    head.draw(&Text::new(subtitle, (12, 32), ("sans-serif", 13)))
        .map_err(draw_err)?;

    let values = rows.iter().flat_map(|r| [r.activ, r.naive, r.copy]);
    let positive = values.filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = if lo.is_finite() {
        (lo, hi)
    } else {
        (1.0, 10.0)
    };
    let lo = 10f64.powf(lo.log10().floor());
    let hi = 10f64.powf(hi.log10().ceil()).max(lo * 10.0);

    let mut chart = ChartBuilder::on(&body)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(100)
        .build_cartesian_2d((lo..hi).log_scale(), 0f64..n as f64)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_desc("elements per ns (log scale; higher is faster)")
        .x_label_formatter(&|v| format!("{v}"))
        .draw()
        .map_err(draw_err)?;

    let bars = [
        ("activ", ACTIV_COLOR),
        ("naive loop", NAIVE_COLOR),
        ("copy_from_slice", COPY_COLOR),
    ];
    // The legend goes in the header: inside the plot every corner has a copy bar under it.
    let mut x = WIDTH as i32 - 330;
    for &(label, color) in &bars {
        head.draw(&Rectangle::new([(x, 10), (x + 12, 22)], color.filled()))
            .map_err(draw_err)?;
        head.draw(&Text::new(label, (x + 18, 10), ("sans-serif", 13)))
            .map_err(draw_err)?;
        x += 28 + 8 * label.len() as i32;
    }
    for (i, row) in rows.iter().enumerate() {
        // The first row at the top.
        let top = (n - i) as f64 - 0.12;
        for (k, (&(_, color), value)) in bars
            .iter()
            .zip([row.activ, row.naive, row.copy])
            .enumerate()
        {
            let y1 = top - 0.26 * k as f64;
            let bar = Rectangle::new([(lo, y1 - 0.24), (value.max(lo), y1)], color.filled());
            chart.draw_series(std::iter::once(bar)).map_err(draw_err)?;
        }
        let (px, py) = chart.backend_coord(&(lo, (n - i) as f64 - 0.5));
        let style = ("sans-serif", 13)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(row.function, (px - 8, py), style))
            .map_err(draw_err)?;
    }
    root.present().map_err(draw_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
        assert_eq!(civil_from_days(20_453), (2025, 12, 31));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
    }

    #[test]
    fn shapes() {
        assert_eq!(parse_shape("256x1024"), Ok((256, 1024)));
        assert_eq!(parse_shape("1×4096"), Ok((1, 4096)));
        assert!(parse_shape("256").is_err());
        assert!(parse_shape("0x8").is_err());
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(sig3(13.74), "13.7");
        assert_eq!(sig3(1.0), "1.00");
        assert_eq!(sig3(0.01234), "0.0123");
        assert_eq!(sig3(250.4), "250");
    }
}
