"""A change counter for what the gateway caches (keys, their assets, policies, memberships, assets).

Every ORM commit that wrote one of those tables bumps the counter (a SQLAlchemy session
event, so no service can forget it). The gateway's caches remember the counter value they were
built at and rebuild when it moved: a key disabled or deleted in the console is refused on
the very next request, with no database query per request. When the gateway's workers share a
Redis (settings.gateway_shared_redis_url) every bump also increments a counter there, which each
worker reads per request: a change made through one worker is seen by the others at once.
Without Redis, writers in other processes are seen after the gateway's cache time-to-live.
"""

from __future__ import annotations

import itertools
import logging
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

WATCHED_TABLES = frozenset({
    "api_keys", "api_key_assets", "ai_assets", "policies", "policy_assets", "policy_targets",
    "group_memberships", "users", "groups", "service_accounts", "tiers", "tier_groups",
})

SHARED_KEY = "maas:gateway:changes"
log = logging.getLogger(__name__)

_counter = itertools.count(1)
_version = 0
_lock = threading.Lock()


def version() -> int:
    """The current value (cheap: a module global read)."""
    return _version


def bump() -> int:
    global _version
    with _lock:
        _version = next(_counter)
    _bump_shared()
    return _version


_shared_client = None


def _shared():
    global _shared_client
    from maas_ui.settings import gateway_shared_redis_url

    url = gateway_shared_redis_url()
    if url is None:
        return None
    if _shared_client is None:
        import redis

        _shared_client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    return _shared_client


def _bump_shared() -> None:
    try:
        client = _shared()
        if client is not None:
            client.incr(SHARED_KEY)
    except Exception as exc:  # Redis down: the other workers catch up within the cache time-to-live
        log.warning("could not publish a gateway cache change to Redis: %s", exc)


def _touches_watched(session: Session) -> bool:
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        table = getattr(type(obj), "__tablename__", None)
        if table in WATCHED_TABLES:
            return True
    return False


@event.listens_for(Session, "before_flush")
def _note_writes(session: Session, _flush_context, _instances) -> None:
    if _touches_watched(session):
        session.info["gateway_cache_dirty"] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop("gateway_cache_dirty", False):
        bump()


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop("gateway_cache_dirty", None)
