"""Deterministic, idempotent demo data for the MaaS Console."""

from seed.generator import SeedConfig, SeedReport, seed_database

__all__ = ["SeedConfig", "SeedReport", "seed_database"]
