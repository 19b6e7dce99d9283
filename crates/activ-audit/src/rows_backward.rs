//! Accuracy of the row backward passes per element: `activ::softmax_backward`,
//! `activ::log_softmax_backward` and `activ::logsumexp_backward`, on the rows of [`rows`]
//! (random, one dominant logit, spanning 1e4; 1 to 65536 columns).
//!
//! Each pass is compared with MPFR at [`MPFR_PREC`] bits computed from exactly the inputs
//! the pass received, in both types (`f32` values are taken exactly):
//! - softmax backward: y = `activ::softmax(x)` as rounded, and dy; exact dx_j =
//!   y_j·(dy_j − ⟨dy, y⟩), with ⟨dy, y⟩ and dy_j − ⟨dy, y⟩ exact ([`EXACT_PREC`]) and one
//!   rounding to [`MPFR_PREC`] bits;
//! - log_softmax backward: y = `activ::log_softmax(x)` as rounded, and dy; exact dx_j =
//!   dy_j − e^(y_j)·Σ dy, Σ dy exact and e^(y_j) at a precision raised until the
//!   difference keeps 120 bits however deep it cancels;
//! - logsumexp backward: x and one dout per row; exact dx_j = softmax(x)_j·dout.
//!
//! The upstream gradients ([`DyKind`]): uniform in [−2, 2]; nearly constant (c·(1 + 2^−k·u),
//! so dy_j − ⟨dy, y⟩ nearly cancels); exactly constant (⟨dy, y⟩ = c·Σy, and the exact dx
//! is c·y_j·(1 − Σy): nothing but the rounding of y); and nearly proportional
//! to the softmax (dy_j ≈ c·e^(y_j) for log_softmax, where dy_j − e^(y_j)·Σ dy nearly
//! cancels). Every dy kind is applied to every row.
//!
//! The bounds are those of `activ`'s softmax_backward module. softmax and log_softmax
//! backward: |dx_j − exact| ≤ 1 ULP + 2^−80·|y_j|·Σ|y_i dy_i| (softmax, rows up to 2^17
//! columns) or 2^−59·e^(y_j)·Σ|dy_i| (log_softmax), a mixed bound ([`Bound::UlpPlusScaled`]): every
//! element is judged by error / (1 ULP + that term), and the elements beyond 1 ULP (those
//! that needed the term) are counted. logsumexp backward: ≤ 2 ULP. The ULP is that of the
//! result type in the binade of the exact value, as everywhere in the audit.
//!
//! [`rows`]: crate::rows

use rug::Float;

use crate::cases::Bound;
use crate::measure::{FloatType, Measurement, Sample};
use crate::reference::MPFR_PREC;
use crate::rng::SplitMix64;
use crate::rows::{
    each_row_set, empty_measurement_with, observe, reference_row_mpfr, row_logits, rows_for,
    seed_of, RowKind,
};
use crate::ulp::ulp_exponent;

/// The exponent of the factor of softmax backward's scaled term: the compensated dot product
/// in 16 accumulators leaves 2^−100 + (n/16·2^−53)², below 2^−80 for rows of up to 2^17
/// columns (the audit's rows have at most 2^16).
pub const SOFTMAX_SLACK_LOG2: i32 = -80;
/// The exponent for log_softmax backward: e^(y_j) comes from the exp kernel with relative
/// error below 2^−60 (measured 2^−62.35), and the compensated Σ dy adds under 2^−80.
pub const LOG_SOFTMAX_SLACK_LOG2: i32 = -59;

/// softmax backward: 1 ULP + 2^−80·|y_j|·Σ|y_i dy_i|.
pub const SOFTMAX_BACKWARD_BOUND: Bound = Bound::UlpPlusScaled {
    ulp: 1.0,
    log2_factor: SOFTMAX_SLACK_LOG2,
    scale: "|y_j|·Σ|y_i·dy_i|",
};

/// log_softmax backward: 1 ULP + 2^−59·e^(y_j)·Σ|dy_i|.
pub const LOG_SOFTMAX_BACKWARD_BOUND: Bound = Bound::UlpPlusScaled {
    ulp: 1.0,
    log2_factor: LOG_SOFTMAX_SLACK_LOG2,
    scale: "e^(y_j)·Σ|dy_i|",
};

