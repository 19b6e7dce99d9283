#!/usr/bin/env python3
"""Generates the fitted polynomials of crates/activ/src/math/lean.rs, exp.rs and log.rs and of
crates/activ/src/smooth.rs.

    pip install mpmath ; python3 poly_coeffs.py

Each polynomial is the Chebyshev interpolant of its degree (near-minimax, `mpmath.chebyfit`),
its coefficients rounded to f64, printed (ascending powers) with the relative error of the
function it serves, measured in high-precision arithmetic at evenly spaced points with the
f64 coefficients:

- lean.rs, TAIL_2_POW_MINUS_43 and TAIL_2_POW_MINUS_32: Q(r) ≈ (e^r − 1 − r)/r² on
  |r| ≤ ½ln 2 (widened by 1e−12 for the rounding of the reduction), degrees 7 and 5; error of
  1 + r + r²·Q(r) against e^r at 4001 points, 50 digits.
- lean.rs, ATANH_TAIL: T(z) ≈ (2·atanh(s) − 2s)/(s·z), z = s², on 0 ≤ z ≤ S², S =
  (√2 − 1)/(√2 + 1) widened by 1e−9, degree 4; error of 2s + s·z·T(z) against 2·atanh(s) at
  3000 points, 50 digits.
- exp.rs, TAIL_16: Q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ln 2/32 (widened by 1e−9), degree 5;
  error of 1 + r + r²·Q(r) against e^r at 4001 points, 50 digits.
- log.rs, LOG1P_TAIL_31: P(r) ≈ (log(1 + r) − r)/r² on |r| ≤ 1/31 (widened by 1e−9), degree
  8; error of r + r²·P(r) against log(1 + r) at 4000 points (r = 0 left out), 50 digits.
- smooth.rs, TANH_SMALL_F64: P(z) ≈ (tanh(s) − s)/(s·z), z = s², on 0 ≤ s ≤ 7/16 (widened
  by 1e−9), degree 9; error of s + s·z·P(z) against tanh(s) at 3000 points, 60 digits.
- log.rs, R: R(z) ≈ (2·atanh(s) − 2s − 2s³/3)/s⁵, z = s², S widened by 1e−6, degree 7; error
  of 2s + s³·(2/3 + z·R(z)) against 2·atanh(s) at 2000 points, 60 digits.
"""
import mpmath as mp


def horner(coeffs, x):
    q = mp.mpf(0)
    for c in reversed(coeffs):
        q = q * x + mp.mpf(c)
    return q


def fit(name, dps, f, interval, deg, samples, variable, approx, exact):
    """Prints `const name` for the degree-`deg` fit of f on `interval`; the error is
    |approx(s, P(variable(s))) / exact(s) − 1| over the `samples` s."""
    with mp.workdps(dps):
        poly = mp.chebyfit(f, interval, deg + 1)
        coeffs = [float(c) for c in poly[::-1]]
        worst = max(abs(approx(s, horner(coeffs, variable(s))) / exact(s) - 1) for s in samples)
        print(f"// degree {deg}: relative error 2^{float(mp.log(worst, 2)):.2f}")
    print(f"const {name}: [f64; {deg + 1}] = [")
    for c in coeffs:
        print(f"    {c!r},")
    print("];")


def exp_tail(r):
    return mp.mpf(1) / 2 if abs(r) < mp.mpf("1e-20") else (mp.exp(r) - 1 - r) / r**2


def atanh_tail(z):
    if z < mp.mpf("1e-30"):
        return mp.mpf(2) / 3
    s = mp.sqrt(z)
    return (2 * mp.atanh(s) - 2 * s) / (s * z)


def atanh_r(z):
    if z < mp.mpf("1e-40"):
        return mp.mpf(2) / 5
    s = mp.sqrt(z)
    return (2 * mp.atanh(s) - 2 * s - 2 * s**3 / 3) / s**5


def tanh_tail(z):
    if z < mp.mpf("1e-40"):
        return mp.mpf(-1) / 3
    s = mp.sqrt(z)
    return (mp.tanh(s) - s) / (s * z)


def log1p_tail(r):
    return mp.mpf(-1) / 2 if abs(r) < mp.mpf("1e-30") else (mp.log1p(r) - r) / r**2


def s_max(widening):
    return (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) * (1 + mp.mpf(widening))


with mp.workdps(50):
    a = mp.log(2) / 2 * (1 + mp.mpf("1e-12"))
    for name, deg in (("TAIL_2_POW_MINUS_43", 7), ("TAIL_2_POW_MINUS_32", 5)):
        fit(name, 50, exp_tail, [-a, a], deg,
            [-a + 2 * a * i / 4000 for i in range(4001)], lambda r: r,
            lambda r, q: 1 + r + r * r * q, mp.exp)
    s = s_max("1e-9")
    fit("ATANH_TAIL", 50, atanh_tail, [0, s**2], 4,
        [s * i / 3000 for i in range(1, 3001)], lambda s: s * s,
        lambda s, q: 2 * s + s**3 * q, lambda s: 2 * mp.atanh(s))

with mp.workdps(60):
    s = s_max("1e-6")
    fit("R", 60, atanh_r, [0, s**2], 7,
        [s * i / 2000 for i in range(1, 2001)], lambda s: s * s,
        lambda s, q: 2 * s + s**3 * (mp.mpf(2) / 3 + s * s * q), lambda s: 2 * mp.atanh(s))

with mp.workdps(50):
    a = mp.log(2) / 32 * (1 + mp.mpf("1e-9"))
    fit("TAIL_16", 50, exp_tail, [-a, a], 5,
        [-a + 2 * a * i / 4000 for i in range(4001)], lambda r: r,
        lambda r, q: 1 + r + r * r * q, mp.exp)

with mp.workdps(60):
    s = mp.mpf(7) / 16 * (1 + mp.mpf("1e-9"))
    fit("TANH_SMALL_F64", 60, tanh_tail, [0, s**2], 9,
        [s * i / 3000 for i in range(1, 3001)], lambda s: s * s,
        lambda s, q: s + s**3 * q, mp.tanh)

with mp.workdps(50):
    a = mp.mpf(1) / 31 * (1 + mp.mpf("1e-9"))
    fit("LOG1P_TAIL_31", 50, log1p_tail, [-a, a], 8,
        [-a + 2 * a * i / 4000 for i in range(4001) if i != 2000], lambda r: r,
        lambda r, q: r + r * r * q, mp.log1p)
