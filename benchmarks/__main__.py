"""Run every benchmark module (bench_*.py) in this folder, in name order."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    for name in names:
        print(f"== {name}")
        module = importlib.import_module(f"benchmarks.{name}")
        module.main([]) if name == "bench_gateway" else module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