/// logsumexp backward: 2 ULP (the forward softmax, then the product with dout).
pub const LOGSUMEXP_BACKWARD_BOUND: Bound = Bound::Ulp(2.0);

/// The upstream gradients applied to every row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DyKind {
    /// Uniform in [−2, 2].
    Random,
    /// c·(1 + 2^−k·u), c in ±[0.5, 2], u uniform in [−1, 1], k from 8 to the type's
    /// precision: dy_j − ⟨dy, y⟩ cancels all but about k bits.
    NearlyConstant,
    /// c everywhere, c in ±[0.5, 2]: the exact dx is c·y_j·(1 − Σy), Σy the sum of the
    /// rounded y, so nothing but the rounding of y is left of it.
    Constant,
    /// c·s_j·(1 + 2^−k·u), s = `activ::softmax(x)`: dy_j − e^(y_j)·Σ dy nearly cancels in
    /// log_softmax backward.
    NearSoftmax,
}

/// Every dy kind, in report order.
pub const DY_KINDS: [DyKind; 4] = [
    DyKind::Random,
    DyKind::NearlyConstant,
    DyKind::Constant,
    DyKind::NearSoftmax,
];

impl DyKind {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            DyKind::Random => "random dy",
            DyKind::NearlyConstant => "nearly constant dy",
            DyKind::Constant => "constant dy",
            DyKind::NearSoftmax => "dy near c·softmax",
        }
    }
}

/// The upstream gradient of a row (as `f64`; the caller rounds it to the type), given the
/// row's forward softmax and the type's precision in bits.
pub fn row_dy(kind: DyKind, softmax: &[f64], precision: u32, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    let cols = softmax.len();
    let c = if rng.below(2) == 0 { 1.0 } else { -1.0 } * (0.5 + 1.5 * rng.unit());
    let k = 8 + rng.below(u64::from(precision) - 7) as i32;
    let nudge = 2f64.powi(-k);
    match kind {
        DyKind::Random => (0..cols).map(|_| rng.unit() * 4.0 - 2.0).collect(),
        DyKind::NearlyConstant => (0..cols)
            .map(|_| c * (1.0 + nudge * (2.0 * rng.unit() - 1.0)))
            .collect(),
        DyKind::Constant => vec![c; cols],
        DyKind::NearSoftmax => softmax
            .iter()
            .map(|&s| c * s * (1.0 + nudge * (2.0 * rng.unit() - 1.0)))
            .collect(),
    }
}

/// The upstream gradient of logsumexp for a row: uniform in [−2, 2].
pub fn row_dout(seed: u64) -> f64 {
    SplitMix64::new(seed ^ 0x10c5_0e3b).unit() * 4.0 - 2.0
}

/// The accuracy of the three backward passes on one set of rows.
#[derive(Clone, Debug)]
pub struct RowBackwardAccuracy {
    /// The kind of rows.
    pub kind: RowKind,
    /// Columns per row.
    pub cols: usize,
    /// Number of rows (each with every [`DyKind`] for softmax and log_softmax backward).
    pub rows: usize,
    /// softmax backward, per element.
    pub softmax_backward: Measurement,
    /// log_softmax backward, per element.
    pub log_softmax_backward: Measurement,
    /// logsumexp backward, per element.
    pub logsumexp_backward: Measurement,
}

/// The element types the passes are measured in.
pub trait RowElem: activ::Float + Send + Sync {
    /// Which type.
    const TY: FloatType;
    /// Bits of precision.
    const PRECISION: u32;
    /// The bit pattern, widened.
    fn bits(self) -> u64;
}

impl RowElem for f32 {
    const TY: FloatType = FloatType::F32;
    const PRECISION: u32 = 24;
    fn bits(self) -> u64 {
        u64::from(self.to_bits())
    }
}

impl RowElem for f64 {
    const TY: FloatType = FloatType::F64;
    const PRECISION: u32 = 53;
    fn bits(self) -> u64 {
        self.to_bits()
    }
}

/// One element's error: in ULPs of the type at the exact value, and (for a mixed bound)
/// as a fraction of the whole bound.
struct ElementError {
    ulp: f64,
    ratio: f64,
    subnormal: bool,
}

