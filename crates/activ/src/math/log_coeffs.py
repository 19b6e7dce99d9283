#!/usr/bin/env python3
"""Generates R, the polynomial of the double-double logarithm in crates/activ/src/math/log.rs.

    pip install mpmath ; python3 log_coeffs.py

ln m = 2·atanh(s) = 2s + s³·(2/3 + z·R(z)), z = s², |s| ≤ (√2 − 1)/(√2 + 1) (widened by 1e−6).
R(z) ≈ (2·atanh(s) − 2s − 2s³/3)/s⁵ is the Chebyshev interpolant of degree DEG in z (near-
minimax, `mpmath.chebyfit`) at 60 digits, coefficients rounded to f64. Printed with it: the
relative error of 2s + s³·(2/3 + z·R(z)) against 2·atanh(s), in 60-digit arithmetic at 2000
points with the f64 coefficients (the Taylor series 2/5, 2/7, …, 2/23 of degree 9 leaves
2^−65.6).
"""
import mpmath as mp

mp.mp.dps = 60
DEG = 7
S_MAX = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) * (1 + mp.mpf("1e-6"))


def r_of_z(z):
    if z < mp.mpf("1e-40"):
        return mp.mpf(2) / 5
    s = mp.sqrt(z)
    return (2 * mp.atanh(s) - 2 * s - 2 * s**3 / 3) / s**5


poly = mp.chebyfit(r_of_z, [0, S_MAX**2], DEG + 1)
coeffs = [float(c) for c in poly[::-1]]  # ascending powers of z
worst = mp.mpf(0)
n = 2000
for i in range(1, n + 1):
    s = S_MAX * i / n
    z = s * s
    q = mp.mpf(0)
    for c in reversed(coeffs):
        q = q * z + mp.mpf(c)
    worst = max(worst, abs((2 * s + s**3 * (mp.mpf(2) / 3 + z * q)) / (2 * mp.atanh(s)) - 1))
print(f"// degree {DEG}: relative error 2^{float(mp.log(worst, 2)):.2f}")
print(f"const R: [f64; {DEG + 1}] = [")
for c in coeffs:
    print(f"    {c!r},")
print("];")
