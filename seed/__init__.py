"""Deterministic, idempotent demo data for the MaaS Console."""

from seed.generator import SeedConfig, SeedReport, TopUpReport, is_demo_database, seed_database, top_up

__all__ = ["SeedConfig", "SeedReport", "TopUpReport", "is_demo_database", "seed_database", "top_up"]