/// The error of `result` against `exact`; `mixed` is the ULP part and the scaled term of a
/// mixed bound for this element.
fn element_error(
    ty: FloatType,
    result: f64,
    exact: &Float,
    mixed: Option<(f64, &Float)>,
) -> ElementError {
    let min_normal_exp = match ty {
        FloatType::F32 => -126,
        FloatType::F64 => -1022,
    };
    // MPFR's exponent e puts |x| in [2^(e−1), 2^e).
    let subnormal = exact.get_exp().is_some_and(|e| e - 1 < min_normal_exp);
    if !result.is_finite() {
        // Every exact value here is finite.
        return ElementError {
            ulp: f64::INFINITY,
            ratio: f64::INFINITY,
            subnormal,
        };
    }
    let e = ulp_exponent(ty, exact);
    let error = (Float::with_val(MPFR_PREC, result) - exact).abs();
    let ulp = Float::with_val(64, &error << -e).to_f64();
    let ratio = match mixed {
        Some((ulp_part, slack)) => {
            let unit = Float::with_val(64, Float::i_exp(1, e)) * ulp_part;
            let bound = Float::with_val(MPFR_PREC, &unit + slack);
            Float::with_val(64, &error / &bound).to_f64()
        }
        None => ulp,
    };
    ElementError {
        ulp,
        ratio,
        subnormal,
    }
}

/// Precision at which the sums of the references are exact: a product of two `f64` values
/// is a multiple of 2^−2148 (2^−298 for `f32`), dy and y are below 2^2 and a row has at
/// most 2^16 entries, so ⟨dy, y⟩, Σ dy and dy_j − ⟨dy, y⟩ are multiples of 2^−2148 below
/// 2^19: 2168 bits hold them.
pub const EXACT_PREC: u32 = 2240;

/// Relative accuracy, in bits, that the log_softmax backward reference keeps however
/// deep the cancellation: far beyond what a `f64` ULP or the 2^−100 term can see.
const REFERENCE_BITS: i32 = 120;

/// dy − e^y·total to [`REFERENCE_BITS`] of relative accuracy, `total` exact and `ez` e^y at
/// [`MPFR_PREC`] bits: where dy and e^y·total cancel more bits than that leaves, e^y is
/// recomputed at twice the precision, and so on (e^y of an `f64` y ≠ 0 is irrational, so
/// the difference is never 0 then).
fn log_softmax_dx_exact(y: f64, dy: f64, total: &Float, ez: &Float) -> Float {
    if y == 0.0 {
        // e^0 = 1: dy − total, exact.
        return Float::with_val(MPFR_PREC, dy - total);
    }
    let mut prec = MPFR_PREC;
    let mut ez = ez.clone();
    loop {
        let product = Float::with_val(prec, &ez * total);
        let exact = Float::with_val(prec, dy - &product);
        // The errors (of e^y, of the product, of the difference) are below
        // 2^(2 − prec)·|product| + 2^−prec·|exact|: relative to the result, about 2^(lost −
        // prec + 3) when the product's binade is `lost` above the result's.
        let lost = match (product.get_exp(), exact.get_exp()) {
            (Some(p), Some(e)) => p - e,
            (None, _) => 0,
            (Some(_), None) => i32::MAX,
        };
        if lost <= prec as i32 - REFERENCE_BITS - 3 || prec >= 1 << 16 {
            return Float::with_val(MPFR_PREC, &exact);
        }
        prec *= 2;
        ez = Float::with_val(prec, y).exp();
    }
}

/// Folds one element into a measurement: under a mixed bound `slack` is the element's
/// scaled term, under a plain one it is `None`.
fn observe_element(
    m: &mut Measurement,
    result: f64,
    exact: &Float,
    slack: Option<&Float>,
    sample: impl Fn(f64) -> Sample,
) {
    let ulp_part = match m.bound {
        Bound::UlpPlusScaled { ulp, .. } => ulp,
        _ => 0.0,
    };
    let e = element_error(m.ty, result, exact, slack.map(|s| (ulp_part, s)));
    observe(m, e.ulp, e.subnormal, || sample(e.ulp));
    if let Bound::UlpPlusScaled { ulp, .. } = m.bound {
        if e.ulp > ulp {
            m.beyond_ulp += 1;
        }
        if m.worst_ratio.is_none() || e.ratio > m.max_bound_ratio {
            m.max_bound_ratio = e.ratio;
            m.worst_ratio = Some(sample(e.ulp));
        }
    }
}

