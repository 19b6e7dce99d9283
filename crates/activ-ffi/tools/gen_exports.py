#!/usr/bin/env python3
"""Writes src/exports.rs: one extern "C" function per activ function and type.

cbindgen reads items, not macro expansions, so every export must be spelled out in the
source; this script is where their shape is kept uniform. Run it after changing the table,
then regenerate the header (ACTIV_BLESS=1 cargo test -p activ-ffi --test header).
"""
import pathlib

# name, constructor (T = the element type; params in scope), params [(name, doc)], summary, specials, accuracy
ELEMENTWISE = [
    ("sigmoid", "Ok::<_, activ_core::Error>(activ_core::Sigmoid)", [], "Logistic sigmoid, y = 1/(1 + exp(-x)).",
     "NaN -> NaN; +-0 -> 0.5; +inf -> 1; -inf -> 0; results below the normal range are subnormals, not 0.", "1", "2"),
    ("log_sigmoid", "Ok::<_, activ_core::Error>(activ_core::LogSigmoid)", [], "Log-sigmoid, y = log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)).",
     "NaN -> NaN; +-0 -> -ln 2; +inf -> -0.0; -inf -> -inf; finite for every finite x.", "1", "2"),
    ("logit", "Ok::<_, activ_core::Error>(activ_core::Logit)", [], "Logit, the inverse of the sigmoid: y = log(p/(1 - p)).",
     "NaN -> NaN; p < 0 or p > 1 -> NaN; 0 -> -inf; 1 -> +inf; 0.5 -> 0.", "1", "2"),
    ("logit_eps", "activ_core::LogitEps::new(eps)", [("eps", "clamp margin, in [0, 0.5]")],
     "Clamped logit, y = logit(clamp(p, eps, 1 - eps)), as PyTorch's logit(p, eps).",
     "NaN -> NaN; with eps > 0, 0 and 1 give finite results.", "1", "2"),
    ("relu", "Ok::<_, activ_core::Error>(activ_core::Relu)", [], "ReLU, y = max(x, 0), with NaN propagated.",
     "NaN -> NaN; -0.0 -> +0.0; +inf -> +inf; -inf -> +0.0.", "0 (exact)", "0 (exact)"),
    ("relu6", "Ok::<_, activ_core::Error>(activ_core::Relu6)", [], "ReLU6, y = min(max(x, 0), 6).",
     "NaN -> NaN; -0.0 -> +0.0; +inf -> 6; -inf -> +0.0.", "0 (exact)", "0 (exact)"),
    ("leaky_relu", "activ_core::LeakyRelu::new(negative_slope)", [("negative_slope", "slope for x <= 0, finite (PyTorch default 0.01)")],
     "Leaky ReLU, y = x for x > 0, negative_slope * x otherwise.",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> +inf; with slope 0 every x <= 0 gives -0.0.", "correctly rounded", "correctly rounded"),
    ("elu", "activ_core::Elu::new(alpha)", [("alpha", "scale of the negative branch, finite (default 1)")],
     "ELU, y = x for x > 0, alpha * (exp(x) - 1) otherwise.",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> +inf; -inf -> -alpha.", "1", "2"),
    ("selu", "Ok::<_, activ_core::Error>(activ_core::Selu)", [],
     "SELU, y = lambda * (x for x > 0, alpha * (exp(x) - 1) otherwise), lambda = 1.0507009873554804934193349852946, alpha = 1.6732632423543772848170429916717.",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> +inf; -inf -> -lambda*alpha.", "1", "2"),
    ("celu", "activ_core::Celu::new(alpha)", [("alpha", "finite and non-zero (default 1)")],
     "CELU, y = max(0, x) + min(0, alpha * (exp(x/alpha) - 1)).",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> +inf; -inf -> -alpha (alpha > 0).", "1", "2"),
    ("softplus", "activ_core::Softplus::new(beta)", [("beta", "sharpness, finite and > 0 (default 1)")],
     "Softplus, y = log(1 + exp(beta * x)) / beta, computed as max(x, 0) + log1p(exp(-beta|x|))/beta: stable for every beta, no threshold.",
     "NaN -> NaN; +inf -> +inf; -inf -> +0.0; 0 -> ln(2)/beta.", "1", "2"),
    ("tanh", "Ok::<_, activ_core::Error>(activ_core::Tanh)", [], "Hyperbolic tangent.",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> 1; -inf -> -1.", "1", "2"),
    ("gelu", "Ok::<_, activ_core::Error>(activ_core::Gelu)", [], "GELU, exact (erf) form: y = x * Phi(x) = 0.5 * x * erfc(-x/sqrt(2)).",
     "NaN -> NaN; +-0 -> +-0; +inf -> +inf; -inf -> -0.0; full relative accuracy in the negative tail.", "2", "2"),
    ("gelu_tanh", "Ok::<_, activ_core::Error>(activ_core::GeluTanh)", [], "GELU, tanh approximation: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).",
     "NaN -> NaN; +-0 -> +-0; +inf -> +inf; -inf -> -0.0.", "2", "2"),
    ("silu", "Ok::<_, activ_core::Error>(activ_core::Silu)", [], "SiLU (swish), y = x * sigmoid(x).",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> +inf; -inf -> -0.0.", "1", "2"),
    ("mish", "Ok::<_, activ_core::Error>(activ_core::Mish)", [], "Mish, y = x * tanh(softplus(x)).",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> +inf; -inf -> -0.0.", "2", "2"),
    ("softsign", "Ok::<_, activ_core::Error>(activ_core::Softsign)", [], "Softsign, y = x / (1 + |x|).",
     "NaN -> NaN; -0.0 -> -0.0; +inf -> 1; -inf -> -1.", "1", "2"),
    ("hard_sigmoid", "Ok::<_, activ_core::Error>(activ_core::HardSigmoid)", [], "Hard sigmoid (PyTorch), y = relu6(x + 3) / 6.",
     "NaN -> NaN; x <= -3 -> +0.0; x >= 3 -> 1.", "1", "1"),
    ("hard_swish", "Ok::<_, activ_core::Error>(activ_core::HardSwish)", [], "Hard swish (PyTorch), y = x * relu6(x + 3) / 6.",
     "NaN -> NaN; +-0 -> +-0; x <= -3 -> -0.0; x >= 3 -> x.", "1", "1"),
]

TYPES = [("f32", "float"), ("f64", "double")]


def elementwise(name, ctor, params, summary, specials, ulp32, ulp64, rust_t, c_t):
    ulp = ulp32 if rust_t == "f32" else ulp64
    ulp_text = ulp if not ulp[0].isdigit() or " " in ulp else f"<= {ulp} ULP"
    lines = [
        f"/// {summary}",
        "///",
        f"/// Elementwise: y[i] = f(x[i]) for i < n. Special values: {specials}",
        f"/// Accuracy ({c_t}): {ulp_text}. Results are bit-identical to the Rust API.",
        "///",
        f"/// @param x input, n {c_t}s (may be NULL when n == 0)",
        f"/// @param y output, n {c_t}s; y == x computes in place; any other overlap is refused",
        "/// @param n number of elements",
    ]
    for p, doc in params:
        lines.append(f"/// @param {p} {doc}")
    lines += [
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER if x or y is NULL and n > 0;",
        f"/// ACTIV_STATUS_SIZE_OVERFLOW if n * sizeof({c_t}) exceeds PTRDIFF_MAX;",
    ]
    if params:
        lines.append("/// ACTIV_STATUS_INVALID_PARAMETER if a parameter is outside its domain;")
    lines += [
        "/// ACTIV_STATUS_OVERLAP if x and y overlap without being equal. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable and y writable for n aligned elements.",
        "#[no_mangle]",
    ]
    args = f"x: *const {rust_t}, y: *mut {rust_t}, n: size_t"
    for p, _ in params:
        args += f", {p}: {rust_t}"
    lines.append(f"pub unsafe extern \"C\" fn activ_{name}_{rust_t}({args}) -> activ_status {{")
    lines.append("    // SAFETY: the caller upholds the pointer contract documented above.")
    lines.append(f"    unsafe {{ elementwise(x, y, n, || {ctor}) }}")
    lines.append("}")
    return "\n".join(lines)


ROW_OPS = [
    ("softmax", "RowOp::Softmax", "Softmax over each row: y[r][j] = exp(x[r][j] - m) / sum_k exp(x[r][k] - m), m the row maximum.",
     "A row with NaN gives all NaN; k entries of +inf give 1/k there and 0 elsewhere;"),
    ("log_softmax", "RowOp::LogSoftmax", "Log-softmax over each row: y[r][j] = x[r][j] - logsumexp(x[r]), computed so the dominant entry keeps full relative accuracy.",
     "A row with NaN gives all NaN; k entries of +inf give -ln k there and -inf elsewhere;"),
]


def rows(name, op, summary, specials, rust_t, c_t):
    out = []
    # Contiguous form.
    out += [
        f"/// {summary}",
        "///",
        f"/// Contiguous row-major rows x cols matrices. {specials}",
        "/// a fully masked row (all -inf) gives " + ("0" if name == "softmax" else "-inf") + " (see the _strided form for the NaN policy).",
        "/// Accuracy: <= 4 ULP per element (measured <= 1). Bit-identical to the Rust API.",
        "///",
        f"/// @param x input, rows * cols {c_t}s (may be NULL when rows or cols is 0)",
        "/// @param y output, same shape; y == x computes in place; any other overlap is refused",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if rows * cols",
        f"/// overflows or its byte size exceeds PTRDIFF_MAX; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable and y writable for rows * cols aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_{name}_{rust_t}(x: *const {rust_t}, y: *mut {rust_t}, rows: size_t, cols: size_t) -> activ_status {{",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        f"    unsafe {{ rows_op({op}, x, cols, y, cols, rows, cols, 0) }}",
        "}",
        "",
    ]
    out += [
        f"/// {summary}",
        "///",
        f"/// Strided rows: row r of x starts at x + r * x_stride, of y at y + r * y_stride; elements",
        "/// between rows are never touched. " + specials,
        "/// a fully masked row (all -inf) follows `masked`.",
        "///",
        f"/// @param x input (may be NULL when rows or cols is 0)",
        "/// @param x_stride elements from one row of x to the next, >= cols",
        "/// @param y output; y == x with y_stride == x_stride computes in place; any other overlap is refused",
        "/// @param y_stride elements from one row of y to the next, >= cols",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @param masked ACTIV_MASKED_ROWS_ZEROS or ACTIV_MASKED_ROWS_NAN",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if a stride is",
        "/// smaller than cols or an extent overflows; ACTIV_STATUS_INVALID_PARAMETER for an unknown",
        "/// `masked`; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable and y writable for (rows - 1) * stride + cols aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_{name}_strided_{rust_t}(",
        f"    x: *const {rust_t},",
        "    x_stride: size_t,",
        f"    y: *mut {rust_t},",
        "    y_stride: size_t,",
        "    rows: size_t,",
        "    cols: size_t,",
        "    masked: activ_masked_rows_int,",
        ") -> activ_status {",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        f"    unsafe {{ rows_op({op}, x, x_stride, y, y_stride, rows, cols, masked) }}",
        "}",
    ]
    return "\n".join(out)


def logsumexp(rust_t, c_t):
    return "\n".join([
        "/// logsumexp of each row: out[r] = log sum_j exp(x[r][j]), as m + log1p(sum_{j != argmax} exp(x[r][j] - m)).",
        "///",
        "/// Contiguous row-major rows x cols input, rows outputs. A row with NaN gives NaN; with +inf, +inf;",
        "/// a fully masked row (all -inf) gives -inf; with cols == 0 every out[r] is -inf.",
        "///",
        f"/// @param x input, rows * cols {c_t}s (may be NULL when cols is 0)",
        f"/// @param out output, rows {c_t}s; must not overlap x",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW;",
        "/// ACTIV_STATUS_OVERLAP if out overlaps x. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable for rows * cols and out writable for rows aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_logsumexp_{rust_t}(x: *const {rust_t}, out: *mut {rust_t}, rows: size_t, cols: size_t) -> activ_status {{",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        "    unsafe { logsumexp_op(x, cols, out, rows, cols) }",
        "}",
        "",
        "/// logsumexp of each row of a strided matrix: row r of x starts at x + r * x_stride.",
        "///",
        "/// As the contiguous form otherwise.",
        "///",
        "/// @param x input (may be NULL when cols is 0)",
        "/// @param x_stride elements from one row to the next, >= cols",
        f"/// @param out output, rows {c_t}s; must not overlap x",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if x_stride < cols",
        "/// or an extent overflows; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable for (rows - 1) * x_stride + cols and out writable for rows aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_logsumexp_strided_{rust_t}(",
        f"    x: *const {rust_t},",
        "    x_stride: size_t,",
        f"    out: *mut {rust_t},",
        "    rows: size_t,",
        "    cols: size_t,",
        ") -> activ_status {",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        "    unsafe { logsumexp_op(x, x_stride, out, rows, cols) }",
        "}",
    ])


def main():
    parts = [
        "//! Every exported function, spelled out for cbindgen. Generated by",
        "//! `tools/gen_exports.py`; edit the table there, not this file.",
        "",
        "use crate::{activ_masked_rows_int, activ_status, elementwise, logsumexp_op, rows_op, RowOp};",
        "use libc::size_t;",
        "",
    ]
    for rust_t, c_t in TYPES:
        for e in ELEMENTWISE:
            parts.append(elementwise(*e, rust_t, c_t))
            parts.append("")
        for r in ROW_OPS:
            parts.append(rows(*r, rust_t, c_t))
            parts.append("")
        parts.append(logsumexp(rust_t, c_t))
        parts.append("")
    path = pathlib.Path(__file__).resolve().parent.parent / "src" / "exports.rs"
    path.write_text("\n".join(parts))


if __name__ == "__main__":
    main()
