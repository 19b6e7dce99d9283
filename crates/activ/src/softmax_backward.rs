//! Backward passes of the softmax family, per row, from the forward output (softmax,
//! log-softmax) or input (logsumexp).
//!
//! # Formulas
//! For a row with upstream gradient dy:
//! - softmax, y = softmax(x): dx = y ⊙ (dy − ⟨dy, y⟩) (the Jacobian diag(y) − y·yᵀ applied
//!   to dy);
//! - log_softmax, y = log_softmax(x): dx = dy − softmax(x)·Σ_j dy_j, softmax(x) = e^y;
//! - logsumexp, out = logsumexp(x), one upstream value dout per row: dx = softmax(x)·dout.
//!
//! # Stable formulation
//! - **The reductions.** ⟨dy, y⟩ is a compensated dot product (Ogita, Rump and Oishi's Dot2:
//!   exact products by fused multiply-add, TwoSum accumulation) and Σ dy a compensated sum,
//!   both kept as double-doubles in 16 accumulators, entry 16b + i into accumulator i and
//!   the accumulators added in one fixed order: the bits do not depend on the path.
//! - **The outputs.** dy_j − ⟨dy, y⟩ is formed as a double-double before the product with
//!   y_j, so an entry where dy_j ≈ ⟨dy, y⟩ (the usual case near convergence) keeps its
//!   digits; each dx_j is rounded once. e^(y_j) for log_softmax comes from the
//!   double-double exp kernel.
//! - **logsumexp** runs the forward softmax kernel (≤ 0.5 ULP measured) and multiplies by
//!   dout, so its result is rounded twice.
//!
//! # Special rows
//! - A masked row (all −∞ at the forward input) has gradient +0 under
//!   [`MaskedRows::Zeros`]: for softmax its output row is all 0, for log_softmax all −∞,
//!   and the backward passes recognise those rows (no valid output looks like them) and
//!   write +0 whatever dy holds. Under [`MaskedRows::Nan`] the forward wrote NaN, and NaN
//!   propagates to dx. logsumexp backward takes the policy as a parameter.
//! - NaN in y or dy gives NaN where IEEE arithmetic puts it (a NaN anywhere in a softmax
//!   row poisons ⟨dy, y⟩ and so the whole row); NaN results are the default quiet NaN.
//!
//! # Accuracy (measured by the tests against an MPFR reference)
//! Per element, with S the reduction (⟨dy, y⟩ or Σ dy): |dx_j − exact| ≤ 1 ULP(dx_j) +
//! 2^−100·|y_j|·Σ|y_i dy_i| (softmax) or 2^−100·e^(y_j)·Σ|dy_i| (log_softmax), i.e. within
//! 1 ULP unless the result is a near-total cancellation. logsumexp: ≤ 2 ULP.

use crate::math::dd::{add_dd, mul_dd, two_prod, two_sum};
use crate::math::exp::{exp_parts_lanes, ldexp_full_lanes};
use crate::softmax::{same_shape, MaskedRows, Rows, RowsMut};
use crate::{Error, Float, Isa};

/// Accumulators of the row reductions.
const ACC: usize = 16;

/// Reads entry `j` of an input that is either its own slice or the output buffer (which
/// holds that input until entry j is written).
macro_rules! read {
    ($src:expr, $out:expr, $j:expr) => {
        match $src {
            Some(s) => s[$j].to_f64(),
            None => $out[$j].to_f64(),
        }
    };
}

/// Adds the 16 double-double accumulators in their fixed order.
#[inline(always)]
fn total(hi: &[f64; ACC], lo: &[f64; ACC]) -> (f64, f64) {
    let (mut s, mut s_lo) = (0.0, 0.0);
    for i in 0..ACC {
        (s, s_lo) = add_dd(s, s_lo, hi[i], lo[i]);
    }
    (s, s_lo)
}

/// The NaN a result carries is the default quiet NaN, whichever operand it came from, so
/// the bits cannot depend on how the compiler ordered commutative operands.
#[inline(always)]
fn tidy<T: Float>(r: f64) -> T {
    T::from_f64(crate::math::dd::select(r.is_nan(), f64::NAN, r))
}

