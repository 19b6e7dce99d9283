//! The backward passes: agreement with central finite differences where the functions are
//! smooth, the kink and flat-piece conventions, bit identity across forms (scalar, slice,
//! in place, over the input) and instruction-set paths, and the softmax-family backward
//! against an MPFR reference. The ULP measurements over whole domains are `activ audit`'s
//! (crates/activ-audit).

mod common;

use activ::{Derivative, Float};

/// A xorshift generator: reproducible inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// Central differences of the f64 forward function: the error is about h²·|f‴|/6 from the
/// truncation plus 2^−52·|f|/h from the rounding of f, far below the tolerance here.
fn finite_difference_agrees<F: Derivative<f64>>(name: &str, f: &F, x: f64) {
    // A fixed step (the inputs stay within ±40, where the Gaussian tail of gelu bends on a
    // scale of 1/|x|), shrinking with the distance to logit's singularities at 0 and 1.
    let s = if name.starts_with("logit") {
        x.min(1.0 - x)
    } else {
        1.0
    };
    let h = s * 2f64.powi(-20);
    let fd = (f.eval(x + h) - f.eval(x - h)) / (2.0 * h);
    let g = f.derivative(x);
    let scale = g.abs() + f.eval(x).abs() / s + 1e-300;
    assert!(
        (fd - g).abs() <= 1e-7 * scale,
        "{name}: f'({x}) = {g}, central difference {fd}"
    );
}

/// Points where the function is smooth: away from its kinks by more than the step.
fn smooth_at(name: &str, x: f64) -> bool {
    let kinks: &[f64] = match name {
        n if n.starts_with("relu6") => &[0.0, 6.0],
        n if n.starts_with("hard") => &[-3.0, 3.0],
        n if n.starts_with("relu")
            || n.starts_with("leaky")
            || n.starts_with("elu")
            || n.starts_with("celu")
            || n.starts_with("selu")
            || n.starts_with("softsign") =>
        {
            &[0.0]
        }
        n if n.starts_with("logit") => &[0.0, 1e-3, 1.0 - 1e-3, 1.0],
        _ => &[],
    };
    kinks
        .iter()
        .all(|k| (x - k).abs() > 1e-3 * x.abs().max(1.0))
}

#[test]
fn derivatives_agree_with_central_differences() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for_each_elementwise!(f64, |name, f| {
        for i in 0..4000 {
            let x = if name.starts_with("logit") {
                rng.uniform(0.002, 0.998)
            } else if i % 2 == 0 {
                rng.uniform(-8.0, 8.0)
            } else {
                rng.uniform(-40.0, 40.0)
            };
            if smooth_at(name, x) {
                finite_difference_agrees(name, &f, x);
            }
        }
    });
}

#[test]
fn kinks_follow_pytorch() {
    use activ::*;
    assert_eq!(relu_grad(0.0f32), 0.0);
    assert_eq!(relu_grad(-0.0f64), 0.0);
    assert_eq!(relu_grad(1e-30f32), 1.0);
    assert_eq!(LeakyRelu::new(0.2f32).unwrap().derivative(0.0), 0.2);
    assert_eq!(LeakyRelu::new(0.2f64).unwrap().derivative(-0.0), 0.2);
    assert_eq!(relu6_grad(0.0f32), 0.0);
    assert_eq!(relu6_grad(6.0f64), 0.0);
    assert_eq!(relu6_grad(5.999f64), 1.0);
    assert_eq!(Elu::new(0.5f64).unwrap().derivative(0.0), 0.5);
    // λα = 1.75809934084737685994… rounds to 1.7580993408473768.
    assert_eq!(selu_grad(0.0f64), 1.7580993408473768);
    assert_eq!(selu_grad(1.0f32), 1.050_701);
    assert_eq!(Celu::new(2.0f64).unwrap().derivative(0.0), 1.0);
    assert_eq!(hard_sigmoid_grad(3.0f32), 0.0);
    assert_eq!(hard_sigmoid_grad(-3.0f64), 0.0);
    assert_eq!(hard_sigmoid_grad(0.0f64), 1.0 / 6.0);
    assert_eq!(hard_swish_grad(-3.0f32), -0.5);
    assert_eq!(hard_swish_grad(3.0f64), 1.5);
    assert_eq!(hard_swish_grad(-3.5f64), 0.0);
    assert_eq!(hard_swish_grad(3.5f32), 1.0);
    assert_eq!(hard_swish_grad(-1.5f64), 0.0);
    assert_eq!(logit_grad(0.5f64), 4.0);
    assert_eq!(logit_grad(0.0f32), f32::INFINITY);
    assert!(logit_grad(1.5f64).is_nan());
    let eps = LogitEps::new(0.1f64).unwrap();
    assert_eq!(eps.derivative(0.05), 0.0);
    assert_eq!(eps.derivative(0.5), 4.0);
}

