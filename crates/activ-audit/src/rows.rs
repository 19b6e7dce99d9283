//! Accuracy of softmax and log-softmax per element, on rows that stress different parts of
//! the computation:
//! - random rows (uniform in [−10, 10]): the ordinary case, and a long sum;
//! - rows with one dominant logit (the rest in [−1, 1], one entry 20 to 100 higher): the
//!   dominant probability is 1 − (tiny) and its log-softmax is a tiny negative number that
//!   must keep full relative accuracy, while the others may be subnormal;
//! - rows spanning 1e4 (uniform over a width of 1e4 around a random centre, with a tenth of
//!   the entries within 20 of the maximum): large x − max, most results underflowing.
//!
//! `f32` rows are compared with a careful-`f64` reference (a compensated sum, log1p of the
//! tail sum), `f64` rows with MPFR at 160 bits.

use rug::Float;

use crate::cases::Bound;
use crate::measure::{FloatType, Measurement, Sample};
use crate::reference::MPFR_PREC;
use crate::rng::SplitMix64;
use crate::ulp::{ulp_error_f32, ulp_error_f64};

/// The per-element bound of softmax and log-softmax (2 is the target).
pub const ROW_BOUND: Bound = Bound::Ulp(4.0);

/// The row lengths measured: a single element, a short row, a typical vocabulary-sized
/// slice and the longest row the contract covers.
pub const ROW_COLS: [usize; 4] = [1, 7, 1000, 65536];

/// The kinds of rows measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// Uniform in [−10, 10].
    Random,
    /// One logit 20 to 100 above the others, which lie in [−1, 1].
    DominantLogit,
    /// Uniform over a width of 1e4, a tenth of the entries within 20 of the maximum.
    Span1e4,
}

/// Every kind, in report order.
pub const ROW_KINDS: [RowKind; 3] = [RowKind::Random, RowKind::DominantLogit, RowKind::Span1e4];

impl RowKind {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Random => "random",
            RowKind::DominantLogit => "dominant logit",
            RowKind::Span1e4 => "span 1e4",
        }
    }
}

/// One row of logits (as `f64`; `f32` rows round them).
pub fn row_logits(kind: RowKind, cols: usize, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    match kind {
        RowKind::Random => (0..cols).map(|_| rng.unit() * 20.0 - 10.0).collect(),
        RowKind::DominantLogit => {
            let mut row: Vec<f64> = (0..cols).map(|_| rng.unit() * 2.0 - 1.0).collect();
            let at = rng.below(cols as u64) as usize;
            row[at] = 20.0 + 80.0 * rng.unit();
            row
        }
        RowKind::Span1e4 => {
            let centre = rng.unit() * 2000.0 - 1000.0;
            let mut row: Vec<f64> = (0..cols).map(|_| centre + rng.unit() * 1e4 - 5e3).collect();
            let max = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            for v in row.iter_mut() {
                if rng.below(10) == 0 {
                    *v = max - 20.0 * rng.unit();
                }
            }
            row
        }
    }
}

/// How many rows of each kind are measured for a row length: enough elements to matter,
/// few enough that the MPFR reference of the 65536-column rows stays around a second.
pub fn rows_for(cols: usize, ty: FloatType) -> usize {
    match (cols, ty) {
        (0..=1, _) => 256,
        (2..=16, _) => 64,
        (17..=4096, _) => 4,
        (_, FloatType::F32) => 2,
        (_, FloatType::F64) => 1,
    }
}

/// The accuracy of both functions on one set of rows.
#[derive(Clone, Debug)]
pub struct RowAccuracy {
    /// The kind of rows.
    pub kind: RowKind,
    /// Columns per row.
    pub cols: usize,
    /// Number of rows.
    pub rows: usize,
    /// softmax, per element.
    pub softmax: Measurement,
    /// log_softmax, per element.
    pub log_softmax: Measurement,
}

/// A measurement with nothing observed yet, under `bound`.
pub(crate) fn empty_measurement_with(function: &str, ty: FloatType, bound: Bound) -> Measurement {
    Measurement {
        function: function.to_string(),
        ty,
        tested: 0,
        max_ulp: 0.0,
        worst: None,
        max_subnormal_ulp: 0.0,
        worst_subnormal: None,
        misrounded: 0,
        first_misrounded: None,
        bound,
        beyond_ulp: 0,
        max_bound_ratio: 0.0,
        worst_ratio: None,
    }
}