/// dx = y ⊙ (dy − ⟨dy, y⟩) for one row; `None` inputs are read from `out`.
#[inline(always)]
pub(crate) fn softmax_backward_row<T: Float>(y: Option<&[T]>, dy: Option<&[T]>, out: &mut [T]) {
    let n = out.len();
    let mut hi = [0.0f64; ACC];
    let mut lo = [0.0f64; ACC];
    let mut nonzero = false;
    for j in 0..n {
        let yj = read!(y, out, j);
        let dj = read!(dy, out, j);
        let (p, pe) = two_prod(yj, dj);
        let (s, e) = two_sum(hi[j % ACC], p);
        hi[j % ACC] = s;
        lo[j % ACC] += pe + e;
        nonzero |= yj != 0.0;
    }
    if !nonzero {
        // A masked row under the zeros policy (softmax wrote 0 everywhere).
        out.fill(T::ZERO);
        return;
    }
    let (s, s_lo) = total(&hi, &lo);
    for j in 0..n {
        let yj = read!(y, out, j);
        let dj = read!(dy, out, j);
        let (t, t_lo) = two_sum(dj, -s);
        let t_lo = t_lo - s_lo;
        out[j] = tidy(yj.mul_add(t, yj * t_lo));
    }
}

/// dx = dy − e^y·Σ dy for one row; `None` inputs are read from `out`.
#[inline(always)]
pub(crate) fn log_softmax_backward_row<T: Float>(y: Option<&[T]>, dy: Option<&[T]>, out: &mut [T]) {
    let n = out.len();
    let mut hi = [0.0f64; ACC];
    let mut lo = [0.0f64; ACC];
    let mut masked = true;
    for j in 0..n {
        let yj = read!(y, out, j);
        let dj = read!(dy, out, j);
        let (s, e) = two_sum(hi[j % ACC], dj);
        hi[j % ACC] = s;
        lo[j % ACC] += e;
        masked &= yj == f64::NEG_INFINITY;
    }
    if masked {
        // A masked row under the zeros policy (log_softmax wrote −∞ everywhere).
        out.fill(T::ZERO);
        return;
    }
    let (s, s_lo) = total(&hi, &lo);
    for j in 0..n {
        let yj = read!(y, out, j);
        let dj = read!(dy, out, j);
        let (eh, el, k) = exp_parts_lanes(yj, 0.0);
        let (p, p_lo) = mul_dd(eh, el, s, s_lo);
        let p_lo = ldexp_full_lanes(p_lo, k);
        let p = ldexp_full_lanes(p, k);
        let (d, d_lo) = two_sum(dj, -p);
        let r = d + (d_lo - p_lo);
        // exp_parts clamps a NaN input instead of propagating it.
        out[j] = tidy(crate::math::dd::select(yj.is_nan(), f64::NAN, r));
    }
}

/// Which row backward pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowGrad {
    Softmax,
    LogSoftmax,
}

#[inline(always)]
pub(crate) fn row_backward<T: Float>(
    kind: RowGrad,
    y: Option<&[T]>,
    dy: Option<&[T]>,
    out: &mut [T],
) {
    match kind {
        RowGrad::Softmax => softmax_backward_row(y, dy, out),
        RowGrad::LogSoftmax => log_softmax_backward_row(y, dy, out),
    }
}

fn separate<T: Float>(kind: RowGrad, y: &Rows<'_, T>, dy: &Rows<'_, T>, dx: &mut RowsMut<'_, T>) {
    let isa = crate::active_isa();
    for r in 0..y.rows() {
        crate::dispatch::row_backward(isa, kind, Some(y.row(r)), Some(dy.row(r)), dx.row_mut(r));
    }
}

fn over_dy<T: Float>(kind: RowGrad, y: &Rows<'_, T>, dy_dx: &mut RowsMut<'_, T>) {
    let isa = crate::active_isa();
    for r in 0..y.rows() {
        crate::dispatch::row_backward(isa, kind, Some(y.row(r)), None, dy_dx.row_mut(r));
    }
}

fn over_y<T: Float>(kind: RowGrad, y_dx: &mut RowsMut<'_, T>, dy: &Rows<'_, T>) {
    let isa = crate::active_isa();
    for r in 0..dy.rows() {
        crate::dispatch::row_backward(isa, kind, None, Some(dy.row(r)), y_dx.row_mut(r));
    }
}

fn check_shapes<T: Float>(a: &Rows<'_, T>, b: &RowsMut<'_, T>) -> Result<(), Error> {
    same_shape(a, b)
}

