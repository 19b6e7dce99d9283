//! The softmax family over the rows of a row-major matrix: softmax, log-softmax and
//! logsumexp.
//!
//! # Formulas
//! For a row x_1 … x_n:
//! - softmax(x)_i = e^(x_i) / Σ_j e^(x_j)
//! - log_softmax(x)_i = x_i − log Σ_j e^(x_j)
//! - logsumexp(x) = log Σ_j e^(x_j)
//!
//! # Stable formulation
//! - **Max subtraction.** With m = max_j x_j, e^(x_i)/Σ e^(x_j) = e^(x_i − m)/Σ e^(x_j − m)
//!   exactly, and now every exponent is ≤ 0: nothing overflows and the largest term is 1.
//!   x_i − m is formed as a double-double (TwoSum), so in f64 the rounding of the
//!   subtraction (up to 256 ULP of relative error in e^(x_i − m) at |x_i − m| ≈ 700) is not
//!   lost.
//! - **The sum.** With c the number of entries equal to m, T = Σ_{x_j < m} e^(x_j − m) and
//!   S = c + T. In f64, T is accumulated in double-double (cascaded, as Ogita, Rump and
//!   Oishi's Sum2: each term's TwoSum error and tail gathered in the second word), so the
//!   sum of a 65536-column row adds no error visible in the result. The sum runs in 16 accumulators — entry 16b + i
//!   into accumulator i, the accumulators added in one fixed tree — so the order, and hence
//!   the bits, are the same on every instruction-set path. (f32 softmax, which needs only S,
//!   sums all e^(x_j − m) in one go; log-softmax and logsumexp keep c and T apart.)
//! - **log-softmax.** x_i − m − log(S) loses the relative precision of the dominant entry,
//!   where the result is tiny: log(S) = log1p((c − 1) + T) is computed from T directly, once
//!   per row, and (x_i − m) − log(S) never cancels because both terms are ≤ 0.
//!   The dominant entry's result, −log1p(T), keeps full relative accuracy.
//! - **logsumexp** = m + log(S), summed as a double-double (m and log(S) can cancel when
//!   m < 0).
//!
//! f64 logsumexp rows use double-double steps throughout; f64 softmax and log-softmax rows
//! take e^(x_j − m) (x_j − m still a double-double) from the plain-`f64` exponential
//! (`math::exp::exp_neg_lean2_lanes`, 2^−56.3) and sum S or T as a double-double; softmax
//! forms each output unscaled in two fused multiply-adds, rounded once (0.315 → 0.645
//! elements/ns at 256×1024 on AVX-512, Zen 4; 0.500 → 0.546 ULP), log-softmax 0.309 →
//! 0.42–0.43 (0.500 → 0.504 ULP); f32 rows use plain f64 lanes (an f32 result
//! needs about 30 correct bits, see `math::lean`), with log(S) from the f64 kernel, and are
//! rounded once at the end. The first pass of an f32 row (maximum, NaN, +∞) runs on f32
//! lanes, twice as wide and without widening. Softmax keeps e^(x_j − m) between its second
//! and third pass in scratch space that each thread reuses from row to row.
//!
//! # Special rows
//! | row | softmax | log_softmax | logsumexp |
//! |---|---|---|---|
//! | contains NaN | all NaN | all NaN | NaN |
//! | k ≥ 1 entries +∞ | 1/k there, 0 elsewhere | −ln k there, −∞ elsewhere | +∞ |
//! | all −∞ (masked), [`MaskedRows::Zeros`] (default) | all 0 | all −∞ | −∞ |
//! | all −∞ (masked), [`MaskedRows::Nan`] | all NaN | all NaN | −∞ |
//! | empty (cols = 0) | nothing written | nothing written | −∞ |
//!
//! # Accuracy (measured by `activ audit` and the tests)
//! softmax and log_softmax: bound 4 ULP per element (2 as the target); measured 0.500 ULP in
//! f32 and f64 on random rows, rows with one dominant logit and rows spanning 1e4, up to
//! 65536 columns, except f32 softmax, 0.502 (its exponentials are good to 2^−32 only), and
//! f64 softmax, 0.546, and log_softmax, 0.504 (their exponentials are good to 2^−56.3).
//!
//! logsumexp: within 1 ULP, or within an absolute error of 2^−42·max(1, |m|) (f32) and
//! 2^−62·max(1, |m|) (f64), whichever is larger. The absolute term is the error of T (its
//! exponentials are good to 2^−43 and 2^−67) and of log(S) carried into m + log(S): when
//! m < 0 and S is near e^−m the result is tiny next to both terms and can come arbitrarily
//! close to 0, so no ULP bound can hold there. Measured against MPFR
//! (`activ-audit/tests/logsumexp_accuracy.rs`): random rows 0.500 ULP; rows stepped through
//! such a cancellation up to 412 ULP (f32) with absolute errors of at most 2^−46.3 (f32) and
//! 2^−67.9 (f64) where the ULP error exceeds 1.

use crate::math::dd::{add_dd, div_dd, select, two_sum};
use crate::math::log::{ln, ln1p_dd};
use crate::simd::F64s;
use crate::simd32::F32s;
use crate::twice::Twice;
use crate::{Error, Float};

/// What softmax and log-softmax write for a row whose entries are all −∞ (a fully masked
/// attention row, say). logsumexp of such a row is −∞ under either policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MaskedRows {
    /// softmax writes 0 (no probability mass anywhere); log_softmax writes −∞.
    #[default]
    Zeros,
    /// softmax and log_softmax write NaN, as PyTorch does.
    Nan,
}

/// Checks a row-major layout against a buffer length and returns the elements it spans.
fn extent(len: usize, rows: usize, cols: usize, stride: usize) -> Result<usize, Error> {
    if stride < cols {
        return Err(Error::StrideTooSmall { stride, cols });
    }
    let needed = if rows == 0 {
        0
    } else {
        (rows - 1)
            .checked_mul(stride)
            .and_then(|v| v.checked_add(cols))
            .ok_or(Error::SizeOverflow)?
    };
    if len < needed {
        return Err(Error::LengthMismatch {
            expected: needed,
            found: len,
        });
    }
    Ok(needed)
}

