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

// ---------------------------------------------------------------------------------------
// Backward passes: the same contract with two inputs. dx may be exactly dy or x (y for the
// softmax family), or both; the inputs may overlap each other; every result must equal the
// Rust API run on separate copies of the inputs, and nothing outside dx may change.

/// An elementwise function whose backward export is called, with its parameter.
#[derive(Clone, Copy, Debug)]
enum Grad {
    Sigmoid,
    LogSigmoid,
    Logit,
    LogitEps(f32),
    Relu,
    Relu6,
    LeakyRelu(f32),
    Elu(f32),
    Selu,
    Celu(f32),
    Softplus(f32),
    Tanh,
    Gelu,
    GeluTanh,
    Silu,
    Mish,
    Softsign,
    HardSigmoid,
    HardSwish,
}

const UNIT_GRADS: [Grad; 14] = [
    Grad::Sigmoid,
    Grad::LogSigmoid,
    Grad::Logit,
    Grad::Relu,
    Grad::Relu6,
    Grad::Selu,
    Grad::Tanh,
    Grad::Gelu,
    Grad::GeluTanh,
    Grad::Silu,
    Grad::Mish,
    Grad::Softsign,
    Grad::HardSigmoid,
    Grad::HardSwish,
];

/// Every function, with the PyTorch defaults as parameters.
const ALL_GRADS: [Grad; 19] = [
    Grad::Sigmoid,
    Grad::LogSigmoid,
    Grad::Logit,
    Grad::LogitEps(1e-6),
    Grad::Relu,
    Grad::Relu6,
    Grad::LeakyRelu(0.01),
    Grad::Elu(1.0),
    Grad::Selu,
    Grad::Celu(1.0),
    Grad::Softplus(1.0),
    Grad::Tanh,
    Grad::Gelu,
    Grad::GeluTanh,
    Grad::Silu,
    Grad::Mish,
    Grad::Softsign,
    Grad::HardSigmoid,
    Grad::HardSwish,
];

fn grad() -> impl Strategy<Value = Grad> {
    prop_oneof![
        prop::sample::select(UNIT_GRADS.to_vec()),
        parameter().prop_map(Grad::LogitEps),
        parameter().prop_map(Grad::LeakyRelu),
        parameter().prop_map(Grad::Elu),
        parameter().prop_map(Grad::Celu),
        parameter().prop_map(Grad::Softplus),
    ]
}

/// The Rust backward pass of `g` on separate slices; None when the parameter is invalid.
macro_rules! rust_backward {
    ($t:ty, $g:expr, $x:expr, $dy:expr, $dx:expr) => {{
        use activ_core::Derivative;
        fn run<F: Derivative<$t>>(
            f: Result<F, activ_core::Error>,
            x: &[$t],
            dy: &[$t],
            dx: &mut [$t],
        ) -> Option<()> {
            f.ok()?.backward(x, dy, dx).expect("equal lengths");
            Some(())
        }
        let (x, dy, dx) = ($x, $dy, $dx);
        match $g {
            Grad::Sigmoid => run(Ok(activ_core::Sigmoid), x, dy, dx),
            Grad::LogSigmoid => run(Ok(activ_core::LogSigmoid), x, dy, dx),
            Grad::Logit => run(Ok(activ_core::Logit), x, dy, dx),
            Grad::LogitEps(p) => run(activ_core::LogitEps::<$t>::new(p as $t), x, dy, dx),
            Grad::Relu => run(Ok(activ_core::Relu), x, dy, dx),
            Grad::Relu6 => run(Ok(activ_core::Relu6), x, dy, dx),
            Grad::LeakyRelu(p) => run(activ_core::LeakyRelu::<$t>::new(p as $t), x, dy, dx),
            Grad::Elu(p) => run(activ_core::Elu::<$t>::new(p as $t), x, dy, dx),
            Grad::Selu => run(Ok(activ_core::Selu), x, dy, dx),
            Grad::Celu(p) => run(activ_core::Celu::<$t>::new(p as $t), x, dy, dx),
            Grad::Softplus(p) => run(activ_core::Softplus::<$t>::new(p as $t), x, dy, dx),
            Grad::Tanh => run(Ok(activ_core::Tanh), x, dy, dx),
            Grad::Gelu => run(Ok(activ_core::Gelu), x, dy, dx),
            Grad::GeluTanh => run(Ok(activ_core::GeluTanh), x, dy, dx),
            Grad::Silu => run(Ok(activ_core::Silu), x, dy, dx),
            Grad::Mish => run(Ok(activ_core::Mish), x, dy, dx),
            Grad::Softsign => run(Ok(activ_core::Softsign), x, dy, dx),
            Grad::HardSigmoid => run(Ok(activ_core::HardSigmoid), x, dy, dx),
            Grad::HardSwish => run(Ok(activ_core::HardSwish), x, dy, dx),
        }
    }};
}

