"""Pieces shared by the Usage page and the API key Metrics tab: the time range control (whose
value lives in the URL query), metric cards, chart cards and small table helpers."""

from __future__ import annotations

import json
from urllib.parse import urlsplit
from datetime import date, datetime, timedelta, timezone

import reflex as rx

from maas_ui import pf
from maas_ui.components.chart import plot
from maas_ui.domain import usage as u
from maas_ui.domain.usage import RangeSelection


class RangeStateMixin(rx.State, mixin=True):
    """The time range of a usage screen. The URL query is the source of truth: a visit reads it
    (so reload, back and shared links show the same view); picking a range loads the new figures
    in place and records the range in the URL without a navigation, so nothing else of the page
    reloads.

    Pages implement `_range_url` and `_show(selection)`, an async generator that loads and
    assigns the figures (yielding to send the loading state first)."""

    range_key: str = u.DEFAULT_RANGE  # what the control shows: a preset key or "custom"
    custom_start: str = ""  # YYYY-MM-DD, as typed in the date pickers
    custom_end: str = ""
    custom_error: str = ""
    range_label: str = ""  # of the range the figures are for
    window_text: str = ""
    bucket_text: str = ""
    loading: bool = True
    # Backend only: the selection whose figures are shown.
    _shown: RangeSelection | None = None

    def _range_url(self, selection: RangeSelection) -> str:  # pragma: no cover - each page defines it
        raise NotImplementedError

    async def _show(self, selection: RangeSelection):  # pragma: no cover - each page defines it
        raise NotImplementedError
        yield

    def _read_range(self) -> RangeSelection:
        """The selection in the current URL; an unusable custom range keeps its dates, with a message."""
        request = u.read_range(dict(self.router.url.query_parameters), _today())
        self._set_shown(request.selection)
        if request.custom:
            self.range_key = u.CUSTOM
            self.custom_start, self.custom_end = request.start_text, request.end_text
        else:
            self.range_key = request.selection.key
            self.custom_start = self.custom_end = ""  # nothing typed earlier comes back on a later visit
        self.custom_error = request.error
        return request.selection

    def _set_shown(self, selection: RangeSelection) -> None:
        self._shown = selection
        self.range_label = u.CUSTOM_LABEL if selection.is_custom else selection.label

    def _push_url(self, selection: RangeSelection):
        """Record the range in the address bar (a history entry) without a navigation."""
        url = json.dumps(self._range_url(selection))
        return rx.call_script(
            "window.history.pushState({...(window.history.state ?? {}), "
            "idx: (window.history.state?.idx ?? 0) + 1, key: Math.random().toString(36).slice(2, 10)}, "
            f"'', {url})"
        )

    async def _switch_to(self, selection: RangeSelection):
        self._set_shown(selection)
        yield self._push_url(selection)
        async for update in self._show(selection):
            yield update

    @rx.event
    async def url_changed(self, path: str):
        """Back/forward between ranges this page recorded (the router does not see those entries):
        show the URL's range, if the page is still this one and shows another range."""
        if path.rstrip("/") != urlsplit(self._range_url(RangeSelection())).path.rstrip("/"):
            return  # another page: its own load runs
        request = u.read_range(dict(self.router.url.query_parameters), _today())
        if request.selection == self._shown and not request.error:
            return
        async for update in self._show(self._read_range()):
            yield update

    @rx.event
    async def select_range(self, value: str):
        if value == u.CUSTOM:
            today = _today()
            self.range_key = u.CUSTOM
            self.custom_start = self.custom_start or (today - timedelta(days=6)).isoformat()
            self.custom_end = self.custom_end or today.isoformat()
            async for update in self._apply_custom():
                yield update
        elif value in u.PRESETS_BY_KEY:
            self.range_key, self.custom_error = value, ""
            self.custom_start = self.custom_end = ""
            async for update in self._switch_to(RangeSelection(value)):
                yield update

    async def _apply_custom(self):
        query = {u.Q_RANGE: u.CUSTOM, u.Q_START: self.custom_start.strip(), u.Q_END: self.custom_end.strip()}
        request = u.read_range(query, _today(), fallback=self._shown)
        self.custom_error = request.error
        if request.error or request.selection == self._shown:
            return
        async for update in self._switch_to(request.selection):
            yield update

    @rx.event
    async def set_custom_start(self, value: str):
        self.custom_start = value or ""
        async for update in self._custom_changed(self.custom_start):
            yield update

    @rx.event
    async def set_custom_end(self, value: str):
        self.custom_end = value or ""
        async for update in self._custom_changed(self.custom_end):
            yield update

    async def _custom_changed(self, value: str):
        # A date being typed (not yet 10 characters) is not judged until it is complete or the
        # field loses focus; an emptied field is told at once.
        if value and len(value.strip()) < 10:
            self.custom_error = ""
            return
        async for update in self._apply_custom():
            yield update

    @rx.event
    async def check_custom(self, _value: str = ""):
        """Leaving a date field: judge whatever it holds, partial dates included."""
        async for update in self._apply_custom():
            yield update


