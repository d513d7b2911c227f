"""Icons from @patternfly/react-icons (named imports; deep default imports fail)."""

from __future__ import annotations

import reflex as rx

from maas_ui.pf.base import PFIconComponent


def icon(name: str, **props) -> rx.Component:
    """An icon element, e.g. icon("EllipsisVIcon")."""
    cls = _ICON_CLASSES.get(name)
    if cls is None:
        cls = type(name, (PFIconComponent,), {"tag": name, "__module__": __name__})
        _ICON_CLASSES[name] = cls
    return cls.create(**props)


_ICON_CLASSES: dict[str, type[PFIconComponent]] = {}