/// The element types, with their exports.
trait Elem: activ_core::Float + std::fmt::Debug {
    fn bits(self) -> u64;
    fn value() -> BoxedStrategy<Self>;
    /// # Safety
    /// As the exports.
    unsafe fn backward(
        g: Grad,
        x: *const Self,
        dy: *const Self,
        dx: *mut Self,
        n: usize,
    ) -> activ_status;
    fn rust_backward(g: Grad, x: &[Self], dy: &[Self], dx: &mut [Self]) -> Option<()>;
    /// # Safety
    /// As the exports.
    #[allow(clippy::too_many_arguments)]
    unsafe fn rows_backward(
        log: bool,
        y: *const Self,
        y_stride: usize,
        dy: *const Self,
        dy_stride: usize,
        dx: *mut Self,
        dx_stride: usize,
        rows: usize,
        cols: usize,
    ) -> activ_status;
    /// # Safety
    /// As the exports.
    unsafe fn rows_backward_contiguous(
        log: bool,
        y: *const Self,
        dy: *const Self,
        dx: *mut Self,
        rows: usize,
        cols: usize,
    ) -> activ_status;
    /// # Safety
    /// As the exports.
    #[allow(clippy::too_many_arguments)]
    unsafe fn logsumexp_backward(
        x: *const Self,
        x_stride: usize,
        dout: *const Self,
        dx: *mut Self,
        dx_stride: usize,
        rows: usize,
        cols: usize,
        masked: activ::activ_masked_rows_int,
    ) -> activ_status;
    /// # Safety
    /// As the exports.
    unsafe fn logsumexp_backward_contiguous(
        x: *const Self,
        dout: *const Self,
        dx: *mut Self,
        rows: usize,
        cols: usize,
    ) -> activ_status;
}

impl Elem for f32 {
    fn bits(self) -> u64 {
        self.to_bits().into()
    }
    fn value() -> BoxedStrategy<Self> {
        value().boxed()
    }
    unsafe fn backward(
        g: Grad,
        x: *const f32,
        dy: *const f32,
        dx: *mut f32,
        n: usize,
    ) -> activ_status {
        use activ::*;
        // SAFETY: forwarded contract.
        unsafe {
            match g {
                Grad::Sigmoid => activ_sigmoid_backward_f32(x, dy, dx, n),
                Grad::LogSigmoid => activ_log_sigmoid_backward_f32(x, dy, dx, n),
                Grad::Logit => activ_logit_backward_f32(x, dy, dx, n),
                Grad::LogitEps(p) => activ_logit_eps_backward_f32(x, dy, dx, n, p),
                Grad::Relu => activ_relu_backward_f32(x, dy, dx, n),
                Grad::Relu6 => activ_relu6_backward_f32(x, dy, dx, n),
                Grad::LeakyRelu(p) => activ_leaky_relu_backward_f32(x, dy, dx, n, p),
                Grad::Elu(p) => activ_elu_backward_f32(x, dy, dx, n, p),
                Grad::Selu => activ_selu_backward_f32(x, dy, dx, n),
                Grad::Celu(p) => activ_celu_backward_f32(x, dy, dx, n, p),
                Grad::Softplus(p) => activ_softplus_backward_f32(x, dy, dx, n, p),
                Grad::Tanh => activ_tanh_backward_f32(x, dy, dx, n),
                Grad::Gelu => activ_gelu_backward_f32(x, dy, dx, n),
                Grad::GeluTanh => activ_gelu_tanh_backward_f32(x, dy, dx, n),
                Grad::Silu => activ_silu_backward_f32(x, dy, dx, n),
                Grad::Mish => activ_mish_backward_f32(x, dy, dx, n),
                Grad::Softsign => activ_softsign_backward_f32(x, dy, dx, n),
                Grad::HardSigmoid => activ_hard_sigmoid_backward_f32(x, dy, dx, n),
                Grad::HardSwish => activ_hard_swish_backward_f32(x, dy, dx, n),
            }
        }
    }
    fn rust_backward(g: Grad, x: &[f32], dy: &[f32], dx: &mut [f32]) -> Option<()> {
        rust_backward!(f32, g, x, dy, dx)
    }
    unsafe fn rows_backward(
        log: bool,
        y: *const f32,
        y_stride: usize,
        dy: *const f32,
        dy_stride: usize,
        dx: *mut f32,
        dx_stride: usize,
        rows: usize,
        cols: usize,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            if log {
                activ::activ_log_softmax_backward_strided_f32(
                    y, y_stride, dy, dy_stride, dx, dx_stride, rows, cols,
                )
            } else {
                activ::activ_softmax_backward_strided_f32(
                    y, y_stride, dy, dy_stride, dx, dx_stride, rows, cols,
                )
            }
        }
    }
    unsafe fn rows_backward_contiguous(
        log: bool,
        y: *const f32,
        dy: *const f32,
        dx: *mut f32,
        rows: usize,
        cols: usize,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            if log {
                activ::activ_log_softmax_backward_f32(y, dy, dx, rows, cols)
            } else {
                activ::activ_softmax_backward_f32(y, dy, dx, rows, cols)
            }
        }
    }
    unsafe fn logsumexp_backward(
        x: *const f32,
        x_stride: usize,
        dout: *const f32,
        dx: *mut f32,
        dx_stride: usize,
        rows: usize,
        cols: usize,
        masked: activ::activ_masked_rows_int,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            activ::activ_logsumexp_backward_strided_f32(
                x, x_stride, dout, dx, dx_stride, rows, cols, masked,
            )
        }
    }
    unsafe fn logsumexp_backward_contiguous(
        x: *const f32,
        dout: *const f32,
        dx: *mut f32,
        rows: usize,
        cols: usize,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe { activ::activ_logsumexp_backward_f32(x, dout, dx, rows, cols) }
    }
}