fn empty_measurement(function: &str, ty: FloatType) -> Measurement {
    empty_measurement_with(function, ty, ROW_BOUND)
}

/// Folds one element's error into a measurement; the sample is only built when it is a
/// new maximum.
pub(crate) fn observe(m: &mut Measurement, ulp: f64, subnormal: bool, sample: impl Fn() -> Sample) {
    m.tested += 1;
    if m.worst.is_none() || ulp > m.max_ulp {
        m.max_ulp = ulp;
        m.worst = Some(sample());
    }
    if subnormal && (m.worst_subnormal.is_none() || ulp > m.max_subnormal_ulp) {
        m.max_subnormal_ulp = ulp;
        m.worst_subnormal = Some(sample());
    }
}

/// Merges `other` into `total` (maxima and counts).
pub fn merge_measurement(total: &mut Measurement, other: &Measurement) {
    total.tested += other.tested;
    total.beyond_ulp += other.beyond_ulp;
    if other.worst_ratio.is_some()
        && (total.worst_ratio.is_none() || other.max_bound_ratio > total.max_bound_ratio)
    {
        total.max_bound_ratio = other.max_bound_ratio;
        total.worst_ratio = other.worst_ratio.clone();
    }
    if other.worst.is_some() && (total.worst.is_none() || other.max_ulp > total.max_ulp) {
        total.max_ulp = other.max_ulp;
        total.worst = other.worst.clone();
    }
    if other.worst_subnormal.is_some()
        && (total.worst_subnormal.is_none() || other.max_subnormal_ulp > total.max_subnormal_ulp)
    {
        total.max_subnormal_ulp = other.max_subnormal_ulp;
        total.worst_subnormal = other.worst_subnormal.clone();
    }
}

/// Σ of the terms as a double-double (Neumaier's compensated sum), so a 65536-term sum adds
/// no error that an `f32` ULP could see.
fn compensated_sum(terms: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for t in terms {
        let s = sum + t;
        compensation += if sum.abs() >= t.abs() {
            (sum - s) + t
        } else {
            (t - s) + sum
        };
        sum = s;
    }
    sum + compensation
}

/// softmax and log-softmax of an `f32` row in careful `f64`: with d_j = x_j − max,
/// softmax_i = e^(d_i)/(1 + T) and log_softmax_i = d_i − log1p(T), T the sum over all but
/// one maximal entry (so the dominant entry's log-softmax keeps its relative accuracy).
pub fn reference_row_f64(row: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (argmax, max) =
        row.iter()
            .cloned()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (j, v)| {
                if v > best.1 {
                    (j, v)
                } else {
                    best
                }
            });
    let d: Vec<f64> = row.iter().map(|&v| v - max).collect();
    let tail = compensated_sum(
        d.iter()
            .enumerate()
            .filter(|&(j, _)| j != argmax)
            .map(|(_, &v)| v.exp()),
    );
    let softmax = d.iter().map(|&v| v.exp() / (1.0 + tail)).collect();
    let log_tail = tail.ln_1p();
    let log_softmax = d.iter().map(|&v| v - log_tail).collect();
    (softmax, log_softmax)
}

/// The same in MPFR at 160 bits, for `f64` rows.
pub fn reference_row_mpfr(row: &[f64]) -> (Vec<Float>, Vec<Float>) {
    let (argmax, max) =
        row.iter()
            .cloned()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (j, v)| {
                if v > best.1 {
                    (j, v)
                } else {
                    best
                }
            });
    let d: Vec<Float> = row
        .iter()
        .map(|&v| Float::with_val(MPFR_PREC, v) - max)
        .collect();
    let e: Vec<Float> = d.iter().map(|v| v.clone().exp()).collect();
    let mut tail = Float::with_val(MPFR_PREC, 0);
    for (j, v) in e.iter().enumerate() {
        if j != argmax {
            tail += v;
        }
    }
    let denominator = Float::with_val(MPFR_PREC, &tail + 1u32);
    let softmax = e.into_iter().map(|v| v / &denominator).collect();
    let log_tail = tail.ln_1p();
    let log_softmax = d.into_iter().map(|v| v - &log_tail).collect();
    (softmax, log_softmax)
}

pub(crate) fn seed_of(kind: RowKind, cols: usize, row: usize) -> u64 {
    SplitMix64::mix((kind as u64) << 56 ^ (cols as u64) << 24 ^ row as u64)
}

