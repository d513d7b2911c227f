"""Usage: /settings/usage. Requests, tokens, cost, latency and top consumers over a time range.

The range is in the URL query (?range=30d, or ?range=custom&start=...&end=...). A visit reads it;
picking a range loads in place and records it in the URL (components/usage_parts.RangeStateMixin).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, page_header
from maas_ui.components.shell import shell
from maas_ui.components.usage_parts import (
    RangeStateMixin, chart_card, custom_range_error, metric_cards, num_cell, num_th, performance_card, plot,
    time_range_toolbar,
    window_caption,
)
from maas_ui import usage_view
from maas_ui.domain import usage as u
from maas_ui.domain.usage import RangeSelection
from maas_ui.services import usage as svc
from maas_ui.usage_view import ConsumerRow, MetricCard, ModelRow, consumers_csv

TOP_OPTIONS = ["10", "25", "50", "100", "all"]


FIGURES = ("requests_figure", "users_figure", "groups_figure", "keys_figure", "latency_figure")


def _metrics_href(public_id: str, selection: RangeSelection) -> str:
    return routes.api_key_url(public_id, "metrics", **selection.to_query())


def _page_view(selection: RangeSelection, now: datetime) -> tuple[usage_view.UsagePageView, list[MetricCard]]:
    """The page's figures and the cards with their change against the previous period, in one
    step (the previous period's sums run beside the other queries; a second update would
    re-render the page)."""
    view = usage_view.usage_page_view(selection, now, _metrics_href, compare=True)
    window = selection.window(now)
    cards = usage_view.metric_cards(view.totals, view.previous, usage_view.compare_label(selection, window))
    return view, cards


class UsageState(RangeStateMixin, rx.State):
    has_usage: bool = False
    cards: list[MetricCard] = []
    requests_figure: dict = {}
    users_figure: dict = {}
    groups_figure: dict = {}
    keys_figure: dict = {}
    latency_figure: dict = {}
    consumers: list[ConsumerRow] = []  # the rows the table shows (top N)
    consumer_count: int = 0
    models: list[ModelRow] = []
    user_count: int = 0
    group_count: int = 0
    show_top: str = "10"
    performance: list[usage_view.PerformanceFigure] = []
    live: list[usage_view.PerformanceFigure] = []  # the hour in progress
    live_requests: int = 0
    # Backend only (never sent to the browser): every key's row, for "Show" and the CSV.
    _all_consumers: list[ConsumerRow] = []

    def _range_url(self, selection: RangeSelection) -> str:
        return routes.usage_url(**selection.to_query())

    def _slice(self):
        n = len(self._all_consumers) if self.show_top == "all" else int(self.show_top)
        self.consumers = self._all_consumers[:n]

    @rx.event
    async def load(self):
        """On every visit (first load, reload, back/forward): the range in the URL."""
        async for update in self._show(self._read_range()):
            yield update

    async def _show(self, selection: RangeSelection):
        self.loading = True
        yield  # the page dims now, before the queries run
        now = datetime.now(timezone.utc)
        # Off the event loop: other sessions' events go on while this one's queries run.
        view, cards = await asyncio.to_thread(_page_view, selection, now)
        if self._shown != selection:  # another range was picked meanwhile: its load assigns
            return
        self.window_text, self.bucket_text = view.window_text, view.bucket_text
        self.has_usage = view.has_usage
        self.cards = cards
        # Only changed figures are assigned: an unchanged one keeps its identity in the browser
        # and its chart is not redrawn.
        for name in FIGURES:
            if getattr(self, name) != getattr(view, name):
                setattr(self, name, getattr(view, name))
        self._all_consumers = view.consumers
        self.consumer_count = len(view.consumers)
        self._slice()
        self.models = view.models
        self.user_count, self.group_count = view.user_count, view.group_count
        self.loading = False
        yield
        # Then latency and throughput (histogram sums, outside the covering indexes) and the live hour.
        window = selection.window(now)
        performance, live = await asyncio.to_thread(lambda: (svc.performance(window), svc.current_hour(now)))
        if self._shown != selection:
            return
        self.performance = usage_view.performance_figures(performance)
        self.live, self.live_requests = usage_view.performance_figures(live), live.requests

    @rx.event
    def set_show_top(self, value: str):
        if value in TOP_OPTIONS:
            self.show_top = value
            self._slice()

    @rx.event
    def export_csv(self):
        """Exactly the rows the Top consumers table shows, with its columns and rounding."""
        filename = u.csv_filename("top-consumers", self._shown or RangeSelection(), datetime.now(timezone.utc))
        return rx.download(data=consumers_csv(self.consumers), filename=filename)


# Sections -------------------------------------------------------------------------------------


def _owner_cell(row: rx.Var) -> rx.Component:
    return pf.Td.create(
        row.owner, rx.el.br(), rx.el.small(row.owner_kind, class_name="pf-v6-u-text-color-subtle"),
        data_label="Owner",
    )


def _key_cell(row: rx.Var) -> rx.Component:
    return pf.Td.create(
        rx.cond(
            row.deleted,
            rx.fragment(
                rx.el.span(row.name), " ",
                pf.Label.create("Deleted", is_compact=True, color="grey"),
            ),
            link(row.name, href=row.href, aria_label="Metrics of " + row.name),
        ),
        rx.el.br(),
        rx.el.small(row.public_id, class_name="pf-v6-u-text-color-subtle"),
        data_label="Key",
    )


def _consumer_row(row: rx.Var) -> rx.Component:
    return pf.Tr.create(
        num_cell(row.rank, "Rank"),
        _key_cell(row),
        _owner_cell(row),
        num_cell(row.requests_text, "Requests"),
        num_cell(row.tokens_text, "Tokens"),
        num_cell(row.cost_text, "Cost"),
        num_cell(row.success_rate_text, "Success rate"),
    )


def _top_consumers() -> rx.Component:
    s = UsageState
    show = pf.SimpleSelect.create(
        initial_options=rx.Var.create([
            {"value": v, "content": "All" if v == "all" else f"Top {v}", "selected": s.show_top == v}
            for v in TOP_OPTIONS
        ]),
        toggle_width="120px",
        toggle_props={"id": "usage-top-toggle", "aria-labelledby": "usage-top-label usage-top-toggle"},
        on_select=s.set_show_top,
    )
    return pf.Card.create(
        pf.CardHeader.create(
            pf.CardTitle.create(pf.Title.create("Top consumers", heading_level="h2", size="lg")),
            actions={
                "actions": pf.Flex.create(
                    rx.el.span("Show", id="usage-top-label", class_name="maas-toolbar-label pf-v6-u-align-self-center"),
                    show,
                    pf.Button.create("Export CSV", variant="secondary", icon=pf.icon("DownloadIcon"),
                                     on_click=s.export_csv, is_disabled=s.consumers.length() == 0),
                    gap={"default": "gapSm"},
                    align_items={"default": "alignItemsCenter"},
                ),
                "hasNoOffset": True,
            },
        ),
        pf.CardBody.create(
            pf.Content.create(
                "API keys by tokens used. Showing ", s.consumers.length().to_string(), " of ",
                s.consumer_count.to_string(), " keys with usage. Deleted keys still count.",
                component="small", class_name="maas-card-subtitle pf-v6-u-mb-sm",
            ),
            pf.Table.create(
                pf.Thead.create(pf.Tr.create(
                    num_th("#"), pf.Th.create("Key"), pf.Th.create("Owner"), num_th("Requests"), num_th("Tokens"),
                    num_th("Cost"), num_th("Success rate"),
                )),
                pf.Tbody.create(rx.foreach(s.consumers, _consumer_row)),
                aria_label="Top consumers",
                variant="compact",
            ),
        ),
    )


def _model_row(m: rx.Var) -> rx.Component:
    return pf.Tr.create(
        pf.Td.create(m.name, rx.el.br(), rx.el.small(m.kind, class_name="pf-v6-u-text-color-subtle"),
                     data_label="Asset"),
        num_cell(m.requests_text, "Requests"),
        num_cell(m.avg_latency_text, "Average latency"),
        num_cell(m.max_latency_text, "Max latency"),
        num_cell(m.output_tokens_per_s_text, "Output tokens/s"),
    )


def _latency() -> rx.Component:
    s = UsageState
    return pf.Card.create(
        pf.CardHeader.create(pf.CardTitle.create(pf.Title.create("Latency and throughput", heading_level="h2", size="lg"))),
        pf.CardBody.create(
            pf.Content.create(
                "Average latency per request and the highest hourly peak per model. Output tokens per second of "
                "request time: the generation speed a caller sees.",
                component="small", class_name="maas-card-subtitle",
            ),
            pf.Grid.create(
                pf.GridItem.create(plot(s.latency_figure, "Average and maximum latency per model"), lg=6),
                pf.GridItem.create(
                    pf.Table.create(
                        pf.Thead.create(pf.Tr.create(
                            pf.Th.create("Asset"), num_th("Requests"), num_th("Avg latency"), num_th("Max latency"),
                            num_th("Output tokens/s"),
                        )),
                        pf.Tbody.create(rx.foreach(s.models, _model_row)),
                        aria_label="Latency and throughput per asset",
                        variant="compact",
                    ),
                    lg=6,
                ),
                has_gutter=True,
            ),
        ),
    )


def _breakdowns() -> rx.Component:
    s = UsageState
    return pf.Grid.create(
        pf.GridItem.create(chart_card("Tokens per user", "Top 10 users, keys they own", s.users_figure,
                                      "Tokens per user, top 10"), lg=4),
        pf.GridItem.create(chart_card("Tokens per group", "Members' keys and the group's own keys",
                                      s.groups_figure, "Tokens per group"), lg=4),
        pf.GridItem.create(chart_card("Tokens per key", "Top 10 keys", s.keys_figure, "Tokens per key, top 10"), lg=4),
        has_gutter=True,
    )


def _content() -> rx.Component:
    s = UsageState
    return rx.cond(
        s.has_usage,
        pf.Stack.create(
            pf.StackItem.create(metric_cards(s.cards)),
            rx.cond(s.performance.length() > 0, pf.StackItem.create(performance_card(
                "Latency percentiles and throughput", "Over the selected range", s.performance,
                "Latency percentiles and throughput"))),
            pf.StackItem.create(chart_card("Requests over time", s.bucket_text, s.requests_figure,
                                           "Successful and failed requests over time")),
            pf.StackItem.create(_breakdowns()),
            pf.StackItem.create(_top_consumers()),
            pf.StackItem.create(_latency()),
            has_gutter=True,
        ),
        pf.Card.create(pf.CardBody.create(empty_state(
            "No usage in this time range",
            "No API key made a request in the selected time range. Choose a longer range.",
            icon="ChartLineIcon",
        ))),
    )


def usage_page() -> rx.Component:
    s = UsageState
    return shell(
        page_header("Usage", "Requests, tokens and cost of every API key, from the gateway's hourly usage records."),
        pf.PageSection.create(
            time_range_toolbar(s, "usage"),
            custom_range_error(s),
            window_caption(s),
            class_name="pf-v6-u-pb-0",
        ),
        pf.PageSection.create(
            rx.cond(s.live_requests > 0, rx.el.div(
                performance_card("This hour so far", "Live: requests through the gateway since the hour began",
                                 s.live, "This hour so far"), class_name="pf-v6-u-mb-md")),
            rx.cond(
                s.loading & (s.cards.length() == 0),
                pf.Bullseye.create(pf.Spinner.create(aria_label="Loading usage")),
                rx.el.div(_content(), class_name=rx.cond(s.loading, "maas-loading", "")),
            ),
            aria_label="Usage",
        ),
        active=routes.USAGE,
    )

