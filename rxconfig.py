"""Reflex configuration. Every field can be overridden by REFLEX_<FIELD>; the database URL by MAAS_DB_URL,
Redis (shared state, several workers) by MAAS_REDIS_URL, the worker count by MAAS_WORKERS."""

import os
from pathlib import Path

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from maas_ui.settings import backend_workers, database_url, redis_url

if (_workers := backend_workers()) is not None:
    # Reflex's Granian backend reads its worker count from here (one worker whatever it says without Redis).
    os.environ.setdefault("GRANIAN_WORKERS", str(_workers if redis_url() else 1))

_bun = Path(__file__).resolve().parent / ".tools" / "node_modules" / ".bin" / "bun"

config = rx.Config(
    app_name="maas_ui",
    db_url=database_url(),
    **({"redis_url": redis_url()} if redis_url() else {}),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # bun comes from the npm registry into .tools/ (see Makefile); Reflex would otherwise download it.
    **({"bun_path": _bun} if _bun.exists() and not os.environ.get("REFLEX_USE_SYSTEM_BUN") else {}),
    disable_plugins=[SitemapPlugin],
)
