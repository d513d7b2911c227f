"""The details page's tabs: one ordered list (spec order), tabs built elsewhere join by existing."""

from __future__ import annotations

import sys
import types

import pytest
import reflex as rx

from maas_ui.pages import key_tabs
from maas_ui.pages.key_tabs import KeyDetailsTab, ordered_tabs

BUILT_IN = {s: KeyDetailsTab(s, s.title(), rx.fragment) for s in ("details", "assets", "settings")}


def test_only_existing_tabs_in_spec_order(monkeypatch):
    monkeypatch.setitem(key_tabs.EXTERNAL_TAB_MODULES, "metrics", "maas_ui.pages.no_such_metrics_tab")
    monkeypatch.setitem(key_tabs.EXTERNAL_TAB_MODULES, "policies", "maas_ui.pages.no_such_policies_tab")
    assert [t.slug for t in ordered_tabs(BUILT_IN)] == ["details", "assets", "settings"]


def test_external_tab_module_joins_at_its_place(monkeypatch):
    module = types.ModuleType("fake_policies_tab")
    module.TAB = KeyDetailsTab("policies", "Policies", rx.fragment)
    monkeypatch.setitem(sys.modules, "fake_policies_tab", module)
    monkeypatch.setitem(key_tabs.EXTERNAL_TAB_MODULES, "policies", "fake_policies_tab")
    monkeypatch.setitem(key_tabs.EXTERNAL_TAB_MODULES, "metrics", "maas_ui.pages.no_such_metrics_tab")
    assert [t.title for t in ordered_tabs(BUILT_IN)] == ["Details", "Assets", "Policies", "Settings"]


def test_a_broken_tab_module_is_an_error_not_a_silent_omission(monkeypatch):
    module = types.ModuleType("fake_metrics_tab")
    module.TAB = KeyDetailsTab("wrong-slug", "Metrics", rx.fragment)
    monkeypatch.setitem(sys.modules, "fake_metrics_tab", module)
    monkeypatch.setitem(key_tabs.EXTERNAL_TAB_MODULES, "metrics", "fake_metrics_tab")
    with pytest.raises(TypeError):
        ordered_tabs(BUILT_IN)
