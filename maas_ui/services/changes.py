"""A change counter for what the gateway caches (keys, their assets, policies, memberships, assets).

Every ORM commit that wrote one of those tables bumps the counter (a SQLAlchemy session
event, so no service can forget it). The gateway's caches remember the counter value they were
built at and rebuild when it moved: a key disabled or deleted in the console is refused on
the very next request, with no database query per request. Writers in other processes are
seen after the gateway's cache time-to-live (maas_gateway.config).
"""

from __future__ import annotations

import itertools
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

WATCHED_TABLES = frozenset({
    "api_keys", "api_key_assets", "ai_assets", "policies", "policy_assets", "policy_targets",
    "group_memberships", "users", "groups", "service_accounts", "tiers", "tier_groups",
})

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
    return _version


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
