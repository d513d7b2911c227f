"""The app shell: PF6 Page with Masthead (brand, user menu) and the sidebar Nav."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import link
from maas_ui.components.notification_drawer import NotificationDrawerState, notification_badge, notification_drawer
from maas_ui.components.outage import database_outage_alert
from maas_ui.components.toasts import toast_group
from maas_ui.identity import DEMO_COOKIE, acting_user, switch_user
from maas_ui.services import access
from maas_ui.settings import auth_mode

PRODUCT_NAME = "Red Hat OpenShift AI"
MAIN_ID = "maas-main"

# The Settings group of the nav, in the spec's order. Only pages that exist are listed.
SETTINGS_NAV: list[tuple[str, str]] = [
    ("API keys", routes.API_KEYS),
    ("User management", routes.USER_MANAGEMENT),
    ("Policies", routes.POLICIES),
    ("Tiers", routes.TIERS),
    ("Usage", routes.USAGE),
    ("Audit log", routes.AUDIT_LOG),
]


# Theme choices of the user menu: value -> label. Stored under Reflex's own colour-mode key
# ("theme"), whose blocking head script puts "light" or "dark" on <html> before the first paint;
# THEME_SCRIPT mirrors "dark" to PatternFly's `pf-v6-theme-dark`, also before the first paint.
THEMES = {"light": "Light theme", "dark": "Dark theme", "system": "System theme"}
THEME_STORAGE_KEY = "theme"
# Keep ampersands and angle brackets out of it: React escapes them in text content.
THEME_SCRIPT = """
(function () {
  var root = document.documentElement;
  function mirror() { root.classList.toggle("pf-v6-theme-dark", root.classList.contains("dark")); }
  window.maasApplyTheme = function (choice) {
    var system = window.matchMedia("(prefers-color-scheme: dark)").matches;
    var dark = choice === "system" ? system : choice === "dark";
    root.classList.remove("light", "dark");
    root.classList.add(dark ? "dark" : "light");
    root.style.colorScheme = dark ? "dark" : "light";
  };
  mirror();
  new MutationObserver(mirror).observe(root, { attributes: true, attributeFilter: ["class"] });
})();
"""


def theme_script() -> rx.Component:
    """For the app's head: keeps PatternFly's dark theme class in step with the colour mode."""
    return rx.el.script(THEME_SCRIPT)  # a plain <script>: runs while the HTML is parsed


@dataclass
class PersonOption:
    username: str
    full_name: str
    role_label: str
    is_current: bool


class UserMenuState(rx.State):
    """The masthead's user menu: who is signed in (name and role), Switch user (demo mode), theme."""

    theme: str = rx.LocalStorage("system", name=THEME_STORAGE_KEY)
    user_name: str = ""
    role_label: str = ""
    username: str = ""
    demo_mode: bool = True
    switch_open: bool = False
    people: list[PersonOption] = []

    @rx.event
    def identify(self):
        """On every page load: the acting user of this browser, for the masthead."""
        actor = acting_user(self)
        self.user_name, self.role_label, self.username = actor.display_name, actor.role_label, actor.username
        self.demo_mode = auth_mode() == "demo"

    @rx.var
    def menu_items(self) -> list[dict]:
        current = self.theme if self.theme in THEMES else "system"
        signed_in = f"Signed in as {self.user_name}" if self.user_name else "Signed in"
        return [
            {"value": "signed-in", "content": signed_in, "description": self.role_label, "isDisabled": True},
            *([{"value": "switch-user", "content": "Switch user"}] if self.demo_mode else []),
            {"value": "user-management", "content": "User management"},
            {"value": "divider-theme", "isDivider": True},
            *[
                {"value": f"theme-{value}", "content": label, **({"description": "In use"} if value == current else {})}
                for value, label in THEMES.items()
            ],
        ]

    @rx.event
    def select(self, value: str):
        if value == "user-management":
            return rx.redirect(routes.USER_MANAGEMENT)
        if value == "switch-user" and self.demo_mode:
            self.people = [PersonOption(p.username, p.full_name, p.role_label, p.username == self.username)
                           for p in access.people()]
            self.switch_open = True
            return
        choice = value.removeprefix("theme-")
        if value.startswith("theme-") and choice in THEMES:
            self.theme = choice  # Reflex writes it to localStorage: the next load starts in it
            return rx.call_script(f"window.maasApplyTheme({choice!r})")

    @rx.event
    def close_switch(self):
        self.switch_open = False

    @rx.event
    def switch_to(self, username: str):
        """Act as another seeded person in this browser (audited); the page reloads as them."""
        target = switch_user(self, username)
        self.switch_open = False
        if target is None:
            return
        self.user_name, self.role_label, self.username = target.display_name, target.role_label, target.username
        cookie = f"{DEMO_COOKIE}=" + quote(target.username) + "; path=/; max-age=31536000; SameSite=Lax"
        return rx.call_script(f"document.cookie = {json.dumps(cookie)}; window.location.reload()")


