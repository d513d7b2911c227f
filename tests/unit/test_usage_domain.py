"""Usage domain: time ranges and their URL form, buckets, comparisons, formatting, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest

from maas_ui.domain import usage as u
from maas_ui.domain.usage import Bucket, RangeSelection, TimeWindow

NOW = datetime(2026, 6, 15, 12, 34, 56, tzinfo=timezone.utc)
HORIZON = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
UTC = timezone.utc


@pytest.mark.parametrize(
    "key, hours, bucket, count",
    [("1h", 1, Bucket.HOUR, 1), ("24h", 24, Bucket.HOUR, 24), ("7d", 168, Bucket.HOUR, 168),
     ("30d", 720, Bucket.DAY, 30), ("1y", 8760, Bucket.WEEK, 53)],
)
def test_presets_end_at_the_last_complete_hour(key, hours, bucket, count):
    w = RangeSelection(key).window(NOW)
    assert w.end == HORIZON
    assert w.hours == hours and w.start == HORIZON - timedelta(hours=hours)
    assert w.bucket is bucket and w.bucket_count == count


def test_last_hour_is_one_hourly_bucket_not_five_minutes():
    w = RangeSelection("1h").window(NOW)
    assert w.buckets() == [u.BucketSpan(HORIZON - timedelta(hours=1), HORIZON)]


def test_buckets_are_aligned_to_the_end_and_only_the_oldest_is_partial():
    w = RangeSelection("1y").window(NOW)
    spans = w.buckets()
    assert spans[-1].end == w.end and spans[0].start == w.start
    assert all(s.end - s.start == timedelta(weeks=1) for s in spans[1:])
    assert spans[0].end - spans[0].start == timedelta(days=1)  # 365 days = 52 weeks + 1 day
    assert all(a.end == b.start for a, b in zip(spans, spans[1:]))  # contiguous, no gaps


@pytest.mark.parametrize("key", ["1h", "24h", "7d", "30d", "1y"])
def test_every_hour_falls_in_the_bucket_whose_span_contains_it(key):
    w = RangeSelection(key).window(NOW)
    hour = w.start
    while hour < w.end:
        span = w.bucket_span(w.bucket_index(hour))
        assert span.start <= hour < span.end
        hour += timedelta(hours=1)
    assert w.bucket_index(w.end - timedelta(hours=1)) == 0
    assert w.bucket_index(w.start) == w.bucket_count - 1


def test_previous_period_has_the_same_length_just_before():
    w = RangeSelection("7d").window(NOW)
    p = w.previous()
    assert p.end == w.start and p.duration == w.duration and p.bucket is w.bucket


def test_window_rejects_naive_unaligned_or_empty_bounds():
    with pytest.raises(ValueError):
        TimeWindow(datetime(2026, 1, 1), datetime(2026, 1, 2), Bucket.HOUR)
    with pytest.raises(ValueError):
        TimeWindow(datetime(2026, 1, 1, 0, 30, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC), Bucket.HOUR)
    with pytest.raises(ValueError):
        TimeWindow(datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), Bucket.HOUR)
    with pytest.raises(ValueError):
        u.data_horizon(datetime(2026, 1, 1))


def test_data_horizon_converts_to_utc():
    cet = timezone(timedelta(hours=2))
    assert u.data_horizon(datetime(2026, 6, 15, 14, 59, tzinfo=cet)) == HORIZON


# URL query ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["1h", "24h", "7d", "30d", "1y"])
def test_preset_query_round_trip(key):
    sel = RangeSelection(key)
    assert sel.to_query() == {"range": key}
    assert RangeSelection.from_query(sel.to_query()) == sel


def test_custom_query_round_trip_and_label():
    sel = u.custom_range("2026-05-01", "2026-05-31")
    assert sel.to_query() == {"range": "custom", "start": "2026-05-01", "end": "2026-05-31"}
    assert RangeSelection.from_query(sel.to_query()) == sel
    assert sel.label == "May 1 – May 31, 2026"
    assert u.custom_range("2025-12-30", "2026-01-02").label == "Dec 30, 2025 – Jan 2, 2026"


@pytest.mark.parametrize(
    "query",
    [None, {}, {"range": "2h"}, {"range": "custom"}, {"range": "custom", "start": "2026-05-09", "end": "2026-05-01"},
     {"range": "custom", "start": "yesterday", "end": "2026-05-01"}, {"range": ""}],
)
def test_unusable_query_falls_back_to_last_24_hours(query):
    assert RangeSelection.from_query(query) == RangeSelection("24h")
    assert RangeSelection.from_query(query).label == "Last 24 hours"


def test_query_values_may_be_lists_and_any_case():
    assert RangeSelection.from_query({"range": ["7D"]}) == RangeSelection("7d")


def test_custom_window_covers_whole_days_clipped_to_the_horizon():
    w = u.custom_range("2026-06-01", "2026-06-07").window(NOW)
    assert w.start == datetime(2026, 6, 1, tzinfo=UTC) and w.end == datetime(2026, 6, 8, tzinfo=UTC)
    assert w.bucket is Bucket.HOUR  # 7 days
    w = u.custom_range("2026-06-01", "2026-06-30").window(NOW)
    assert w.end == HORIZON and w.bucket is Bucket.DAY
    assert u.custom_range("2025-01-01", "2026-06-15").window(NOW).bucket is Bucket.WEEK
    single = u.custom_range("2026-06-10", "2026-06-10").window(NOW)
    assert single.hours == 24


def test_custom_range_validation_messages():
    with pytest.raises(ValueError, match="on or after"):
        u.custom_range("2026-06-10", "2026-06-01")
    with pytest.raises(ValueError, match="look like"):
        u.custom_range("10/06/2026", "2026-06-11")
    with pytest.raises(ValueError, match="Enter a start date"):
        u.custom_range("", "2026-06-11")
    with pytest.raises(ValueError, match="future"):
        u.custom_range("2026-06-16", "2026-06-20", today=date(2026, 6, 15))


def test_range_options_list_presets_then_custom():
    assert [label for _v, label in u.RANGE_OPTIONS] == [
        "Last 1 hour", "Last 24 hours", "Last 7 days", "Last 30 days", "Last year", "Custom range"]


# Figures and comparisons --------------------------------------------------------------------


def test_success_rate_and_totals():
    t = u.Totals(requests=1000, errors=18, input_tokens=700, output_tokens=300, latency_ms_sum=20_000)
    assert t.success_rate == pytest.approx(98.2)
    assert t.tokens == 1000 and t.successes == 982
    assert t.avg_latency_ms == 20
    assert t.output_tokens_per_second == pytest.approx(15.0)  # 300 tokens over 20 s of requests
    assert u.Totals().success_rate is None and u.Totals().avg_latency_ms is None


def test_tokens_per_second_needs_request_time():
    assert u.tokens_per_second(500, 2000) == 250
    assert u.tokens_per_second(500, 0) is None


@pytest.mark.parametrize(
    "current, previous, text, direction",
    [(120, 100, "+20.0%", "up"), (90, 100, "-10.0%", "down"), (100, 100, "No change", "flat"),
     (5, 0, "New", "new"), (0, 0, "No data", "none"), (0, 50, "-100.0%", "down")],
)
def test_percent_change(current, previous, text, direction):
    c = u.percent_change(current, previous)
    assert (c.text, c.direction) == (text, direction)


def test_rate_change_in_points():
    assert u.rate_change(98.2, 97.0).text == "+1.2 pts"
    assert u.rate_change(None, 97.0).direction == "none"
    assert u.rate_change(97.0, None).text == "New"


@pytest.mark.parametrize(
    "value, text",
    [(98.2, "98.2%"), (98.24, "98.2%"), (98.25001, "98.3%"), (99.97, "99.9%"), (100.0, "100.0%"),
     (0.01, "0.1%"), (0.0, "0.0%"), (None, "—")],
)
def test_format_percent_one_decimal_never_falsely_100(value, text):
    assert u.format_percent(value) == text


def test_number_formats():
    assert u.format_compact(1234) == "1.2K" and u.format_compact(5_600_000) == "5.6M"
    assert u.format_compact(999) == "999" and u.format_compact(2_000_000) == "2M"
    assert u.format_int(1234567) == "1,234,567"
    assert u.format_usd(1234.5) == "$1,234.50" and u.format_usd(0.001) == "< $0.01" and u.format_usd(0) == "$0.00"
    assert u.format_usd(0.01) == "$0.01" and u.format_usd(0.0099) == "< $0.01"  # the boundary
    assert u.format_ms(1234.4) == "1,234 ms"


# CSV ----------------------------------------------------------------------------------------


def test_csv_has_header_and_plain_values_in_column_order():
    cols = [("name", "Key"), ("tokens", "Tokens"), ("cost", "Cost (USD)"), ("rate", "Success rate (%)")]
    rows = [
        {"name": "chatbot-prod", "tokens": 1234567, "cost": 12.5, "rate": 98.2, "ignored": "x"},
        {"name": "with, comma \"quoted\"", "tokens": 0, "cost": 0.0, "rate": None},
    ]
    text = u.to_csv(cols, rows)
    assert text.splitlines()[0] == "Key,Tokens,Cost (USD),Success rate (%)"
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1] == ["chatbot-prod", "1234567", "12.5", "98.2"]
    assert parsed[2] == ['with, comma "quoted"', "0", "0", ""]
    assert len(parsed) == 3


def test_csv_neutralises_formula_like_text():
    text = u.to_csv([("name", "Key")], [{"name": "=HYPERLINK(\"http://x\")"}, {"name": "-rm"}, {"name": "ok"}])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1][0].startswith("'=") and parsed[2][0] == "'-rm" and parsed[3][0] == "ok"


def test_csv_of_no_rows_is_just_the_header():
    assert u.to_csv([("a", "A"), ("b", "B")], []) == "A,B\r\n"


def test_csv_filename_names_scope_and_range():
    assert u.csv_filename("top-consumers", RangeSelection("30d"), NOW) == "usage-top-consumers-30d-20260615.csv"
    sel = u.custom_range("2026-05-01", "2026-05-31")
    assert u.csv_filename("top-consumers", sel, NOW) == "usage-top-consumers-20260501-20260531-20260615.csv"


# Custom ranges typed or in a URL (bad input) -----------------------------------------------------

TODAY = date(2026, 6, 15)


def test_end_date_far_in_the_future_is_refused_with_a_message_not_an_overflow():
    with pytest.raises(ValueError, match=r"The end date cannot be after today \(2026-06-15\)\."):
        u.custom_range("2026-06-01", "9999-12-31", today=TODAY)
    with pytest.raises(ValueError, match="after today"):
        u.custom_range("2026-06-01", "2026-06-16", today=TODAY)
    assert u.custom_range("2026-06-01", "2026-06-15", today=TODAY).end == TODAY


def test_a_window_ending_on_the_last_representable_date_is_clipped_not_overflowing():
    sel = RangeSelection(u.CUSTOM, date(2026, 6, 1), date.max)  # as a lenient parse may produce
    w = sel.window(NOW)
    assert w.start == datetime(2026, 6, 1, tzinfo=UTC) and w.end == HORIZON


def test_read_range_of_a_usable_query():
    assert u.read_range({"range": "7d"}, TODAY) == u.RangeRequest(RangeSelection("7d"))
    req = u.read_range({"range": "custom", "start": "2026-06-01", "end": "2026-06-07"}, TODAY)
    assert req.selection == u.custom_range("2026-06-01", "2026-06-07") and req.custom and not req.error
    assert (req.start_text, req.end_text) == ("2026-06-01", "2026-06-07")
    assert u.read_range({"range": "2h"}, TODAY) == u.RangeRequest(RangeSelection())


@pytest.mark.parametrize(("start", "end", "problem"), [
    ("2026-06-01", "9999-12-31", "The end date cannot be after today (2026-06-15)."),
    ("2026-06-01", "", "Enter an end date."),
    ("", "2026-06-07", "Enter a start date."),
    ("2026-06", "2026-06-07", "The start date must look like 2026-01-31."),
    ("2026-06-09", "2026-06-01", "The end date must be on or after the start date."),
    ("1999-12-31", "2026-06-01", "The start date cannot be before 2000-01-01."),
])
def test_an_unusable_custom_range_keeps_its_dates_and_says_what_is_shown_instead(start, end, problem):
    req = u.read_range({"range": "custom", "start": start, "end": end}, TODAY)
    assert req.custom and (req.start_text, req.end_text) == (start, end)
    assert req.selection == RangeSelection("24h")
    assert req.error == f"{problem} The figures below are for last 24 hours."


def test_a_typed_unusable_custom_range_keeps_the_figures_of_the_range_shown():
    shown = u.custom_range("2026-06-01", "2026-06-07")
    req = u.read_range({"range": "custom", "start": "2026-06-01", "end": "2026-13-01"}, TODAY, fallback=shown)
    assert req.selection == shown
    assert req.error.endswith("The figures below are for Jun 1 – Jun 7, 2026.")
    req = u.read_range({"range": "custom", "start": "x", "end": ""}, TODAY, fallback=RangeSelection("30d"))
    assert req.error.endswith("The figures below are for last 30 days.")
