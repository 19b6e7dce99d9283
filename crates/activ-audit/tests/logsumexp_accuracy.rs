//! logsumexp against MPFR (256 bits): within 1 ULP of the exact value, or within an
//! absolute error of 2^−42·max(1, |m|) (`f32`) or 2^−62·max(1, |m|) (`f64`), m the row's
//! maximum, where m + log S (S = Σ e^(x_j − m)) cancels.
//!
//! The absolute term is what the sum T = S − c carries into log S (its exponentials are good
//! to 2^−43 in `f32`, 2^−67 in `f64`) plus the roundings of log S (2^−53 and 2^−63.5
//! relative, and log S ≈ |m| where the sum cancels) and of m + log S: when m is negative and
//! S is next to e^−m, the result is tiny next to both terms, and no fixed number of ULPs can
//! hold there. The rows: random rows of
//! 7 and 300 columns (the ULP bound holds), and rows [m, x] and [x, m, −∞] with x stepped
//! through the neighbours of the value that makes the result 0 (the absolute one does).
//! Prints the maxima (`cargo test -- --nocapture`).

use rug::ops::Pow;
use rug::Float;

const PREC: u32 = 256;

/// ln(Σ e^x_j) in MPFR.
fn exact(row: &[f64]) -> Float {
    let mut s = Float::with_val(PREC, 0);
    for &x in row {
        s += Float::with_val(PREC, x).exp();
    }
    s.ln()
}

/// |got − exact| in ULPs of the exact value in a format with `mantissa` bits (normal range).
fn ulps(got: f64, exact: &Float, mantissa: i32) -> f64 {
    let exponent = exact.to_f64().abs().log2().floor() as i32;
    let ulp = Float::with_val(PREC, 2).pow(exponent - mantissa + 1);
    (Float::with_val(PREC, got - exact) / ulp).abs().to_f64()
}

/// The worst error seen: in ULPs, and in absolute terms over the results beyond 1 ULP.
#[derive(Default)]
struct Worst {
    ulp: f64,
    abs_beyond_one_ulp: f64,
}

impl Worst {
    /// `abs_scale` is 2^−42 or 2^−62: the absolute bound is abs_scale·max(1, |m|).
    fn observe(&mut self, row: &[f64], got: f64, mantissa: i32, abs_scale: f64) {
        let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let abs_bound = abs_scale * m.abs().max(1.0);
        let e = exact(row);
        if e.is_zero() {
            assert_eq!(got, 0.0, "row {row:?}");
            return;
        }
        let err = ulps(got, &e, mantissa);
        self.ulp = self.ulp.max(err);
        if err > 1.0 {
            let abs = Float::with_val(PREC, got - &e).abs().to_f64();
            self.abs_beyond_one_ulp = self.abs_beyond_one_ulp.max(abs);
            assert!(
                abs < abs_bound,
                "row {row:?}: {got:e} against {:e}: {err} ULP, absolute 2^{}",
                e.to_f64(),
                abs.log2()
            );
        }
    }
}

/// Deterministic uniform values in [lo, hi).
fn uniform(seed: &mut u64, lo: f64, hi: f64) -> f64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    lo + (hi - lo) * ((*seed >> 11) as f64 / (1u64 << 53) as f64)
}

/// x with e^m + e^x = 1.
fn root(m: f64) -> f64 {
    (-(m.exp_m1())).ln()
}

const MAXIMA: [f64; 6] = [-0.5, -0.25, -0.75, -2.0, -1e-3, -10.0];

/// A row element type: its precision, and a step through its neighbours.
trait Element: activ::Float {
    const MANTISSA: i32;
    /// The value `n` steps away in the bit pattern.
    fn step(self, n: i32) -> Self;
}

impl Element for f32 {
    const MANTISSA: i32 = 24;
    fn step(self, n: i32) -> Self {
        f32::from_bits(self.to_bits().wrapping_add_signed(n))
    }
}

impl Element for f64 {
    const MANTISSA: i32 = 53;
    fn step(self, n: i32) -> Self {
        f64::from_bits(self.to_bits().wrapping_add_signed(i64::from(n)))
    }
}

/// The worst errors of logsumexp over `T` rows: (random rows, cancelling rows), where the
/// absolute bound of a cancelling row is `abs_scale`·max(1, |m|).
fn measure<T: Element>(seed: u64, abs_scale: f64) -> (Worst, Worst) {
    let (mut random, mut cancelling) = (Worst::default(), Worst::default());
    let observe = |row: &[T], worst: &mut Worst, scale: f64| {
        let mut out = [T::ZERO];
        activ::logsumexp(row, &mut out, 1, row.len()).unwrap();
        let wide: Vec<f64> = row.iter().map(|v| v.to_f64()).collect();
        worst.observe(&wide, out[0].to_f64(), T::MANTISSA, scale);
    };
    let mut seed = seed;
    for cols in [7usize, 300] {
        for _ in 0..100 {
            let row: Vec<T> = (0..cols)
                .map(|_| T::from_f64(uniform(&mut seed, -20.0, 20.0)))
                .collect();
            observe(&row, &mut random, 0.0);
        }
    }
    for m in MAXIMA.map(T::from_f64) {
        let mut x = T::from_f64(root(m.to_f64())).step(-200);
        for _ in 0..400 {
            for row in [vec![m, x], vec![x, m, T::NEG_INFINITY]] {
                observe(&row, &mut cancelling, abs_scale);
            }
            x = x.step(1);
        }
    }
    (random, cancelling)
}

#[test]
fn logsumexp_f32() {
    let (random, cancelling) = measure::<f32>(1, 2f64.powi(-42));
    println!(
        "logsumexp f32: random rows max {:.3} ULP; cancelling rows max {:.1} ULP, absolute 2^{:.1} where beyond 1 ULP",
        random.ulp,
        cancelling.ulp,
        cancelling.abs_beyond_one_ulp.log2()
    );
}

#[test]
fn logsumexp_f64() {
    let (random, cancelling) = measure::<f64>(2, 2f64.powi(-62));
    println!(
        "logsumexp f64: random rows max {:.3} ULP; cancelling rows max {:.3e} ULP, absolute 2^{:.1} where beyond 1 ULP",
        random.ulp,
        cancelling.ulp,
        cancelling.abs_beyond_one_ulp.log2()
    );
}
