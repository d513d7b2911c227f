"""ASGI middleware for how pages are served: HTML is always revalidated; odd paths still get pages.

Each `reflex run --env prod` rebuilds the frontend with new asset file names, and the static
server sends HTML with Last-Modified but no Cache-Control. Browsers then reuse a cached page
for a while without asking (heuristic freshness) and load asset files that no longer exist
after a restart or redeploy: a blank page. `no-cache` makes them revalidate (ETag, so a
304 when nothing changed). Hashed assets are unaffected.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


def revalidate_html(app: ASGIApp) -> ASGIApp:
    async def wrapped(scope: Scope, receive, send) -> None:
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return

        async def send_with_cache_control(message: Message) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers") or [])
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-cache"))
                    message = {**message, "headers": headers}
            await send(message)

        await app(scope, receive, send_with_cache_control)

    return wrapped


# One path segment longer than a file name may be (ENAMETOOLONG) or holding a NUL byte makes the
# static file server answer a bare plain-text 404 before it looks for the app's pages.
NAME_MAX = 255


def _unservable(segment: str) -> bool:
    return "\x00" in segment or len(segment.encode("utf-8", "surrogateescape")) > NAME_MAX


def serve_odd_paths_as_pages(app: ASGIApp) -> ASGIApp:
    """Give the static server a stand-in segment ("_") for such segments: it then serves the app's
    page for the route (the browser keeps the real URL, so the page reads the real id and shows
    its own "not found" state) or the app's 404 page, never a bare error."""

    async def wrapped(scope: Scope, receive, send) -> None:
        if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD"):
            segments = str(scope.get("path", "")).split("/")
            if any(_unservable(s) for s in segments):
                path = "/".join("_" if _unservable(s) else s for s in segments)
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await app(scope, receive, send)

    return wrapped
