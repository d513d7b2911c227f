"""`python -m seed [--reset] [--large]`: migrate the database, then seed it (once unless --reset)."""

from __future__ import annotations

import argparse
import sys
import time

from maas_ui.db import DatabaseConfigError, check_connection, ensure_sqlite_dir, migrate
from maas_ui.settings import database_url
from seed.generator import SeedConfig, seed_database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description=__doc__)
    parser.add_argument("--reset", action="store_true", help="delete all data and seed again")
    parser.add_argument("--large", action="store_true", help="500 keys with a year of hourly usage (benchmarks)")
    args = parser.parse_args(argv)
    url = database_url()
    try:
        ensure_sqlite_dir(url)
        check_connection(url)
        migrate(url)
    except DatabaseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    report = seed_database(url, reset=args.reset, config=SeedConfig.large() if args.large else SeedConfig())
    elapsed = time.perf_counter() - started
    if not report.seeded:
        print("The database already holds data: left as it is (use --reset to seed again).")
    else:
        print(
            f"Seeded {report.users} users, {report.groups} groups, {report.service_accounts} service accounts, "
            f"{report.assets} AI assets, {report.keys} API keys, {report.policies} policies and "
            f"{report.usage_rows:,} hourly usage rows in {elapsed:.1f} s."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
