"""Deterministic demo data: Faker (fixed seed) for people, numpy for a year of hourly usage.

Idempotent: an already seeded database is left alone unless reset=True.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from faker import Faker
from sqlalchemy import bindparam, func, text, update
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from maas_ui import db
from maas_ui.domain.latency import BUCKET_BOUNDS_MS, BUCKET_COLUMNS, BUCKET_COUNT
from maas_ui.domain.keys import SecretBox, mint_secret, new_public_id
from maas_ui.models import (
    AiAsset,
    ApiKey,
    ApiKeyAsset,
    AssetKind,
    AuditLog,
    Group,
    GroupMembership,
    KeyStatus,
    McpTool,
    Notification,
    OwnerKind,
    Policy,
    PolicyAsset,
    PolicyTarget,
    ServiceAccount,
    Tier,
    TierGroup,
    UsageDaily,
    UsageHourlyTotal,
    UsageRollup,
    User,
)
from maas_ui.settings import admin_group, secret_key
from seed import catalog

SEED = 2026
SEED_ACTOR = "seed@example.com"
DEMO_SEED_ACTION = "seed.demo_data"


@dataclass(frozen=True)
class SeedConfig:
    users: int = 25
    keys: int = 40
    usage_days: int = 365
    seed: int = SEED
    # Multiplies every key's hourly request rate; more traffic also means fewer empty hours (more rows).
    traffic_scale: float = 1.0

    @classmethod
    def large(cls) -> "SeedConfig":
        """Benchmark data: 500 keys, a year of hourly rollups, about 4 million rows."""
        return cls(keys=500, traffic_scale=5.0)


@dataclass
class SeedReport:
    seeded: bool
    users: int = 0
    groups: int = 0
    service_accounts: int = 0
    assets: int = 0
    keys: int = 0
    policies: int = 0
    tiers: int = 0
    usage_rows: int = 0


def current_hour() -> datetime:
    return datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)


# Delete order respects foreign keys.
_TABLES_CHILD_FIRST = [
    Notification, TierGroup, Tier, UsageHourlyTotal, UsageDaily, UsageRollup, AuditLog, PolicyTarget, PolicyAsset,
    Policy, ApiKeyAsset, ApiKey,
    McpTool, AiAsset, GroupMembership, ServiceAccount, Group, User,
]


def clear(url: str | None = None) -> None:
    engine = db.get_engine(url)
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # With foreign keys on, SQLite deletes row by row; off, DELETE without WHERE truncates
            # (seconds instead of a minute at 4 million usage rows). Child-first order keeps integrity.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()  # end SQLAlchemy's autobegun transaction: pragmas apply outside one
        try:
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    # RESTART IDENTITY: ids start at 1 again, as SQLite's do, so a reset reseeds alike;
                    # CASCADE: rows of other tables that point at these (the gateway's requests) go too.
                    names = ", ".join(f'"{t.__tablename__}"' for t in _TABLES_CHILD_FIRST)
                    conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
                else:
                    for table in _TABLES_CHILD_FIRST:
                        conn.execute(SQLModel.metadata.tables[table.__tablename__].delete())
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()  # end SQLAlchemy's autobegun transaction: pragmas apply outside one


def seed_database(
    url: str | None = None,
    *,
    reset: bool = False,
    config: SeedConfig | None = None,
    now: datetime | None = None,
) -> SeedReport:
    config = config or SeedConfig()
    if db.is_seeded(url) and not reset:
        return SeedReport(seeded=False)
    if reset:
        clear(url)
    now = now or current_hour()
    return _Generator(config, now, url).run()


def _rhythm(hour_times: list[datetime]) -> np.ndarray:
    """Relative traffic of each hour: weekday/daytime rhythm, peak mid-afternoon UTC."""
    hour_of_day = np.array([t.hour for t in hour_times])
    weekday = np.array([t.weekday() for t in hour_times])  # 0 = Monday
    daytime = 0.15 + np.exp(-((hour_of_day - 14) ** 2) / 18.0)
    week = np.where(weekday >= 5, 0.3, 1.0)
    return daytime * week


def _measures(np_rng, req: np.ndarray, errs: np.ndarray, asset: AiAsset, model_meta: dict):
    """Tokens, cost and latency of hours with `req` requests of which `errs` failed."""
    n = req.size
    ok = req - errs
    if asset.kind == AssetKind.MODEL:
        meta = model_meta[asset.identifier]
        tin = (ok * np_rng.gamma(4.0, 180.0, size=n)).astype(np.int64)
        tout = (ok * np_rng.gamma(3.0, 90.0, size=n)).astype(np.int64)
        if meta[6] < 100:  # embeddings produce no output tokens
            tout[:] = 0
        cost = tin / 1e6 * (asset.price_input_per_1m or 0) + tout / 1e6 * (asset.price_output_per_1m or 0)
        mean_lat = meta[6]
    else:
        tin = np.zeros(n, dtype=np.int64)
        tout = np.zeros(n, dtype=np.int64)
        cost = np.zeros(n)
        mean_lat = 140.0 if asset.kind != AssetKind.AGENT else 2400.0
    lat_mean = mean_lat * np_rng.uniform(0.8, 1.25, size=n)
    lat_sum = lat_mean * req
    lat_max = lat_mean * np_rng.uniform(1.3, 4.0, size=n)
    return tin, tout, cost, lat_sum, lat_max


def _histogram(req: np.ndarray, lat_sum: np.ndarray) -> np.ndarray:
    """Requests per latency bucket (domain.latency) for hours with `req` requests of mean
    latency lat_sum/req: most in the mean's bucket, some faster, a tail slower. No random draws
    (the seed's random streams, and so its other figures, stay as they were)."""
    n = req.size
    out = np.zeros((n, BUCKET_COUNT), dtype=np.int64)
    if n == 0:
        return out
    mean = np.divide(lat_sum, np.maximum(req, 1))
    b = np.searchsorted(np.asarray(BUCKET_BOUNDS_MS, dtype=float), mean, side="left")
    faster = (req * 15) // 100
    slower = (req * 20) // 100
    tail = (req * 5) // 100
    rows = np.arange(n)
    np.add.at(out, (rows, np.clip(b - 1, 0, BUCKET_COUNT - 1)), faster)
    np.add.at(out, (rows, np.clip(b + 1, 0, BUCKET_COUNT - 1)), slower)
    np.add.at(out, (rows, np.clip(b + 2, 0, BUCKET_COUNT - 1)), tail)
    np.add.at(out, (rows, np.clip(b, 0, BUCKET_COUNT - 1)), req - faster - slower - tail)
    return out


def _throttled(errs: np.ndarray, key: ApiKey) -> np.ndarray:
    """A rate-limited key: a third of its failures were 429s (errors that are also throttled),
    and a small share of its calls went over a soft limit."""
    limited = bool(key.requests_per_minute or key.tokens_per_minute)
    return errs // 3 + (errs + 1) // 8 if limited else np.zeros_like(errs)


class _Generator:
    def __init__(self, config: SeedConfig, now: datetime, url: str | None):
        self.config = config
        self.now = now
        self.url = url
        self.rng = random.Random(config.seed)
        self.np_rng = np.random.default_rng(config.seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(config.seed)
        self.box = SecretBox(secret_key())

    def run(self) -> SeedReport:
        report = SeedReport(seeded=True)
        with db.session(self.url) as s:
            users = self._users(s)
            groups = self._groups(s, users)
            sas = self._service_accounts(s)
            assets = self._assets(s)
            s.flush()
            keys, key_assets = self._keys(s, users, groups, sas, assets)
            s.flush()
            policies = self._policies(s, users, groups, sas, assets)
            tiers = self._tiers(s, users, groups)
            # Marks the database as demo data (is_demo_database): only demo data gets topped up.
            s.add(AuditLog(at=self.now, actor=SEED_ACTOR, action=DEMO_SEED_ACTION, entity_kind="database",
                           entity_id="demo", summary=f"Demo data seeded with seed {self.config.seed}"))
            s.commit()
            report.users, report.groups, report.service_accounts = len(users), len(groups), len(sas)
            report.assets, report.keys, report.policies = len(assets), len(keys), len(policies)
            report.tiers = len(tiers)
        report.usage_rows = self._usage(keys, key_assets, assets)
        return report

    # People -------------------------------------------------------------------------------
    def _users(self, s) -> list[User]:
        users, seen = [], set()
        while len(users) < self.config.users:
            first, last = self.fake.first_name(), self.fake.last_name()
            username = f"{first[0]}{last}".lower().replace("'", "")
            if username in seen:
                continue
            seen.add(username)
            users.append(User(
                username=username, full_name=f"{first} {last}", email=f"{username}@example.com",
                created_at=self.now - timedelta(days=self.rng.randint(200, 900)),
            ))
        s.add_all(users)
        s.flush()
        return users

    def _groups(self, s, users: list[User]) -> list[Group]:
        # The catalog's admin group takes the configured name (MAAS_ADMIN_GROUP).
        groups = [Group(name=admin_group() if n == catalog.ADMIN_GROUP else n, description=d,
                        created_at=self.now - timedelta(days=800 - i))
                  for i, (n, d) in enumerate(catalog.GROUPS)]
        s.add_all(groups)
        s.flush()
        admins = groups[2]
        for i, user in enumerate(users):
            # Everyone is in one or two groups; the first three users, and only they, are admins
            # (a random pick of the admin group goes to data-science instead).
            extra = self.rng.choice(groups)
            if extra is admins and i >= 3:
                extra = groups[1]
            picks = {(groups[0 if i % 3 else 4] if i >= 3 else admins).id, extra.id}
            for group_id in sorted(picks):
                s.add(GroupMembership(group_id=group_id, user_id=user.id))
        return groups

    def _service_accounts(self, s) -> list[ServiceAccount]:
        sas = [ServiceAccount(name=n, namespace=ns, description=d, created_at=self.now - timedelta(days=400 - 20 * i))
               for i, (n, ns, d) in enumerate(catalog.SERVICE_ACCOUNTS)]
        s.add_all(sas)
        s.flush()
        return sas

    def _assets(self, s) -> list[AiAsset]:
        created = self.now - timedelta(days=420)
        assets: list[AiAsset] = []
        for name, ident, url, desc, p_in, p_out, _lat in catalog.MODELS:
            assets.append(AiAsset(kind=AssetKind.MODEL, name=name, identifier=ident, endpoint_url=url,
                                  description=desc, price_input_per_1m=p_in, price_output_per_1m=p_out,
                                  created_at=created))
        for name, ident, url, desc, _tools in catalog.MCP_SERVERS:
            assets.append(AiAsset(kind=AssetKind.MCP_SERVER, name=name, identifier=ident, endpoint_url=url,
                                  description=desc, created_at=created))
        for name, ident, url, desc, size in catalog.VECTOR_DBS:
            assets.append(AiAsset(kind=AssetKind.VECTOR_DB, name=name, identifier=ident, endpoint_url=url,
                                  description=desc, size_bytes=size, created_at=created))
        for name, ident, url, desc in catalog.AGENTS:
            assets.append(AiAsset(kind=AssetKind.AGENT, name=name, identifier=ident, endpoint_url=url,
                                  description=desc, created_at=created))
        s.add_all(assets)
        s.flush()
        by_ident = {a.identifier: a for a in assets}
        for _name, ident, _url, _desc, tools in catalog.MCP_SERVERS:
            for tool_name, tool_desc in tools:
                s.add(McpTool(asset_id=by_ident[ident].id, name=tool_name, description=tool_desc))
        return assets

    # Keys ---------------------------------------------------------------------------------
    _PURPOSES = [
        "chatbot", "rag-pipeline", "code-assistant", "eval-harness", "summarizer", "notebook",
        "ticket-triage", "doc-search", "playground", "batch-jobs", "slack-bot", "ide-plugin",
    ]
    _ENVS = ["dev", "staging", "prod", "test", "demo"]

    def _keys(self, s, users, groups, sas, assets) -> tuple[list[ApiKey], dict[int, list[AiAsset]]]:
        models = [a for a in assets if a.kind == AssetKind.MODEL]
        others = [a for a in assets if a.kind != AssetKind.MODEL]
        keys: list[ApiKey] = []
        key_assets: dict[int, list[AiAsset]] = {}
        used_names: set[tuple[str, int, str]] = set()
        n = self.config.keys
        for i in range(n):
            r = self.rng.random()
            if r < 0.62:
                kind, owner = OwnerKind.USER, self.rng.choice(users)
            elif r < 0.85:
                kind, owner = OwnerKind.GROUP, self.rng.choice(groups)
            else:
                kind, owner = OwnerKind.SERVICE_ACCOUNT, self.rng.choice(sas)
            name = f"{self.rng.choice(self._PURPOSES)}-{self.rng.choice(self._ENVS)}"
            while (kind.value, owner.id, name) in used_names:
                name = f"{name}-{self.rng.randint(2, 99)}"
            used_names.add((kind.value, owner.id, name))
            created = self.now - timedelta(hours=self.rng.randint(24 * 3, 24 * (self.config.usage_days - 5)))
            status = KeyStatus.ACTIVE
            expires = None
            roll = self.rng.random()
            if roll < 0.14:  # expired
                expires = created + timedelta(days=self.rng.randint(30, 120))
                if expires >= self.now:
                    expires = self.now - timedelta(days=self.rng.randint(1, 20))
            elif roll < 0.26:
                status = KeyStatus.DISABLED
            elif roll < 0.55:
                expires = self.now + timedelta(days=self.rng.randint(15, 300))
            limits_roll = self.rng.random()
            secret = mint_secret(self.rng)
            key = ApiKey(
                public_id=new_public_id(self.rng), name=name,
                description=self.fake.sentence(nb_words=8).rstrip("."),
                owner_kind=kind, owner_id=owner.id, owner_name=owner.full_name if kind == OwnerKind.USER else owner.name,
                status=status,
                tokens_per_minute=self.rng.choice([10_000, 20_000, 50_000]) if limits_roll < 0.5 else None,
                requests_per_minute=self.rng.choice([30, 60, 120]) if limits_roll < 0.4 else None,
                budget_usd=float(self.rng.choice([50, 100, 250, 500])) if limits_roll < 0.3 else None,
                expires_at=expires, created_at=created,
                created_by=self.rng.choice(users[:3]).email,
                secret_hash=secret.sha256, secret_encrypted=self.box.encrypt(secret.plaintext),
                secret_prefix=secret.prefix, secret_suffix=secret.suffix,
            )
            keys.append(key)
        s.add_all(keys)
        s.flush()
        for i, key in enumerate(keys):
            chosen = self.rng.sample(models, k=self.rng.choice([1, 1, 2, 2, 3, 4]))
            if i % 2 == 0:
                chosen = [models[0 if i % 4 == 0 else 1]] + [m for m in chosen if m not in models[:2]]
            if self.rng.random() < 0.45:
                chosen += self.rng.sample(others, k=self.rng.choice([1, 2]))
            key_assets[key.id] = chosen
            for a in chosen:
                s.add(ApiKeyAsset(key_id=key.id, asset_id=a.id))
        # Two retired keys: deleted but their usage still counts in totals.
        for key in keys[-2:]:
            key.deleted_at = self.now - timedelta(days=self.rng.randint(3, 30))
            key.secret_encrypted = ""
        return keys, key_assets

    # Policies -----------------------------------------------------------------------------
    def _policies(self, s, users, groups, sas, assets) -> list[Policy]:
        group_by_name = {g.name: g for g in groups} | {catalog.ADMIN_GROUP: groups[2]}
        sa_by_name = {a.name: a for a in sas}
        asset_by_ident = {a.identifier: a for a in assets}
        created = self.now - timedelta(days=120)
        policies = []
        for i, spec in enumerate(catalog.POLICIES):
            token = spec.get("token") or (None, None, None)
            request = spec.get("request") or (None, None, None)
            start, end = spec.get("time") or (None, None)
            p = Policy(
                slug=spec["slug"], name=spec["name"], description=spec["description"],
                is_active=spec["active"], kuadrant_kind=spec["kind"],
                token_limit=token[0], token_window_value=token[1], token_window_unit=token[2],
                request_limit=request[0], request_window_value=request[1], request_window_unit=request[2],
                budget_usd=spec.get("budget"), time_window_start=start, time_window_end=end,
                over_limit_behavior=spec.get("behavior", "hard"),
                all_models=spec.get("models") is None, all_mcp_servers=spec.get("mcp_servers") is None,
                created_at=created + timedelta(days=i), created_by=users[0].email,
                updated_at=created + timedelta(days=i), **spec.get("renewal", {}),
            )
            s.add(p)
            s.flush()
            policies.append(p)
            for ident in (spec.get("models") or []) + (spec.get("mcp_servers") or []):
                s.add(PolicyAsset(policy_id=p.id, asset_id=asset_by_ident[ident].id))
            for g in spec.get("groups", []):
                s.add(PolicyTarget(policy_id=p.id, target_kind=OwnerKind.GROUP, target_id=group_by_name[g].id))
            for idx in spec.get("users", []):
                s.add(PolicyTarget(policy_id=p.id, target_kind=OwnerKind.USER, target_id=users[idx].id))
            for sa in spec.get("service_accounts", []):
                s.add(PolicyTarget(policy_id=p.id, target_kind=OwnerKind.SERVICE_ACCOUNT, target_id=sa_by_name[sa].id))
        return policies

    # Tiers --------------------------------------------------------------------------------
    def _tiers(self, s, users, groups) -> list[Tier]:
        group_by_name = {g.name: g for g in groups}
        created = self.now - timedelta(days=90)
        tiers = []
        for name, slug, level, group_names, token, request, description in catalog.TIERS:
            token, request = token or (None, None, None), request or (None, None, None)
            t = Tier(slug=slug, name=name, description=description, level=level,
                     token_limit=token[0], token_window_value=token[1], token_window_unit=token[2],
                     request_limit=request[0], request_window_value=request[1], request_window_unit=request[2],
                     created_at=created, created_by=users[0].email, updated_at=created)
            s.add(t)
            s.flush()
            tiers.append(t)
            for g in group_names:
                s.add(TierGroup(tier_id=t.id, group_id=group_by_name[g].id))
        return tiers

    # Usage --------------------------------------------------------------------------------
    def _usage(self, keys: list[ApiKey], key_assets: dict[int, list[AiAsset]], assets: list[AiAsset]) -> int:
        """Hourly rollups with weekday/daytime rhythm, growth over the year and occasional error spikes."""
        hours = self.config.usage_days * 24
        start = self.now - timedelta(hours=hours)
        hour_index = np.arange(hours)
        hour_times = [start + timedelta(hours=int(h)) for h in range(hours)]
        growth = 0.5 + hour_index / hours  # traffic doubles over the year
        rhythm = _rhythm(hour_times) * growth
        model_meta = {m[1]: m for m in catalog.MODELS}
        last_used: dict[int, datetime] = {}
        total = 0
        engine = db.get_engine(self.url)
        # Raw driver executemany: the ORM's per-row processing would dominate a multi-million-row seed.
        columns = ["key_id", "asset_id", "hour_start", "requests", "errors", "input_tokens", "output_tokens",
                   "cost_usd", "latency_ms_sum", "latency_ms_max", "throttled", *BUCKET_COLUMNS]
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        insert_sql = (f"INSERT INTO usage_rollups ({', '.join(columns)}) VALUES "
                      f"({', '.join([mark] * len(columns))})")
        if engine.dialect.name == "sqlite":  # SQLAlchemy's SQLite storage format for UTC datetimes
            stored_times = [t.strftime("%Y-%m-%d %H:%M:%S.000000") for t in hour_times]
        else:
            stored_times = hour_times
        # Column chunks, one per (key, asset); written at the end sorted by hour, the order in which a
        # live gateway appends its hourly rollups (time-range scans then read neighbouring pages).
        cols: dict[str, list[np.ndarray]] = {c: [] for c in (
            "hour", "key", "asset", "req", "err", "tin", "tout", "cost", "lat_sum", "lat_max", "thr", "hist")}

        for key in keys:
            if self.rng.random() < 0.1 and key.deleted_at is None:
                continue  # some keys were never used
            begin = max(0, int((key.created_at - start).total_seconds() // 3600))
            stop = hours
            if key.expires_at is not None and key.expires_at < self.now:
                stop = min(stop, int((key.expires_at - start).total_seconds() // 3600))
            if key.status == KeyStatus.DISABLED:
                stop = min(stop, hours - self.rng.randint(24 * 5, 24 * 60))
            if key.deleted_at is not None:
                stop = min(stop, int((key.deleted_at - start).total_seconds() // 3600))
            if stop <= begin:
                continue
            base = self.np_rng.lognormal(mean=2.2, sigma=0.9)  # requests per peak hour
            span = slice(begin, stop)
            lam = base * rhythm[span] * self.config.traffic_scale
            # Error spikes: a few bursts of 2-6 hours with 20-45% errors.
            err_rate = np.full(stop - begin, self.np_rng.uniform(0.005, 0.03))
            for _ in range(self.np_rng.integers(1, 5)):
                at = self.np_rng.integers(0, stop - begin)
                err_rate[at: at + self.np_rng.integers(2, 7)] = self.np_rng.uniform(0.2, 0.45)
            granted = key_assets[key.id]
            weights = self.np_rng.dirichlet(np.ones(len(granted)))
            key_last = None
            for asset, w in zip(granted, weights):
                req = self.np_rng.poisson(lam * w)
                nz = np.nonzero(req)[0]
                if nz.size == 0:
                    continue
                req = req[nz]
                errs = self.np_rng.binomial(req, err_rate[nz])
                tin, tout, cost, lat_sum, lat_max = _measures(self.np_rng, req, errs, asset, model_meta)
                hour_idx = nz + begin
                for name, values in (
                    ("hour", hour_idx), ("key", np.full(nz.size, key.id)), ("asset", np.full(nz.size, asset.id)),
                    ("req", req), ("err", errs), ("tin", tin), ("tout", tout), ("cost", np.round(cost, 6)),
                    ("lat_sum", np.round(lat_sum, 1)), ("lat_max", np.round(lat_max, 1)),
                    ("thr", _throttled(errs, key)), ("hist", _histogram(req, lat_sum)),
                ):
                    cols[name].append(np.asarray(values))
                total += nz.size
                last_hour = hour_times[int(hour_idx[-1])] + timedelta(minutes=int(self.np_rng.integers(1, 59)))
                key_last = max(key_last, last_hour) if key_last else last_hour
            if key_last is not None:
                last_used[key.id] = key_last
        self._write_usage(engine, insert_sql, stored_times, cols)
        self._write_daily(engine)
        if last_used:
            keys_table = ApiKey.__table__
            # Through the column's type, so the stored text matches the app's own datetimes.
            stmt = update(keys_table).where(keys_table.c.id == bindparam("key_id")).values(last_used_at=bindparam("at"))
            with engine.begin() as conn:
                conn.execute(stmt, [{"key_id": k, "at": at} for k, at in last_used.items()])
        return total

    @staticmethod
    def _write_daily(engine) -> None:
        """usage_daily from the hourly rollups just written (one INSERT ... SELECT ... GROUP BY day)."""
        from maas_ui.services.usage import refresh_daily

        with engine.begin() as conn:
            refresh_daily(conn)
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("ANALYZE usage_daily")

    @staticmethod
    def _write_usage(engine, insert_sql: str, stored_times: list, cols: dict[str, list[np.ndarray]]) -> None:
        if not cols["hour"]:
            return
        data = {name: np.concatenate(chunks) for name, chunks in cols.items()}
        order = np.lexsort((data["asset"], data["key"], data["hour"]))
        times = np.asarray(stored_times, dtype=object)
        chunk = 200_000
        # Secondary indexes are built once after the bulk load (a sort) rather than row by row.
        indexes = sorted(UsageRollup.__table__.indexes, key=lambda i: i.name) if order.size > 500_000 else []
        with engine.connect() as conn:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:  # the index B-trees of millions of rows must fit the page cache, or I/O dominates
                conn.exec_driver_sql("PRAGMA cache_size=-512000")
                conn.commit()  # end SQLAlchemy's autobegun transaction: pragmas apply outside one
            with conn.begin():
                for index in indexes:
                    index.drop(conn, checkfirst=True)
            try:
                for lo in range(0, order.size, chunk):
                    sel = order[lo: lo + chunk]
                    rows = list(zip(
                        data["key"][sel].tolist(), data["asset"][sel].tolist(), times[data["hour"][sel]].tolist(),
                        data["req"][sel].tolist(), data["err"][sel].tolist(), data["tin"][sel].tolist(),
                        data["tout"][sel].tolist(), data["cost"][sel].tolist(), data["lat_sum"][sel].tolist(),
                        data["lat_max"][sel].tolist(), data["thr"][sel].tolist(),
                        *[data["hist"][sel, i].tolist() for i in range(BUCKET_COUNT)],
                    ))
                    with conn.begin():
                        conn.exec_driver_sql(insert_sql, rows)
            finally:
                with conn.begin():
                    for index in indexes:
                        index.create(conn, checkfirst=True)
                    if sqlite:
                        conn.exec_driver_sql("ANALYZE usage_rollups")  # planner statistics for the new data
                if sqlite:
                    conn.exec_driver_sql("PRAGMA cache_size=-2000")
                    conn.commit()  # end SQLAlchemy's autobegun transaction: pragmas apply outside one


# Top-up ---------------------------------------------------------------------------------------

TOP_UP_MAX_GAP = timedelta(days=90)
_TOP_UP_BASIS = timedelta(days=28)  # each key's recent traffic sets its rate for the new hours


@dataclass
class TopUpReport:
    usage_rows: int = 0
    keys: int = 0
    start: datetime | None = None  # the new hours: [start, end)
    end: datetime | None = None


def is_demo_database(url: str | None = None) -> bool:
    """The database holds seeded demo data: the seed wrote its audit entry."""
    with db.session(url) as s:
        return s.exec(select(AuditLog.id).where(AuditLog.action == DEMO_SEED_ACTION).limit(1)).first() is not None


def top_up(url: str | None = None, *, now: datetime | None = None, max_gap: timedelta = TOP_UP_MAX_GAP,
           seed: int = SEED) -> TopUpReport:
    """Extend a seeded demo database's usage to the last complete hour before `now`.

    The seed's data ends at the hour it ran; a database seeded days ago would show empty recent
    ranges. For every key that is active, not expired and not deleted, each of its assets gets the
    hours after the newest rollup (at most `max_gap` of them), drawn with the seed's model: the
    weekday/daytime rhythm scaled to the key's traffic on that asset over the last 28 days of data,
    Poisson requests, the key's recent error share, the seed's tokens, cost and latency. Keys
    without recent traffic stay quiet. Deterministic: the same database and `now` give the same
    rows. Updates last_used_at and the daily sums of the days written.
    """
    from maas_ui.services.usage import refresh_daily

    horizon = (now or current_hour()).astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    engine = db.get_engine(url)
    report = TopUpReport()
    with engine.connect() as conn:
        newest = conn.execute(text("SELECT MAX(hour_start) FROM usage_rollups")).scalar()
    if newest is None:
        return report
    newest = newest if isinstance(newest, datetime) else datetime.fromisoformat(str(newest))
    newest = newest.replace(tzinfo=timezone.utc) if newest.tzinfo is None else newest.astimezone(timezone.utc)
    start = max(newest + timedelta(hours=1), horizon - max_gap)
    if start >= horizon:
        return report
    hours = int((horizon - start) / timedelta(hours=1))
    hour_times = [start + timedelta(hours=h) for h in range(hours)]
    shape = _rhythm(hour_times)
    basis_start = newest + timedelta(hours=1) - _TOP_UP_BASIS
    basis_hours = [basis_start + timedelta(hours=h) for h in range(int(_TOP_UP_BASIS / timedelta(hours=1)))]
    basis_shape = float(_rhythm(basis_hours).sum())
    model_meta = {m[1]: m for m in catalog.MODELS}
    rows: list[dict] = []
    last_used: dict[int, datetime] = {}
    with db.session(url) as s:
        assets = {a.id: a for a in s.exec(select(AiAsset)).all()}
        keys = s.exec(select(ApiKey).where(ApiKey.status == KeyStatus.ACTIVE, ApiKey.deleted_at.is_(None))
                      .order_by(ApiKey.id)).all()
        recent = {
            (r.key_id, r.asset_id): r for r in s.connection().execute(
                sa_select(UsageRollup.key_id, UsageRollup.asset_id, func.sum(UsageRollup.requests).label("req"),
                       func.sum(UsageRollup.errors).label("err"))
                .where(UsageRollup.hour_start >= basis_start)
                .group_by(UsageRollup.key_id, UsageRollup.asset_id))
        }
        for key in keys:
            stop = hours
            if key.expires_at is not None:
                expires = key.expires_at.astimezone(timezone.utc)
                stop = min(stop, max(0, int((expires - start).total_seconds() // 3600)))
            if stop <= 0:
                continue
            key_last = None
            granted = s.exec(select(ApiKeyAsset.asset_id).where(ApiKeyAsset.key_id == key.id)
                             .order_by(ApiKeyAsset.asset_id)).all()
            for asset_id in granted:
                basis = recent.get((key.id, asset_id))
                if basis is None or not basis.req:
                    continue
                np_rng = np.random.default_rng([seed, key.id, asset_id, int(start.timestamp()) // 3600])
                lam = basis.req / basis_shape * shape[:stop]
                req = np_rng.poisson(lam)
                nz = np.nonzero(req)[0]
                if nz.size == 0:
                    continue
                req = req[nz]
                errs = np_rng.binomial(req, min(0.45, basis.err / basis.req))
                tin, tout, cost, lat_sum, lat_max = _measures(np_rng, req, errs, assets[asset_id], model_meta)
                thr, hist = _throttled(errs, key), _histogram(req, lat_sum)
                for i, h in enumerate(nz.tolist()):
                    rows.append(dict(
                        key_id=key.id, asset_id=asset_id, hour_start=hour_times[h], requests=int(req[i]),
                        errors=int(errs[i]), input_tokens=int(tin[i]), output_tokens=int(tout[i]),
                        cost_usd=round(float(cost[i]), 6), latency_ms_sum=round(float(lat_sum[i]), 1),
                        latency_ms_max=round(float(lat_max[i]), 1), throttled=int(thr[i]),
                        **{c: int(hist[i, j]) for j, c in enumerate(BUCKET_COLUMNS)},
                    ))
                at = hour_times[int(nz[-1])] + timedelta(minutes=int(np_rng.integers(1, 59)))
                key_last = max(key_last, at) if key_last else at
            if key_last is not None:
                last_used[key.id] = key_last
    rows.sort(key=lambda r: (r["hour_start"], r["key_id"], r["asset_id"]))  # the order a gateway appends
    with engine.begin() as conn:
        if rows:
            conn.execute(UsageRollup.__table__.insert(), rows)
        keys_t = ApiKey.__table__
        for key_id, at in last_used.items():
            conn.execute(update(keys_t).where(keys_t.c.id == key_id, (keys_t.c.last_used_at.is_(None))
                                              | (keys_t.c.last_used_at < at)).values(last_used_at=at))
        refresh_daily(conn, start, horizon)
    report.usage_rows, report.keys, report.start, report.end = len(rows), len(last_used), start, horizon
    return report
