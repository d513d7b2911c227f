"""HTML responses carry Cache-Control: no-cache; other responses are left alone."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from maas_ui.http_cache import revalidate_html


def _run(content_type: bytes, extra=()):
    sent = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", content_type), *extra]})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    # A thread of its own: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, revalidate_html(app)({"type": "http"}, None, send)).result()
    return dict(sent[0]["headers"])


def test_html_is_revalidated():
    assert _run(b"text/html; charset=utf-8")[b"cache-control"] == b"no-cache"


def test_assets_and_explicit_headers_untouched():
    assert b"cache-control" not in _run(b"application/javascript")
    assert _run(b"text/html", [(b"cache-control", b"max-age=5")])[b"cache-control"] == b"max-age=5"


def _served_path(path: str, method: str = "GET") -> str:
    from maas_ui.http_cache import serve_odd_paths_as_pages

    seen = {}

    async def app(scope, receive, send):
        seen.update(path=scope["path"], raw_path=scope["raw_path"])

    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode()}
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, serve_odd_paths_as_pages(app)(scope, None, None)).result()
    assert seen["raw_path"] == seen["path"].encode()
    return seen["path"]


def test_segments_the_file_server_cannot_look_up_become_a_stand_in():
    assert _served_path("/settings/api-keys/" + "k" * 256) == "/settings/api-keys/_"
    assert _served_path("/settings/policies/a\x00b/yaml") == "/settings/policies/_/yaml"
    assert _served_path("/settings/api-keys/" + "é" * 128) == "/settings/api-keys/_"  # 256 bytes


def test_ordinary_paths_untouched():
    ok = "/settings/api-keys/" + "k" * 255
    assert _served_path(ok) == ok
    assert _served_path("/settings/policies/x") == "/settings/policies/x"
