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
//! # Accuracy (measured by `activ audit` and the tests against MPFR)
//! A mixed bound per element, with n the row length:
//! - softmax: |dx_j − exact| ≤ 1 ULP(dx_j) + ε·|y_j|·Σ|y_i dy_i| with
//!   ε = 2^−100 + (n/16·2^−53)² from the compensated dot product in 16 accumulators, below
//!   2^−80 for rows up to 2^17 columns (the bound `activ audit` checks);
//! - log_softmax: |dx_j − exact| ≤ 1 ULP(dx_j) + 2^−59·e^(y_j)·Σ|dy_i|: e^(y_j) comes from
//!   the exp kernel (relative error below 2^−60, measured 2^−62.35), and where
//!   dy_j ≈ e^(y_j)·Σ dy that error is what remains.
//!
//! That is, within 1 ULP unless dx_j is the remnant of a near-total cancellation, and even
//! then 2^−59 or better relative to the terms that cancelled (a plain `f64` evaluation
//! leaves 2^−53 of them). logsumexp: ≤ 2 ULP (the forward softmax rounded, then the
//! product with dout). Measured maxima are in the book's accuracy report.

use crate::math::dd::{add_dd, mul_dd, two_prod, two_sum};
use crate::math::exp::{exp_parts_lanes, ldexp_full_lanes};
use crate::simd::F64s;
use crate::softmax::{same_shape, LaneElem, MaskedRows, Rows, RowsMut};
use crate::{Error, Float, Isa};

/// Accumulators of the row reductions: entry 16b + i always goes to accumulator i.
const ACC: usize = 16;

/// A lane width's share of the 16 accumulators, as double-doubles.
struct Accumulators<V> {
    hi: [V; ACC],
    lo: [V; ACC],
}

impl<V: F64s> Accumulators<V> {
    #[inline(always)]
    fn new() -> Self {
        Accumulators {
            hi: [V::splat(0.0); ACC],
            lo: [V::splat(0.0); ACC],
        }
    }

    /// Adds the double-double (p + pe) to vector accumulator `k` (TwoSum).
    #[inline(always)]
    fn add(&mut self, k: usize, p: V, pe: V) {
        let (s, e) = two_sum(self.hi[k], p);
        self.hi[k] = s;
        self.lo[k] = self.lo[k] + (pe + e);
    }

    /// The 16 scalar accumulators added in their fixed order, as a double-double.
    #[inline(always)]
    fn total(&self) -> (f64, f64) {
        let mut hi = [0.0f64; ACC + 8];
        let mut lo = [0.0f64; ACC + 8];
        for k in 0..ACC / V::LANES {
            self.hi[k].write_f64(&mut hi[k * V::LANES..]);
            self.lo[k].write_f64(&mut lo[k * V::LANES..]);
        }
        let (mut s, mut s_lo) = (0.0, 0.0);
        for i in 0..ACC {
            (s, s_lo) = add_dd(s, s_lo, hi[i], lo[i]);
        }
        (s, s_lo)
    }
}

/// Runs `$pair` (a function of two 16-entry blocks: the block index's vectors of a and b)
/// over two rows in blocks of 16, the last block zero-padded, on every path alike.
macro_rules! blocks16 {
    ($V:ty, $E:ty, $a:expr, $b:expr, $acc:ident, |$va:ident, $vb:ident, $k:ident| $body:block) => {{
        let (a, b) = ($a, $b);
        let mut ac = a.chunks_exact(ACC);
        let mut bc = b.chunks_exact(ACC);
        for (ca, cb) in (&mut ac).zip(&mut bc) {
            for $k in 0..ACC / <$V>::LANES {
                let $va: $V = <$E>::load(&ca[$k * <$V>::LANES..]);
                let $vb: $V = <$E>::load(&cb[$k * <$V>::LANES..]);
                $body
            }
        }
        let (ra, rb) = (ac.remainder(), bc.remainder());
        if !ra.is_empty() {
            let mut pa = [<$E>::ZERO; ACC];
            let mut pb = [<$E>::ZERO; ACC];
            pa[..ra.len()].copy_from_slice(ra);
            pb[..rb.len()].copy_from_slice(rb);
            for $k in 0..ACC / <$V>::LANES {
                let $va: $V = <$E>::load(&pa[$k * <$V>::LANES..]);
                let $vb: $V = <$E>::load(&pb[$k * <$V>::LANES..]);
                $body
            }
        }
    }};
}