/// Softmax backward over the rows of strided matrices: dx = y ⊙ (dy − ⟨dy, y⟩) per row,
/// from the forward output `y`. All three must have the same shape.
pub fn softmax_backward_rows<T: Float>(
    y: Rows<'_, T>,
    dy: Rows<'_, T>,
    mut dx: RowsMut<'_, T>,
) -> Result<(), Error> {
    check_shapes(&y, &dx)?;
    check_shapes(&dy, &dx)?;
    separate(RowGrad::Softmax, &y, &dy, &mut dx);
    Ok(())
}

/// Softmax backward with dx overwriting dy.
pub fn softmax_backward_rows_in_place<T: Float>(
    y: Rows<'_, T>,
    mut dy_dx: RowsMut<'_, T>,
) -> Result<(), Error> {
    check_shapes(&y, &dy_dx)?;
    over_dy(RowGrad::Softmax, &y, &mut dy_dx);
    Ok(())
}

/// Softmax backward with dx overwriting the forward output y (when y is no longer needed).
pub fn softmax_backward_rows_over_output<T: Float>(
    mut y_dx: RowsMut<'_, T>,
    dy: Rows<'_, T>,
) -> Result<(), Error> {
    check_shapes(&dy, &y_dx)?;
    over_y(RowGrad::Softmax, &mut y_dx, &dy);
    Ok(())
}

/// Log-softmax backward over the rows of strided matrices: dx = dy − e^y·Σ dy per row,
/// from the forward output `y`.
pub fn log_softmax_backward_rows<T: Float>(
    y: Rows<'_, T>,
    dy: Rows<'_, T>,
    mut dx: RowsMut<'_, T>,
) -> Result<(), Error> {
    check_shapes(&y, &dx)?;
    check_shapes(&dy, &dx)?;
    separate(RowGrad::LogSoftmax, &y, &dy, &mut dx);
    Ok(())
}

/// Log-softmax backward with dx overwriting dy.
pub fn log_softmax_backward_rows_in_place<T: Float>(
    y: Rows<'_, T>,
    mut dy_dx: RowsMut<'_, T>,
) -> Result<(), Error> {
    check_shapes(&y, &dy_dx)?;
    over_dy(RowGrad::LogSoftmax, &y, &mut dy_dx);
    Ok(())
}

/// Log-softmax backward with dx overwriting the forward output y.
pub fn log_softmax_backward_rows_over_output<T: Float>(
    mut y_dx: RowsMut<'_, T>,
    dy: Rows<'_, T>,
) -> Result<(), Error> {
    check_shapes(&dy, &y_dx)?;
    over_y(RowGrad::LogSoftmax, &mut y_dx, &dy);
    Ok(())
}

/// Softmax backward over the rows of contiguous `rows × cols` matrices, from the forward
/// output `y`.
///
/// ```
/// // y = softmax(x) of one row; the gradient of Σ_j j·y_j.
/// let y = [0.25f64, 0.25, 0.5];
/// let dy = [0.0f64, 1.0, 2.0];
/// let mut dx = [0.0f64; 3];
/// activ::softmax_backward(&y, &dy, &mut dx, 1, 3)?;
/// // ⟨dy, y⟩ = 1.25: dx = y ⊙ (dy − 1.25).
/// assert_eq!(dx, [-0.3125, -0.0625, 0.375]);
/// # Ok::<(), activ::Error>(())
/// ```
pub fn softmax_backward<T: Float>(
    y: &[T],
    dy: &[T],
    dx: &mut [T],
    rows: usize,
    cols: usize,
) -> Result<(), Error> {
    softmax_backward_rows(
        Rows::new(y, rows, cols)?,
        Rows::new(dy, rows, cols)?,
        RowsMut::new(dx, rows, cols)?,
    )
}

/// Softmax backward over contiguous rows, dx overwriting dy.
pub fn softmax_backward_in_place<T: Float>(
    y: &[T],
    dy_dx: &mut [T],
    rows: usize,
    cols: usize,
) -> Result<(), Error> {
    softmax_backward_rows_in_place(Rows::new(y, rows, cols)?, RowsMut::new(dy_dx, rows, cols)?)
}

