"""Gateway overhead: the console's gateway and LiteLLM's proxy side by side on one fake upstream.

    .venv/bin/python -m benchmarks.bench_gateway [--quick] [--no-litellm]

One run starts: the fake upstream (benchmarks/fake_upstream.py), the console's backend
(`reflex run --env prod --backend-only`, one worker) with a key whose own limits are enforced
and a model whose upstream is the fake one, and LiteLLM's proxy (pinned below, installed into
benchmarks/.litellm/venv on first use; config file, no database, one worker, master key on),
all on loopback. The load client is benchmarks/loadgen.py (raw keep-alive HTTP/1.1 on asyncio
streams) in its own process. For 1, 10 and 100 concurrent clients it measures the median and
p95 latency and requests per second of: the upstream called directly, through the gateway,
through LiteLLM. Added latency = through a proxy minus direct, at the same concurrency.
Afterwards it checks that the gateway recorded every request it answered.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LITELLM_VERSION = "1.108.7"  # never 1.107.0 (compromised release)
LITELLM_DIR = ROOT / "benchmarks" / ".litellm"
RESULTS = ROOT / "benchmarks" / "results"
MODEL = "openai/gpt-oss-20b"
BODY = json.dumps({"model": MODEL, "messages": [{"role": "user", "content": "Hello"}]})
LITELLM_KEY = "sk-litellm-bench-master-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float, headers: dict | None = None) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            req = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status < 500:
                    return time.monotonic() - start
        except urllib.error.HTTPError as e:
            if e.code < 500:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def tree_pids(pid: int) -> list[int]:
    out = [pid]
    for p in list(out):
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        out.extend(int(c) for c in children)
        for c in children:
            out.extend(x for x in tree_pids(int(c)) if x not in out)
    return out


def rss_mib(pid: int) -> float:
    total = 0
    for p in set(tree_pids(pid)):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in set(tree_pids(pid)):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def ensure_litellm() -> Path:
    """LiteLLM's proxy in a virtualenv of its own (its dependencies never touch the project's)."""
    venv = LITELLM_DIR / "venv"
    exe = venv / "bin" / "litellm"
    marker = LITELLM_DIR / f"installed-{LITELLM_VERSION}"
    if exe.exists() and marker.exists():
        return exe
    print(f"Installing litellm[proxy]=={LITELLM_VERSION} into {venv} (first run only)", flush=True)
    LITELLM_DIR.mkdir(parents=True, exist_ok=True)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"litellm[proxy]=={LITELLM_VERSION}"], check=True)
    marker.touch()
    return exe


def load(url: str, concurrency: int, requests: int, headers: list[str], max_seconds: float) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.loadgen", "--url", url, "-c", str(concurrency), "-n", str(requests),
           "--max-seconds", str(max_seconds), "--body", BODY]
    for h in headers:
        cmd += ["--header", h]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def prepare_console(workdir: Path, upstream_port: int) -> tuple[dict, str, str]:
    """A seeded database with a bench key (own limits: enforced and counted, never reached) and
    the model's upstream pointed at the fake one. Returns (env, secret, db url)."""
    env = {**os.environ, "MAAS_DB_URL": f"sqlite:///{workdir / 'bench.db'}",
           "MAAS_SECRET_KEY_FILE": str(workdir / "secret.key"), "REFLEX_TELEMETRY_ENABLED": "false",
           "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "-m", "maas_ui.manage", "prepare"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    script = f"""
import sys
from maas_ui import db
from maas_ui.services import gateway
sys.path.insert(0, {str(ROOT)!r})
from tests.gateway_support import make_user, make_key
from maas_ui.services.api_keys import default_box
url = {env['MAAS_DB_URL']!r}
box = default_box()
_, secret = make_key(url, box, make_user(url, 'bench'), rpm=1_000_000_000, tpm=1_000_000_000, budget=1_000_000)
with db.session(url) as s:
    gateway.set_model_upstream(s, {MODEL!r}, url='http://127.0.0.1:{upstream_port}/v1', model='bench-model',
                               credential='fake-upstream-key', actor='bench', box=box)
print(secret)
"""
    secret = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True,
                            text=True).stdout.strip().splitlines()[-1]
    return env, secret, env["MAAS_DB_URL"]


def recorded(db_url: str, secret: str) -> int:
    from sqlalchemy import create_engine, text

    from maas_ui.domain.keys import hash_secret

    engine = create_engine(db_url)
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT COUNT(*) FROM gateway_requests r JOIN api_keys k ON k.id = r.key_id WHERE k.secret_hash = :h"),
            {"h": hash_secret(secret)}).scalar_one()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    ap.add_argument("--no-litellm", action="store_true")
    args = ap.parse_args(argv if argv is not None else [])
    scale = 0.2 if args.quick else 1.0
    counts = {1: int(2000 * scale), 10: int(4000 * scale), 100: int(8000 * scale)}
    peer_counts = {1: int(600 * scale), 10: int(1200 * scale), 100: int(2400 * scale)}
    workdir = Path(tempfile.mkdtemp(prefix="maas-bench-gateway-"))
    procs: list[subprocess.Popen] = []
    results: dict = {"machine": {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg()}, "runs": {}}
    try:
        up_port = free_port()
        upstream = subprocess.Popen([sys.executable, "-m", "benchmarks.fake_upstream", str(up_port)], cwd=ROOT,
                                    start_new_session=True)
        procs.append(upstream)
        wait_http(f"http://127.0.0.1:{up_port}/v1/models", 20)

        env, secret, db_url = prepare_console(workdir, up_port)
        gw_port = free_port()
        t0 = time.monotonic()
        console = subprocess.Popen(
            [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--backend-only", "--backend-port", str(gw_port)],
            cwd=ROOT, env=env, stdout=open(workdir / "console.log", "w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        procs.append(console)
        wait_http(f"http://127.0.0.1:{gw_port}/ping", 120)
        results["gateway_start_s"] = round(time.monotonic() - t0, 2)

        targets = {
            "direct": (f"http://127.0.0.1:{up_port}/v1/chat/completions", [], upstream.pid),
            "gateway": (f"http://127.0.0.1:{gw_port}/v1/chat/completions", [f"Authorization: Bearer {secret}"],
                        console.pid),
        }
        if not args.no_litellm:
            exe = ensure_litellm()
            cfg = workdir / "litellm.yaml"
            cfg.write_text(
                "model_list:\n"
                f"  - model_name: {MODEL}\n"
                "    litellm_params:\n"
                "      model: openai/bench-model\n"
                f"      api_base: http://127.0.0.1:{up_port}/v1\n"
                "      api_key: fake-upstream-key\n"
                "general_settings:\n"
                f"  master_key: {LITELLM_KEY}\n"
                "litellm_settings:\n"
                "  telemetry: false\n")
            ll_port = free_port()
            ll_env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_LOG": "ERROR",
                      "LITELLM_TELEMETRY": "False", "NO_DOCS": "True", "DISABLE_SCHEMA_UPDATE": "True"}
            t0 = time.monotonic()
            peer = subprocess.Popen([str(exe), "--config", str(cfg), "--host", "127.0.0.1", "--port", str(ll_port),
                                     "--num_workers", "1"], cwd=workdir, env=ll_env,
                                    stdout=open(workdir / "litellm.log", "w"), stderr=subprocess.STDOUT,
                                    start_new_session=True)
            procs.append(peer)
            wait_http(f"http://127.0.0.1:{ll_port}/health/liveliness", 180)
            results["litellm_start_s"] = round(time.monotonic() - t0, 2)
            targets["litellm"] = (f"http://127.0.0.1:{ll_port}/v1/chat/completions",
                                  [f"Authorization: Bearer {LITELLM_KEY}"], peer.pid)

        sent_to_gateway = 0
        for name, (url, headers, _pid) in targets.items():  # warm up: connections, caches, imports
            r = load(url, 4, 200, headers, 60)
            assert r["errors"] == 0, f"{name} answered errors while warming up: {r}"
            sent_to_gateway += r["requests"] if name == "gateway" else 0
        for c in (1, 10, 100):
            for name, (url, headers, pid) in targets.items():
                n = peer_counts[c] if name == "litellm" else counts[c]
                cpu0 = cpu_seconds(pid)
                r = load(url, c, n, headers, 60)
                r["server_cpu_ms_per_request"] = round((cpu_seconds(pid) - cpu0) * 1000 / max(1, r["requests"]), 3)
                results["runs"].setdefault(str(c), {})[name] = r
                if name == "gateway":
                    sent_to_gateway += r["requests"]
                print(f"c={c:<3} {name:<8} {json.dumps(r)}", flush=True)
        for name, (_url, _h, pid) in targets.items():
            results.setdefault("rss_mib", {})[name] = round(rss_mib(pid), 1)

        time.sleep(1.0)  # the recorder's batch period
        results["gateway_recorded"] = recorded(db_url, secret)
        results["gateway_sent"] = sent_to_gateway
    finally:
        for p in reversed(procs):
            stop(p)
    results["machine"]["loadavg_after"] = os.getloadavg()
    report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "gateway.json").write_text(json.dumps(results, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


def report(results: dict) -> None:
    runs = results["runs"]
    print("\n| clients | path | median ms | p95 ms | added median ms | rps | server CPU ms/req |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for c, by in runs.items():
        direct = by["direct"]["median_ms"]
        for name, r in by.items():
            added = "" if name == "direct" else f"{r['median_ms'] - direct:.2f}"
            print(f"| {c} | {name} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {added} | {r['rps']:.0f} "
                  f"| {r['server_cpu_ms_per_request']:.2f} |")
    if "litellm" in runs.get("100", {}):
        ratio = runs["100"]["gateway"]["rps"] / max(1e-9, runs["100"]["litellm"]["rps"])
        print(f"\nrps at 100 clients, gateway / LiteLLM: {ratio:.1f}x")
    print(f"gateway start {results.get('gateway_start_s')} s, LiteLLM start {results.get('litellm_start_s')} s; "
          f"RSS MiB {results.get('rss_mib')}")
    print(f"gateway recorded {results.get('gateway_recorded')} of {results.get('gateway_sent')} requests sent")


if __name__ == "__main__":
    main(sys.argv[1:])
