//! Every form of a function gives the same bits: scalar, slice out of place at any offset
//! and length, slice in place, and every instruction-set path this CPU has. NaN payloads
//! included — bits are compared raw.

mod common;

use activ::{Elementwise, Float};
use proptest::prelude::*;

/// f32 inputs: any bit pattern half of the time (NaN, ±inf, subnormals), otherwise the
/// range where the functions bend.
fn f32_input() -> impl Strategy<Value = f32> {
    prop_oneof![any::<u32>().prop_map(f32::from_bits), -120.0f32..120.0]
}

fn f64_input() -> impl Strategy<Value = f64> {
    prop_oneof![any::<u64>().prop_map(f64::from_bits), -800.0f64..800.0]
}

/// Checks one function on one buffer: `xs[off..off+len]` against the scalar form.
fn check<T: Float, F: Elementwise<T>>(
    name: &str,
    f: F,
    xs: &[T],
    off: usize,
    out_off: usize,
    bits: impl Fn(T) -> u64,
) {
    let len = xs.len() - off;
    let x = &xs[off..];
    let expected: Vec<u64> = x.iter().map(|&v| bits(f.eval(v))).collect();

    // Out of place, at an output offset so the alignment differs from the input's.
    let mut buf = vec![T::ZERO; len + out_off];
    f.apply(x, &mut buf[out_off..]).unwrap();
    for (i, &v) in buf[out_off..].iter().enumerate() {
        assert_eq!(
            bits(v),
            expected[i],
            "{name}: slice element {i} of {len} (offset {off}) differs from scalar for {:?}",
            x[i]
        );
    }

    // In place.
    let mut inplace = x.to_vec();
    f.apply_in_place(&mut inplace);
    for (i, &v) in inplace.iter().enumerate() {
        assert_eq!(
            bits(v),
            expected[i],
            "{name}: in-place element {i} differs for {:?}",
            x[i]
        );
    }

    // Every path against the scalar form.
    for isa in activ::available_isas() {
        let mut y = vec![T::ZERO; len];
        activ::apply_on_isa(isa, &f, x, &mut y);
        for (i, &v) in y.iter().enumerate() {
            assert_eq!(
                bits(v),
                expected[i],
                "{name}: path {} element {i} differs for {:?}",
                isa.name(),
                x[i]
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn f32_slices_match_scalar(
        xs in prop::collection::vec(f32_input(), 0..1000),
        off in 0usize..16,
        out_off in 0usize..16,
    ) {
        let off = off.min(xs.len());
        for_each_elementwise!(f32, |name, f| {
            check(name, f, &xs, off, out_off, |v: f32| v.to_bits() as u64);
        });
    }

    #[test]
    fn f64_slices_match_scalar(
        xs in prop::collection::vec(f64_input(), 0..1000),
        off in 0usize..16,
        out_off in 0usize..16,
    ) {
        let off = off.min(xs.len());
        for_each_elementwise!(f64, |name, f| {
            check(name, f, &xs, off, out_off, |v: f64| v.to_bits());
        });
    }

    #[test]
    fn rows_forms_agree(
        rows in 0usize..5,
        cols in 0usize..40,
        pad in 0usize..4,
        seed in prop::collection::vec(-60.0f64..60.0, 200),
    ) {
        let n = rows * cols;
        let x: Vec<f64> = (0..n).map(|i| seed[i % seed.len()] * (1.0 + i as f64 * 1e-3)).collect();
        let masked = activ::MaskedRows::Zeros;

        let mut contiguous = vec![0.0; n];
        activ::softmax(&x, &mut contiguous, rows, cols).unwrap();
        let mut inplace = x.clone();
        activ::softmax_in_place(&mut inplace, rows, cols).unwrap();

        // The same matrix laid out with `pad` extra elements after each row.
        let stride = cols + pad;
        let mut xs = vec![7.0; rows * stride];
        for r in 0..rows {
            xs[r * stride..r * stride + cols].copy_from_slice(&x[r * cols..(r + 1) * cols]);
        }
        let mut ys = vec![-5.0; rows * stride];
        activ::softmax_rows(
            activ::Rows::strided(&xs, rows, cols, stride).unwrap(),
            activ::RowsMut::strided(&mut ys, rows, cols, stride).unwrap(),
            masked,
        ).unwrap();

        for r in 0..rows {
            for c in 0..cols {
                let want = contiguous[r * cols + c].to_bits();
                prop_assert_eq!(inplace[r * cols + c].to_bits(), want);
                prop_assert_eq!(ys[r * stride + c].to_bits(), want);
            }
            // Padding between rows is never written.
            for c in cols..stride {
                prop_assert_eq!(ys[r * stride + c], -5.0);
            }
        }

        let mut ls = vec![0.0; n];
        activ::log_softmax(&x, &mut ls, rows, cols).unwrap();
        let mut ls_inplace = x.clone();
        activ::log_softmax_in_place(&mut ls_inplace, rows, cols).unwrap();
        for i in 0..n {
            prop_assert_eq!(ls[i].to_bits(), ls_inplace[i].to_bits());
        }
    }
}