/// Log-softmax backward over contiguous rows, from the forward output `y`.
pub fn log_softmax_backward<T: Float>(
    y: &[T],
    dy: &[T],
    dx: &mut [T],
    rows: usize,
    cols: usize,
) -> Result<(), Error> {
    log_softmax_backward_rows(
        Rows::new(y, rows, cols)?,
        Rows::new(dy, rows, cols)?,
        RowsMut::new(dx, rows, cols)?,
    )
}

/// Log-softmax backward over contiguous rows, dx overwriting dy.
pub fn log_softmax_backward_in_place<T: Float>(
    y: &[T],
    dy_dx: &mut [T],
    rows: usize,
    cols: usize,
) -> Result<(), Error> {
    log_softmax_backward_rows_in_place(Rows::new(y, rows, cols)?, RowsMut::new(dy_dx, rows, cols)?)
}

/// One row of logsumexp backward, in place: `row` holds x and receives softmax(x)·dout.
fn logsumexp_backward_row<T: Float>(isa: Isa, row: &mut [T], dout: T, masked: MaskedRows) {
    let all_masked = !row.is_empty() && row.iter().all(|&v| v.to_f64() == f64::NEG_INFINITY);
    if all_masked {
        row.fill(match masked {
            MaskedRows::Zeros => T::ZERO,
            MaskedRows::Nan => T::NAN,
        });
        return;
    }
    T::row_softmax(isa, row, masked, false);
    for v in row.iter_mut() {
        *v = tidy(v.to_f64() * dout.to_f64());
    }
}

fn check_dout(rows: usize, dout_len: usize) -> Result<(), Error> {
    if rows != dout_len {
        return Err(Error::LengthMismatch {
            expected: rows,
            found: dout_len,
        });
    }
    Ok(())
}

/// logsumexp backward over the rows of strided matrices: dx = softmax(x)·dout[r] per row,
/// from the forward input `x`; `dout` has one entry per row. Masked rows (all −∞) give +0
/// under [`MaskedRows::Zeros`] and NaN under [`MaskedRows::Nan`].
pub fn logsumexp_backward_rows<T: Float>(
    x: Rows<'_, T>,
    dout: &[T],
    mut dx: RowsMut<'_, T>,
    masked: MaskedRows,
) -> Result<(), Error> {
    check_shapes(&x, &dx)?;
    check_dout(x.rows(), dout.len())?;
    let isa = crate::active_isa();
    for (r, &g) in dout.iter().enumerate() {
        let out = dx.row_mut(r);
        out.copy_from_slice(x.row(r));
        logsumexp_backward_row(isa, out, g, masked);
    }
    Ok(())
}

/// logsumexp backward with dx overwriting x.
pub fn logsumexp_backward_rows_in_place<T: Float>(
    mut x_dx: RowsMut<'_, T>,
    dout: &[T],
    masked: MaskedRows,
) -> Result<(), Error> {
    check_dout(x_dx.rows(), dout.len())?;
    let isa = crate::active_isa();
    for (r, &g) in dout.iter().enumerate() {
        logsumexp_backward_row(isa, x_dx.row_mut(r), g, masked);
    }
    Ok(())
}

/// logsumexp backward over contiguous rows: dx = softmax(x)·dout[r]; masked rows give +0.
///
/// ```
/// let x = [0.0f32, 0.0, f32::NEG_INFINITY, f32::NEG_INFINITY];
/// let dout = [2.0f32, 5.0];
/// let mut dx = [9.0f32; 4];
/// activ::logsumexp_backward(&x, &dout, &mut dx, 2, 2)?;
/// assert_eq!(dx, [1.0, 1.0, 0.0, 0.0]);
/// # Ok::<(), activ::Error>(())
/// ```
pub fn logsumexp_backward<T: Float>(
    x: &[T],
    dout: &[T],
    dx: &mut [T],
    rows: usize,
    cols: usize,
) -> Result<(), Error> {
    logsumexp_backward_rows(
        Rows::new(x, rows, cols)?,
        dout,
        RowsMut::new(dx, rows, cols)?,
        MaskedRows::Zeros,
    )
}

/// logsumexp backward over contiguous rows, dx overwriting x.
pub fn logsumexp_backward_in_place<T: Float>(
    x_dx: &mut [T],
    dout: &[T],
    rows: usize,
    cols: usize,
) -> Result<(), Error> {
    logsumexp_backward_rows_in_place(RowsMut::new(x_dx, rows, cols)?, dout, MaskedRows::Zeros)
}