#[test]
fn flat_pieces_give_positive_zero_whatever_dy() {
    use activ::*;
    for dy in [f32::NAN, f32::INFINITY, -1.0, -0.0] {
        assert_eq!(Relu.vjp(-1.0f32, dy).to_bits(), 0);
        assert_eq!(Relu6.vjp(7.0f32, dy).to_bits(), 0);
        assert_eq!(HardSigmoid.vjp(-4.0f32, dy).to_bits(), 0);
        assert_eq!(HardSwish.vjp(-4.0f32, dy).to_bits(), 0);
        assert_eq!(LeakyRelu::new(0.0f32).unwrap().vjp(-1.0, dy).to_bits(), 0);
    }
    // Elsewhere dx is dy·f′(x) with f′(x) exact: ∞ times a positive derivative below the
    // subnormals is ∞, ∞ times a derivative that is exactly 0 is NaN.
    assert_eq!(Sigmoid.vjp(-1000.0f64, f64::INFINITY), f64::INFINITY);
    assert!(Sigmoid.vjp(f64::NEG_INFINITY, f64::INFINITY).is_nan());
    assert!(HardSwish.vjp(-1.5f32, f32::INFINITY).is_nan());
    assert_eq!(Sigmoid.vjp(f64::INFINITY, 2.0).to_bits(), 0);
    assert_eq!(
        Silu.vjp(f64::INFINITY, f64::NEG_INFINITY),
        f64::NEG_INFINITY
    );
    assert_eq!(Relu.vjp(1.0f32, f32::INFINITY), f32::INFINITY);
    assert_eq!(Silu.vjp(2.0f64, f64::INFINITY), f64::INFINITY);
    assert_eq!(Sigmoid.vjp(200.0f64, f64::NEG_INFINITY), f64::NEG_INFINITY);
    assert_eq!(Sigmoid.vjp(1000.0f32, f32::INFINITY), f32::INFINITY);
    assert_eq!(Relu.vjp(2.0f64, -3.0), -3.0);
    // NaN x gives NaN, also on flat pieces' side.
    assert!(Relu.vjp(f32::NAN, 1.0).is_nan());
    assert!(Sigmoid.vjp(0.0f64, f64::NAN).is_nan());
    // Far below their roots the derivatives of GELU, GELU-tanh, SiLU and Mish are negative
    // and tiny, not 0: dx = −∞ for dy = +∞, and −0 (the sign of dy·f′) for dy = 1; at
    // x = −∞ they vanish (NaN for dy = ±∞). A zero dy keeps the IEEE sign of dy·f′(x).
    fn far_tail<F: Derivative<f32> + Derivative<f64>>(name: &str, f: &F, x: f64) {
        assert_eq!(
            f.vjp(x, f64::INFINITY),
            f64::NEG_INFINITY,
            "{name} f64 x = {x}"
        );
        assert_eq!(
            f.vjp(x as f32, f32::INFINITY),
            f32::NEG_INFINITY,
            "{name} f32 x = {x}"
        );
        assert_eq!(
            f.vjp(x, 1.0).to_bits(),
            (-0.0f64).to_bits(),
            "{name} f64 x = {x}"
        );
        assert_eq!(
            f.vjp(x as f32, 1.0).to_bits(),
            (-0.0f32).to_bits(),
            "{name} f32"
        );
        assert!(
            f.vjp(f64::NEG_INFINITY, f64::INFINITY).is_nan(),
            "{name} f64 at −∞"
        );
        assert!(
            f.vjp(f32::NEG_INFINITY, f32::INFINITY).is_nan(),
            "{name} f32 at −∞"
        );
        assert_eq!(
            f.vjp(1.0f64, -0.0).to_bits(),
            (-0.0f64).to_bits(),
            "{name} f64 dy = −0"
        );
        assert_eq!(
            f.vjp(1.0f32, -0.0).to_bits(),
            (-0.0f32).to_bits(),
            "{name} f32 dy = −0"
        );
    }
    far_tail("gelu", &Gelu, -70.0);
    far_tail("gelu_tanh", &GeluTanh, -70.0);
    far_tail("silu", &Silu, -2000.0);
    far_tail("mish", &Mish, -2000.0);
}

