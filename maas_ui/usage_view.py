"""What the usage screens show: cards, table rows, figures and CSV, built from services.usage
results. No Reflex: the page states assign these plain values, benchmarks and tests call them."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd

from maas_ui import charts
from maas_ui.domain import usage as u
from maas_ui.domain.usage import RangeSelection, TimeWindow, Totals
from maas_ui.services import usage as svc

TOP_KEYS_IN_CHART = 10
TOP_USERS_IN_CHART = 10


def _num(value) -> float | None:
    """A plain float, or None for None/NaN (pandas turns missing values into NaN)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# Cards ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricCard:
    id: str  # requests | success_rate | tokens | cost
    title: str
    value: str  # the headline, e.g. "1.2M" or "98.2%"
    exact: str  # the precise figure, e.g. "1,234,567 requests"
    detail: str  # a second line, e.g. "Input 1.2M · Output 310K"
    change: str  # "+12.3%", "-1.1 pts", "No change", "New", "No data"; "" while not computed
    direction: str  # up | down | flat | new | none | pending
    tone: str  # neutral | success | danger (success rate only; volumes are not good or bad)
    compare_label: str  # "vs previous 30 days"


def compare_label(selection: RangeSelection, window: TimeWindow) -> str:
    if not selection.is_custom:
        return {"1h": "vs previous hour", "24h": "vs previous 24 hours", "7d": "vs previous 7 days",
                "30d": "vs previous 30 days", "1y": "vs previous year"}.get(selection.key, "vs previous period")
    days = window.hours / 24
    if days.is_integer():
        return f"vs previous {int(days)} day" + ("s" if days != 1 else "")
    return f"vs previous {window.hours} hours"


def metric_cards(totals: Totals, previous: Totals | None, label: str) -> list[MetricCard]:
    """The four cards; `previous` None means the comparison is still being computed."""

    def change(current, before, *, rate: bool = False) -> tuple[str, str, str]:
        if previous is None:
            return "", "pending", "neutral"
        c = u.rate_change(current, before) if rate else u.percent_change(current, before)
        tone = "neutral"
        if rate and c.direction in ("up", "down"):
            tone = "success" if c.direction == "up" else "danger"
        return c.text, c.direction, tone

    p = previous or Totals()
    rate = totals.success_rate
    cards = [
        MetricCard("requests", "Total requests", u.format_compact(totals.requests),
                   f"{u.format_int(totals.requests)} requests",
                   f"{u.format_int(totals.errors)} errors", *change(totals.requests, p.requests), label),
        MetricCard("success_rate", "Success rate", u.format_percent(rate),
                   f"{u.format_int(totals.successes)} of {u.format_int(totals.requests)} requests succeeded"
                   if totals.requests else "No requests",
                   f"{u.format_int(totals.successes)} successful", *change(rate, p.success_rate, rate=True), label),
        MetricCard("tokens", "Total tokens", u.format_compact(totals.tokens), f"{u.format_int(totals.tokens)} tokens",
                   f"Input {u.format_compact(totals.input_tokens)} · Output {u.format_compact(totals.output_tokens)}",
                   *change(totals.tokens, p.tokens), label),
        MetricCard("cost", "Total cost", u.format_usd(totals.cost_usd), f"{totals.cost_usd:,.4f} USD",
                   "From each model's price per 1M tokens", *change(totals.cost_usd, p.cost_usd), label),
    ]
    return cards


@dataclass(frozen=True)
class PerformanceFigure:
    label: str
    value: str
    detail: str


def performance_figures(p: svc.Performance) -> list[PerformanceFigure]:
    """Median and p95 latency (from the latency histograms), output tokens per second, throttled."""
    from maas_ui.domain import latency

    hist = list(p.histogram) or latency.empty()
    max_ms = p.latency_ms_max or None
    p50, p95 = latency.quantile(hist, 0.5, max_ms), latency.quantile(hist, 0.95, max_ms)
    tps = u.tokens_per_second(p.output_tokens, p.latency_ms_sum)
    return [
        PerformanceFigure("Median latency (p50)", u.format_ms(p50), f"{u.format_int(sum(hist))} requests timed"),
        PerformanceFigure("p95 latency", u.format_ms(p95), f"Slowest {u.format_ms(max_ms)}"),
        PerformanceFigure("Output tokens per second", u.format_rate_per_s(tps),
                          f"{u.format_int(p.output_tokens)} output tokens"),
        PerformanceFigure("Throttled requests", u.format_int(p.throttled),
                          f"of {u.format_int(p.requests)} requests, over a limit"),
    ]


# Rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRow:
    asset_id: int
    name: str
    kind: str  # Model | MCP server | Vector database | Agent
    requests: int
    requests_text: str
    success_rate: float | None
    success_rate_text: str
    input_tokens: int
    output_tokens: int
    tokens: int
    tokens_text: str
    cost_usd: float
    cost_text: str
    avg_latency_ms: float | None
    avg_latency_text: str
    max_latency_ms: float
    max_latency_text: str
    output_tokens_per_s: float | None
    output_tokens_per_s_text: str


def model_rows(df: pd.DataFrame) -> list[ModelRow]:
    rows = []
    for r in df.itertuples(index=False):
        avg, tps = _num(r.avg_latency_ms), _num(r.output_tokens_per_s)
        rate = _num(r.success_rate)
        rows.append(ModelRow(
            asset_id=int(r.asset_id), name=str(r.name), kind=str(r.kind_label), requests=int(r.requests),
            requests_text=u.format_int(r.requests), success_rate=u.shown_percent(rate),
            success_rate_text=u.format_percent(rate), input_tokens=int(r.input_tokens),
            output_tokens=int(r.output_tokens), tokens=int(r.tokens), tokens_text=u.format_int(r.tokens),
            cost_usd=round(float(r.cost_usd), 2), cost_text=u.format_usd(float(r.cost_usd)),
            avg_latency_ms=None if avg is None else round(avg, 1), avg_latency_text=u.format_ms(avg),
            max_latency_ms=float(r.latency_ms_max), max_latency_text=u.format_ms(float(r.latency_ms_max)),
            output_tokens_per_s=None if tps is None else round(tps, 1), output_tokens_per_s_text=u.format_rate_per_s(tps),
        ))
    return rows


@dataclass(frozen=True)
class ConsumerRow:
    rank: int
    public_id: str
    name: str
    deleted: bool
    href: str  # the key's Metrics tab for the same range; "" for a deleted key (no page to show)
    owner: str
    owner_kind: str
    requests: int
    requests_text: str
    tokens: int
    tokens_text: str
    cost_usd: float
    cost_text: str
    success_rate: float | None
    success_rate_text: str


CONSUMER_CSV_COLUMNS = [
    ("rank", "Rank"), ("name", "Key"), ("public_id", "Key ID"), ("deleted", "Deleted"), ("owner", "Owner"),
    ("owner_kind", "Owner type"), ("requests", "Requests"), ("tokens", "Tokens"), ("cost_usd", "Cost (USD)"),
    ("success_rate", "Success rate (%)"),
]


def consumer_rows(df: pd.DataFrame, metrics_href: Callable[[str], str]) -> list[ConsumerRow]:
    rows = []
    for rank, r in enumerate(df.itertuples(index=False), start=1):
        rate = _num(r.success_rate)
        deleted = bool(r.deleted)
        rows.append(ConsumerRow(
            rank=rank, public_id=str(r.public_id), name=str(r.name), deleted=deleted,
            href="" if deleted else metrics_href(str(r.public_id)), owner=str(r.owner or "—"),
            owner_kind=str(r.owner_kind_label), requests=int(r.requests), requests_text=u.format_int(r.requests),
            tokens=int(r.tokens), tokens_text=u.format_int(r.tokens), cost_usd=round(float(r.cost_usd), 4),
            cost_text=u.format_usd(float(r.cost_usd)), success_rate=u.shown_percent(rate),
            success_rate_text=u.format_percent(rate),
        ))
    return rows


def consumers_csv(rows: list[ConsumerRow]) -> str:
    """CSV of exactly these rows (the table's), with the table's columns and rounding."""
    return u.to_csv(CONSUMER_CSV_COLUMNS, [asdict(r) for r in rows])


# Whole screens -------------------------------------------------------------------------------


def window_text(window: TimeWindow) -> str:
    fmt = "%b %-d, %Y %H:%M"
    return f"{window.start:{fmt}} – {window.end:{fmt}} UTC"


