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


# The derivative of each elementwise function, for the backward exports' docs:
# name -> (f'(x) and its conventions, where f is flat around x (dx = +0 there) or None).
GRAD = {
    "sigmoid": ("f'(x) = sigmoid(x) * sigmoid(-x) = y(1 - y), evaluated from x (accurate where y rounds to 1).", None),
    "log_sigmoid": ("f'(x) = sigmoid(-x) = 1 - sigmoid(x).", None),
    "logit": ("f'(p) = 1/(p(1 - p)); NaN for p outside [0, 1]; +inf at p = 0 and p = 1.", None),
    "logit_eps": ("f'(p) = 1/(p(1 - p)) for eps <= p <= 1 - eps, 0 outside, where the forward clamps (as PyTorch).",
                  "p < eps or p > 1 - eps"),
    "relu": ("f'(x) = 1 for x > 0, 0 for x <= 0: relu'(0) = 0 (as PyTorch and JAX).", "x <= 0"),
    "relu6": ("f'(x) = 1 on (0, 6), 0 elsewhere: relu6'(0) = relu6'(6) = 0 (as PyTorch).", "x <= 0 or x >= 6"),
    "leaky_relu": ("f'(x) = 1 for x > 0, negative_slope for x <= 0: leaky_relu'(0) = negative_slope (as PyTorch).",
                   "x <= 0 when negative_slope == 0"),
    "elu": ("f'(x) = 1 for x > 0, alpha * exp(x) for x <= 0: elu'(0) = alpha (as PyTorch).", None),
    "selu": ("f'(x) = lambda for x > 0, lambda * alpha * exp(x) for x <= 0: selu'(0) = lambda * alpha (as PyTorch).", None),
    "celu": ("f'(x) = 1 for x > 0, exp(x/alpha) for x <= 0: celu'(0) = 1.", None),
    "softplus": ("f'(x) = sigmoid(beta * x).", None),
    "tanh": ("f'(x) = 1 - tanh(x)^2, evaluated as 4 exp(-2|x|)/(1 + exp(-2|x|))^2 (no cancellation).", None),
    "gelu": ("f'(x) = Phi(x) + x * phi(x), Phi and phi the standard normal CDF and density.", None),
    "gelu_tanh": ("f'(x) = d/dx [0.5 * x * (1 + tanh(u))], u = sqrt(2/pi) * (x + 0.044715 x^3).", None),
    "silu": ("f'(x) = sigmoid(x) * (1 + x * sigmoid(-x)).", None),
    "mish": ("f'(x) = tanh(softplus(x)) + x * sigmoid(x) * sech(softplus(x))^2.", None),
    "softsign": ("f'(x) = 1/(1 + |x|)^2.", None),
    "hard_sigmoid": ("f'(x) = 1/6 on (-3, 3), 0 elsewhere: hard_sigmoid'(-3) = hard_sigmoid'(3) = 0 (as PyTorch).",
                     "x <= -3 or x >= 3"),
    "hard_swish": ("f'(x) = 0 for x < -3, x/3 + 1/2 on [-3, 3], 1 for x > 3: hard_swish'(-3) = -1/2 and hard_swish'(3) = 3/2 (as PyTorch).",
                   "x < -3"),
}

# Accuracy of dx against dy * f'(x), per C type.
GRAD_ULP = {"f32": "2", "f64": "4"}


def elementwise_backward(name, ctor, params, summary, specials, ulp32, ulp64, rust_t, c_t):
    formula, flat = GRAD[name]
    lines = [
        f"/// Backward pass of activ_{name}_{rust_t} (vector-Jacobian product): dx[i] = dy[i] * f'(x[i]) for i < n,",
        "/// with x the forward *input* (the x given to the forward function, not its output).",
        "///",
        f"/// {formula}",
        f"/// dx is dy * f'(x) rounded once, within {GRAD_ULP[rust_t]} ULP. A NaN x gives NaN; a NaN dy gives NaN"
        + (" except on the flat pieces." if flat else "."),
    ]
    if flat:
        lines.append(f"/// Flat pieces, where dx is +0 whatever dy is (as PyTorch's masks): {flat}.")
    lines += [
        "/// " + ("Elsewhere, an" if flat else "An") + " infinite dy where f'(x) is 0 or underflows gives NaN (the IEEE product).",
        "/// Results are bit-identical to the Rust API (activ::Derivative::backward).",
        "///",
        f"/// @param x forward input, n {c_t}s (may be NULL when n == 0); may overlap dy",
        f"/// @param dy upstream gradient dL/dy, n {c_t}s; may overlap x",
        f"/// @param dx output dL/dx, n {c_t}s; dx == dy (dx overwrites dy), dx == x (dx overwrites x) or both",
        "/// compute in place; any other overlap of dx with x or dy is refused",
        "/// @param n number of elements",
    ]
    for p, doc in params:
        lines.append(f"/// @param {p} as for activ_{name}_{rust_t}: {doc}")
    lines += [
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER if x, dy or dx is NULL and n > 0;",
        f"/// ACTIV_STATUS_SIZE_OVERFLOW if n * sizeof({c_t}) exceeds PTRDIFF_MAX;",
    ]
    if params:
        lines.append("/// ACTIV_STATUS_INVALID_PARAMETER if a parameter is outside its domain;")
    lines += [
        "/// ACTIV_STATUS_OVERLAP if dx overlaps x or dy without being equal to it. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x and dy must be readable and dx writable for n aligned elements.",
        "#[no_mangle]",
    ]
    args = f"x: *const {rust_t}, dy: *const {rust_t}, dx: *mut {rust_t}, n: size_t"
    for p, _ in params:
        args += f", {p}: {rust_t}"
    lines.append(f"pub unsafe extern \"C\" fn activ_{name}_backward_{rust_t}({args}) -> activ_status {{")
    lines.append("    // SAFETY: the caller upholds the pointer contract documented above.")
    lines.append(f"    unsafe {{ elementwise_backward(x, dy, dx, n, || {ctor}) }}")
    lines.append("}")
    return "\n".join(lines)


