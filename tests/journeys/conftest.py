"""Journey fixtures: the console (started here, or --base-url), Chromium, screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.harness import ConsoleServer

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

expect.set_options(timeout=15_000)


def _chromium_path() -> str | None:
    explicit = os.environ.get("MAAS_CHROMIUM")
    if explicit:
        return explicit
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def console(request) -> ConsoleServer | None:
    """The app started for this session; None when --base-url targets a running console."""
    if request.config.getoption("base_url"):
        yield None
        return
    server = ConsoleServer()
    server.prepare_database()
    server.start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def base_url(request, console) -> str:
    return request.config.getoption("base_url") or console.base_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = _chromium_path()
    return {**browser_type_launch_args, "args": CHROMIUM_ARGS, **({"executable_path": path} if path else {})}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, base_url):
    return {
        **browser_context_args,
        "base_url": base_url,
        "viewport": {"width": 1400, "height": 900},
        "permissions": ["clipboard-read", "clipboard-write"],
    }


@pytest.fixture()
def restart_console(console):
    """Restart the server process (same database); skips when targeting an external console."""

    def _restart() -> None:
        if console is None:
            pytest.skip("cannot restart a console given by --base-url")
        console.restart()

    return _restart


@pytest.fixture()
def page(page: Page) -> Page:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under tests/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    # PF's Page scrolls inside <main>, so full_page alone stops at the viewport: grow the
    # viewport to the content for the shot, then put it back.
    size = page.viewport_size
    content_height = page.evaluate(
        "() => { const m = document.querySelector('main'); "
        "return m ? m.scrollHeight + m.getBoundingClientRect().top : document.body.scrollHeight; }"
    )
    if size and content_height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(content_height) + 24, 6000)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if size:
            page.set_viewport_size(size)
    return path


def wait_for_app(page: Page) -> None:
    """The page is hydrated and connected to the backend (Reflex's websocket is up)."""
    page.wait_for_load_state("networkidle")


def assert_accessible(page: Page) -> None:
    """Run axe-core (bundled with axe-playwright-python, no network) and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    # label-content-name-mismatch (WCAG 2.5.3) is experimental in axe-core, so off unless asked for.
    options = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
    violations = Axe().run(page, options=options).response["violations"]
    summary = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert not summary, "axe-core violations:\n" + "\n".join(summary)
