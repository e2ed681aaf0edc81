#!/usr/bin/env python3
"""Critical values of the chi-square distribution for random/tests/statistics.rs.

Prints, for each number of degrees of freedom, the value x with P(X >= x) = p for X
chi-square distributed (p = 1e-11 unless given as the first argument): a uniformity check that
fails only when the statistic exceeds x has a false-failure probability of p. Pure Python (no SciPy): the regularized upper incomplete
gamma function Q(df/2, x/2) by its series / continued fraction (Numerical Recipes 6.2),
then bisection. Run: python3 scripts/chi2_critical.py [p]
"""
import math
import sys


def gamma_q(a, x):
    """Regularized upper incomplete gamma Q(a, x)."""
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        for _ in range(10000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return 1.0 - total * math.exp(-x + a * math.log(x) - math.lgamma(a))
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-17:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def critical(df, p):
    lo, hi = 0.0, 10.0 * df + 200
    for _ in range(200):
        mid = (lo + hi) / 2
        if gamma_q(df / 2, mid / 2) > p:
            lo = mid
        else:
            hi = mid
    return hi


if __name__ == "__main__":
    p = float(sys.argv[1]) if len(sys.argv) > 1 else 1e-11
    print(f"# upper-tail probability {p:g}")
    for df in (1, 5, 6, 9, 15, 19, 63, 99):
        print(f"df = {df:3}: {critical(df, p):.3f}")