impl Elem for f64 {
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn value() -> BoxedStrategy<Self> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0f64),
            Just(f64::from_bits(1)),
            Just(f64::MAX),
            -50.0f64..50.0,
            any::<u64>().prop_map(f64::from_bits),
        ]
        .boxed()
    }
    unsafe fn backward(
        g: Grad,
        x: *const f64,
        dy: *const f64,
        dx: *mut f64,
        n: usize,
    ) -> activ_status {
        use activ::*;
        let p = |p: f32| f64::from(p);
        // SAFETY: forwarded contract.
        unsafe {
            match g {
                Grad::Sigmoid => activ_sigmoid_backward_f64(x, dy, dx, n),
                Grad::LogSigmoid => activ_log_sigmoid_backward_f64(x, dy, dx, n),
                Grad::Logit => activ_logit_backward_f64(x, dy, dx, n),
                Grad::LogitEps(e) => activ_logit_eps_backward_f64(x, dy, dx, n, p(e)),
                Grad::Relu => activ_relu_backward_f64(x, dy, dx, n),
                Grad::Relu6 => activ_relu6_backward_f64(x, dy, dx, n),
                Grad::LeakyRelu(s) => activ_leaky_relu_backward_f64(x, dy, dx, n, p(s)),
                Grad::Elu(a) => activ_elu_backward_f64(x, dy, dx, n, p(a)),
                Grad::Selu => activ_selu_backward_f64(x, dy, dx, n),
                Grad::Celu(a) => activ_celu_backward_f64(x, dy, dx, n, p(a)),
                Grad::Softplus(b) => activ_softplus_backward_f64(x, dy, dx, n, p(b)),
                Grad::Tanh => activ_tanh_backward_f64(x, dy, dx, n),
                Grad::Gelu => activ_gelu_backward_f64(x, dy, dx, n),
                Grad::GeluTanh => activ_gelu_tanh_backward_f64(x, dy, dx, n),
                Grad::Silu => activ_silu_backward_f64(x, dy, dx, n),
                Grad::Mish => activ_mish_backward_f64(x, dy, dx, n),
                Grad::Softsign => activ_softsign_backward_f64(x, dy, dx, n),
                Grad::HardSigmoid => activ_hard_sigmoid_backward_f64(x, dy, dx, n),
                Grad::HardSwish => activ_hard_swish_backward_f64(x, dy, dx, n),
            }
        }
    }
    fn rust_backward(g: Grad, x: &[f64], dy: &[f64], dx: &mut [f64]) -> Option<()> {
        rust_backward!(f64, g, x, dy, dx)
    }
    unsafe fn rows_backward(
        log: bool,
        y: *const f64,
        y_stride: usize,
        dy: *const f64,
        dy_stride: usize,
        dx: *mut f64,
        dx_stride: usize,
        rows: usize,
        cols: usize,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            if log {
                activ::activ_log_softmax_backward_strided_f64(
                    y, y_stride, dy, dy_stride, dx, dx_stride, rows, cols,
                )
            } else {
                activ::activ_softmax_backward_strided_f64(
                    y, y_stride, dy, dy_stride, dx, dx_stride, rows, cols,
                )
            }
        }
    }
    unsafe fn rows_backward_contiguous(
        log: bool,
        y: *const f64,
        dy: *const f64,
        dx: *mut f64,
        rows: usize,
        cols: usize,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            if log {
                activ::activ_log_softmax_backward_f64(y, dy, dx, rows, cols)
            } else {
                activ::activ_softmax_backward_f64(y, dy, dx, rows, cols)
            }
        }
    }
    unsafe fn logsumexp_backward(
        x: *const f64,
        x_stride: usize,
        dout: *const f64,
        dx: *mut f64,
        dx_stride: usize,
        rows: usize,
        cols: usize,
        masked: activ::activ_masked_rows_int,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe {
            activ::activ_logsumexp_backward_strided_f64(
                x, x_stride, dout, dx, dx_stride, rows, cols, masked,
            )
        }
    }
    unsafe fn logsumexp_backward_contiguous(
        x: *const f64,
        dout: *const f64,
        dx: *mut f64,
        rows: usize,
        cols: usize,
    ) -> activ_status {
        // SAFETY: forwarded contract.
        unsafe { activ::activ_logsumexp_backward_f64(x, dout, dx, rows, cols) }
    }
}

/// Computed results: the same bits; under Miri two NaNs count as equal (see `same_results`).
fn same_elems<T: Elem>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| x.bits() == y.bits() || (cfg!(miri) && x.is_nan() && y.is_nan()))
}

/// Unchanged: the same bits, NaNs included (nothing was computed).
fn unchanged<T: Elem>(a: &[T], b: &[T]) -> bool {
    a.iter().zip(b).all(|(&x, &y)| x.bits() == y.bits())
}

fn ranges_overlap(a: std::ops::Range<usize>, b: std::ops::Range<usize>) -> bool {
    !a.is_empty() && !b.is_empty() && a.start < b.end && b.start < a.end
}

