//! Speed of the backward passes, beside the forward benchmarks: every elementwise
//! function's `backward` (dx = dy·f′(x)) for f32 and f64, and the softmax-family row
//! backward passes, each timed in the same run as `copy_from_slice` (the bandwidth ceiling
//! of one read and one write; a backward pass reads two arrays) and, where a textbook form
//! exists, the naive loop from the forward output (`dy·y·(1 − y)`, `dy·(1 − y²)`, …).
//!
//! ```sh
//! cargo bench -p activ --bench backward                 # everything (about 6 minutes)
//! cargo bench -p activ --bench backward -- sigmoid/f32   # a regex over the names
//! ```
//!
//! Names: `backward/<function>/<type>/<activ|copy|naive>/<n>`. Single thread.

use std::hint::black_box;
use std::time::Duration;

use activ::Derivative;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

// Shared with the forward benchmarks; this one uses the input generator and `Real` only.
#[allow(dead_code)]
mod common;
use common::{Domain, Real};

/// L1, L2 and L3 sizes (the 16M DRAM case is the forward benchmarks'; a backward pass is
/// a forward pass's traffic plus one array).
const SIZES: [usize; 3] = [4096, 65536, 262144];

/// The textbook backward from the forward output y, as training frameworks write it.
type Naive<T> = Option<fn(T, T) -> T>;