/// Checks a contiguous layout: the buffer must hold exactly `rows × cols` elements.
fn contiguous(len: usize, rows: usize, cols: usize) -> Result<(), Error> {
    let needed = rows.checked_mul(cols).ok_or(Error::SizeOverflow)?;
    if len != needed {
        return Err(Error::LengthMismatch {
            expected: needed,
            found: len,
        });
    }
    Ok(())
}

/// A read-only row-major matrix view: `rows` rows of `cols` elements, row `r` starting at
/// `r · stride`.
#[derive(Clone, Copy, Debug)]
pub struct Rows<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    stride: usize,
}

impl<'a, T: Float> Rows<'a, T> {
    /// A contiguous view; `data.len()` must equal `rows × cols`.
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Result<Self, Error> {
        contiguous(data.len(), rows, cols)?;
        Ok(Self {
            data,
            rows,
            cols,
            stride: cols,
        })
    }

    /// A strided view; `stride ≥ cols`, and `data` must reach the last row's end.
    pub fn strided(data: &'a [T], rows: usize, cols: usize, stride: usize) -> Result<Self, Error> {
        extent(data.len(), rows, cols, stride)?;
        Ok(Self {
            data,
            rows,
            cols,
            stride,
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    pub(crate) fn row(&self, r: usize) -> &'a [T] {
        &self.data[r * self.stride..r * self.stride + self.cols]
    }
}

/// A mutable row-major matrix view, as [`Rows`]. Elements between rows are never touched.
#[derive(Debug)]
pub struct RowsMut<'a, T> {
    data: &'a mut [T],
    rows: usize,
    cols: usize,
    stride: usize,
}

impl<'a, T: Float> RowsMut<'a, T> {
    /// A contiguous view; `data.len()` must equal `rows × cols`.
    pub fn new(data: &'a mut [T], rows: usize, cols: usize) -> Result<Self, Error> {
        contiguous(data.len(), rows, cols)?;
        Ok(Self {
            data,
            rows,
            cols,
            stride: cols,
        })
    }