fn show(v: f64) -> String {
    format!("{v:e}")
}

fn show_exact(v: &Float) -> String {
    v.to_string_radix(10, Some(25))
}

/// Measures the three backward passes on `rows` rows of `kind` with `cols` columns, in
/// type `T`. The rows are those of the forward measurement ([`crate::rows`]).
pub fn measure_backward_rows<T: RowElem>(
    kind: RowKind,
    cols: usize,
    rows: usize,
) -> RowBackwardAccuracy {
    let ty = T::TY;
    let mut softmax_backward =
        empty_measurement_with("softmax_backward", ty, SOFTMAX_BACKWARD_BOUND);
    let mut log_softmax_backward =
        empty_measurement_with("log_softmax_backward", ty, LOG_SOFTMAX_BACKWARD_BOUND);
    let mut logsumexp_backward =
        empty_measurement_with("logsumexp_backward", ty, LOGSUMEXP_BACKWARD_BOUND);
    let widen = |v: &[T]| -> Vec<f64> { v.iter().map(|&e| e.to_f64()).collect() };
    for r in 0..rows {
        let seed = seed_of(kind, cols, r);
        let x: Vec<T> = row_logits(kind, cols, seed)
            .into_iter()
            .map(T::from_f64)
            .collect();
        let xw = widen(&x);
        let mut y = vec![T::ZERO; cols];
        let mut z = vec![T::ZERO; cols];
        activ::softmax(&x, &mut y, 1, cols).expect("matching shapes");
        activ::log_softmax(&x, &mut z, 1, cols).expect("matching shapes");
        let (yw, zw) = (widen(&y), widen(&z));
        // e^(z_j) of the rounded log-softmax, shared by every dy.
        let ez: Vec<Float> = zw
            .iter()
            .map(|&v| Float::with_val(MPFR_PREC, v).exp())
            .collect();
        let mut dx = vec![T::ZERO; cols];
        for (d, dy_kind) in DY_KINDS.into_iter().enumerate() {
            let dy_seed = SplitMix64::mix(seed ^ ((d as u64 + 1) << 52));
            let dy: Vec<T> = row_dy(dy_kind, &yw, T::PRECISION, dy_seed)
                .into_iter()
                .map(T::from_f64)
                .collect();
            let dyw = widen(&dy);
            let place = |j: usize| {
                format!(
                    "{} row {r} of {cols} columns, column {j}, {} (dy_j = {})",
                    kind.name(),
                    dy_kind.name(),
                    show(dyw[j])
                )
            };

            // softmax backward: y_j·(dy_j − ⟨dy, y⟩).
            activ::softmax_backward(&y, &dy, &mut dx, 1, cols).expect("matching shapes");
            // Products of two f64 values are exact in 106 bits.
            let products: Vec<Float> = yw
                .iter()
                .zip(&dyw)
                .map(|(&a, &b)| Float::with_val(128, a) * b)
                .collect();
            // The dot product and dy_j − ⟨dy, y⟩ exactly (see EXACT_PREC): a dominant y_j = 1
            // leaves only the far smaller terms of the other columns in dy_j − ⟨dy, y⟩.
            let dot = Float::with_val(EXACT_PREC, Float::sum(products.iter()));
            let magnitudes: Vec<Float> = products.into_iter().map(Float::abs).collect();
            let dot_scale = Float::with_val(64, Float::sum(magnitudes.iter()));
            for j in 0..cols {
                let difference = Float::with_val(EXACT_PREC, dyw[j]) - &dot;
                let exact = Float::with_val(MPFR_PREC, &difference * yw[j]);
                let mut slack = Float::with_val(64, &dot_scale * yw[j].abs());
                slack <<= SOFTMAX_SLACK_LOG2;
                let result = dx[j].to_f64();
                observe_element(&mut softmax_backward, result, &exact, Some(&slack), |ulp| {
                    Sample {
                        input: yw[j],
                        input_bits: y[j].bits(),
                        result,
                        reference: show_exact(&exact),
                        ulp,
                        context: format!(
                            "{}; y_j is the input; ⟨dy, y⟩ = {}",
                            place(j),
                            show_exact(&dot)
                        ),
                    }
                });
            }

            // log_softmax backward: dy_j − e^(y_j)·Σ dy.
            activ::log_softmax_backward(&z, &dy, &mut dx, 1, cols).expect("matching shapes");
            let dy_exact: Vec<Float> = dyw.iter().map(|&v| Float::with_val(64, v)).collect();
            let total = Float::with_val(EXACT_PREC, Float::sum(dy_exact.iter()));
            let magnitudes: Vec<Float> = dy_exact.into_iter().map(Float::abs).collect();
            let total_scale = Float::with_val(64, Float::sum(magnitudes.iter()));
            for j in 0..cols {
                let exact = log_softmax_dx_exact(zw[j], dyw[j], &total, &ez[j]);
                let mut slack = Float::with_val(64, &ez[j] * &total_scale);
                slack <<= LOG_SOFTMAX_SLACK_LOG2;
                let result = dx[j].to_f64();
                observe_element(
                    &mut log_softmax_backward,
                    result,
                    &exact,
                    Some(&slack),
                    |ulp| Sample {
                        input: zw[j],
                        input_bits: z[j].bits(),
                        result,
                        reference: show_exact(&exact),
                        ulp,
                        context: format!(
                            "{}; y_j (log_softmax) is the input; Σ dy = {}",
                            place(j),
                            show_exact(&total)
                        ),
                    },
                );
            }
        }

        // logsumexp backward: softmax(x)_j·dout, from the input x.
        let dout = T::from_f64(row_dout(seed));
        activ::logsumexp_backward(&x, &[dout], &mut dx, 1, cols).expect("matching shapes");
        let (softmax_exact, _) = reference_row_mpfr(&xw);
        for j in 0..cols {
            let exact = Float::with_val(MPFR_PREC, &softmax_exact[j] * dout.to_f64());
            let result = dx[j].to_f64();
            observe_element(&mut logsumexp_backward, result, &exact, None, |ulp| {
                Sample {
                    input: xw[j],
                    input_bits: x[j].bits(),
                    result,
                    reference: show_exact(&exact),
                    ulp,
                    context: format!(
                        "{} row {r} of {cols} columns, column {j}, dout = {}",
                        kind.name(),
                        show(dout.to_f64())
                    ),
                }
            });
        }
    }
    RowBackwardAccuracy {
        kind,
        cols,
        rows,
        softmax_backward,
        log_softmax_backward,
        logsumexp_backward,
    }
}

