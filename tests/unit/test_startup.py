"""Bad configuration stops start-up with one readable line."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from maas_ui import manage


def _prepare(env_url: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "maas_ui.manage", "prepare"],
        env={"MAAS_DB_URL": env_url, "MAAS_SECRET_KEY_FILE": str(tmp_path / "k"), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////proc/no-such-place/maas.db", "Cannot reach the database at sqlite:////proc/no-such-place/maas.db"),
        ("not a url", "MAAS_DB_URL is not a usable database URL"),
        pytest.param(
            "postgresql+psycopg://maas:hunter2@127.0.0.1:1/maas", "Cannot reach the database at postgresql+psycopg://***@",
            marks=pytest.mark.skipif(not importlib.util.find_spec("psycopg"), reason="the postgres extra is not installed"),
        ),
    ],
)
def test_bad_database_url_gives_one_readable_line(url, expected, tmp_path):
    result = _prepare(url, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_a_database_url_whose_driver_is_missing_names_the_package(monkeypatch):
    """Whatever drivers are installed: the driver modules are made unimportable here."""
    from maas_ui import db

    for name in ("psycopg2", "psycopg", "pg8000", "asyncpg"):
        monkeypatch.setitem(sys.modules, name, None)  # `import name` now raises ModuleNotFoundError
    db.get_engine.cache_clear()
    try:
        with pytest.raises(db.DatabaseConfigError) as caught:
            db.get_engine("postgresql://maas:hunter2@127.0.0.1:1/maas")
    finally:
        db.get_engine.cache_clear()
    message = str(caught.value)
    assert "needs the Python package 'psycopg" in message and "hunter2" not in message
    assert message.startswith("The database URL postgresql://***@127.0.0.1:1/maas ")


def test_missing_dependency_is_named(monkeypatch):
    monkeypatch.setitem(manage.REQUIRED_MODULES, "no_such_module_xyz", "no-such-package")
    with pytest.raises(manage.StartupError, match="Missing Python package 'no-such-package'"):
        manage.check_dependencies()


def test_prepare_creates_seeds_then_keeps_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh' / 'maas.db'}"
    first = _prepare(url, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "seeded" in first.stdout
    second = _prepare(url, tmp_path)
    assert second.returncode == 0 and "existing data kept" in second.stdout
