"""Usage analytics rules: time ranges, buckets, period comparison, rates and CSV (pure Python).

Usage is stored as hourly rollups (one row per key, asset and hour). Consequences, decided here:

* Windows are whole hours and end at the *data horizon*: the start of the current hour. An hour
  is shown once it is complete, so every range compares like with like and a reload within the
  same hour gives the same numbers.
* "Last 1 hour" is therefore the last complete hour: one hourly rollup, one bucket. The design's
  5-minute buckets would need per-request or 5-minute data, which the rollups do not keep; the
  console does not invent sub-hour detail by interpolation.
* Buckets are aligned to the window's end: the newest bucket ends at the horizon and is always
  complete, so the right-hand edge of a chart never shows a misleading dip. Only the oldest
  bucket can be shorter than the bucket size (e.g. "Last year" = 365 days = 52 weeks + 1 day);
  its real span is kept in `BucketSpan` for tooltips.
* A custom range covers whole UTC days, start and end dates included, clipped to the horizon.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import Enum

HOUR = timedelta(hours=1)


class Bucket(str, Enum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"

    @property
    def seconds(self) -> int:
        return {"hour": 3600, "day": 86_400, "week": 604_800}[self.value]

    @property
    def delta(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    @property
    def label(self) -> str:
        return {"hour": "Hourly", "day": "Daily", "week": "Weekly"}[self.value]


@dataclass(frozen=True)
class RangePreset:
    key: str
    label: str
    hours: int
    bucket: Bucket


PRESETS: tuple[RangePreset, ...] = (
    RangePreset("1h", "Last 1 hour", 1, Bucket.HOUR),
    RangePreset("24h", "Last 24 hours", 24, Bucket.HOUR),
    RangePreset("7d", "Last 7 days", 7 * 24, Bucket.HOUR),
    RangePreset("30d", "Last 30 days", 30 * 24, Bucket.DAY),
    RangePreset("1y", "Last year", 365 * 24, Bucket.WEEK),
)
PRESETS_BY_KEY = {p.key: p for p in PRESETS}
CUSTOM = "custom"
CUSTOM_LABEL = "Custom range"
DEFAULT_RANGE = "24h"
# (value, label) pairs for the "Time range" select, in display order.
RANGE_OPTIONS: tuple[tuple[str, str], ...] = tuple((p.key, p.label) for p in PRESETS) + ((CUSTOM, CUSTOM_LABEL),)

# Query-string parameter names: ?range=7d or ?range=custom&start=2026-01-01&end=2026-01-31
Q_RANGE, Q_START, Q_END = "range", "start", "end"
EARLIEST_DATE = date(2000, 1, 1)


def bucket_description(window: "TimeWindow") -> str:
    """How the chart's buckets are cut, e.g. "Hourly (UTC)" or "Days ending at 14:00 UTC"."""
    if window.bucket_count == 1:
        return "Usage is recorded per hour: the last complete hour is one bucket"
    if window.bucket is Bucket.HOUR:
        return "Hourly buckets (UTC)"
    if window.bucket is Bucket.DAY:
        return f"Daily buckets ending at {window.end:%H:%M} UTC"
    return f"Weekly buckets ending {window.end:%a %H:%M} UTC"


def bucket_for_span(hours: int) -> Bucket:
    """Bucket size for a window of `hours` (custom ranges use the presets' thresholds)."""
    if hours <= 7 * 24:
        return Bucket.HOUR
    if hours <= 92 * 24:
        return Bucket.DAY
    return Bucket.WEEK


