//! The C ABI of activ.
//!
//! Every export is `activ_<name>_f32` or `activ_<name>_f64` and returns an
//! [`activ_status`]. The rules for bad input are the same everywhere and are checked in this
//! order, before anything is written:
//!
//! 1. A zero length (`n == 0`, `rows == 0` or `cols == 0`) succeeds and touches nothing, even
//!    with NULL pointers (except logsumexp with `cols == 0`, which writes −inf to each of
//!    its `rows` outputs, the logsumexp of an empty row).
//! 2. A NULL pointer where elements are needed: `ACTIV_STATUS_NULL_POINTER`.
//! 3. A byte size above `PTRDIFF_MAX`, a `rows × cols` or stride extent that overflows, an
//!    address range that wraps, or a row stride smaller than `cols`:
//!    `ACTIV_STATUS_SIZE_OVERFLOW`.
//! 4. A parameter outside its domain: `ACTIV_STATUS_INVALID_PARAMETER`.
//! 5. Output overlapping input other than exactly (same pointer, same stride): in place is
//!    allowed, anything else is `ACTIV_STATUS_OVERLAP`. The backward exports
//!    (`activ_<name>_backward_*`) read two inputs: their output dx may be exactly either
//!    one (or both), the inputs may overlap each other freely (they are only read), and
//!    logsumexp's per-row `dout` must not overlap dx at all.
//!
//! A panic never unwinds into C: every export runs inside `catch_unwind` and reports
//! `ACTIV_STATUS_PANIC`. In-place calls build only a `&mut [T]` over the buffer, never a
//! shared and a mutable slice over the same memory.
#![allow(non_camel_case_types)]

mod exports;
pub use exports::*;

use std::os::raw::{c_char, c_int};
use std::panic::{catch_unwind, AssertUnwindSafe};

use activ_core::{Derivative, Elementwise, Float, MaskedRows, Rows, RowsMut};
use libc::size_t;

/// The result of every activ call. `ACTIV_STATUS_OK` is 0; on any other value nothing was
/// written to the output.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum activ_status {
    /// Success.
    ACTIV_STATUS_OK = 0,
    /// An input or output pointer is NULL while elements are to be read or written.
    ACTIV_STATUS_NULL_POINTER = 1,
    /// The output overlaps the input without being exactly the same buffer (and stride).
    ACTIV_STATUS_OVERLAP = 2,
    /// A size in bytes exceeds PTRDIFF_MAX, an extent overflows, or a row stride is smaller
    /// than the number of columns.
    ACTIV_STATUS_SIZE_OVERFLOW = 3,
    /// A parameter is outside the function's domain (see each function).
    ACTIV_STATUS_INVALID_PARAMETER = 4,
    /// An internal error was caught at the boundary (a bug in activ; please report it), or
    /// the one-row copy that softmax/log-softmax backward with dx == y == dy needs could
    /// not be allocated.
    ACTIV_STATUS_PANIC = 5,
}

/// What softmax and log-softmax write for a row whose entries are all -inf.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum activ_masked_rows {
    /// softmax writes 0, log_softmax writes -inf (the default of the contiguous functions).
    ACTIV_MASKED_ROWS_ZEROS = 0,
    /// softmax and log_softmax write NaN (PyTorch's behaviour).
    ACTIV_MASKED_ROWS_NAN = 1,
}

/// An `activ_status` as C passes it in: any int. Shown as `activ_status` in the header.
pub type activ_status_int = c_int;
/// An `activ_masked_rows` as C passes it in: any int. Shown as `activ_masked_rows`.
pub type activ_masked_rows_int = c_int;

/// Major version of the library the header belongs to.
pub const ACTIV_VERSION_MAJOR: u32 = 0;
/// Minor version of the library the header belongs to.
pub const ACTIV_VERSION_MINOR: u32 = 1;
/// Patch version of the library the header belongs to.
pub const ACTIV_VERSION_PATCH: u32 = 0;

use activ_status::*;

/// The library's version, "MAJOR.MINOR.PATCH", as a static NUL-terminated string.
#[no_mangle]
pub extern "C" fn activ_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// A static, never-NULL English description of a status, also for unknown values.
#[no_mangle]
pub extern "C" fn activ_status_message(status: activ_status_int) -> *const c_char {
    let text: &'static str = match status {
        0 => "success\0",
        1 => "a required pointer is NULL\0",
        2 => "output overlaps input (only exact in-place aliasing is allowed)\0",
        3 => "size overflow: byte size above PTRDIFF_MAX, extent overflow, or row stride smaller than cols\0",
        4 => "invalid parameter\0",
        5 => "internal panic caught at the C boundary\0",
        _ => "unknown activ_status value\0",
    };
    text.as_ptr().cast()
}

