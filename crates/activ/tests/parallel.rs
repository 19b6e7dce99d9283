//! With the `parallel` feature, long slices and large matrices are split across threads;
//! the results must be the single-thread bits. Run by CI as
//! `cargo test -p activ --features parallel --test parallel`.
#![cfg(feature = "parallel")]

mod common;

use activ::{Elementwise, Float};

fn check<T: Float, F: Elementwise<T>>(name: &str, f: F, x: &[T], bits: impl Fn(T) -> u64) {
    let mut y = vec![T::ZERO; x.len()];
    f.apply(x, &mut y).unwrap();
    let mut z = x.to_vec();
    f.apply_in_place(&mut z);
    for i in 0..x.len() {
        let e = bits(f.eval(x[i]));
        assert_eq!(bits(y[i]), e, "{name}: element {i} of a parallel apply");
        assert_eq!(
            bits(z[i]),
            e,
            "{name}: element {i} of a parallel apply_in_place"
        );
    }
}

#[test]
fn long_slices_match_the_scalar_form() {
    let n = (1 << 18) + 7;
    let x32: Vec<f32> = (0..n).map(|i| ((i as f32) * 0.618).sin() * 90.0).collect();
    let x64: Vec<f64> = x32.iter().map(|&v| v as f64).collect();
    for_each_elementwise!(f32, |name, f| {
        check(name, f, &x32, |v: f32| v.to_bits() as u64);
    });
    for_each_elementwise!(f64, |name, f| {
        check(name, f, &x64, |v: f64| v.to_bits());
    });
}

#[test]
fn large_matrices_match_row_by_row() {
    let (rows, cols, stride) = (300, 257, 260);
    let x: Vec<f32> = (0..rows * stride)
        .map(|i| ((i as f32) * 0.37).cos() * 30.0)
        .collect();
    for log in [false, true] {
        let mut y = vec![0.0f32; rows * stride];
        let xr = activ::Rows::strided(&x, rows, cols, stride).unwrap();
        let yr = activ::RowsMut::strided(&mut y, rows, cols, stride).unwrap();
        if log {
            activ::log_softmax_rows(xr, yr, activ::MaskedRows::Zeros).unwrap();
        } else {
            activ::softmax_rows(xr, yr, activ::MaskedRows::Zeros).unwrap();
        }
        for r in 0..rows {
            let mut row = x[r * stride..r * stride + cols].to_vec();
            let isa = activ::active_isa();
            activ::row_softmax_on_isa(isa, &mut row, activ::MaskedRows::Zeros, log);
            for j in 0..cols {
                assert_eq!(
                    y[r * stride + j].to_bits(),
                    row[j].to_bits(),
                    "row {r} col {j}"
                );
            }
        }
    }
}

fn check_backward<T: Float, F: activ::Derivative<T>>(
    name: &str,
    f: F,
    x: &[T],
    dy: &[T],
    bits: impl Fn(T) -> u64,
) {
    let mut dx = vec![T::ZERO; x.len()];
    f.backward(x, dy, &mut dx).unwrap();
    let mut over_dy = dy.to_vec();
    f.backward_in_place(x, &mut over_dy).unwrap();
    let mut over_x = x.to_vec();
    f.backward_over_input(&mut over_x, dy).unwrap();
    for i in 0..x.len() {
        let e = bits(f.vjp(x[i], dy[i]));
        assert_eq!(bits(dx[i]), e, "{name}: element {i} of a parallel backward");
        assert_eq!(
            bits(over_dy[i]),
            e,
            "{name}: element {i} of backward_in_place"
        );
        assert_eq!(
            bits(over_x[i]),
            e,
            "{name}: element {i} of backward_over_input"
        );
    }
}

#[test]
fn long_backward_passes_match_the_scalar_form() {
    let n = (1 << 17) + 9;
    let x32: Vec<f32> = (0..n).map(|i| ((i as f32) * 0.618).sin() * 90.0).collect();
    let dy32: Vec<f32> = (0..n).map(|i| ((i as f32) * 0.377).cos() * 3.0).collect();
    let x64: Vec<f64> = x32.iter().map(|&v| v as f64).collect();
    let dy64: Vec<f64> = dy32.iter().map(|&v| v as f64).collect();
    for_each_elementwise!(f32, |name, f| {
        check_backward(name, f, &x32, &dy32, |v: f32| v.to_bits() as u64);
    });
    for_each_elementwise!(f64, |name, f| {
        check_backward(name, f, &x64, &dy64, |v: f64| v.to_bits());
    });
}
