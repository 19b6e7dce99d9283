//! A proptest harness over the C ABI: random lengths, pointers into one shared buffer (so the
//! overlap logic is exercised), random parameters and special values. After every call it
//! checks the status against the contract, that nothing outside the output range changed,
//! that nothing at all changed on error, and that successful results equal the Rust API.

use activ::activ_status::{self, *};
use activ_core::Elementwise;
use proptest::prelude::*;

// Small under Miri, which interprets every instruction of the kernels.
const LEN: usize = if cfg!(miri) { 20 } else { 96 };

fn value() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(-0.0f32),
        Just(f32::from_bits(1)),
        Just(f32::MAX),
        -50.0f32..50.0,
        any::<u32>().prop_map(f32::from_bits),
    ]
}

fn parameter() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(0.0f32),
        Just(-1.0f32),
        Just(0.5f32),
        Just(0.7f32),
        0.001f32..3.0,
    ]
}

/// Which export to call, with the Rust equivalent (None when the parameter is invalid).
#[derive(Clone, Copy, Debug)]
enum Func {
    Sigmoid,
    LeakyRelu(f32),
    Elu(f32),
    Celu(f32),
    Softplus(f32),
    LogitEps(f32),
}

fn func() -> impl Strategy<Value = Func> {
    prop_oneof![
        Just(Func::Sigmoid),
        parameter().prop_map(Func::LeakyRelu),
        parameter().prop_map(Func::Elu),
        parameter().prop_map(Func::Celu),
        parameter().prop_map(Func::Softplus),
        parameter().prop_map(Func::LogitEps),
    ]
}

impl Func {
    /// # Safety
    /// As the exports: pointers valid for n elements unless NULL.
    unsafe fn call(self, x: *const f32, y: *mut f32, n: usize) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            match self {
                Func::Sigmoid => activ::activ_sigmoid_f32(x, y, n),
                Func::LeakyRelu(p) => activ::activ_leaky_relu_f32(x, y, n, p),
                Func::Elu(p) => activ::activ_elu_f32(x, y, n, p),
                Func::Celu(p) => activ::activ_celu_f32(x, y, n, p),
                Func::Softplus(p) => activ::activ_softplus_f32(x, y, n, p),
                Func::LogitEps(p) => activ::activ_logit_eps_f32(x, y, n, p),
            }
        }
    }

    fn rust(self) -> Option<Box<dyn Fn(f32) -> f32>> {
        fn boxed<F: Elementwise<f32> + 'static>(f: F) -> Option<Box<dyn Fn(f32) -> f32>> {
            Some(Box::new(move |x| f.eval(x)))
        }
        match self {
            Func::Sigmoid => boxed(activ_core::Sigmoid),
            Func::LeakyRelu(p) => activ_core::LeakyRelu::new(p).ok().and_then(boxed),
            Func::Elu(p) => activ_core::Elu::new(p).ok().and_then(boxed),
            Func::Celu(p) => activ_core::Celu::new(p).ok().and_then(boxed),
            Func::Softplus(p) => activ_core::Softplus::new(p).ok().and_then(boxed),
            Func::LogitEps(p) => activ_core::LogitEps::new(p).ok().and_then(boxed),
        }
    }
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Computed results: the same bits, except that under Miri (which makes the sign and payload
/// of computed NaNs random) two NaNs count as equal.
fn same_results(a: &[f32], b: &[f32]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| x.to_bits() == y.to_bits() || (cfg!(miri) && x.is_nan() && y.is_nan()))
}