/// Runs `body`, turning a panic into `ACTIV_STATUS_PANIC`.
fn guard(body: impl FnOnce() -> activ_status) -> activ_status {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(ACTIV_STATUS_PANIC)
}

/// C's PTRDIFF_MAX: no object may be larger, and Rust slices obey the same limit.
const PTRDIFF_MAX: usize = libc::ptrdiff_t::MAX as usize;

/// The byte length of `n` elements of `T`, if it is at most PTRDIFF_MAX.
fn byte_len<T>(n: usize) -> Option<usize> {
    n.checked_mul(std::mem::size_of::<T>())
        .filter(|&b| b <= PTRDIFF_MAX)
}

/// The address range `[p, p + bytes)`, if it does not wrap around the address space.
fn span<T>(p: *const T, bytes: usize) -> Option<(usize, usize)> {
    let start = p as usize;
    start.checked_add(bytes).map(|end| (start, end))
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// The shared body of every elementwise export.
///
/// # Safety
/// Unless NULL, `x` must be valid for reading and `y` for writing `n` elements of `T`.
unsafe fn elementwise<T: Float, F: Elementwise<T>>(
    x: *const T,
    y: *mut T,
    n: size_t,
    function: impl FnOnce() -> Result<F, activ_core::Error>,
) -> activ_status {
    guard(|| {
        if n == 0 {
            return ACTIV_STATUS_OK;
        }
        if x.is_null() || y.is_null() {
            return ACTIV_STATUS_NULL_POINTER;
        }
        let Some(bytes) = byte_len::<T>(n) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let (Some(xs), Some(ys)) = (span(x, bytes), span(y, bytes)) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let Ok(f) = function() else {
            return ACTIV_STATUS_INVALID_PARAMETER;
        };
        if x == y.cast_const() {
            // SAFETY: y is non-NULL and valid for n elements (caller's contract); in place we
            // build only this one mutable slice.
            let out = unsafe { std::slice::from_raw_parts_mut(y, n) };
            f.apply_in_place(out);
            return ACTIV_STATUS_OK;
        }
        if overlap(xs, ys) {
            return ACTIV_STATUS_OVERLAP;
        }
        // SAFETY: both are non-NULL, valid for n elements (caller's contract) and disjoint
        // (checked above), so a shared and a mutable slice may coexist.
        let (input, out) = unsafe {
            (
                std::slice::from_raw_parts(x, n),
                std::slice::from_raw_parts_mut(y, n),
            )
        };
        match f.apply(input, out) {
            Ok(()) => ACTIV_STATUS_OK,
            Err(_) => ACTIV_STATUS_PANIC,
        }
    })
}

/// Which row function a row export runs.
#[derive(Clone, Copy)]
enum RowOp {
    Softmax,
    LogSoftmax,
}

/// The element extent of a strided matrix, checked: `(rows − 1)·stride + cols`.
fn strided_extent<T>(rows: usize, cols: usize, stride: usize) -> Option<(usize, usize)> {
    if stride < cols {
        return None;
    }
    let elems = (rows - 1).checked_mul(stride)?.checked_add(cols)?;
    Some((elems, byte_len::<T>(elems)?))
}

fn masked_rows(policy: activ_masked_rows_int) -> Option<MaskedRows> {
    match policy {
        0 => Some(MaskedRows::Zeros),
        1 => Some(MaskedRows::Nan),
        _ => None,
    }
}

/// The shared body of the softmax and log-softmax exports.
///
/// # Safety
/// Unless NULL, `x` must be valid for reading and `y` for writing the strided extents.
#[allow(clippy::too_many_arguments)]
unsafe fn rows_op<T: Float>(
    op: RowOp,
    x: *const T,
    x_stride: size_t,
    y: *mut T,
    y_stride: size_t,
    rows: size_t,
    cols: size_t,
    policy: activ_masked_rows_int,
) -> activ_status {
    guard(|| {
        if rows == 0 || cols == 0 {
            return ACTIV_STATUS_OK;
        }
        if x.is_null() || y.is_null() {
            return ACTIV_STATUS_NULL_POINTER;
        }
        let (Some((x_elems, x_bytes)), Some((y_elems, y_bytes))) = (
            strided_extent::<T>(rows, cols, x_stride),
            strided_extent::<T>(rows, cols, y_stride),
        ) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let (Some(xs), Some(ys)) = (span(x, x_bytes), span(y, y_bytes)) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let Some(masked) = masked_rows(policy) else {
            return ACTIV_STATUS_INVALID_PARAMETER;
        };
        if x == y.cast_const() && x_stride == y_stride {
            // SAFETY: y is non-NULL and valid for its extent (caller's contract); in place we
            // build only this one mutable slice.
            let data = unsafe { std::slice::from_raw_parts_mut(y, y_elems) };
            let Ok(view) = RowsMut::strided(data, rows, cols, y_stride) else {
                return ACTIV_STATUS_PANIC;
            };
            match op {
                RowOp::Softmax => activ_core::softmax_rows_in_place(view, masked),
                RowOp::LogSoftmax => activ_core::log_softmax_rows_in_place(view, masked),
            }
            return ACTIV_STATUS_OK;
        }
        if overlap(xs, ys) {
            return ACTIV_STATUS_OVERLAP;
        }
        // SAFETY: both non-NULL, valid for their extents (caller's contract), and disjoint.
        let (input, out) = unsafe {
            (
                std::slice::from_raw_parts(x, x_elems),
                std::slice::from_raw_parts_mut(y, y_elems),
            )
        };
        let (Ok(xv), Ok(yv)) = (
            Rows::strided(input, rows, cols, x_stride),
            RowsMut::strided(out, rows, cols, y_stride),
        ) else {
            return ACTIV_STATUS_PANIC;
        };
        let result = match op {
            RowOp::Softmax => activ_core::softmax_rows(xv, yv, masked),
            RowOp::LogSoftmax => activ_core::log_softmax_rows(xv, yv, masked),
        };
        match result {
            Ok(()) => ACTIV_STATUS_OK,
            Err(_) => ACTIV_STATUS_PANIC,
        }
    })
}

/// The shared body of the logsumexp exports.
///
/// # Safety
/// Unless NULL, `x` must be valid for reading its strided extent and `out` for writing
/// `rows` elements.
unsafe fn logsumexp_op<T: Float>(
    x: *const T,
    x_stride: size_t,
    out: *mut T,
    rows: size_t,
    cols: size_t,
) -> activ_status {
    guard(|| {
        if rows == 0 {
            return ACTIV_STATUS_OK;
        }
        if out.is_null() || (cols > 0 && x.is_null()) {
            return ACTIV_STATUS_NULL_POINTER;
        }
        let Some(out_bytes) = byte_len::<T>(rows) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let Some(os) = span(out, out_bytes) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        if cols == 0 {
            // SAFETY: out is non-NULL and valid for rows elements (caller's contract).
            let dst = unsafe { std::slice::from_raw_parts_mut(out, rows) };
            dst.fill(T::NEG_INFINITY);
            return ACTIV_STATUS_OK;
        }
        let Some((x_elems, x_bytes)) = strided_extent::<T>(rows, cols, x_stride) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let Some(xs) = span(x, x_bytes) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        if overlap(xs, os) {
            return ACTIV_STATUS_OVERLAP;
        }
        // SAFETY: both non-NULL, valid for their extents (caller's contract), and disjoint.
        let (input, dst) = unsafe {
            (
                std::slice::from_raw_parts(x, x_elems),
                std::slice::from_raw_parts_mut(out, rows),
            )
        };
        let Ok(view) = Rows::strided(input, rows, cols, x_stride) else {
            return ACTIV_STATUS_PANIC;
        };
        match activ_core::logsumexp_rows(view, dst) {
            Ok(()) => ACTIV_STATUS_OK,
            Err(_) => ACTIV_STATUS_PANIC,
        }
    })
}

/// How an output range lies against one input range.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Alias {
    /// No common byte.
    Disjoint,
    /// The same pointer (and, for strided matrices, the same stride): a legal in-place call.
    Exact,
    /// Any other overlap: refused with `ACTIV_STATUS_OVERLAP`.
    Partial,
}