#[test]
fn tails_where_the_textbook_forms_fail() {
    use activ::*;
    // y(1 − y) is exactly 0 once σ rounds to 1.
    let y = sigmoid(30.0f32);
    assert_eq!(y * (1.0 - y), 0.0);
    let g = sigmoid_grad(30.0f32) as f64;
    let exact = (-30.0f64).exp() / (1.0 + (-30.0f64).exp()).powi(2);
    assert!((g / exact - 1.0).abs() < 1.2e-7, "{g} vs {exact}");
    // Subnormal derivatives are computed, not flushed.
    assert!(sigmoid_grad(-100.0f32) > 0.0);
    assert!(sigmoid_grad(-740.0f64) > 0.0);
    assert!(tanh_grad(-370.0f64) > 0.0);
    // 1 − tanh² is 0 in f32 from x = 10 on (and off by 2× at 9).
    let t = tanh(10.0f32);
    assert_eq!(1.0 - t * t, 0.0);
    assert!((tanh_grad(10.0f32) as f64 / 8.24461445577e-9 - 1.0).abs() < 1e-6);
    // dy·f′(x) is rounded once: a derivative below the subnormals times a large dy.
    let g = Sigmoid.vjp(-760.0f64, 1e300);
    let exact = (-760.0f64 + 300.0 * std::f64::consts::LN_10).exp();
    assert!((g / exact - 1.0).abs() < 1e-12, "{g} vs {exact}");
}

/// Checks every slice form, and every path, against the scalar `vjp`, bit for bit.
fn forms_match<T: Float, F: Derivative<T>>(
    name: &str,
    f: &F,
    x: &[T],
    dy: &[T],
    bits: fn(T) -> u64,
) {
    let expected: Vec<u64> = x.iter().zip(dy).map(|(&a, &b)| bits(f.vjp(a, b))).collect();
    let check = |form: &str, got: &[T]| {
        if let Some(i) = (0..x.len()).find(|&i| bits(got[i]) != expected[i]) {
            panic!(
                "{name} {form}: element {i} (x = {:?}, dy = {:?}) is {:?}, vjp gives {:?}",
                x[i],
                dy[i],
                got[i],
                f.vjp(x[i], dy[i])
            );
        }
    };
    let mut dx = vec![T::ZERO; x.len()];
    f.backward(x, dy, &mut dx).unwrap();
    check("backward", &dx);
    let mut d = dy.to_vec();
    f.backward_in_place(x, &mut d).unwrap();
    check("backward_in_place", &d);
    let mut xs = x.to_vec();
    f.backward_over_input(&mut xs, dy).unwrap();
    check("backward_over_input", &xs);
    for isa in activ::available_isas() {
        let mut dx = vec![T::ZERO; x.len()];
        activ::backward_on_isa(isa, f, x, dy, &mut dx);
        check(isa.name(), &dx);
    }
}

/// 2^20 + 5 inputs: every 4096th bit pattern (every binade, NaNs, infinities, subnormals),
/// with random dy of every magnitude, including NaN and infinities. Checked in two halves,
/// two tests, so that the harness runs them on two threads (they take minutes under qemu).
fn f32_backward_matches_on_half(half: usize) {
    let mut rng = Rng(0x0ddb_a11c_0ffe_e001);
    let n = (1usize << 20) + 5;
    let x: Vec<f32> = (0..n as u32)
        .map(|i| f32::from_bits(i.wrapping_mul(4096).wrapping_add(i >> 20)))
        .collect();
    let dy: Vec<f32> = (0..n)
        .map(|i| match i % 4 {
            0 => 1.0,
            1 => f32::from_bits(rng.next() as u32),
            _ => rng.uniform(-3.0, 3.0) as f32,
        })
        .collect();
    let part = if half == 0 { 0..n / 2 } else { n / 2..n };
    let (x, dy) = (&x[part.clone()], &dy[part]);
    eprintln!("paths: {:?}", activ::available_isas());
    for_each_elementwise!(f32, |name, f| {
        forms_match(name, &f, x, dy, |v: f32| v.to_bits() as u64);
    });
}

