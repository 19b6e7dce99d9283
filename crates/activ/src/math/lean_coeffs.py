#!/usr/bin/env python3
"""Generates the polynomials of the plain-f64 exponentials and logarithms in
crates/activ/src/math/lean.rs.

    pip install mpmath ; python3 lean_coeffs.py

Q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ½ln 2 (widened by 1e−12 for the rounding of the reduction),
the Chebyshev interpolant of degree DEG (near-minimax, `mpmath.chebyfit`) at 50 digits, its
coefficients rounded to f64. Printed with each: the relative error of 1 + r + r²·Q(r) against
e^r, measured in 50-digit arithmetic at 4001 evenly spaced points with the f64 coefficients.

T(z) ≈ (2·atanh(s) − 2s)/(s·z), z = s², on 0 ≤ z ≤ ((√2 − 1)/(√2 + 1))² (the range of the
logarithm's s = f/(2 + f), widened by 1e−9), likewise; its error is that of 2s + s·z·T(z)
against 2·atanh(s) at 3000 points.
"""
import mpmath as mp

mp.mp.dps = 50
A = mp.log(2) / 2 * (1 + mp.mpf("1e-12"))


def g(r):
    if abs(r) < mp.mpf("1e-20"):
        return mp.mpf(1) / 2
    return (mp.exp(r) - 1 - r) / r**2


def tail(deg):
    poly = mp.chebyfit(g, [-A, A], deg + 1)
    coeffs = [float(c) for c in poly[::-1]]  # ascending powers of r
    worst = mp.mpf(0)
    n = 4000
    for i in range(n + 1):
        r = -A + 2 * A * i / n
        q = mp.mpf(0)
        for c in reversed(coeffs):
            q = q * r + mp.mpf(c)
        worst = max(worst, abs((1 + r + r * r * q) / mp.exp(r) - 1))
    return coeffs, worst


for name, deg in (("TAIL_2_POW_MINUS_43", 7), ("TAIL_2_POW_MINUS_32", 5)):
    coeffs, worst = tail(deg)
    print(f"// degree {deg}: relative error 2^{float(mp.log(worst, 2)):.2f}")
    print(f"const {name}: [f64; {deg + 1}] = [")
    for c in coeffs:
        print(f"    {c!r},")
    print("];")


S_MAX = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) * (1 + mp.mpf("1e-9"))


def atanh_t(z):
    if z < mp.mpf("1e-30"):
        return mp.mpf(2) / 3
    s = mp.sqrt(z)
    return (2 * mp.atanh(s) - 2 * s) / (s * z)


def atanh_tail(deg):
    poly = mp.chebyfit(atanh_t, [0, S_MAX**2], deg + 1)
    coeffs = [float(c) for c in poly[::-1]]  # ascending powers of z
    worst = mp.mpf(0)
    n = 3000
    for i in range(1, n + 1):
        s = S_MAX * i / n
        z = s * s
        q = mp.mpf(0)
        for c in reversed(coeffs):
            q = q * z + mp.mpf(c)
        worst = max(worst, abs((2 * s + s * z * q) / (2 * mp.atanh(s)) - 1))
    return coeffs, worst


coeffs, worst = atanh_tail(4)
print(f"// degree 4: relative error 2^{float(mp.log(worst, 2)):.2f}")
print(f"const ATANH_TAIL: [f64; 5] = [")
for c in coeffs:
    print(f"    {c!r},")
print("];")
