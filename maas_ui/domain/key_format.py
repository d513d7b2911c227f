"""Display strings for API keys: relative and exact times, owner kinds, limits, sizes. Pure functions."""

from __future__ import annotations

from datetime import datetime, timezone

from maas_ui.domain.assets import ASSET_KIND_DEFS

OWNER_KIND_LABELS = {"user": "User", "group": "Group", "service_account": "Service account"}
# From the one table of asset kinds (domain.assets); a key's sections title MCP servers with their tools.
ASSET_KIND_LABELS = {d.kind: d.label + (" & tools" if d.has_tools else "") for d in ASSET_KIND_DEFS}
ASSET_KINDS = list(ASSET_KIND_LABELS)  # display order everywhere


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


def relative_time(dt: datetime | None, now: datetime, never: str = "Never") -> str:
    """'just now', '5 minutes ago', '3 hours ago', 'yesterday', '12 days ago', '4 months ago', '2 years ago'."""
    if dt is None:
        return never
    seconds = (_aware(now) - _aware(dt)).total_seconds()
    if seconds < 0:
        return "just now" if seconds > -60 else "in the future"
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = int(minutes // 60)
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = int(hours // 24)
    if days == 1:
        return "yesterday"
    if days < 31:
        return f"{days} days ago"
    months = int(days // 30.44)
    if months < 12:
        return f"{max(months, 1)} month{'s' if months > 1 else ''} ago"
    years = int(days // 365.25)
    return f"{max(years, 1)} year{'s' if years > 1 else ''} ago"


def exact_time(dt: datetime | None, empty: str = "") -> str:
    """'26 Nov 2026, 23:37 UTC'."""
    if dt is None:
        return empty
    return _aware(dt).astimezone(timezone.utc).strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def exact_date(dt: datetime | None, empty: str = "") -> str:
    """'26 Nov 2026'."""
    if dt is None:
        return empty
    return _aware(dt).astimezone(timezone.utc).strftime("%d %b %Y").lstrip("0")


def owner_kind_label(kind: str) -> str:
    return OWNER_KIND_LABELS.get(kind, kind)


def per_minute(value: int | None, unit: str) -> str:
    return "No limit" if value is None else f"{value:,} {unit} per minute"


def budget(value: float | None) -> str:
    if value is None:
        return "No limit"
    return f"${value:,.2f}" if value != int(value) else f"${int(value):,}"


def size(num_bytes: int | None) -> str:
    """Decimal units, as storage vendors show them: '18.4 GB'."""
    if num_bytes is None:
        return "Unknown"
    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} PB"  # pragma: no cover


def summarize_names(names: list[str], shown: int = 3) -> tuple[list[str], int]:
    """The first `shown` names and how many more there are (for '+N more')."""
    return names[:shown], max(0, len(names) - shown)
