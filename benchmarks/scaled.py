"""Scale-out mode under load: gateway requests per second with 1 and with 2 backend workers.

    .venv/bin/python -m benchmarks.scaled [--quick]      (make bench-scaled)

Starts its own PostgreSQL cluster and redis-server on free loopback ports (as tests/scaled does),
migrates and seeds one database, then for 1 and 2 workers starts `reflex run --env prod
--backend-only` with MAAS_WORKERS and Redis-shared gateway state (counters, budgets, change
counter) and drives POST /v1/chat/completions with benchmarks/loadgen.py (keep-alive HTTP/1.1 on
asyncio streams, its own process) at 50 concurrent connections, which Granian spreads over the
workers. Every request is real work: the key is checked, its own request/token/budget limits are
counted in Redis (never reached), the simulator answers at once (MAAS_SIMULATOR_LATENCY_MS=0) and
usage is recorded in PostgreSQL; afterwards recorded == sent is checked. The machine's load
average is printed before and after: on a shared machine the figures move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_gateway import BODY, VENV_BIN, free_port, load, recorded, stop, wait_http

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CONCURRENCY = 50


def _key(db_url: str) -> str:
    sys.path.insert(0, str(ROOT))
    from maas_ui.services.api_keys import default_box
    from tests.gateway_support import make_key, make_user

    _, secret = make_key(db_url, default_box(), make_user(db_url, "bench"), rpm=1_000_000_000,
                         tpm=1_000_000_000, budget=1_000_000)
    return secret


def gateway_rps(workers: int, env: dict, db_url: str, requests: int, workdir: Path) -> dict:
    secret = _key(db_url)
    port = free_port()
    env = {**env, "MAAS_WORKERS": str(workers)}
    console = subprocess.Popen(
        [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only", "--backend-port", str(port)],
        cwd=ROOT, env=env, stdout=open(workdir / f"console-{workers}.log", "w"), stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", 180)
        pids = set()
        for _ in range(40):
            with __import__("urllib.request").request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
                pids.add(json.loads(r.read())["pid"])
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        headers = [f"Authorization: Bearer {secret}"]
        warm = load(url, CONCURRENCY, 500, headers, 60)
        r = load(url, CONCURRENCY, requests, headers, 90)
        sent = warm["requests"] + r["requests"]
        time.sleep(2.0)  # the recorders' batch period
        r.update(workers=workers, worker_pids_seen=len(pids), sent=sent, recorded=recorded(db_url, secret),
                 warmup_errors=warm["errors"])
        return r
    finally:
        stop(console)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    args = ap.parse_args(argv if argv is not None else [])
    requests = 1500 if args.quick else 6000
    from tests.redis_server import RedisServer
    from tests.scaled.test_scaled_gateway import Postgres

    workdir = Path(tempfile.mkdtemp(prefix="maas-bench-scaled-"))
    workdir.chmod(0o755)
    postgres, redis = Postgres(workdir), RedisServer()
    results: dict = {"machine": {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg()}, "gateway": []}
    try:
        postgres.start()
        redis.start()
        env = {**os.environ, "MAAS_DB_URL": postgres.url, "MAAS_REDIS_URL": redis.url,
               "MAAS_SECRET_KEY_FILE": str(workdir / "secret.key"), "REFLEX_TELEMETRY_ENABLED": "false",
               "MAAS_SIMULATOR_LATENCY_MS": "0", "PYTHONUNBUFFERED": "1"}
        for name in ("REFLEX_REDIS_URL", "GRANIAN_WORKERS", "MAAS_RATE_LIMIT_STORAGE"):
            env.pop(name, None)
        os.environ["MAAS_SECRET_KEY_FILE"] = env["MAAS_SECRET_KEY_FILE"]
        subprocess.run([sys.executable, "-m", "maas_ui.manage", "prepare"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        for workers in (1, 2):
            r = gateway_rps(workers, env, postgres.url, requests, workdir)
            print(json.dumps(r), flush=True)
            results["gateway"].append(r)
    finally:
        redis.stop()
        postgres.stop()
        results["machine"]["loadavg_after"] = os.getloadavg()
    report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scaled.json").write_text(json.dumps(results, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


def report(results: dict) -> None:
    m = results["machine"]
    print(f"\n{m['cpus']} CPUs; load average before {m['loadavg_before']}, after {m.get('loadavg_after')}")
    print(f"\n| workers | connections | requests | errors | rps | median ms | p95 ms | recorded / sent |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results["gateway"]:
        print(f"| {r['workers']} ({r['worker_pids_seen']} pids seen) | {CONCURRENCY} | {r['requests']} | {r['errors']} "
              f"| {r['rps']:.0f} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['recorded']} / {r['sent']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
