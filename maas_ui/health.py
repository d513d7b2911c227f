"""Liveness and readiness endpoints, mounted in front of the console by the app's api_transformer.

GET /healthz: the process answers (liveness; never touches a dependency, so a database outage does
not get the worker restarted). GET /readyz: the database answers `SELECT 1` and, when configured,
Redis answers PING; 503 with the failing check's reason otherwise (readiness: take the worker out
of the load balancer until it recovers). Both JSON, never cached.
"""

from __future__ import annotations

import asyncio
import os
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from maas_ui.services import system
from maas_ui.settings import database_url, redis_url

CHECK_TIMEOUT_S = 5.0
_NO_STORE = {"Cache-Control": "no-store"}


def _reason(exc: BaseException) -> str:
    """One line saying why, without credentials."""
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return f"no answer within {CHECK_TIMEOUT_S:.0f} s"
    return system.reason(exc)


async def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
    except Exception as exc:  # any failure of a dependency is "down", with its reason
        return {"status": "down", "error": _reason(exc)}
    return {"status": "up", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


async def _database() -> None:
    error = await asyncio.to_thread(system.database_error)
    if error:
        raise RuntimeError(error)


async def _redis() -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url(), socket_connect_timeout=CHECK_TIMEOUT_S, socket_timeout=CHECK_TIMEOUT_S)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "alive", "pid": os.getpid()}, headers=_NO_STORE)


async def readyz(_request: Request) -> JSONResponse:
    checks = {"database": _timed(_database)}
    if redis_url():
        checks["redis"] = _timed(_redis)
    results = dict(zip(checks, await asyncio.gather(*checks.values())))
    if "redis" not in results:
        results["redis"] = {"status": "not configured"}
    results["database"]["dialect"] = database_url().split(":", 1)[0].split("+", 1)[0]
    ready = all(r["status"] != "down" for r in results.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": results},
        status_code=200 if ready else 503,
        headers=_NO_STORE,
    )


health_app = Starlette(routes=[
    Route("/healthz", healthz, methods=["GET", "HEAD"]),
    Route("/readyz", readyz, methods=["GET", "HEAD"]),
])
