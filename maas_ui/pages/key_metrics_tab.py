"""The content of an API key's "Metrics" tab: cards, requests and tokens charts, usage per model.

Self-contained so the key details page can plug it in: `metrics_tab()` renders it and
`KeyMetricsState.load` (an event handler reading the route arg `key_id` and the `range` query)
fills it; the details page runs it whenever it shows this tab (listed in pages/key_tabs.py).

The time range lives in the URL (…/metrics?range=7d, or ?range=custom&start=…&end=…): a visit
reads it; picking a range loads the figures in place and records it in the URL without a navigation,
so the key's details are not reloaded (components/usage_parts.RangeStateMixin).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from urllib.parse import quote

import reflex as rx

from maas_ui import pf, routes, usage_view
from maas_ui.components.common import empty_state
from maas_ui.components.usage_parts import (
    RangeStateMixin, chart_card, custom_range_error, external_link, metric_cards, num_cell, num_th,
    performance_card, time_range_toolbar, window_caption,
)
from maas_ui.domain.usage import RangeSelection
from maas_ui.services import usage as svc
from maas_ui.settings import perses_dashboard_url_template
from maas_ui.usage_view import MetricCard, ModelRow, PerformanceFigure


def perses_url(public_id: str) -> str:
    return perses_dashboard_url_template().replace("{key_id}", quote(public_id, safe=""))


class KeyMetricsState(RangeStateMixin, rx.State):
    found: bool = False
    has_usage: bool = False
    loaded_key: str = ""
    cards: list[MetricCard] = []
    requests_figure: dict = {}
    tokens_figure: dict = {}
    models: list[ModelRow] = []
    dashboard_url: str = ""
    performance: list[PerformanceFigure] = []
    live: list[PerformanceFigure] = []  # the hour in progress (the ranges end at the last complete hour)
    live_requests: int = 0

    def _public_id(self) -> str:
        return getattr(self, "key_id", "") or ""  # the route argument, a var of the root state

    def _range_url(self, selection: RangeSelection) -> str:
        return routes.api_key_url(self._public_id(), "metrics", **selection.to_query())

    @rx.event
    async def load(self):
        """On every visit of the tab (the details page runs it): the key and range in the URL."""
        async for update in self._show(self._read_range()):
            yield update

    async def _show(self, selection: RangeSelection):
        public_id = self._public_id()
        if public_id != self.loaded_key:  # never show another key's figures while loading
            self.cards, self.models, self.has_usage = [], [], False
            self.requests_figure, self.tokens_figure = {}, {}
        self.loading = True
        yield  # the tab dims now, before the queries run
        # Off the event loop: other sessions' events go on while this one's queries run.
        key, view = await asyncio.to_thread(_key_view, public_id, selection, datetime.now(timezone.utc))
        self.loaded_key = public_id
        self.dashboard_url = perses_url(public_id)
        if key is None:
            self.found, self.loading = False, False
            return
        self.found = True
        self.window_text, self.bucket_text = view.window_text, view.bucket_text
        self.has_usage = view.has_usage
        self.cards = view.cards
        # Only changed figures are assigned, so an unchanged chart is not redrawn.
        if self.requests_figure != view.requests_figure:
            self.requests_figure = view.requests_figure
        if self.tokens_figure != view.tokens_figure:
            self.tokens_figure = view.tokens_figure
        self.models = view.models
        self.loading = False
        yield
        # Then latency and throughput (histogram sums) and the hour in progress.
        now = datetime.now(timezone.utc)
        performance, live = await asyncio.to_thread(
            lambda: (svc.performance(selection.window(now), key.id), svc.current_hour(now, key.id)))
        if self.loaded_key != public_id:
            return
        self.performance = usage_view.performance_figures(performance)
        self.live, self.live_requests = usage_view.performance_figures(live), live.requests


def _key_view(public_id: str, selection: RangeSelection, now: datetime):
    key = svc.find_key(public_id) if public_id else None
    if key is None:
        return None, None
    return key, usage_view.key_metrics_view(key.id, selection, now)


def _model_row(m: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(m.name, rx.el.br(), rx.el.small(m.kind, class_name="pf-v6-u-text-color-subtle"),
                     data_label="Model"),
        num_cell(m.requests_text, "Requests"),
        num_cell(m.success_rate_text, "Success rate"),
        num_cell(m.tokens_text, "Tokens"),
        num_cell(m.cost_text, "Cost"),
        num_cell(m.avg_latency_text, "Average latency"),
    )


def _models_card() -> rx.Component:
    s = KeyMetricsState
    return pf.Card.create(
        pf.CardHeader.create(pf.CardTitle.create(pf.Title.create("Usage by model", heading_level="h2", size="lg"))),
        pf.CardBody.create(
            pf.Table.create(
                pf.Thead.create(pf.Tr.create(
                    pf.Th.create("Model or asset"), num_th("Requests"), num_th("Success rate"), num_th("Tokens"),
                    num_th("Cost"), num_th("Avg latency"),
                )),
                pf.Tbody.create(rx.foreach(s.models, _model_row)),
                aria_label="Usage by model",
                variant="compact",
            ),
        ),
    )


def _content() -> rx.Component:
    s = KeyMetricsState
    return rx.cond(
        s.has_usage,
        pf.Stack.create(
            pf.StackItem.create(metric_cards(s.cards)),
            pf.StackItem.create(performance_card("Latency percentiles and throughput", "Over the selected range",
                                                 s.performance, "Latency percentiles and throughput")),
            pf.StackItem.create(chart_card("Total requests", s.bucket_text, s.requests_figure,
                                           "Successful and failed requests over time")),
            pf.StackItem.create(chart_card("Tokens", s.bucket_text, s.tokens_figure,
                                           "Input and output tokens over time")),
            pf.StackItem.create(_models_card()),
            has_gutter=True,
        ),
        pf.Card.create(pf.CardBody.create(empty_state(
            "No usage in this time range",
            "This API key made no requests in the selected time range. Requests appear here once the hour "
            "they were made in is complete.",
            icon="ChartLineIcon",
        ))),
    )


def live_card(s) -> rx.Component:
    return performance_card("This hour so far", "Live: requests through the gateway since the hour began",
                            s.live, "This hour so far")


def metrics_tab() -> rx.Component:
    s = KeyMetricsState
    return pf.Stack.create(
        pf.StackItem.create(
            time_range_toolbar(s, "metrics", external_link("View Perses dashboard", s.dashboard_url)),
            custom_range_error(s),
            window_caption(s),
        ),
        rx.cond(s.live_requests > 0, pf.StackItem.create(live_card(s))),
        pf.StackItem.create(
            rx.cond(
                s.loading & (s.cards.length() == 0),
                pf.Bullseye.create(pf.Spinner.create(aria_label="Loading metrics")),
                rx.el.div(_content(), class_name=rx.cond(s.loading, "maas-loading", "")),
            )
        ),
        has_gutter=True,
    )