/// Runs `$f(y, dy) -> dx` over a row in vectors of LANES, reading y and dy from their own
/// slices or (when `None`) from `out`, which holds that input until the vector is written.
/// The last partial vector goes through zero-padded buffers, so it rounds like the body.
macro_rules! each_vector {
    ($V:ty, $E:ty, $y:expr, $dy:expr, $out:expr, |$vy:ident, $vd:ident| $body:expr) => {{
        let lanes = <$V>::LANES;
        let (y, dy, out): (Option<&[$E]>, Option<&[$E]>, &mut [$E]) = ($y, $dy, $out);
        let n = out.len();
        let full = n - n % lanes;
        let mut j = 0;
        while j < full {
            let $vy: $V = match y {
                Some(s) => <$E>::load(&s[j..]),
                None => <$E>::load(&out[j..]),
            };
            let $vd: $V = match dy {
                Some(s) => <$E>::load(&s[j..]),
                None => <$E>::load(&out[j..]),
            };
            <$E>::store($body, &mut out[j..]);
            j += lanes;
        }
        if full < n {
            let m = n - full;
            let mut by = [<$E>::ZERO; 8];
            let mut bd = [<$E>::ZERO; 8];
            by[..m].copy_from_slice(match y {
                Some(s) => &s[full..],
                None => &out[full..],
            });
            bd[..m].copy_from_slice(match dy {
                Some(s) => &s[full..],
                None => &out[full..],
            });
            let mut bo = [<$E>::ZERO; 8];
            let $vy: $V = <$E>::load(&by[..]);
            let $vd: $V = <$E>::load(&bd[..]);
            <$E>::store($body, &mut bo[..]);
            out[full..].copy_from_slice(&bo[..m]);
        }
    }};
}

/// The NaN a result carries is the default quiet NaN, whichever operand it came from, so
/// the bits cannot depend on how the compiler ordered commutative operands.
#[inline(always)]
fn tidy<V: F64s>(r: V) -> V {
    V::select(r.is_nan(), V::splat(f64::NAN), r)
}

/// y·(dy − s) with s = s_hi + s_lo, dy − s a double-double: rounded once.
#[inline(always)]
fn softmax_dx<V: F64s>(y: V, dy: V, s: f64, s_lo: f64) -> V {
    let (t, t_lo) = two_sum(dy, V::splat(-s));
    let t_lo = t_lo - V::splat(s_lo);
    tidy(y.mul_add(t, y * t_lo))
}

/// dy − e^y·S with S = s + s_lo, e^y a double-double from the exp kernel.
#[inline(always)]
fn log_softmax_dx<V: F64s>(y: V, dy: V, s: f64, s_lo: f64) -> V {
    let (eh, el, k) = exp_parts_lanes(y, V::splat(0.0));
    let (p, p_lo) = mul_dd(eh, el, V::splat(s), V::splat(s_lo));
    let p_lo = ldexp_full_lanes(p_lo, k);
    let p = ldexp_full_lanes(p, k);
    let (d, d_lo) = two_sum(dy, -p);
    let r = d + (d_lo - p_lo);
    // exp_parts clamps a NaN input instead of propagating it.
    tidy(V::select(y.is_nan(), y, r))
}