/// Makes dx exactly dy (1), exactly x (2) or both (3) more often than chance would.
fn apply_alias(alias: u8, x: usize, dy: usize, dx: usize) -> (usize, usize, usize) {
    match alias {
        1 => (x, dy, dy),
        2 => (x, dy, x),
        3 => (x, x, x),
        _ => (x, dy, dx),
    }
}

fn check_elementwise_backward<T: Elem>(
    data: Vec<T>,
    offsets: (usize, usize, usize),
    alias: u8,
    n_seed: usize,
    null: u8,
    g: Grad,
) -> Result<(), TestCaseError> {
    let (x_off, dy_off, dx_off) = apply_alias(alias, offsets.0, offsets.1, offsets.2);
    let n = n_seed % (LEN - x_off.max(dy_off).max(dx_off) + 1);
    let before = data.clone();
    let mut buf = data;
    let base = buf.as_mut_ptr();
    // SAFETY: offsets are within the buffer; n keeps every range inside it.
    let (x, dy, dx) = unsafe {
        (
            base.add(x_off).cast_const(),
            base.add(dy_off).cast_const(),
            base.add(dx_off),
        )
    };
    let (x, dy, dx) = match null {
        0 => (std::ptr::null(), dy, dx),
        1 => (x, std::ptr::null(), dx),
        2 => (x, dy, std::ptr::null_mut()),
        _ => (x, dy, dx),
    };
    // SAFETY: pointers are NULL or valid for n elements of buf.
    let status = unsafe { T::backward(g, x, dy, dx, n) };

    let (xr, dyr, dxr) = (x_off..x_off + n, dy_off..dy_off + n, dx_off..dx_off + n);
    let mut want = before.clone();
    let valid = T::rust_backward(
        g,
        &before[xr.clone()],
        &before[dyr.clone()],
        &mut want[dxr.clone()],
    );
    let partial = (x_off != dx_off && ranges_overlap(xr, dxr.clone()))
        || (dy_off != dx_off && ranges_overlap(dyr, dxr));
    let expected = if n == 0 {
        ACTIV_STATUS_OK
    } else if null < 3 {
        ACTIV_STATUS_NULL_POINTER
    } else if valid.is_none() {
        ACTIV_STATUS_INVALID_PARAMETER
    } else if partial {
        ACTIV_STATUS_OVERLAP
    } else {
        ACTIV_STATUS_OK
    };
    prop_assert_eq!(
        status,
        expected,
        "{:?} n={} offsets {} {} {}",
        g,
        n,
        x_off,
        dy_off,
        dx_off
    );
    if status != ACTIV_STATUS_OK || n == 0 {
        prop_assert!(unchanged(&buf, &before), "buffer changed on {:?}", status);
        return Ok(());
    }
    // dx as from separate buffers, and every element outside dx untouched.
    prop_assert!(
        same_elems(&buf, &want),
        "{:?} offsets {} {} {} n={}",
        g,
        x_off,
        dy_off,
        dx_off,
        n
    );
    Ok(())
}

/// Elements of a strided matrix: `(rows − 1)·stride + cols`, 0 when empty.
fn extent(rows: usize, cols: usize, stride: usize) -> usize {
    if rows == 0 || cols == 0 {
        0
    } else {
        (rows - 1) * stride + cols
    }
}

