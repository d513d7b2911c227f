"""The official `openai` client against the running console: models, chat, streaming, every
error with its status and body, exact limits and exact recording under concurrency."""

from __future__ import annotations

import asyncio
import http.server
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import openai
import pytest
from sqlalchemy import update

from maas_ui import db
from maas_ui.domain.keys import SecretBox
from maas_ui.models import ApiKey
from maas_ui.services import api_keys
from maas_ui.services import gateway as gw_service
from tests.gateway_support import (
    ACTOR, TESTER, MODEL, OTHER_MODEL, make_key, make_policy, make_user, usage_totals, wait_for,
)

MESSAGES = [{"role": "user", "content": "Hello from the openai client"}]


@pytest.fixture(scope="module")
def env(console):
    if console is None:
        pytest.skip("needs the console started by the tests (its database)")
    url = console.env["MAAS_DB_URL"]
    box = SecretBox(Path(console.env["MAAS_SECRET_KEY_FILE"]).read_bytes().strip())
    return console.base_url, url, box


def run_async(make_coro):
    """asyncio.run in a thread of its own: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make_coro())).result()


def client(base: str, secret: str, **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key=secret, max_retries=0, **kw)


def test_models_chat_and_streaming(env):
    base, url, box = env
    _, secret = make_key(url, box, make_user(url), models=(MODEL, OTHER_MODEL))
    c = client(base, secret)
    assert sorted(m.id for m in c.models.list()) == sorted([MODEL, OTHER_MODEL])

    chat = c.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert chat.choices[0].message.content and chat.model == MODEL
    assert chat.usage.total_tokens == chat.usage.prompt_tokens + chat.usage.completion_tokens > 0

    raw = c.chat.completions.with_raw_response.create(model=MODEL, messages=MESSAGES, max_tokens=5)
    assert raw.parse().choices[0].finish_reason == "length"

    stream = c.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True,
                                       stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert text == chat.choices[0].message.content  # the simulator is deterministic
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == chat.usage.completion_tokens

    text_completion = c.completions.create(model=MODEL, prompt="Once upon a time")
    assert text_completion.choices[0].text

    # The per-model base URL the Assets tab shows answers too.
    per_model = openai.OpenAI(base_url=f"{base}/gpt-oss-20b/v1", api_key=secret, max_retries=0)
    assert per_model.chat.completions.create(model=MODEL, messages=MESSAGES).choices[0].message.content
    assert [m.id for m in per_model.models.list()] == [MODEL]


def _error(exc_info) -> dict:
    return exc_info.value.body if isinstance(exc_info.value.body, dict) else {}


def test_authentication_and_permission_errors(env):
    base, url, box = env
    user = make_user(url)
    public_id, secret = make_key(url, box, user)

    with pytest.raises(openai.AuthenticationError) as e:
        client(base, "not-a-key").models.list()
    assert e.value.status_code == 401 and _error(e)["code"] == "invalid_api_key"
    with pytest.raises(openai.AuthenticationError) as e:
        client(base, "sk-" + "A" * 48).chat.completions.create(model=MODEL, messages=MESSAGES)
    assert "Unknown API key" in _error(e)["message"] and "AAAA" not in str(e.value)
    r = httpx.get(f"{base}/v1/models")
    assert r.status_code == 401 and r.json()["error"]["code"] == "missing_api_key"

    with pytest.raises(openai.PermissionDeniedError) as e:
        client(base, secret).chat.completions.create(model=OTHER_MODEL, messages=MESSAGES)
    assert _error(e)["code"] == "model_not_allowed" and OTHER_MODEL in _error(e)["message"]

    # Changes made by another process are seen within the cache's time-to-live (1 s here).
    api_keys.set_enabled(public_id, False, actor=TESTER, url=url)

    def status() -> int:
        return httpx.post(f"{base}/v1/chat/completions", headers={"Authorization": f"Bearer {secret}"},
                          json={"model": MODEL, "messages": MESSAGES}).status_code

    assert wait_for(lambda: status() == 403, timeout=5)
    with pytest.raises(openai.PermissionDeniedError) as e:
        client(base, secret).chat.completions.create(model=MODEL, messages=MESSAGES)
    assert _error(e)["code"] == "key_disabled" and public_id in _error(e)["message"]

    api_keys.set_enabled(public_id, True, actor=TESTER, url=url)
    with db.get_engine(url).begin() as conn:
        conn.execute(update(ApiKey.__table__).where(ApiKey.__table__.c.public_id == public_id)
                     .values(expires_at=datetime.now(timezone.utc) - timedelta(days=1)))
    time.sleep(1.2)
    with pytest.raises(openai.PermissionDeniedError) as e:
        client(base, secret).chat.completions.create(model=MODEL, messages=MESSAGES)
    assert _error(e)["code"] == "key_expired"

    api_keys.delete_key(public_id, actor=TESTER, url=url)
    assert wait_for(lambda: status() == 401, timeout=5)
    with pytest.raises(openai.AuthenticationError) as e:
        client(base, secret).models.list()
    assert "deleted" in _error(e)["message"]


def test_bad_requests(env):
    base, url, box = env
    _, secret = make_key(url, box, make_user(url))
    c = client(base, secret)
    with pytest.raises(openai.BadRequestError) as e:
        c.chat.completions.create(model=MODEL, messages=MESSAGES, max_tokens=10**9)
    assert _error(e)["code"] == "invalid_max_tokens" and _error(e)["param"] == "max_tokens"
    with pytest.raises(openai.BadRequestError) as e:
        c.chat.completions.create(model=MODEL, messages=[])
    assert _error(e)["code"] == "missing_messages"
    h = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    r = httpx.post(f"{base}/v1/chat/completions", headers=h, content=b'{"model": ')
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json"
    r = httpx.post(f"{base}/v1/chat/completions", headers=h, json={"messages": MESSAGES})
    assert r.status_code == 400 and r.json()["error"]["code"] == "missing_model"
    r = httpx.post(f"{base}/v1/chat/completions", headers=h,
                   json={"model": MODEL, "messages": [{"role": "user", "content": "x" * 1_100_000}]})
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"


def test_rate_limit_is_exact_with_parallel_clients_and_names_the_limit(env):
    base, url, box = env
    user = make_user(url)
    slug = make_policy(url, user, request_limit="20", request_window_value="1", request_window_unit="hour")
    _, secret = make_key(url, box, user)
    time.sleep(1.2)  # the console caches policies; another process's writes show within 1 s here

    async def burst():
        c = openai.AsyncOpenAI(base_url=f"{base}/v1", api_key=secret, max_retries=0)

        async def one():
            try:
                await c.chat.completions.create(model=MODEL, messages=MESSAGES)
                return 200, None
            except openai.RateLimitError as e:
                return 429, e

        out = await asyncio.gather(*[one() for _ in range(80)])
        await c.close()
        return out

    out = run_async(burst)
    assert sum(1 for s, _ in out if s == 200) == 20
    errors = [e for s, e in out if s == 429]
    assert len(errors) == 60
    body = errors[0].body
    assert body["code"] == "rate_limit_exceeded" and body["limit"]["policy"] == slug
    assert body["limit"]["window"] == "1 hour" and body["limit"]["limit"] == 20
    assert 0 < int(errors[0].response.headers["retry-after"]) <= 3600
    limits = httpx.get(f"{base}/v1/limits", headers={"Authorization": f"Bearer {secret}"}).json()
    row = next(r for r in limits["models"][0]["limits"] if r["policy"] == slug)
    assert (row["used"], row["remaining"]) == (20, 0)


def test_recording_is_exact_with_parallel_clients(env):
    base, url, box = env
    public_id, secret = make_key(url, box, make_user(url), models=(MODEL, OTHER_MODEL))
    sent = 150

    async def burst():
        c = openai.AsyncOpenAI(base_url=f"{base}/v1", api_key=secret, max_retries=0)
        res = await asyncio.gather(*[c.chat.completions.create(
            model=MODEL if i % 3 else OTHER_MODEL, messages=[{"role": "user", "content": f"q{i}"}])
            for i in range(sent)])
        await c.close()
        return res

    results = run_async(burst)
    tokens = sum(r.usage.total_tokens for r in results)
    totals = wait_for(lambda: (t := usage_totals(url, public_id))["requests"] >= sent and t, timeout=10)
    time.sleep(0.6)  # nothing more arrives afterwards
    totals = usage_totals(url, public_id)
    assert totals["requests"] == totals["logged"] == totals["daily_requests"] == sent
    assert totals["input_tokens"] + totals["output_tokens"] == tokens
    assert totals["last_used"] is not None


class _SlowUpstream(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        time.sleep(5)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_upstream_failures_are_502_and_504(env):
    base, url, box = env
    public_id, secret = make_key(url, box, make_user(url), models=(OTHER_MODEL,))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowUpstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    c = client(base, secret)
    try:
        with db.session(url) as s:  # a closed port: nothing listens on port 9 of loopback
            gw_service.set_model_upstream(s, OTHER_MODEL, url="http://127.0.0.1:9/v1", credential="upstream-token",
                                          actor=ACTOR, box=box)
        time.sleep(1.2)
        with pytest.raises(openai.APIStatusError) as e:
            c.chat.completions.create(model=OTHER_MODEL, messages=MESSAGES)
        assert e.value.status_code == 502 and _error(e)["code"] == "upstream_error"
        assert "upstream-token" not in str(e.value.body)
        with db.session(url) as s:
            gw_service.set_model_upstream(s, OTHER_MODEL, url=f"http://127.0.0.1:{server.server_port}/v1",
                                          actor=ACTOR, box=box)
        time.sleep(1.2)
        with pytest.raises(openai.APIStatusError) as e:
            c.chat.completions.create(model=OTHER_MODEL, messages=MESSAGES)
        assert e.value.status_code == 504 and _error(e)["code"] == "upstream_timeout"
    finally:
        with db.session(url) as s:
            gw_service.set_model_upstream(s, OTHER_MODEL, url="", credential="", actor=ACTOR, box=box)
        server.shutdown()
    totals = wait_for(lambda: (t := usage_totals(url, public_id))["errors"] >= 2 and t, timeout=5)
    assert totals["errors"] == 2