/// Measures `activ::softmax` and `activ::log_softmax` on `rows` `f32` rows.
pub fn measure_rows_f32(kind: RowKind, cols: usize, rows: usize) -> RowAccuracy {
    let mut softmax = empty_measurement("softmax", FloatType::F32);
    let mut log_softmax = empty_measurement("log_softmax", FloatType::F32);
    for r in 0..rows {
        let x: Vec<f32> = row_logits(kind, cols, seed_of(kind, cols, r))
            .into_iter()
            .map(|v| v as f32)
            .collect();
        let wide: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        let (ref_softmax, ref_log) = reference_row_f64(&wide);
        let mut y = vec![0.0f32; cols];
        let mut z = vec![0.0f32; cols];
        activ::softmax(&x, &mut y, 1, cols).expect("matching shapes");
        activ::log_softmax(&x, &mut z, 1, cols).expect("matching shapes");
        for j in 0..cols {
            for (m, out, reference) in [
                (&mut softmax, y[j], ref_softmax[j]),
                (&mut log_softmax, z[j], ref_log[j]),
            ] {
                let ulp = ulp_error_f32(out, reference);
                let subnormal = reference != 0.0 && reference.abs() < f32::MIN_POSITIVE as f64;
                observe(m, ulp, subnormal, || Sample {
                    input: x[j] as f64,
                    input_bits: x[j].to_bits() as u64,
                    result: out as f64,
                    reference: format!("{reference:e}"),
                    ulp,
                    context: format!("{} row {r} of {cols} columns, column {j}", kind.name()),
                });
            }
        }
    }
    RowAccuracy {
        kind,
        cols,
        rows,
        softmax,
        log_softmax,
    }
}

/// Measures `activ::softmax` and `activ::log_softmax` on `rows` `f64` rows against MPFR.
pub fn measure_rows_f64(kind: RowKind, cols: usize, rows: usize) -> RowAccuracy {
    let mut softmax = empty_measurement("softmax", FloatType::F64);
    let mut log_softmax = empty_measurement("log_softmax", FloatType::F64);
    for r in 0..rows {
        let x = row_logits(kind, cols, seed_of(kind, cols, r));
        let (ref_softmax, ref_log) = reference_row_mpfr(&x);
        let mut y = vec![0.0f64; cols];
        let mut z = vec![0.0f64; cols];
        activ::softmax(&x, &mut y, 1, cols).expect("matching shapes");
        activ::log_softmax(&x, &mut z, 1, cols).expect("matching shapes");
        for j in 0..cols {
            for (m, out, reference) in [
                (&mut softmax, y[j], &ref_softmax[j]),
                (&mut log_softmax, z[j], &ref_log[j]),
            ] {
                let ulp = ulp_error_f64(out, reference);
                let subnormal =
                    !reference.is_zero() && reference.to_f64().abs() < f64::MIN_POSITIVE;
                observe(m, ulp, subnormal, || Sample {
                    input: x[j],
                    input_bits: x[j].to_bits(),
                    result: out,
                    reference: reference.to_string_radix(10, Some(25)),
                    ulp,
                    context: format!("{} row {r} of {cols} columns, column {j}", kind.name()),
                });
            }
        }
    }
    RowAccuracy {
        kind,
        cols,
        rows,
        softmax,
        log_softmax,
    }
}

/// Every kind at every length in [`ROW_COLS`], for one type, the sets spread over
/// `threads` threads.
pub fn measure_all_rows(ty: FloatType, threads: usize) -> Vec<RowAccuracy> {
    each_row_set(threads, |kind, cols| {
        let rows = rows_for(cols, ty);
        match ty {
            FloatType::F32 => measure_rows_f32(kind, cols, rows),
            FloatType::F64 => measure_rows_f64(kind, cols, rows),
        }
    })
}

/// `measure` on every kind at every length in [`ROW_COLS`], the sets handed out to
/// `threads` threads; the results in report order (kinds, then lengths).
pub(crate) fn each_row_set<R: Send>(
    threads: usize,
    measure: impl Fn(RowKind, usize) -> R + Sync,
) -> Vec<R> {
    let sets: Vec<(RowKind, usize)> = ROW_KINDS
        .iter()
        .flat_map(|&k| ROW_COLS.iter().map(move |&c| (k, c)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&(kind, cols)) = sets.get(i) else {
                    break;
                };
                let result = measure(kind, cols);
                results
                    .lock()
                    .expect("no panic under the lock")
                    .push((i, result));
            });
        }
    });
    let mut results = results.into_inner().expect("no panic under the lock");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, a)| a).collect()
}