#[allow(clippy::too_many_arguments)]
fn check_rows_backward<T: Elem>(
    data: Vec<T>,
    offsets: (usize, usize, usize),
    strides: (usize, usize, usize),
    alias: u8,
    shape: (usize, usize),
    null: u8,
    log: bool,
    contiguous: bool,
) -> Result<(), TestCaseError> {
    let (rows, cols) = shape;
    let (y_off, dy_off, dx_off) = apply_alias(alias, offsets.0, offsets.1, offsets.2);
    let strides = if contiguous {
        (cols, cols, cols)
    } else {
        strides
    };
    let (y_stride, dy_stride, dx_stride) = apply_alias(alias, strides.0, strides.1, strides.2);
    let ext = |s: usize| extent(rows, cols, s);
    prop_assume!(
        y_off + ext(y_stride.max(cols)) <= LEN
            && dy_off + ext(dy_stride.max(cols)) <= LEN
            && dx_off + ext(dx_stride.max(cols)) <= LEN
    );
    let before = data.clone();
    let mut buf = data;
    let base = buf.as_mut_ptr();
    // SAFETY: offsets within the buffer; extents checked above.
    let (y, dy, dx) = unsafe {
        (
            base.add(y_off).cast_const(),
            base.add(dy_off).cast_const(),
            base.add(dx_off),
        )
    };
    let (y, dy, dx) = match null {
        0 => (std::ptr::null(), dy, dx),
        1 => (y, std::ptr::null(), dx),
        2 => (y, dy, std::ptr::null_mut()),
        _ => (y, dy, dx),
    };
    // SAFETY: pointers valid for their extents (when the strides are valid) or NULL.
    let status = unsafe {
        if contiguous {
            T::rows_backward_contiguous(log, y, dy, dx, rows, cols)
        } else {
            T::rows_backward(log, y, y_stride, dy, dy_stride, dx, dx_stride, rows, cols)
        }
    };
    let y_range = y_off..y_off + ext(y_stride);
    let dy_range = dy_off..dy_off + ext(dy_stride);
    let dx_range = dx_off..dx_off + ext(dx_stride);
    let partial = (!(y_off == dx_off && y_stride == dx_stride)
        && ranges_overlap(y_range.clone(), dx_range.clone()))
        || (!(dy_off == dx_off && dy_stride == dx_stride)
            && ranges_overlap(dy_range.clone(), dx_range.clone()));
    let expected = if rows == 0 || cols == 0 {
        ACTIV_STATUS_OK
    } else if null < 3 {
        ACTIV_STATUS_NULL_POINTER
    } else if y_stride < cols || dy_stride < cols || dx_stride < cols {
        ACTIV_STATUS_SIZE_OVERFLOW
    } else if partial {
        ACTIV_STATUS_OVERLAP
    } else {
        ACTIV_STATUS_OK
    };
    prop_assert_eq!(
        status,
        expected,
        "offsets {} {} {} strides {} {} {}",
        y_off,
        dy_off,
        dx_off,
        y_stride,
        dy_stride,
        dx_stride
    );
    if status != ACTIV_STATUS_OK || rows == 0 || cols == 0 {
        prop_assert!(unchanged(&buf, &before));
        return Ok(());
    }
    // The Rust strided function on separate copies; the gaps between dx's rows keep their bits.
    let mut want = before.clone();
    let yv = activ_core::Rows::strided(&before[y_range], rows, cols, y_stride).unwrap();
    let dyv = activ_core::Rows::strided(&before[dy_range], rows, cols, dy_stride).unwrap();
    let dxv = activ_core::RowsMut::strided(&mut want[dx_range], rows, cols, dx_stride).unwrap();
    if log {
        activ_core::log_softmax_backward_rows(yv, dyv, dxv).unwrap();
    } else {
        activ_core::softmax_backward_rows(yv, dyv, dxv).unwrap();
    }
    prop_assert!(
        same_elems(&buf, &want),
        "log={} offsets {} {} {} strides {} {} {}",
        log,
        y_off,
        dy_off,
        dx_off,
        y_stride,
        dy_stride,
        dx_stride
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn check_logsumexp_backward<T: Elem>(
    data: Vec<T>,
    offsets: (usize, usize, usize),
    strides: (usize, usize),
    in_place: bool,
    shape: (usize, usize),
    null: u8,
    masked: i32,
    contiguous: bool,
) -> Result<(), TestCaseError> {
    let (rows, cols) = shape;
    let (x_off, dout_off, mut dx_off) = offsets;
    let (x_stride, mut dx_stride) = if contiguous { (cols, cols) } else { strides };
    if in_place {
        (dx_off, dx_stride) = (x_off, x_stride);
    }
    let masked = if contiguous { 0 } else { masked };
    let ext = |s: usize| extent(rows, cols, s);
    let dout_len = if cols == 0 { 0 } else { rows };
    prop_assume!(
        x_off + ext(x_stride.max(cols)) <= LEN
            && dx_off + ext(dx_stride.max(cols)) <= LEN
            && dout_off + dout_len <= LEN
    );
    let before = data.clone();
    let mut buf = data;
    let base = buf.as_mut_ptr();
    // SAFETY: offsets within the buffer; extents checked above.
    let (x, dout, dx) = unsafe {
        (
            base.add(x_off).cast_const(),
            base.add(dout_off).cast_const(),
            base.add(dx_off),
        )
    };
    let (x, dout, dx) = match null {
        0 => (std::ptr::null(), dout, dx),
        1 => (x, std::ptr::null(), dx),
        2 => (x, dout, std::ptr::null_mut()),
        _ => (x, dout, dx),
    };
    // SAFETY: pointers valid for their extents (when the strides are valid) or NULL.
    let status = unsafe {
        if contiguous {
            T::logsumexp_backward_contiguous(x, dout, dx, rows, cols)
        } else {
            T::logsumexp_backward(x, x_stride, dout, dx, dx_stride, rows, cols, masked)
        }
    };
    let x_range = x_off..x_off + ext(x_stride);
    let dout_range = dout_off..dout_off + dout_len;
    let dx_range = dx_off..dx_off + ext(dx_stride);
    let partial = (!(x_off == dx_off && x_stride == dx_stride)
        && ranges_overlap(x_range.clone(), dx_range.clone()))
        || ranges_overlap(dout_range.clone(), dx_range.clone());
    let expected = if rows == 0 || cols == 0 {
        ACTIV_STATUS_OK
    } else if null < 3 {
        ACTIV_STATUS_NULL_POINTER
    } else if x_stride < cols || dx_stride < cols {
        ACTIV_STATUS_SIZE_OVERFLOW
    } else if masked > 1 {
        ACTIV_STATUS_INVALID_PARAMETER
    } else if partial {
        ACTIV_STATUS_OVERLAP
    } else {
        ACTIV_STATUS_OK
    };
    prop_assert_eq!(
        status,
        expected,
        "offsets {} {} {} strides {} {}",
        x_off,
        dout_off,
        dx_off,
        x_stride,
        dx_stride
    );
    if status != ACTIV_STATUS_OK || rows == 0 || cols == 0 {
        prop_assert!(unchanged(&buf, &before));
        return Ok(());
    }
    let policy = if masked == 0 {
        activ_core::MaskedRows::Zeros
    } else {
        activ_core::MaskedRows::Nan
    };
    let mut want = before.clone();
    let xv = activ_core::Rows::strided(&before[x_range], rows, cols, x_stride).unwrap();
    let dxv = activ_core::RowsMut::strided(&mut want[dx_range], rows, cols, dx_stride).unwrap();
    activ_core::logsumexp_backward_rows(xv, &before[dout_range], dxv, policy).unwrap();
    prop_assert!(
        same_elems(&buf, &want),
        "offsets {} {} {} strides {} {}",
        x_off,
        dout_off,
        dx_off,
        x_stride,
        dx_stride
    );
    Ok(())
}

fn offsets() -> impl Strategy<Value = (usize, usize, usize)> {
    (0usize..LEN, 0usize..LEN, 0usize..LEN)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 4 } else { 3000 }))]

    #[test]
    fn elementwise_backward_f32_keeps_the_contract(
        data in prop::collection::vec(<f32 as Elem>::value(), LEN),
        offs in offsets(),
        alias in 0u8..5,
        n_seed in 0usize..LEN,
        null in 0u8..8,
        g in grad(),
    ) {
        check_elementwise_backward::<f32>(data, offs, alias, n_seed, null, g)?;
    }

    #[test]
    fn elementwise_backward_f64_keeps_the_contract(
        data in prop::collection::vec(<f64 as Elem>::value(), LEN),
        offs in offsets(),
        alias in 0u8..5,
        n_seed in 0usize..LEN,
        null in 0u8..8,
        g in grad(),
    ) {
        check_elementwise_backward::<f64>(data, offs, alias, n_seed, null, g)?;
    }

    #[test]
    fn row_backward_f32_keeps_the_contract(
        data in prop::collection::vec(<f32 as Elem>::value(), LEN),
        offs in offsets(),
        strides in (0usize..12, 0usize..12, 0usize..12),
        alias in 0u8..5,
        shape in (0usize..5, 0usize..9),
        null in 0u8..8,
        log in any::<bool>(),
        contiguous in any::<bool>(),
    ) {
        check_rows_backward::<f32>(data, offs, strides, alias, shape, null, log, contiguous)?;
    }

    #[test]
    fn row_backward_f64_keeps_the_contract(
        data in prop::collection::vec(<f64 as Elem>::value(), LEN),
        offs in offsets(),
        strides in (0usize..12, 0usize..12, 0usize..12),
        alias in 0u8..5,
        shape in (0usize..5, 0usize..9),
        null in 0u8..8,
        log in any::<bool>(),
        contiguous in any::<bool>(),
    ) {
        check_rows_backward::<f64>(data, offs, strides, alias, shape, null, log, contiguous)?;
    }

    #[test]
    fn logsumexp_backward_f32_keeps_the_contract(
        data in prop::collection::vec(<f32 as Elem>::value(), LEN),
        offs in offsets(),
        strides in (0usize..12, 0usize..12),
        in_place in any::<bool>(),
        shape in (0usize..5, 0usize..9),
        null in 0u8..8,
        masked in 0i32..3,
        contiguous in any::<bool>(),
    ) {
        check_logsumexp_backward::<f32>(data, offs, strides, in_place, shape, null, masked, contiguous)?;
    }

    #[test]
    fn logsumexp_backward_f64_keeps_the_contract(
        data in prop::collection::vec(<f64 as Elem>::value(), LEN),
        offs in offsets(),
        strides in (0usize..12, 0usize..12),
        in_place in any::<bool>(),
        shape in (0usize..5, 0usize..9),
        null in 0u8..8,
        masked in 0i32..3,
        contiguous in any::<bool>(),
    ) {
        check_logsumexp_backward::<f64>(data, offs, strides, in_place, shape, null, masked, contiguous)?;
    }
}