fn alias(exact: bool, input: (usize, usize), output: (usize, usize)) -> Alias {
    if exact {
        Alias::Exact
    } else if overlap(input, output) {
        Alias::Partial
    } else {
        Alias::Disjoint
    }
}

/// Elements the backward pass copies per step when its output is both of its inputs.
const TRIPLE_ALIAS_BLOCK: usize = 256;

/// The shared body of every elementwise backward export: dx = dy · f′(x).
///
/// # Safety
/// Unless NULL, `x` and `dy` must be valid for reading and `dx` for writing `n` elements of
/// `T`.
unsafe fn elementwise_backward<T: Float, F: Derivative<T>>(
    x: *const T,
    dy: *const T,
    dx: *mut T,
    n: size_t,
    function: impl FnOnce() -> Result<F, activ_core::Error>,
) -> activ_status {
    guard(|| {
        if n == 0 {
            return ACTIV_STATUS_OK;
        }
        if x.is_null() || dy.is_null() || dx.is_null() {
            return ACTIV_STATUS_NULL_POINTER;
        }
        let Some(bytes) = byte_len::<T>(n) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let (Some(xs), Some(dys), Some(dxs)) = (span(x, bytes), span(dy, bytes), span(dx, bytes))
        else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let Ok(f) = function() else {
            return ACTIV_STATUS_INVALID_PARAMETER;
        };
        let over_x = alias(x == dx.cast_const(), xs, dxs);
        let over_dy = alias(dy == dx.cast_const(), dys, dxs);
        if over_x == Alias::Partial || over_dy == Alias::Partial {
            return ACTIV_STATUS_OVERLAP;
        }
        let result = match (over_x, over_dy) {
            (Alias::Exact, Alias::Exact) => {
                // SAFETY: dx is non-NULL and valid for n elements (caller's contract); x and
                // dy are this very buffer, so this is the only slice built over it.
                let out = unsafe { std::slice::from_raw_parts_mut(dx, n) };
                // x and dy are read from a copy of each block before it is overwritten.
                let mut buf = [T::ZERO; TRIPLE_ALIAS_BLOCK];
                out.chunks_mut(TRIPLE_ALIAS_BLOCK).try_for_each(|block| {
                    let copy = &mut buf[..block.len()];
                    copy.copy_from_slice(block);
                    let copy = &*copy;
                    f.backward(copy, copy, block)
                })
            }
            (Alias::Exact, _) => {
                // SAFETY: dx (= x) and dy are non-NULL, valid for n elements (caller's
                // contract) and disjoint (checked above).
                let (dy, x_dx) = unsafe {
                    (
                        std::slice::from_raw_parts(dy, n),
                        std::slice::from_raw_parts_mut(dx, n),
                    )
                };
                f.backward_over_input(x_dx, dy)
            }
            (_, Alias::Exact) => {
                // SAFETY: x and dx (= dy) are non-NULL, valid for n elements (caller's
                // contract) and disjoint (checked above).
                let (x, dy_dx) = unsafe {
                    (
                        std::slice::from_raw_parts(x, n),
                        std::slice::from_raw_parts_mut(dx, n),
                    )
                };
                f.backward_in_place(x, dy_dx)
            }
            _ => {
                // SAFETY: all non-NULL and valid for n elements (caller's contract); dx is
                // disjoint from both inputs (checked above), which may overlap each other:
                // they are only read.
                let (x, dy, dx) = unsafe {
                    (
                        std::slice::from_raw_parts(x, n),
                        std::slice::from_raw_parts(dy, n),
                        std::slice::from_raw_parts_mut(dx, n),
                    )
                };
                f.backward(x, dy, dx)
            }
        };
        match result {
            Ok(()) => ACTIV_STATUS_OK,
            Err(_) => ACTIV_STATUS_PANIC,
        }
    })
}

