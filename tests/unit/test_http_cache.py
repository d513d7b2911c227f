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
