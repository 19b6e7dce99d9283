//! What the speed measurements compare: every elementwise function with its naive scalar
//! loop, the deterministic inputs, and the naive softmax family.
//!
//! Shared by the criterion benchmarks (`benches/activations.rs`) and `activ bench`
//! (`crates/activ-cli/src/bench.rs` includes this file by path), so that "speed-up over
//! naive" means the same loop in both. It uses nothing but `activ` and `std`.
//!
//! The naive loops are what a user writes without thinking about range or accuracy: the
//! textbook formula per element, with std's `exp`, `ln` and `tanh` (libm calls). They are
//! generic functions, not function pointers, so the compiler inlines them and vectorizes
//! those it can (relu and the other rectifiers), as it would in user code.
//!
//! | function | naive loop `y[i] = …` |
//! |---|---|
//! | sigmoid | `1 / (1 + exp(-x))` |
//! | log_sigmoid | `ln(1 / (1 + exp(-x)))` |
//! | logit | `ln(p / (1 - p))` |
//! | logit_eps | `ln(q / (1 - q))`, `q = min(max(p, eps), 1 - eps)`, eps = 1e-6 |
//! | relu | `max(x, 0)` |
//! | relu6 | `min(max(x, 0), 6)` |
//! | leaky_relu | `x > 0 ? x : 0.01 x` |
//! | elu | `x > 0 ? x : exp(x) - 1` |
//! | selu | `λ (x > 0 ? x : α (exp(x) - 1))` |
//! | celu | `max(x, 0) + min(exp(x) - 1, 0)` |
//! | softplus | `ln(1 + exp(x))` |
//! | tanh | std's `tanh(x)` |
//! | gelu | `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`: std has no `erf`, so the naive erf-GELU is the tanh form most code falls back to |
//! | gelu_tanh | `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))` |
//! | silu | `x / (1 + exp(-x))` |
//! | mish | `x tanh(ln(1 + exp(x)))` |
//! | softsign | `x / (1 + abs(x))` |
//! | hard_sigmoid | `min(max(x + 3, 0), 6) / 6` |
//! | hard_swish | `x min(max(x + 3, 0), 6) / 6` |
//! | softmax | per row: `m = max(x)`; `y = exp(x - m)`, `s = Σ y`; `y = y / s` |
//! | log_softmax | per row: `m = max(x)`; `s = Σ exp(x - m)`; `y = x - m - ln(s)` |
//! | logsumexp | per row: `m = max(x)`; `m + ln(Σ exp(x - m))` |

use std::ops::{Add, Div, Mul, Neg, Sub};

use activ::Elementwise;

/// The arithmetic the naive formulas need, with std's functions for both types.
pub trait Real:
    activ::Float
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// "f32" or "f64", as shown in benchmark names and tables.
    const NAME: &'static str;
    fn c(v: f64) -> Self;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn tanh(self) -> Self;
    fn abs(self) -> Self;
    fn max(self, other: Self) -> Self;
    fn min(self, other: Self) -> Self;
    /// Calls `v.function(…)` for every elementwise function of activ, in the README's order.
    fn each_function<V: Visit<Self>>(v: &mut V);
}

/// Where a function's benchmark inputs are drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Uniform in [-8, 8]: both signs, both tails, the range activations see in practice.
    Real,
    /// Uniform in (0, 1), for logit; never 0 or 1, whose infinities would be a special case.
    Unit,
}

