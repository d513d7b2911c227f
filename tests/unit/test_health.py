"""/healthz and /readyz: JSON, 503 with the reason when the database or Redis is down."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import anyio
import httpx
import pytest

from maas_ui.health import health_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_redis_url():
    """A Redis that answers: MAAS_REDIS_URL when given, else a throwaway redis-server."""
    if os.environ.get("MAAS_REDIS_URL"):
        yield os.environ["MAAS_REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no Redis: set MAAS_REDIS_URL or install redis-server (.ci/redis.sh)")
    port = _free_port()
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Client:
    """Requests straight to the ASGI app, no server."""

    def request(self, method: str, path: str) -> httpx.Response:
        async def go() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=health_app), base_url="http://console") as c:
                return await c.request(method, path)

        return anyio.run(go)

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def head(self, path: str) -> httpx.Response:
        return self.request("HEAD", path)


@pytest.fixture
def client(monkeypatch, empty_db_url):
    monkeypatch.setenv("MAAS_DB_URL", empty_db_url)
    monkeypatch.delenv("MAAS_REDIS_URL", raising=False)
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    return Client()


def test_liveness_answers_without_touching_dependencies(client, monkeypatch):
    monkeypatch.setenv("MAAS_DB_URL", "postgresql+psycopg://maas:hunter2@127.0.0.1:1/maas")
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "alive"
    assert r.headers["content-type"] == "application/json" and r.headers["cache-control"] == "no-store"


def test_ready_with_the_database_and_no_redis(client):
    r = client.get("/readyz")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ready"
    assert body["checks"]["database"]["status"] == "up" and body["checks"]["database"]["latency_ms"] >= 0
    assert body["checks"]["redis"] == {"status": "not configured"}


def test_not_ready_when_the_database_is_down(client, monkeypatch):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("MAAS_DB_URL", f"postgresql+psycopg://maas:hunter2@127.0.0.1:{_free_port()}/maas")
    r = client.get("/readyz")
    body = r.json()
    assert r.status_code == 503 and body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "down" and body["checks"]["database"]["dialect"] == "postgresql"
    assert "refused" in body["checks"]["database"]["error"] or "failed" in body["checks"]["database"]["error"]
    assert "hunter2" not in r.text


def test_not_ready_when_the_sqlite_file_cannot_be_opened(client, monkeypatch):
    monkeypatch.setenv("MAAS_DB_URL", "sqlite:////proc/no-such-place/maas.db")
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["database"]["status"] == "down"


def test_not_ready_when_redis_is_down(client, monkeypatch):
    monkeypatch.setenv("MAAS_REDIS_URL", f"redis://127.0.0.1:{_free_port()}/0")
    r = client.get("/readyz")
    body = r.json()
    assert r.status_code == 503 and body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["redis"]["status"] == "down" and body["checks"]["redis"]["error"]


def test_ready_with_redis_up(client, monkeypatch, live_redis_url):
    monkeypatch.setenv("MAAS_REDIS_URL", live_redis_url)
    r = client.get("/readyz")
    body = r.json()
    assert r.status_code == 200 and body["checks"]["redis"]["status"] == "up"
    assert client.head("/readyz").status_code == 200