proptest! {
    // Miri interprets every instruction: a handful of cases there, thousands natively.
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 4 } else { 3000 }))]

    #[test]
    fn elementwise_calls_keep_the_contract(
        data in prop::collection::vec(value(), LEN),
        x_off in 0usize..LEN,
        y_off in 0usize..LEN,
        n_seed in 0usize..LEN,
        null in 0u8..6,
        f in func(),
    ) {
        let n = n_seed % (LEN - x_off.max(y_off) + 1);
        let before = data.clone();
        let mut buf = data;
        let base = buf.as_mut_ptr();
        // SAFETY: offsets are within the buffer; n keeps both ranges inside it.
        let (x, y) = unsafe { (base.add(x_off).cast_const(), base.add(y_off)) };
        let (x, y) = match null {
            0 => (std::ptr::null(), y),
            1 => (x, std::ptr::null_mut()),
            _ => (x, y),
        };
        // SAFETY: pointers are NULL or valid for n elements of buf.
        let status = unsafe { f.call(x, y, n) };

        let rust = f.rust();
        let overlapping = x_off != y_off && x_off < y_off + n && y_off < x_off + n;
        let expected = if n == 0 {
            ACTIV_STATUS_OK
        } else if null < 2 {
            ACTIV_STATUS_NULL_POINTER
        } else if rust.is_none() {
            ACTIV_STATUS_INVALID_PARAMETER
        } else if overlapping {
            ACTIV_STATUS_OVERLAP
        } else {
            ACTIV_STATUS_OK
        };
        prop_assert_eq!(status, expected, "{:?} n={} x_off={} y_off={}", f, n, x_off, y_off);

        if status != ACTIV_STATUS_OK || n == 0 {
            prop_assert!(same_bits(&buf, &before), "buffer changed on {:?}", status);
            return Ok(());
        }
        let rust = rust.unwrap();
        for i in 0..LEN {
            let want = if (y_off..y_off + n).contains(&i) {
                rust(before[x_off + (i - y_off)])
            } else {
                before[i]
            };
            // Miri makes the sign and payload of every NaN an operation produces random (Rust
            // leaves them unspecified), so there only NaN-ness is compared; natively the bits
            // must match, NaNs included.
            let same = buf[i].to_bits() == want.to_bits() || (cfg!(miri) && buf[i].is_nan() && want.is_nan());
            prop_assert!(same, "element {} ({:?}): {:?} vs {:?}", i, f, buf[i], want);
        }
    }

    #[test]
    fn row_calls_keep_the_contract(
        data in prop::collection::vec(value(), LEN),
        x_off in 0usize..LEN,
        y_off in 0usize..LEN,
        rows in 0usize..5,
        cols in 0usize..9,
        x_stride in 0usize..12,
        y_stride in 0usize..12,
        masked in 0i32..3,
        log in any::<bool>(),
    ) {
        let extent = |stride: usize| if rows == 0 || cols == 0 { 0 } else { (rows - 1) * stride + cols };
        // Keep every valid call inside the buffer.
        prop_assume!(x_off + extent(x_stride.max(cols)) <= LEN && y_off + extent(y_stride.max(cols)) <= LEN);
        let before = data.clone();
        let mut buf = data;
        let base = buf.as_mut_ptr();
        // SAFETY: offsets within the buffer; extents checked above.
        let (x, y) = unsafe { (base.add(x_off).cast_const(), base.add(y_off)) };
        let policy = masked as activ::activ_masked_rows_int;
        // SAFETY: pointers valid for their extents (when the strides are valid).
        let status = unsafe {
            if log {
                activ::activ_log_softmax_strided_f32(x, x_stride, y, y_stride, rows, cols, policy)
            } else {
                activ::activ_softmax_strided_f32(x, x_stride, y, y_stride, rows, cols, policy)
            }
        };
        let x_range = x_off..x_off + extent(x_stride);
        let y_range = y_off..y_off + extent(y_stride);
        let overlapping = !(x_off == y_off && x_stride == y_stride)
            && x_range.start < y_range.end && y_range.start < x_range.end;
        let expected = if rows == 0 || cols == 0 {
            ACTIV_STATUS_OK
        } else if x_stride < cols || y_stride < cols {
            ACTIV_STATUS_SIZE_OVERFLOW
        } else if masked > 1 {
            ACTIV_STATUS_INVALID_PARAMETER
        } else if overlapping {
            ACTIV_STATUS_OVERLAP
        } else {
            ACTIV_STATUS_OK
        };
        prop_assert_eq!(status, expected);
        if status != ACTIV_STATUS_OK || rows == 0 || cols == 0 {
            prop_assert!(same_bits(&buf, &before));
            return Ok(());
        }
        // Compare with the Rust API, row by row, and check that only output rows changed.
        let policy = if masked == 0 { activ_core::MaskedRows::Zeros } else { activ_core::MaskedRows::Nan };
        let mut expect = before.clone();
        for r in 0..rows {
            let row: Vec<f32> = before[x_off + r * x_stride..][..cols].to_vec();
            let mut out = vec![0.0f32; cols];
            let view = activ_core::Rows::new(&row, 1, cols).unwrap();
            let out_view = activ_core::RowsMut::new(&mut out, 1, cols).unwrap();
            if log {
                activ_core::log_softmax_rows(view, out_view, policy).unwrap();
            } else {
                activ_core::softmax_rows(view, out_view, policy).unwrap();
            }
            expect[y_off + r * y_stride..][..cols].copy_from_slice(&out);
        }
        prop_assert!(same_results(&buf, &expect));
    }
}
