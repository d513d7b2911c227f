"""AI assets catalog: /ai-assets[/<kind>] with one routed tab per asset kind (domain.assets.ASSET_KIND_DEFS):
search, sort, pagination, the last 24 hours of usage, row kebab (View details, Edit, Delete), and
"Add asset" opening the wizard."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import empty_state, link, loading, page_header, tab_body
from maas_ui.components.menus import MenuAction, kebab_menu
from maas_ui.components.shell import shell
from maas_ui.components.toolbar import SearchStateMixin, list_toolbar, search_box
from maas_ui.domain import assets as dom
from maas_ui.domain.gateway_urls import public_base_url
from maas_ui.domain.inputs import fold
from maas_ui.pages.asset_delete import DeleteAssetState, asset_delete_modal
from maas_ui.pages.asset_form import AssetFormState, asset_edit_modal, asset_wizard_modal, go_to_asset
from maas_ui.services import assets as svc
from maas_ui.domain.roles import Permission
from maas_ui.identity import acting_user
from maas_ui.settings import gateway_public_url

PAGE_SIZES = (10, 20, 50)
ROW_ACTIONS = [MenuAction("view", "View details"), MenuAction("edit", "Edit"),
               MenuAction("delete", "Delete", danger=True)]
VIEW_ONLY_ACTIONS = [MenuAction("view", "View details")]
USAGE_COLUMNS = [dom.Column("requests_24h", "Requests (24 h)"), dom.Column("tokens_24h", "Tokens (24 h)"),
                 dom.Column("cost_24h", "Cost (24 h)")]


def columns(kd: dom.AssetKindDef) -> list[dom.Column]:
    return [dom.Column("name", "Name"), *kd.columns, *USAGE_COLUMNS]


class AiAssetsState(SearchStateMixin, rx.State):
    """Reads the route arg `asset_kind` (a var of the root state)."""

    kind_slug: str = dom.ASSET_KIND_DEFS[0].slug
    all_rows: list[svc.AssetRow] = []
    sort_key: str = "name"
    sort_index: int = 0
    sort_direction: str = "asc"
    page: int = 1
    per_page: int = 10
    loaded: bool = False
    may_manage: bool = False  # platform admins add, edit and delete; AI engineers browse

    def _reload(self) -> None:
        base = public_base_url(gateway_public_url(), self.router.headers.origin)
        actor = acting_user(self)
        self.may_manage = actor.may(Permission.ASSETS_MANAGE)
        self.all_rows = svc.catalog(dom.kind_def(self.kind_slug).kind, actor=actor, base_url=base)
        self.loaded = True

    @rx.event
    def load(self):
        self.kind_slug = dom.kind_def(self.asset_kind).slug if self.asset_kind else dom.ASSET_KIND_DEFS[0].slug
        self.page, self.sort_index, self.sort_key, self.sort_direction = 1, 0, "name", "asc"
        self._reload()

    def _search_changed(self) -> None:
        self.page = 1

    @rx.event
    def select_tab(self, slug: str):
        if slug in dom.KIND_BY_SLUG:
            return rx.redirect(routes.ai_assets_url(slug))

    @rx.event
    def sort(self, index: int, direction: str):
        cols = columns(dom.kind_def(self.kind_slug))
        if 0 <= int(index) < len(cols):
            self.sort_index, self.sort_key = int(index), cols[int(index)].key
            self.sort_direction = "desc" if direction == "desc" else "asc"
            self.page = 1

    @rx.event
    def set_page(self, page: int):
        self.page = max(1, int(page))

    @rx.event
    def set_per_page(self, per_page: int):
        if int(per_page) in PAGE_SIZES:
            self.per_page, self.page = int(per_page), 1

    @rx.event
    def row_action(self, action: str, asset_id: int, href: str):
        if action == "view":
            return rx.redirect(href)
        if action == "edit":
            return CatalogAssetForm.open_edit(str(asset_id))
        if action == "delete":
            return CatalogAssetDelete.open(str(asset_id))

    def _filtered(self) -> list[svc.AssetRow]:
        q = fold(self.search.strip())
        rows = [r for r in self.all_rows
                if not q or q in fold(r.name) or q in fold(r.identifier) or q in fold(r.description)]
        key = self.sort_key

        def value(r):
            v = getattr(r, key, "")
            if key == "cost_24h":
                return float(str(v).replace("$", "").replace(",", "") or 0)
            return fold(v) if isinstance(v, str) else v

        return sorted(rows, key=value, reverse=self.sort_direction == "desc")

    @rx.var(cache=False)
    def total(self) -> int:
        return len(self._filtered())

    @rx.var(cache=False)
    def rows(self) -> list[svc.AssetRow]:
        start = (max(1, self.page) - 1) * self.per_page
        return self._filtered()[start:start + self.per_page]


S = AiAssetsState


class CatalogAssetForm(AssetFormState, rx.State):
    def _on_created(self, saved):
        return [go_to_asset(saved)]

    def _on_updated(self, saved):
        return [AiAssetsState.load]


class CatalogAssetDelete(DeleteAssetState, rx.State):
    def _on_deleted(self, name: str):
        return [AiAssetsState.load]


def add_asset_button(form: type[AssetFormState]) -> rx.Component:
    return rx.cond(AiAssetsState.may_manage,
                   pf.Button.create("Add asset", variant="primary", on_click=form.open_create))


def _cell(row: rx.Var, col: dom.Column) -> rx.Component:
    value = getattr(row, col.key)
    if col.key == "name":
        return pf.Td.create(link(row.name, href=row.href), data_label=col.title)
    if col.key == "status":
        return pf.Td.create(rx.match(
            value,
            ("Healthy", pf.Label.create(value, status="success", is_compact=True)),
            ("Degraded", pf.Label.create(value, status="warning", is_compact=True)),
            pf.Label.create(value, color="grey", is_compact=True),
        ), data_label=col.title)
    if col.key == "endpoint":
        return pf.Td.create(pf.Truncate.create(content=value, position="middle"), data_label=col.title)
    if col.key in ("requests_24h", "tokens_24h"):
        return pf.Td.create(getattr(row, col.key.replace("_24h", "_text")), data_label=col.title)
    return pf.Td.create(value, data_label=col.title)


def _table(kd: dom.AssetKindDef) -> rx.Component:
    cols = columns(kd)
    return pf.Table.create(
        pf.Thead.create(pf.Tr.create(
            *[pf.Th.create(c.title, sort=pf.sort_spec(i, S.sort_index, S.sort_direction, S.sort))
              for i, c in enumerate(cols)],
            pf.Th.create(screen_reader_text="Actions"),
        )),
        pf.Tbody.create(rx.foreach(S.rows, lambda row: pf.Tr.create(
            *[_cell(row, c) for c in cols],
            pf.Td.create(kebab_menu(ROW_ACTIONS, otherwise=VIEW_ONLY_ACTIONS, when=S.may_manage,
                                    key=rx.cond(S.may_manage, "manage", "view"),
                                    on_select=lambda v: S.row_action(v, row.asset_id, row.href),
                                    aria_label="Actions for " + row.name), is_action_cell=True),
        ))),
        aria_label=kd.label,
    )


def _pagination(where: str) -> rx.Component:
    return pf.Pagination.create(
        item_count=S.total, page=S.page, per_page=S.per_page,
        per_page_options=[{"title": str(n), "value": n} for n in PAGE_SIZES], variant=where,
        widget_id=f"assets-pagination-{where}", titles={"paginationAriaLabel": f"Pagination {where}"},
        on_set_page=S.set_page, on_per_page_select=S.set_per_page, is_compact=where == "top",
    )


def _tab_content(kd: dom.AssetKindDef) -> rx.Component:
    add = add_asset_button(CatalogAssetForm)
    return rx.cond(
        ~S.loaded,
        loading(f"Loading {kd.label.lower()}"),
        rx.cond(
            S.all_rows.length() == 0,
            empty_state(f"No {kd.label.lower()} yet",
                        f"Add a {kd.singular} to publish it behind the gateway; API keys and policies can then grant it.",
                        icon="PlusCircleIcon", actions=[add]),
            rx.fragment(
                list_toolbar(search_box(S, placeholder="Search by name, ID or description",
                                        aria_label=f"Search {kd.label.lower()}"),
                             end=[_pagination("top")]),
                rx.cond(S.rows.length() > 0,
                        rx.fragment(_table(kd), _pagination("bottom")),
                        empty_state(f"No {kd.label.lower()} match the search",
                                    "Try another search, or clear it to see every asset of this kind.",
                                    actions=[pf.Button.create("Clear search", variant="link", on_click=S.clear_search)])),
            ),
        ),
    )


def ai_assets_page() -> rx.Component:
    return shell(
        page_header("AI assets", "Models, MCP servers, vector databases and agents published behind the gateway.",
                    actions=add_asset_button(CatalogAssetForm)),
        pf.PageSection.create(
            pf.Tabs.create(
                *[pf.Tab.create(tab_body(_tab_content(kd)), event_key=kd.slug, title=pf.TabTitleText.create(kd.label))
                  for kd in dom.ASSET_KIND_DEFS],
                active_key=S.kind_slug, on_select=S.select_tab, mount_on_enter=True, unmount_on_exit=True,
                aria_label="Asset kinds",
            ),
        ),
        asset_wizard_modal(CatalogAssetForm),
        asset_edit_modal(CatalogAssetForm),
        asset_delete_modal(CatalogAssetDelete),
        active=routes.AI_ASSETS,
    )