fn one<T: Real, F: Derivative<T>>(
    c: &mut Criterion,
    name: &str,
    f: F,
    naive: Naive<T>,
    domain: Domain,
) {
    let n_max = SIZES[SIZES.len() - 1];
    let x_all = common::inputs::<T>(n_max, domain);
    let dy_all = common::inputs::<T>(n_max, Domain::Unit);
    let mut y_all = vec![T::c(0.0); n_max];
    f.apply(&x_all, &mut y_all).unwrap();
    let mut dx_all = vec![T::c(0.0); n_max];
    let mut group = c.benchmark_group(format!("backward/{name}/{}", T::NAME));
    for n in SIZES {
        let (x, dy, y) = (&x_all[..n], &dy_all[..n], &y_all[..n]);
        let dx = &mut dx_all[..n];
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("activ", n), |b| {
            b.iter(|| {
                f.backward(black_box(x), black_box(dy), black_box(&mut *dx))
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("copy", n), |b| {
            b.iter(|| black_box(&mut *dx).copy_from_slice(black_box(dy)))
        });
        if let Some(g) = naive {
            group.bench_function(BenchmarkId::new("naive", n), |b| {
                b.iter(|| {
                    for ((o, &yi), &di) in black_box(&mut *dx).iter_mut().zip(y).zip(dy) {
                        *o = g(yi, di);
                    }
                })
            });
        }
    }
    group.finish();
}

fn elementwise_for<T: Real>(c: &mut Criterion)
where
    activ::Sigmoid: Derivative<T>,
    activ::LogSigmoid: Derivative<T>,
    activ::Logit: Derivative<T>,
    activ::Relu: Derivative<T>,
    activ::Relu6: Derivative<T>,
    activ::LeakyRelu<T>: Derivative<T>,
    activ::Elu<T>: Derivative<T>,
    activ::Selu: Derivative<T>,
    activ::Celu<T>: Derivative<T>,
    activ::Softplus<T>: Derivative<T>,
    activ::Tanh: Derivative<T>,
    activ::Gelu: Derivative<T>,
    activ::GeluTanh: Derivative<T>,
    activ::Silu: Derivative<T>,
    activ::Mish: Derivative<T>,
    activ::Softsign: Derivative<T>,
    activ::HardSigmoid: Derivative<T>,
    activ::HardSwish: Derivative<T>,
{
    let r = Domain::Real;
    one(
        c,
        "sigmoid",
        activ::Sigmoid,
        Some(|y: T, dy: T| dy * y * (T::c(1.0) - y)),
        r,
    );
    one(
        c,
        "log_sigmoid",
        activ::LogSigmoid,
        Some(|y: T, dy: T| dy * (T::c(1.0) - y.exp())),
        r,
    );
    one(c, "logit", activ::Logit, None, Domain::Unit);
    one(
        c,
        "relu",
        activ::Relu,
        Some(|y: T, dy: T| if y > T::c(0.0) { dy } else { T::c(0.0) }),
        r,
    );
    one(c, "relu6", activ::Relu6, None, r);
    one(c, "leaky_relu", activ::LeakyRelu::<T>::default(), None, r);
    one(
        c,
        "elu",
        activ::Elu::<T>::default(),
        Some(|y: T, dy: T| {
            if y > T::c(0.0) {
                dy
            } else {
                dy * (y + T::c(1.0))
            }
        }),
        r,
    );
    one(c, "selu", activ::Selu, None, r);
    one(c, "celu", activ::Celu::<T>::default(), None, r);
    one(
        c,
        "softplus",
        activ::Softplus::<T>::default(),
        Some(|y: T, dy: T| dy * (T::c(1.0) - (-y).exp())),
        r,
    );
    one(
        c,
        "tanh",
        activ::Tanh,
        Some(|y: T, dy: T| dy * (T::c(1.0) - y * y)),
        r,
    );
    one(c, "gelu", activ::Gelu, None, r);
    one(c, "gelu_tanh", activ::GeluTanh, None, r);
    one(c, "silu", activ::Silu, None, r);
    one(c, "mish", activ::Mish, None, r);
    one(
        c,
        "softsign",
        activ::Softsign,
        Some(|y: T, dy: T| dy * (T::c(1.0) - y.abs()) * (T::c(1.0) - y.abs())),
        r,
    );
    one(c, "hard_sigmoid", activ::HardSigmoid, None, r);
    one(c, "hard_swish", activ::HardSwish, None, r);
}

fn elementwise(c: &mut Criterion) {
    elementwise_for::<f32>(c);
    elementwise_for::<f64>(c);
}

/// The naive softmax backward: one plain dot product per row, then y·(dy − s).
fn naive_softmax_backward<T: Real>(y: &[T], dy: &[T], dx: &mut [T], cols: usize) {
    for ((yr, dr), xr) in y
        .chunks_exact(cols)
        .zip(dy.chunks_exact(cols))
        .zip(dx.chunks_exact_mut(cols))
    {
        let mut s = T::c(0.0);
        for (&a, &b) in yr.iter().zip(dr) {
            s = s + a * b;
        }
        for ((o, &a), &b) in xr.iter_mut().zip(yr).zip(dr) {
            *o = a * (b - s);
        }
    }
}

fn rows_for<T: Real>(c: &mut Criterion) {
    let shapes = [(1usize, 4096usize), (256, 1024)];
    let n_max = 256 * 1024;
    let x = common::inputs::<T>(n_max, Domain::Real);
    let dy = common::inputs::<T>(n_max, Domain::Unit);
    let mut y = vec![T::c(0.0); n_max];
    let mut dx = vec![T::c(0.0); n_max];
    let mut group = c.benchmark_group(format!("backward/softmax/{}", T::NAME));
    for (rows, cols) in shapes {
        let n = rows * cols;
        activ::softmax(&x[..n], &mut y[..n], rows, cols).unwrap();
        let id = |what: &str| BenchmarkId::new(what, format!("{rows}x{cols}"));
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(id("activ"), |b| {
            b.iter(|| {
                activ::softmax_backward(
                    black_box(&y[..n]),
                    black_box(&dy[..n]),
                    black_box(&mut dx[..n]),
                    rows,
                    cols,
                )
                .unwrap()
            })
        });
        group.bench_function(id("log_softmax"), |b| {
            b.iter(|| {
                activ::log_softmax_backward(
                    black_box(&y[..n]),
                    black_box(&dy[..n]),
                    black_box(&mut dx[..n]),
                    rows,
                    cols,
                )
                .unwrap()
            })
        });
        group.bench_function(id("copy"), |b| {
            b.iter(|| black_box(&mut dx[..n]).copy_from_slice(black_box(&dy[..n])))
        });
        group.bench_function(id("naive"), |b| {
            b.iter(|| {
                naive_softmax_backward(
                    black_box(&y[..n]),
                    black_box(&dy[..n]),
                    black_box(&mut dx[..n]),
                    cols,
                )
            })
        });
    }
    group.finish();
}

fn rows(c: &mut Criterion) {
    rows_for::<f32>(c);
    rows_for::<f64>(c);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10)
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = elementwise, rows
}
criterion_main!(benches);