/// The shared body of the softmax and log-softmax backward exports.
///
/// # Safety
/// Unless NULL, `y` and `dy` must be valid for reading and `dx` for writing their strided
/// extents.
#[allow(clippy::too_many_arguments)]
unsafe fn rows_backward_op<T: Float>(
    op: RowOp,
    y: *const T,
    y_stride: size_t,
    dy: *const T,
    dy_stride: size_t,
    dx: *mut T,
    dx_stride: size_t,
    rows: size_t,
    cols: size_t,
) -> activ_status {
    guard(|| {
        if rows == 0 || cols == 0 {
            return ACTIV_STATUS_OK;
        }
        if y.is_null() || dy.is_null() || dx.is_null() {
            return ACTIV_STATUS_NULL_POINTER;
        }
        let (Some((y_elems, y_bytes)), Some((dy_elems, dy_bytes)), Some((dx_elems, dx_bytes))) = (
            strided_extent::<T>(rows, cols, y_stride),
            strided_extent::<T>(rows, cols, dy_stride),
            strided_extent::<T>(rows, cols, dx_stride),
        ) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let (Some(ys), Some(dys), Some(dxs)) =
            (span(y, y_bytes), span(dy, dy_bytes), span(dx, dx_bytes))
        else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let over_y = alias(y == dx.cast_const() && y_stride == dx_stride, ys, dxs);
        let over_dy = alias(dy == dx.cast_const() && dy_stride == dx_stride, dys, dxs);
        if over_y == Alias::Partial || over_dy == Alias::Partial {
            return ACTIV_STATUS_OVERLAP;
        }
        let result = match (over_y, over_dy) {
            (Alias::Exact, Alias::Exact) => {
                // SAFETY: dx is non-NULL and valid for its extent (caller's contract); y and
                // dy are this very buffer, so this is the only slice built over it.
                let data = unsafe { std::slice::from_raw_parts_mut(dx, dx_elems) };
                // A row's reduction reads the whole row before its first write: each row is
                // copied first. The copy may fail to allocate, which is reported, not fatal.
                let mut copy = Vec::new();
                if copy.try_reserve_exact(cols).is_err() {
                    return ACTIV_STATUS_PANIC;
                }
                copy.resize(cols, T::ZERO);
                (0..rows).try_for_each(|r| {
                    let row = &mut data[r * dx_stride..][..cols];
                    copy.copy_from_slice(row);
                    let y = Rows::new(&copy, 1, cols)?;
                    let dy_dx = RowsMut::new(row, 1, cols)?;
                    match op {
                        RowOp::Softmax => activ_core::softmax_backward_rows_in_place(y, dy_dx),
                        RowOp::LogSoftmax => {
                            activ_core::log_softmax_backward_rows_in_place(y, dy_dx)
                        }
                    }
                })
            }
            (Alias::Exact, _) => {
                // SAFETY: dx (= y) and dy are non-NULL, valid for their extents (caller's
                // contract) and disjoint (checked above).
                let (dy, y_dx) = unsafe {
                    (
                        std::slice::from_raw_parts(dy, dy_elems),
                        std::slice::from_raw_parts_mut(dx, dx_elems),
                    )
                };
                (|| {
                    let dy = Rows::strided(dy, rows, cols, dy_stride)?;
                    let y_dx = RowsMut::strided(y_dx, rows, cols, dx_stride)?;
                    match op {
                        RowOp::Softmax => activ_core::softmax_backward_rows_over_output(y_dx, dy),
                        RowOp::LogSoftmax => {
                            activ_core::log_softmax_backward_rows_over_output(y_dx, dy)
                        }
                    }
                })()
            }
            (_, Alias::Exact) => {
                // SAFETY: y and dx (= dy) are non-NULL, valid for their extents (caller's
                // contract) and disjoint (checked above).
                let (y, dy_dx) = unsafe {
                    (
                        std::slice::from_raw_parts(y, y_elems),
                        std::slice::from_raw_parts_mut(dx, dx_elems),
                    )
                };
                (|| {
                    let y = Rows::strided(y, rows, cols, y_stride)?;
                    let dy_dx = RowsMut::strided(dy_dx, rows, cols, dx_stride)?;
                    match op {
                        RowOp::Softmax => activ_core::softmax_backward_rows_in_place(y, dy_dx),
                        RowOp::LogSoftmax => {
                            activ_core::log_softmax_backward_rows_in_place(y, dy_dx)
                        }
                    }
                })()
            }
            _ => {
                // SAFETY: all non-NULL and valid for their extents (caller's contract); dx is
                // disjoint from both inputs (checked above), which may overlap each other:
                // they are only read.
                let (y, dy, dx) = unsafe {
                    (
                        std::slice::from_raw_parts(y, y_elems),
                        std::slice::from_raw_parts(dy, dy_elems),
                        std::slice::from_raw_parts_mut(dx, dx_elems),
                    )
                };
                (|| {
                    let y = Rows::strided(y, rows, cols, y_stride)?;
                    let dy = Rows::strided(dy, rows, cols, dy_stride)?;
                    let dx = RowsMut::strided(dx, rows, cols, dx_stride)?;
                    match op {
                        RowOp::Softmax => activ_core::softmax_backward_rows(y, dy, dx),
                        RowOp::LogSoftmax => activ_core::log_softmax_backward_rows(y, dy, dx),
                    }
                })()
            }
        };
        match result {
            Ok(()) => ACTIV_STATUS_OK,
            Err(_) => ACTIV_STATUS_PANIC,
        }
    })
}

