//! Speed of every function against the two numbers that give it meaning, measured in the
//! same run: `copy_from_slice` (the memory-bandwidth ceiling: no elementwise function can
//! beat reading x and writing y) and the naive scalar loop (what users write without a
//! library; the formulas are in `common/mod.rs`).
//!
//! ```sh
//! cargo bench -p activ                    # everything, f32 and f64 (about 13 minutes)
//! cargo bench -p activ -- sigmoid/f32     # a regex over the names
//! cargo bench -p activ -- --list          # the names: <function>/<type>/<activ|copy|naive>/<n>
//! ```
//!
//! Each group is one function and type; criterion reports elements/s. Single thread.

use std::hint::black_box;
use std::time::Duration;

use activ::Elementwise;
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};

mod common;
use common::{Domain, Real, RowsFn, Visit};

/// From L1-resident (4096) through L2 and L3 to DRAM (16M: 64 MiB per f32 array).
const SIZES: [usize; 4] = [4096, 65536, 262144, 16_777_216];

/// Criterion's default linear schedule runs 1 + 2 + … + 10 = 55 iterations for 10 samples;
/// for the DRAM-sized cases (up to 0.15 s per iteration) flat sampling needs only 10.
fn sampling_for(n: usize) -> SamplingMode {
    if n >= 1 << 24 {
        SamplingMode::Flat
    } else {
        SamplingMode::Auto
    }
}

/// One row (a classifier head), attention-like rows, and a matrix far larger than any cache.
const SOFTMAX_SHAPES: [(usize, usize); 3] = [(1, 4096), (256, 1024), (4096, 4096)];

/// The largest inputs, generated once per type; every size uses a prefix, so the data and
/// its alignment are the same across sizes.
struct Data<T> {
    real: Vec<T>,
    unit: Vec<T>,
    y: Vec<T>,
}

impl<T: Real> Data<T> {
    fn new() -> Self {
        let n = SIZES[SIZES.len() - 1];
        Data {
            real: common::inputs(n, Domain::Real),
            unit: common::inputs(n, Domain::Unit),
            y: vec![T::c(0.0); n],
        }
    }
}

struct Runner<'a, T> {
    c: &'a mut Criterion,
    data: &'a mut Data<T>,
}

impl<T: Real> Visit<T> for Runner<'_, T> {
    fn function<F, N>(&mut self, name: &'static str, activ: F, naive: N, domain: Domain)
    where
        F: Elementwise<T>,
        N: Fn(T) -> T + Copy,
    {
        let mut group = self.c.benchmark_group(format!("{name}/{}", T::NAME));
        let x_all = match domain {
            Domain::Real => &self.data.real,
            Domain::Unit => &self.data.unit,
        };
        for n in SIZES {
            let x = &x_all[..n];
            let y = &mut self.data.y[..n];
            group.throughput(Throughput::Elements(n as u64));
            group.sampling_mode(sampling_for(n));
            group.bench_function(BenchmarkId::new("activ", n), |b| {
                b.iter(|| activ.apply(black_box(x), black_box(&mut *y)).unwrap())
            });
            group.bench_function(BenchmarkId::new("copy", n), |b| {
                b.iter(|| black_box(&mut *y).copy_from_slice(black_box(x)))
            });
            group.bench_function(BenchmarkId::new("naive", n), |b| {
                b.iter(|| common::map(naive, black_box(x), black_box(&mut *y)))
            });
        }
        group.finish();
    }
}

fn elementwise_for<T: Real>(c: &mut Criterion) {
    let mut data = Data::<T>::new();
    T::each_function(&mut Runner { c, data: &mut data });
}

fn elementwise(c: &mut Criterion) {
    // One type at a time, so at most one type's 16M arrays are allocated.
    elementwise_for::<f32>(c);
    elementwise_for::<f64>(c);
}

/// The two-pass online-normalizer softmax (Milakov and Gimelshein 2018), f32 only: the
/// alternative the three-pass kernel is measured against (`online` in the softmax groups).
fn online_f32(x: &[f32], y: &mut [f32], rows: usize, cols: usize) {
    y.copy_from_slice(x);
    let isa = activ::active_isa();
    for row in y.chunks_exact_mut(cols).take(rows) {
        activ::row_softmax_online_f32_on_isa(isa, row);
    }
}

/// The softmax family's groups: `<name>/<type>` with `activ`, `copy` (of the whole matrix,
/// the memory-bandwidth ceiling), `naive` and, for softmax f32, `online`.
fn rows_for<T: Real>(
    c: &mut Criterion,
    name: &str,
    activ_fn: RowsFn<T>,
    naive: RowsFn<T>,
    online: Option<RowsFn<T>>,
) {
    let (rows_max, cols_max) = SOFTMAX_SHAPES[SOFTMAX_SHAPES.len() - 1];
    let x_all = common::inputs::<T>(rows_max * cols_max, Domain::Real);
    let mut y_all = vec![T::c(0.0); x_all.len()];
    let mut group = c.benchmark_group(format!("{name}/{}", T::NAME));
    for (rows, cols) in SOFTMAX_SHAPES {
        let n = rows * cols;
        let x = &x_all[..n];
        let y = &mut y_all[..n];
        let id = |what: &str| BenchmarkId::new(what, format!("{rows}x{cols}"));
        group.throughput(Throughput::Elements(n as u64));
        group.sampling_mode(sampling_for(n));
        group.bench_function(id("activ"), |b| {
            b.iter(|| activ_fn(black_box(x), black_box(&mut *y), rows, cols))
        });
        group.bench_function(id("copy"), |b| {
            b.iter(|| black_box(&mut *y).copy_from_slice(black_box(x)))
        });
        group.bench_function(id("naive"), |b| {
            b.iter(|| naive(black_box(x), black_box(&mut *y), rows, cols))
        });
        if let Some(online) = online {
            group.bench_function(id("online"), |b| {
                b.iter(|| online(black_box(x), black_box(&mut *y), rows, cols))
            });
        }
    }
    group.finish();
}

fn softmax_family_for<T: Real>(c: &mut Criterion, online: Option<RowsFn<T>>) {
    for (name, activ_fn, naive) in common::rows_family::<T>() {
        rows_for::<T>(
            c,
            name,
            activ_fn,
            naive,
            online.filter(|_| name == "softmax"),
        );
    }
}

fn softmax(c: &mut Criterion) {
    softmax_family_for::<f32>(c, Some(online_f32));
    softmax_family_for::<f64>(c, None);
}

/// Short runs: about 510 benchmarks must finish in minutes on a 2-core machine, and the
/// copy and naive baselines in each group cancel much of the noise that longer runs would
/// average away. Command-line options (`--measurement-time`, `--sample-size`, …) override
/// these.
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
    targets = elementwise, softmax
}
criterion_main!(benches);