/// A consumer of the function list: a benchmark runner.
pub trait Visit<T: Real> {
    /// One function: activ's implementation and the naive loop's per-element formula.
    fn function<F, N>(&mut self, name: &'static str, activ: F, naive: N, domain: Domain)
    where
        F: Elementwise<T>,
        N: Fn(T) -> T + Copy;
}

macro_rules! real {
    ($t:ident) => {
        impl Real for $t {
            const NAME: &'static str = stringify!($t);
            #[inline(always)]
            fn c(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn exp(self) -> Self {
                $t::exp(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                $t::ln(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                $t::tanh(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                $t::abs(self)
            }
            #[inline(always)]
            fn max(self, other: Self) -> Self {
                $t::max(self, other)
            }
            #[inline(always)]
            fn min(self, other: Self) -> Self {
                $t::min(self, other)
            }
            fn each_function<V: Visit<Self>>(v: &mut V) {
                use Domain::{Real as R, Unit as U};
                v.function("sigmoid", activ::Sigmoid, sigmoid::<$t>, R);
                v.function("log_sigmoid", activ::LogSigmoid, log_sigmoid::<$t>, R);
                v.function("logit", activ::Logit, logit::<$t>, U);
                let eps = activ::LogitEps::<$t>::new(1e-6).expect("eps = 1e-6 is valid");
                v.function("logit_eps", eps, logit_eps::<$t>, U);
                v.function("relu", activ::Relu, relu::<$t>, R);
                v.function("relu6", activ::Relu6, relu6::<$t>, R);
                let leaky = activ::LeakyRelu::<$t>::default();
                v.function("leaky_relu", leaky, leaky_relu::<$t>, R);
                v.function("elu", activ::Elu::<$t>::default(), elu::<$t>, R);
                v.function("selu", activ::Selu, selu::<$t>, R);
                v.function("celu", activ::Celu::<$t>::default(), celu::<$t>, R);
                let softplus_default = activ::Softplus::<$t>::default();
                v.function("softplus", softplus_default, softplus::<$t>, R);
                v.function("tanh", activ::Tanh, tanh::<$t>, R);
                v.function("gelu", activ::Gelu, gelu_tanh::<$t>, R);
                v.function("gelu_tanh", activ::GeluTanh, gelu_tanh::<$t>, R);
                v.function("silu", activ::Silu, silu::<$t>, R);
                v.function("mish", activ::Mish, mish::<$t>, R);
                v.function("softsign", activ::Softsign, softsign::<$t>, R);
                v.function("hard_sigmoid", activ::HardSigmoid, hard_sigmoid::<$t>, R);
                v.function("hard_swish", activ::HardSwish, hard_swish::<$t>, R);
            }
        }
    };
}
real!(f32);
real!(f64);

/// `n` deterministic pseudo-random inputs (SplitMix64), the same on every run and machine,
/// so that runs compare the same work.
pub fn inputs<T: Real>(n: usize, domain: Domain) -> Vec<T> {
    let mut state: u64 = match domain {
        Domain::Real => 0x5EED_0001,
        Domain::Unit => 0x5EED_0002,
    };
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            let u = (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            T::c(match domain {
                Domain::Real => 16.0 * u - 8.0,
                // Kept inside (0, 1) after rounding to f32 too.
                Domain::Unit => 0.0005 + 0.999 * u,
            })
        })
        .collect()
}

/// The naive loop: `y[i] = f(x[i])`.
#[inline]
pub fn map<T: Copy, N: Fn(T) -> T>(f: N, x: &[T], y: &mut [T]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi = f(xi);
    }
}

/// The naive three-pass softmax over the rows of a `rows × cols` matrix.
#[inline]
pub fn softmax<T: Real>(x: &[T], y: &mut [T], rows: usize, cols: usize) {
    let rows_x = x[..rows * cols].chunks_exact(cols);
    for (xr, yr) in rows_x.zip(y[..rows * cols].chunks_exact_mut(cols)) {
        let mut m = T::c(f64::NEG_INFINITY);
        for &v in xr {
            m = m.max(v);
        }
        let mut s = T::c(0.0);
        for (o, &v) in yr.iter_mut().zip(xr) {
            let e = (v - m).exp();
            *o = e;
            s = s + e;
        }
        for o in yr.iter_mut() {
            *o = *o / s;
        }
    }
}

/// The row maximum and ln Σ exp(x − m) of the naive softmax family.
fn naive_max_and_log_sum<T: Real>(xr: &[T]) -> (T, T) {
    let mut m = T::c(f64::NEG_INFINITY);
    for &v in xr {
        m = m.max(v);
    }
    let mut s = T::c(0.0);
    for &v in xr {
        s = s + (v - m).exp();
    }
    (m, s.ln())
}

pub fn log_softmax<T: Real>(x: &[T], y: &mut [T], rows: usize, cols: usize) {
    let rows_x = x[..rows * cols].chunks_exact(cols);
    for (xr, yr) in rows_x.zip(y[..rows * cols].chunks_exact_mut(cols)) {
        let (m, l) = naive_max_and_log_sum(xr);
        for (o, &v) in yr.iter_mut().zip(xr) {
            *o = v - m - l;
        }
    }
}

/// One result per row into `out[..rows]`.
pub fn logsumexp<T: Real>(x: &[T], out: &mut [T], rows: usize, cols: usize) {
    for (xr, o) in x[..rows * cols].chunks_exact(cols).zip(&mut out[..rows]) {
        let (m, l) = naive_max_and_log_sum(xr);
        *o = m + l;
    }
}

/// A row function over `rows × cols`, from x into y (logsumexp writes `rows` results, into
/// the front of y).
pub type RowsFn<T> = fn(&[T], &mut [T], usize, usize);

/// The softmax family as the benchmarks time it: each function's name, activ's form and the
/// naive loop.
pub fn rows_family<T: Real>() -> [(&'static str, RowsFn<T>, RowsFn<T>); 3] {
    [
        (
            "softmax",
            |x, y, r, c| activ::softmax(x, y, r, c).expect("a rows × cols matrix"),
            softmax,
        ),
        (
            "log_softmax",
            |x, y, r, c| activ::log_softmax(x, y, r, c).expect("a rows × cols matrix"),
            log_softmax,
        ),
        (
            "logsumexp",
            |x, y, r, c| activ::logsumexp(x, &mut y[..r], r, c).expect("a rows × cols matrix"),
            logsumexp,
        ),
    ]
}

#[inline(always)]
pub fn sigmoid<T: Real>(x: T) -> T {
    T::c(1.0) / (T::c(1.0) + (-x).exp())
}

#[inline(always)]
pub fn log_sigmoid<T: Real>(x: T) -> T {
    (T::c(1.0) / (T::c(1.0) + (-x).exp())).ln()
}

#[inline(always)]
pub fn logit<T: Real>(p: T) -> T {
    (p / (T::c(1.0) - p)).ln()
}

#[inline(always)]
pub fn logit_eps<T: Real>(p: T) -> T {
    let q = p.max(T::c(1e-6)).min(T::c(1.0 - 1e-6));
    (q / (T::c(1.0) - q)).ln()
}

#[inline(always)]
pub fn relu<T: Real>(x: T) -> T {
    x.max(T::c(0.0))
}

#[inline(always)]
pub fn relu6<T: Real>(x: T) -> T {
    x.max(T::c(0.0)).min(T::c(6.0))
}

#[inline(always)]
pub fn leaky_relu<T: Real>(x: T) -> T {
    if x > T::c(0.0) {
        x
    } else {
        T::c(0.01) * x
    }
}

#[inline(always)]
pub fn elu<T: Real>(x: T) -> T {
    if x > T::c(0.0) {
        x
    } else {
        x.exp() - T::c(1.0)
    }
}

#[inline(always)]
pub fn selu<T: Real>(x: T) -> T {
    let lambda = T::c(1.050_700_987_355_480_5);
    let alpha = T::c(1.673_263_242_354_377_3);
    lambda
        * if x > T::c(0.0) {
            x
        } else {
            alpha * (x.exp() - T::c(1.0))
        }
}

#[inline(always)]
pub fn celu<T: Real>(x: T) -> T {
    x.max(T::c(0.0)) + (x.exp() - T::c(1.0)).min(T::c(0.0))
}

#[inline(always)]
pub fn softplus<T: Real>(x: T) -> T {
    (T::c(1.0) + x.exp()).ln()
}

#[inline(always)]
pub fn tanh<T: Real>(x: T) -> T {
    x.tanh()
}

#[inline(always)]
pub fn gelu_tanh<T: Real>(x: T) -> T {
    let k = T::c(0.797_884_560_802_865_4); // √(2/π)
    T::c(0.5) * x * (T::c(1.0) + (k * (x + T::c(0.044715) * x * x * x)).tanh())
}

#[inline(always)]
pub fn silu<T: Real>(x: T) -> T {
    x / (T::c(1.0) + (-x).exp())
}

#[inline(always)]
pub fn mish<T: Real>(x: T) -> T {
    x * (T::c(1.0) + x.exp()).ln().tanh()
}

#[inline(always)]
pub fn softsign<T: Real>(x: T) -> T {
    x / (T::c(1.0) + x.abs())
}

#[inline(always)]
pub fn hard_sigmoid<T: Real>(x: T) -> T {
    (x + T::c(3.0)).max(T::c(0.0)).min(T::c(6.0)) / T::c(6.0)
}

#[inline(always)]
pub fn hard_swish<T: Real>(x: T) -> T {
    x * (x + T::c(3.0)).max(T::c(0.0)).min(T::c(6.0)) / T::c(6.0)
}
