"""The gateway in process (ASGI) over a seeded database: auth, errors, limits, recording, upstreams."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone

import httpx
import pytest

from maas_gateway.app import Gateway, create_app
from maas_gateway.config import GatewayConfig
from maas_gateway.upstreams import HttpUpstream
from maas_ui import db
from maas_ui.models import UsageRollup
from maas_ui.services import api_keys
from maas_ui.services import gateway as gw_service
from tests.gateway_support import (
    ACTOR, TESTER, MODEL, OTHER_MODEL, asset_id, key_row_id, make_key, make_policy, make_user, usage_totals,
)

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "Say hello to the gateway"}]}


@pytest.fixture(scope="module")
def url(make_session_db_url, seeded_template_url) -> str:
    return make_session_db_url("gateway", template=seeded_template_url)


@pytest.fixture(scope="module")
def box():
    return api_keys.default_box()


def run_gateway(url: str, scenario, **config):
    """Run `scenario(client, gateway)` against a fresh gateway; the recorder is flushed at the end."""
    config.setdefault("flush_interval_s", 0.05)
    cfg = GatewayConfig(simulator_latency_ms=config.pop("latency", 0), **config)
    gateway = Gateway(cfg, db_url=url)

    async def main():
        async with gateway.lifespan():
            transport = httpx.ASGITransport(app=create_app(gateway))
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                return await scenario(client, gateway)

    return asyncio.run(main())


def auth(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_models_chat_and_completions(url, box):
    _, secret = make_key(url, box, make_user(url), models=(MODEL, OTHER_MODEL))

    async def scenario(c, _g):
        models = (await c.get("/v1/models", headers=auth(secret))).json()
        chat = await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
        again = await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
        text = await c.post("/v1/completions", headers=auth(secret), json={"model": MODEL, "prompt": "Once"})
        per_model = await c.post("/gpt-oss-20b/v1/chat/completions", headers=auth(secret),
                                 json={**CHAT, "model": "gpt-oss-20b"})
        return models, chat, again, text, per_model

    models, chat, again, text, per_model = run_gateway(url, scenario)
    assert models["object"] == "list"
    assert sorted(m["id"] for m in models["data"]) == sorted([MODEL, OTHER_MODEL])
    assert chat.status_code == 200
    body = chat.json()
    assert body["object"] == "chat.completion" and body["model"] == MODEL
    assert body["choices"][0]["message"]["content"]
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"] > 0
    assert again.json()["choices"][0]["message"]["content"] == body["choices"][0]["message"]["content"]  # deterministic
    assert text.status_code == 200 and text.json()["object"] == "text_completion"
    assert per_model.status_code == 200


def test_streaming_with_usage(url, box):
    _, secret = make_key(url, box, make_user(url))

    async def scenario(c, _g):
        r = await c.post("/v1/chat/completions", headers=auth(secret),
                         json={**CHAT, "stream": True, "stream_options": {"include_usage": True}})
        plain = await c.post("/v1/chat/completions", headers=auth(secret), json={**CHAT, "stream": True})
        return r, plain

    r, plain = run_gateway(url, scenario)
    assert r.headers["content-type"].startswith("text/event-stream")
    events = [line[6:] for line in r.text.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(ch["choices"][0]["delta"].get("content") or "" for ch in chunks if ch["choices"])
    assert text and chunks[-1]["usage"]["completion_tokens"] > 0 and chunks[-1]["choices"] == []
    plain_chunks = [json.loads(l[6:]) for l in plain.text.splitlines() if l.startswith("data: {")]
    assert all(not ch.get("usage") for ch in plain_chunks)  # no usage chunk unless asked


@pytest.mark.parametrize("headers,code", [
    ({}, "missing_api_key"),
    ({"Authorization": "Basic abc"}, "invalid_api_key"),
    ({"Authorization": "Bearer not-a-key"}, "invalid_api_key"),
    ({"Authorization": "Bearer sk-" + "x" * 48}, "invalid_api_key"),
])
def test_authentication_errors(url, headers, code):
    async def scenario(c, _g):
        return await c.post("/v1/chat/completions", headers=headers, json=CHAT)

    r = run_gateway(url, scenario)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == code
    assert "sk-xxx" not in r.text


def test_request_errors(url, box):
    _, secret = make_key(url, box, make_user(url))
    h = auth(secret)

    async def scenario(c, _g):
        return {
            "json": await c.post("/v1/chat/completions", headers={**h, "content-type": "application/json"},
                                 content=b"{not json"),
            "model": await c.post("/v1/chat/completions", headers=h, json={"messages": CHAT["messages"]}),
            "messages": await c.post("/v1/chat/completions", headers=h, json={"model": MODEL}),
            "max_tokens": await c.post("/v1/chat/completions", headers=h, json={**CHAT, "max_tokens": 10**9}),
            "prompt": await c.post("/v1/completions", headers=h, json={"model": MODEL}),
            "size": await c.post("/v1/chat/completions", headers=h,
                                 json={**CHAT, "messages": [{"role": "user", "content": "x" * 5000}]}),
            "not_granted": await c.post("/v1/chat/completions", headers=h, json={**CHAT, "model": OTHER_MODEL}),
            "unknown_model": await c.post("/v1/chat/completions", headers=h, json={**CHAT, "model": "no-such"}),
            "mismatch": await c.post("/granite-3-1/v1/chat/completions", headers=h, json=CHAT),
        }

    r = run_gateway(url, scenario, max_body_bytes=4000)
    expected = {"json": (400, "invalid_json"), "model": (400, "missing_model"), "messages": (400, "missing_messages"),
                "max_tokens": (400, "invalid_max_tokens"), "prompt": (400, "missing_prompt"),
                "size": (413, "request_too_large"), "not_granted": (403, "model_not_allowed"),
                "unknown_model": (403, "model_not_allowed"), "mismatch": (400, "model_mismatch")}
    for name, (status, code) in expected.items():
        assert (r[name].status_code, r[name].json()["error"]["code"]) == (status, code), name
        assert r[name].json()["error"]["message"]


def test_key_request_limit_is_exact_under_concurrency(url, box):
    public_id, secret = make_key(url, box, make_user(url), rpm=25)

    async def scenario(c, _g):
        return await asyncio.gather(*[c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
                                      for _ in range(120)])

    responses = run_gateway(url, scenario, latency=5)
    ok = [r for r in responses if r.status_code == 200]
    limited = [r for r in responses if r.status_code == 429]
    assert len(ok) == 25 and len(limited) == 95
    err = limited[0].json()["error"]
    assert err["code"] == "rate_limit_exceeded" and err["limit"]["policy"] == "key limit"
    assert err["limit"]["window"] == "1 min" and err["limit"]["limit"] == 25
    assert 1 <= int(limited[0].headers["retry-after"]) <= 60
    assert ok[0].headers["x-ratelimit-limit-requests"] == "25"
    totals = usage_totals(url, public_id)
    assert totals["requests"] == 120 and totals["errors"] == 95 and totals["throttled"] == 95


def test_every_window_of_every_policy_applies(url, box):
    user = make_user(url)
    slug = make_policy(url, user, request_limit="4", request_window_value="1", request_window_unit="hour")
    _, secret = make_key(url, box, user, rpm=100)

    async def scenario(c, _g):
        out = [await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT) for _ in range(6)]
        limits = await c.get("/v1/limits", headers=auth(secret))
        return out, limits

    out, limits = run_gateway(url, scenario)
    assert [r.status_code for r in out] == [200] * 4 + [429] * 2
    err = out[-1].json()["error"]
    assert err["limit"]["policy"] == slug and err["limit"]["window"] == "1 hour" and slug in err["message"]
    rows = {(row["policy"], row["kind"]): row for row in limits.json()["models"][0]["limits"]}
    assert rows[(slug, "requests")]["used"] == 4 and rows[(slug, "requests")]["remaining"] == 0
    assert rows[("key limit", "requests")]["used"] == 4  # the refused calls were not counted anywhere
    assert 0 < rows[(slug, "requests")]["reset_in_s"] <= 3600


def test_token_limit_blocks_once_the_window_count_is_reached(url, box):
    public_id, secret = make_key(url, box, make_user(url), tpm=100)

    async def scenario(c, _g):
        statuses, used = [], 0
        for _ in range(10):
            r = await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
            statuses.append(r.status_code)
            if r.status_code == 200:
                used += r.json()["usage"]["total_tokens"]
            else:
                return statuses, used, r
        return statuses, used, None

    statuses, used, refused = run_gateway(url, scenario)
    assert refused is not None and used >= 100  # the call that went over still succeeded
    assert statuses.index(429) == len([s for s in statuses if s == 200])
    assert refused.json()["error"]["limit"]["kind"] == "tokens"
    assert int(refused.headers["retry-after"]) >= 1


def test_soft_throttle_lets_through_and_counts_throttled(url, box):
    user = make_user(url)
    slug = make_policy(url, user, request_limit="2", request_window_value="1", request_window_unit="minute",
                       over_limit_behavior="soft")
    public_id, secret = make_key(url, box, user)

    async def scenario(c, _g):
        return [await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT) for _ in range(5)]

    out = run_gateway(url, scenario)
    assert [r.status_code for r in out] == [200] * 5
    assert [("x-maas-throttled" in r.headers) for r in out] == [False, False, True, True, True]
    assert slug in out[-1].headers["x-maas-throttled"]
    totals = usage_totals(url, public_id)
    assert totals["throttled"] == 3 and totals["errors"] == 0 and totals["daily_throttled"] == 3


def test_time_window_refuses_outside_hours(url, box):
    user = make_user(url)
    hour = datetime.now(timezone.utc).hour
    start, end = ("20:00", "21:00") if hour < 12 else ("03:00", "04:00")
    slug = make_policy(url, user, time_limit=True, time_start=start, time_end=end)
    _, secret = make_key(url, box, user)

    async def scenario(c, _g):
        return await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)

    r = run_gateway(url, scenario)
    err = r.json()["error"]
    assert r.status_code == 403 and err["code"] == "outside_time_window"
    assert slug in err["message"] and f"{start}-{end} UTC" == err["limit"]["window"]


def test_monthly_budget_from_recorded_cost(url, box):
    public_id, secret = make_key(url, box, make_user(url), budget=50)
    now = datetime.now(timezone.utc)
    with db.session(url) as s:
        s.add(UsageRollup(key_id=key_row_id(url, public_id), asset_id=asset_id(url, MODEL),
                          hour_start=now.replace(day=1, hour=0, minute=0, second=0, microsecond=0),
                          requests=10, cost_usd=50.5))
        s.commit()

    async def scenario(c, _g):
        return await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)

    r = run_gateway(url, scenario)
    err = r.json()["error"]
    assert r.status_code == 429 and err["code"] == "budget_exceeded" and err["limit"]["policy"] == "key limit"
    assert "$50" in err["message"] and int(r.headers["retry-after"]) > 0


def test_disable_enable_delete_take_effect_at_once(url, box):
    public_id, secret = make_key(url, box, make_user(url))

    async def scenario(c, g):
        out = [(await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)).status_code]
        loads = g.directory.loads
        out.append((await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)).status_code)
        cached = g.directory.loads == loads  # the second call asked the database nothing
        api_keys.set_enabled(public_id, False, actor=TESTER, url=url)
        out.append((await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)).json()["error"]["code"])
        api_keys.set_enabled(public_id, True, actor=TESTER, url=url)
        out.append((await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)).status_code)
        api_keys.delete_key(public_id, actor=TESTER, url=url)
        r = await c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
        out.append((r.status_code, r.json()["error"]["code"]))
        return out, cached

    out, cached = run_gateway(url, scenario)
    assert cached
    assert out == [200, 200, "key_disabled", 200, (401, "invalid_api_key")]


def test_recording_is_exact_under_concurrency(url, box):
    public_id, secret = make_key(url, box, make_user(url), models=(MODEL, OTHER_MODEL))

    async def scenario(c, _g):
        reqs = [c.post("/v1/chat/completions", headers=auth(secret),
                       json={**CHAT, "model": MODEL if i % 2 else OTHER_MODEL,
                             "messages": [{"role": "user", "content": f"question {i}"}]}) for i in range(300)]
        return await asyncio.gather(*reqs)

    responses = run_gateway(url, scenario, latency=2)
    assert all(r.status_code == 200 for r in responses)
    totals = usage_totals(url, public_id)
    assert totals["requests"] == totals["daily_requests"] == totals["logged"] == totals["histogram"] == 300
    assert totals["input_tokens"] == sum(r.json()["usage"]["prompt_tokens"] for r in responses)
    assert totals["output_tokens"] == sum(r.json()["usage"]["completion_tokens"] for r in responses)
    assert totals["last_used"] is not None


def test_openai_compatible_http_upstream(url, box):
    public_id, secret = make_key(url, box, make_user(url), models=(OTHER_MODEL,))
    with db.session(url) as s:
        gw_service.set_model_upstream(s, OTHER_MODEL, url="http://upstream.test/v1", model="granite-served",
                                      credential="upstream-secret", actor=ACTOR, box=box)
    seen = []

    async def upstream(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """An OpenAI-compatible server: answers, fails with 500, or stalls, by the prompt."""
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode()
                headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:] if ": " in line)
                body = json.loads(await reader.readexactly(int(headers["Content-Length"])))
                seen.append((head.split(" ")[1], headers.get("Authorization"), body["model"], body.get("stream")))
                prompt = body["messages"][0]["content"]
                if prompt == "slow":
                    await asyncio.sleep(3)
                if prompt == "fail":
                    status, data = "500 Internal Server Error", b'{"error": "boom"}'
                elif body.get("stream"):
                    events = [{"choices": [{"index": 0, "delta": {"content": "stream"}}]},
                              {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 1}}]
                    text = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
                    chunk = text.encode()
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                                 b"transfer-encoding: chunked\r\n\r\n"
                                 + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n")
                    await writer.drain()
                    continue
                else:
                    status, data = "200 OK", json.dumps({
                        "id": "x", "object": "chat.completion", "model": body["model"], "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": "from upstream"},
                             "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}}).encode()
                writer.write(f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
                             f"content-length: {len(data)}\r\n\r\n".encode() + data)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def scenario(c, g):
        server = await asyncio.start_server(upstream, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        with db.session(url) as s:
            gw_service.set_model_upstream(s, OTHER_MODEL, url=f"http://127.0.0.1:{port}/v1", model="granite-served",
                                          credential="upstream-secret", actor=ACTOR, box=box)
        g.http = HttpUpstream(1.0)
        ok = await c.post("/v1/chat/completions", headers=auth(secret), json={**CHAT, "model": OTHER_MODEL})
        again = await c.post("/v1/chat/completions", headers=auth(secret), json={**CHAT, "model": OTHER_MODEL})
        streamed = await c.post("/v1/chat/completions", headers=auth(secret),
                                json={**CHAT, "model": OTHER_MODEL, "stream": True})
        bad = await c.post("/v1/chat/completions", headers=auth(secret),
                           json={"model": OTHER_MODEL, "messages": [{"role": "user", "content": "fail"}]})
        slow = await c.post("/v1/chat/completions", headers=auth(secret),
                            json={"model": OTHER_MODEL, "messages": [{"role": "user", "content": "slow"}]})
        server.close()
        return ok, again, streamed, bad, slow

    try:
        ok, again, streamed, bad, slow = run_gateway(url, scenario)
    finally:
        with db.session(url) as s:
            gw_service.set_model_upstream(s, OTHER_MODEL, url="", credential="", actor=ACTOR, box=box)
    assert ok.status_code == 200 and ok.json()["choices"][0]["message"]["content"] == "from upstream"
    assert ok.json()["model"] == OTHER_MODEL
    assert again.status_code == 200
    assert seen[0] == ("/v1/chat/completions", "Bearer upstream-secret", "granite-served", False)
    assert seen[2][3] is True and "data: [DONE]" in streamed.text and '"stream"' in streamed.text
    assert (bad.status_code, bad.json()["error"]["code"]) == (502, "upstream_error")
    assert (slow.status_code, slow.json()["error"]["code"]) == (504, "upstream_timeout")
    assert "upstream-secret" not in bad.text + slow.text
    totals = usage_totals(url, public_id)
    assert totals["requests"] == 5 and totals["errors"] == 2
    assert (totals["input_tokens"], totals["output_tokens"]) == (11 + 11 + 5, 7 + 7 + 1)


def test_clean_shutdown_flushes_every_pending_record(url, box):
    public_id, secret = make_key(url, box, make_user(url))

    async def scenario(c, g):
        rs = await asyncio.gather(*[c.post("/v1/chat/completions", headers=auth(secret), json=CHAT)
                                    for _ in range(40)])
        return [r.status_code for r in rs], g.recorder.pending

    cfg = dict(flush_interval_s=60)  # the periodic flush never runs: only the shutdown writes
    statuses, pending = run_gateway(url, scenario, **cfg)
    assert statuses == [200] * 40 and pending == 40
    assert usage_totals(url, public_id)["requests"] == 40


def test_unknown_endpoints_and_methods_answer_json(url, box):
    async def scenario(c, _g):
        return (await c.get("/v1/embeddings"), await c.get("/v1/chat/completions"))

    unknown, method = run_gateway(url, scenario)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_endpoint")
    assert (method.status_code, method.json()["error"]["code"]) == (405, "method_not_allowed")
