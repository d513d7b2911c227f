"""Test helpers for the gateway: a user of one's own (no seeded policy reaches it), keys and
policies made through the services, usage read back from the database."""

from __future__ import annotations

import itertools
import time
from datetime import datetime, timezone

from sqlalchemy import func, select

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.domain.key_forms import KeyFormInput
from maas_ui.domain.keys import SecretBox
from maas_ui.domain.policies import PolicyForm
from maas_ui.models import AiAsset, ApiKey, GatewayRequest, UsageDaily, UsageRollup, User
from maas_ui.services import api_keys
from maas_ui.services import policies as policy_service

ACTOR = "gateway-tester@example.com"
TESTER = Actor(username=ACTOR, display_name="Gateway Tester")  # who the tests act as
MODEL = "openai/gpt-oss-20b"
OTHER_MODEL = "ibm-granite/granite-3.1-8b-instruct"
_n = itertools.count(1)


def make_user(url: str, prefix: str = "gwuser") -> int:
    """A user in no group: only the policies a test makes reach its keys."""
    name = f"{prefix}-{int(time.time() * 1000) % 10**9}-{next(_n)}"
    with db.session(url) as s:
        u = User(username=name, full_name=name.title(), email=f"{name}@example.com",
                 created_at=datetime.now(timezone.utc))
        s.add(u)
        s.commit()
        return u.id


def asset_id(url: str, identifier: str) -> int:
    with db.session(url) as s:
        return s.exec(select(AiAsset.id).where(AiAsset.identifier == identifier)).scalar_one()


def make_key(url: str, box: SecretBox, owner_id: int, *, models=(MODEL,), rpm: int | None = None,
             tpm: int | None = None, budget: float | None = None, name: str | None = None) -> tuple[str, str]:
    """(public id, secret) of a new key of `owner_id` granting `models`."""
    ids = tuple(str(asset_id(url, m)) for m in models)
    form = KeyFormInput(name=name or f"gw-key-{next(_n)}", owner_kind="user", owner_id=str(owner_id),
                        tokens_per_minute=str(tpm or ""), requests_per_minute=str(rpm or ""),
                        budget_usd=str(budget or ""), asset_ids=ids)
    public_id = api_keys.create_key(form, actor=TESTER, url=url, box=box)
    secret = api_keys.reveal_secret(public_id, actor=TESTER, url=url, box=box)
    return public_id, secret


def make_policy(url: str, user_id: int, *, model_ids=(), **fields) -> str:
    form = PolicyForm(name=f"Gateway test {next(_n)} {int(time.time() * 1000) % 10**9}", user_ids=[user_id],
                      model_ids=list(model_ids), **fields)
    return policy_service.create_policy(form, actor=TESTER, url=url)


def key_row_id(url: str, public_id: str) -> int:
    with db.session(url) as s:
        return s.exec(select(ApiKey.id).where(ApiKey.public_id == public_id)).scalar_one()


def usage_totals(url: str, public_id: str) -> dict:
    """Sums of the key's hourly rollups, daily rows and per-request log."""
    key_id = key_row_id(url, public_id)
    with db.get_engine(url).connect() as conn:
        U, D, R = UsageRollup.__table__, UsageDaily.__table__, GatewayRequest.__table__
        hourly = conn.execute(select(
            func.coalesce(func.sum(U.c.requests), 0), func.coalesce(func.sum(U.c.errors), 0),
            func.coalesce(func.sum(U.c.throttled), 0), func.coalesce(func.sum(U.c.input_tokens), 0),
            func.coalesce(func.sum(U.c.output_tokens), 0),
            func.coalesce(sum(func.sum(U.c[f"latency_b{i:02d}"]) for i in range(12)), 0),
        ).where(U.c.key_id == key_id)).one()
        daily = conn.execute(select(func.coalesce(func.sum(D.c.requests), 0), func.coalesce(func.sum(D.c.throttled), 0))
                             .where(D.c.key_id == key_id)).one()
        logged = conn.execute(select(func.count()).select_from(R).where(R.c.key_id == key_id)).scalar_one()
        last_used = conn.execute(select(ApiKey.__table__.c.last_used_at).where(ApiKey.__table__.c.id == key_id)).scalar()
    return {"requests": hourly[0], "errors": hourly[1], "throttled": hourly[2], "input_tokens": hourly[3],
            "output_tokens": hourly[4], "histogram": hourly[5], "daily_requests": daily[0],
            "daily_throttled": daily[1], "logged": logged, "last_used": last_used}


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