#[test]
fn f32_backward_is_the_same_bits_in_every_form_and_path_first_half() {
    f32_backward_matches_on_half(0);
}

#[test]
fn f32_backward_is_the_same_bits_in_every_form_and_path_second_half() {
    f32_backward_matches_on_half(1);
}

#[test]
fn f64_backward_is_the_same_bits_in_every_form_and_path() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let n = (1usize << 16) + 3;
    let x: Vec<f64> = (0..n)
        .map(|i| match i % 3 {
            0 => f64::from_bits(rng.next()),
            1 => rng.uniform(-800.0, 800.0),
            _ => rng.uniform(-4.0, 4.0),
        })
        .collect();
    let dy: Vec<f64> = (0..n)
        .map(|i| match i % 3 {
            0 => 1.0,
            1 => f64::from_bits(rng.next()),
            _ => rng.uniform(-3.0, 3.0),
        })
        .collect();
    for_each_elementwise!(f64, |name, f| {
        forms_match(name, &f, &x, &dy, |v: f64| v.to_bits());
    });
}

#[test]
fn backward_checks_lengths() {
    let x = [0.0f32; 3];
    let dy = [0.0f32; 2];
    let mut dx = [7.0f32; 3];
    assert!(activ::Sigmoid.backward(&x, &dy, &mut dx).is_err());
    assert_eq!(dx, [7.0; 3]);
    let mut d = [0.0f32; 4];
    assert!(activ::Sigmoid.backward_in_place(&x, &mut d).is_err());
}

// ---------------------------------------------------------------------------------------
// Softmax family.

// MPFR is a dev-dependency on x86-64 only (the aarch64 cross build of the tests under qemu
// has no cross-built GMP); these reference tests run on the x86-64 machines.
#[cfg(target_arch = "x86_64")]
mod rows {
    use super::Rng;
    use activ::{MaskedRows, Rows, RowsMut};
    use rug::Float as Big;

    const PREC: u32 = 200;

    fn big(v: f64) -> Big {
        Big::with_val(PREC, v)
    }

    /// dx = y ⊙ (dy − ⟨dy, y⟩) in MPFR from the given (rounded) y and dy.
    fn softmax_reference(y: &[f64], dy: &[f64]) -> Vec<Big> {
        let mut s = big(0.0);
        for (&a, &b) in y.iter().zip(dy) {
            s += big(a) * big(b);
        }
        y.iter()
            .zip(dy)
            .map(|(&a, &b)| big(a) * (big(b) - s.clone()))
            .collect()
    }

    /// dx = dy − e^y·Σ dy in MPFR.
    fn log_softmax_reference(y: &[f64], dy: &[f64]) -> Vec<Big> {
        let mut s = big(0.0);
        for &b in dy {
            s += big(b);
        }
        y.iter()
            .zip(dy)
            .map(|(&a, &b)| big(b) - big(a).exp() * s.clone())
            .collect()
    }

    /// The documented bound: 1 ULP of the result plus a multiple of the reduction's scale
    /// (2^−80 for softmax rows of at most 2^17 columns, 2^−59 for log_softmax).
    fn within(got: f64, exact: &Big, slack: f64, ulp_of: fn(f64) -> f64) -> bool {
        let e = exact.to_f64();
        let err = (big(got) - exact.clone()).abs().to_f64();
        err <= ulp_of(e) + slack
    }

    fn ulp32(v: f64) -> f64 {
        let v = (v as f32).abs();
        if v == 0.0 || v < f32::MIN_POSITIVE {
            return 2f64.powi(-149);
        }
        2f64.powi(v.log2().floor() as i32 - 23)
    }

