"""Quota periods: when a budget's or token quota's count starts over.

A renewal rule is monthly on a given day, weekly on a given weekday, or a fixed date range, in a
time zone. `current_period(rule, now)` says when the period holding `now` started, when it ends
and the day it renews on; counters keyed by the period's start start over at renewal by
construction (a new start is a new counter). Alert thresholds (80/90/100 %) are crossed once per
period.

Pure logic: no database, no Reflex.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MONTHLY = "monthly"
WEEKLY = "weekly"
FIXED = "fixed"
RENEWAL_KINDS = (MONTHLY, WEEKLY, FIXED)
RENEWAL_LABELS = {MONTHLY: "Monthly", WEEKLY: "Weekly", FIXED: "Fixed date range"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_TIMEZONE = "UTC"
ALERT_THRESHOLDS = (80, 90, 100)  # percent of a budget or quota


def valid_timezone(name: str) -> bool:
    if not name or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def timezone_names() -> list[str]:
    """Every IANA zone the system knows, UTC first."""
    return ["UTC", *sorted(z for z in available_timezones() if z != "UTC" and "/" in z)]


@dataclass(frozen=True)
class RenewalRule:
    """When a quota starts over. `day`: monthly, the day of the month (1-31; a short month renews on
    its last day). `weekday`: weekly, 0 = Monday. `start`/`end`: a fixed range, both days included."""

    kind: str = MONTHLY
    day: int = 1
    weekday: int = 0
    start: date | None = None
    end: date | None = None
    timezone: str = DEFAULT_TIMEZONE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone if valid_timezone(self.timezone) else DEFAULT_TIMEZONE)

    @property
    def label(self) -> str:
        """'Monthly on day 15 (Europe/Paris)', 'Weekly on Monday (UTC)', '1 Jul 2026 to 30 Sep 2026 (UTC)'."""
        if self.kind == WEEKLY:
            text = f"Weekly on {WEEKDAYS[self.weekday % 7]}"
        elif self.kind == FIXED:
            text = f"{_day_label(self.start)} to {_day_label(self.end)}" if self.start and self.end else "Fixed range"
        else:
            text = f"Monthly on day {self.day}"
        return f"{text} ({self.timezone})"


CALENDAR_MONTH = RenewalRule()  # the default: the 1st of each month, UTC


def _day_label(d: date | None) -> str:
    return f"{d.day} {d.strftime('%b %Y')}" if d else ""


def validate_rule(kind: str, day: str, weekday: str, start: str, end: str, tz: str) -> dict[str, str]:
    """Field -> message for a renewal rule as typed (empty: valid). Fields: renewal_kind, renewal_day,
    renewal_weekday, renewal_start, renewal_end, renewal_timezone."""
    errors: dict[str, str] = {}
    if kind not in RENEWAL_KINDS:
        errors["renewal_kind"] = "Choose monthly, weekly or a fixed date range."
    elif kind == MONTHLY:
        if not (day.strip().isdigit() and 1 <= int(day) <= 31):
            errors["renewal_day"] = "Enter a day of the month from 1 to 31."
    elif kind == WEEKLY:
        if not (weekday.strip().isdigit() and 0 <= int(weekday) <= 6):
            errors["renewal_weekday"] = "Choose a weekday."
    else:
        first, last = parse_day(start), parse_day(end)
        if first is None:
            errors["renewal_start"] = "Enter the first day as YYYY-MM-DD."
        if last is None:
            errors["renewal_end"] = "Enter the last day as YYYY-MM-DD."
        if first and last and last < first:
            errors["renewal_end"] = "The last day comes before the first day."
    if not valid_timezone(tz):
        errors["renewal_timezone"] = f"\u201c{tz}\u201d is not a time zone: choose one such as UTC or Europe/Paris."
    return errors


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Period:
    """The period holding a moment. `end` is exclusive; `renews_on` is the local day the count starts
    over (None for a fixed range, which does not renew). `started` is False before a fixed range
    begins, `ended` True after it."""

    start: datetime  # UTC
    end: datetime  # UTC, exclusive
    renews_on: date | None
    started: bool = True
    ended: bool = False

    @property
    def key(self) -> str:
        """Names the period in counter ids and alert rows: a new period is a new counter."""
        return self.start.astimezone(timezone.utc).strftime("%Y%m%dT%H%M")

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _midnight(d: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=zone).astimezone(timezone.utc)


def _month_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def current_period(rule: RenewalRule, now: datetime) -> Period:
    """The period of `rule` that holds `now` (an aware datetime)."""
    zone = rule.zone
    local = now.astimezone(zone).date()
    if rule.kind == WEEKLY:
        back = (local.weekday() - rule.weekday) % 7
        first = local - timedelta(days=back)
        nxt = first + timedelta(days=7)
        return Period(_midnight(first, zone), _midnight(nxt, zone), nxt)
    if rule.kind == FIXED and rule.start and rule.end:
        start, end = _midnight(rule.start, zone), _midnight(rule.end + timedelta(days=1), zone)
        return Period(start, end, None, started=now >= start, ended=now >= end)
    day = max(1, min(rule.day, 31))
    this_month = _month_day(local.year, local.month, day)
    if local >= this_month:
        first = this_month
        y, m = _add_months(local.year, local.month, 1)
    else:
        y0, m0 = _add_months(local.year, local.month, -1)
        first = _month_day(y0, m0, day)
        y, m = local.year, local.month
    nxt = _month_day(y, m, day)
    return Period(_midnight(first, zone), _midnight(nxt, zone), nxt)


def percent_used(consumed: float, amount: float | None) -> float:
    return 0.0 if not amount else 100.0 * consumed / amount


def thresholds_reached(consumed: float, amount: float | None) -> tuple[int, ...]:
    """The alert thresholds (ALERT_THRESHOLDS) that consumption has reached."""
    used = percent_used(consumed, amount)
    return tuple(t for t in ALERT_THRESHOLDS if amount and used >= t)


def days_label(d: date | None) -> str:
    return _day_label(d)
