"""Time of the default seed (migrate + seed) on a fresh SQLite file; the target is under 15 s."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from maas_ui.db import migrate
from seed import seed_database


def main(runs: int = 3) -> None:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as d:
            url = f"sqlite:///{Path(d) / 'bench.db'}"
            start = time.perf_counter()
            migrate(url)
            report = seed_database(url)
            times.append(time.perf_counter() - start)
    print(f"default seed ({report.usage_rows:,} usage rows): median {statistics.median(times):.2f} s over {runs} runs")


if __name__ == "__main__":
    main()