    /// A strided view; `stride ≥ cols`, and `data` must reach the last row's end.
    pub fn strided(
        data: &'a mut [T],
        rows: usize,
        cols: usize,
        stride: usize,
    ) -> Result<Self, Error> {
        extent(data.len(), rows, cols, stride)?;
        Ok(Self {
            data,
            rows,
            cols,
            stride,
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    pub(crate) fn row_mut(&mut self, r: usize) -> &mut [T] {
        &mut self.data[r * self.stride..r * self.stride + self.cols]
    }
}

pub(crate) fn same_shape<T: Float>(x: &Rows<'_, T>, y: &RowsMut<'_, T>) -> Result<(), Error> {
    if x.rows != y.rows || x.cols != y.cols {
        return Err(Error::ShapeMismatch {
            expected: (x.rows, x.cols),
            found: (y.rows, y.cols),
        });
    }
    Ok(())
}

/// What a row holds, found in one pass.
struct RowScan {
    max: f64,
    has_nan: bool,
    pos_inf: usize,
}

/// Which special case a row falls in, if any; `None` for an ordinary row.
fn special_fill<T: Float>(row: &mut [T], s: &RowScan, masked: MaskedRows, log: bool) -> bool {
    if s.has_nan {
        row.fill(T::NAN);
    } else if s.pos_inf > 0 {
        let (hit, miss) = if log {
            (-ln(s.pos_inf as f64), f64::NEG_INFINITY)
        } else {
            (1.0 / s.pos_inf as f64, 0.0)
        };
        for v in row.iter_mut() {
            *v = T::from_f64(if v.to_f64() == f64::INFINITY {
                hit
            } else {
                miss
            });
        }
    } else if s.max == f64::NEG_INFINITY {
        let fill = match (masked, log) {
            (MaskedRows::Nan, _) => T::NAN,
            (MaskedRows::Zeros, false) => T::ZERO,
            (MaskedRows::Zeros, true) => T::NEG_INFINITY,
        };
        row.fill(fill);
    } else {
        return false;
    }
    true
}

/// Matrices at least this large have their rows split across threads (feature `parallel`).
#[cfg(feature = "parallel")]
const PARALLEL_MIN: usize = 1 << 16;

/// Calls `body(x_row, y_row)` for every row, across threads for large matrices with the
/// `parallel` feature. Each row is computed by the same code either way.
fn each_row_pair<T: Float>(
    x: &Rows<'_, T>,
    y: &mut RowsMut<'_, T>,
    body: impl Fn(&[T], &mut [T]) + Sync,
) {
    #[cfg(feature = "parallel")]
    if x.cols > 0 && x.rows > 1 && x.rows * x.cols >= PARALLEL_MIN {
        use rayon::prelude::*;
        let xs = &x.data[..(x.rows - 1) * x.stride + x.cols];
        let ys = &mut y.data[..(y.rows - 1) * y.stride + y.cols];
        let cols = x.cols;
        xs.par_chunks(x.stride)
            .zip(ys.par_chunks_mut(y.stride))
            .for_each(|(a, b)| body(&a[..cols], &mut b[..cols]));
        return;
    }
    for r in 0..x.rows {
        body(x.row(r), y.row_mut(r));
    }
}

/// In place, as [`each_row_pair`].
fn each_row<T: Float>(xs: &mut RowsMut<'_, T>, body: impl Fn(&mut [T]) + Sync) {
    #[cfg(feature = "parallel")]
    if xs.cols > 0 && xs.rows > 1 && xs.rows * xs.cols >= PARALLEL_MIN {
        use rayon::prelude::*;
        let cols = xs.cols;
        let data = &mut xs.data[..(xs.rows - 1) * xs.stride + cols];
        data.par_chunks_mut(xs.stride)
            .for_each(|b| body(&mut b[..cols]));
        return;
    }
    for r in 0..xs.rows {
        body(xs.row_mut(r));
    }
}

/// Softmax of each row of a strided matrix, into another of the same shape.
pub fn softmax_rows<T: Float>(
    x: Rows<'_, T>,
    mut y: RowsMut<'_, T>,
    masked: MaskedRows,
) -> Result<(), Error> {
    same_shape(&x, &y)?;
    let isa = crate::active_isa();
    each_row_pair(&x, &mut y, |a, out| {
        out.copy_from_slice(a);
        T::row_softmax(isa, out, masked, false);
    });
    Ok(())
}

/// Softmax of each row of a strided matrix, in place.
pub fn softmax_rows_in_place<T: Float>(mut xs: RowsMut<'_, T>, masked: MaskedRows) {
    let isa = crate::active_isa();
    each_row(&mut xs, |row| T::row_softmax(isa, row, masked, false));
}

/// Log-softmax of each row of a strided matrix, into another of the same shape.
pub fn log_softmax_rows<T: Float>(
    x: Rows<'_, T>,
    mut y: RowsMut<'_, T>,
    masked: MaskedRows,
) -> Result<(), Error> {
    same_shape(&x, &y)?;
    let isa = crate::active_isa();
    each_row_pair(&x, &mut y, |a, out| {
        out.copy_from_slice(a);
        T::row_softmax(isa, out, masked, true);
    });
    Ok(())
}

/// Log-softmax of each row of a strided matrix, in place.
pub fn log_softmax_rows_in_place<T: Float>(mut xs: RowsMut<'_, T>, masked: MaskedRows) {
    let isa = crate::active_isa();
    each_row(&mut xs, |row| T::row_softmax(isa, row, masked, true));
}

/// logsumexp of each row of a strided matrix: `out[r] = log Σ_j e^(x[r][j])`;
/// `out.len()` must equal the number of rows.
pub fn logsumexp_rows<T: Float>(x: Rows<'_, T>, out: &mut [T]) -> Result<(), Error> {
    if out.len() != x.rows {
        return Err(Error::LengthMismatch {
            expected: x.rows,
            found: out.len(),
        });
    }
    for (r, o) in out.iter_mut().enumerate() {
        *o = T::row_logsumexp(crate::active_isa(), x.row(r));
    }
    Ok(())
}

/// Softmax over each row of the contiguous row-major `rows × cols` matrix `x`, into `y`.
/// Masked rows (all −∞) give zeros.
///
/// ```
/// let x = [1.0f32, 2.0, 3.0, f32::NEG_INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY];
/// let mut y = [0.0f32; 6];
/// activ::softmax(&x, &mut y, 2, 3)?;
/// assert!((y[0] + y[1] + y[2] - 1.0).abs() < 1e-6);
/// assert_eq!(&y[3..], &[0.0, 0.0, 0.0]);
/// # Ok::<(), activ::Error>(())
/// ```
pub fn softmax<T: Float>(x: &[T], y: &mut [T], rows: usize, cols: usize) -> Result<(), Error> {
    softmax_rows(
        Rows::new(x, rows, cols)?,
        RowsMut::new(y, rows, cols)?,
        MaskedRows::Zeros,
    )
}

/// Softmax over each row of the contiguous `rows × cols` matrix `xs`, in place.
pub fn softmax_in_place<T: Float>(xs: &mut [T], rows: usize, cols: usize) -> Result<(), Error> {
    softmax_rows_in_place(RowsMut::new(xs, rows, cols)?, MaskedRows::Zeros);
    Ok(())
}

/// Log-softmax over each row of the contiguous `rows × cols` matrix `x`, into `y`.
/// Masked rows (all −∞) give −∞.
pub fn log_softmax<T: Float>(x: &[T], y: &mut [T], rows: usize, cols: usize) -> Result<(), Error> {
    log_softmax_rows(
        Rows::new(x, rows, cols)?,
        RowsMut::new(y, rows, cols)?,
        MaskedRows::Zeros,
    )
}

/// Log-softmax over each row of the contiguous `rows × cols` matrix `xs`, in place.
pub fn log_softmax_in_place<T: Float>(xs: &mut [T], rows: usize, cols: usize) -> Result<(), Error> {
    log_softmax_rows_in_place(RowsMut::new(xs, rows, cols)?, MaskedRows::Zeros);
    Ok(())
}

/// logsumexp of each row of the contiguous `rows × cols` matrix `x`; `out` has `rows`
/// elements. Empty and fully masked rows give −∞.
///
/// ```
/// let x = [1000.0f64, 1000.0];
/// let mut out = [0.0f64];
/// activ::logsumexp(&x, &mut out, 1, 2)?;
/// assert_eq!(out[0], 1000.0 + std::f64::consts::LN_2);
/// # Ok::<(), activ::Error>(())
/// ```
pub fn logsumexp<T: Float>(x: &[T], out: &mut [T], rows: usize, cols: usize) -> Result<(), Error> {
    logsumexp_rows(Rows::new(x, rows, cols)?, out)
}

// ---------------------------------------------------------------------------------------
// f32 rows on f64 lanes.
//
// The same three passes as above, with the `f64` intermediates the `f32` results need
// (see `math::lean`): the maximum m; the count c of entries equal to m and the tail sum
// T = Σ_{x_j < m} e^(x_j − m) in 16 accumulators; then the outputs. Keeping the entries
// equal to m out of T is what gives the dominant logit of log_softmax its full relative
// accuracy: −log1p(c − 1 + T) is computed once per row by the `f64` kernel. Element 16b + i
// always goes to accumulator i and the accumulators are added in one fixed order, on every
// path, so the sums — and the results — are the same bits everywhere.

/// Entries per accumulation block: 16 accumulators (4 AVX2 vectors, 2 AVX-512 vectors).
const BLOCK: usize = 16;

/// A row element the lane passes read: `f32` (widened) or `f64`.
pub(crate) trait LaneElem: Copy {
    fn load<V: F64s>(x: &[Self]) -> V;
    /// Rounds the lanes to the element type into `out[..LANES]`.
    fn store<V: F64s>(v: V, out: &mut [Self]);
    fn wide(self) -> f64;
}

impl LaneElem for f32 {
    #[inline(always)]
    fn load<V: F64s>(x: &[f32]) -> V {
        V::load_f32(x)
    }
    #[inline(always)]
    fn store<V: F64s>(v: V, out: &mut [f32]) {
        v.store_f32(out)
    }
    #[inline(always)]
    fn wide(self) -> f64 {
        self as f64
    }
}

impl LaneElem for f64 {
    #[inline(always)]
    fn load<V: F64s>(x: &[f64]) -> V {
        V::load_f64(x)
    }
    #[inline(always)]
    fn store<V: F64s>(v: V, out: &mut [f64]) {
        v.write_f64(out)
    }
    #[inline(always)]
    fn wide(self) -> f64 {
        self
    }
}

/// Maximum, NaN flag and +∞ count of a row, on lanes.
#[inline(always)]
fn scan_lanes<V: F64s, E: LaneElem>(row: &[E]) -> RowScan {
    let mut m = V::splat(f64::NEG_INFINITY);
    let mut nan = V::splat(0.0);
    let mut inf = V::splat(0.0);
    let mut chunks = row.chunks_exact(V::LANES);
    for c in &mut chunks {
        let x = E::load::<V>(c);
        m = x.max_or(m);
        nan = V::select(x.is_nan(), V::splat(1.0), nan);
        inf = inf + V::select(x.eq(V::splat(f64::INFINITY)), V::splat(1.0), V::splat(0.0));
    }
    let mut lanes = [[0.0f64; 8]; 3];
    m.write_f64(&mut lanes[0]);
    nan.write_f64(&mut lanes[1]);
    inf.write_f64(&mut lanes[2]);
    let mut s = RowScan {
        max: f64::NEG_INFINITY,
        has_nan: false,
        pos_inf: 0,
    };
    let [maxes, nans, infs] = &lanes;
    for ((&m, &nan), &inf) in maxes.iter().zip(nans).zip(infs).take(V::LANES) {
        s.max = select(m > s.max, m, s.max);
        s.has_nan |= nan != 0.0;
        s.pos_inf += inf as usize;
    }
    for &v in chunks.remainder() {
        let v = v.wide();
        s.max = select(v > s.max, v, s.max);
        s.has_nan |= v.is_nan();
        s.pos_inf += (v == f64::INFINITY) as usize;
    }
    s
}

/// [`scan_lanes`] for an `f32` row on `f32` lanes `W` (twice the lanes of `f64`, no
/// widening): the maximum and a NaN flag per lane; the +∞ entries are counted only when the
/// maximum is +∞. The maximum is exact whatever the order, and which of ±0 it returns
/// cannot matter: a zero maximum shared by two entries makes c ≥ 2 and log(c + T) > 0.
#[inline(always)]
fn scan_f32<W: F32s>(row: &[f32]) -> RowScan {
    let mut m = W::splat(f32::NEG_INFINITY);
    let mut nan = W::splat(0.0);
    let mut chunks = row.chunks_exact(16);
    for c in &mut chunks {
        for v in c.chunks_exact(W::LANES) {
            let x = W::load_f32(v);
            // x.max_or(m) keeps m when x is NaN; the NaN is flagged instead.
            m = x.max_or(m);
            nan = W::select(x.is_nan(), W::splat(1.0), nan);
        }
    }
    let mut maxes = [f32::NEG_INFINITY; 16];
    let mut nans = [0.0f32; 16];
    m.store_f32(&mut maxes);
    nan.store_f32(&mut nans);
    let mut s = RowScan {
        max: f64::NEG_INFINITY,
        has_nan: false,
        pos_inf: 0,
    };
    for (&m, &nan) in maxes.iter().zip(&nans).take(W::LANES) {
        s.max = select(m as f64 > s.max, m as f64, s.max);
        s.has_nan |= nan != 0.0;
    }
    for &v in chunks.remainder() {
        let v = v as f64;
        s.max = select(v > s.max, v, s.max);
        s.has_nan |= v.is_nan();
    }
    if s.max == f64::INFINITY {
        s.pos_inf = row.iter().filter(|&&v| v == f32::INFINITY).count();
    }
    s
}

/// e^(x − m) for the entries below m (0 below m − 700, where it cannot matter), and a mask
/// of the entries equal to m. `COARSE` takes the exponential good to 2^−32
/// (`lean::exp_nonpositive`, log-softmax) instead of 2^−43 (`lean::exp`, logsumexp, whose
/// absolute error bound rests on it).
#[inline(always)]
fn shifted_exp<V: F64s, const COARSE: bool>(x: V, m: V) -> (V, V::Mask) {
    let d = x - m;
    let at_max = d.eq(V::splat(0.0));
    let e = if COARSE {
        crate::math::lean::exp_nonpositive(d)
    } else {
        crate::math::lean::exp(d)
    };
    let e = V::select(d.lt(V::splat(-700.0)) | at_max, V::splat(0.0), e);
    (e, at_max)
}

/// Adds one block of 16 entries into the accumulators. (A function, not a closure: a
/// closure would not inherit the caller's target features, and its intrinsics would not be
/// inlined.)
#[inline(always)]
fn add_block<V: F64s, const COARSE: bool>(
    block: &[f32],
    mv: V,
    sums: &mut [V; BLOCK],
    counts: &mut [V; BLOCK],
) {
    for v in 0..BLOCK / V::LANES {
        let x = V::load_f32(&block[v * V::LANES..]);
        let (e, at_max) = shifted_exp::<V, COARSE>(x, mv);
        sums[v] = sums[v] + e;
        counts[v] = counts[v] + V::select(at_max, V::splat(1.0), V::splat(0.0));
    }
}

/// (c, T): the count of entries equal to m and the sum of e^(x_j − m) over the others, for
/// log-softmax and logsumexp (softmax takes the plain sum, [`sum_exp`]). `COARSE` as in
/// [`shifted_exp`].
#[inline(always)]
fn count_and_tail<V: F64s, const COARSE: bool>(row: &[f32], m: f64) -> (f64, f64) {
    let mv = V::splat(m);
    let mut sums = [V::splat(0.0); BLOCK];
    let mut counts = [V::splat(0.0); BLOCK];
    let mut blocks = row.chunks_exact(BLOCK);
    for b in &mut blocks {
        add_block::<V, COARSE>(b, mv, &mut sums, &mut counts);
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        // −∞ padding adds +0.0, which leaves every (non-negative) accumulator unchanged.
        let mut pad = [f32::NEG_INFINITY; BLOCK];
        pad[..rest.len()].copy_from_slice(rest);
        add_block::<V, COARSE>(&pad, mv, &mut sums, &mut counts);
    }
    let mut s = [0.0f64; BLOCK];
    let mut c = [0.0f64; BLOCK];
    for v in 0..BLOCK / V::LANES {
        sums[v].write_f64(&mut s[v * V::LANES..]);
        counts[v].write_f64(&mut c[v * V::LANES..]);
    }
    (pairwise16(&c), pairwise16(&s))
}

/// Adds e^(x_j − m) of one block of 16 entries into the accumulators and stores it in
/// `keep` (a function, not a closure, as [`add_block`]).
#[inline(always)]
fn add_exp_block<V: F64s>(block: &[f32], mv: V, sums: &mut [V; BLOCK], keep: &mut [f64]) {
    // Two vectors per kernel call, interleaved operation by operation (`Twice`): the
    // exponential is a dependency chain, and two in view at once run faster.
    let mv = Twice(mv, mv);
    for v in (0..BLOCK / V::LANES).step_by(2) {
        let x = Twice::<V>::load_f32(&block[v * V::LANES..]);
        let e = crate::math::lean::exp_nonpositive(x - mv);
        sums[v] = sums[v] + e.0;
        sums[v + 1] = sums[v + 1] + e.1;
        e.write_f64(&mut keep[v * V::LANES..]);
    }
}

/// S = Σ_j e^(x_j − m) over the whole row, each term also stored in `keep`: softmax needs
/// only S (= c + T), so this pass skips the count, the masks and the selects of
/// [`count_and_tail`]. The exponential is good to 2^−32 (`lean::exp_nonpositive`), enough
/// for a quotient rounded once to `f32`. The entries at m give exactly 1; entries more
/// than 700 below m, −∞ and the −∞ padding included, give e^−700 from the kernel's clamp,
/// which no sum S ≥ 1 and no `f32` result can see. The 16 accumulators are laid out as in
/// [`count_and_tail`], so the sum is the same on every path.
#[inline(always)]
fn sum_exp<V: F64s>(row: &[f32], m: f64, keep: &mut [f64]) -> f64 {
    let mv = V::splat(m);
    let mut sums = [V::splat(0.0); BLOCK];
    let mut blocks = row.chunks_exact(BLOCK);
    let mut kept = keep.chunks_exact_mut(BLOCK);
    for (b, k) in (&mut blocks).zip(&mut kept) {
        add_exp_block(b, mv, &mut sums, k);
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut pad = [f32::NEG_INFINITY; BLOCK];
        pad[..rest.len()].copy_from_slice(rest);
        let mut out = [0.0f64; BLOCK];
        add_exp_block(&pad, mv, &mut sums, &mut out);
        kept.into_remainder().copy_from_slice(&out[..rest.len()]);
    }
    let mut s = [0.0f64; BLOCK];
    for v in 0..BLOCK / V::LANES {
        sums[v].write_f64(&mut s[v * V::LANES..]);
    }
    pairwise16(&s)
}

/// y_j = kept_j · inv, rounded to `f32`.
#[inline(always)]
fn scale_row<V: F64s>(row: &mut [f32], kept: &[f64], inv: f64) {
    let inv = V::splat(inv);
    let mut chunks = row.chunks_exact_mut(V::LANES);
    let mut kc = kept.chunks_exact(V::LANES);
    for (c, k) in (&mut chunks).zip(&mut kc) {
        (V::load_f64(k) * inv).store_f32(c);
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let mut buf = [0.0f64; 8];
        buf[..rest.len()].copy_from_slice(kc.remainder());
        let mut out = [0.0f32; 8];
        (V::load_f64(&buf) * inv).store_f32(&mut out);
        let n = rest.len();
        rest.copy_from_slice(&out[..n]);
    }
}

/// The sum of 16 values in a fixed tree order.
#[inline(always)]
fn pairwise16(v: &[f64; BLOCK]) -> f64 {
    let mut w = *v;
    let mut n = BLOCK;
    while n > 1 {
        n /= 2;
        for i in 0..n {
            w[i] += w[i + n];
        }
    }
    w[0]
}

/// The log-softmax pass, (x_j − m) − l with l = log(c + T), over lanes; the last partial
/// vector goes through a padded buffer.
#[inline(always)]
fn log_finish_row<V: F64s>(row: &mut [f32], m: f64, l: f64) {
    let (mv, lv) = (V::splat(m), V::splat(l));
    let mut chunks = row.chunks_exact_mut(V::LANES);
    for c in &mut chunks {
        ((V::load_f32(c) - mv) - lv).store_f32(c);
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let mut buf = [0.0f32; 8];
        buf[..rest.len()].copy_from_slice(rest);
        ((V::load_f32(&buf) - mv) - lv).store_f32(&mut buf);
        let n = rest.len();
        rest.copy_from_slice(&buf[..n]);
    }
}

/// Softmax (`log == false`) or log-softmax of one `f32` row, in place, on lanes `V`.
#[inline(always)]
pub(crate) fn row_f32_lanes<V: F64s, W: F32s>(row: &mut [f32], masked: MaskedRows, log: bool) {
    if row.is_empty() {
        return;
    }
    let s = scan_f32::<W>(row);
    if special_fill(row, &s, masked, log) {
        return;
    }
    let m = s.max;
    if log {
        // T good to 2^−32 is enough: log S = log1p(c − 1 + T) moves by at most T's relative
        // error (absolute), which is relative to −log S at the maximum and below 2^−31.5
        // relative elsewhere, where |y| ≥ ln 2 (y = log(e^x/S) with S ≥ e^x + e^m).
        let (c, t) = count_and_tail::<V, true>(row, m);
        let l = crate::math::log::ln1p(c - 1.0 + t);
        log_finish_row::<V>(row, m, l);
    } else {
        // e^(x_j − m) is kept from the summing pass: one exponential per entry.
        let mut buf = KeptBuffer::take(row.len());
        let kept = &mut buf.0[..row.len()];
        let sum = sum_exp::<V>(row, m, kept);
        scale_row::<V>(row, kept, 1.0 / sum);
    }
}

thread_local! {
    /// Scratch space for the kept exponentials of the softmax rows, reused from row to row
    /// on each thread (allocating and zeroing it per row cost about a tenth of a
    /// 1024-column row).
    static KEPT: core::cell::Cell<Vec<f64>> = const { core::cell::Cell::new(Vec::new()) };
}

/// Scratch space larger than this (1.5 MiB) is allocated per row instead of kept on the
/// thread: the allocation is small next to such a row, and no thread holds more after one
/// large call.
const KEPT_REUSED_MAX: usize = 3 << 16;

/// The scratch space of a row, holding at least `n` entries (their values are leftovers);
/// it goes back to the thread when dropped.
struct KeptBuffer(Vec<f64>);

impl KeptBuffer {
    fn take(n: usize) -> Self {
        if n > KEPT_REUSED_MAX {
            return KeptBuffer(vec![0.0; n]);
        }
        let mut v = KEPT.with(|k| k.take());
        if v.len() < n {
            v.resize(n, 0.0);
        }
        KeptBuffer(v)
    }
}

impl Drop for KeptBuffer {
    fn drop(&mut self) {
        if self.0.len() <= KEPT_REUSED_MAX {
            let v = core::mem::take(&mut self.0);
            KEPT.with(|k| k.set(v));
        }
    }
}

/// The two-pass online-normalizer softmax of Milakov and Gimelshein (2018) for one `f32`
/// row on lanes `V`, kept for the comparison in the benchmarks (`benches/activations.rs`,
/// `softmax/<type>/online`): pass 1 keeps a running maximum m and sum s per accumulator,
/// with one exponential per entry, t = e^(−|x − m|), and s ← s·t + 1 where x raises m,
/// s ← s + t otherwise; pass 2 writes e^(x − M)/S, a second exponential per entry. Both
/// use the three-pass form's exponential (`lean::exp_nonpositive`, 2^−32), so the
/// benchmark compares the passes, not two kernels. Rows
/// with NaN or +∞ go to [`row_f32_lanes`]. Three-pass [`row_f32_lanes`] takes one
/// exponential per entry and measured faster at every size here, so the library uses it.
#[inline(always)]
pub(crate) fn row_f32_online_lanes<V: F64s>(row: &mut [f32], masked: MaskedRows) {
    let zero = V::splat(0.0);
    let one = V::splat(1.0);
    let ninf = V::splat(f64::NEG_INFINITY);
    let cut = V::splat(700.0);
    let mut ms = [ninf; BLOCK];
    let mut ss = [zero; BLOCK];
    let mut blocks = row.chunks_exact(BLOCK);
    let mut pad = [f32::NEG_INFINITY; BLOCK];
    let rest = {
        let r = blocks.remainder();
        pad[..r.len()].copy_from_slice(r);
        r.len()
    };
    let tail = if rest > 0 { Some(&pad[..]) } else { None };
    for b in (&mut blocks).chain(tail) {
        for v in 0..BLOCK / V::LANES {
            let x = V::load_f32(&b[v * V::LANES..]);
            let m = ms[v];
            let d = x - m;
            let raise = x.gt(m);
            let t = crate::math::lean::exp_nonpositive(-d.abs());
            // x = −∞ (padding, masked entries) adds nothing; so does an entry 700 below m.
            let t = V::select(x.eq(ninf) | d.abs().gt(cut), zero, t);
            let t = V::select(m.eq(ninf), zero, t);
            ss[v] = V::select(raise, ss[v].mul_add(t, one), ss[v] + t);
            ms[v] = V::select(raise, x, m);
        }
    }
    let mut m16 = [0.0f64; BLOCK];
    let mut s16 = [0.0f64; BLOCK];
    for v in 0..BLOCK / V::LANES {
        ms[v].write_f64(&mut m16[v * V::LANES..]);
        ss[v].write_f64(&mut s16[v * V::LANES..]);
    }
    let mut big_m = f64::NEG_INFINITY;
    for &m in &m16 {
        big_m = select(m > big_m, m, big_m);
    }
    let mut total = 0.0;
    for i in 0..BLOCK {
        let w = select(
            m16[i] == f64::NEG_INFINITY,
            0.0,
            s16[i] * crate::math::lean::exp_nonpositive(m16[i] - big_m),
        );
        total += w;
    }
    if !(total.is_finite() && total > 0.0 && big_m.is_finite()) {
        row_f32_lanes::<V, f32>(row, masked, false);
        return;
    }
    let inv = V::splat(1.0 / total);
    let mv = V::splat(big_m);
    let mut chunks = row.chunks_exact_mut(V::LANES);
    for c in &mut chunks {
        let d = V::load_f32(c) - mv;
        let e = V::select(d.lt(-cut), zero, crate::math::lean::exp_nonpositive(d));
        (e * inv).store_f32(c);
    }
    let r = chunks.into_remainder();
    if !r.is_empty() {
        let mut buf = [f32::NEG_INFINITY; 8];
        buf[..r.len()].copy_from_slice(r);
        let d = V::load_f32(&buf) - mv;
        let e = V::select(d.lt(-cut), zero, crate::math::lean::exp_nonpositive(d));
        (e * inv).store_f32(&mut buf);
        let n = r.len();
        r.copy_from_slice(&buf[..n]);
    }
}

/// logsumexp of one `f32` row on lanes `V`.
#[inline(always)]
pub(crate) fn logsumexp_f32_lanes<V: F64s, W: F32s>(row: &[f32]) -> f32 {
    let s = scan_f32::<W>(row);
    if s.has_nan {
        return f32::NAN;
    }
    if s.pos_inf > 0 {
        return f32::INFINITY;
    }
    if s.max == f64::NEG_INFINITY {
        return f32::NEG_INFINITY;
    }
    let (c, t) = count_and_tail::<V, false>(row, s.max);
    (s.max + crate::math::log::ln1p(c - 1.0 + t)) as f32
}

// ---------------------------------------------------------------------------------------
// f64 rows on f64 lanes: the passes of the f32 rows with the double-double steps of the
// scalar row kernel: x − m and e^(x − m) as double-doubles, 16 double-double accumulators
// added in a fixed order, 1/(c + T) and log1p(c − 1 + T) once per row, and each output
// scaled last so subnormal results round once.

/// e^(x − m) as unscaled parts (hi + lo)·2^k with x − m a double-double, and the mask of
/// entries equal to m. `LEAN`: from the plain-`f64` exponential (`exp::exp_neg_lean2_lanes`,
/// 2^−56.3), the tail dropped below −760 (−∞ and the padding included), where the
/// exponential clamps, far under anything the sum S ≥ 1 or an `f64` output can show;
/// otherwise from the double-double one (`exp::exp_parts_lanes`, 2^−67), the tail dropped
/// where the head is not finite.
#[inline(always)]
fn shifted_exp_parts<V: F64s, const LEAN: bool>(x: V, m: V) -> (V, V, V, V::Mask) {
    let zero = V::splat(0.0);
    let (d, d_lo) = two_sum(x, -m);
    let (hi, lo, k) = if LEAN {
        let d_lo = V::select(d.ge(V::splat(-760.0)), d_lo, zero);
        crate::math::exp::exp_neg_lean2_lanes(d, d_lo)
    } else {
        let d_lo = V::select(d.abs().lt(V::splat(f64::INFINITY)), d_lo, zero);
        crate::math::exp::exp_parts_lanes(d, d_lo)
    };
    (hi, lo, k, d.eq(zero))
}

/// The 16 double-double accumulators of a row, added in one fixed tree, so that the sum is
/// the same on every path.
#[inline(always)]
fn sum_accumulators<V: F64s>(sums: &[(V, V); BLOCK]) -> (f64, f64) {
    let mut hi = [0.0f64; BLOCK];
    let mut lo = [0.0f64; BLOCK];
    for v in 0..BLOCK / V::LANES {
        sums[v].0.write_f64(&mut hi[v * V::LANES..]);
        sums[v].1.write_f64(&mut lo[v * V::LANES..]);
    }
    let mut n = BLOCK;
    while n > 1 {
        n /= 2;
        for i in 0..n {
            (hi[i], lo[i]) = add_dd(hi[i], lo[i], hi[i + n], lo[i + n]);
        }
    }
    (hi[0], lo[0])
}

/// e^(x − m) as unscaled parts kept from the summing pass, one plane each, for softmax.
struct KeptParts<'a> {
    hi: &'a mut [f64],
    lo: &'a mut [f64],
    k: &'a mut [f64],
}

/// One block of [`count_and_tail_f64`], e^(x − m) from [`shifted_exp_parts`].
#[inline(always)]
fn add_block_f64<V: F64s, const LEAN: bool>(
    block: &[f64],
    mv: V,
    sums: &mut [(V, V); BLOCK],
    counts: &mut [V; BLOCK],
) {
    use crate::math::exp::{ldexp_lanes, scale_down_lanes};
    for v in 0..BLOCK / V::LANES {
        let x = V::load_f64(&block[v * V::LANES..]);
        let zero = V::splat(0.0);
        let (hi, lo, k, at_max) = shifted_exp_parts::<V, LEAN>(x, mv);
        let (e, e_lo) = if LEAN {
            // Normalised first (|lo| may be 3 % of hi) and each half scaled with one
            // rounding, so that a subnormal term rounds once: the dominant entry's
            // log-softmax is −log1p(T), which is −T there.
            let (h, l) = crate::math::dd::fast_two_sum(hi, lo);
            (scale_down_lanes(h, k), scale_down_lanes(l, k))
        } else {
            (ldexp_lanes(hi, k), ldexp_lanes(lo, k))
        };
        let e = V::select(at_max, zero, e);
        let e_lo = V::select(at_max, zero, e_lo);
        // Cascaded (Ogita–Rump–Oishi Sum2): the head's TwoSum error and the term's tail go
        // into the second word, which is not renormalised per term as `add_dd` would.
        let (sum, err) = two_sum(sums[v].0, e);
        sums[v] = (sum, sums[v].1 + (err + e_lo));
        counts[v] = counts[v] + V::select(at_max, V::splat(1.0), zero);
    }
}

/// (c, T, T_lo): the count of entries equal to m and Σ_{x_j < m} e^(x_j − m) as a
/// double-double, for log-softmax (`LEAN`, see [`add_block_f64`]: log S then moves by at
/// most 2^−56.3 relative to the dominant entry's −log1p(T) and less elsewhere) and
/// logsumexp (not `LEAN`: its absolute error bound of 2^−62·max(1, |m|) rests on T's
/// 2^−67).
#[inline(always)]
fn count_and_tail_f64<V: F64s, const LEAN: bool>(row: &[f64], m: f64) -> (f64, f64, f64) {
    let mv = V::splat(m);
    let mut sums = [(V::splat(0.0), V::splat(0.0)); BLOCK];
    let mut counts = [V::splat(0.0); BLOCK];
    let mut blocks = row.chunks_exact(BLOCK);
    for b in &mut blocks {
        add_block_f64::<V, LEAN>(b, mv, &mut sums, &mut counts);
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut pad = [f64::NEG_INFINITY; BLOCK];
        pad[..rest.len()].copy_from_slice(rest);
        add_block_f64::<V, LEAN>(&pad, mv, &mut sums, &mut counts);
    }
    let mut c = [0.0f64; BLOCK];
    for v in 0..BLOCK / V::LANES {
        counts[v].write_f64(&mut c[v * V::LANES..]);
    }
    let (t, t_lo) = sum_accumulators(&sums);
    (pairwise16(&c), t, t_lo)
}

/// ((hi + lo)·(inv + inv_lo))·2^k: see [`scale_row64`]. (A function, not a closure: a
/// closure does not take on the target features of the loop it sits in, and ran at a third
/// of the speed.)
#[inline(always)]
fn quotient64<V: F64s>(hi: V, lo: V, k: V, inv: V, inv_lo: V) -> V {
    crate::math::exp::scale_down_lanes(hi.mul_add(inv, hi.mul_add(inv_lo, lo * inv)), k)
}

/// softmax output from the kept parts: ((hi + lo)·(inv + inv_lo))·2^k, the product formed
/// unscaled in two fused multiply-adds (hi·inv + (hi·inv_lo + lo·inv), rounded once; the
/// dropped lo·inv_lo is below 2^−100 of it) and scaled last, so subnormal results round once.
#[inline(always)]
fn scale_row64<V: F64s>(row: &mut [f64], kept: &[f64], inv: f64, inv_lo: f64) {
    let n = row.len();
    let (hi, rest) = kept.split_at(n);
    let (lo, k) = rest.split_at(n);
    let (iv, iv_lo) = (V::splat(inv), V::splat(inv_lo));
    let mut at = 0;
    while at + V::LANES <= n {
        let (h, l) = (V::load_f64(&hi[at..]), V::load_f64(&lo[at..]));
        quotient64(h, l, V::load_f64(&k[at..]), iv, iv_lo).write_f64(&mut row[at..]);
        at += V::LANES;
    }
    if at < n {
        let m = n - at;
        let (mut h, mut l, mut kk) = ([0.0f64; 8], [0.0f64; 8], [0.0f64; 8]);
        h[..m].copy_from_slice(&hi[at..]);
        l[..m].copy_from_slice(&lo[at..]);
        kk[..m].copy_from_slice(&k[at..]);
        let mut out = [0.0f64; 8];
        quotient64(
            V::load_f64(&h),
            V::load_f64(&l),
            V::load_f64(&kk),
            iv,
            iv_lo,
        )
        .write_f64(&mut out);
        row[at..].copy_from_slice(&out[..m]);
    }
}

/// Adds e^(x_j − m) of one block of 16 entries into the accumulators (a double-double each,
/// by a TwoSum whose error joins the low half) and keeps its parts; e^(x_j − m) from the
/// plain-`f64` exponential ([`shifted_exp_parts`] with `LEAN`).
#[inline(always)]
fn add_exp_block_f64<V: F64s>(block: &[f64], mv: V, sums: &mut [(V, V); BLOCK], kp: KeptParts) {
    for v in 0..BLOCK / V::LANES {
        let x = V::load_f64(&block[v * V::LANES..]);
        let (hi, lo, k, _) = shifted_exp_parts::<V, true>(x, mv);
        let s = crate::math::exp::pow2_from_minus_1000(k);
        let (sum, err) = two_sum(sums[v].0, hi * s);
        sums[v] = (sum, sums[v].1 + lo.mul_add(s, err));
        let at = v * V::LANES;
        hi.write_f64(&mut kp.hi[at..]);
        lo.write_f64(&mut kp.lo[at..]);
        k.write_f64(&mut kp.k[at..]);
    }
}

/// S = Σ_j e^(x_j − m) over an `f64` row as a double-double, the parts of every term kept
/// for the last pass: softmax needs only S, not the count c and the tail T apart. The 16
/// accumulators are laid out and added as in [`count_and_tail_f64`], the same on every
/// path.
#[inline(always)]
fn sum_exp_f64<V: F64s>(row: &[f64], m: f64, kp: KeptParts<'_>) -> (f64, f64) {
    let mv = V::splat(m);
    let mut sums = [(V::splat(0.0), V::splat(0.0)); BLOCK];
    let mut blocks = row.chunks_exact(BLOCK);
    let mut at = 0;
    for b in &mut blocks {
        let part = KeptParts {
            hi: &mut kp.hi[at..at + BLOCK],
            lo: &mut kp.lo[at..at + BLOCK],
            k: &mut kp.k[at..at + BLOCK],
        };
        add_exp_block_f64(b, mv, &mut sums, part);
        at += BLOCK;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut pad = [f64::NEG_INFINITY; BLOCK];
        pad[..rest.len()].copy_from_slice(rest);
        let (mut h, mut l, mut kk) = ([0.0f64; BLOCK], [0.0f64; BLOCK], [0.0f64; BLOCK]);
        let tmp = KeptParts {
            hi: &mut h,
            lo: &mut l,
            k: &mut kk,
        };
        add_exp_block_f64(&pad, mv, &mut sums, tmp);
        let n = rest.len();
        kp.hi[at..].copy_from_slice(&h[..n]);
        kp.lo[at..].copy_from_slice(&l[..n]);
        kp.k[at..].copy_from_slice(&kk[..n]);
    }
    sum_accumulators(&sums)
}

/// The log-softmax pass, (x_j − m) − log(c + T) with x_j − m a double-double.
#[inline(always)]
fn log_finish64<V: F64s>(x: V, m: f64, l: f64, l_lo: f64) -> V {
    let (d, d_lo) = two_sum(x, -V::splat(m));
    let finite = d.abs().lt(V::splat(f64::INFINITY));
    let d_lo = V::select(finite, d_lo, V::splat(0.0));
    let (r, _) = add_dd(d, d_lo, -V::splat(l), -V::splat(l_lo));
    V::select(d.eq(V::splat(f64::NEG_INFINITY)), d, r)
}

#[inline(always)]
fn log_finish_row64<V: F64s>(row: &mut [f64], m: f64, l: f64, l_lo: f64) {
    let mut chunks = row.chunks_exact_mut(V::LANES);
    for c in &mut chunks {
        log_finish64(V::load_f64(c), m, l, l_lo).write_f64(c);
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let mut buf = [0.0f64; 8];
        buf[..rest.len()].copy_from_slice(rest);
        log_finish64(V::load_f64(&buf), m, l, l_lo).write_f64(&mut buf);
        let n = rest.len();
        rest.copy_from_slice(&buf[..n]);
    }
}

/// Softmax (`log == false`) or log-softmax of one `f64` row, in place, on lanes `V`.
#[inline(always)]
pub(crate) fn row_f64_lanes<V: F64s>(row: &mut [f64], masked: MaskedRows, log: bool) {
    if row.is_empty() {
        return;
    }
    let s = scan_lanes::<V, f64>(row);
    if special_fill(row, &s, masked, log) {
        return;
    }
    let m = s.max;
    if log {
        let (c, t, t_lo) = count_and_tail_f64::<V, true>(row, m);
        // log(c + T) = log1p((c − 1) + T), with c − 1 a small integer: exact sum first.
        let (a, a_lo) = add_dd(c - 1.0, 0.0, t, t_lo);
        let (l, l_lo) = ln1p_dd(a, a_lo);
        log_finish_row64::<V>(row, m, l, l_lo);
    } else {
        // The parts of e^(x_j − m) are kept from the summing pass: one exponential per entry.
        let n = row.len();
        let mut buf = KeptBuffer::take(3 * n);
        let kept = &mut buf.0[..3 * n];
        let (hi, rest) = kept.split_at_mut(n);
        let (lo, k) = rest.split_at_mut(n);
        let (d, d_lo) = sum_exp_f64::<V>(row, m, KeptParts { hi, lo, k });
        let (inv, inv_lo) = div_dd(1.0, 0.0, d, d_lo);
        scale_row64::<V>(row, kept, inv, inv_lo);
    }
}

/// logsumexp of one `f64` row on lanes `V`.
#[inline(always)]
pub(crate) fn logsumexp_f64_lanes<V: F64s>(row: &[f64]) -> f64 {
    let s = scan_lanes::<V, f64>(row);
    if s.has_nan {
        return f64::NAN;
    }
    if s.pos_inf > 0 {
        return f64::INFINITY;
    }
    if s.max == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    let (c, t, t_lo) = count_and_tail_f64::<V, false>(row, s.max);
    let (a, a_lo) = add_dd(c - 1.0, 0.0, t, t_lo);
    let (l, l_lo) = ln1p_dd(a, a_lo);
    let (r, _) = add_dd(s.max, 0.0, l, l_lo);
    r
}