/// The shared body of the logsumexp backward exports: dx = softmax(x) · dout[r] per row.
///
/// # Safety
/// Unless NULL, `x` must be valid for reading and `dx` for writing their strided extents,
/// and `dout` for reading `rows` elements.
#[allow(clippy::too_many_arguments)]
unsafe fn logsumexp_backward_op<T: Float>(
    x: *const T,
    x_stride: size_t,
    dout: *const T,
    dx: *mut T,
    dx_stride: size_t,
    rows: size_t,
    cols: size_t,
    policy: activ_masked_rows_int,
) -> activ_status {
    guard(|| {
        if rows == 0 || cols == 0 {
            return ACTIV_STATUS_OK;
        }
        if x.is_null() || dout.is_null() || dx.is_null() {
            return ACTIV_STATUS_NULL_POINTER;
        }
        let (Some((x_elems, x_bytes)), Some((dx_elems, dx_bytes)), Some(dout_bytes)) = (
            strided_extent::<T>(rows, cols, x_stride),
            strided_extent::<T>(rows, cols, dx_stride),
            byte_len::<T>(rows),
        ) else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let (Some(xs), Some(dxs), Some(douts)) =
            (span(x, x_bytes), span(dx, dx_bytes), span(dout, dout_bytes))
        else {
            return ACTIV_STATUS_SIZE_OVERFLOW;
        };
        let Some(masked) = masked_rows(policy) else {
            return ACTIV_STATUS_INVALID_PARAMETER;
        };
        let over_x = alias(x == dx.cast_const() && x_stride == dx_stride, xs, dxs);
        // dout has another shape than dx: any overlap with it is refused.
        if over_x == Alias::Partial || overlap(douts, dxs) {
            return ACTIV_STATUS_OVERLAP;
        }
        // SAFETY: dout is non-NULL, valid for rows elements (caller's contract) and disjoint
        // from dx (checked above); it may overlap x, which is only read.
        let dout = unsafe { std::slice::from_raw_parts(dout, rows) };
        let result = if over_x == Alias::Exact {
            // SAFETY: dx (= x) is non-NULL and valid for its extent (caller's contract).
            let x_dx = unsafe { std::slice::from_raw_parts_mut(dx, dx_elems) };
            RowsMut::strided(x_dx, rows, cols, dx_stride)
                .and_then(|x_dx| activ_core::logsumexp_backward_rows_in_place(x_dx, dout, masked))
        } else {
            // SAFETY: x and dx are non-NULL, valid for their extents (caller's contract) and
            // disjoint (checked above).
            let (x, dx) = unsafe {
                (
                    std::slice::from_raw_parts(x, x_elems),
                    std::slice::from_raw_parts_mut(dx, dx_elems),
                )
            };
            (|| {
                let x = Rows::strided(x, rows, cols, x_stride)?;
                let dx = RowsMut::strided(dx, rows, cols, dx_stride)?;
                activ_core::logsumexp_backward_rows(x, dout, dx, masked)
            })()
        };
        match result {
            Ok(()) => ACTIV_STATUS_OK,
            Err(_) => ACTIV_STATUS_PANIC,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_at_the_boundary() {
        let status = guard(|| panic!("deliberate"));
        assert_eq!(status, ACTIV_STATUS_PANIC);
    }

    #[test]
    fn version_constants_match_the_package() {
        let version = format!("{ACTIV_VERSION_MAJOR}.{ACTIV_VERSION_MINOR}.{ACTIV_VERSION_PATCH}");
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
        // SAFETY: activ_version returns a static NUL-terminated string.
        let c = unsafe { std::ffi::CStr::from_ptr(activ_version()) };
        assert_eq!(c.to_str().unwrap(), version);
    }

    #[test]
    fn every_status_has_a_message() {
        for s in -3..10 {
            // SAFETY: activ_status_message never returns NULL and its strings are static.
            let m = unsafe { std::ffi::CStr::from_ptr(activ_status_message(s)) };
            assert!(!m.to_bytes().is_empty());
        }
    }
}
