"""Gateway workers sharing one Redis: limits stay exact across them, budgets and key changes are
seen by every worker at once, and a Redis outage is a JSON 503 that heals without a restart.

Each "worker" is a Gateway of its own in its own thread and event loop (as Granian's workers are
separate processes, they share nothing but Redis and the database)."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timezone

import httpx
import pytest
from sqlalchemy import update

from maas_gateway.app import Gateway, create_app
from maas_gateway.config import GatewayConfig
from maas_gateway.limiter import Counter, Limiter, StoreUnavailable
from maas_ui import db
from maas_ui.models import ApiKey, UsageRollup
from maas_ui.services import api_keys, changes
from tests.gateway_support import MODEL, asset_id, key_row_id, make_key, make_user, usage_totals
from tests.redis_server import RedisServer

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "Hello from a worker"}]}


@pytest.fixture(scope="module")
def url(make_session_db_url, seeded_template_url) -> str:
    return make_session_db_url("gateway_shared", template=seeded_template_url)


@pytest.fixture(scope="module")
def box():
    return api_keys.default_box()


@pytest.fixture()
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


def auth(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def gateway(url: str, redis_url: str, **config) -> Gateway:
    return Gateway(GatewayConfig(simulator_latency_ms=config.pop("latency", 2), flush_interval_s=0.05,
                                 limits_storage_url=redis_url, **config), db_url=url)


def run_workers(gateways: list[Gateway], scenario) -> list:
    """Run `scenario(client, gateway, index)` on every gateway at once, each in its own thread and loop."""
    results: list = [None] * len(gateways)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(gateways))

    def worker(i: int) -> None:
        async def main():
            async with gateways[i].lifespan():
                transport = httpx.ASGITransport(app=create_app(gateways[i]))
                async with httpx.AsyncClient(transport=transport, base_url="http://gateway", timeout=30) as c:
                    barrier.wait()
                    return await scenario(c, gateways[i], i)

        try:
            results[i] = asyncio.run(main())
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(gateways))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    if errors:
        raise errors[0]
    return results


def test_request_limit_is_exact_across_two_workers(url, box, redis_server):
    public_id, secret = make_key(url, box, make_user(url), rpm=30)
    workers = [gateway(url, redis_server.url) for _ in range(2)]

    async def scenario(c, _g, _i):
        return await asyncio.gather(*[c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
                                      for _ in range(60)])

    responses = [r for rs in run_workers(workers, scenario) for r in rs]
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 30 and statuses.count(429) == 90
    # (Which worker wins how many depends on thread scheduling; tests/scaled checks the spread
    # over two real worker processes.)
    totals = usage_totals(url, public_id)
    assert totals["requests"] == 120 and totals["errors"] == 90


def test_acquire_is_all_or_nothing_in_redis(redis_server):
    first, second = Limiter(redis_server.url), Limiter(redis_server.url)
    wide, narrow = Counter("shared-wide", 10, 60), Counter("shared-narrow", 3, 60)
    outcomes = [(first if i % 2 else second).acquire([(wide, True), (narrow, True)]) for i in range(6)]
    assert outcomes == [None, None, None, narrow, narrow, narrow]
    assert first.state(wide).used == 3 and second.state(narrow).used == 3  # refusals counted nowhere
    soft = Counter("shared-soft", 1, 60)
    assert first.acquire([(soft, False)]) is None and second.acquire([(soft, False)]) is None
    assert first.state(soft).used == 2  # a soft limit counts past its amount
    assert 55 <= second.state(wide).reset_at - datetime.now(timezone.utc).timestamp() <= 60
    fresh = Counter("shared-unused", 5, 60)
    batch = first.states([wide, narrow, fresh])  # one round trip: the same as one by one
    single = [second.state(c) for c in (wide, narrow, fresh)]
    assert [(b.used, b.remaining) for b in batch] == [(s.used, s.remaining) for s in single] == [(3, 7), (3, 0), (0, 5)]
    assert all(abs(b.reset_at - s.reset_at) < 1.5 for b, s in zip(batch, single))


def test_tokens_and_budget_are_shared(url, box, redis_server):
    public_id, secret = make_key(url, box, make_user(url), tpm=50, budget=20)
    now = datetime.now(timezone.utc)
    with db.session(url) as s:  # 19.99 already spent this month
        s.add(UsageRollup(key_id=key_row_id(url, public_id), asset_id=asset_id(url, MODEL),
                          hour_start=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
                          requests=1, cost_usd=19.99))
        s.commit()
    a, b = gateway(url, redis_server.url), gateway(url, redis_server.url)

    async def main():
        async with a.lifespan(), b.lifespan():
            ca = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(a)), base_url="http://a")
            cb = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(b)), base_url="http://b")
            async with ca, cb:
                before = (await cb.get("/v1/limits", headers=auth(secret))).json()  # B loads the budget now
                spent = await ca.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
                after = (await cb.get("/v1/limits", headers=auth(secret))).json()
                nxt = await cb.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
                return before, spent, after, nxt

    before, spent, after, nxt = asyncio.run(main())
    rows = lambda body: {row["kind"]: row for row in body["models"][0]["limits"]}  # noqa: E731
    assert spent.status_code == 200
    assert rows(before)["tokens"]["used"] == 0 and rows(before)["budget"]["used"] == pytest.approx(19.99)
    assert rows(after)["tokens"]["used"] == spent.json()["usage"]["total_tokens"]  # B sees A's tokens
    assert rows(after)["budget"]["used"] > 19.99  # and A's cost, before any database read
    assert nxt.status_code == 429 and nxt.json()["error"]["limit"]["kind"] == "tokens"  # B blocks on A's tokens


def test_a_change_by_another_process_is_seen_at_once(url, box, redis_server, monkeypatch):
    public_id, secret = make_key(url, box, make_user(url))
    g = gateway(url, redis_server.url, cache_ttl_s=3600)  # no time-to-live to hide behind

    async def scenario(c, g, _i):
        before = (await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)).status_code
        # Another worker disables the key: its database write (no ORM event in this process) and
        # its bump of the shared counter.
        with db.get_engine(url).begin() as conn:
            conn.execute(update(ApiKey.__table__).where(ApiKey.__table__.c.public_id == public_id)
                         .values(status="disabled"))
        still_cached = (await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)).status_code
        monkeypatch.setenv("MAAS_RATE_LIMIT_STORAGE", redis_server.url)
        local = changes.version()
        changes._bump_shared()
        assert changes.version() == local  # only the shared counter moved
        after = await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
        return before, still_cached, after

    before, still_cached, after = run_workers([g], scenario)[0]
    assert (before, still_cached) == (200, 200)
    assert after.status_code == 403 and after.json()["error"]["code"] == "key_disabled"


def test_redis_outage_is_a_json_503_and_heals_without_restart(url, box, redis_server):
    public_id, secret = make_key(url, box, make_user(url), rpm=1000)
    g = gateway(url, redis_server.url)

    async def scenario(c, g, _i):
        seen = []
        for _ in range(5):
            seen.append(await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT))
        redis_server.stop()
        for _ in range(5):
            seen.append(await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT))
        redis_server.start()
        for _ in range(5):
            seen.append(await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT))
        return seen

    seen = run_workers([g], scenario)[0]
    statuses = [r.status_code for r in seen]
    assert statuses == [200] * 5 + [503] * 5 + [200] * 5
    err = seen[5].json()["error"]
    assert err["code"] == "service_unavailable" and err["type"] == "service_unavailable"
    assert "Redis" in err["message"] and seen[5].headers["retry-after"]
    assert usage_totals(url, public_id)["requests"] == statuses.count(200)  # 503s charged nothing


def test_limiter_raises_store_unavailable_quickly():
    server = RedisServer()  # never started: nothing listens on its port
    limiter = Limiter(server.url)
    with pytest.raises(StoreUnavailable):
        limiter.acquire([(Counter("down", 1, 60), True)])
