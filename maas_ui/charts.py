"""Plotly figures styled to sit in PatternFly 6 (no Reflex import).

Figures are plain dicts in Plotly's JSON schema (what `go.Figure.to_plotly_json()` would give):
building dicts directly costs well under a millisecond, where validating graph objects costs
tens. Colours are PatternFly chart tokens, text is PF's font, the mode bar is hidden, hover
tooltips look like PF tooltips (dark, white text), and the figure fills its card's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from maas_ui.domain.usage import Bucket

# PatternFly 6 chart tokens (@patternfly/react-tokens 6.6.1).
PF_FONT = '"Red Hat Text", "RedHatText", "Noto Sans", Helvetica, Arial, sans-serif'
BLUE = "#0066cc"  # --pf-t--chart--color--blue--200 (first colour of the ordered palette)
GREEN = "#63993d"  # --pf-t--chart--color--green--200
TEAL = "#37a3a3"  # --pf-t--chart--color--teal--200
YELLOW = "#dca614"
ORANGE = "#ca6c0f"
LIGHT_BLUE = "#92c5f9"
DANGER = "#b1380b"  # --pf-t--chart--global--danger--color--100
GRID = "#e0e0e0"  # --pf-t--chart--global--fill--color--200
AXIS = "#c7c7c7"  # --pf-t--chart--global--fill--color--300
TEXT = "#4d4d4d"  # subtle text
LABEL = "#1f1f1f"  # --pf-t--chart--global--label--fill
TOOLTIP_BG = "#1f1f1f"
ORDERED = [BLUE, GREEN, TEAL, YELLOW, ORANGE, LIGHT_BLUE, "#204d00", "#9ad8d8", "#96640f", "#f8ae54"]

# Passed as the component's `config`: no mode bar, no zoom by scrolling, resizes with its card.
CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False, "responsive": True}

# Passed as the component's `template` (replaces Plotly's default look).
TEMPLATE = {
    "layout": {
        "font": {"family": PF_FONT, "size": 14, "color": TEXT},
        "colorway": ORDERED,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"bgcolor": TOOLTIP_BG, "bordercolor": TOOLTIP_BG,
                       "font": {"family": PF_FONT, "size": 14, "color": "#ffffff"}},
    }
}

_HOVER_FORMAT = {Bucket.HOUR: "%b %-d, %H:%M UTC", Bucket.DAY: "24 hours from %b %-d, %H:%M UTC",
                 Bucket.WEEK: "Week from %b %-d, %Y, %H:%M UTC"}
_TICK_FORMAT = {Bucket.HOUR: "%H:%M\n%b %-d", Bucket.DAY: "%b %-d", Bucket.WEEK: "%b %-d\n%Y"}


def _layout(height: int, **extra) -> dict:
    layout = {
        "height": height,
        "autosize": True,
        "margin": {"l": 64, "r": 16, "t": 8, "b": 48},
        "font": {"family": PF_FONT, "size": 14, "color": TEXT},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": TEMPLATE["layout"]["hoverlabel"],
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                   "traceorder": "normal", "font": {"size": 14, "color": LABEL}},
        "dragmode": False,
    }
    layout.update(extra)
    return layout


def _value_axis(title: str | None = None, tickformat: str = "~s") -> dict:
    axis = {"gridcolor": GRID, "zeroline": False, "rangemode": "tozero", "fixedrange": True,
            "tickformat": tickformat, "tickfont": {"size": 12}, "automargin": True, "showline": False}
    if title:
        axis["title"] = {"text": title, "font": {"size": 12}}
    return axis


def _time_axis(bucket: Bucket, start: datetime, end: datetime) -> dict:
    return {"type": "date", "showgrid": False, "linecolor": AXIS, "ticks": "outside", "tickcolor": AXIS,
            "fixedrange": True, "range": [_iso(start), _iso(end)], "tickformat": _TICK_FORMAT[bucket],
            "hoverformat": _HOVER_FORMAT[bucket], "tickfont": {"size": 12}, "automargin": True}


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def _time_bars(name: str, color: str, starts: Sequence[datetime], ends: Sequence[datetime],
               values: Sequence[float], value_format: str) -> dict:
    """Bars that cover exactly their bucket's span (so a partial oldest bucket is narrower)."""
    return {
        "type": "bar", "name": name, "marker": {"color": color, "line": {"width": 0}},
        "x": [_iso(s) for s in starts],
        "width": [(e - s).total_seconds() * 1000 * 0.92 for s, e in zip(starts, ends)],
        "offset": 0,
        "y": list(values),
        "hovertemplate": f"{name}: %{{y:{value_format}}}<extra></extra>",
    }


