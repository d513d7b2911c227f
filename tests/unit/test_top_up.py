"""Top-up: a demo database seeded days ago gets usage up to the last complete hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import select

from maas_ui import db, manage
from maas_ui.models import ApiKey, KeyStatus
from seed import is_demo_database, seed_database, top_up
from tests.conftest import SEED_NOW
from tests.databases import as_utc, db_time, sql_day

H = timedelta(hours=1)
LATER = SEED_NOW + timedelta(days=3, hours=5, minutes=20)  # three days after the seed ran
HORIZON = SEED_NOW + timedelta(days=3, hours=5)


def _new_rows(url: str, since: datetime = SEED_NOW) -> list:
    with db.get_engine(url).connect() as conn:
        return conn.execute(text(
            "SELECT key_id, asset_id, hour_start, requests, errors, input_tokens, output_tokens, cost_usd, "
            "latency_ms_sum, latency_ms_max FROM usage_rollups WHERE hour_start >= :s ORDER BY hour_start, key_id, "
            "asset_id"), {"s": db_time(since)}).all()


def _daily_matches_hourly(url: str) -> bool:
    with db.get_engine(url).connect() as conn:
        hourly = conn.execute(text(
            f"SELECT key_id, asset_id, {sql_day('hour_start')} AS d, SUM(requests), SUM(input_tokens), "
            "MAX(latency_ms_max) FROM usage_rollups GROUP BY key_id, asset_id, d ORDER BY key_id, asset_id, d")).all()
        daily = conn.execute(text(
            f"SELECT key_id, asset_id, {sql_day('day_start')}, requests, input_tokens, latency_ms_max "
            "FROM usage_daily ORDER BY key_id, asset_id, day_start")).all()
    return hourly == daily


def test_top_up_fills_the_hours_since_the_seed_for_usable_keys(fresh_seeded_db_url, make_db_url):
    url = fresh_seeded_db_url
    assert is_demo_database(url) and _new_rows(url) == []
    with db.session(url) as s:
        keys = {k.id: k for k in s.exec(select(ApiKey)).all()}
        before = {k.id: k.last_used_at for k in keys.values()}
    report = top_up(url, now=LATER)
    rows = _new_rows(url)
    assert report.usage_rows == len(rows) > 0 and report.start == SEED_NOW and report.end == HORIZON
    hours = {as_utc(r.hour_start) for r in rows}
    assert min(hours) >= SEED_NOW and max(hours) == HORIZON - H  # up to the last complete hour
    for r in rows:  # only keys a gateway would still serve
        key = keys[r.key_id]
        assert key.status == KeyStatus.ACTIVE and key.deleted_at is None
        assert key.expires_at is None or as_utc(r.hour_start) < key.expires_at
        assert 0 <= r.errors <= r.requests
    assert len({r.key_id for r in rows}) == report.keys >= 5
    # The same model as the seed: the new hours' traffic is in line with the weeks before.
    with db.get_engine(url).connect() as conn:
        per_hour_before = conn.execute(text(
            "SELECT SUM(requests) FROM usage_rollups WHERE hour_start >= :a AND hour_start < :b"),
            {"a": db_time(SEED_NOW - timedelta(days=28)), "b": db_time(SEED_NOW)}).scalar_one() / (28 * 24)
    per_hour_after = sum(r.requests for r in rows) / len(hours)
    assert 0.4 < per_hour_after / per_hour_before < 2.5
    # last_used_at moves forward for the keys that got traffic, and the daily sums follow.
    with db.session(url) as s:
        after = {k.id: k.last_used_at for k in s.exec(select(ApiKey)).all()}
    for key_id in {r.key_id for r in rows}:
        assert after[key_id] >= SEED_NOW and (before[key_id] is None or after[key_id] > before[key_id])
    assert all(after[k] == before[k] for k in after if k not in {r.key_id for r in rows})
    assert _daily_matches_hourly(url)
    # Idempotent: nothing new within the same hour.
    assert top_up(url, now=LATER).usage_rows == 0 and len(_new_rows(url)) == len(rows)
    # Deterministic: another database seeded the same way gets the same rows.
    other = make_db_url("other")
    db.migrate(other)
    seed_database(other, now=SEED_NOW)
    top_up(other, now=LATER)
    assert _new_rows(other) == rows


def test_top_up_caps_a_long_gap(fresh_seeded_db_url):
    now = SEED_NOW + timedelta(days=200)
    report = top_up(fresh_seeded_db_url, now=now)
    assert report.start == now - timedelta(days=90) and report.end == now
    rows = _new_rows(fresh_seeded_db_url)
    assert rows and min(as_utc(r.hour_start) for r in rows) >= now - timedelta(days=90)
    assert _daily_matches_hourly(fresh_seeded_db_url)


def test_prepare_tops_up_an_old_demo_database(fresh_seeded_db_url, monkeypatch):
    monkeypatch.setenv("MAAS_DB_URL", fresh_seeded_db_url)
    message = manage.prepare()  # the seed ran at SEED_NOW, in the past
    assert "existing data kept" in message and "topped up" in message
    assert len(_new_rows(fresh_seeded_db_url)) > 0


def test_no_top_up_without_demo_data(empty_db_url):
    assert not is_demo_database(empty_db_url)
    assert top_up(empty_db_url, now=LATER).usage_rows == 0
