"""The gateway enforces the key owner's tier (per user, per model) and counts budgets per renewal period."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from maas_ui import db
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import PLATFORM_ADMIN
from maas_ui.domain.tiers import TierForm
from maas_ui.models import Group, GroupMembership, UsageRollup
from maas_ui.services import api_keys, tiers
from tests.gateway_support import MODEL, asset_id, key_row_id, make_key, make_policy, make_user
from tests.unit.test_gateway import CHAT, auth, run_gateway

ADMIN = Actor("tier-admin@example.com", role=PLATFORM_ADMIN)


@pytest.fixture(scope="module")
def url(make_session_db_url, seeded_template_url) -> str:
    return make_session_db_url("gateway-tiers", template=seeded_template_url)


@pytest.fixture(scope="module")
def box():
    return api_keys.default_box()


def test_the_owners_tier_limits_requests_per_user(url, box):
    user = make_user(url)
    with db.session(url) as s:
        g = Group(name=f"gw-tier-group-{user}", created_at=datetime.now(timezone.utc))
        s.add(g)
        s.flush()
        s.add(GroupMembership(group_id=g.id, user_id=user))
        s.commit()
        group_id = g.id
    slug = tiers.create_tier(TierForm(name=f"Gateway tier {user}", level=str(500 + user % 400),
                                      group_ids=[group_id], request_limit="3"), actor=ADMIN, url=url)
    _, secret = make_key(url, box, user)
    _, other_secret = make_key(url, box, user)  # the same user: the tier counts per user, not per key

    async def scenario(c, _g):
        first = [await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT) for _ in range(2)]
        other = [await c.post("/v1/chat/completions", headers=auth(other_secret), json=CHAT) for _ in range(2)]
        return first + other

    out = run_gateway(url, scenario)
    assert [r.status_code for r in out] == [200, 200, 200, 429]
    err = out[-1].json()["error"]
    assert err["limit"]["policy"] == f"tier:{slug}" and err["limit"]["source_name"].startswith("tier Gateway tier")


def test_a_weekly_budget_starts_over_at_renewal(url, box):
    user = make_user(url)
    now = datetime.now(timezone.utc)
    slug = make_policy(url, user, budget_usd="10", renewal_kind="weekly", renewal_weekday=str(now.weekday()),
                       renewal_timezone="UTC")  # the week began today at 00:00 UTC
    public_id, secret = make_key(url, box, user)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with db.session(url) as s:  # last week's spend is over the budget: it does not count any more
        s.add(UsageRollup(key_id=key_row_id(url, public_id), asset_id=asset_id(url, MODEL),
                          hour_start=today - timedelta(days=1), requests=5, cost_usd=12.0))
        s.commit()

    async def one(c, _g):
        return await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)

    assert run_gateway(url, one).status_code == 200
    with db.session(url) as s:  # this week's spend reaches it
        s.add(UsageRollup(key_id=key_row_id(url, public_id), asset_id=asset_id(url, MODEL),
                          hour_start=today, requests=5, cost_usd=10.5))
        s.commit()
    r = run_gateway(url, one)
    err = r.json()["error"]
    assert r.status_code == 429 and err["code"] == "budget_exceeded" and err["limit"]["policy"] == slug
    assert "renews on" in err["message"] and "$10 / week" in err["message"]
    assert 0 < int(r.headers["retry-after"]) <= 7 * 86400
