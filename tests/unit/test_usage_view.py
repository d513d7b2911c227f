"""Usage view models: cards and their comparison, table rows, CSV of the rows, chart figures."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pandas as pd

from maas_ui import charts, usage_view as v
from maas_ui.domain import usage as u
from maas_ui.domain.usage import RangeSelection, Totals

NOW = datetime(2026, 6, 15, 12, 30, tzinfo=timezone.utc)


def test_cards_show_headline_detail_and_change():
    now = Totals(requests=1200, errors=18, input_tokens=900_000, output_tokens=300_000, cost_usd=12.345)
    before = Totals(requests=1000, errors=10, input_tokens=1_000_000, output_tokens=300_000, cost_usd=12.345)
    cards = {c.id: c for c in v.metric_cards(now, before, "vs previous 7 days")}
    assert [c.title for c in cards.values()] == ["Total requests", "Success rate", "Total tokens", "Total cost"]
    assert cards["requests"].value == "1.2K" and cards["requests"].exact == "1,200 requests"
    assert (cards["requests"].change, cards["requests"].direction, cards["requests"].tone) == ("+20.0%", "up", "neutral")
    assert cards["success_rate"].value == "98.5%" and cards["success_rate"].change == "-0.5 pts"
    assert cards["success_rate"].tone == "danger"  # a falling success rate is bad news; volumes are neutral
    assert cards["tokens"].detail == "Input 900K · Output 300K" and cards["tokens"].direction == "down"
    assert cards["cost"].value == "$12.35" and cards["cost"].change == "No change"
    assert all(c.compare_label == "vs previous 7 days" for c in cards.values())


def test_cards_without_comparison_are_pending():
    cards = v.metric_cards(Totals(requests=5), None, "vs previous hour")
    assert {c.direction for c in cards} == {"pending"} and {c.change for c in cards} == {""}


def test_compare_labels():
    assert v.compare_label(RangeSelection("1h"), RangeSelection("1h").window(NOW)) == "vs previous hour"
    custom = u.custom_range("2026-06-01", "2026-06-10")
    assert v.compare_label(custom, custom.window(NOW)) == "vs previous 10 days"


def _keys_frame() -> pd.DataFrame:
    return pd.DataFrame([
        dict(public_id="key-a", name="chatbot", deleted=False, owner="jdoe", owner_kind_label="User", requests=100,
             tokens=5000, cost_usd=1.234, success_rate=98.04),
        dict(public_id="key-b", name="chatbot", deleted=True, owner="ml-ops", owner_kind_label="Group", requests=50,
             tokens=4000, cost_usd=0.004, success_rate=float("nan")),
        dict(public_id="key-c", name="=cmd()", deleted=False, owner="sa", owner_kind_label="Service account",
             requests=7, tokens=10, cost_usd=0.0, success_rate=100.0),
    ])


def test_consumer_rows_link_live_keys_only_and_csv_matches_them():
    rows = v.consumer_rows(_keys_frame(), lambda pid: f"/settings/api-keys/{pid}/metrics?range=7d")
    assert [r.rank for r in rows] == [1, 2, 3]
    assert rows[0].href == "/settings/api-keys/key-a/metrics?range=7d" and rows[1].href == ""
    assert (rows[0].cost_text, rows[0].cost_usd, rows[0].success_rate_text) == ("$1.23", 1.234, "98.0%")  # CSV keeps 4 decimals for chargeback
    assert rows[1].success_rate_text == "—" and rows[1].cost_text == "< $0.01"
    parsed = list(csv.DictReader(io.StringIO(v.consumers_csv(rows))))
    assert [p["Key"] for p in parsed] == ["chatbot", "chatbot", "'=cmd()"]
    assert parsed[0] == {"Rank": "1", "Key": "chatbot", "Key ID": "key-a", "Deleted": "false", "Owner": "jdoe",
                         "Owner type": "User", "Requests": "100", "Tokens": "5000", "Cost (USD)": "1.234",
                         "Success rate (%)": "98"}
    assert parsed[1]["Deleted"] == "true" and parsed[1]["Success rate (%)"] == ""


def test_key_chart_labels_are_unique():
    assert v._key_labels(_keys_frame()) == ["chatbot (key-a)", "chatbot (key-b) · deleted", "=cmd()"]


def test_last_hour_chart_is_one_labelled_bar():
    w = RangeSelection("1h").window(NOW)
    series = {"bucket_start": [w.start], "bucket_end": [w.end], "successes": [9], "errors": [1]}
    fig = charts.requests_figure(series, w.bucket, w.start, w.end)
    assert fig["layout"]["xaxis"]["type"] == "category"
    assert fig["data"][0]["x"] == ["Jun 15, 11:00–12:00 UTC"]
    assert u.bucket_description(w).startswith("Usage is recorded per hour")


def test_time_bars_cover_their_bucket_and_hide_the_mode_bar():
    w = RangeSelection("1y").window(NOW)
    spans = w.buckets()
    series = {"bucket_start": [s.start for s in spans], "bucket_end": [s.end for s in spans],
              "successes": [1] * len(spans), "errors": [0] * len(spans)}
    fig = charts.requests_figure(series, w.bucket, w.start, w.end)
    widths = fig["data"][0]["width"]
    assert widths[0] < widths[1]  # the partial oldest week is drawn narrower
    assert fig["layout"]["barmode"] == "stack" and fig["layout"]["font"]["family"].startswith('"Red Hat Text"')
    assert charts.CONFIG["displayModeBar"] is False
