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
//! - **The sum.** T = Σ_{j ≠ argmax} e^(x_j − m) is accumulated as a double-double, so the
//!   sum of a 65536-column row adds no error visible in the result; S = 1 + T.
//! - **log-softmax.** x_i − m − log(S) loses the relative precision of the dominant entry,
//!   where the result is tiny: log(S) = log1p(T) is computed from T directly, as a
//!   double-double, and (x_i − m) − log1p(T) never cancels because both terms are ≤ 0.
//!   The dominant entry's result, −log1p(T), keeps full relative accuracy.
//! - **logsumexp** = m + log1p(T), summed as a double-double (m and log1p(T) can cancel
//!   when m < 0).
//!
//! All arithmetic is done in f64 (f32 rows are rounded once at the end).
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
//! softmax and log_softmax: ≤ 1 ULP per element in f32 and f64 on random rows, rows with one
//! dominant logit and rows spanning 1e4, up to 65536 columns (the stated bound is 4 ULP, 2
//! as the target).

use crate::math::dd::{add_dd, div_dd, select, two_sum};
use crate::math::exp::{exp_parts, ldexp};
use crate::math::log::{ln, ln1p_dd};
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

    fn row(&self, r: usize) -> &'a [T] {
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

    fn row_mut(&mut self, r: usize) -> &mut [T] {
        &mut self.data[r * self.stride..r * self.stride + self.cols]
    }
}

fn same_shape<T: Float>(x: &Rows<'_, T>, y: &RowsMut<'_, T>) -> Result<(), Error> {
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
    argmax: usize,
    has_nan: bool,
    pos_inf: usize,
}

fn scan<T: Float>(row: &[T]) -> RowScan {
    let mut s = RowScan {
        max: f64::NEG_INFINITY,
        argmax: 0,
        has_nan: false,
        pos_inf: 0,
    };
    for (j, &v) in row.iter().enumerate() {
        let v = v.to_f64();
        s.has_nan |= v.is_nan();
        s.pos_inf += (v == f64::INFINITY) as usize;
        if v > s.max {
            s.max = v;
            s.argmax = j;
        }
    }
    s
}

/// x − m as a double-double; the tail is 0 when the head is infinite.
#[inline(always)]
fn shifted(x: f64, m: f64) -> (f64, f64) {
    let (d, d_lo) = two_sum(x, -m);
    (d, select(d.is_finite(), d_lo, 0.0))
}

/// T = Σ_{j ≠ argmax} e^(x_j − m) as a double-double.
fn tail_sum<T: Float>(row: &[T], m: f64, argmax: usize) -> (f64, f64) {
    let (mut t, mut t_lo) = (0.0, 0.0);
    for (j, &v) in row.iter().enumerate() {
        let (d, d_lo) = shifted(v.to_f64(), m);
        let p = exp_parts(d, d_lo);
        let e = select(j == argmax, 0.0, ldexp(p.hi, p.k));
        let e_lo = select(j == argmax, 0.0, ldexp(p.lo, p.k));
        (t, t_lo) = add_dd(t, t_lo, e, e_lo);
    }
    (t, t_lo)
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

fn softmax_row<T: Float>(row: &mut [T], masked: MaskedRows) {
    if row.is_empty() {
        return;
    }
    let s = scan(row);
    if special_fill(row, &s, masked, false) {
        return;
    }
    let (t, t_lo) = tail_sum(row, s.max, s.argmax);
    let (d, d_lo) = add_dd(1.0, 0.0, t, t_lo);
    for v in row.iter_mut() {
        let (x, x_lo) = shifted(v.to_f64(), s.max);
        let p = exp_parts(x, x_lo);
        let (q, _) = div_dd(p.hi, p.lo, d, d_lo);
        *v = T::from_f64(ldexp(q, p.k));
    }
}

fn log_softmax_row<T: Float>(row: &mut [T], masked: MaskedRows) {
    if row.is_empty() {
        return;
    }
    let s = scan(row);
    if special_fill(row, &s, masked, true) {
        return;
    }
    let (t, t_lo) = tail_sum(row, s.max, s.argmax);
    let (l, l_lo) = ln1p_dd(t, t_lo);
    for v in row.iter_mut() {
        let x = v.to_f64();
        let (d, d_lo) = shifted(x, s.max);
        let (r, _) = add_dd(d, d_lo, -l, -l_lo);
        // x − m is −∞ for x = −∞, and also when it overflows (x = −MAX, m = MAX): the true
        // value is then below −MAX too.
        *v = T::from_f64(select(d == f64::NEG_INFINITY, d, r));
    }
}

fn logsumexp_row<T: Float>(row: &[T]) -> T {
    let s = scan(row);
    if s.has_nan {
        return T::NAN;
    }
    if s.pos_inf > 0 {
        return T::INFINITY;
    }
    if s.max == f64::NEG_INFINITY {
        // Empty and fully masked rows: log(0).
        return T::NEG_INFINITY;
    }
    let (t, t_lo) = tail_sum(row, s.max, s.argmax);
    let (l, l_lo) = ln1p_dd(t, t_lo);
    let (r, _) = add_dd(s.max, 0.0, l, l_lo);
    T::from_f64(r)
}

/// Softmax of each row of a strided matrix, into another of the same shape.
pub fn softmax_rows<T: Float>(
    x: Rows<'_, T>,
    mut y: RowsMut<'_, T>,
    masked: MaskedRows,
) -> Result<(), Error> {
    same_shape(&x, &y)?;
    for r in 0..x.rows {
        let out = y.row_mut(r);
        out.copy_from_slice(x.row(r));
        softmax_row(out, masked);
    }
    Ok(())
}

/// Softmax of each row of a strided matrix, in place.
pub fn softmax_rows_in_place<T: Float>(mut xs: RowsMut<'_, T>, masked: MaskedRows) {
    for r in 0..xs.rows {
        softmax_row(xs.row_mut(r), masked);
    }
}

/// Log-softmax of each row of a strided matrix, into another of the same shape.
pub fn log_softmax_rows<T: Float>(
    x: Rows<'_, T>,
    mut y: RowsMut<'_, T>,
    masked: MaskedRows,
) -> Result<(), Error> {
    same_shape(&x, &y)?;
    for r in 0..x.rows {
        let out = y.row_mut(r);
        out.copy_from_slice(x.row(r));
        log_softmax_row(out, masked);
    }
    Ok(())
}

/// Log-softmax of each row of a strided matrix, in place.
pub fn log_softmax_rows_in_place<T: Float>(mut xs: RowsMut<'_, T>, masked: MaskedRows) {
    for r in 0..xs.rows {
        log_softmax_row(xs.row_mut(r), masked);
    }
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
        *o = logsumexp_row(x.row(r));
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