def data_horizon(now: datetime) -> datetime:
    """End (exclusive) of the newest complete hour: the start of the current hour, in UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class BucketSpan:
    start: datetime
    end: datetime

    @property
    def partial_of(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class TimeWindow:
    """Half-open UTC interval [start, end) on hour boundaries, with its chart bucket size."""

    start: datetime
    end: datetime
    bucket: Bucket

    def __post_init__(self):
        for value in (self.start, self.end):
            if value.tzinfo is None or value.utcoffset() != timedelta(0):
                raise ValueError("window bounds must be UTC datetimes")
            if value.minute or value.second or value.microsecond:
                raise ValueError("window bounds must be on the hour")
        if self.end <= self.start:
            raise ValueError("a window must end after it starts")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def hours(self) -> int:
        return int(self.duration / HOUR)

    def previous(self) -> TimeWindow:
        """The window of the same length immediately before this one."""
        return TimeWindow(self.start - self.duration, self.start, self.bucket)

    @property
    def bucket_count(self) -> int:
        return math.ceil(self.duration.total_seconds() / self.bucket.seconds)

    def bucket_index(self, hour_start: datetime) -> int:
        """Index of the bucket holding the hour starting at `hour_start`; 0 is the newest bucket.

        Mirrors the SQL expression in services.usage: (end - hour_start - 1 s) div bucket seconds.
        """
        offset = int((self.end - hour_start).total_seconds())
        return (offset - 1) // self.bucket.seconds

    def bucket_span(self, index: int) -> BucketSpan:
        end = self.end - index * self.bucket.delta
        return BucketSpan(max(self.start, end - self.bucket.delta), end)

    def buckets(self) -> list[BucketSpan]:
        """Every bucket of the window, oldest first (the oldest may be partial)."""
        return [self.bucket_span(i) for i in reversed(range(self.bucket_count))]


DAY = timedelta(days=1)
Span = tuple[datetime, datetime]


def _midnight(t: datetime) -> datetime:
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if out and out[-1][1] >= a:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


@dataclass(frozen=True)
class WindowSplit:
    """Which parts of a window to read from the daily sums and which from the hourly rollups.

    Both lists hold disjoint half-open [start, end) spans that together cover the window exactly
    once; `daily` spans are whole UTC days (midnight to midnight).
    """

    hourly: list[Span]
    daily: list[Span]


def split_window(window: TimeWindow, *, keep_buckets: bool = False) -> WindowSplit:
    """Split `window` into whole UTC days (read from usage_daily) and partial-day edges (hourly).

    With `keep_buckets` (time series) a day that a chart bucket boundary cuts is read hourly too,
    so every daily row falls into one bucket: hourly buckets read no days; daily buckets ending at
    midnight (custom ranges) read every whole day; weekly buckets ending at 14:00 lose one day a week.
    """
    first = _midnight(window.start)
    if first < window.start:
        first += DAY
    last = _midnight(window.end)
    if last <= first or (keep_buckets and window.bucket is Bucket.HOUR and window.bucket_count > 1):
        return WindowSplit([(window.start, window.end)], [])
    cut: set[datetime] = set()
    if keep_buckets:
        for i in range(1, window.bucket_count):
            boundary = window.end - i * window.bucket.delta
            day = _midnight(boundary)
            if boundary != day and first <= day < last:
                cut.add(day)
    daily: list[Span] = []
    start = first
    for day in sorted(cut):
        daily.append((start, day))
        start = day + DAY
    daily.append((start, last))
    daily = _merge(daily)
    hourly = _merge([(window.start, first), (last, window.end), *[(d, d + DAY) for d in cut]])
    return WindowSplit(hourly, daily)


@dataclass(frozen=True)
class RangeSelection:
    """What the user picked in the "Time range" control; serialised into the URL query."""

    key: str = DEFAULT_RANGE
    start: date | None = None  # custom only, inclusive
    end: date | None = None  # custom only, inclusive

    @property
    def is_custom(self) -> bool:
        return self.key == CUSTOM

    def to_query(self) -> dict[str, str]:
        if self.is_custom and self.start and self.end:
            return {Q_RANGE: CUSTOM, Q_START: self.start.isoformat(), Q_END: self.end.isoformat()}
        return {Q_RANGE: self.key}

    @classmethod
    def from_query(cls, query: Mapping[str, str | Sequence[str]] | None) -> RangeSelection:
        """Lenient parse of a URL query: anything unusable falls back to the default range."""
        query = query or {}

        def one(name: str) -> str:
            value = query.get(name, "")
            if isinstance(value, (list, tuple)):
                value = value[0] if value else ""
            return str(value).strip()

        key = one(Q_RANGE).lower()
        if key in PRESETS_BY_KEY:
            return cls(key)
        if key == CUSTOM:
            try:
                return custom_range(one(Q_START), one(Q_END))
            except ValueError:
                return cls()
        return cls()

    @property
    def label(self) -> str:
        if self.is_custom and self.start and self.end:
            return format_date_range(self.start, self.end)
        return PRESETS_BY_KEY.get(self.key, PRESETS_BY_KEY[DEFAULT_RANGE]).label

    def window(self, now: datetime) -> TimeWindow:
        horizon = data_horizon(now)
        if self.is_custom and self.start and self.end:
            start = datetime.combine(self.start, datetime.min.time(), timezone.utc)
            # Clip the end date before adding a day: 9999-12-31 + 1 day does not exist.
            last_day = min(self.end, horizon.date())
            end = min(datetime.combine(last_day + timedelta(days=1), datetime.min.time(), timezone.utc), horizon)
            if end <= start:  # a custom range starting in the current hour or later
                end = start + HOUR
            return TimeWindow(start, end, bucket_for_span(int((end - start) / HOUR)))
        preset = PRESETS_BY_KEY.get(self.key, PRESETS_BY_KEY[DEFAULT_RANGE])
        return TimeWindow(horizon - preset.hours * HOUR, horizon, preset.bucket)


def _parse_date(value: str | date | None, what: str) -> date:
    if isinstance(value, date):
        return value
    if not value:
        raise ValueError(f"Enter {'an' if what[0] in 'aeiou' else 'a'} {what} date.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"The {what} date must look like 2026-01-31.") from None


def custom_range(start: str | date | None, end: str | date | None, *, today: date | None = None) -> RangeSelection:
    """Validate a custom range (inclusive dates); raises ValueError with a message for the form.

    With `today`, dates after today are refused (there is no usage to show for them); without
    it (a lenient parse) the window still clips them to the data horizon."""
    start_d, end_d = _parse_date(start, "start"), _parse_date(end, "end")
    if start_d < EARLIEST_DATE:
        raise ValueError(f"The start date cannot be before {EARLIEST_DATE.isoformat()}.")
    if today is not None and start_d > today:
        raise ValueError("The start date cannot be in the future.")
    if end_d < start_d:
        raise ValueError("The end date must be on or after the start date.")
    if today is not None and end_d > today:
        raise ValueError(f"The end date cannot be after today ({today.isoformat()}).")
    return RangeSelection(CUSTOM, start_d, end_d)


@dataclass(frozen=True)
class RangeRequest:
    """A time range read from a URL query (or typed): the selection whose figures are shown and,
    when a custom range was asked for, the dates as given and why they cannot be shown."""

    selection: RangeSelection
    custom: bool = False  # a custom range was asked for (the control stays on "Custom range")
    start_text: str = ""
    end_text: str = ""
    error: str = ""  # "" when the custom range is shown


def read_range(query: Mapping[str, str | Sequence[str]] | None, today: date,
               fallback: RangeSelection | None = None) -> RangeRequest:
    """Read the time range of a URL query. An unusable custom range keeps its dates and gets a
    message saying what is wrong and which range the figures are for instead (`fallback`, by
    default the default range); any other unusable value means the default range."""
    query = query or {}

    def one(name: str) -> str:
        value = query.get(name, "")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        return str(value).strip()

    key = one(Q_RANGE).lower()
    if key in PRESETS_BY_KEY:
        return RangeRequest(RangeSelection(key))
    if key != CUSTOM:
        return RangeRequest(RangeSelection())
    start, end = one(Q_START), one(Q_END)
    try:
        return RangeRequest(custom_range(start, end, today=today), True, start, end)
    except ValueError as exc:
        shown = fallback if fallback is not None else RangeSelection()
        return RangeRequest(shown, True, start, end, custom_range_message(str(exc), shown))


def custom_range_message(problem: str, shown: RangeSelection) -> str:
    """The inline message of an unusable custom range: the problem, then what is shown instead."""
    what = shown.label if shown.is_custom else shown.label[0].lower() + shown.label[1:]
    return f"{problem} The figures below are for {what}."


def format_date_range(start: date, end: date) -> str:
    if start == end:
        return f"{start:%b} {start.day}, {start.year}"
    if start.year == end.year:
        return f"{start:%b} {start.day} – {end:%b} {end.day}, {end.year}"
    return f"{start:%b} {start.day}, {start.year} – {end:%b} {end.day}, {end.year}"


# Figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """Sums over a window (any scope: one key, everything, a model...)."""

    requests: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms_sum: float = 0.0
    latency_ms_max: float = 0.0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def successes(self) -> int:
        return self.requests - self.errors

    @property
    def success_rate(self) -> float | None:
        return success_rate(self.requests, self.errors)

    @property
    def avg_latency_ms(self) -> float | None:
        return self.latency_ms_sum / self.requests if self.requests else None

    @property
    def output_tokens_per_second(self) -> float | None:
        return tokens_per_second(self.output_tokens, self.latency_ms_sum)


def success_rate(requests: int, errors: int) -> float | None:
    """Share of requests that succeeded, in percent; None without requests."""
    if not requests:
        return None
    return 100.0 * (requests - errors) / requests


def tokens_per_second(tokens: int, latency_ms_sum: float) -> float | None:
    """Tokens per second of request time: `tokens` over the summed request durations.

    With output tokens this is the generation throughput a caller sees per request, averaged
    over every request of the window (not the gateway's aggregate throughput).
    """
    if not latency_ms_sum or latency_ms_sum <= 0:
        return None
    return tokens / (latency_ms_sum / 1000.0)


@dataclass(frozen=True)
class Change:
    """Change of a figure against the previous period of the same length."""

    percent: float | None  # None when the previous period had nothing to compare with
    direction: str  # "up" | "down" | "flat" | "new" | "none"
    text: str  # e.g. "+12.3%", "-4.0%", "No change", "New", "No data"
    points: bool = False  # True when `percent` is a difference in percentage points


def percent_change(current: float, previous: float) -> Change:
    if not previous:
        if not current:
            return Change(None, "none", "No data")
        return Change(None, "new", "New")
    pct = 100.0 * (current - previous) / previous
    if abs(pct) < 0.05:
        return Change(0.0, "flat", "No change")
    return Change(pct, "up" if pct > 0 else "down", f"{pct:+.1f}%")


def rate_change(current: float | None, previous: float | None) -> Change:
    """Change of a rate (success rate) in percentage points."""
    if current is None or previous is None:
        return Change(None, "none" if current is None else "new", "No data" if current is None else "New", True)
    diff = current - previous
    if abs(diff) < 0.05:
        return Change(0.0, "flat", "No change", True)
    return Change(diff, "up" if diff > 0 else "down", f"{diff:+.1f} pts", True)


# Formatting (shared by the UI and the CSV so both show the same numbers) ---------------------


def format_int(value: int | float | None) -> str:
    return "—" if value is None else f"{int(round(value)):,}"


def format_compact(value: int | float | None) -> str:
    """1234 -> 1.2K, 5_600_000 -> 5.6M (card headlines)."""
    if value is None:
        return "—"
    value = float(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= threshold:
            return f"{value / threshold:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{int(round(value)):,}"


def shown_percent(value: float | None) -> float | None:
    """A percentage rounded to one decimal, never to 100.0 or 0.0 when that would not be exact."""
    if value is None or value != value:  # None or NaN
        return None
    shown = round(value, 1)
    if shown >= 100.0 and value < 100.0:
        shown = 99.9
    elif shown <= 0.0 < value:
        shown = 0.1
    return shown


def format_percent(value: float | None) -> str:
    """One decimal, e.g. 98.2% (see shown_percent)."""
    shown = shown_percent(value)
    return "—" if shown is None else f"{shown:.1f}%"


def format_usd(value: float | None) -> str:
    if value is None:
        return "—"
    if 0 < value < 0.01:
        return "< $0.01"
    return f"${value:,.2f}"


def format_ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def format_rate_per_s(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


# CSV ----------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}" if not value.is_integer() else str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    # Spreadsheet formula injection: key names are user input.
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping]) -> str:
    """CSV text of `rows` with the given (field, header) columns, in that order.

    Numbers are written plain (no thousands separators, no currency sign) so spreadsheets read
    them as numbers; text that could be taken for a formula is prefixed with an apostrophe.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for _field, header in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(field)) for field, _header in columns])
    return buf.getvalue()


def csv_filename(scope: str, selection: RangeSelection, now: datetime) -> str:
    """e.g. usage-top-consumers-30d-20261127.csv"""
    if selection.is_custom and selection.start and selection.end:
        span = f"{selection.start:%Y%m%d}-{selection.end:%Y%m%d}"
    else:
        span = selection.key
    return f"usage-{scope}-{span}-{now.astimezone(timezone.utc):%Y%m%d}.csv"
