#!/usr/bin/env python3
"""Generates the table of the plain-f64 GELU kernel (crates/activ/src/math/gauss_tail64.rs).

    pip install mpmath ; python3 gauss_tail64.py

Q(a) = ½·erfc(a/√2) = Φ(−a), the upper Gaussian tail, is e^(−a²/2)·S(a) with S smooth and
slowly varying (S(0) = ½, S(a) ~ 1/(a√(2π))). Sixteen pieces, degree 11 each:

- pieces 0..=12: S(a) as a polynomial in z = a − c, c = i·5/16, on [c − 5/32, c + 5/32]
  (piece 0 on [0, 5/32]); z is exact in f64 (Sterbenz);
- pieces 13..=15: h(v) = a·S(a) as a polynomial in z = v − c, v = 1/a², on a in
  [3.90625, 5.1), [5.1, 7.75) and [7.75, 38.7], c the middle of the piece's v-interval.

Each piece is the Chebyshev interpolant of its degree (near-minimax, `mpmath.chebyfit`) on its
interval widened by 1e−12 relative (the piece index and v are computed with roundings); c0 and
c1 are stored as f64 pairs (c1 rounded alone would cost up to 2^−56 relative), c2..c11 as
f64. The script prints the tables and, per piece, the worst relative error of the stored
polynomial in exact arithmetic at 2001 evenly spaced points.
"""
import mpmath as mp

mp.mp.dps = 50
DEG = 11
WIDTH = mp.mpf(5) / 16
T_PIECES = 13
V_BREAKS = [3.90625, 5.1, 7.75, 38.7]
WIDEN = mp.mpf("1e-12")


def S(a):
    return mp.erfc(a / mp.sqrt(2)) / 2 * mp.exp(a * a / 2)


def h(v):
    a = 1 / mp.sqrt(v)
    return a * S(a)


def pieces():
    for i in range(T_PIECES):
        c = i * WIDTH
        lo, hi = max(mp.mpf(0), c - WIDTH / 2), c + WIDTH / 2
        yield S, c, lo * (1 - WIDEN), hi * (1 + WIDEN)
    for a0, a1 in zip(V_BREAKS, V_BREAKS[1:]):
        lo, hi = 1 / mp.mpf(a1) ** 2, 1 / mp.mpf(a0) ** 2
        yield h, float((lo + hi) / 2), lo * (1 - WIDEN), hi * (1 + WIDEN)


def split(v):
    hi = float(v)
    return hi, float(v - mp.mpf(hi))


rows = []
for f, c, lo, hi in pieces():
    c = mp.mpf(float(c))
    poly = mp.chebyfit(lambda z: f(z + c), [lo - c, hi - c], DEG + 1)[::-1]
    c0, c0_lo = split(poly[0])
    c1, c1_lo = split(poly[1])
    rest = [float(p) for p in poly[2:]]
    worst = 0
    for k in range(2001):
        z = (lo - c) + (hi - lo) * mp.mpf(k) / 2000
        q = mp.mpf(0)
        for ck in reversed(rest):
            q = q * z + mp.mpf(ck)
        p = mp.mpf(c0) + mp.mpf(c0_lo) + (mp.mpf(c1) + mp.mpf(c1_lo)) * z + q * z * z
        worst = max(worst, abs(p / f(z + c) - 1))
    rows.append((float(c), c0, c0_lo, c1, c1_lo, rest, worst))
    print(f"// piece {len(rows) - 1}: relative error 2^{float(mp.log(worst, 2)):.2f}")


def table(name, values):
    print(f"const {name}: [f64; 16] = [")
    for v in values:
        print(f"    {v!r},")
    print("];")


table("CENTRE", [r[0] for r in rows])
table("C0_HI", [r[1] for r in rows])
table("C0_LO", [r[2] for r in rows])
table("C1_HI", [r[3] for r in rows])
table("C1_LO", [r[4] for r in rows])
print(f"const C: [[f64; 16]; {DEG - 1}] = [")
for d in range(DEG - 1):
    print("    [")
    for r in rows:
        print(f"        {r[5][d]!r},")
    print("    ],")
print("];")
