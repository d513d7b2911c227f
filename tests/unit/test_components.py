"""Shared components: the kebab menu's items, PF breakpoint shorthand, the one status label."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf
from maas_ui.components.labels import STATUS_STYLES
from maas_ui.components.menus import MenuAction, menu_items
from maas_ui.components.toolbar import list_toolbar


def test_menu_items_from_actions():
    items = menu_items([MenuAction("view", "View details"),
                        MenuAction("delete", "Delete", danger=True, divider_before=True)])
    assert items == [
        {"value": "view", "content": "View details"},
        {"value": "divider-delete", "isDivider": True},
        {"value": "delete", "content": "Delete", "isDanger": True},
    ]


def test_breakpoint_props_take_a_plain_string_or_a_dict():
    props = pf.Flex.create(rx.fragment(), gap="gapSm", align_items={"default": "a", "lg": "b"}).render()["props"]
    assert 'gap:({ ["default"] : "gapSm" })' in props
    assert 'alignItems:({ ["default"] : "a", ["lg"] : "b" })' in props


def test_every_key_and_policy_status_has_a_label_style():
    assert set(STATUS_STYLES) == {"Active", "Expired", "Disabled", "Inactive"}
    assert STATUS_STYLES["Active"] == {"status": "success"} and STATUS_STYLES["Expired"] == {"status": "warning"}


def test_list_toolbar_aligns_the_first_end_item_right():
    toolbar = list_toolbar(rx.text("search"), end=[rx.text("a"), rx.text("b")]).render()
    items = toolbar["children"][0]["children"]
    assert [i["name"] for i in items] == ["ToolbarItem"] * 3
    assert 'align:({ ["default"] : "alignEnd" })' in items[1]["props"] and items[2]["props"] == []
