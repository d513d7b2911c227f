"""Migration 0007_gateway: down to 0006 and up again on a seeded SQLite database."""

from __future__ import annotations


from sqlalchemy import inspect, text

from maas_ui import db


def test_gateway_migration_round_trip_fills_histograms(make_db_url, seeded_template_url):
    from alembic import command

    url = make_db_url("old", template=seeded_template_url)
    engine = db.get_engine(url)
    with engine.begin() as conn:
        cfg = db.alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_folded_names")
    cols = {c["name"] for c in inspect(engine).get_columns("usage_rollups")}
    assert "throttled" not in cols and "latency_b00" not in cols
    assert not inspect(engine).has_table("gateway_requests")
    db.migrate(url)
    buckets = " + ".join(f"latency_b{i:02d}" for i in range(12))
    with engine.connect() as conn:
        for table in ("usage_rollups", "usage_daily"):
            requests, timed = conn.execute(text(f"SELECT SUM(requests), SUM({buckets}) FROM {table}")).one()
            assert requests and requests == timed  # every request lands in one bucket (of its row's mean)
        assert conn.execute(text("SELECT COUNT(*) FROM ai_assets WHERE upstream_url = ''")).scalar_one() > 0
    assert inspect(engine).has_table("gateway_requests")
