"""The one package of thin PatternFly 6 wrappers. Pages compose these; nothing else wraps PF."""

from maas_ui.pf.base import component_ref
from maas_ui.pf.core import *  # noqa: F401,F403
from maas_ui.pf.icons import icon
from maas_ui.pf.table import Caption, Table, Tbody, Td, Th, Thead, Tr, sort_spec
from maas_ui.pf.templates import (
    CheckboxSelect,
    MultiTypeaheadSelect,
    SimpleDropdown,
    SimpleSelect,
    TypeaheadSelect,
)
