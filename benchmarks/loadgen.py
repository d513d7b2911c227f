"""A minimal keep-alive HTTP/1.1 load client on asyncio streams (no HTTP library: at a few thousand
requests per second a general client would be the bottleneck itself).

    python -m benchmarks.loadgen --url http://127.0.0.1:PORT/v1/chat/completions -c 10 -n 2000 \\
        [--header 'Authorization: Bearer ...'] [--body JSON]

Prints one JSON line: requests, errors, median/p95 latency (ms), requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from urllib.parse import urlparse


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, chunked = None, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _worker(host, port, request: bytes, count: int, latencies: list, statuses: list, deadline) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for _ in range(count):
            t = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            latencies.append((time.perf_counter() - t) * 1000)
            statuses.append(status)
            if deadline and time.perf_counter() > deadline:
                break
    finally:
        writer.close()


async def run(url: str, concurrency: int, total: int, headers: list[str], body: bytes,
              max_seconds: float | None = None) -> dict:
    u = urlparse(url)
    host, port = u.hostname, u.port or 80
    lines = [f"POST {u.path} HTTP/1.1", f"Host: {host}:{port}", "Content-Type: application/json",
             f"Content-Length: {len(body)}", "Connection: keep-alive", *headers]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    latencies: list[float] = []
    statuses: list[int] = []
    per = [total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)]
    start = time.perf_counter()
    deadline = start + max_seconds if max_seconds else None
    await asyncio.gather(*[_worker(host, port, request, n, latencies, statuses, deadline) for n in per if n])
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": sum(1 for s in statuses if s != 200),
        "median_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "rps": round(len(latencies) / elapsed, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("-c", "--concurrency", type=int, default=1)
    ap.add_argument("-n", "--requests", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=None)
    ap.add_argument("--header", action="append", default=[])
    ap.add_argument("--body", default='{"model": "bench-model", "messages": [{"role": "user", "content": "Hi"}]}')
    a = ap.parse_args()
    print(json.dumps(asyncio.run(run(a.url, a.concurrency, a.requests, a.header, a.body.encode(), a.max_seconds))))


if __name__ == "__main__":
    main()
