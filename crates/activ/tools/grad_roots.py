#!/usr/bin/env python3
"""Generates crates/activ/src/math/roots.rs: the roots of the derivatives of silu, gelu,
gelu_tanh and mish, and the Taylor series of each derivative around its root.

    pip install mpmath   # tested with mpmath 1.3.0
    python3 crates/activ/tools/grad_roots.py > crates/activ/src/math/roots.rs

Each f' changes sign at one point x0 < 0. Near x0 the direct double-double formula for
f'(x) cancels, so the library takes f'(x0 + d) = sum_{n>=1} c_n d^n for |d| <= ROOT_WINDOW.
For each function the script
  1. finds x0 with findroot (60 digits) and splits it into three doubles hi + mid + lo;
  2. computes c_n exactly by truncated power-series arithmetic on f(x0 + d) (then
     differentiates), and checks the coefficients against mpmath.taylor and against direct
     evaluation of f' at d = +-2^-5, +-2^-9 (40 digits);
  3. picks N, the smallest degree with |sum_{n>N} c_n d^n| <= 2^-60 |f'(x0 + d)| on a fine
     grid of d in [-W, W] (W = 2^-3), the tail taken as f' minus the truncated polynomial;
  4. prints the Rust file: c_1 and c_2 as double-doubles, c_3..c_N as doubles.
Diagnostics (checks, N, worst ratios, a simulated f64 evaluation) go to stderr.
"""
import random
import sys

import mpmath as mp

mp.mp.dps = 80
W = mp.mpf(2) ** -3
BOUND = mp.mpf(2) ** -60
TERMS = 60  # series length used for the checks and as "the exact tail"
GRID = 4000  # grid points on each side of 0

A_TANH = mp.mpf("0.044715")
K_TANH = mp.sqrt(2 / mp.pi)


def log(*a):
    print(*a, file=sys.stderr)


# ---------------------------------------------------------------- truncated power series
# A series is a list [a_0, a_1, ..., a_{M-1}] of mpf, all of the same length M.


def s_var(x0, m):
    return [mp.mpf(x0), mp.mpf(1)] + [mp.mpf(0)] * (m - 2)


def s_const(c, m):
    return [mp.mpf(c)] + [mp.mpf(0)] * (m - 1)


def s_add(a, b):
    return [x + y for x, y in zip(a, b)]


def s_scale(a, k):
    return [x * k for x in a]


def s_mul(a, b):
    m = len(a)
    return [mp.fsum(a[i] * b[n - i] for i in range(n + 1)) for n in range(m)]


def s_div(a, b):
    m = len(a)
    q = []
    for n in range(m):
        q.append((a[n] - mp.fsum(q[i] * b[n - i] for i in range(n))) / b[0])
    return q


def s_deriv(a):
    """Derivative, one term shorter."""
    return [n * a[n] for n in range(1, len(a))]


def s_integ(a, c0):
    """Antiderivative with constant c0, one term longer."""
    return [mp.mpf(c0)] + [a[n] / (n + 1) for n in range(len(a))]


def s_exp(a):
    # g = exp(a): g' = a' g, i.e. n g_n = sum_{k=1}^{n} k a_k g_{n-k}
    m = len(a)
    g = [mp.exp(a[0])]
    for n in range(1, m):
        g.append(mp.fsum(k * a[k] * g[n - k] for k in range(1, n + 1)) / n)
    return g


def s_log(a):
    # log(a) = log(a_0) + integral(a'/a)
    return s_integ(s_div(s_deriv(a), a[:-1]), mp.log(a[0]))


def s_tanh(a):
    e = s_exp(s_scale(a, 2))
    one = s_const(1, len(a))
    return s_div(s_add(e, s_scale(one, -1)), s_add(e, one))


# ---------------------------------------------------------------- the four functions
# Each entry: f as a series in d (x = x0 + d) and f' evaluated directly.


def silu_series(x0, m):
    x = s_var(x0, m)
    one = s_const(1, m)
    sig = s_div(one, s_add(one, s_exp(s_scale(x, -1))))
    return s_mul(x, sig)


def silu_d(x):
    s = 1 / (1 + mp.exp(-x))
    return s * (1 + x * (1 - s))


def gelu_series(x0, m):
    x = s_var(x0, m)
    phi = s_scale(s_exp(s_scale(s_mul(x, x), -mp.mpf(1) / 2)), 1 / mp.sqrt(2 * mp.pi))
    Phi = s_integ(phi[:-1], mp.ncdf(x0))
    return s_mul(x, Phi)


def gelu_d(x):
    return mp.ncdf(x) + x * mp.npdf(x)