/// Deterministic inputs with special values sprinkled in.
fn inputs<T: Elem>(n: usize, seed: u64) -> Vec<T> {
    let mut state = seed;
    (0..n)
        .map(|i| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let v = match i % 17 {
                0 => f64::NAN,
                1 => f64::INFINITY,
                2 => f64::NEG_INFINITY,
                3 => 0.0,
                4 => -3.0,
                5 => 6.0,
                _ => 24.0 * u - 12.0,
            };
            T::from_f64(v)
        })
        .collect()
}

#[test]
fn backward_aliasing_gives_the_bits_of_separate_buffers_across_blocks() {
    fn check<T: Elem>(g: Grad, n: usize) {
        let x: Vec<T> = inputs(n, 1);
        let dy: Vec<T> = inputs(n, 2);
        let mut want = vec![T::ZERO; n];
        T::rust_backward(g, &x, &dy, &mut want).unwrap();
        let mut want_same = vec![T::ZERO; n];
        T::rust_backward(g, &x, &x, &mut want_same).unwrap();

        let mut dx = vec![T::ZERO; n];
        // SAFETY: all three valid for n elements, dx disjoint from the inputs.
        let s = unsafe { T::backward(g, x.as_ptr(), dy.as_ptr(), dx.as_mut_ptr(), n) };
        assert_eq!(s, ACTIV_STATUS_OK);
        assert!(same_elems(&dx, &want), "{g:?} separate");

        let mut dy_dx = dy.clone();
        // SAFETY: dx == dy, valid for n elements; x disjoint.
        let s = unsafe { T::backward(g, x.as_ptr(), dy_dx.as_ptr(), dy_dx.as_mut_ptr(), n) };
        assert_eq!(s, ACTIV_STATUS_OK);
        assert!(same_elems(&dy_dx, &want), "{g:?} dx == dy");

        let mut x_dx = x.clone();
        // SAFETY: dx == x, valid for n elements; dy disjoint.
        let s = unsafe { T::backward(g, x_dx.as_ptr(), dy.as_ptr(), x_dx.as_mut_ptr(), n) };
        assert_eq!(s, ACTIV_STATUS_OK);
        assert!(same_elems(&x_dx, &want), "{g:?} dx == x");

        let mut all = x.clone();
        // SAFETY: x == dy == dx, valid for n elements.
        let s = unsafe { T::backward(g, all.as_ptr(), all.as_ptr(), all.as_mut_ptr(), n) };
        assert_eq!(s, ACTIV_STATUS_OK);
        assert!(same_elems(&all, &want_same), "{g:?} dx == x == dy");
    }
    // Longer than the blocks the in-place forms copy through (256 and 512 elements).
    let (grads, n) = if cfg!(miri) {
        (&ALL_GRADS[..2], 260)
    } else {
        (&ALL_GRADS[..], 1300)
    };
    for &g in grads {
        check::<f32>(g, n);
        check::<f64>(g, n);
    }
}