ROW_BACKWARD = [
    ("softmax", "RowOp::Softmax",
     "Softmax backward over each row: dx[r] = y[r] * (dy[r] - <dy[r], y[r]>), y = softmax(x) the forward *output*.",
     "<dy, y> is a compensated dot product and dy - <dy, y> a double-double, so each dx is rounded once;",
     "a row of y that is all 0 (a masked row under ACTIV_MASKED_ROWS_ZEROS) gives +0 whatever dy holds;"
     " NaN in y or dy makes the row NaN (default quiet NaN)."),
    ("log_softmax", "RowOp::LogSoftmax",
     "Log-softmax backward over each row: dx[r] = dy[r] - exp(y[r]) * sum_j dy[r][j], y = log_softmax(x) the forward *output*.",
     "sum_j dy is compensated and exp(y) a double-double, so each dx is rounded once;",
     "a row of y that is all -inf (a masked row under ACTIV_MASKED_ROWS_ZEROS) gives +0 whatever dy holds;"
     " NaN propagates (default quiet NaN)."),
]


def rows_backward(name, op, summary, method, specials, rust_t, c_t):
    out = []
    out += [
        f"/// {summary}",
        "///",
        f"/// Contiguous row-major rows x cols matrices. {method}",
        "/// within 1 ULP unless a row cancels almost completely. " + specials,
        "/// Bit-identical to the Rust API.",
        "///",
        f"/// @param y forward output (activ_{name}_{rust_t}'s y), rows * cols {c_t}s (may be NULL when rows or cols is 0)",
        f"/// @param dy upstream gradient dL/dy, same shape; may overlap y",
        "/// @param dx output dL/dx, same shape; dx == dy, dx == y or both compute in place; any other",
        "/// overlap of dx with y or dy is refused",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if rows * cols",
        "/// overflows or its byte size exceeds PTRDIFF_MAX; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "/// (With dx == y == dy one row is copied to the heap first; if that allocation fails,",
        "/// ACTIV_STATUS_PANIC.)",
        "///",
        "/// # Safety",
        "/// Unless NULL, y and dy must be readable and dx writable for rows * cols aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_{name}_backward_{rust_t}(y: *const {rust_t}, dy: *const {rust_t}, dx: *mut {rust_t}, rows: size_t, cols: size_t) -> activ_status {{",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        f"    unsafe {{ rows_backward_op({op}, y, cols, dy, cols, dx, cols, rows, cols) }}",
        "}",
        "",
    ]
    out += [
        f"/// {summary}",
        "///",
        "/// Strided rows: row r of y starts at y + r * y_stride, of dy at dy + r * dy_stride, of dx at",
        "/// dx + r * dx_stride; elements between rows are never touched. As the contiguous form otherwise.",
        "///",
        "/// @param y forward output (may be NULL when rows or cols is 0)",
        "/// @param y_stride elements from one row of y to the next, >= cols",
        "/// @param dy upstream gradient; may overlap y",
        "/// @param dy_stride elements from one row of dy to the next, >= cols",
        "/// @param dx output; dx == dy with dx_stride == dy_stride, or dx == y with dx_stride == y_stride",
        "/// (or both) compute in place; any other overlap of dx with y or dy is refused",
        "/// @param dx_stride elements from one row of dx to the next, >= cols",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if a stride is",
        "/// smaller than cols or an extent overflows; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, each of y, dy (readable) and dx (writable) must be valid for",
        "/// (rows - 1) * its stride + cols aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_{name}_backward_strided_{rust_t}(",
        f"    y: *const {rust_t},",
        "    y_stride: size_t,",
        f"    dy: *const {rust_t},",
        "    dy_stride: size_t,",
        f"    dx: *mut {rust_t},",
        "    dx_stride: size_t,",
        "    rows: size_t,",
        "    cols: size_t,",
        ") -> activ_status {",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        f"    unsafe {{ rows_backward_op({op}, y, y_stride, dy, dy_stride, dx, dx_stride, rows, cols) }}",
        "}",
    ]
    return "\n".join(out)


