//! Property tests of the mathematical invariants the functions must keep.

use activ::{Elementwise, LeakyRelu};
use proptest::prelude::*;

const EPS32: f64 = f32::EPSILON as f64;
const EPS64: f64 = f64::EPSILON;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sigmoid_is_monotone_and_in_unit_interval_f32(a in any::<f32>(), b in any::<f32>()) {
        prop_assume!(!a.is_nan() && !b.is_nan());
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (s_lo, s_hi) = (activ::sigmoid(lo), activ::sigmoid(hi));
        prop_assert!((0.0..=1.0).contains(&s_lo) && (0.0..=1.0).contains(&s_hi));
        prop_assert!(s_lo <= s_hi, "sigmoid({lo}) = {s_lo} > sigmoid({hi}) = {s_hi}");
    }

    #[test]
    fn sigmoid_is_monotone_and_in_unit_interval_f64(a in -800.0f64..800.0, d in 0.0f64..5.0) {
        let b = a + d;
        let (s_a, s_b) = (activ::sigmoid(a), activ::sigmoid(b));
        prop_assert!((0.0..=1.0).contains(&s_a) && (0.0..=1.0).contains(&s_b));
        prop_assert!(s_a <= s_b, "sigmoid({a}) = {s_a} > sigmoid({b}) = {s_b}");
    }

    /// σ(−x) = 1 − σ(x): each side is within 1 ULP (f32) or 2 ULP (f64) of the truth, so the
    /// sum is 1 within the ULPs of the larger term, at most 1/2 + 1/2.
    #[test]
    fn sigmoid_reflection(x32 in -100.0f32..100.0, x64 in -800.0f64..800.0) {
        let s = activ::sigmoid(x32) as f64 + activ::sigmoid(-x32) as f64;
        prop_assert!((s - 1.0).abs() <= 2.0 * EPS32 / 2.0, "f32 x = {x32}: sum {s}");
        let s = activ::sigmoid(x64) + activ::sigmoid(-x64);
        prop_assert!((s - 1.0).abs() <= 2.0 * 2.0 * EPS64 / 2.0, "f64 x = {x64}: sum {s}");
    }

    /// logit(σ(x)) = x where well-conditioned: the rounding of σ(x) (relative error δ) moves
    /// the result by about δ/(1 − σ(x)).
    #[test]
    fn logit_inverts_sigmoid(x32 in -8.0f32..8.0, x64 in -30.0f64..30.0) {
        let s = activ::sigmoid(x32) as f64;
        let tol = 4.0 * EPS32 * (1.0 / (1.0 - s) + x32.abs() as f64);
        let back = activ::logit(activ::sigmoid(x32)) as f64;
        prop_assert!((back - x32 as f64).abs() <= tol, "f32 x = {x32}: logit(sigmoid) = {back}");

        let s = activ::sigmoid(x64);
        let tol = 4.0 * EPS64 * (1.0 / (1.0 - s) + x64.abs());
        let back = activ::logit(s);
        prop_assert!((back - x64).abs() <= tol, "f64 x = {x64}: logit(sigmoid) = {back}");
    }

    #[test]
    fn leaky_relu_with_zero_slope_is_relu(x32 in any::<f32>(), x64 in any::<f64>()) {
        let y = LeakyRelu::new(0.0f32).unwrap().eval(x32);
        let r = activ::relu(x32);
        prop_assert!(y == r || (y.is_nan() && r.is_nan()), "f32 {x32}: {y} vs {r}");
        let y = LeakyRelu::new(0.0f64).unwrap().eval(x64);
        let r = activ::relu(x64);
        prop_assert!(y == r || (y.is_nan() && r.is_nan()), "f64 {x64}: {y} vs {r}");
    }
}

/// A row of logits: a spread, plus an offset that softmax must be invariant to.
fn row_f32() -> impl Strategy<Value = Vec<f32>> {
    (1usize..300, -50.0f32..50.0, 0.0f32..40.0).prop_flat_map(|(n, offset, spread)| {
        prop::collection::vec((-1.0f32..1.0).prop_map(move |u| offset + spread * u), n)
    })
}

