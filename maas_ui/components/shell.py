"""The app shell: PF6 Page with Masthead (brand, user menu) and the sidebar Nav."""

from __future__ import annotations

import reflex as rx

from maas_ui import pf, routes
from maas_ui.components.common import link
from maas_ui.components.notification_drawer import NotificationDrawerState, notification_badge, notification_drawer
from maas_ui.components.outage import database_outage_alert
from maas_ui.components.toasts import toast_group
from maas_ui.identity import acting_user

PRODUCT_NAME = "Red Hat OpenShift AI"
MAIN_ID = "maas-main"

# The Settings group of the nav, in the spec's order. Only pages that exist are listed.
SETTINGS_NAV: list[tuple[str, str]] = [
    ("API keys", routes.API_KEYS),
    ("User management", routes.USER_MANAGEMENT),
    ("Policies", routes.POLICIES),
    ("Tiers", routes.TIERS),
    ("Usage", routes.USAGE),
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


class UserMenuState(rx.State):
    theme: str = rx.LocalStorage("system", name=THEME_STORAGE_KEY)

    @rx.var
    def menu_items(self) -> list[dict]:
        user = acting_user().display_name
        current = self.theme if self.theme in THEMES else "system"
        return [
            {"value": "signed-in", "content": f"Signed in as {user}", "isDisabled": True},
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
        choice = value.removeprefix("theme-")
        if value.startswith("theme-") and choice in THEMES:
            self.theme = choice  # Reflex writes it to localStorage: the next load starts in it
            return rx.call_script(f"window.maasApplyTheme({choice!r})")


def _masthead() -> rx.Component:
    user = acting_user().display_name
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
                            toggle_content=rx.el.span(user),
                            toggle_variant="plainText",
                            toggle_aria_label=f"User menu: {user}",
                            popper_props={"position": "right"},
                            on_select=UserMenuState.select,
                        ),
                    ),
                ),
                is_full_height=True,
            ),
        ),
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
        toast_group(),
    )
