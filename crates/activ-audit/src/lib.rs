//! Reference implementations and the accuracy audit of activ.
//!
//! The audit measures every function of activ, its derivative (`name_grad`, f′(x)) and its
//! backward product (`name_vjp`, dy·f′(x) for a pseudo-random dy) against a reference that
//! is far more accurate than the bound being checked, and checks the special values its
//! docs state (for the derivatives: the values at the kinks, ±∞, NaN and subnormal
//! results):
//! - `f32`: a sweep over bit patterns (every 256th by default, all 2^32 with
//!   [`AuditOptions::exhaustive`]) against the careful-`f64` references of
//!   [`reference::careful`];
//! - `f64`: random inputs over every binade plus edge cases against MPFR at 160 bits
//!   ([`reference::mpfr`]);
//! - softmax and log-softmax per element, on random rows, rows with one dominant logit and
//!   rows spanning 1e4, up to 65536 columns ([`rows`]);
//! - the row backward passes (softmax, log_softmax and logsumexp backward) per element on
//!   the same rows, with several kinds of upstream gradient, against MPFR from the exact
//!   inputs they received ([`rows_backward`]);
//! - the special-value tables ([`specials`]).
//!
//! [`run`] gives an [`AuditReport`], printed by `activ audit` as a markdown table.

pub mod cases;
pub mod measure;
pub mod reference;
pub mod rng;
pub mod rows;
pub mod rows_backward;
pub mod specials;
pub mod ulp;

use std::fmt;
use std::time::{Duration, Instant};

pub use cases::{cases, Bound, Case, Domain, Kind};
pub use measure::{format_ulp, sample_f64, sweep_f32, FloatType, Measurement, Sample};
pub use specials::{check_specials, SpecialFailure, SpecialOutcome};

/// What [`run`] measures, and how hard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditOptions {
    /// Sweep all 2^32 `f32` inputs (overrides `f32_stride`).
    pub exhaustive: bool,
    /// Random `f64` inputs per function compared with MPFR (the edge cases come on top).
    pub f64_samples: usize,
    /// Without `exhaustive`, one `f32` bit pattern in every `f32_stride` is tested.
    pub f32_stride: u32,
    /// Worker threads.
    pub threads: usize,
    /// Only functions whose name contains this; `=name` only the one of that name.
    pub filter: Option<String>,
}

impl Default for AuditOptions {
    /// 2^24 `f32` inputs (every 256th pattern) and 10^6 `f64` inputs per function,
    /// derivative and backward product, on every core: about two and a half minutes in
    /// release mode on two cores (half a minute of it for the functions themselves).
    fn default() -> Self {
        Self {
            exhaustive: false,
            f64_samples: 1_000_000,
            f32_stride: 256,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            filter: None,
        }
    }
}

/// One line of the report: one function in one type.
#[derive(Clone, Debug)]
pub struct ReportRow {
    /// The function (with its parameters when not the defaults).
    pub function: String,
    /// The element type.
    pub ty: FloatType,
    /// The accuracy measurement; `None` for logsumexp, which only has special rows.
    /// Under a mixed bound (the row backward passes) `max ULP` is the plain maximum error
    /// and the verdict comes from the per-element error / bound.
    pub measurement: Option<Measurement>,
    /// The special values checked.
    pub specials: SpecialOutcome,
}

impl ReportRow {
    /// Bound met and every special value right.
    pub fn passed(&self) -> bool {
        self.measurement.as_ref().is_none_or(Measurement::passed)
            && self.specials.failures.is_empty()
    }
}

/// The result of an audit.
#[derive(Clone, Debug)]
pub struct AuditReport {
    /// The dispatch path the slice loops used (`activ::active_isa().name()`).
    pub path: &'static str,
    /// The options the audit ran with.
    pub options: AuditOptions,
    /// One row per function and type.
    pub rows: Vec<ReportRow>,
    /// Wall time of the audit.
    pub elapsed: Duration,
}

impl AuditReport {
    /// Every bound met and every special value right (and at least one thing audited).
    pub fn passed(&self) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(ReportRow::passed)
    }
}