def gelu_tanh_series(x0, m):
    x = s_var(x0, m)
    u = s_scale(s_add(x, s_scale(s_mul(x, s_mul(x, x)), A_TANH)), K_TANH)
    return s_scale(s_mul(x, s_add(s_const(1, m), s_tanh(u))), mp.mpf(1) / 2)


def gelu_tanh_d(x):
    u = K_TANH * (x + A_TANH * x**3)
    du = K_TANH * (1 + 3 * A_TANH * x**2)
    t = mp.tanh(u)
    return (1 + t) / 2 + x * (1 - t * t) * du / 2


def mish_series(x0, m):
    x = s_var(x0, m)
    one = s_const(1, m)
    sp = s_log(s_add(one, s_exp(x)))[:m]
    return s_mul(x, s_tanh(sp))


def mish_d(x):
    sp = mp.log1p(mp.exp(x))
    t = mp.tanh(sp)
    return t + x * (1 - t * t) * (1 / (1 + mp.exp(-x)))


FUNCS = [
    # name, const, doc formula, series of f, direct f', initial guess
    ("silu", "SILU", "silu'(x) = σ(x)(1 + x(1 − σ(x)))", silu_series, silu_d, -1.2785),
    ("gelu", "GELU", "gelu'(x) = Φ(x) + x·φ(x)", gelu_series, gelu_d, -0.7518),
    (
        "gelu_tanh",
        "GELU_TANH",
        "gelu_tanh'(x) = ½(1 + tanh u) + ½x(1 − tanh² u)·u', u = √(2/π)(x + 0.044715x³)",
        gelu_tanh_series,
        gelu_tanh_d,
        -0.75,
    ),
    (
        "mish",
        "MISH",
        "mish'(x) = tanh(sp(x)) + x(1 − tanh²(sp(x)))·σ(x), sp(x) = log(1 + eˣ)",
        mish_series,
        mish_d,
        -1.19,
    ),
]


def fl(v):
    """Round to the nearest double."""
    return float(v)


def poly(c, d, n):
    return mp.fsum(c[k] * d**k for k in range(1, n + 1))


def analyse(name, series, fd, guess):
    x0 = mp.findroot(fd, mp.mpf(guess), tol=mp.mpf(10) ** -75)
    assert abs(fd(x0)) < mp.mpf(10) ** -70, name
    hi = fl(x0)
    mid = fl(x0 - hi)
    lo = fl(x0 - hi - mid)
    # coefficients of f' at x0: derivative of the series of f
    c = s_deriv(series(x0, TERMS + 2))
    assert abs(c[0]) < mp.mpf(10) ** -70, name
    c[0] = mp.mpf(0)

    # check 1: mpmath.taylor (numerical differentiation) on the direct f'
    tay = mp.taylor(fd, x0, 12)
    worst_tay = max(abs(tay[k] - c[k]) / abs(c[k]) for k in range(1, 13))
    assert worst_tay < mp.mpf(10) ** -40, (name, worst_tay)
    # check 2: the series against direct evaluation
    for d in (W, -W, mp.mpf(2) ** -9, -(mp.mpf(2) ** -9)):
        ref = fd(x0 + d)
        got = poly(c, d, TERMS)
        assert abs(got - ref) <= mp.mpf(10) ** -40 * abs(ref), (name, d)

    # choose N: worst |f' - P_N| / |f'| on the grid
    grid = [W * k / GRID for k in range(-GRID, GRID + 1) if k != 0]
    ref = {d: fd(x0 + d) for d in grid}

    def worst(n):
        return max(abs(ref[d] - poly(c, d, n)) / abs(ref[d]) for d in grid)

    n = 3
    while worst(n) > BOUND:
        n += 1
    ratio = worst(n)
    # also the sum-of-absolute-values bound, relative to the smallest |f'(x0+d)/d|
    min_slope = min(abs(ref[d] / d) for d in grid)
    abs_bound = mp.fsum(abs(c[k]) * W**k for k in range(n + 1, TERMS + 1)) / (min_slope * W)
    log(
        f"{name}: x0 = {mp.nstr(x0, 55)}\n"
        f"  taylor check {mp.nstr(worst_tay, 3)}, N = {n}, worst tail ratio "
        f"{mp.nstr(ratio, 4)} = 2^{mp.nstr(mp.log(ratio, 2), 5)} "
        f"(N-1 gives 2^{mp.nstr(mp.log(worst(n - 1), 2), 5)}); "
        f"sum|c_n|W^n / (min|f'/d|·W) = 2^{mp.nstr(mp.log(abs_bound, 2), 5)}"
    )
    return x0, (hi, mid, lo), c, n, ratio