#[test]
fn backward_sizes_and_nulls_are_refused_before_anything_is_read() {
    let x = [1.0f32; 4];
    let mut dx = [42.0f32; 4];
    let (xp, dxp) = (x.as_ptr(), dx.as_mut_ptr());
    let too_many = libc::ptrdiff_t::MAX as usize / 4 + 1;
    // An address range that wraps around the address space (never dereferenced).
    let wrapping = std::ptr::without_provenance::<f32>(usize::MAX - 3);
    for g in ALL_GRADS {
        // SAFETY: every call is refused before a pointer is dereferenced, or has n == 0.
        unsafe {
            assert_eq!(
                f32::backward(
                    g,
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    0
                ),
                ACTIV_STATUS_OK
            );
            assert_eq!(
                f32::backward(g, xp, std::ptr::null(), dxp, 4),
                ACTIV_STATUS_NULL_POINTER
            );
            assert_eq!(
                f32::backward(g, xp, xp, dxp, usize::MAX),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::backward(g, xp, xp, dxp, too_many),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::backward(g, wrapping, xp, dxp, 2),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f64::backward(
                    g,
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    usize::MAX
                ),
                ACTIV_STATUS_NULL_POINTER
            );
        }
    }
    // SAFETY: as above.
    unsafe {
        for log in [false, true] {
            assert_eq!(
                f32::rows_backward_contiguous(log, xp, xp, dxp, usize::MAX, 2),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::rows_backward_contiguous(log, xp, xp, dxp, 1 << 62, 4),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::rows_backward(log, xp, 2, xp, 2, dxp, 1, 2, 2),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::rows_backward(log, xp, usize::MAX, xp, 2, dxp, 2, 2, 2),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::rows_backward(log, xp, 2, wrapping, 2, dxp, 2, 1, 2),
                ACTIV_STATUS_SIZE_OVERFLOW
            );
            assert_eq!(
                f32::rows_backward_contiguous(log, xp, xp, std::ptr::null_mut(), 2, 2),
                ACTIV_STATUS_NULL_POINTER
            );
            assert_eq!(
                f32::rows_backward_contiguous(
                    log,
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    0,
                    2
                ),
                ACTIV_STATUS_OK
            );
        }
        assert_eq!(
            f32::logsumexp_backward_contiguous(xp, xp, dxp, usize::MAX, usize::MAX),
            ACTIV_STATUS_SIZE_OVERFLOW
        );
        assert_eq!(
            f32::logsumexp_backward(xp, 1, xp, dxp, 2, 2, 2, 0),
            ACTIV_STATUS_SIZE_OVERFLOW
        );
        assert_eq!(
            f32::logsumexp_backward(xp, 2, wrapping, dxp, 2, 2, 2, 0),
            ACTIV_STATUS_SIZE_OVERFLOW
        );
        assert_eq!(
            f32::logsumexp_backward(xp, 2, xp, dxp, 2, 2, 2, 2),
            ACTIV_STATUS_INVALID_PARAMETER
        );
        assert_eq!(
            f32::logsumexp_backward(xp, 2, xp, dxp, 2, 2, 2, -1),
            ACTIV_STATUS_INVALID_PARAMETER
        );
        assert_eq!(
            f32::logsumexp_backward(xp, 2, std::ptr::null(), dxp, 2, 2, 2, 0),
            ACTIV_STATUS_NULL_POINTER
        );
        assert_eq!(
            f32::logsumexp_backward_contiguous(
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null_mut(),
                3,
                0
            ),
            ACTIV_STATUS_OK
        );
    }
    assert!(dx.iter().all(|&v| v == 42.0));
}