def stacked_time_bars(
    series: dict[str, Sequence], bucket: Bucket, start: datetime, end: datetime,
    stacks: Sequence[tuple[str, str, str]], *, value_format: str = ",", height: int = 280,
    y_title: str | None = None,
) -> dict:
    """Stacked bars over time; `stacks` are (column, legend name, colour), bottom first."""
    starts, ends = series["bucket_start"], series["bucket_end"]
    if len(starts) == 1:  # "Last 1 hour": one hourly rollup, drawn as one labelled bar, not a time axis
        label = f"{starts[0]:%b %-d, %H:%M}–{ends[0]:%H:%M} UTC"
        data = [{"type": "bar", "name": name, "marker": {"color": color}, "x": [label], "y": list(series[col]),
                 "hovertemplate": f"{name}: %{{y:{value_format}}}<extra></extra>"} for col, name, color in stacks]
        return {
            "data": data,
            "layout": _layout(height, barmode="stack", bargap=0.7, hovermode="x unified",
                              xaxis={"type": "category", "fixedrange": True, "linecolor": AXIS,
                                     "tickfont": {"size": 12}},
                              yaxis=_value_axis(y_title)),
        }
    data = [_time_bars(name, color, starts, ends, series[col], value_format) for col, name, color in stacks]
    return {
        "data": data,
        "layout": _layout(height, barmode="stack", bargap=0, hovermode="x unified",
                          xaxis=_time_axis(bucket, start, end), yaxis=_value_axis(y_title)),
    }


def requests_figure(series: dict[str, Sequence], bucket: Bucket, start: datetime, end: datetime) -> dict:
    """Total requests per bucket: successes (blue) under errors (PF danger colour), and the throttled
    ones (over a limit: let through under a soft limit, refused under a hard one) as a line."""
    fig = stacked_time_bars(series, bucket, start, end,
                            [("successes", "Successful", BLUE), ("errors", "Errors", DANGER)])
    if "throttled" in series:
        starts, ends = series["bucket_start"], series["bucket_end"]
        if len(starts) == 1:
            x = fig["data"][0]["x"]
        else:  # the middle of each bucket's bar
            x = [_iso(s + (e - s) * 0.46) for s, e in zip(starts, ends)]
        fig["data"].append({
            "type": "scatter", "mode": "lines+markers", "name": "Throttled", "x": x,
            "y": list(series["throttled"]), "line": {"color": ORANGE, "width": 2}, "marker": {"size": 5},
            "hovertemplate": "Throttled: %{y:,}<extra></extra>",
        })
    return fig


def tokens_figure(series: dict[str, Sequence], bucket: Bucket, start: datetime, end: datetime) -> dict:
    return stacked_time_bars(series, bucket, start, end,
                             [("input_tokens", "Input tokens", BLUE), ("output_tokens", "Output tokens", TEAL)])


def ranking_figure(labels: Sequence[str], values: Sequence[float], *, name: str, color: str = BLUE,
                   value_format: str = ",", hover_extra: Sequence[str] | None = None) -> dict:
    """Horizontal bars, largest on top (e.g. tokens per user)."""
    labels, values = list(labels)[::-1], list(values)[::-1]
    trace = {
        "type": "bar", "orientation": "h", "name": name, "y": labels, "x": values,
        "marker": {"color": color}, "cliponaxis": False,
        "hovertemplate": f"%{{y}}<br>{name}: %{{x:{value_format}}}" + ("<br>%{customdata}" if hover_extra else "")
        + "<extra></extra>",
    }
    if hover_extra:
        trace["customdata"] = list(hover_extra)[::-1]
    height = max(120, 32 * len(labels) + 56)
    return {
        "data": [trace],
        "layout": _layout(height, bargap=0.35, hovermode="closest", showlegend=False,
                          margin={"l": 8, "r": 24, "t": 8, "b": 32},
                          xaxis=_value_axis(), yaxis={"automargin": True, "fixedrange": True, "ticks": "",
                                                      "tickfont": {"size": 12, "color": LABEL}}),
    }


def latency_figure(models: Sequence[str], avg_ms: Sequence[float], max_ms: Sequence[float]) -> dict:
    """Average and maximum latency per model, grouped horizontal bars."""
    models = list(models)[::-1]
    data = [  # in a horizontal group the first trace is drawn lowest: Max first puts Average on top
        {"type": "bar", "orientation": "h", "name": "Max (hourly peak)", "y": models, "x": list(max_ms)[::-1],
         "marker": {"color": LIGHT_BLUE}, "hovertemplate": "%{y}<br>Max: %{x:,.0f} ms<extra></extra>",
         "legendrank": 2},
        {"type": "bar", "orientation": "h", "name": "Average", "y": models, "x": list(avg_ms)[::-1],
         "marker": {"color": BLUE}, "hovertemplate": "%{y}<br>Average: %{x:,.0f} ms<extra></extra>",
         "legendrank": 1},
    ]
    height = max(160, 44 * len(models) + 72)
    return {
        "data": data,
        "layout": _layout(height, barmode="group", bargap=0.3, bargroupgap=0.05, hovermode="closest",
                          margin={"l": 8, "r": 24, "t": 8, "b": 40},
                          xaxis=_value_axis("Latency (ms)", tickformat=",.0f"),
                          yaxis={"automargin": True, "fixedrange": True, "tickfont": {"size": 12, "color": LABEL}}),
    }
