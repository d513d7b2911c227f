"""Latency histograms: one fixed set of buckets for every usage row, so hours and days add up.

A usage row (hour or day) keeps how many requests fell in each latency bucket; the median and
95th percentile of any range are read from the summed counts (linear interpolation inside the
bucket, as Prometheus' histogram_quantile does). Pure functions, no database.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

# Upper bounds in milliseconds; the last bucket is open (everything slower than 25.6 s).
BUCKET_BOUNDS_MS: tuple[float, ...] = (25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600)
BUCKET_COUNT = len(BUCKET_BOUNDS_MS) + 1
BUCKET_COLUMNS: tuple[str, ...] = tuple(f"latency_b{i:02d}" for i in range(BUCKET_COUNT))


def bucket_of(latency_ms: float) -> int:
    """The index of the bucket a latency falls in (upper bounds inclusive)."""
    return bisect_left(BUCKET_BOUNDS_MS, latency_ms)


def bucket_label(index: int) -> str:
    if index >= len(BUCKET_BOUNDS_MS):
        return f"> {BUCKET_BOUNDS_MS[-1]:,.0f} ms"
    return f"<= {BUCKET_BOUNDS_MS[index]:,.0f} ms"


def quantile(counts: Sequence[int], q: float, max_ms: float | None = None) -> float | None:
    """The q-quantile (0..1) of the latencies counted in `counts` (None when there are none).

    Interpolates linearly inside the bucket; the open last bucket ends at `max_ms` when known.
    """
    total = sum(counts)
    if total <= 0:
        return None
    rank = q * total
    seen = 0.0
    for i, n in enumerate(counts):
        if n <= 0:
            continue
        if seen + n >= rank:
            lower = BUCKET_BOUNDS_MS[i - 1] if i > 0 else 0.0
            if i < len(BUCKET_BOUNDS_MS):
                upper = BUCKET_BOUNDS_MS[i]
            else:
                upper = max(max_ms or lower * 2, lower)
            if max_ms is not None:
                upper = min(upper, max(max_ms, lower))
            return lower + (upper - lower) * ((rank - seen) / n)
        seen += n
    return float(max_ms) if max_ms is not None else float(BUCKET_BOUNDS_MS[-1])


def add(counts: list[int], latency_ms: float, n: int = 1) -> None:
    counts[bucket_of(latency_ms)] += n


def empty() -> list[int]:
    return [0] * BUCKET_COUNT