def logsumexp_backward(rust_t, c_t):
    return "\n".join([
        "/// logsumexp backward over each row: dx[r][j] = softmax(x[r])[j] * dout[r], x the forward *input*.",
        "///",
        "/// Contiguous row-major rows x cols x and dx, one upstream gradient dout[r] per row (the gradient",
        "/// of out[r] = logsumexp(x[r])). softmax(x) is the forward softmax kernel, so dx is rounded twice",
        "/// (within 2 ULP). A masked row (all -inf) gives +0; NaN propagates. Bit-identical to the Rust API.",
        "///",
        f"/// @param x forward input, rows * cols {c_t}s (may be NULL when rows or cols is 0); may overlap dout",
        f"/// @param dout upstream gradient, rows {c_t}s; must not overlap dx",
        "/// @param dx output, rows * cols; dx == x computes in place; any other overlap with x or dout is refused",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if rows * cols",
        "/// overflows or a byte size exceeds PTRDIFF_MAX; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable and dx writable for rows * cols, and dout readable for rows",
        "/// aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_logsumexp_backward_{rust_t}(x: *const {rust_t}, dout: *const {rust_t}, dx: *mut {rust_t}, rows: size_t, cols: size_t) -> activ_status {{",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        "    unsafe { logsumexp_backward_op(x, cols, dout, dx, cols, rows, cols, 0) }",
        "}",
        "",
        "/// logsumexp backward over the rows of strided matrices: row r of x starts at x + r * x_stride,",
        "/// of dx at dx + r * dx_stride; elements between rows are never touched.",
        "///",
        "/// As the contiguous form otherwise; a masked row (all -inf) follows `masked`: +0 under",
        "/// ACTIV_MASKED_ROWS_ZEROS, NaN under ACTIV_MASKED_ROWS_NAN.",
        "///",
        "/// @param x forward input (may be NULL when rows or cols is 0); may overlap dout",
        "/// @param x_stride elements from one row of x to the next, >= cols",
        f"/// @param dout upstream gradient, rows {c_t}s; must not overlap dx",
        "/// @param dx output; dx == x with dx_stride == x_stride computes in place; any other overlap",
        "/// with x or dout is refused",
        "/// @param dx_stride elements from one row of dx to the next, >= cols",
        "/// @param rows number of rows",
        "/// @param cols number of columns",
        "/// @param masked ACTIV_MASKED_ROWS_ZEROS or ACTIV_MASKED_ROWS_NAN",
        "/// @return ACTIV_STATUS_OK; ACTIV_STATUS_NULL_POINTER; ACTIV_STATUS_SIZE_OVERFLOW if a stride is",
        "/// smaller than cols or an extent overflows; ACTIV_STATUS_INVALID_PARAMETER for an unknown",
        "/// `masked`; ACTIV_STATUS_OVERLAP. Nothing is written on error.",
        "///",
        "/// # Safety",
        "/// Unless NULL, x must be readable and dx writable for (rows - 1) * their stride + cols, and dout",
        "/// readable for rows aligned elements.",
        "#[no_mangle]",
        f"pub unsafe extern \"C\" fn activ_logsumexp_backward_strided_{rust_t}(",
        f"    x: *const {rust_t},",
        "    x_stride: size_t,",
        f"    dout: *const {rust_t},",
        f"    dx: *mut {rust_t},",
        "    dx_stride: size_t,",
        "    rows: size_t,",
        "    cols: size_t,",
        "    masked: activ_masked_rows_int,",
        ") -> activ_status {",
        "    // SAFETY: the caller upholds the pointer contract documented above.",
        "    unsafe { logsumexp_backward_op(x, x_stride, dout, dx, dx_stride, rows, cols, masked) }",
        "}",
    ])


def main():
    parts = [
        "//! Every exported function, spelled out for cbindgen. Generated by",
        "//! `tools/gen_exports.py`; edit the table there, not this file.",
        "",
        "use crate::{",
        "    activ_masked_rows_int, activ_status, elementwise, elementwise_backward, logsumexp_backward_op,",
        "    logsumexp_op, rows_backward_op, rows_op, RowOp,",
        "};",
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
        for e in ELEMENTWISE:
            parts.append(elementwise_backward(*e, rust_t, c_t))
            parts.append("")
        for r in ROW_BACKWARD:
            parts.append(rows_backward(*r, rust_t, c_t))
            parts.append("")
        parts.append(logsumexp_backward(rust_t, c_t))
        parts.append("")
    path = pathlib.Path(__file__).resolve().parent.parent / "src" / "exports.rs"
    path.write_text("\n".join(parts))


if __name__ == "__main__":
    main()
