"""95 % intervals for the figures `evaluate` reports, in plain Python: Wilson's interval for a
share (sound at the small counts a test split of corrections has, and never outside 0..1) and
Student's t interval for a mean."""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054
# Student's t, two-sided 95 %, for 1..30 degrees of freedom; beyond that the Cornish-Fisher
# expansion below is within 1e-3 of it.
T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
       2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
       2.060, 2.056, 2.052, 2.048, 2.045, 2.042)  # fmt: skip


def t95(df: int) -> float:
    if df <= len(T95):
        return T95[df - 1]
    z = Z95
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def share(hits: int, n: int) -> dict[str, float | int | None]:
    """The share hits/n with Wilson's 95 % interval."""
    if n == 0:
        return {"value": None, "low": None, "high": None, "pairs": 0}
    p = hits / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return {"value": p, "low": max(0.0, centre - half), "high": min(1.0, centre + half), "pairs": n}


def mean(values: Sequence[float]) -> dict[str, float | int | None]:
    """The mean with Student's t 95 % interval (none for a single value)."""
    n = len(values)
    if n == 0:
        return {"value": None, "low": None, "high": None, "pairs": 0}
    average = math.fsum(values) / n
    if n == 1:
        return {"value": average, "low": None, "high": None, "pairs": 1}
    sd = math.sqrt(math.fsum((v - average) ** 2 for v in values) / (n - 1))
    half = t95(n - 1) * sd / math.sqrt(n)
    return {"value": average, "low": average - half, "high": average + half, "pairs": n}