/// dx = y ⊙ (dy − ⟨dy, y⟩) for one row on lanes `V`; `None` inputs are read from `out`.
#[inline(always)]
pub(crate) fn softmax_backward_row<V: F64s, E: LaneElem + Float>(
    y: Option<&[E]>,
    dy: Option<&[E]>,
    out: &mut [E],
) {
    let (s, s_lo) = {
        let ys: &[E] = y.unwrap_or(out);
        let ds: &[E] = dy.unwrap_or(out);
        if ys.iter().all(|v| v.to_f64() == 0.0) {
            // A masked row under the zeros policy (softmax wrote 0 everywhere).
            out.fill(E::ZERO);
            return;
        }
        let mut acc = Accumulators::<V>::new();
        blocks16!(V, E, ys, ds, acc, |a, b, k| {
            let (p, pe) = two_prod(a, b);
            acc.add(k, p, pe);
        });
        acc.total()
    };
    each_vector!(V, E, y, dy, out, |a, b| softmax_dx(a, b, s, s_lo));
}

/// dx = dy − e^y·Σ dy for one row on lanes `V`; `None` inputs are read from `out`.
#[inline(always)]
pub(crate) fn log_softmax_backward_row<V: F64s, E: LaneElem + Float>(
    y: Option<&[E]>,
    dy: Option<&[E]>,
    out: &mut [E],
) {
    let (s, s_lo) = {
        let ys: &[E] = y.unwrap_or(out);
        let ds: &[E] = dy.unwrap_or(out);
        if ys.iter().all(|v| v.to_f64() == f64::NEG_INFINITY) {
            // A masked row under the zeros policy (log_softmax wrote −∞ everywhere).
            out.fill(E::ZERO);
            return;
        }
        let mut acc = Accumulators::<V>::new();
        blocks16!(V, E, ds, ds, acc, |a, _b, k| {
            acc.add(k, a, V::splat(0.0));
        });
        acc.total()
    };
    each_vector!(V, E, y, dy, out, |a, b| log_softmax_dx(a, b, s, s_lo));
}

/// Which row backward pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowGrad {
    Softmax,
    LogSoftmax,
}

#[inline(always)]
pub(crate) fn row_backward<V: F64s, E: LaneElem + Float>(
    kind: RowGrad,
    y: Option<&[E]>,
    dy: Option<&[E]>,
    out: &mut [E],
) {
    match kind {
        RowGrad::Softmax => softmax_backward_row::<V, E>(y, dy, out),
        RowGrad::LogSoftmax => log_softmax_backward_row::<V, E>(y, dy, out),
    }
}

fn separate<T: Float>(kind: RowGrad, y: &Rows<'_, T>, dy: &Rows<'_, T>, dx: &mut RowsMut<'_, T>) {
    let isa = crate::active_isa();
    for r in 0..y.rows() {
        T::row_backward(
            isa,
            kind == RowGrad::LogSoftmax,
            Some(y.row(r)),
            Some(dy.row(r)),
            dx.row_mut(r),
        );
    }
}

fn over_dy<T: Float>(kind: RowGrad, y: &Rows<'_, T>, dy_dx: &mut RowsMut<'_, T>) {
    let isa = crate::active_isa();
    for r in 0..y.rows() {
        T::row_backward(
            isa,
            kind == RowGrad::LogSoftmax,
            Some(y.row(r)),
            None,
            dy_dx.row_mut(r),
        );
    }
}

fn over_y<T: Float>(kind: RowGrad, y_dx: &mut RowsMut<'_, T>, dy: &Rows<'_, T>) {
    let isa = crate::active_isa();
    for r in 0..dy.rows() {
        T::row_backward(
            isa,
            kind == RowGrad::LogSoftmax,
            None,
            Some(dy.row(r)),
            y_dx.row_mut(r),
        );
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
        *v = T::from_f64(tidy(v.to_f64() * dout.to_f64()));
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

/// logsumexp backward over the rows of strided matrices: dx = softmax(x)·dout\[r\] per row,
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

/// logsumexp backward over contiguous rows: dx = softmax(x)·dout\[r\]; masked rows give +0.
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
