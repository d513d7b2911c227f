"""Usage aggregation against a small hand-made dataset whose sums are known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from maas_ui import db
from maas_ui.domain.usage import RangeSelection, TimeWindow, custom_range
from maas_ui.models import (
    AiAsset, ApiKey, AssetKind, Group, GroupMembership, OwnerKind, ServiceAccount, UsageRollup, User,
)
from maas_ui.services import usage as svc

UTC = timezone.utc
NOW = datetime(2026, 6, 15, 12, 20, tzinfo=UTC)
HORIZON = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
T0 = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    key: str
    asset: str
    hours_ago: int  # the rollup's hour starts this many hours before the horizon
    requests: int
    errors: int
    tin: int
    tout: int
    cost: float
    lat_sum: float
    lat_max: float

    @property
    def hour(self) -> datetime:
        return HORIZON - timedelta(hours=self.hours_ago)


# u1 owns k1; u2 owns k2 (deleted); group g1 owns k3; sa1 owns k4; u3 owns k5 (never used).
# g1 = {u1, u2}, g2 = {u2}.
ROWS = [
    Row("k1", "m1", 1, 100, 2, 1000, 500, 0.10, 30_000, 900),  # the last complete hour
    Row("k1", "m2", 1, 50, 0, 400, 100, 0.02, 10_000, 400),
    Row("k1", "m1", 5, 10, 1, 100, 50, 0.01, 3_000, 500),
    Row("k1", "m1", 30, 20, 0, 200, 100, 0.02, 6_000, 700),  # 7 days, not 24 hours
    Row("k1", "m1", 24 * 20, 40, 4, 400, 200, 0.04, 12_000, 1500),  # 30 days, not 7
    Row("k1", "m1", 24 * 45, 7, 0, 70, 30, 0.007, 2_100, 400),  # previous 30 days
    Row("k1", "m1", 24 * 200, 9, 0, 90, 45, 0.009, 2_700, 800),  # last year only
    Row("k2", "m1", 2, 30, 3, 300, 150, 0.03, 9_000, 650),  # deleted key
    Row("k2", "m2", 24 * 3, 5, 5, 0, 0, 0.0, 1_000, 300),
    Row("k3", "m2", 3, 60, 0, 600, 300, 0.06, 12_000, 350),
    Row("k3", "mcp", 3, 25, 1, 0, 0, 0.0, 2_500, 200),
    Row("k4", "m1", 4, 80, 8, 800, 400, 0.08, 24_000, 2500),
    Row("k4", "m1", 0, 999, 0, 9990, 9990, 9.99, 9_990, 999),  # the current, incomplete hour: never shown
    Row("k4", "m1", 24 * 400, 999, 0, 9990, 9990, 9.99, 9_990, 999),  # older than a year
]


@pytest.fixture(scope="module")
def ds(make_session_db_url):
    url = make_session_db_url("usage")
    db.migrate(url)
    with db.session(url) as s:
        users = {n: User(username=n, full_name=n.upper(), email=f"{n}@example.com", created_at=T0)
                 for n in ("u1", "u2", "u3")}
        groups = {n: Group(name=n, created_at=T0) for n in ("g1", "g2")}
        sa = ServiceAccount(name="sa1", namespace="ns", created_at=T0)
        assets = {
            "m1": AiAsset(kind=AssetKind.MODEL, name="model-one", identifier="m/one", created_at=T0,
                          price_input_per_1m=1.0, price_output_per_1m=2.0),
            "m2": AiAsset(kind=AssetKind.MODEL, name="model-two", identifier="m/two", created_at=T0),
            "mcp": AiAsset(kind=AssetKind.MCP_SERVER, name="OpenShift", identifier="mcp-os", created_at=T0),
        }
        s.add_all([*users.values(), *groups.values(), sa, *assets.values()])
        s.flush()
        s.add_all([GroupMembership(group_id=groups["g1"].id, user_id=users["u1"].id),
                   GroupMembership(group_id=groups["g1"].id, user_id=users["u2"].id),
                   GroupMembership(group_id=groups["g2"].id, user_id=users["u2"].id)])
        owners = {"k1": (OwnerKind.USER, users["u1"].id), "k2": (OwnerKind.USER, users["u2"].id),
                  "k3": (OwnerKind.GROUP, groups["g1"].id), "k4": (OwnerKind.SERVICE_ACCOUNT, sa.id),
                  "k5": (OwnerKind.USER, users["u3"].id)}
        keys = {}
        for i, (name, (kind, owner_id)) in enumerate(owners.items()):
            keys[name] = ApiKey(
                public_id=f"key-{name}", name=f"{name}-name", owner_kind=kind, owner_id=owner_id, created_at=T0,
                created_by="t", secret_hash=f"{i:064d}", secret_prefix="sk-abcd", secret_suffix="wxyz",
                deleted_at=HORIZON - timedelta(days=1) if name == "k2" else None,
            )
        s.add_all(keys.values())
        s.flush()
        for r in ROWS:
            s.add(UsageRollup(key_id=keys[r.key].id, asset_id=assets[r.asset].id, hour_start=r.hour,
                              requests=r.requests, errors=r.errors, input_tokens=r.tin, output_tokens=r.tout,
                              cost_usd=r.cost, latency_ms_sum=r.lat_sum, latency_ms_max=r.lat_max))
        ids = {
            "keys": {n: k.id for n, k in keys.items()}, "users": {n: x.id for n, x in users.items()},
            "groups": {n: g.id for n, g in groups.items()}, "assets": {n: a.id for n, a in assets.items()},
        }
        s.commit()
    with db.get_engine(url).begin() as conn:  # whoever writes hourly rollups refreshes the daily sums
        svc.refresh_daily(conn)
    return url, ids


def window(key: str) -> TimeWindow:
    return RangeSelection(key).window(NOW)


def expected(w: TimeWindow, keys=None, assets=None) -> dict:
    rows = [r for r in ROWS if w.start <= r.hour < w.end
            and (keys is None or r.key in keys) and (assets is None or r.asset in assets)]
    return {
        "requests": sum(r.requests for r in rows), "errors": sum(r.errors for r in rows),
        "input_tokens": sum(r.tin for r in rows), "output_tokens": sum(r.tout for r in rows),
        "cost_usd": pytest.approx(sum(r.cost for r in rows)), "latency_ms_sum": pytest.approx(sum(r.lat_sum for r in rows)),
        "latency_ms_max": max((r.lat_max for r in rows), default=0),
    }


def as_dict(t) -> dict:
    return {f: getattr(t, f) for f in svc.MEASURES}


@pytest.mark.parametrize("key", ["1h", "24h", "7d", "30d", "1y"])
def test_overview_totals_equal_the_sums_of_the_window(ds, key):
    url, _ = ds
    w = window(key)
    ov = svc.usage_overview(w, url)
    assert as_dict(ov.totals) == expected(w)
    # The chart's buckets add up to the same totals, and there is one row per bucket.
    assert len(ov.series) == w.bucket_count
    assert ov.series["requests"].sum() == ov.totals.requests
    assert (ov.series["successes"] + ov.series["errors"] == ov.series["requests"]).all()
    with db.get_engine(url).connect() as conn:
        full = svc.series(conn, w)
    assert full["tokens"].sum() == ov.totals.tokens
    assert full["cost_usd"].sum() == pytest.approx(ov.totals.cost_usd)
    assert (full["requests"] == ov.series["requests"]).all()
    # Per key and per asset rows also add up to the totals.
    assert ov.by_key["requests"].sum() == ov.totals.requests
    assert ov.by_asset["tokens"].sum() == ov.totals.tokens


def test_longer_ranges_contain_shorter_ones(ds):
    url, _ = ds
    totals = [svc.usage_overview(window(k), url).totals for k in ("1h", "24h", "7d", "30d", "1y")]
    for shorter, longer in zip(totals, totals[1:]):
        assert longer.requests >= shorter.requests and longer.tokens >= shorter.tokens
        assert longer.cost_usd >= shorter.cost_usd
    assert totals[0].requests == 150  # only the last complete hour; the current hour is not shown


def test_series_puts_each_hour_in_its_bucket(ds):
    url, ids = ds
    w = window("30d")
    s = svc.usage_overview(w, url).series
    for r in ROWS:
        if not w.start <= r.hour < w.end:
            continue
        span = w.bucket_span(w.bucket_index(r.hour))
        row = s[s["bucket_start"] == span.start]
        assert len(row) == 1 and row["bucket_end"].iloc[0] == span.end
    newest = s.iloc[-1]
    assert newest["bucket_end"] == HORIZON
    assert newest["requests"] == sum(r.requests for r in ROWS if HORIZON - timedelta(days=1) <= r.hour < HORIZON)
    assert s["bucket_start"].is_monotonic_increasing


def test_sql_bucket_index_matches_the_python_rule(ds):
    from sqlalchemy import select

    url, _ = ds
    for key in ("24h", "7d", "30d", "1y"):
        w = window(key)
        with db.get_engine(url).connect() as conn:
            got = conn.execute(
                select(svc.U.c.hour_start, svc.bucket_index(svc.U.c.hour_start, w, conn.dialect.name))
                .where(svc._in_spans(svc.U.c.hour_start, [(w.start, w.end)]))
            ).all()
        assert got and all(idx == w.bucket_index(hour) for hour, idx in got)


def test_deleted_key_still_counts_and_is_marked(ds):
    url, ids = ds
    w = window("7d")
    ov = svc.usage_overview(w, url)
    k2 = ov.by_key[ov.by_key["key_id"] == ids["keys"]["k2"]].iloc[0]
    assert bool(k2["deleted"]) is True and k2["name"] == "k2-name" and k2["public_id"] == "key-k2"
    assert k2["requests"] == expected(w, keys={"k2"})["requests"] == 35
    assert ov.totals.requests == expected(w)["requests"]


def test_top_consumers_sorted_by_tokens_with_owner(ds):
    url, ids = ds
    ov = svc.usage_overview(window("30d"), url)
    tokens = list(ov.by_key["tokens"])
    assert tokens == sorted(tokens, reverse=True)
    by_id = ov.by_key.set_index("key_id")
    assert by_id.loc[ids["keys"]["k1"], "owner"] == "u1"
    assert by_id.loc[ids["keys"]["k3"], "owner"] == "g1" and by_id.loc[ids["keys"]["k3"], "owner_kind"] == "group"
    assert by_id.loc[ids["keys"]["k4"], "owner_kind_label"] == "Service account"
    assert ids["keys"]["k5"] not in by_id.index  # no usage, no row
    k1 = by_id.loc[ids["keys"]["k1"]]
    assert k1["success_rate"] == pytest.approx(100 * (k1["requests"] - k1["errors"]) / k1["requests"])


def test_per_user_and_per_group_sums(ds):
    url, ids = ds
    w = window("30d")
    ov = svc.usage_overview(w, url)
    users = ov.by_user.set_index("username")
    assert users.loc["u1", "tokens"] == sum(expected(w, keys={"k1"})[f] for f in ("input_tokens", "output_tokens"))
    assert users.loc["u2", "requests"] == expected(w, keys={"k2"})["requests"]
    assert "u3" not in users.index
    groups = ov.by_group.set_index("name")
    # g1: its members' keys (u1's k1, u2's k2) plus its own key k3; g2: u2's k2 only.
    assert groups.loc["g1", "requests"] == expected(w, keys={"k1", "k2", "k3"})["requests"]
    assert groups.loc["g1", "cost_usd"] == pytest.approx(sum(r.cost for r in ROWS if r.key in {"k1", "k2", "k3"}
                                                             and w.start <= r.hour < w.end))
    assert groups.loc["g2", "requests"] == expected(w, keys={"k2"})["requests"]
    # Service-account usage (k4) is in the total but in no user or group.
    assert ov.totals.requests > users["requests"].sum()


def test_latency_and_throughput_per_model(ds):
    url, ids = ds
    w = window("24h")
    assets = svc.usage_overview(w, url).by_asset.set_index("name")
    e = expected(w, assets={"m1"})
    m1 = assets.loc["model-one"]
    assert m1["avg_latency_ms"] == pytest.approx(e["latency_ms_sum"].expected / e["requests"])
    assert m1["latency_ms_max"] == e["latency_ms_max"] == 2500
    assert m1["output_tokens_per_s"] == pytest.approx(e["output_tokens"] / (e["latency_ms_sum"].expected / 1000))
    assert m1["kind_label"] == "Model"
    assert assets.loc["OpenShift", "kind_label"] == "MCP server"
    assert assets.loc["OpenShift", "output_tokens"] == 0 and pd.isna(assets.loc["OpenShift", "output_tokens_per_s"])


def test_key_usage_totals_previous_period_and_models(ds):
    url, ids = ds
    k1 = ids["keys"]["k1"]
    w = window("30d")
    ku = svc.key_usage(k1, w, url)
    assert ku.has_usage
    assert as_dict(ku.totals) == expected(w, keys={"k1"})
    assert as_dict(ku.previous) == expected(w.previous(), keys={"k1"})
    assert ku.previous.requests == 7
    assert ku.series["requests"].sum() == ku.totals.requests
    models = ku.by_asset.set_index("name")
    assert set(models.index) == {"model-one", "model-two"}
    assert models.loc["model-two", "requests"] == 50
    # The Usage page's row for the key shows the same figures as the key's own Metrics tab.
    row = svc.usage_overview(w, url).by_key.set_index("key_id").loc[k1]
    assert (row["requests"], row["tokens"], row["cost_usd"]) == (
        ku.totals.requests, ku.totals.tokens, pytest.approx(ku.totals.cost_usd))


def test_key_without_usage_in_range(ds):
    url, ids = ds
    w = window("24h")
    ku = svc.key_usage(ids["keys"]["k5"], w, url)
    assert not ku.has_usage and ku.totals.requests == 0 and ku.previous.requests == 0
    assert len(ku.series) == 24 and ku.series["requests"].sum() == 0
    assert ku.by_asset.empty


def test_custom_range_and_window_edges(ds):
    url, ids = ds
    # Custom range on whole days: the day 20 days back only.
    day = (HORIZON - timedelta(hours=24 * 20)).date()
    w = custom_range(day, day).window(NOW)
    assert svc.usage_overview(w, url).totals.requests == 40
    # A row exactly at the window start is in; the window end is exclusive.
    edge = TimeWindow(HORIZON - timedelta(hours=5), HORIZON - timedelta(hours=4), RangeSelection("1h").window(NOW).bucket)
    assert svc.usage_overview(edge, url).totals.requests == 10
    assert svc.previous_totals(window("30d"), url).requests == expected(window("30d").previous())["requests"]


def test_overview_with_comparison_in_one_call(ds):
    url, _ = ds
    w = window("30d")
    ov = svc.usage_overview(w, url, compare=True)
    assert ov.previous is not None and ov.previous.requests == expected(w.previous())["requests"]


def test_empty_database_gives_empty_frames(empty_db_url):
    ov = svc.usage_overview(window("7d"), empty_db_url)
    assert not ov.has_usage and ov.totals.requests == 0
    assert ov.by_key.empty and ov.by_user.empty and ov.by_group.empty and ov.by_asset.empty
    assert len(ov.series) == 168


def test_find_key_by_public_id(ds):
    url, ids = ds
    ref = svc.find_key("key-k2", url)
    assert ref is not None and ref.id == ids["keys"]["k2"] and ref.deleted
    assert svc.find_key("key-nope", url) is None
