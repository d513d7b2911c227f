"""Pieces shared by the Usage page and the API key Metrics tab: the time range control (whose
value lives in the URL query), metric cards, chart cards and small table helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import reflex as rx
from plotly.graph_objs import Figure
from plotly.graph_objs.layout import Template

from maas_ui import charts, pf
from maas_ui.domain import usage as u
from maas_ui.domain.usage import RangeSelection


class RangeStateMixin(rx.State, mixin=True):
    """The time range of a usage screen. The URL query is the source of truth: picking a range
    navigates to the same page with the new query, whose on_load reads it back (so reload, back
    and shared links show the same view)."""

    range_key: str = u.DEFAULT_RANGE
    custom_start: str = ""  # YYYY-MM-DD, as typed in the date pickers
    custom_end: str = ""
    custom_error: str = ""
    range_label: str = ""
    window_text: str = ""
    bucket_text: str = ""
    loading: bool = True

    def _range_url(self, selection: RangeSelection) -> str:  # pragma: no cover - each page defines it
        raise NotImplementedError

    def _read_range(self) -> RangeSelection:
        """The selection in the current URL (anything unusable falls back to the default)."""
        selection = RangeSelection.from_query(dict(self.router.url.query_parameters))
        self.range_key = selection.key
        if selection.is_custom:
            self.custom_start, self.custom_end = selection.start.isoformat(), selection.end.isoformat()
        self.custom_error = ""
        self.range_label = u.CUSTOM_LABEL if selection.is_custom else selection.label
        return selection

    @rx.event
    def select_range(self, value: str):
        if value == u.CUSTOM:
            today = datetime.now(timezone.utc).date()
            start = self.custom_start or (today - timedelta(days=6)).isoformat()
            end = self.custom_end or today.isoformat()
            self.range_key = u.CUSTOM
            self.custom_start, self.custom_end = start, end
            return self._apply_custom()
        if value in u.PRESETS_BY_KEY:
            return rx.redirect(self._range_url(RangeSelection(value)))

    def _apply_custom(self):
        try:
            selection = u.custom_range(self.custom_start, self.custom_end,
                                       today=datetime.now(timezone.utc).date())
        except ValueError as exc:
            self.custom_error = str(exc)
            return None
        self.custom_error = ""
        return rx.redirect(self._range_url(selection))

    @rx.event
    def set_custom_start(self, value: str):
        self.custom_start = value or ""
        if len(self.custom_start) == 10:
            return self._apply_custom()

    @rx.event
    def set_custom_end(self, value: str):
        self.custom_end = value or ""
        if len(self.custom_end) == 10:
            return self._apply_custom()


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
            )
        ),
    )
    return pf.Toolbar.create(
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


_TEMPLATE = Template(charts.TEMPLATE)


def plot(figure: rx.Var, label: str) -> rx.Component:
    """A Plotly chart styled for PatternFly: fills its card, no mode bar."""
    return rx.el.div(
        rx.plotly.basic(data=figure.to(Figure), config=charts.CONFIG, template=_TEMPLATE, use_resize_handler=True,
                        style={"width": "100%"}),
        role="img",
        aria_label=label,
        class_name="maas-chart",
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