/// Every row kind at every length in [`crate::rows::ROW_COLS`] (as many rows as the
/// forward measurement), for one type, the sets spread over `threads` threads.
pub fn measure_all_backward_rows(ty: FloatType, threads: usize) -> Vec<RowBackwardAccuracy> {
    each_row_set(threads, |kind, cols| {
        let rows = rows_for(cols, ty);
        match ty {
            FloatType::F32 => measure_backward_rows::<f32>(kind, cols, rows),
            FloatType::F64 => measure_backward_rows::<f64>(kind, cols, rows),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(ulp: f64) -> Sample {
        Sample {
            input: 0.0,
            input_bits: 0,
            result: 0.0,
            reference: String::new(),
            ulp,
            context: String::new(),
        }
    }

    fn one_element(
        ty: FloatType,
        bound: Bound,
        result: f64,
        exact: f64,
        slack: f64,
    ) -> Measurement {
        let mut m = empty_measurement_with("test", ty, bound);
        let exact = Float::with_val(MPFR_PREC, exact);
        let slack = Float::with_val(64, slack);
        let mixed = matches!(bound, Bound::UlpPlusScaled { .. });
        observe_element(&mut m, result, &exact, mixed.then_some(&slack), sample);
        m
    }

    #[test]
    fn mixed_bound_judgement() {
        let ulp = f64::EPSILON;
        let b = SOFTMAX_BACKWARD_BOUND;
        // 2 ULP off with no room from the scaled term: beyond 1 ULP, and over the bound.
        let m = one_element(FloatType::F64, b, 1.0 + 2.0 * ulp, 1.0, 0.0);
        assert_eq!((m.max_ulp, m.beyond_ulp, m.max_bound_ratio), (2.0, 1, 2.0));
        assert!(!m.passed());
        // The same error with a scaled term of 3 ULP: 2 / (1 + 3) of the bound.
        let m = one_element(FloatType::F64, b, 1.0 + 2.0 * ulp, 1.0, 3.0 * ulp);
        assert_eq!((m.max_ulp, m.beyond_ulp, m.max_bound_ratio), (2.0, 1, 0.5));
        assert!(m.passed());
        // Within 1 ULP: not counted.
        let m = one_element(FloatType::F64, b, 1.0 + ulp, 1.0, 0.0);
        assert_eq!((m.max_ulp, m.beyond_ulp, m.max_bound_ratio), (1.0, 0, 1.0));
        assert!(m.passed());
        // A non-finite result is an infinite error.
        let m = one_element(FloatType::F64, b, f64::NAN, 1.0, 1e300);
        assert!(m.max_ulp.is_infinite() && !m.passed());
        // f32 units: 2^−23 at 1, the subnormal spacing below 2^−126.
        let m = one_element(FloatType::F32, b, 1.0 + 2f64.powi(-22), 1.0, 0.0);
        assert_eq!(m.max_ulp, 2.0);
        let tiny = 2f64.powi(-140);
        let m = one_element(FloatType::F32, b, tiny + 2f64.powi(-149), tiny, 0.0);
        assert_eq!(m.max_ulp, 1.0);
        assert!(m.worst_subnormal.is_some());
        // A plain bound is judged by the maximum ULP error.
        let m = one_element(
            FloatType::F64,
            LOGSUMEXP_BACKWARD_BOUND,
            1.0 + 2.0 * ulp,
            1.0,
            0.0,
        );
        assert!(m.passed());
        let m = one_element(
            FloatType::F64,
            LOGSUMEXP_BACKWARD_BOUND,
            1.0 + 3.0 * ulp,
            1.0,
            0.0,
        );
        assert!(!m.passed());
        assert_eq!(m.beyond_ulp, 0);
    }

    #[test]
    fn references_resolve_deep_cancellation() {
        // y = −2^−60: e^y·total cancels dy = total far beyond 160 bits of the operands; the
        // result keeps its relative accuracy: dy − e^y·dy = dy·(1 − e^y) ≈ dy·2^−60.
        let y = -(2f64.powi(-60));
        let dy = 1.5;
        let total = Float::with_val(EXACT_PREC, dy);
        let ez = Float::with_val(MPFR_PREC, y).exp();
        let got = log_softmax_dx_exact(y, dy, &total, &ez);
        let want = Float::with_val(4000, y).exp_m1() * -dy;
        let relative = Float::with_val(64, (got - &want) / &want).to_f64().abs();
        assert!(relative < 2f64.powi(-REFERENCE_BITS), "{relative:e}");
        // y = 0: exact.
        let got = log_softmax_dx_exact(0.0, 1.0, &Float::with_val(EXACT_PREC, 0.75), &ez);
        assert_eq!(got, 0.25);
    }

    #[test]
    fn upstream_gradients() {
        let s = [0.25, 0.75];
        for kind in DY_KINDS {
            let dy = row_dy(kind, &s, 53, 7);
            assert_eq!(dy.len(), 2);
            assert!(dy.iter().all(|v| v.abs() <= 2.0 + 1e-9), "{kind:?}: {dy:?}");
        }
        let c = row_dy(DyKind::Constant, &s, 53, 7);
        assert_eq!(c[0], c[1]);
        let n = row_dy(DyKind::NearlyConstant, &s, 53, 7);
        assert!(((n[0] - n[1]) / n[0]).abs() < 2f64.powi(-7));
        let p = row_dy(DyKind::NearSoftmax, &s, 53, 7);
        assert!((p[1] / p[0] - 3.0).abs() < 2f64.powi(-6));
        assert!(row_dout(3).abs() <= 2.0);
    }
}
