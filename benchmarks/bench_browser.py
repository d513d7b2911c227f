"""What a person waits for, measured inside Chromium against the production build on the large seed.

    .venv/bin/python -m benchmarks.bench_browser [--runs N] [--db PATH] [--base-url URL] [--only NAME]

Starts `reflex run --env prod` (as the journeys do) against the large seed (bench_usage's database,
seeded when missing; `$MAAS_BENCH_LARGE_DB`), opens Chromium and times each interaction inside the
page: a probe installed before the app's scripts records the input event's own timestamp (the
`pointerdown` / `keydown` / `input` that starts it) and, for every DOM mutation, the next animation
frame after it. An interaction is over when the expected content is there and the DOM has been
quiet for QUIET_MS; its time is from the input event to the animation frame after the *last*
mutation (so the last chart redraw counts), and "feedback" is to the frame after the first one
(the loading state or the new content, whichever comes first). A first load is timed from
navigation start the same way. Medians and p90 over N runs; the machine's load average is printed
before and after.

On a shared machine wall times grow with everyone else's load, so the work is reported too: the
page's main-thread task time (Chrome's Performance.getMetrics TaskDuration) and the CPU time of the
console's processes (its process group, from /proc; only when this script started it, or with
--server-pgid), each per interaction including the quiet wait.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIET_MS = 400
TARGET_MS, TARGET_P90_MS, FIRST_LOAD_TARGET_MS = 200, 300, 600

# Installed before any page script: timestamps on performance.now()'s clock.
PROBE = """
(() => {
  const p = window.__maasProbe = {start: null, firstFrame: null, lastFrame: null, lastMutation: 0, armed: false, gen: 0};
  const onInput = (e) => { if (p.armed && p.start === null) p.start = e.timeStamp; };
  for (const type of ["pointerdown", "keydown", "input"]) window.addEventListener(type, onInput, true);
  p.arm = (fromNavigation) => {
    p.gen += 1; p.start = fromNavigation ? 0 : null; p.firstFrame = null; p.lastFrame = null; p.lastMessage = null;
    p.armed = true;
  };
  p.disarm = () => { p.gen += 1; p.armed = false; };
  // When the server's last answer arrived (the rest of the time is the browser's).
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new NativeWebSocket(...args);
    ws.addEventListener("message", () => { if (p.armed && p.start !== null) p.lastMessage = performance.now(); });
    return ws;
  };
  window.WebSocket.prototype = NativeWebSocket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  new MutationObserver(() => {
    if (!p.armed || p.start === null) return;
    const at = performance.now(), gen = p.gen;
    p.lastMutation = at;
    requestAnimationFrame(() => {
      if (gen !== p.gen) return;  // scheduled for an earlier interaction
      // performance.now(), not the callback's frame timestamp: on a busy main thread that is
      // the frame's scheduled start, which can be earlier than the input event itself.
      const t = performance.now();
      if (p.firstFrame === null) p.firstFrame = t;
      if (at === p.lastMutation) p.lastFrame = t;
    });
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  p.arm(true);
})();
"""


@dataclass
class Result:
    name: str
    done: list[float] = field(default_factory=list)
    feedback: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    browser_cpu: list[float] = field(default_factory=list)  # main-thread task time
    server_cpu: list[float] = field(default_factory=list)  # the console's processes' CPU time
    first_load: bool = False


def _p90(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _group_cpu_ms(pgid: int | None) -> float | None:
    """CPU time (user + system) of every process in the console's process group, in ms."""
    if pgid is None:
        return None
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total * 1000 / os.sysconf("SC_CLK_TCK")


class Probe:
    def __init__(self, page, server_pgid: int | None = None):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")
        self.server_pgid = server_pgid
        self._cpu_start: tuple[float, float | None] = (0.0, None)

    def _main_thread_ms(self) -> float:
        metrics = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        return metrics.get("TaskDuration", 0.0) * 1000

    def start_cpu(self) -> None:
        self._cpu_start = (self._main_thread_ms(), _group_cpu_ms(self.server_pgid))

    def cpu(self) -> tuple[float, float | None]:
        """(browser main-thread ms, server CPU ms) since start_cpu (includes the quiet wait)."""
        browser, server = self._main_thread_ms(), _group_cpu_ms(self.server_pgid)
        return browser - self._cpu_start[0], None if server is None else server - self._cpu_start[1]

    def arm(self) -> None:
        self.page.evaluate("window.__maasProbe.arm(false)")

    def settle(self, timeout_s: float = 20) -> tuple[float, float, float | None]:
        """Wait until the DOM has been quiet for QUIET_MS; (feedback, done, last server message)
        in ms from the input."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            state = self.page.evaluate(
                "(() => { const p = window.__maasProbe; return {start: p.start, first: p.firstFrame, "
                "last: p.lastFrame, message: p.lastMessage, quiet: performance.now() - p.lastMutation}; })()")
            if state["start"] is not None and state["last"] is not None and state["quiet"] >= QUIET_MS:
                self.page.evaluate("window.__maasProbe.disarm()")
                server = None if state["message"] is None else state["message"] - state["start"]
                return state["first"] - state["start"], state["last"] - state["start"], server
            time.sleep(0.05)
        raise TimeoutError("the page did not settle")


def _caption(key: str, label: str) -> str:
    from datetime import datetime, timezone

    from maas_ui.domain.usage import RangeSelection
    from maas_ui.usage_view import window_text

    return f"{label}: {window_text(RangeSelection(key).window(datetime.now(timezone.utc)))}"


def _wait_loaded(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".maas-loading")).to_have_count(0)
    expect(page.get_by_role("progressbar")).to_have_count(0)


def measure(page, probe: Probe, result: Result, act: Callable[[], None], check: Callable[[], None]) -> None:
    if not result.done:
        print(f"  {result.name} ...", file=sys.stderr, flush=True)
    probe.arm()
    probe.start_cpu()
    act()
    check()
    feedback, done, server = probe.settle()
    _record(probe, result, feedback, done, server)


def _record(probe: Probe, result: Result, feedback: float, done: float, server: float | None) -> None:
    result.feedback.append(feedback)
    result.done.append(done)
    if server is not None:
        result.server.append(server)
    browser_cpu, server_cpu = probe.cpu()
    result.browser_cpu.append(browser_cpu)
    if server_cpu is not None:
        result.server_cpu.append(server_cpu)


def first_load(page, probe: Probe, result: Result, url: str, check: Callable[[], None]) -> None:
    if not result.done:
        print(f"  {result.name} ...", file=sys.stderr, flush=True)
    page.goto("about:blank")
    probe.start_cpu()
    page.goto(url)
    check()
    feedback, done, server = probe.settle()
    _record(probe, result, feedback, done, server)


def run(base_url: str, runs: int, only: str | None, server_pgid: int | None = None) -> list[Result]:
    from playwright.sync_api import expect, sync_playwright

    from tests.journeys.conftest import CHROMIUM_ARGS, _chromium_path

    expect.set_options(timeout=30_000)
    results: list[Result] = []

    def want(name: str) -> bool:
        return only is None or only.lower() in name.lower()

    with sync_playwright() as pw:
        path = _chromium_path()
        browser = pw.chromium.launch(args=CHROMIUM_ARGS, **({"executable_path": path} if path else {}))
        context = browser.new_context(base_url=base_url, viewport={"width": 1400, "height": 900})
        context.add_init_script(PROBE)
        page = context.new_page()
        probe = Probe(page, server_pgid)

        # Warm up: the server's caches and the browser's module cache, as for anyone after the first visit.
        page.goto("/settings/usage")
        _wait_loaded(page)
        page.goto("/settings/api-keys")
        expect(page.get_by_role("grid", name="API keys")).to_be_visible()
        key_link = page.get_by_role("grid", name="API keys").get_by_role("link").first
        key_href = key_link.get_attribute("href")
        public_id = key_href.rstrip("/").split("/")[-1]
        metrics_url = f"/settings/api-keys/{public_id}/metrics"

        def check_charts(n_min: int) -> Callable[[], None]:
            def check() -> None:
                _wait_loaded(page)
                expect(page.locator(".maas-chart .main-svg").first).to_be_attached()
                assert page.locator(".maas-chart").count() >= n_min
            return check

        # First loads (navigation start to the last chart drawn).
        for name, url, n in (("First load: Usage page, Last 24 hours", "/settings/usage", 5),
                             ("First load: key Metrics tab, Last 24 hours", metrics_url, 2)):
            if not want(name):
                continue
            r = Result(name, first_load=True)
            for _ in range(runs):
                first_load(page, probe, r, url, check_charts(n))
            results.append(r)

        ranges = [("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("1y", "Last year"),
                  ("1h", "Last 1 hour")]

        def range_switches(where: str, url: str) -> None:
            names = {key: f"{where}: {label}" for key, label in ranges}
            if not any(want(n) for n in names.values()):
                return
            page.goto(url + "?range=1h")
            _wait_loaded(page)
            by = {key: Result(names[key]) for key, _ in ranges}
            toggle = page.get_by_role("button", name=re.compile(r"^Time range "))
            for _ in range(runs):
                for key, label in ranges:
                    toggle.click()
                    option = page.get_by_role("option", name=label, exact=True)
                    expect(option).to_be_visible()

                    def check(key=key, label=label) -> None:
                        # The caption's window comes with the new figures (the label alone may not).
                        expect(page.locator(".maas-window-caption")).to_have_text(_caption(key, label))
                        _wait_loaded(page)

                    measure(page, probe, by[key], option.click, check)
            results.extend(r for r in by.values() if want(r.name))

        range_switches("Usage page", "/settings/usage")
        range_switches("Metrics tab", metrics_url)

        name = "Usage page: Top consumers, Show Top 50 / Top 10"
        if want(name):
            page.goto("/settings/usage?range=30d")
            _wait_loaded(page)
            r = Result(name)
            grid = page.get_by_role("grid", name="Top consumers")
            for i in range(runs * 2):
                choice, rows = ("Top 50", 51) if i % 2 == 0 else ("Top 10", 11)
                page.get_by_role("button", name=re.compile(r"^Show ")).click()
                option = page.get_by_role("option", name=choice, exact=True)
                expect(option).to_be_visible()
                measure(page, probe, r, option.click, lambda rows=rows: expect(grid.get_by_role("row")).to_have_count(rows))
            results.append(r)

        table = page.get_by_role("grid", name="API keys")

        def list_page() -> None:
            page.goto("/settings/api-keys")
            expect(table).to_be_visible()
            _wait_loaded(page)

        name = "API key list: next page / previous page"
        if want(name):
            list_page()
            r = Result(name)
            for i in range(runs * 2):
                label = "Go to next page" if i % 2 == 0 else "Go to previous page"
                before = table.get_by_role("row").nth(1).inner_text()
                button = page.get_by_role("button", name=label).first
                measure(page, probe, r, button.click,
                        lambda before=before: expect(table.get_by_role("row").nth(1)).not_to_have_text(before))
            results.append(r)

        name = "API key list: sort by Name / Owner"
        if want(name):
            list_page()
            r = Result(name)
            for i in range(runs * 2):
                column = "Name" if i % 2 == 0 else "Owner"
                header = table.get_by_role("columnheader", name=column)
                measure(page, probe, r, header.get_by_role("button").click,
                        lambda header=header: expect(header).to_have_attribute("aria-sort", re.compile("ending")))
            results.append(r)

        name = "API key list: search (one input event, includes the debounce)"
        if want(name):
            list_page()
            r = Result(name)
            search = page.get_by_role("searchbox", name="Search API keys by name")
            terms = ["chat", "bot", "rag", "eval"]
            for i in range(runs):
                term = terms[i % len(terms)]
                measure(page, probe, r, lambda term=term: search.fill(term),
                        lambda term=term: expect(table.get_by_role("row").nth(1)).to_contain_text(term, ignore_case=True))
            results.append(r)

        name = "API key list: open Create API key modal"
        if want(name):
            list_page()
            r = Result(name)
            for _ in range(runs):
                button = page.get_by_role("button", name="Create API key").first
                measure(page, probe, r, button.click,
                        lambda: expect(page.get_by_role("dialog").get_by_role("textbox", name="Name")).to_be_visible())
                page.keyboard.press("Escape")
                expect(page.get_by_role("dialog")).to_have_count(0)
            results.append(r)

        name = "Key details: tab switch (Details / Assets / Policies / Metrics)"
        if want(name):
            page.goto(f"/settings/api-keys/{public_id}")
            _wait_loaded(page)
            r = Result(name)
            tabs = ["Assets", "Policies", "Metrics", "Details"]
            for i in range(runs * 2):
                tab = page.get_by_role("tab", name=tabs[i % len(tabs)], exact=True)
                measure(page, probe, r, tab.click, lambda tab=tab: (expect(tab).to_have_attribute("aria-selected", "true"),
                                                                   _wait_loaded(page)))
            results.append(r)

        browser.close()
    return results


def report(results: list[Result]) -> int:
    print("| Interaction | median | p90 | feedback | last server message | browser main thread | server CPU "
          "| runs | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = 0
    for r in results:
        med, p90 = statistics.median(r.done), _p90(r.done)
        ok = med < FIRST_LOAD_TARGET_MS if r.first_load else (med < TARGET_MS and p90 < TARGET_P90_MS)
        missed += not ok
        target = f"< {FIRST_LOAD_TARGET_MS} ms median" if r.first_load else f"< {TARGET_MS} / {TARGET_P90_MS} ms"
        def ms(values: list[float]) -> str:
            return f"{statistics.median(values):.0f} ms" if values else "—"

        print(f"| {r.name} | {med:.0f} ms | {p90:.0f} ms | {ms(r.feedback)} | {ms(r.server)} | {ms(r.browser_cpu)} "
              f"| {ms(r.server_cpu)} | {len(r.done)} "
              f"| {target}{'' if ok else ': **not met**'} |")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, default=None, help="large-seed SQLite file (seeded when missing)")
    parser.add_argument("--base-url", default=None, help="time a console already running there instead")
    parser.add_argument("--only", default=None, help="only interactions whose name contains this")
    parser.add_argument("--server-pgid", type=int, default=None, help="process group of the console at --base-url "
                        "(for its CPU time)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    server = None
    base_url = args.base_url
    if base_url is None:
        from benchmarks.bench_usage import DEFAULT_DB, _seed_large
        from tests.journeys.harness import ConsoleServer

        db_path = args.db or DEFAULT_DB
        if not db_path.exists():
            print(f"Seeding the large database at {db_path} ...")
            _seed_large(db_path)
        from maas_ui.db import migrate

        migrate(f"sqlite:///{db_path}")  # a large seed made by an older checkout gets the new tables
        server = ConsoleServer()
        server.env["MAAS_DB_URL"] = f"sqlite:///{db_path}"
        server.env["MAAS_SECRET_KEY_FILE"] = str(db_path.with_suffix(".key"))
        print("Building and starting the production console ...")
        server.start()
        base_url = server.base_url
    try:
        print(f"Load average before: {_loadavg()} ({os.cpu_count()} CPUs); {args.runs} runs per interaction")
        pgid = server._proc.pid if server is not None else args.server_pgid
        results = run(base_url, args.runs, args.only, pgid)
        print(f"Load average after: {_loadavg()}\n")
        missed = report(results)
    finally:
        if server is not None:
            server.cleanup()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
