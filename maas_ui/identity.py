"""The one place the UI learns who is acting. Pages pass `acting_user(self)` (any Reflex state of
the page) to every service call.

Where identity comes from (MAAS_AUTH_MODE):
- `demo` (default): the person chosen with "Switch user" in the masthead's user menu, per browser
  (the choice is kept in a cookie, so it survives reloads and new tabs); before any choice,
  MAAS_DEMO_USER or the first platform admin by name.
- `proxy`: an authenticating proxy in front of the console (OpenShift oauth-proxy style) sets
  X-Forwarded-User, X-Forwarded-Email and X-Forwarded-Groups (comma separated). Those headers are
  read only in this mode; without them nobody is signed in (an AI engineer with no identities,
  who sees nothing).

Reflex hands each event the headers of its browser connection (the WebSocket handshake), so a
proxy's headers and the demo cookie are read server side, never trusted from event payloads.
"""

from __future__ import annotations

import threading
from http.cookies import SimpleCookie
from urllib.parse import unquote

from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import AI_ENGINEER
from maas_ui.services import access, audit
from maas_ui.settings import auth_mode

DEMO_COOKIE = "maas_demo_user"
NOBODY = Actor(username="anonymous", display_name="Not signed in", role=AI_ENGINEER)

# Demo mode: the choice of each browser tab's connection since it switched (client token ->
# username), for the events before the page reloads with the new cookie.
_demo_choice: dict[str, str] = {}
# Proxy mode: the (client token, username) pairs already audited as signed in.
_signed_in: set[tuple[str, str]] = set()
_lock = threading.Lock()


def _router(state):
    return getattr(state, "router", None)


def _headers(state) -> dict[str, str]:
    router = _router(state)
    raw = getattr(getattr(router, "headers", None), "raw_headers", None) or {}
    return {str(k).lower(): str(v) for k, v in raw.items()}


def _client_token(state) -> str:
    router = _router(state)
    return str(getattr(getattr(router, "session", None), "client_token", "") or "")


def demo_cookie_value(cookie_header: str) -> str:
    """The username the demo cookie names ("" when none)."""
    try:
        jar = SimpleCookie()
        jar.load(cookie_header or "")
    except Exception:  # a malformed Cookie header is no identity
        return ""
    morsel = jar.get(DEMO_COOKIE)
    return unquote(morsel.value).strip() if morsel else ""


def actor_from_proxy_headers(headers: dict[str, str]) -> Actor | None:
    user = headers.get("x-forwarded-user", "").strip()
    if not user:
        return None
    groups = headers.get("x-forwarded-groups", "").split(",")
    return access.actor_from_headers(user, headers.get("x-forwarded-email", "").strip(), groups)


def acting_user(state) -> Actor:
    """The signed-in user of the browser connection behind `state`, as the services want it."""
    headers = _headers(state)
    token = _client_token(state)
    if auth_mode() == "proxy":
        actor = actor_from_proxy_headers(headers)
        if actor is None:
            return NOBODY
        _audit_sign_in(token, actor)
        return actor
    with _lock:
        chosen = _demo_choice.get(token, "")
    username = chosen or demo_cookie_value(headers.get("cookie", ""))
    actor = access.actor_for(username) if username else None
    return actor or access.default_demo_actor() or NOBODY


def _audit_sign_in(token: str, actor: Actor) -> None:
    pair = (token, actor.username)
    with _lock:
        if pair in _signed_in:
            return
        _signed_in.add(pair)
    audit.record_event(actor, "user.sign_in", "user", actor.username,
                       f"{actor.display_name} signed in through the proxy as {actor.role_label}")


def switch_user(state, username: str) -> Actor | None:
    """Demo mode: act as `username` in this browser from now on (audited). None when the mode is
    not demo or there is no such person; the caller also stores the cookie."""
    if auth_mode() != "demo":
        return None
    target = access.actor_for(username)
    if target is None:
        return None
    before = acting_user(state)
    with _lock:
        _demo_choice[_client_token(state)] = target.username
    audit.record_event(before, "user.switch", "user", target.username,
                       f"Switched from {before.display_name} to {target.display_name} ({target.role_label})",
                       {"user": [before.username, target.username], "role": [before.role_label, target.role_label]})
    return target