    fn ulp64(v: f64) -> f64 {
        let v = v.abs();
        if v < f64::MIN_POSITIVE {
            return 2f64.powi(-1074);
        }
        2f64.powi(v.log2().floor() as i32 - 52)
    }

    /// A random row of logits and its softmax and log_softmax by activ.
    fn random_row(rng: &mut Rng, cols: usize, spread: f64) -> Vec<f64> {
        (0..cols).map(|_| rng.uniform(-spread, spread)).collect()
    }

    #[test]
    fn softmax_and_log_softmax_backward_match_mpfr() {
        let mut rng = Rng(0xfeed_beef_0000_0042);
        for (cols, spread) in [
            (1, 1.0),
            (3, 2.0),
            (17, 5.0),
            (100, 30.0),
            (1000, 3.0),
            (4099, 10.0),
        ] {
            for _ in 0..6 {
                let x = random_row(&mut rng, cols, spread);
                let dy: Vec<f64> = (0..cols).map(|_| rng.uniform(-2.0, 2.0)).collect();
                // f64.
                let mut y = vec![0.0; cols];
                activ::softmax(&x, &mut y, 1, cols).unwrap();
                let mut dx = vec![0.0; cols];
                activ::softmax_backward(&y, &dy, &mut dx, 1, cols).unwrap();
                let exact = softmax_reference(&y, &dy);
                let scale: f64 = y.iter().zip(&dy).map(|(a, b)| (a * b).abs()).sum();
                for j in 0..cols {
                    let slack = 2f64.powi(-80) * y[j].abs() * scale;
                    assert!(
                        within(dx[j], &exact[j], slack, ulp64),
                        "softmax f64 {cols}: {j}: {} vs {}",
                        dx[j],
                        exact[j]
                    );
                }
                let mut ly = vec![0.0; cols];
                activ::log_softmax(&x, &mut ly, 1, cols).unwrap();
                activ::log_softmax_backward(&ly, &dy, &mut dx, 1, cols).unwrap();
                let exact = log_softmax_reference(&ly, &dy);
                let sum: f64 = dy.iter().map(|v| v.abs()).sum();
                for j in 0..cols {
                    let slack = 2f64.powi(-59) * ly[j].exp() * sum;
                    assert!(
                        within(dx[j], &exact[j], slack, ulp64),
                        "log_softmax f64 {cols}: {j}: {} vs {}",
                        dx[j],
                        exact[j]
                    );
                }
                // f32: the reference takes the f32 inputs exactly.
                let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
                let dy32: Vec<f32> = dy.iter().map(|&v| v as f32).collect();
                let mut y32 = vec![0.0f32; cols];
                activ::softmax(&x32, &mut y32, 1, cols).unwrap();
                let mut dx32 = vec![0.0f32; cols];
                activ::softmax_backward(&y32, &dy32, &mut dx32, 1, cols).unwrap();
                let yw: Vec<f64> = y32.iter().map(|&v| v as f64).collect();
                let dw: Vec<f64> = dy32.iter().map(|&v| v as f64).collect();
                let exact = softmax_reference(&yw, &dw);
                for j in 0..cols {
                    assert!(
                        within(dx32[j] as f64, &exact[j], 0.0, ulp32),
                        "softmax f32 {cols}: {j}: {} vs {}",
                        dx32[j],
                        exact[j]
                    );
                }
                let mut ly32 = vec![0.0f32; cols];
                activ::log_softmax(&x32, &mut ly32, 1, cols).unwrap();
                activ::log_softmax_backward(&ly32, &dy32, &mut dx32, 1, cols).unwrap();
                let lw: Vec<f64> = ly32.iter().map(|&v| v as f64).collect();
                let exact = log_softmax_reference(&lw, &dw);
                for j in 0..cols {
                    assert!(
                        within(dx32[j] as f64, &exact[j], 0.0, ulp32),
                        "log_softmax f32 {cols}: {j}: {} vs {}",
                        dx32[j],
                        exact[j]
                    );
                }
            }
        }
    }

