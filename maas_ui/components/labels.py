"""PF labels the console shows everywhere: statuses, groups of names, policy rules and targets."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf
from maas_ui.components.common import subtle

# Status text -> PF label props. Keys: Active, Expired, Disabled; policies: Active, Inactive.
STATUS_STYLES: dict[str, dict] = {
    "Active": {"status": "success"},
    "Expired": {"status": "warning"},
    "Disabled": {"color": "grey", "icon": "BanIcon"},
    "Inactive": {"color": "grey"},
}
# Target kind -> (label colour, icon)
TARGET_STYLES = {"group": ("blue", "UsersIcon"), "user": ("green", "UserIcon"), "service_account": ("purple", "CogIcon")}


def _label(text, *, icon: str | None = None, **props) -> rx.Component:
    if icon:
        props["icon"] = pf.icon(icon)
    return pf.Label.create(text, is_compact=True, **props)


def status_label(status: rx.Var[str] | str) -> rx.Component:
    """The one status label: Active green (success), Expired orange (warning), Disabled and Inactive grey."""
    cases = [(text, _label(text, **style)) for text, style in STATUS_STYLES.items()]
    return rx.match(status, *cases, _label(status, color="grey"))


def name_labels(names: rx.Var, aria_label: str, *, shown: int = 3, color: str | None = None,
                variant: str | None = None, empty: str | None = None) -> rx.Component:
    """Names as compact labels in a PF LabelGroup ('N more' beyond `shown`); `empty` when there are none."""
    props = {k: v for k, v in (("color", color), ("variant", variant)) if v}
    group = pf.LabelGroup.create(
        rx.foreach(names, lambda n: _label(n.to(str), **props)), num_labels=shown, aria_label=aria_label,
    )
    return group if empty is None else rx.cond(names.length() > 0, group, subtle(empty))


def rules_labels(rules: rx.Var) -> rx.Component:
    """A policy's rules ('10,000 tokens / 1 min', 'Hard throttle') as outlined labels."""
    return name_labels(rules, "Rules", shown=4, variant="outline")


def kind_labels(kinds: rx.Var, aria_label: str = "Kuadrant policy types") -> rx.Component:
    """Kuadrant policy types (TokenRateLimitPolicy, …) in purple."""
    return name_labels(kinds, aria_label, shown=5, color="purple")


def target_label(t: rx.Var) -> rx.Component:
    """A policy target (`kind`, `kind_label`, `name`) with its kind's colour and icon."""

    def styled(kind: str) -> rx.Component:
        color, icon = TARGET_STYLES[kind]
        return _label(t.name, color=color, icon=icon, custom_attrs={"title": t.kind_label + ": " + t.name})

    return rx.match(t.kind, ("group", styled("group")), ("user", styled("user")), styled("service_account"))


def target_labels(targets: rx.Var) -> rx.Component:
    return rx.cond(
        targets.length() > 0,
        pf.LabelGroup.create(rx.foreach(targets, target_label), num_labels=3, aria_label="Targets"),
        subtle("None (applies to nobody)", small=True),
    )
