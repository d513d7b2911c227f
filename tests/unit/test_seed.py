"""The seed: deterministic, idempotent, realistic counts, secrets never in plain text."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone

from sqlalchemy import text
from sqlmodel import select

from maas_ui import db
from maas_ui.domain.keys import SecretBox, display_status, hash_secret
from maas_ui.models import AiAsset, ApiKey, AssetKind, Group, Policy, ServiceAccount, User
from maas_ui.settings import secret_key
from seed import seed_database
from tests.conftest import SEED_NOW
from tests.databases import as_utc, db_time, sql_hour, sql_weekday


def _snapshot(url: str) -> dict:
    with db.get_engine(url).connect() as conn:
        return {
            "users": conn.execute(text("SELECT username, full_name, email FROM users ORDER BY id")).all(),
            "keys": conn.execute(text(
                "SELECT public_id, name, owner_kind, owner_id, status, expires_at, secret_hash, last_used_at "
                "FROM api_keys ORDER BY id")).all(),
            "usage": conn.execute(text(
                "SELECT COUNT(*), SUM(requests), SUM(errors), SUM(input_tokens), ROUND(CAST(SUM(cost_usd) AS NUMERIC), 4) "
                "FROM usage_rollups")).one(),
        }


def test_counts_are_realistic(seeded_db_url):
    with db.session(seeded_db_url) as s:
        assert len(s.exec(select(User)).all()) == 25
        groups = {g.name for g in s.exec(select(Group)).all()}
        assert {"ai-engineers", "data-science", "platform-admins"} <= groups and len(groups) == 6
        assert len(s.exec(select(ServiceAccount)).all()) == 4
        assets = s.exec(select(AiAsset)).all()
        kinds = Counter(a.kind for a in assets)
        assert kinds[AssetKind.MODEL] >= 5 and kinds[AssetKind.MCP_SERVER] == 3
        assert 2 <= kinds[AssetKind.VECTOR_DB] <= 3 and 2 <= kinds[AssetKind.AGENT] <= 3
        names = {a.name for a in assets}
        assert {"gpt-oss-20b", "granite-3.1b", "OpenShift", "RHEL", "Ansible"} <= names
        keys = s.exec(select(ApiKey)).all()
        assert len(keys) == 40
        statuses = Counter(display_status(k.status, k.expires_at, SEED_NOW) for k in keys if k.deleted_at is None)
        assert statuses["Active"] > 0 and statuses["Expired"] > 0 and statuses["Disabled"] > 0
        assert {k.owner_kind for k in keys} == {"user", "group", "service_account"}
        assert any(k.last_used_at is None for k in keys) and any(k.last_used_at for k in keys)
        slugs = {p.slug for p in s.exec(select(Policy)).all()}
        assert {"devs-rate-limit-standard", "devs-budget-standard"} <= slugs


def test_usage_covers_a_year_with_weekday_daytime_rhythm(seeded_db_url):
    with db.get_engine(seeded_db_url).connect() as conn:
        first, last = conn.execute(text("SELECT MIN(hour_start), MAX(hour_start) FROM usage_rollups")).one()
        assert as_utc(first).year == 2025 and as_utc(last).date() == date(2026, 6, 15)
        by_weekday = dict(conn.execute(text(
            f"SELECT {sql_weekday('hour_start')} AS d, SUM(requests) FROM usage_rollups GROUP BY d")).all())
        weekend = by_weekday[0] + by_weekday[6]
        weekdays = sum(v for k, v in by_weekday.items() if k not in (0, 6))
        assert weekdays / 5 > 2 * weekend / 2  # a weekday carries well over twice a weekend day's traffic
        afternoon, night = (conn.execute(text(
            f"SELECT SUM(requests) FROM usage_rollups WHERE {sql_hour('hour_start')} = {h}"
        )).scalar_one() for h in (14, 3))
        assert afternoon > 2 * night
        h1, h2 = (conn.execute(text(
            f"SELECT SUM(requests) FROM usage_rollups WHERE hour_start {op} :d"), {"d": db_time(datetime(2025, 12, 15, tzinfo=timezone.utc))}).scalar_one()
            for op in ("<", ">="))
        assert h2 > h1  # growth over the year
        spikes = conn.execute(text(
            "SELECT COUNT(*) FROM usage_rollups WHERE requests >= 10 AND errors * 5 >= requests")).scalar_one()
        assert spikes > 0


def test_seed_is_deterministic(make_db_url):
    urls = []
    for name in ("a", "b"):
        url = make_db_url(name)
        db.migrate(url)
        seed_database(url, now=SEED_NOW)
        urls.append(url)
    assert _snapshot(urls[0]) == _snapshot(urls[1])


def test_seed_is_idempotent_and_reset_reseeds(fresh_seeded_db_url):
    before = _snapshot(fresh_seeded_db_url)
    assert seed_database(fresh_seeded_db_url, now=SEED_NOW).seeded is False
    assert _snapshot(fresh_seeded_db_url) == before
    report = seed_database(fresh_seeded_db_url, reset=True, now=SEED_NOW)
    assert report.seeded and report.keys == 40
    assert _snapshot(fresh_seeded_db_url) == before


def test_secrets_are_stored_hashed_and_encrypted_never_plain(seeded_db_url):
    box = SecretBox(secret_key())
    with db.session(seeded_db_url) as s:
        live = [k for k in s.exec(select(ApiKey)).all() if k.deleted_at is None]
        for key in live:
            plaintext = box.decrypt(key.secret_encrypted)
            assert plaintext and plaintext.startswith("sk-")
            assert hash_secret(plaintext) == key.secret_hash
            row = " ".join(str(v) for v in key.model_dump().values())
            assert plaintext not in row
        deleted = [k for k in s.exec(select(ApiKey)).all() if k.deleted_at is not None]
        assert deleted and all(k.secret_encrypted == "" for k in deleted)
