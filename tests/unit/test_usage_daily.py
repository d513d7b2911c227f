"""usage_daily: whole days read from daily sums give exactly the hourly-only figures."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import insert, text

from maas_ui import db
from maas_ui.domain.usage import Bucket, RangeSelection, TimeWindow, custom_range, split_window
from maas_ui.models import AiAsset, ApiKey, AssetKind, OwnerKind, User
from maas_ui.services import usage as svc
from tests.databases import sql_day, sql_not_midnight

UTC = timezone.utc
HORIZON = datetime(2026, 6, 15, 14, 0, tzinfo=UTC)  # not midnight: every preset has partial-day edges
NOW = HORIZON + timedelta(minutes=25)
T0 = datetime(2024, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)


def _windows() -> list[TimeWindow]:
    presets = [RangeSelection(k).window(NOW) for k in ("1h", "24h", "7d", "30d", "1y")]
    customs = [custom_range(a, b).window(NOW) for a, b in (
        ("2026-01-01", "2026-03-31"),  # daily-bucket range ending at midnight: all days from usage_daily
        ("2025-07-01", "2026-06-20"),  # weekly buckets, clipped to the horizon (ends 14:00)
        ("2026-06-10", "2026-06-15"),
    )]
    odd = [  # edges that are not midnight, each bucket size
        TimeWindow(datetime(2026, 2, 3, 13, tzinfo=UTC), datetime(2026, 5, 9, 7, tzinfo=UTC), Bucket.WEEK),
        TimeWindow(datetime(2026, 3, 1, 23, tzinfo=UTC), datetime(2026, 4, 2, 1, tzinfo=UTC), Bucket.DAY),
        TimeWindow(datetime(2026, 3, 1, 5, tzinfo=UTC), datetime(2026, 3, 6, 19, tzinfo=UTC), Bucket.HOUR),
        TimeWindow(datetime(2025, 6, 1, 0, tzinfo=UTC), datetime(2026, 6, 1, 0, tzinfo=UTC), Bucket.WEEK),
    ]
    return presets + customs + odd


WINDOWS = _windows()


# Domain: the split ------------------------------------------------------------------------------


def _hours(spans) -> list[datetime]:
    out = []
    for a, b in spans:
        t = a
        while t < b:
            out.append(t)
            t += H
    return out


@pytest.mark.parametrize("w", WINDOWS, ids=lambda w: f"{w.start:%m%d%H}-{w.end:%m%d%H}-{w.bucket.value}")
@pytest.mark.parametrize("keep_buckets", [False, True])
def test_split_covers_the_window_once_with_whole_days(w, keep_buckets):
    split = split_window(w, keep_buckets=keep_buckets)
    hours = _hours(split.hourly) + _hours(split.daily)
    assert sorted(hours) == _hours([(w.start, w.end)])  # every hour exactly once
    for a, b in split.daily:
        assert a.hour == 0 and b.hour == 0 and b > a
    if keep_buckets:  # no daily span is cut by a bucket boundary: a whole day lands in one bucket
        for a, b in split.daily:
            day = a
            while day < b:
                assert w.bucket_index(day) == w.bucket_index(day + 23 * H)
                day += timedelta(days=1)


def test_split_reads_most_of_a_year_from_daily_sums():
    w = RangeSelection("1y").window(NOW)
    assert sum((b - a).days for a, b in split_window(w).daily) == 364  # two partial edge days
    series_days = sum((b - a).days for a, b in split_window(w, keep_buckets=True).daily)
    assert 300 <= series_days < 364  # a week boundary at 14:00 cuts one day a week
    assert split_window(RangeSelection("24h").window(NOW)).daily == []
    assert split_window(RangeSelection("7d").window(NOW), keep_buckets=True).daily == []  # hourly buckets
    custom = custom_range("2026-01-01", "2026-03-31").window(NOW)
    assert split_window(custom, keep_buckets=True).hourly == []


# Services: daily-backed figures equal the hourly ones ----------------------------------------


@pytest.fixture(scope="module")
def dense(make_session_db_url):
    """Three keys, three assets, ~2.5 years of random hourly rollups (most hours filled)."""
    url = make_session_db_url("daily")
    db.migrate(url)
    with db.session(url) as s:
        user = User(username="u", full_name="U", email="u@example.com", created_at=T0)
        assets = [AiAsset(kind=AssetKind.MODEL, name=f"m{i}", identifier=f"m/{i}", created_at=T0) for i in range(3)]
        s.add_all([user, *assets])
        s.flush()
        keys = [ApiKey(public_id=f"key-{i}", name=f"k{i}", owner_kind=OwnerKind.USER, owner_id=user.id,
                       created_at=T0, created_by="t", secret_hash=f"{i:064d}", secret_prefix="sk-abcd",
                       secret_suffix="wxyz") for i in range(3)]
        s.add_all(keys)
        s.flush()
        key_ids, asset_ids = [k.id for k in keys], [a.id for a in assets]
        s.commit()
    rng = random.Random(7)
    rows = []
    t = T0
    while t < HORIZON + 3 * H:  # a few rows past the horizon, never shown
        for k in key_ids:
            for a in asset_ids:
                if rng.random() < 0.4:
                    req = rng.randint(1, 200)
                    rows.append(dict(key_id=k, asset_id=a, hour_start=t, requests=req, errors=rng.randint(0, req // 10),
                                     input_tokens=rng.randint(0, 50_000), output_tokens=rng.randint(0, 20_000),
                                     cost_usd=round(rng.random() * 3, 6), latency_ms_sum=round(rng.random() * 1e5, 1),
                                     latency_ms_max=round(rng.random() * 5000, 1)))
        t += H
    with db.get_engine(url).begin() as conn:
        conn.execute(insert(svc.U), rows)
        written = svc.refresh_daily(conn)
    assert written > 0
    df = pd.DataFrame(rows)
    return url, df, key_ids


def _ref(df: pd.DataFrame, w: TimeWindow, key_id=None) -> pd.DataFrame:
    sel = df[(df["hour_start"] >= w.start) & (df["hour_start"] < w.end)]
    return sel if key_id is None else sel[sel["key_id"] == key_id]


def _ref_totals(sel: pd.DataFrame) -> dict:
    return {f: (sel[f].max() if f == "latency_ms_max" else sel[f].sum()) if len(sel) else 0 for f in svc.MEASURES}


def _check(got: dict, want: dict):
    for f in svc.MEASURES:
        if f in ("cost_usd", "latency_ms_sum"):  # float sums in another order: equal up to rounding
            assert got[f] == pytest.approx(float(want[f]), rel=1e-9, abs=1e-9), f
        else:
            assert got[f] == want[f], f


@pytest.mark.parametrize("w", WINDOWS, ids=lambda w: f"{w.start:%m%d%H}-{w.end:%m%d%H}-{w.bucket.value}")
def test_daily_backed_figures_equal_hourly_sums(dense, w):
    url, df, key_ids = dense
    for key_id in (None, key_ids[1]):
        with db.get_engine(url).connect() as conn:
            cur, prev = svc.totals_with_previous(conn, w, key_id)
            series = svc.series(conn, w, key_id)
            assets = svc.by_asset(conn, w, key_id)
        _check({f: getattr(cur, f) for f in svc.MEASURES}, _ref_totals(_ref(df, w, key_id)))
        _check({f: getattr(prev, f) for f in svc.MEASURES}, _ref_totals(_ref(df, w.previous(), key_id)))
        # The chart: each bucket's sums, hour by hour from the reference rows.
        sel = _ref(df, w, key_id)
        idx = [w.bucket_index(h) for h in sel["hour_start"]]
        ref = sel.assign(b=idx).groupby("b")[list(svc.SERIES_FIELDS)].sum()
        ref = ref.reindex(range(w.bucket_count), fill_value=0).sort_index(ascending=False).reset_index(drop=True)
        assert len(series) == w.bucket_count
        for f in ("requests", "errors", "input_tokens", "output_tokens"):
            assert series[f].tolist() == ref[f].tolist(), f
        assert series["cost_usd"].tolist() == pytest.approx(ref["cost_usd"].tolist(), rel=1e-9, abs=1e-9)
        # Per asset, latency maximum included.
        ref_assets = sel.groupby("asset_id")
        for _, row in assets.iterrows():
            part = ref_assets.get_group(row["asset_id"])
            _check({f: row[f] for f in svc.MEASURES}, _ref_totals(part))
        assert len(assets) == sel["asset_id"].nunique()
    # Usage page breakdowns (per key and total).
    with db.get_engine(url).connect() as conn:
        parts = svc.breakdowns(conn, w)
    sel = _ref(df, w)
    _check({f: parts["total"][f].iloc[0] for f in svc.MEASURES}, _ref_totals(sel))
    for _, row in parts["key"].iterrows():
        _check({f: row[f] for f in svc.MEASURES}, _ref_totals(sel[sel["key_id"] == row["id"]]))


def test_refresh_daily_rewrites_only_the_days_touched(dense):
    url, df, key_ids = dense
    day = datetime(2026, 3, 10, tzinfo=UTC)
    with db.get_engine(url).begin() as conn:
        before = conn.execute(text("SELECT COUNT(*), SUM(requests) FROM usage_daily")).one()
        conn.execute(text("UPDATE usage_daily SET requests = requests + 1000 WHERE day_start < :d"), {"d": day})
        conn.execute(text("UPDATE usage_rollups SET requests = requests + 1 WHERE hour_start >= :a AND hour_start < :b"),
                     {"a": day + 5 * H, "b": day + 6 * H})
        changed = conn.execute(text("SELECT COUNT(*) FROM usage_rollups WHERE hour_start >= :a AND hour_start < :b"),
                               {"a": day + 5 * H, "b": day + 6 * H}).scalar_one()
        svc.refresh_daily(conn, day + 5 * H, day + 6 * H)  # one hour: its whole day is recomputed
        bumped = conn.execute(text("SELECT COUNT(*) FROM usage_daily WHERE day_start < :d"), {"d": day}).scalar_one()
        after = conn.execute(text("SELECT COUNT(*), SUM(requests) FROM usage_daily")).one()
        conn.rollback()
    assert after[0] == before[0]
    assert after[1] == before[1] + changed + 1000 * bumped  # days outside the refresh are left alone


def test_the_seed_fills_usage_daily(seeded_db_url):
    with db.get_engine(seeded_db_url).connect() as conn:
        hourly = conn.execute(text(
            f"SELECT key_id, asset_id, COUNT(DISTINCT {sql_day('hour_start')}), SUM(requests), SUM(errors), "
            "SUM(input_tokens), SUM(output_tokens), MAX(latency_ms_max) FROM usage_rollups "
            "GROUP BY key_id, asset_id ORDER BY key_id, asset_id")).all()
        daily = conn.execute(text(
            "SELECT key_id, asset_id, COUNT(*), SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), "
            "MAX(latency_ms_max) FROM usage_daily GROUP BY key_id, asset_id ORDER BY key_id, asset_id")).all()
        odd = conn.execute(text(f"SELECT COUNT(*) FROM usage_daily WHERE {sql_not_midnight('day_start')}")).scalar()
    assert hourly and daily == hourly  # one daily row per (key, asset, day) with usage; same sums
    assert odd == 0


def test_migration_0005_fills_usage_daily_from_existing_rollups(make_db_url, seeded_template_url, seeded_db_url):
    """An existing database (schema 0004 with hourly rollups) gets its daily sums on upgrade."""
    from alembic import command
    from sqlalchemy import inspect

    url = make_db_url("old", template=seeded_template_url)
    engine = db.get_engine(url)
    with engine.begin() as conn:
        cfg = db.alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004_asset_size_bigint")
    assert not inspect(engine).has_table("usage_daily")
    db.migrate(url)
    with engine.connect() as conn:
        got = conn.execute(text("SELECT key_id, asset_id, day_start, requests, cost_usd, latency_ms_max "
                                "FROM usage_daily ORDER BY key_id, asset_id, day_start")).all()
    with db.get_engine(seeded_db_url).connect() as conn:
        want = conn.execute(text("SELECT key_id, asset_id, day_start, requests, cost_usd, latency_ms_max "
                                 "FROM usage_daily ORDER BY key_id, asset_id, day_start")).all()
    assert got and got == want  # the migration's SQL writes what the seed's refresh_daily writes


def _hourly_totals(conn) -> list:
    return conn.execute(text("SELECT hour_start, requests, errors, input_tokens, output_tokens, round(cost_usd, 6) "
                             "FROM usage_hourly_total ORDER BY hour_start")).all()


def test_refresh_daily_keeps_the_hourly_totals_of_all_keys(dense):
    url, df, key_ids = dense
    if not url.startswith("sqlite"):
        pytest.skip("compares SQLite's stored datetime text and rounding (PostgreSQL has no round(double, int))")
    day = datetime(2026, 3, 10, tzinfo=UTC)
    with db.get_engine(url).begin() as conn:
        want = conn.execute(text(
            "SELECT hour_start, SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), "
            "round(SUM(cost_usd), 6) FROM usage_rollups GROUP BY hour_start ORDER BY hour_start")).all()
        assert want and _hourly_totals(conn) == want
        changed = conn.execute(text("UPDATE usage_rollups SET requests = requests + 1 "
                                    "WHERE hour_start >= :a AND hour_start < :b"),
                               {"a": day + 5 * H, "b": day + 6 * H}).rowcount
        conn.execute(text("UPDATE usage_hourly_total SET requests = requests + 1000 WHERE hour_start < :d"), {"d": day})
        svc.refresh_daily(conn, day + 5 * H, day + 6 * H)  # one hour: its whole day is recomputed
        got = {r[0]: r[1] for r in _hourly_totals(conn)}
        conn.rollback()
    before = {r[0]: r[1] for r in want}
    hour = "2026-03-10 05:00:00.000000"
    assert changed > 0 and got[hour] == before[hour] + changed
    assert all(got[h] == before[h] + 1000 for h in before if h < "2026-03-10")  # other days are left alone
    assert all(got[h] == before[h] for h in before if h >= "2026-03-10" and h != hour)


def test_migration_0009_fills_the_hourly_totals_from_existing_rollups(tmp_path, seeded_db_url):
    import shutil

    from alembic import command

    if not seeded_db_url.startswith("sqlite"):
        pytest.skip("copies the seeded SQLite file to migrate a copy of it down and up")
    path = tmp_path / "old.db"
    shutil.copy(seeded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    engine = db.get_engine(url)
    with engine.begin() as conn:
        cfg = db.alembic_config(url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008_list_speed")
    db.migrate(url)
    with engine.connect() as conn:
        got = _hourly_totals(conn)
    with db.get_engine(seeded_db_url).connect() as conn:
        want = _hourly_totals(conn)
    assert got and got == want  # the migration's SQL writes what the seed's refresh_daily writes