    #[test]
    fn softmax_backward_keeps_the_digits_of_near_cancellations() {
        // dy = constant + tiny: dy_j − ⟨dy, y⟩ is tiny, and the textbook form loses it.
        let y = [0.25f64, 0.25, 0.5];
        let dy = [1.0f64, 1.0 + 2f64.powi(-40), 1.0];
        let mut dx = [0.0; 3];
        activ::softmax_backward(&y, &dy, &mut dx, 1, 3).unwrap();
        let exact = softmax_reference(&y, &dy);
        for j in 0..3 {
            assert!(
                within(dx[j], &exact[j], 0.0, ulp64),
                "{j}: {} vs {}",
                dx[j],
                exact[j]
            );
        }
        // Σ_j dx_j = 0 exactly in exact arithmetic; here within rounding.
        assert!(dx.iter().sum::<f64>().abs() < 1e-25);
    }

    #[test]
    fn masked_rows_have_zero_or_nan_gradients() {
        let ninf = f64::NEG_INFINITY;
        let x = [ninf, ninf, ninf, 1.0, 2.0, 3.0];
        let dy = [f64::INFINITY, -1.0, 5.0, 1.0, 2.0, 3.0];
        // Zeros policy (the contiguous functions).
        let mut y = [0.0; 6];
        activ::softmax(&x, &mut y, 2, 3).unwrap();
        let mut dx = [9.0; 6];
        activ::softmax_backward(&y, &dy, &mut dx, 2, 3).unwrap();
        assert_eq!(
            dx[..3].iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            [0, 0, 0]
        );
        activ::log_softmax(&x, &mut y, 2, 3).unwrap();
        activ::log_softmax_backward(&y, &dy, &mut dx, 2, 3).unwrap();
        assert_eq!(
            dx[..3].iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            [0, 0, 0]
        );
        let dout = [f64::INFINITY, 1.0];
        activ::logsumexp_backward(&x, &dout, &mut dx, 2, 3).unwrap();
        assert_eq!(
            dx[..3].iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            [0, 0, 0]
        );
        // NaN policy.
        let xr = Rows::new(&x[..], 2, 3).unwrap();
        activ::softmax_rows(xr, RowsMut::new(&mut y[..], 2, 3).unwrap(), MaskedRows::Nan).unwrap();
        activ::softmax_backward(&y, &dy, &mut dx, 2, 3).unwrap();
        assert!(dx[..3].iter().all(|v| v.is_nan()));
        assert!(dx[3..].iter().all(|v| v.is_finite()));
        activ::log_softmax_rows(xr, RowsMut::new(&mut y[..], 2, 3).unwrap(), MaskedRows::Nan)
            .unwrap();
        activ::log_softmax_backward(&y, &dy, &mut dx, 2, 3).unwrap();
        assert!(dx[..3].iter().all(|v| v.is_nan()));
        activ::logsumexp_backward_rows(
            xr,
            &dout,
            RowsMut::new(&mut dx[..], 2, 3).unwrap(),
            MaskedRows::Nan,
        )
        .unwrap();
        assert!(dx[..3].iter().all(|v| v.is_nan()));
        assert!(dx[3..].iter().all(|v| v.is_finite()));
    }

    #[test]
    fn logsumexp_backward_is_softmax_times_dout() {
        let mut rng = Rng(0xabad_cafe_0000_0001);
        for cols in [1usize, 2, 7, 300] {
            let x = random_row(&mut rng, cols, 20.0);
            let mut p = vec![0.0; cols];
            activ::softmax(&x, &mut p, 1, cols).unwrap();
            let mut dx = vec![0.0; cols];
            activ::logsumexp_backward(&x, &[3.0], &mut dx, 1, cols).unwrap();
            for j in 0..cols {
                assert_eq!(dx[j], p[j] * 3.0);
            }
            let mut xs = x.clone();
            activ::logsumexp_backward_in_place(&mut xs, &[3.0], 1, cols).unwrap();
            assert_eq!(xs, dx);
        }
    }