def _today() -> date:
    return datetime.now(timezone.utc).date()


def range_options(selected: rx.Var[str]) -> rx.Var:
    """SimpleSelect options with the selected one marked (PF syncs its selection from these)."""
    return rx.Var.create([
        {"value": value, "content": label, "selected": selected == value} for value, label in u.RANGE_OPTIONS
    ])


def time_range_toolbar(state: type[RangeStateMixin], id_prefix: str, *end_items: rx.Component) -> rx.Component:
    """Toolbar: "Time range" select, start/end date pickers for a custom range, then `end_items`."""
    label_id, toggle_id = f"{id_prefix}-range-label", f"{id_prefix}-range-toggle"
    custom = pf.ToolbarGroup.create(
        pf.ToolbarItem.create(
            pf.DatePicker.create(
                value=state.custom_start,
                aria_label="Start date",
                placeholder="YYYY-MM-DD",
                button_aria_label="Toggle start date calendar",
                on_change=state.set_custom_start,
                on_blur=state.check_custom,
            )
        ),
        pf.ToolbarItem.create(rx.el.span("to", class_name="pf-v6-u-text-color-subtle"),
                              class_name="pf-v6-u-align-self-center"),
        pf.ToolbarItem.create(
            pf.DatePicker.create(
                value=state.custom_end,
                aria_label="End date",
                placeholder="YYYY-MM-DD",
                button_aria_label="Toggle end date calendar",
                on_change=state.set_custom_end,
                on_blur=state.check_custom,
            )
        ),
    )
    return pf.Toolbar.create(
        rx.window_event_listener(
            on_popstate=state.url_changed(rx.Var("window.location.pathname", _var_type=str)),
        ),
        pf.ToolbarContent.create(
            pf.ToolbarGroup.create(
                pf.ToolbarItem.create(
                    rx.el.span("Time range", id=label_id, class_name="maas-toolbar-label"),
                    class_name="pf-v6-u-align-self-center",
                ),
                pf.ToolbarItem.create(
                    pf.SimpleSelect.create(
                        initial_options=range_options(state.range_key),
                        toggle_width="200px",
                        toggle_props={"id": toggle_id, "aria-labelledby": f"{label_id} {toggle_id}"},
                        on_select=state.select_range,
                    )
                ),
            ),
            rx.cond(state.range_key == u.CUSTOM, custom, rx.fragment()),
            *[pf.ToolbarItem.create(item, align={"default": "alignEnd"}) if i == 0 else pf.ToolbarItem.create(item)
              for i, item in enumerate(end_items)],
        ),
        class_name="pf-v6-u-pb-0",
    )


def custom_range_error(state: type[RangeStateMixin]) -> rx.Component:
    return rx.cond(
        state.custom_error != "",
        pf.HelperText.create(pf.HelperTextItem.create(state.custom_error, variant="error"),
                             class_name="pf-v6-u-mb-sm"),
        rx.fragment(),
    )