impl fmt::Display for AuditReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "| function | type | path | inputs tested | max ULP | at x | bound | specials | verdict |"
        )?;
        writeln!(f, "|---|---|---|---:|---:|---|---|---|---|")?;
        for row in &self.rows {
            let (tested, max, at, bound) = match &row.measurement {
                Some(m) => {
                    let mut max = format_ulp(m.max_ulp);
                    if m.worst_subnormal.is_some() {
                        max +=
                            &format!(" (subnormal results: {})", format_ulp(m.max_subnormal_ulp));
                    }
                    if m.bound == Bound::CorrectlyRounded {
                        max += &format!(" ({} misrounded)", m.misrounded);
                    }
                    if let Bound::UlpPlusScaled { ulp, .. } = m.bound {
                        max += &format!(
                            " ({} beyond {ulp} ULP; max error/bound {:.3})",
                            m.beyond_ulp, m.max_bound_ratio
                        );
                    }
                    let at = m
                        .worst
                        .as_ref()
                        .map_or("—".to_string(), |w| format!("{:e}", w.input));
                    // A `|` inside a cell (the |y_j| of a mixed bound) is escaped for markdown.
                    let bound = m.bound.to_string().replace('|', "\\|");
                    (m.tested.to_string(), max, at, bound)
                }
                None => ("—".into(), "—".into(), "—".into(), "—".into()),
            };
            let s = &row.specials;
            let specials = if s.failures.is_empty() {
                format!("pass ({})", s.checked)
            } else {
                format!("FAIL ({} of {})", s.failures.len(), s.checked)
            };
            let verdict = if row.passed() { "pass" } else { "FAIL" };
            writeln!(
                f,
                "| {} | {} | {} | {tested} | {max} | {at} | {bound} | {specials} | {verdict} |",
                row.function, row.ty, self.path
            )?;
        }
        let failing: Vec<&ReportRow> = self.rows.iter().filter(|r| !r.passed()).collect();
        if !failing.is_empty() {
            writeln!(f, "\nFailures:")?;
            for row in failing {
                if let Some(m) = row.measurement.as_ref().filter(|m| !m.passed()) {
                    writeln!(f, "- {}", m.describe())?;
                }
                for failure in &row.specials.failures {
                    writeln!(f, "- special value: {failure}")?;
                }
            }
        }
        let f32_inputs = if self.options.exhaustive {
            "all 2^32".to_string()
        } else {
            format!("every {}th pattern", self.options.f32_stride.max(1))
        };
        writeln!(
            f,
            "\n{} in {:.1} s on {} threads; f32: {f32_inputs} vs careful f64; f64: {} random inputs + edge cases vs MPFR ({} bits); _grad: f′(x), _vjp: dy·f′(x) with dy pseudo-random per input; row *_backward: per element vs MPFR from the exact inputs (the rounded forward y, dy; x, dout), both types.",
            if self.passed() { "PASSED" } else { "FAILED" },
            self.elapsed.as_secs_f64(),
            self.options.threads.max(1),
            self.options.f64_samples,
            reference::MPFR_PREC,
        )
    }
}

fn selected(filter: &Option<String>, name: &str) -> bool {
    filter.as_deref().is_none_or(|f| match f.strip_prefix('=') {
        Some(exact) => name == exact,
        None => name.contains(f),
    })
}

/// Runs the audit: every selected case in both types, then the softmax family (forward
/// and backward).
/// Progress goes to stderr, one line per measurement.
pub fn run(opts: &AuditOptions) -> AuditReport {
    let start = Instant::now();
    let threads = opts.threads.max(1);
    let stride = if opts.exhaustive {
        1
    } else {
        opts.f32_stride.max(1)
    };
    let mut rows = Vec::new();
    let progress = |what: &str, ty: FloatType, since: Instant| {
        eprintln!(
            "activ audit: {what} {ty} done in {:.1} s",
            since.elapsed().as_secs_f64()
        );
    };
    for case in cases().iter().filter(|c| selected(&opts.filter, &c.name)) {
        let t = Instant::now();
        let m = sweep_f32(case, stride, threads);
        progress(&case.name, FloatType::F32, t);
        rows.push(ReportRow {
            function: case.name.clone(),
            ty: FloatType::F32,
            measurement: Some(m),
            specials: specials::check_case_specials(case, FloatType::F32),
        });
        let t = Instant::now();
        let m = sample_f64(
            case,
            opts.f64_samples,
            measure::seed_for(&case.name),
            threads,
        );
        progress(&case.name, FloatType::F64, t);
        rows.push(ReportRow {
            function: case.name.clone(),
            ty: FloatType::F64,
            measurement: Some(m),
            specials: specials::check_case_specials(case, FloatType::F64),
        });
    }
    let row_functions = [
        "softmax",
        "log_softmax",
        "logsumexp",
        "softmax_backward",
        "log_softmax_backward",
        "logsumexp_backward",
    ];
    let forward_selected = ["softmax", "log_softmax"]
        .iter()
        .any(|f| selected(&opts.filter, f));
    let backward_selected = row_functions[3..].iter().any(|f| selected(&opts.filter, f));
    if row_functions.iter().any(|f| selected(&opts.filter, f)) {
        for ty in [FloatType::F32, FloatType::F64] {
            let mut forward = Vec::new();
            if forward_selected {
                let t = Instant::now();
                forward = rows::measure_all_rows(ty, threads);
                progress("softmax and log_softmax rows", ty, t);
            }
            let mut backward = Vec::new();
            if backward_selected {
                let t = Instant::now();
                backward = rows_backward::measure_all_backward_rows(ty, threads);
                progress("row backward passes", ty, t);
            }
            let row_specials = specials::check_row_specials(ty);
            for function in row_functions {
                if !selected(&opts.filter, function) {
                    continue;
                }
                let parts: Vec<&Measurement> = match function {
                    "softmax" => forward.iter().map(|a| &a.softmax).collect(),
                    "log_softmax" => forward.iter().map(|a| &a.log_softmax).collect(),
                    "softmax_backward" => backward.iter().map(|a| &a.softmax_backward).collect(),
                    "log_softmax_backward" => {
                        backward.iter().map(|a| &a.log_softmax_backward).collect()
                    }
                    "logsumexp_backward" => {
                        backward.iter().map(|a| &a.logsumexp_backward).collect()
                    }
                    // logsumexp has only special rows.
                    _ => Vec::new(),
                };
                let mut parts = parts.into_iter();
                let mut measurement = parts.next().cloned();
                if let Some(total) = measurement.as_mut() {
                    for part in parts {
                        rows::merge_measurement(total, part);
                    }
                }
                let specials = row_specials
                    .iter()
                    .find(|(f, _)| f == function)
                    .map(|(_, o)| o.clone())
                    .unwrap_or_default();
                rows.push(ReportRow {
                    function: function.to_string(),
                    ty,
                    measurement,
                    specials,
                });
            }
        }
    }
    AuditReport {
        path: activ::active_isa().name(),
        options: AuditOptions {
            threads,
            ..opts.clone()
        },
        rows,
        elapsed: start.elapsed(),
    }
}
