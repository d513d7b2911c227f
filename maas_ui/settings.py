"""Runtime configuration read from the environment (no Reflex import: rxconfig and the domain share it)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = f"sqlite:///{PROJECT_ROOT / 'maas.db'}"


def database_url() -> str:
    """The SQLAlchemy URL of the console's database (MAAS_DB_URL, SQLite file by default)."""
    return os.environ.get("MAAS_DB_URL") or DEFAULT_DB_URL


def redis_url() -> str | None:
    """Redis shared by the console's workers (MAAS_REDIS_URL, else REFLEX_REDIS_URL); None: in-memory, one worker."""
    return os.environ.get("MAAS_REDIS_URL") or os.environ.get("REFLEX_REDIS_URL") or None


def gateway_counters_url() -> str:
    """Where the gateway keeps what its workers share (rate/token counters, budgets, the change
    counter): MAAS_RATE_LIMIT_STORAGE, else the console's Redis when there is one, else memory."""
    return os.environ.get("MAAS_RATE_LIMIT_STORAGE", "").strip() or redis_url() or "memory://"


def gateway_shared_redis_url() -> str | None:
    """The Redis URL of gateway_counters_url(), or None when the gateway counts in memory."""
    url = gateway_counters_url()
    return url if url.startswith(("redis://", "rediss://", "redis+unix://")) else None


def backend_workers() -> int | None:
    """Backend worker processes (MAAS_WORKERS); None lets Reflex decide. Several need Redis."""
    value = os.environ.get("MAAS_WORKERS", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"MAAS_WORKERS must be a whole number of at least 1, not {value!r}")
    return int(value)


def secret_key() -> bytes:
    """Key material for encrypting API key secrets at rest.

    MAAS_SECRET_KEY wins; otherwise a key file beside the database is created once, so a
    restart can still decrypt what was stored before it.
    """
    env = os.environ.get("MAAS_SECRET_KEY")
    if env:
        return env.encode()
    key_file = Path(os.environ.get("MAAS_SECRET_KEY_FILE") or PROJECT_ROOT / ".maas-secret.key")
    if not key_file.exists():
        from cryptography.fernet import Fernet

        key_file.write_bytes(Fernet.generate_key())
        key_file.chmod(0o600)
    return key_file.read_bytes().strip()


def perses_dashboard_url_template() -> str:
    """URL of the Perses dashboard for a key; '{key_id}' is replaced by the key's public id."""
    return os.environ.get(
        "MAAS_PERSES_URL",
        "https://perses.example.com/projects/maas/dashboards/api-key-usage?var-key={key_id}",
    )


def gateway_public_url() -> str:
    """The base URL clients use to reach the gateway (MAAS_GATEWAY_PUBLIC_URL); "" = the console's own address."""
    return os.environ.get("MAAS_GATEWAY_PUBLIC_URL", "").strip().rstrip("/")


def demo_user() -> str:
    """Demo mode's first user (a username of the directory); empty: the first admin by name."""
    return os.environ.get("MAAS_DEMO_USER", "").strip()


def admin_group() -> str:
    """Members of this group are platform admins; everyone else is an AI engineer."""
    return os.environ.get("MAAS_ADMIN_GROUP", "").strip() or "platform-admins"


AUTH_MODES = ("demo", "proxy")


def auth_mode() -> str:
    """`demo` (default): a Switch user menu. `proxy`: trust X-Forwarded-User/-Email/-Groups from an
    authenticating proxy (oauth-proxy style); only then are those headers read."""
    mode = os.environ.get("MAAS_AUTH_MODE", "demo").strip().lower() or "demo"
    return mode if mode in AUTH_MODES else "proxy"  # a typo fails closed: no Switch user
