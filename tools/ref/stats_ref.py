#!/usr/bin/env python3
"""Reference values for src/eval/stats.c, computed without SciPy: Fisher's exact test with exact
integer arithmetic (math.comb and Fractions), Wilson and Newcombe intervals in 60-digit decimal
arithmetic, mean and sd with the statistics module (exact internally).
Writes tests/eval/stats_golden.txt (or checks it: --check all, --quick without the Fisher tables
of n > 20000, which take minutes in exact arithmetic). One case per line:
  wilson X N LO HI | newcombe X1 N1 X2 N2 LO HI | fisher A B C D P LOGP | meansd V,V,... MEAN SD
"""
import math
import statistics
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60
Z = Decimal("1.959963984540054")   # the double the C code uses (DP_STATS_Z95)


def wilson(x, n):
    if n == 0:
        return Decimal(0), Decimal(1)
    p, nn = Decimal(x) / n, Decimal(n)
    z2 = Z * Z
    den = 1 + z2 / nn
    center = (p + z2 / (2 * nn)) / den
    half = Z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).sqrt() / den
    lo = Decimal(0) if x == 0 else max(Decimal(0), center - half)
    hi = Decimal(1) if x == n else min(Decimal(1), center + half)
    return lo, hi


def newcombe(x1, n1, x2, n2):
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    p1, p2 = Decimal(x1) / n1, Decimal(x2) / n2
    d = p1 - p2
    return (d - ((p1 - l1) ** 2 + (u2 - p2) ** 2).sqrt(),
            d + ((u1 - p1) ** 2 + (p2 - l2) ** 2).sqrt())


def fisher(a, b, c, d):
    """Two-sided p as SciPy/R: sum of P(table) <= P(observed) * (1 + 1e-7), exactly."""
    n, r1, c1 = a + b + c + d, a + b, a + c
    lo, hi = max(0, r1 + c1 - n), min(r1, c1)
    # weights w(x) = C(c1, x) * C(n - c1, r1 - x), by exact integer recurrence
    w = {}
    cx, cy = math.comb(c1, lo), math.comb(n - c1, r1 - lo)
    for x in range(lo, hi + 1):
        w[x] = cx * cy
        if x < hi:
            cx = cx * (c1 - x) // (x + 1)
            k = r1 - x            # C(m, k) -> C(m, k - 1) = C(m, k) * k / (m - k + 1)
            cy = cy * k // (n - c1 - k + 1)
    total = math.comb(n, r1)
    assert sum(w.values()) == total
    thr = w[a] * (10**7 + 1)        # v <= w[a] * (1 + 1e-7), in integers
    sel = sum(v for v in w.values() if v * 10**7 <= thr)
    p = Fraction(sel, total)
    logp = math.log(sel) - math.log(total)
    return float(p), logp


WILSON = [(0, 10), (10, 10), (1, 10), (3, 100), (69, 100), (50, 100), (81, 263), (0, 1),
          (1, 1), (5, 7), (1, 100000), (99999, 100000), (500, 1000), (0, 100000), (17, 29)]
NEWCOMBE = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (0, 10, 0, 20),
            (10, 10, 0, 20), (10, 10, 0, 10), (69, 100, 3, 100), (3, 100, 69, 100),
            (50, 100, 50, 100), (1, 2, 1, 2), (4567, 10000, 4321, 10000), (0, 1, 1, 1)]
FISHER = [(3, 1, 1, 3), (1, 9, 11, 3), (0, 0, 0, 0), (0, 5, 0, 5), (5, 0, 0, 5), (10, 0, 0, 10),
          (69, 31, 3, 97), (3, 97, 69, 31), (2, 98, 3, 97), (50, 50, 50, 50), (1, 0, 0, 0),
          (0, 10, 10, 0), (7, 12, 0, 5), (12, 5, 3, 20), (100, 0, 0, 100), (500, 500, 0, 1000),
          (250, 9750, 200, 9800), (30000, 20000, 20000, 30000), (25000, 25000, 25000, 25000),
          (49000, 1000, 1000, 49000), (3, 49997, 9, 49991), (100000, 0, 0, 100000),
          (1, 99999, 0, 100000)]
MEANSD = [[1.0], [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0], [0.1, 0.2, 0.3],
          [1e9 + 1, 1e9 + 2, 1e9 + 3], [512.0, 1024.0, 300.0, 17.0, 900.5]]


def fmt(v):
    return repr(float(v))


def small(case):
    return "--quick" not in sys.argv or sum(case) <= 20000


def lines():
    for x, n in WILSON:
        lo, hi = wilson(x, n)
        yield f"wilson {x} {n} {fmt(lo)} {fmt(hi)}"
    for x1, n1, x2, n2 in NEWCOMBE:
        lo, hi = newcombe(x1, n1, x2, n2)
        yield f"newcombe {x1} {n1} {x2} {n2} {fmt(lo)} {fmt(hi)}"
    for a, b, c, d in FISHER:
        if not small((a, b, c, d)):   # --quick: the n > 20000 tables take minutes exactly
            continue
        p, logp = fisher(a, b, c, d)
        yield f"fisher {a} {b} {c} {d} {fmt(p)} {fmt(logp)}"
    for xs in MEANSD:
        m = statistics.fmean(xs)
        sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
        yield f"meansd {','.join(repr(x) for x in xs)} {fmt(m)} {fmt(sd)}"


def main():
    out = "tests/eval/stats_golden.txt"
    text = "\n".join(lines()) + "\n"
    if "--check" in sys.argv or "--quick" in sys.argv:
        with open(out) as f:
            old = f.read().splitlines()
        new = text.splitlines()
        if "--quick" in sys.argv:
            old = [x for x in old if not x.startswith("fisher ") or
                   small(tuple(int(v) for v in x.split()[1:5]))]
        bad = [(o, n) for o, n in zip(old, new) if o != n]
        if len(old) != len(new) or bad:
            print("stats golden file differs from the reference:", bad[:3], file=sys.stderr)
            sys.exit(1)
        return
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