def _series_columns(df: pd.DataFrame) -> dict[str, list]:
    return {c: df[c].tolist() for c in df.columns}


@dataclass
class KeyMetricsView:
    has_usage: bool
    range_label: str
    window_text: str
    bucket_text: str
    cards: list[MetricCard]
    requests_figure: dict
    tokens_figure: dict
    models: list[ModelRow]


def key_metrics_view(key_id: int, selection: RangeSelection, now: datetime, url: str | None = None) -> KeyMetricsView:
    window = selection.window(now)
    data = svc.key_usage(key_id, window, url)
    cols = _series_columns(data.series)
    return KeyMetricsView(
        has_usage=data.has_usage,
        range_label=selection.label,
        window_text=window_text(window),
        bucket_text=u.bucket_description(window),
        cards=metric_cards(data.totals, data.previous, compare_label(selection, window)),
        requests_figure=charts.requests_figure(cols, window.bucket, window.start, window.end),
        tokens_figure=charts.tokens_figure(cols, window.bucket, window.start, window.end),
        models=model_rows(data.by_asset),
    )


def _key_labels(keys: pd.DataFrame) -> list[str]:
    """Chart labels of keys: names are unique per owner only, and Plotly merges equal categories."""
    names = [str(n) for n in keys.get("name", [])]
    labels = []
    for name, public_id, deleted in zip(names, keys.get("public_id", []), keys.get("deleted", [])):
        label = f"{name} ({public_id})" if names.count(name) > 1 else name
        labels.append(label + (" · deleted" if deleted else ""))
    return labels


@dataclass
class UsagePageView:
    has_usage: bool
    range_label: str
    window_text: str
    bucket_text: str
    totals: Totals
    previous: Totals | None  # None unless asked for (compare=True)
    cards: list[MetricCard]  # comparisons pending: see with_comparison
    requests_figure: dict
    users_figure: dict
    groups_figure: dict
    keys_figure: dict
    latency_figure: dict
    consumers: list[ConsumerRow]  # every key with usage, most tokens first
    models: list[ModelRow]
    user_count: int
    group_count: int


def usage_page_view(selection: RangeSelection, now: datetime, metrics_href: Callable[[str, RangeSelection], str],
                    url: str | None = None, *, compare: bool = False) -> UsagePageView:
    """With `compare`, `previous` holds the previous period's sums (queried beside the others)."""
    window = selection.window(now)
    ov = svc.usage_overview(window, url, compare=compare)
    cols = _series_columns(ov.series)
    users, groups, keys = ov.by_user, ov.by_group, ov.by_key
    top_users = users.head(TOP_USERS_IN_CHART)
    top_keys = keys.head(TOP_KEYS_IN_CHART)
    models = ov.by_asset[ov.by_asset["requests"] > 0]
    latency_models = models[models["kind"] == "model"] if len(models) else models
    return UsagePageView(
        has_usage=ov.has_usage,
        range_label=selection.label,
        window_text=window_text(window),
        bucket_text=u.bucket_description(window),
        totals=ov.totals,
        previous=ov.previous,
        cards=metric_cards(ov.totals, ov.previous, compare_label(selection, window)),
        requests_figure=charts.requests_figure(cols, window.bucket, window.start, window.end),
        users_figure=charts.ranking_figure(
            [f"{n} ({f})" if f else str(n) for n, f in zip(top_users.get("username", []), top_users.get("full_name", []))],
            top_users.get("tokens", []), name="Tokens"),
        groups_figure=charts.ranking_figure(list(groups.get("name", [])), groups.get("tokens", []), name="Tokens",
                                            color=charts.TEAL),
        keys_figure=charts.ranking_figure(
            _key_labels(top_keys), top_keys.get("tokens", []), name="Tokens", color=charts.GREEN,
            hover_extra=[f"Owner: {o}" for o in top_keys.get("owner", [])]),
        latency_figure=charts.latency_figure(list(latency_models.get("name", [])),
                                             [_num(v) or 0 for v in latency_models.get("avg_latency_ms", [])],
                                             list(latency_models.get("latency_ms_max", []))),
        consumers=consumer_rows(keys, lambda public_id: metrics_href(public_id, selection)),
        models=model_rows(models),
        user_count=len(users),
        group_count=len(groups),
    )