def _switch_user_modal() -> rx.Component:
    s = UserMenuState

    def row(p: rx.Var) -> rx.Component:
        return pf.Tr.create(
            pf.Td.create(p.full_name, data_label="Name"),
            pf.Td.create(p.username, data_label="Username"),
            pf.Td.create(p.role_label, data_label="Role"),
            pf.Td.create(
                rx.cond(
                    p.is_current,
                    rx.el.span("Current user", class_name="pf-v6-u-text-color-subtle"),
                    pf.Button.create("Switch", variant="secondary", size="sm",
                                     aria_label="Switch to " + p.full_name, on_click=s.switch_to(p.username)),
                ),
                data_label="Action",
            ),
        )

    return pf.Modal.create(
        pf.ModalHeader.create(title="Switch user", label_id="switch-user-title",
                              description="Demo mode: act as another person to see the console as they do."),
        pf.ModalBody.create(
            pf.Table.create(
                pf.Thead.create(pf.Tr.create(pf.Th.create("Name"), pf.Th.create("Username"), pf.Th.create("Role"),
                                             pf.Th.create(rx.el.span("Action", class_name="pf-v6-screen-reader")))),
                pf.Tbody.create(rx.foreach(s.people, row)),
                aria_label="People",
                variant="compact",
            ),
        ),
        pf.ModalFooter.create(pf.Button.create("Cancel", variant="link", on_click=s.close_switch)),
        is_open=s.switch_open,
        variant="medium",
        aria_labelledby="switch-user-title",
        on_close=s.close_switch,
    )


def _masthead() -> rx.Component:
    user = UserMenuState.user_name
    return pf.Masthead.create(
        pf.MastheadMain.create(
            pf.MastheadToggle.create(
                pf.PageToggleButton.create(
                    pf.icon("BarsIcon"),
                    is_hamburger_button=True,
                    variant="plain",
                    aria_label="Global navigation",
                )
            ),
            pf.MastheadBrand.create(
                pf.MastheadLogo.create(
                    link(
                        rx.el.span("Red Hat", class_name="maas-brand-company"),
                        " OpenShift AI",
                        href=routes.HOME,
                        class_name="maas-brand",
                        aria_label=f"{PRODUCT_NAME} home",
                    ),
                    component="div",
                )
            ),
        ),
        pf.MastheadContent.create(
            pf.Toolbar.create(
                pf.ToolbarContent.create(
                    pf.ToolbarItem.create(notification_badge(), align="alignEnd"),
                    pf.ToolbarItem.create(
                        pf.SimpleDropdown.create(
                            initial_items=UserMenuState.menu_items,
                            toggle_content=rx.el.span(
                                user, " ", pf.Label.create(UserMenuState.role_label, is_compact=True, color="blue")),
                            toggle_variant="plainText",
                            toggle_aria_label="User menu: " + user + " (" + UserMenuState.role_label + ")",
                            popper_props={"position": "right"},
                            on_select=UserMenuState.select,
                        ),
                    ),
                ),
                is_full_height=True,
            ),
        ),
    )


# Top-level nav items before the Settings group.
TOP_NAV: list[tuple[str, str]] = [("AI assets", routes.AI_ASSETS)]


def _nav_link(label: str, href: str, active: str) -> rx.Component:
    current = href == active
    return rx.el.li(
        link(label, href=href, class_name="pf-v6-c-nav__link" + (" pf-m-current" if current else ""),
             **({"aria-current": "page"} if current else {})),
        class_name="pf-v6-c-nav__item",
    )


def _nav(active: str) -> rx.Component:
    items = []
    for label, href in SETTINGS_NAV:
        current = href == active
        items.append(
            rx.el.li(
                link(
                    label,
                    href=href,
                    class_name="pf-v6-c-nav__link" + (" pf-m-current" if current else ""),
                    **({"aria-current": "page"} if current else {}),
                ),
                class_name="pf-v6-c-nav__item",
            )
        )
    return pf.PageSidebar.create(
        pf.PageSidebarBody.create(
            pf.Nav.create(
                pf.NavList.create(
                    *[_nav_link(label, href, active) for label, href in TOP_NAV],
                    pf.NavExpandable.create(
                        *items,
                        title="Settings",
                        group_id="settings",
                        is_expanded=True,
                        is_active=any(href == active for _, href in SETTINGS_NAV),
                    ),
                ),
                aria_label="Global",
            )
        )
    )


def shell(*children: rx.Component, active: str) -> rx.Component:
    """Wrap a page's sections in the console's Page; `active` is the nav route to highlight."""
    return rx.fragment(
        pf.Page.create(
            database_outage_alert(),
            *children,
            masthead=_masthead(),
            sidebar=_nav(active),
            is_managed_sidebar=True,
            skip_to_content=pf.SkipToContent.create("Skip to content", href=f"#{MAIN_ID}"),
            main_container_id=MAIN_ID,
            notification_drawer=notification_drawer(),
            is_notification_drawer_expanded=NotificationDrawerState.is_open,
        ),
        _switch_user_modal(),
        toast_group(),
    )