#[test]
fn backward_parameters_are_checked_like_the_forward() {
    let x = [0.5f32, -0.5];
    let mut dx = [42.0f32; 2];
    for p in [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -1.0,
        0.7,
        1e-3,
    ] {
        for (g, forward) in [
            (
                Grad::LeakyRelu(p),
                activ::activ_leaky_relu_f32
                    as unsafe extern "C" fn(*const f32, *mut f32, usize, f32) -> activ_status,
            ),
            (Grad::Elu(p), activ::activ_elu_f32),
            (Grad::Celu(p), activ::activ_celu_f32),
            (Grad::Softplus(p), activ::activ_softplus_f32),
            (Grad::LogitEps(p), activ::activ_logit_eps_f32),
        ] {
            let mut y = [0.0f32; 2];
            // SAFETY: all valid for 2 elements and disjoint.
            let (fwd, bwd) = unsafe {
                (
                    forward(x.as_ptr(), y.as_mut_ptr(), 2, p),
                    f32::backward(g, x.as_ptr(), x.as_ptr(), dx.as_mut_ptr(), 2),
                )
            };
            assert_eq!(fwd, bwd, "{g:?}");
            if bwd != ACTIV_STATUS_OK {
                assert_eq!(bwd, ACTIV_STATUS_INVALID_PARAMETER);
                assert!(dx.iter().all(|&v| v == 42.0));
            }
            dx = [42.0; 2];
        }
    }
}

#[test]
fn row_backward_aliasing_gives_the_bits_of_separate_buffers() {
    fn check<T: Elem>() {
        let (rows, cols, stride) = (3, 5, 7);
        let len = (rows - 1) * stride + cols;
        let y: Vec<T> = inputs(len, 3);
        let dy: Vec<T> = inputs(len, 4);
        for log in [false, true] {
            let mut want = vec![T::ZERO; len];
            let mut want_same = vec![T::ZERO; len];
            // SAFETY: all valid for len elements and disjoint.
            unsafe {
                let s = T::rows_backward(
                    log,
                    y.as_ptr(),
                    stride,
                    dy.as_ptr(),
                    stride,
                    want.as_mut_ptr(),
                    stride,
                    rows,
                    cols,
                );
                assert_eq!(s, ACTIV_STATUS_OK);
                let s = T::rows_backward(
                    log,
                    y.as_ptr(),
                    stride,
                    y.as_ptr(),
                    stride,
                    want_same.as_mut_ptr(),
                    stride,
                    rows,
                    cols,
                );
                assert_eq!(s, ACTIV_STATUS_OK);
            }
            let rows_of = |v: &[T]| -> Vec<T> {
                (0..rows)
                    .flat_map(|r| v[r * stride..][..cols].to_vec())
                    .collect()
            };
            let mut dy_dx = dy.clone();
            let mut y_dx = y.clone();
            let mut all = y.clone();
            // SAFETY: dx is exactly one or both inputs (same pointer and stride), else disjoint.
            unsafe {
                let s = T::rows_backward(
                    log,
                    y.as_ptr(),
                    stride,
                    dy_dx.as_ptr(),
                    stride,
                    dy_dx.as_mut_ptr(),
                    stride,
                    rows,
                    cols,
                );
                assert_eq!(s, ACTIV_STATUS_OK);
                let s = T::rows_backward(
                    log,
                    y_dx.as_ptr(),
                    stride,
                    dy.as_ptr(),
                    stride,
                    y_dx.as_mut_ptr(),
                    stride,
                    rows,
                    cols,
                );
                assert_eq!(s, ACTIV_STATUS_OK);
                let s = T::rows_backward(
                    log,
                    all.as_ptr(),
                    stride,
                    all.as_ptr(),
                    stride,
                    all.as_mut_ptr(),
                    stride,
                    rows,
                    cols,
                );
                assert_eq!(s, ACTIV_STATUS_OK);
            }
            assert!(
                same_elems(&rows_of(&dy_dx), &rows_of(&want)),
                "log={log} dx == dy"
            );
            assert!(
                same_elems(&rows_of(&y_dx), &rows_of(&want)),
                "log={log} dx == y"
            );
            assert!(
                same_elems(&rows_of(&all), &rows_of(&want_same)),
                "log={log} dx == y == dy"
            );
            // The gaps between rows keep their bits.
            for r in 0..rows - 1 {
                let gap = r * stride + cols..(r + 1) * stride;
                assert!(unchanged(&dy_dx[gap.clone()], &dy[gap.clone()]));
                assert!(unchanged(&y_dx[gap.clone()], &y[gap.clone()]));
                assert!(unchanged(&all[gap.clone()], &y[gap]));
            }
        }
        // logsumexp: dx == x.
        let dout: Vec<T> = inputs(rows, 5);
        let mut want = vec![T::ZERO; len];
        let mut x_dx = y.clone();
        // SAFETY: as above.
        unsafe {
            let s = T::logsumexp_backward(
                y.as_ptr(),
                stride,
                dout.as_ptr(),
                want.as_mut_ptr(),
                stride,
                rows,
                cols,
                1,
            );
            assert_eq!(s, ACTIV_STATUS_OK);
            let s = T::logsumexp_backward(
                x_dx.as_ptr(),
                stride,
                dout.as_ptr(),
                x_dx.as_mut_ptr(),
                stride,
                rows,
                cols,
                1,
            );
            assert_eq!(s, ACTIV_STATUS_OK);
        }
        for r in 0..rows {
            assert!(
                same_elems(&x_dx[r * stride..][..cols], &want[r * stride..][..cols]),
                "logsumexp dx == x"
            );
        }
    }
    check::<f32>();
    check::<f64>();
}
