"""Usage queries on the large seed (500 keys, a year of hourly rollups, ~4 million rows).

    .venv/bin/python -m benchmarks.bench_usage [--reseed] [--runs N] [--db PATH]

Seeds the benchmark database with `python -m seed --reset --large` when it is missing or not
large (and times that), then measures, as medians of N warm runs:

* Metrics tab, one key, 30 days: the SQL of services.usage.key_usage (target < 50 ms), for the
  busiest key and a median one;
* Usage page, all keys, 30 days: the SQL of services.usage.usage_overview plus the previous-period
  totals (target < 500 ms);
* range switch, per range (the presets and two custom ranges of 90 and 201 days): everything the server does for the new range before Reflex sends the
  state delta, i.e. usage_view.key_metrics_view / usage_page_view (SQL, pandas, rows, figures),
  plus JSON encoding of the result (target < 300 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path(os.environ.get("MAAS_BENCH_LARGE_DB", "/tmp/maas-bench-large.db"))
RANGES = ["1h", "24h", "7d", "30d", "1y"]


def _seed_large(db_path: Path) -> float:
    env = {**os.environ, "MAAS_DB_URL": f"sqlite:///{db_path}",
           "MAAS_SECRET_KEY_FILE": str(db_path.with_suffix(".key"))}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "seed", "--reset", "--large"], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def _median_ms(fn, runs: int) -> tuple[float, float, float]:
    """Median and p90 wall time, and median CPU time of this process (all its threads).

    On a shared machine wall time grows with other processes' load; CPU time barely moves, so it
    is the steadier figure to compare changes with.
    """
    fn()  # warm the page cache and the pool
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.9))], statistics.median(cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_usage")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--reseed", action="store_true", help="seed again (and time it) even if the data is there")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv if argv is not None else [])

    url = f"sqlite:///{args.db}"
    os.environ["MAAS_DB_URL"] = url  # before anything reads the configuration
    from maas_ui import db, routes, usage_view
    from maas_ui.domain.usage import RangeSelection, custom_range
    from maas_ui.services import usage as svc

    seeded_in = None
    keys = 0
    if args.db.exists():
        with db.get_engine(url).connect() as conn:
            try:
                keys = conn.execute(text("SELECT COUNT(*) FROM api_keys")).scalar_one()
            except Exception:
                keys = 0
    if args.reseed or keys < 500:
        db.get_engine.cache_clear()
        seeded_in = _seed_large(args.db)
    engine = db.get_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT COUNT(*) FROM usage_rollups")).scalar_one()
        last = conn.execute(text("SELECT MAX(hour_start) FROM usage_rollups")).scalar_one()
    # The data ends where the seed ran: measure "now" as the hour after its last rollup.
    now = datetime.fromisoformat(str(last)).replace(tzinfo=timezone.utc) + timedelta(hours=1)
    sel30 = RangeSelection("30d")
    w30 = sel30.window(now)
    by_key = svc.usage_overview(w30, url).by_key
    busiest = int(by_key.iloc[0]["key_id"])
    median_key = int(by_key.iloc[len(by_key) // 2]["key_id"])

    print(f"database: {args.db} ({rows:,} usage rows; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}); "
          f"{args.runs} runs each")
    if seeded_in is not None:
        print(f"large seed (python -m seed --reset --large): {seeded_in:.1f} s (target < 120 s)")

    def measure(label: str, fn, target: str):
        med, p90, cpu = _median_ms(fn, args.runs)
        goal = f"   target {target}" if target else ""
        print(f"{label:<58} median {med:7.1f} ms   p90 {p90:7.1f} ms   cpu {cpu:7.1f} ms{goal}")

    measure("Metrics tab SQL, busiest key, 30 days", lambda: svc.key_usage(busiest, w30, url), "< 50 ms")
    measure("Metrics tab SQL, median key, 30 days", lambda: svc.key_usage(median_key, w30, url), "< 50 ms")
    measure("Usage page SQL, all keys, 30 days (main)", lambda: svc.usage_overview(w30, url), "< 500 ms")
    measure("Usage page SQL, previous 30 days (change badges)", lambda: svc.previous_totals(w30, url), "")
    measure("Usage page SQL, all keys, 30 days (main + previous)",
            lambda: (svc.usage_overview(w30, url), svc.previous_totals(w30, url)), "< 500 ms")

    def href(public_id: str, sel: RangeSelection) -> str:
        return routes.api_key_url(public_id, "metrics", **sel.to_query())

    def key_switch(sel):
        view = usage_view.key_metrics_view(busiest, sel, now, url)
        json.dumps(asdict(view), default=str)

    def page_switch(sel):
        view = usage_view.usage_page_view(sel, now, href, url)
        json.dumps({"cards": [asdict(c) for c in view.cards], "rows": [asdict(r) for r in view.consumers[:10]],
                    "models": [asdict(m) for m in view.models],
                    "figures": [view.requests_figure, view.users_figure, view.groups_figure, view.keys_figure,
                                view.latency_figure]}, default=str)

    for key in RANGES:
        sel = RangeSelection(key)
        measure(f"Range switch, Metrics tab (busiest key), {sel.label}", lambda s=sel: key_switch(s), "< 300 ms")
    # Custom ranges of many days (whole UTC days; the last one is clipped to the horizon).
    today = (now - timedelta(hours=1)).date()
    customs = [custom_range(today - timedelta(days=90), today - timedelta(days=1)),
               custom_range(today - timedelta(days=200), today)]
    for sel in [RangeSelection(key) for key in RANGES] + customs:
        measure(f"Range switch, Usage page, {sel.label}", lambda s=sel: page_switch(s), "< 300 ms")
        measure(f"  then change badges, Usage page, {sel.label}",
                lambda s=sel: svc.previous_totals(s.window(now), url), "")
    for sel in customs:
        measure(f"Range switch, Metrics tab (busiest key), {sel.label}", lambda s=sel: key_switch(s), "< 300 ms")


if __name__ == "__main__":
    main(sys.argv[1:])