def window_caption(state: type[RangeStateMixin]) -> rx.Component:
    return pf.Content.create(
        state.range_label, ": ", state.window_text,
        component="small",
        class_name="maas-window-caption",
    )


def external_link(text: str, href: rx.Var | str) -> rx.Component:
    """A link that opens in a new tab, with PF's external-link icon."""
    return pf.Button.create(
        text,
        component="a",
        href=href,
        target="_blank",
        rel="noopener noreferrer",
        variant="link",
        is_inline=True,
        icon=pf.icon("ExternalLinkAltIcon"),
        icon_position="end",
    )


# Cards ---------------------------------------------------------------------------------------


def _change_line(card: rx.Var) -> rx.Component:
    icon = rx.match(
        card.direction,
        ("up", pf.icon("ArrowUpIcon")),
        ("down", pf.icon("ArrowDownIcon")),
        rx.fragment(),
    )
    return rx.cond(
        card.direction == "pending",
        pf.Content.create(pf.Spinner.create(size="sm", aria_label="Comparing with the previous period"),
                          " ", card.compare_label, component="small", class_name="maas-change"),
        pf.Content.create(
            rx.el.span(icon, " ", card.change, class_name="maas-change-value maas-tone-" + card.tone),
            " ", card.compare_label,
            component="small",
            class_name="maas-change",
        ),
    )


def metric_card(card: rx.Var) -> rx.Component:
    return pf.Card.create(
        pf.CardTitle.create(pf.Title.create(card.title, heading_level="h2", size="md")),
        pf.CardBody.create(
            rx.el.div(card.value, class_name="maas-metric-value", title=card.exact),
            pf.Content.create(card.detail, component="small", class_name="maas-metric-detail"),
            _change_line(card),
        ),
        is_full_height=True,
        is_compact=True,
        class_name="maas-metric-card",
    )


def metric_cards(cards: rx.Var) -> rx.Component:
    return pf.Gallery.create(
        rx.foreach(cards, lambda c: pf.GalleryItem.create(metric_card(c))),
        has_gutter=True,
        min_widths={"default": "100%", "md": "220px"},
        class_name="maas-metric-cards",
    )


def chart_card(title: str, subtitle: rx.Var | str, figure: rx.Var, label: str, *extra: rx.Component) -> rx.Component:
    return pf.Card.create(
        pf.CardHeader.create(
            pf.CardTitle.create(pf.Title.create(title, heading_level="h2", size="lg")),
        ),
        pf.CardBody.create(
            pf.Content.create(subtitle, component="small", class_name="maas-card-subtitle"),
            plot(figure, label),
            *extra,
        ),
        is_full_height=True,
    )


def num_cell(value, label: str) -> rx.Component:
    return pf.Td.create(value, data_label=label, class_name="maas-num", modifier="nowrap")


def num_th(label: str) -> rx.Component:
    return pf.Th.create(label, class_name="maas-num", modifier="wrap")


def performance_card(title: str, subtitle: rx.Var | str, figures: rx.Var, label: str) -> rx.Component:
    """Latency percentiles, tokens per second and throttled requests (usage_view.performance_figures)."""
    return pf.Card.create(
        pf.CardHeader.create(pf.CardTitle.create(
            pf.Title.create(title, heading_level="h2", size="lg"),
            pf.Content.create(subtitle, component="small", class_name="pf-v6-u-text-color-subtle"),
        )),
        pf.CardBody.create(pf.DescriptionList.create(
            rx.foreach(figures, lambda f: pf.DescriptionListGroup.create(
                pf.DescriptionListTerm.create(f.label),
                pf.DescriptionListDescription.create(
                    rx.el.div(f.value, class_name="maas-metric-value"),
                    pf.Content.create(f.detail, component="small", class_name="maas-metric-detail"),
                ),
            )),
            column_modifier={"default": "2Col", "lg": "4Col"},
            aria_label=label,
        )),
        aria_label=label,
    )