    #[test]
    fn row_forms_and_paths_give_the_same_bits() {
        let mut rng = Rng(0x7777_0000_1111_2222);
        let (rows, cols, stride) = (5usize, 37usize, 40usize);
        let x: Vec<f32> = (0..rows * stride)
            .map(|_| rng.uniform(-6.0, 6.0) as f32)
            .collect();
        let dy: Vec<f32> = (0..rows * stride)
            .map(|_| rng.uniform(-2.0, 2.0) as f32)
            .collect();
        for log in [false, true] {
            let mut y = vec![0.0f32; rows * stride];
            let xr = Rows::strided(&x, rows, cols, stride).unwrap();
            let yr = RowsMut::strided(&mut y, rows, cols, stride).unwrap();
            if log {
                activ::log_softmax_rows(xr, yr, MaskedRows::Zeros).unwrap();
            } else {
                activ::softmax_rows(xr, yr, MaskedRows::Zeros).unwrap();
            }
            let mut separate = vec![0.0f32; rows * stride];
            let (yv, dyv) = (
                Rows::strided(&y, rows, cols, stride).unwrap(),
                Rows::strided(&dy, rows, cols, stride).unwrap(),
            );
            let out = RowsMut::strided(&mut separate, rows, cols, stride).unwrap();
            if log {
                activ::log_softmax_backward_rows(yv, dyv, out).unwrap();
            } else {
                activ::softmax_backward_rows(yv, dyv, out).unwrap();
            }
            let mut over_dy = dy.clone();
            let out = RowsMut::strided(&mut over_dy, rows, cols, stride).unwrap();
            if log {
                activ::log_softmax_backward_rows_in_place(yv, out).unwrap();
            } else {
                activ::softmax_backward_rows_in_place(yv, out).unwrap();
            }
            let mut over_y = y.clone();
            let out = RowsMut::strided(&mut over_y, rows, cols, stride).unwrap();
            if log {
                activ::log_softmax_backward_rows_over_output(out, dyv).unwrap();
            } else {
                activ::softmax_backward_rows_over_output(out, dyv).unwrap();
            }
            for r in 0..rows {
                let row = r * stride..r * stride + cols;
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&separate[row.clone()]), bits(&over_dy[row.clone()]));
                assert_eq!(bits(&separate[row.clone()]), bits(&over_y[row.clone()]));
                for isa in activ::available_isas() {
                    let mut dx = vec![0.0f32; cols];
                    activ::row_backward_on_isa(
                        isa,
                        log,
                        &y[row.clone()],
                        &dy[row.clone()],
                        &mut dx,
                    );
                    assert_eq!(bits(&dx), bits(&separate[row.clone()]), "{isa:?}");
                }
                // Padding between rows is untouched.
                assert!(separate[r * stride + cols..(r + 1) * stride]
                    .iter()
                    .all(|&v| v == 0.0));
            }
        }
    }
}

