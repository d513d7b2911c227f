"""`python -m maas_ui.manage prepare`: check dependencies, reach and migrate the database, seed it once.

Every failure is one readable line saying what to fix, and exit status 2.
"""

from __future__ import annotations

import importlib
import sys

REQUIRED_MODULES = {
    "reflex": "reflex[db]",
    "sqlmodel": "sqlmodel",
    "alembic": "alembic",
    "plotly": "plotly",
    "pandas": "pandas",
    "faker": "faker",
    "cryptography": "cryptography",
    "yaml": "pyyaml",
}


class StartupError(RuntimeError):
    pass


def check_dependencies() -> None:
    for module, package in REQUIRED_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            raise StartupError(
                f"Missing Python package '{package}': run `make run` (it installs everything into .venv) "
                f"or `.venv/bin/pip install -e .`."
            ) from None


def prepare() -> str:
    check_dependencies()
    from maas_ui.db import DatabaseConfigError, check_connection, ensure_sqlite_dir, migrate
    from maas_ui.settings import database_url
    from seed import is_demo_database, seed_database, top_up

    url = database_url()
    try:
        ensure_sqlite_dir(url)
        check_connection(url)
        migrate(url)
    except DatabaseConfigError as exc:
        raise StartupError(str(exc)) from None
    report = seed_database(url)
    if report.seeded:
        return f"Database created and seeded: {report.keys} API keys, {report.usage_rows:,} hourly usage rows."
    if is_demo_database(url):
        # Demo usage stops at the hour the seed (or the last top-up) ran: extend it to now.
        added = top_up(url)
        if added.usage_rows:
            return (f"Database is up to date; existing data kept. Demo usage topped up to now: "
                    f"{added.usage_rows:,} hourly usage rows for {added.keys} active keys.")
    return "Database is up to date; existing data kept."


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv != ["prepare"]:
        print("usage: python -m maas_ui.manage prepare", file=sys.stderr)
        return 2
    try:
        print(prepare())
    except StartupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
