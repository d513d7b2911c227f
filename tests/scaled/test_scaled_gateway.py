"""The console in scale-out mode, as `make run-scaled` runs it: 2 backend workers sharing one Redis,
on PostgreSQL, with the gateway driven by the official `openai` client over real HTTP.

- Exactness: with a limit of N requests per window and parallel clients whose connections land
  on both workers (their /healthz pids differ), exactly N succeed.
- Faults: Redis is stopped during traffic and started again, then PostgreSQL. While a dependency
  the gateway needs is down clients get a JSON 503 (never a hang or a stack trace), it recovers
  without a restart, and the recorded usage equals the 2xx answers clients got.

Its own servers (a PostgreSQL cluster and a redis-server on free loopback ports, stopped at the end)
and its own pytest run (.ci/run, `make test-scaled`): no other console may run from this checkout
meanwhile. The console runs backend-only: the gateway needs no pages.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import json
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import openai
import pytest

from maas_ui.services import api_keys
from tests.gateway_support import MODEL, make_key, make_user, usage_totals
from tests.redis_server import RedisServer, free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
WORKERS = 2
MESSAGES = [{"role": "user", "content": "Count my request"}]


class Postgres:
    """Our own PostgreSQL cluster via .ci/postgres.sh (stop and start it again at will)."""

    def __init__(self, folder: Path) -> None:
        self.env = {**os.environ, "MAAS_PG_PORT": str(free_port()), "MAAS_PG_DATA": str(folder / "pg"),
                    "MAAS_PG_FAST": "1"}
        self.url = ""

    def start(self) -> None:
        done = subprocess.run([str(ROOT / ".ci/postgres.sh")], env=self.env, capture_output=True, text=True,
                              timeout=300)
        if done.returncode:
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}")
        out = done.stdout
        exports = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if "=" in line)
        self.url = exports["MAAS_PG_URL"]

    def stop(self) -> None:
        subprocess.run([str(ROOT / ".ci/postgres.sh"), "stop"], env=self.env, check=True, capture_output=True,
                       timeout=120)


@dataclass
class Stack:
    base_url: str
    db_url: str
    redis: RedisServer
    postgres: Postgres
    log: Path
    proc: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)
    secret: str = ""

    def get(self, path: str, timeout: float = 5) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="module")
def stack():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server missing: .ci/redis.sh install")
    folder = Path(tempfile.mkdtemp(prefix="maas-scaled-"))
    folder.chmod(0o755)  # the server runs as the postgres user when we are root
    postgres, redis = Postgres(folder), RedisServer()
    postgres.start()
    redis.start()
    port = free_port()
    env = {**os.environ, "MAAS_DB_URL": postgres.url, "MAAS_REDIS_URL": redis.url, "MAAS_WORKERS": str(WORKERS),
           "REFLEX_TELEMETRY_ENABLED": "false", "PYTHONUNBUFFERED": "1",
           "MAAS_GATEWAY_CACHE_TTL": "1", "MAAS_SIMULATOR_LATENCY_MS": "20"}
    for name in ("REFLEX_REDIS_URL", "GRANIAN_WORKERS", "MAAS_RATE_LIMIT_STORAGE", "MAAS_TEST_DB_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "maas_ui.manage", "prepare"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=600)
    s = Stack(f"http://127.0.0.1:{port}", postgres.url, redis, postgres, folder / "console.log", env=env)
    s.proc = subprocess.Popen([str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only",
                               "--backend-port", str(port)], cwd=ROOT, env=env, stdout=open(s.log, "w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if s.get("/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if s.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the scaled console did not start:\n{s.log_tail()}")
            time.sleep(1)
        yield s
    finally:
        os.killpg(s.proc.pid, signal.SIGTERM)  # a clean stop: the workers flush their recorders
        try:
            s.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(s.proc.pid, signal.SIGKILL)
        redis.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def client(stack: Stack) -> openai.AsyncOpenAI:
    # Fresh connections per client: Granian hands each connection to one worker.
    return openai.AsyncOpenAI(base_url=stack.base_url + "/v1", api_key=stack.secret, max_retries=0, timeout=15,
                              http_client=httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0)))


async def one_call(c: openai.AsyncOpenAI) -> tuple[int, dict | None, float]:
    """(status, the error object (openai unwraps {"error": ...}) or None, seconds): what one client saw."""
    started = time.monotonic()
    try:
        await c.chat.completions.create(model=MODEL, messages=MESSAGES)
        return 200, None, time.monotonic() - started
    except openai.APIStatusError as e:
        return e.status_code, e.body if isinstance(e.body, dict) else {"raw": e.response.text}, \
            time.monotonic() - started
    except openai.APIConnectionError as e:
        return 0, {"connection": repr(e)}, time.monotonic() - started


def worker_pids(stack: Stack, tries: int = 40) -> set[int]:
    return {stack.get("/healthz")[1]["pid"] for _ in range(tries)}


def test_limit_is_exact_across_two_workers(stack):
    assert len(worker_pids(stack)) == WORKERS, "connections do not reach both workers"
    limit, calls = 40, 160
    public_id, stack.secret = make_key(stack.db_url, api_keys.default_box(), make_user(stack.db_url), rpm=limit)

    async def burst():
        clients = [client(stack) for _ in range(16)]
        results = await asyncio.gather(*[one_call(clients[i % 16]) for i in range(calls)])
        for c in clients:
            await c.close()
        return results

    results = asyncio.run(burst())
    statuses = Tally(status for status, _, _ in results)
    assert statuses == {200: limit, 429: calls - limit}, (statuses, stack.log_tail())
    assert {body["code"] for status, body, _ in results if status == 429} == {"rate_limit_exceeded"}
    deadline = time.monotonic() + 20
    while usage_totals(stack.db_url, public_id)["requests"] < calls and time.monotonic() < deadline:
        time.sleep(0.3)
    totals = usage_totals(stack.db_url, public_id)
    assert totals["requests"] == calls and totals["throttled"] == calls - limit


def test_outages_answer_503_heal_and_lose_no_usage(stack):
    public_id, stack.secret = make_key(stack.db_url, api_keys.default_box(), make_user(stack.db_url))
    seen: list[tuple[str, int, dict | None, float]] = []  # (phase, status, error body, seconds)
    phase = {"name": "before"}
    ready_during: dict[str, tuple[int, dict]] = {}

    async def traffic(stop: asyncio.Event):
        c = client(stack)
        while not stop.is_set():
            name = phase["name"]
            status, body, took = await one_call(c)
            seen.append((name, status, body, took))
            await asyncio.sleep(0.02)
        await c.close()

    async def play():
        stop = asyncio.Event()
        tasks = [asyncio.create_task(traffic(stop)) for _ in range(6)]

        async def step(name: str, seconds: float, action=None):
            phase["name"] = name  # a phase's requests start once its action begins
            if action is not None:
                await asyncio.to_thread(action)
            await asyncio.sleep(seconds)

        await step("before", 3)
        await step("redis down", 4, stack.redis.stop)
        ready_during["redis"] = await asyncio.to_thread(stack.get, "/readyz", 15)
        await step("redis back", 4, stack.redis.start)
        await step("postgres down", 5, stack.postgres.stop)
        ready_during["postgres"] = await asyncio.to_thread(stack.get, "/readyz", 15)
        await step("postgres back", 6, stack.postgres.start)
        stop.set()
        await asyncio.gather(*tasks)

    asyncio.run(asyncio.wait_for(play(), 180))
    by_phase: dict[str, Tally] = {}
    for name, status, _, _ in seen:
        by_phase.setdefault(name, Tally())[status] += 1
    print("\nwhat clients saw, by phase:", {k: dict(v) for k, v in by_phase.items()})
    print("slowest answer: %.2f s" % max(t for *_, t in seen))

    assert {status for _, status, _, _ in seen} <= {200, 503}, by_phase  # no 500, no dropped connection
    assert max(t for *_, t in seen) < 10  # no hang
    for name, status, body, _ in seen:
        if status == 503:
            assert body["code"] == "service_unavailable" and body["message"], body
    assert by_phase["redis down"][503] > 0 and by_phase["postgres down"][503] > 0
    assert ready_during["redis"][0] == 503 and ready_during["redis"][1]["checks"]["redis"]["status"] == "down"
    assert ready_during["postgres"][0] == 503
    # Healed without a restart: the last answers of each recovery phase are 200.
    for name in ("redis back", "postgres back"):
        tail = [status for n, status, _, _ in seen if n == name][-6:]
        assert tail == [200] * 6, (name, by_phase[name])
    acknowledged = sum(1 for _, status, _, _ in seen if status == 200)
    deadline = time.monotonic() + 30
    while usage_totals(stack.db_url, public_id)["requests"] < acknowledged and time.monotonic() < deadline:
        time.sleep(0.5)
    totals = usage_totals(stack.db_url, public_id)
    assert totals["requests"] == acknowledged, (totals, acknowledged)  # 503s charged nothing, no 2xx lost