fn row_f64() -> impl Strategy<Value = Vec<f64>> {
    (1usize..300, -500.0f64..500.0, 0.0f64..300.0).prop_flat_map(|(n, offset, spread)| {
        prop::collection::vec((-1.0f64..1.0).prop_map(move |u| offset + spread * u), n)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Each entry is within 1 ULP (relative 2ε) of the truth, so the sum is 1 within 2ε.
    #[test]
    fn softmax_rows_are_distributions(x32 in row_f32(), x64 in row_f64()) {
        let mut y = vec![0.0f32; x32.len()];
        activ::softmax(&x32, &mut y, 1, x32.len()).unwrap();
        prop_assert!(y.iter().all(|&v| v >= 0.0));
        let sum: f64 = y.iter().map(|&v| v as f64).sum();
        prop_assert!((sum - 1.0).abs() <= 2.0 * EPS32, "f32 sum {sum}");

        let mut y = vec![0.0f64; x64.len()];
        activ::softmax(&x64, &mut y, 1, x64.len()).unwrap();
        prop_assert!(y.iter().all(|&v| v >= 0.0));
        // Summing in f64 adds up to n/2 ULP of its own.
        let sum: f64 = y.iter().sum();
        let tol = (2.0 + y.len() as f64) * EPS64;
        prop_assert!((sum - 1.0).abs() <= tol, "f64 sum {sum}");
    }

    /// log_softmax = log(softmax) wherever softmax is a normal number: log of the rounded
    /// softmax is off by its relative rounding error, about ε, absolutely.
    #[test]
    fn log_softmax_is_log_of_softmax(x32 in row_f32(), x64 in row_f64()) {
        let n = x32.len();
        let (mut p, mut l) = (vec![0.0f32; n], vec![0.0f32; n]);
        activ::softmax(&x32, &mut p, 1, n).unwrap();
        activ::log_softmax(&x32, &mut l, 1, n).unwrap();
        for i in 0..n {
            if p[i].is_normal() {
                let want = (p[i] as f64).ln();
                let tol = 4.0 * EPS32 * want.abs().max(1.0);
                prop_assert!((l[i] as f64 - want).abs() <= tol, "f32 [{i}]: {} vs ln {}", l[i], want);
            }
        }
        let n = x64.len();
        let (mut p, mut l) = (vec![0.0f64; n], vec![0.0f64; n]);
        activ::softmax(&x64, &mut p, 1, n).unwrap();
        activ::log_softmax(&x64, &mut l, 1, n).unwrap();
        for i in 0..n {
            if p[i].is_normal() {
                let want = p[i].ln();
                let tol = 4.0 * EPS64 * want.abs().max(1.0);
                prop_assert!((l[i] - want).abs() <= tol, "f64 [{i}]: {} vs ln {}", l[i], want);
            }
        }
    }

    /// Adding a constant to a row leaves softmax unchanged (exactly when the shift is exact).
    #[test]
    fn softmax_is_shift_invariant(x in row_f64(), shift in -64i32..64) {
        let shifted: Vec<f64> = x.iter().map(|&v| v + shift as f64).collect();
        // Only rows where every shift was exact have the same true softmax.
        prop_assume!(x.iter().zip(&shifted).all(|(&a, &b)| b - shift as f64 == a));
        let n = x.len();
        let (mut p, mut q) = (vec![0.0; n], vec![0.0; n]);
        activ::softmax(&x, &mut p, 1, n).unwrap();
        activ::softmax(&shifted, &mut q, 1, n).unwrap();
        for i in 0..n {
            let tol = 4.0 * EPS64 * p[i].abs() + f64::from_bits(1);
            prop_assert!((p[i] - q[i]).abs() <= tol, "[{i}] {} vs {}", p[i], q[i]);
        }
    }
}

#[test]
fn errors_write_nothing() {
    use activ::Error;
    let x = [1.0f32, 2.0, 3.0];
    let mut y = [9.0f32; 2];
    assert_eq!(
        activ::Sigmoid.apply(&x, &mut y),
        Err(Error::LengthMismatch {
            expected: 3,
            found: 2
        })
    );
    assert_eq!(y, [9.0; 2]);

    let mut y = [9.0f32; 3];
    assert!(matches!(
        activ::softmax(&x, &mut y, 2, 2),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        activ::softmax(&x, &mut y, usize::MAX, 2),
        Err(Error::SizeOverflow)
    ));
    assert!(matches!(
        activ::Rows::strided(&x, 2, 2, 1),
        Err(Error::StrideTooSmall { stride: 1, cols: 2 })
    ));
    let mut out = [9.0f32; 2];
    assert!(matches!(
        activ::logsumexp(&x, &mut out, 1, 3),
        Err(Error::LengthMismatch { .. })
    ));
    assert_eq!(y, [9.0; 3]);
    assert_eq!(out, [9.0; 2]);

    assert!(matches!(
        activ::Celu::new(0.0f32),
        Err(Error::InvalidParameter { name: "alpha", .. })
    ));
    assert!(activ::Softplus::new(0.0f64).is_err());
    assert!(activ::Softplus::new(-1.0f64).is_err());
    assert!(activ::Softplus::new(f64::INFINITY).is_err());
    assert!(activ::LeakyRelu::new(f32::NAN).is_err());
    assert!(activ::Elu::new(f32::NEG_INFINITY).is_err());
    assert!(activ::LogitEps::new(0.6f64).is_err());
    assert!(activ::LogitEps::new(-0.1f32).is_err());
    assert!(activ::Softplus::new(1e-300f64).is_ok());
}