/// The `f32` backward kernels that compute f′(x) in plain `f64` against the `f64` kernel
/// (double-double) rounded to `f32`: the same bits for special inputs and dy (zeros,
/// infinities, NaN, subnormals, the clamps of the exponentials), and within one `f32` ULP
/// of each other on every 4093rd bit pattern of x with dy of every magnitude, differing
/// only where the value lies within a hair of a rounding boundary (fewer than 1 in 1000).
fn f32_backward_agrees_with_f64<F: Derivative<f32>, G: Derivative<f64>>(name: &str, f: &F, g: &G) {
    let specials = [
        0.0f32,
        1e-45,
        1e-40,
        f32::MIN_POSITIVE,
        1e-30,
        1e-8,
        0.25,
        0.5,
        0.75,
        1.0,
        1.2784645,
        0.75179154,
        0.7522,
        1.1916,
        1.403,
        1.153,
        0.877,
        0.627,
        38.0,
        40.0,
        60.0,
        2.0,
        17.0,
        30.0,
        88.0,
        104.0,
        150.0,
        192.0,
        350.0,
        700.0,
        800.0,
        1e30,
        f32::MAX,
        f32::INFINITY,
    ];
    let dys = [
        0.0f32,
        1.0,
        1e-45,
        1e-30,
        3.0,
        1e30,
        f32::MAX,
        f32::INFINITY,
        f32::NAN,
    ];
    let mut xs: Vec<f32> = specials.iter().flat_map(|&v| [v, -v]).collect();
    xs.push(f32::NAN);
    xs.push(1.0 - f32::EPSILON / 2.0);
    let reference = |x: f32, dy: f32| g.vjp(x as f64, dy as f64) as f32;
    for &x in &xs {
        for dy in dys.iter().flat_map(|&v| [v, -v]) {
            let (got, want) = (f.vjp(x, dy), reference(x, dy));
            let same = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
            assert!(
                same,
                "{name}: x = {x:e}, dy = {dy:e}: {got:e}, the f64 kernel {want:e}"
            );
        }
    }
    let mut rng = Rng(0x5eed_f00d_dead_beef);
    let (mut checked, mut differ) = (0u64, 0u64);
    for i in 0..(1u64 << 32) / 4093 {
        let x = f32::from_bits((i * 4093) as u32);
        let dy = match i % 3 {
            0 => 1.0,
            1 => rng.uniform(-3.0, 3.0) as f32,
            _ => f32::from_bits(rng.next() as u32 & 0x7fff_ffff),
        };
        let (got, want) = (f.vjp(x, dy), reference(x, dy));
        if want.is_nan() || got.is_nan() {
            assert!(
                got.is_nan() && want.is_nan(),
                "{name}: x = {x:e}, dy = {dy:e}"
            );
            continue;
        }
        checked += 1;
        if got.to_bits() != want.to_bits() {
            differ += 1;
            let apart = (got.to_bits() as i64 - want.to_bits() as i64).abs();
            assert!(
                apart == 1 && got.is_finite() == want.is_finite(),
                "{name}: x = {x:e}, dy = {dy:e}: {got:e}, the f64 kernel {want:e}"
            );
        }
    }
    // They differ where dy·f′(x) lies within about 2^−38 (2^−31 where the kernel's
    // exponential is the 2^−32 one) relative of a rounding boundary: rarely (at most 47 in a
    // million for sigmoid on 2026-12-07), except where α·dy is exactly halfway between two
    // `f32` (ELU with α = 3 next to x = −0, where e^x rounds to 1 in plain `f64`): 80 of a
    // million there on 2026-12-07.
    eprintln!("{name}: {differ} of {checked} one ULP apart");
    assert!(
        differ * 1000 < checked,
        "{name}: {differ} of {checked} differ"
    );
}

#[test]
fn f32_backward_in_plain_f64_agrees_with_the_f64_kernel() {
    f32_backward_agrees_with_f64("sigmoid", &activ::Sigmoid, &activ::Sigmoid);
    f32_backward_agrees_with_f64("log_sigmoid", &activ::LogSigmoid, &activ::LogSigmoid);
    f32_backward_agrees_with_f64("logit", &activ::Logit, &activ::Logit);
    let (e32, e64) = (
        activ::LogitEps::new(1e-3f32).unwrap(),
        activ::LogitEps::new(1e-3f32 as f64).unwrap(),
    );
    f32_backward_agrees_with_f64("logit_eps", &e32, &e64);
    f32_backward_agrees_with_f64("tanh", &activ::Tanh, &activ::Tanh);
    f32_backward_agrees_with_f64("softsign", &activ::Softsign, &activ::Softsign);
    f32_backward_agrees_with_f64("selu", &activ::Selu, &activ::Selu);
    f32_backward_agrees_with_f64("silu", &activ::Silu, &activ::Silu);
    f32_backward_agrees_with_f64("mish", &activ::Mish, &activ::Mish);
    f32_backward_agrees_with_f64("gelu", &activ::Gelu, &activ::Gelu);
    f32_backward_agrees_with_f64("gelu_tanh", &activ::GeluTanh, &activ::GeluTanh);
    for a in [1.0f32, 0.5, -2.0, 1e-20, 3.0] {
        let (f, g) = (
            activ::Elu::new(a).unwrap(),
            activ::Elu::new(a as f64).unwrap(),
        );
        f32_backward_agrees_with_f64(&format!("elu({a})"), &f, &g);
        let (f, g) = (
            activ::Celu::new(a).unwrap(),
            activ::Celu::new(a as f64).unwrap(),
        );
        f32_backward_agrees_with_f64(&format!("celu({a})"), &f, &g);
    }
    for b in [1.0f32, 3.0, 1e-3, 100.0] {
        let (f, g) = (
            activ::Softplus::new(b).unwrap(),
            activ::Softplus::new(b as f64).unwrap(),
        );
        f32_backward_agrees_with_f64(&format!("softplus({b})"), &f, &g);
    }
}
