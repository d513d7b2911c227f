"""Reflex configuration. Every field can be overridden by REFLEX_<FIELD>; the database URL by MAAS_DB_URL."""

import os
from pathlib import Path

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from maas_ui.settings import database_url

_bun = Path(__file__).resolve().parent / ".tools" / "node_modules" / ".bin" / "bun"

config = rx.Config(
    app_name="maas_ui",
    db_url=database_url(),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # bun comes from the npm registry into .tools/ (see Makefile); Reflex would otherwise download it.
    **({"bun_path": _bun} if _bun.exists() and not os.environ.get("REFLEX_USE_SYSTEM_BUN") else {}),
    disable_plugins=[SitemapPlugin],
)