def simulate(name, x0, c, n, fd, c2lo):
    """The library's f64 evaluation: fused Horner on c_N..c_3, then c_2, c_1, times d."""
    c1 = (fl(c[1]), fl(c[1] - fl(c[1])))
    c2 = (fl(c[2]), fl(c[2] - fl(c[2])))
    rest = [fl(c[k]) for k in range(n, 2, -1)]
    rng = random.Random(12345)
    worst = mp.mpf(0)
    for _ in range(20000):
        d = rng.uniform(-float(W), float(W))
        if d == 0:
            continue
        md = mp.mpf(d)
        q = mp.mpf(rest[0])
        for r in rest[1:]:
            q = mp.mpf(fl(q * md + r))
        q2 = mp.mpf(fl(c2[0] + (c2[1] if c2lo else 0) + md * q))
        p = mp.mpf(fl(c1[0] + c1[1] + md * q2))
        got = mp.mpf(fl(md * p))
        exact = fd(x0 + md)
        worst = max(worst, abs(got - exact) / abs(exact))
    return worst * mp.mpf(2) ** 53


def rust(results):
    out = []
    w = out.append
    w(
        f"//! Generated by `crates/activ/tools/grad_roots.py` (mpmath, {mp.mp.dps} digits): "
        "do not edit."
    )
    w("//!")
    w("//! The derivatives of silu, gelu, gelu_tanh and mish change sign at a point x0 < 0.")
    w("//! Near x0 the direct double-double formula for f'(x) cancels (its terms are O(1) and")
    w("//! their sum is O(x − x0)), so f'(x) is taken from its Taylor series in d = x − x0,")
    w("//! f'(x0 + d) = c_1·d + c_2·d² + … + c_N·d^N, for |d| ≤ [`ROOT_WINDOW`]. N is the")
    w("//! smallest degree whose truncation error is below 2^-60 · |f'(x0 + d)| on the whole")
    w(f"//! window (checked on a grid of {2 * GRID} points); the measured worst ratios are")
    for name, const, *_rest in FUNCS:
        _x0, _parts, _c, n, ratio = results[const]
        e = mp.log(ratio, 2)
        w(f"//! {name} 2^{mp.nstr(e, 4)} (N = {n}),")
    out[-1] = out[-1][:-1] + "."
    w("")
    w("/// A root of f' and the Taylor series of f' around it.")
    w("pub(crate) struct RootSeries {")
    w("    /// x0 = hi + mid + lo.")
    w("    pub x0: (f64, f64, f64),")
    w("    /// c_1 as a double-double.")
    w("    pub c1: (f64, f64),")
    w("    /// c_2 as a double-double.")
    w("    pub c2: (f64, f64),")
    w("    /// c_N, c_(N−1), …, c_3: highest degree first, for Horner.")
    w("    pub rest: &'static [f64],")
    w("}")
    w("")
    w("/// |x − x0| at most this: the series is used there.")
    w(f"pub(crate) const ROOT_WINDOW: f64 = {fl(W)!r};")
    for name, const, doc, *_rest in FUNCS:
        x0, (hi, mid, lo), c, n, _ratio = results[const]
        c1hi = fl(c[1])
        c2hi = fl(c[2])
        w("")
        w(f"/// {doc}.")
        w(f"/// Root x0 ≈ {mp.nstr(x0, 20)}; series to degree N = {n}.")
        w(f"pub(crate) const {const}: RootSeries = RootSeries {{")
        w("    x0: (")
        for part in (hi, mid, lo):
            w(f"        {part!r},")
        w("    ),")
        w(f"    c1: ({c1hi!r}, {fl(c[1] - c1hi)!r}),")
        w(f"    c2: ({c2hi!r}, {fl(c[2] - c2hi)!r}),")
        w("    rest: &[")
        for k in range(n, 2, -1):
            w(f"        {fl(c[k])!r},")
        w("    ],")
        w("};")
    return "\n".join(out) + "\n"


def main():
    results = {}
    for name, const, _doc, series, fd, guess in FUNCS:
        results[const] = analyse(name, series, fd, guess)
    for name, const, _doc, _series, fd, _guess in FUNCS:
        x0, _parts, c, n, _ratio = results[const]
        e1 = simulate(name, x0, c, n, fd, False)
        e2 = simulate(name, x0, c, n, fd, True)
        log(
            f"{name}: simulated f64 evaluation, worst error over 20000 d: "
            f"{mp.nstr(e1, 4)} × 2^-53 relative (with c2_lo added: {mp.nstr(e2, 4)})"
        )
    sys.stdout.write(rust(results))


if __name__ == "__main__":
    main()
