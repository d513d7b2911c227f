"""Gateway settings from the environment (read once at start)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from maas_ui.settings import gateway_counters_url, gateway_public_url


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class GatewayConfig:
    # The base URL clients are told to use (examples, Assets tab); "" = the console's own address.
    public_url: str = ""
    max_body_bytes: int = 1_000_000  # larger bodies: 413
    max_tokens_cap: int = 1_000_000  # a larger max_tokens is absurd: 400
    simulator_latency_ms: float = 40.0  # the simulator's answer time (0 for benchmarks)
    limits_storage_url: str = "memory://"  # the `limits` storage; redis:// shares counters between workers
    cache_ttl_s: float = 5.0  # keys/policies written by another process are seen within this
    flush_interval_s: float = 0.25  # the recorder's batch period
    upstream_timeout_s: float = 60.0

    @classmethod
    def from_env(cls) -> "GatewayConfig":
        return cls(
            public_url=gateway_public_url(),
            max_body_bytes=int(_float("MAAS_GATEWAY_MAX_BODY_BYTES", 1_000_000)),
            simulator_latency_ms=_float("MAAS_SIMULATOR_LATENCY_MS", 40.0),
            limits_storage_url=gateway_counters_url(),
            cache_ttl_s=_float("MAAS_GATEWAY_CACHE_TTL", 5.0),
            flush_interval_s=_float("MAAS_GATEWAY_FLUSH_INTERVAL", 0.25),
            upstream_timeout_s=_float("MAAS_GATEWAY_UPSTREAM_TIMEOUT", 60.0),
        )
