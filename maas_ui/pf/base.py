"""Base classes of the PatternFly wrappers: pinned libraries and the one import of PF's CSS."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx
from reflex.vars.base import Var, VarData
from reflex_base.utils.imports import ImportVar

PF_VERSION = "6.6.1"
REACT_CORE = f"@patternfly/react-core@{PF_VERSION}"
REACT_TABLE = f"@patternfly/react-table@{PF_VERSION}"
REACT_ICONS = f"@patternfly/react-icons@{PF_VERSION}"
REACT_TEMPLATES = f"@patternfly/react-templates@{PF_VERSION}"


# Reflex camelCases declared props; React wants ARIA attributes hyphenated. The rename works on
# rendered `key:value` text, so the new keys are quoted. Reflex tests every entry against the
# original text and the LAST match wins, so a name must come after any name that is its prefix
# (ariaLabel before ariaLabelledby).
_ARIA_PROPS = {
    "ariaLabel": '"aria-label"',
    "ariaLabelledby": '"aria-labelledby"',
    "ariaDescribedby": '"aria-describedby"',
    "ariaLive": '"aria-live"',
}


PF_BASE_CSS = "@patternfly/react-core/dist/styles/base.css"
# PatternFly's utility classes (pf-v6-u-*): spacing, text, display, flex, sizing, alignment.
PF_UTILITY_CSS = [
    f"@patternfly/react-styles/css/utilities/{name}/{name.lower()}.css"
    for name in ("Spacing", "Text", "Display", "Flex", "Sizing", "Alignment")
]


class PFComponent(rx.Component):
    """A @patternfly/react-core component. Importing any of them brings PF's base CSS once."""

    library = REACT_CORE
    _rename_props = _ARIA_PROPS

    def add_imports(self) -> dict[str, Any]:
        return {"": [PF_BASE_CSS, *PF_UTILITY_CSS]}


class PFTableComponent(rx.Component):
    _rename_props = _ARIA_PROPS
    library = REACT_TABLE


class PFTemplateComponent(rx.Component):
    _rename_props = _ARIA_PROPS
    library = REACT_TEMPLATES


class PFIconComponent(rx.Component):
    _rename_props = _ARIA_PROPS
    library = REACT_ICONS


class Responsive:
    """Mixin for PF components with breakpoint props ({"default": v, "lg": w}): a plain string
    means every breakpoint, so callers write `gap="gapSm"` and only wrappers know PF's dict shape."""

    responsive_props: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def create(cls, *children, **props):
        for name in cls.responsive_props:
            if isinstance(props.get(name), str):
                props[name] = {"default": props[name]}
        return super().create(*children, **props)


def component_ref(tag: str, library: str = REACT_ICONS) -> Var:
    """A reference to a React component type (for props such as EmptyState's `icon`)."""
    return Var(
        _js_expr=tag,
        _var_data=VarData(imports={library: [ImportVar(tag=tag)]}),
    )
