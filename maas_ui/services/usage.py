"""Usage queries over the hourly rollups (no Reflex import).

Every figure is summed by the database (GROUP BY time bucket, key, asset, user, group); Python
only receives aggregated rows, and pandas reshapes those small results (gap filling, joins with
names, sorting) for tables and Plotly.

Query plan notes (SQLite, 4M rows, see benchmarks/README.md):
* Time series: an inner GROUP BY hour_start streams through ix_usage_hour (or ix_usage_key_hour
  for one key) without a sort; the outer query folds the hours into buckets with integer
  arithmetic on epoch seconds, the only dialect-specific expression.
* Breakdowns: one statement aggregates per (key, asset) in a CTE that reads the covering index
  ix_usage_key_asset_hour_cover in key/asset order (no table rows, no sort), then derives the
  per-key, per-asset, per-user, per-group and total rows from that small CTE with UNION ALL.
* Long windows: whole UTC days are read from usage_daily (per key, asset and day sums of the
  hourly rollups, migration 0005_usage_daily) and only the partial-day edges from usage_rollups
  (domain.usage.split_window); the results equal the hourly-only sums. Code that writes hourly
  rollups must call `refresh_daily` for the days it touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pandas as pd
from sqlalchemy import BigInteger, Integer, and_, cast, delete, extract, func, insert, literal, literal_column, or_, select, union_all
from sqlalchemy.engine import Connection

from maas_ui import db
from maas_ui.domain.latency import BUCKET_COLUMNS
from maas_ui.domain.usage import Span, TimeWindow, Totals, split_window, success_rate, tokens_per_second
from maas_ui.models import (
    AiAsset, ApiKey, AssetKind, Group, GroupMembership, OwnerKind, ServiceAccount, UsageDaily, UsageHourlyTotal,
    UsageRollup, User,
)

U = UsageRollup.__table__
D = UsageDaily.__table__  # the same measures per UTC day (day_start)
H = UsageHourlyTotal.__table__  # the series measures of all keys together per hour
K = ApiKey.__table__
A = AiAsset.__table__
USERS = User.__table__
GROUPS = Group.__table__
MEMBERS = GroupMembership.__table__
SAS = ServiceAccount.__table__

SUM_FIELDS = ("requests", "errors", "input_tokens", "output_tokens", "cost_usd", "latency_ms_sum")
MEASURES = SUM_FIELDS + ("latency_ms_max",)
# What usage_daily sums beyond MEASURES' sums: throttled requests and the latency histogram.
DAILY_EXTRA_SUMS = ("throttled",) + BUCKET_COLUMNS
SERIES_FIELDS = ("requests", "errors", "input_tokens", "output_tokens", "cost_usd")
INT_MEASURES = ("requests", "errors", "input_tokens", "output_tokens")
CARD_FIELDS = SERIES_FIELDS  # what the four cards need

OWNER_KIND_LABEL = {OwnerKind.USER: "User", OwnerKind.GROUP: "Group", OwnerKind.SERVICE_ACCOUNT: "Service account"}
ASSET_KIND_LABEL = {
    AssetKind.MODEL: "Model", AssetKind.MCP_SERVER: "MCP server", AssetKind.VECTOR_DB: "Vector database",
    AssetKind.AGENT: "Agent",
}


@contextmanager
def _connect(url: str | None) -> Iterator[Connection]:
    with db.get_engine(url).connect() as conn:
        yield conn


# SQL building blocks -------------------------------------------------------------------------


def _sum_columns(source, fields=SUM_FIELDS, with_max: bool = True) -> list:
    cols = [func.coalesce(func.sum(source.c[f]), 0).label(f) for f in fields]
    if with_max:
        cols.append(func.coalesce(func.max(source.c.latency_ms_max), 0).label("latency_ms_max"))
    return cols


def _measure_types(df: pd.DataFrame) -> pd.DataFrame:
    """Plain int64/float64 measure columns: PostgreSQL returns sums of BIGINT sums as NUMERIC
    (Python Decimal), which neither mixes with floats nor compares with numpy integers."""
    present = [f for f in MEASURES if f in df.columns]
    return df.astype({f: "int64" if f in INT_MEASURES else "float64" for f in present})


def _in_spans(col, spans: list[Span]):
    return or_(*[and_(col >= a, col < b) for a, b in spans])


def _parts(window: TimeWindow, key_id: int | None, dims: tuple[str, ...], fields=SUM_FIELDS,
           with_max: bool = True, *, keep_buckets: bool = False) -> list:
    """SELECTs over usage_rollups (partial days) and usage_daily (whole days) that together cover
    `window` once, each grouped by `dims` ("key_id", "asset_id", "t" = the hour or day start)."""
    split = split_window(window, keep_buckets=keep_buckets)
    out = []
    for table, time_col, spans in ((U, U.c.hour_start, split.hourly), (D, D.c.day_start, split.daily)):
        # One SELECT per span: each is a plain index range search. (An OR of the ~50 spans of a
        # year's weekly chart made SQLite scan the whole hour index instead.)
        for span in spans:
            cond = _in_spans(time_col, [span])
            if key_id is not None:
                cond = and_(table.c.key_id == key_id, cond)
            dim_cols = [time_col if d == "t" else table.c[d] for d in dims]
            stmt = select(*[c.label(d) for c, d in zip(dim_cols, dims)],
                          *_sum_columns(table, fields, with_max)).where(cond)
            out.append(stmt.group_by(*dim_cols) if dims else stmt)
    return out


def _aggregate(window: TimeWindow, key_id: int | None, dims: tuple[str, ...] = (), fields=SUM_FIELDS,
               with_max: bool = True):
    """One SELECT of `dims` and the sums of `fields` over the window (hourly edges + daily days)."""
    parts = _parts(window, key_id, dims, fields, with_max)
    if len(parts) == 1:
        return parts[0]
    both = union_all(*parts).subquery("both_tables")
    dim_cols = [both.c[d] for d in dims]
    stmt = select(*dim_cols, *_sum_columns(both, fields, with_max))
    return stmt.group_by(*dim_cols) if dims else stmt


def day_start_expr(expr, dialect: str):
    """00:00 UTC of the day of a stored hour_start, stored the way the dialect stores datetimes
    (kept in step with migration 0005_usage_daily)."""
    # Literal SQL constants (no bound parameters), so the GROUP BY repeats the very same expression.
    if dialect == "sqlite":  # SQLAlchemy's SQLite storage format for UTC datetimes
        return func.strftime(literal_column("'%Y-%m-%d 00:00:00.000000'"), expr)
    if dialect in ("mysql", "mariadb"):  # assumes the session time zone is UTC
        return func.timestamp(func.date(expr))
    # PostgreSQL (timestamptz): truncate in UTC, whatever the session time zone.
    utc = literal_column("'UTC'")
    return func.timezone(utc, func.date_trunc(literal_column("'day'"), func.timezone(utc, expr)))


def refresh_daily(conn: Connection, start: datetime | None = None, end: datetime | None = None) -> int:
    """Recompute usage_daily (and usage_hourly_total) from usage_rollups for the UTC days touching
    [start, end) (all days when both are None); returns the number of daily rows written. Call it
    in the transaction that wrote the hourly rollups."""
    day = day_start_expr(U.c.hour_start, conn.dialect.name)
    cond, dcond, hcond = [], [], []
    if start is not None:
        first = start.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        cond.append(U.c.hour_start >= first)
        dcond.append(D.c.day_start >= first)
        hcond.append(H.c.hour_start >= first)
    if end is not None:
        last = end.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        if last < end:
            last += timedelta(days=1)
        cond.append(U.c.hour_start < last)
        dcond.append(D.c.day_start < last)
        hcond.append(H.c.hour_start < last)
    conn.execute(delete(D).where(*dcond))
    # The per-hour totals of every key, for the same days.
    conn.execute(delete(H).where(*hcond))
    hour_fields = (*SERIES_FIELDS, "throttled")
    conn.execute(insert(H).from_select(
        ["hour_start", *hour_fields],
        select(U.c.hour_start, *[func.sum(U.c[f]) for f in hour_fields]).where(*cond).group_by(U.c.hour_start),
    ))
    source = (
        select(U.c.key_id, U.c.asset_id, day, *[func.sum(U.c[f]) for f in SUM_FIELDS], func.max(U.c.latency_ms_max),
               *[func.sum(U.c[f]) for f in DAILY_EXTRA_SUMS])
        .where(*cond)
        .group_by(U.c.key_id, U.c.asset_id, day)
    )
    # preserve_rowcount: SQLAlchemy only promises an INSERT's rowcount when asked (-1 on psycopg).
    result = conn.execute(insert(D).from_select(["key_id", "asset_id", "day_start", *MEASURES, *DAILY_EXTRA_SUMS],
                                                source),
                          execution_options={"preserve_rowcount": True})
    return result.rowcount or 0


def epoch_seconds(expr, dialect: str):
    """Seconds since 1970 (UTC) of a stored hour_start, per dialect."""
    if dialect == "sqlite":  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC
        return cast(func.strftime("%s", expr), Integer)
    if dialect in ("mysql", "mariadb"):  # assumes the session time zone is UTC
        return cast(func.unix_timestamp(expr), BigInteger)
    return cast(extract("epoch", expr), BigInteger)  # PostgreSQL and most others


def bucket_index(expr, window: TimeWindow, dialect: str):
    """SQL for TimeWindow.bucket_index: 0 for the newest bucket, counting back from the window end."""
    end_epoch = int(window.end.timestamp())
    return (literal(end_epoch - 1, BigInteger) - epoch_seconds(expr, dialect)) // window.bucket.seconds


def _totals(row) -> Totals:
    if row is None:
        return Totals()
    m = row._mapping
    return Totals(
        requests=int(m.get("requests") or 0), errors=int(m.get("errors") or 0),
        input_tokens=int(m.get("input_tokens") or 0), output_tokens=int(m.get("output_tokens") or 0),
        cost_usd=float(m.get("cost_usd") or 0.0), latency_ms_sum=float(m.get("latency_ms_sum") or 0.0),
        latency_ms_max=float(m.get("latency_ms_max") or 0.0),
    )


# Queries -------------------------------------------------------------------------------------


def series(conn: Connection, window: TimeWindow, key_id: int | None = None,
           fields: tuple[str, ...] = SERIES_FIELDS) -> pd.DataFrame:
    """One row per bucket of the window, oldest first, zero-filled; columns bucket_start, bucket_end,
    the summed `fields` (requests, errors, input_tokens, output_tokens, cost_usd by default) and,
    when their inputs are there, successes and tokens. Fewer fields is a cheaper scan."""
    if key_id is None:  # every key: one row per hour in usage_hourly_total (8,760 a year)
        points = (select(H.c.hour_start.label("t"), *[H.c[f] for f in fields])
                  .where(H.c.hour_start >= window.start, H.c.hour_start < window.end).subquery("points"))
    else:
        # Per hour (partial days, days cut by a bucket boundary) and per whole day otherwise: the
        # two parts hold different time points, so the outer query can fold both into buckets.
        parts = _parts(window, key_id, ("t",), fields, with_max=False, keep_buckets=True)
        points = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("points")
    b = bucket_index(points.c.t, window, conn.dialect.name).label("b")
    stmt = select(b, *[func.sum(points.c[f]).label(f) for f in fields]).group_by(b)
    df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["b", *fields])
    df = df.astype({"b": "int64"}).set_index("b").reindex(range(window.bucket_count), fill_value=0)
    df = df.sort_index(ascending=False).reset_index(drop=False)  # oldest bucket first
    spans = [window.bucket_span(int(i)) for i in df["b"]]
    df.insert(0, "bucket_start", [s.start for s in spans])
    df.insert(1, "bucket_end", [s.end for s in spans])
    for f in fields:
        df[f] = df[f].astype("float64" if f == "cost_usd" else "int64")
    if {"requests", "errors"} <= set(fields):
        df["successes"] = df["requests"] - df["errors"]
    if {"input_tokens", "output_tokens"} <= set(fields):
        df["tokens"] = df["input_tokens"] + df["output_tokens"]
    return df.drop(columns="b")


def totals_with_previous(conn: Connection, window: TimeWindow, key_id: int | None = None) -> tuple[Totals, Totals]:
    """Sums over the window and over the previous window of the same length, in one statement."""
    periods = [_aggregate(w, key_id).subquery(f"p{cur}") for cur, w in ((1, window), (0, window.previous()))]
    stmt = union_all(*[select(literal(cur).label("cur"), *[p.c[f] for f in MEASURES])
                       for cur, p in zip((1, 0), periods)])
    rows = {r._mapping["cur"]: r for r in conn.execute(stmt)}
    return _totals(rows.get(1)), _totals(rows.get(0))


def window_totals(conn: Connection, window: TimeWindow, key_id: int | None = None, *,
                  cards_only: bool = False) -> Totals:
    """Sums over the window; `cards_only` skips the latency sums (zero in the result), a cheaper scan."""
    stmt = _aggregate(window, key_id, (), CARD_FIELDS, with_max=False) if cards_only else _aggregate(window, key_id)
    return _totals(conn.execute(stmt).first())


def _asset_frame(conn: Connection, df: pd.DataFrame) -> pd.DataFrame:
    """Adds asset name, identifier and kind, and derived per-asset figures."""
    meta = pd.DataFrame(
        conn.execute(select(A.c.id, A.c.name, A.c.identifier, A.c.kind)).mappings().all(),
        columns=["id", "name", "identifier", "kind"],
    ).rename(columns={"id": "asset_id"})
    df = df.merge(meta, on="asset_id", how="left")
    df["kind_label"] = [ASSET_KIND_LABEL.get(AssetKind(k) if k else None, "") for k in df["kind"]]
    df["kind"] = [AssetKind(k).value if k else "" for k in df["kind"]]
    return _derive(df).sort_values(["tokens", "requests"], ascending=False, ignore_index=True)


def _derive(df: pd.DataFrame) -> pd.DataFrame:
    for f in ("requests", "errors", "input_tokens", "output_tokens"):
        df[f] = df[f].fillna(0).astype("int64")
    for f in ("cost_usd", "latency_ms_sum", "latency_ms_max"):
        if f in df:
            df[f] = df[f].fillna(0.0).astype("float64")
    df["tokens"] = df["input_tokens"] + df["output_tokens"]
    df["success_rate"] = [success_rate(r, e) for r, e in zip(df["requests"], df["errors"])]
    if "latency_ms_sum" in df:
        df["avg_latency_ms"] = [s / r if r else None for s, r in zip(df["latency_ms_sum"], df["requests"])]
        df["output_tokens_per_s"] = [tokens_per_second(o, s) if o else None
                                     for o, s in zip(df["output_tokens"], df["latency_ms_sum"])]
        df["input_tokens_per_s"] = [tokens_per_second(i, s) if i else None
                                    for i, s in zip(df["input_tokens"], df["latency_ms_sum"])]
    return df


def by_asset(conn: Connection, window: TimeWindow, key_id: int | None = None) -> pd.DataFrame:
    stmt = _aggregate(window, key_id, ("asset_id",))
    df = _measure_types(pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["asset_id", *MEASURES]))
    return _asset_frame(conn, df)


def breakdowns(conn: Connection, window: TimeWindow) -> dict[str, pd.DataFrame]:
    """Per key, per asset, per user, per group and total over the window, in one statement.

    Group figures sum the usage of every key owned by a member of the group plus the group's
    own keys. A user in two groups counts in both, so group rows overlap and do not add up to
    the total. Service-account keys belong to no user or group.
    """
    ka = _aggregate(window, None, ("key_id", "asset_id")).cte("ka")

    def agg(dim: str, id_col, source, *where, group: bool = True):
        # A typed NULL: PostgreSQL cannot unite an untyped NULL with the integer ids of the other rows.
        cols = [literal(dim).label("dim"), (id_col if id_col is not None else cast(literal(None), Integer)).label("id")]
        stmt = select(*cols, *_sum_columns(source)).select_from(source)
        if where:
            stmt = stmt.where(*where)
        return stmt.group_by(id_col) if group else stmt

    user_keys = ka.join(K, K.c.id == ka.c.key_id)
    member_part = (
        select(MEMBERS.c.group_id.label("gid"), *[ka.c[f] for f in MEASURES])
        .select_from(user_keys.join(MEMBERS, MEMBERS.c.user_id == K.c.owner_id))
        .where(K.c.owner_kind == OwnerKind.USER)
    )
    own_part = (
        select(K.c.owner_id.label("gid"), *[ka.c[f] for f in MEASURES])
        .select_from(user_keys)
        .where(K.c.owner_kind == OwnerKind.GROUP)
    )
    group_rows = union_all(member_part, own_part).subquery("group_rows")
    stmt = union_all(
        agg("key", ka.c.key_id, ka),
        agg("asset", ka.c.asset_id, ka),
        select(literal("user").label("dim"), K.c.owner_id.label("id"),
               *[func.coalesce(func.sum(ka.c[f]), 0).label(f) for f in SUM_FIELDS],
               func.coalesce(func.max(ka.c.latency_ms_max), 0).label("latency_ms_max"))
        .select_from(user_keys).where(K.c.owner_kind == OwnerKind.USER).group_by(K.c.owner_id),
        agg("group", group_rows.c.gid, group_rows),
        agg("total", None, ka, group=False),
    )
    df = _measure_types(pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["dim", "id", *MEASURES]))
    out = {}
    for dim in ("key", "asset", "user", "group", "total"):
        part = df[df["dim"] == dim].drop(columns="dim").reset_index(drop=True)
        if dim != "total":
            part["id"] = part["id"].astype("int64")
        out[dim] = part
    return out


# Results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRef:
    id: int
    public_id: str
    name: str
    deleted: bool


def find_key(public_id: str, url: str | None = None) -> KeyRef | None:
    """The key addressed by a URL's key id (public id), deleted keys included."""
    with _connect(url) as conn:
        row = conn.execute(
            select(K.c.id, K.c.public_id, K.c.name, K.c.deleted_at).where(K.c.public_id == public_id)
        ).first()
    if row is None:
        return None
    return KeyRef(row.id, row.public_id, row.name, row.deleted_at is not None)


@dataclass
class KeyUsage:
    """Everything the Metrics tab of one key shows for one window."""

    window: TimeWindow
    totals: Totals
    previous: Totals
    series: pd.DataFrame
    by_asset: pd.DataFrame

    @property
    def has_usage(self) -> bool:
        return self.totals.requests > 0


def key_usage(key_id: int, window: TimeWindow, url: str | None = None) -> KeyUsage:
    with _connect(url) as conn:
        current, previous = totals_with_previous(conn, window, key_id)
        return KeyUsage(
            window=window,
            totals=current,
            previous=previous,
            series=series(conn, window, key_id, SERIES_FIELDS + ("throttled",)),
            by_asset=by_asset(conn, window, key_id),
        )


@dataclass
class UsageOverview:
    """Everything the Usage page shows for one window."""

    window: TimeWindow
    totals: Totals
    previous: Totals | None
    series: pd.DataFrame
    by_key: pd.DataFrame
    by_user: pd.DataFrame
    by_group: pd.DataFrame
    by_asset: pd.DataFrame
    generated_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def has_usage(self) -> bool:
        return self.totals.requests > 0


def _owner_names(conn: Connection) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for r in conn.execute(select(USERS.c.id, USERS.c.username)):
        names[(OwnerKind.USER.value, r.id)] = r.username
    for r in conn.execute(select(GROUPS.c.id, GROUPS.c.name)):
        names[(OwnerKind.GROUP.value, r.id)] = r.name
    for r in conn.execute(select(SAS.c.id, SAS.c.name)):
        names[(OwnerKind.SERVICE_ACCOUNT.value, r.id)] = r.name
    return names


def _key_frame(conn: Connection, df: pd.DataFrame) -> pd.DataFrame:
    keys = pd.DataFrame(
        conn.execute(select(K.c.id, K.c.public_id, K.c.name, K.c.owner_kind, K.c.owner_id, K.c.deleted_at))
        .mappings().all(),
        columns=["id", "public_id", "name", "owner_kind", "owner_id", "deleted_at"],
    )
    owners = _owner_names(conn)
    keys["owner_kind"] = [OwnerKind(k).value for k in keys["owner_kind"]]
    keys["owner"] = [owners.get((k, i), "") for k, i in zip(keys["owner_kind"], keys["owner_id"])]
    keys["owner_kind_label"] = [OWNER_KIND_LABEL[OwnerKind(k)] for k in keys["owner_kind"]]
    keys["deleted"] = keys["deleted_at"].notna()
    df = df.rename(columns={"id": "key_id"}).merge(
        keys.drop(columns="deleted_at").rename(columns={"id": "key_id"}), on="key_id", how="left"
    )
    return _derive(df).sort_values(["tokens", "requests", "key_id"], ascending=[False, False, True], ignore_index=True)


def _named(df: pd.DataFrame, conn: Connection, table, label_col: str, extra: list[str] | None = None) -> pd.DataFrame:
    cols = [table.c.id, table.c[label_col], *[table.c[c] for c in extra or []]]
    meta = pd.DataFrame(conn.execute(select(*cols)).mappings().all(), columns=["id", label_col, *(extra or [])])
    out = df.merge(meta, on="id", how="left")
    return _derive(out).sort_values(["tokens", "requests"], ascending=False, ignore_index=True)


_POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="usage-sql")


def _run_concurrently(url: str | None, *jobs: Callable[[Connection], object]) -> list:
    """Run independent read-only queries on separate connections at the same time.

    SQLite (WAL) serves concurrent readers and its driver releases the GIL while a statement
    runs, so the Usage page's three scans overlap on a multi-core machine. An in-memory database
    is private to one connection: there the jobs run one after the other.
    """
    engine = db.get_engine(url)
    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        with engine.connect() as conn:
            return [job(conn) for job in jobs]

    def run(job):
        with engine.connect() as conn:
            return job(conn)

    futures = [_POOL.submit(run, job) for job in jobs]
    return [f.result() for f in futures]


def _overview_breakdowns(conn: Connection, window: TimeWindow) -> dict[str, pd.DataFrame]:
    parts = breakdowns(conn, window)
    return {
        "total": parts["total"],
        "key": _key_frame(conn, parts["key"]),
        "user": _named(parts["user"], conn, USERS, "username", ["full_name"]),
        "group": _named(parts["group"], conn, GROUPS, "name"),
        "asset": _asset_frame(conn, parts["asset"].rename(columns={"id": "asset_id"})),
    }


def usage_overview(window: TimeWindow, url: str | None = None, *, compare: bool = False) -> UsageOverview:
    """The Usage page's data. With compare=False the previous period is left to
    `previous_totals` (the page fills the change badges in a second step)."""
    # The page charts requests over time only (tokens go by user, group and key): two sums per hour.
    jobs = [lambda conn: _overview_breakdowns(conn, window),
            lambda conn: series(conn, window, fields=("requests", "errors", "throttled"))]
    if compare:
        jobs.append(lambda conn: window_totals(conn, window.previous(), cards_only=True))
    results = _run_concurrently(url, *jobs)
    parts, series_df = results[0], results[1]
    total = parts["total"]
    row = {f: (total[f].iloc[0] if len(total) else 0) for f in MEASURES}
    totals = Totals(
        requests=int(row["requests"] or 0), errors=int(row["errors"] or 0),
        input_tokens=int(row["input_tokens"] or 0), output_tokens=int(row["output_tokens"] or 0),
        cost_usd=float(row["cost_usd"] or 0), latency_ms_sum=float(row["latency_ms_sum"] or 0),
        latency_ms_max=float(row["latency_ms_max"] or 0),
    )
    return UsageOverview(
        window=window, totals=totals, previous=results[2] if compare else None, series=series_df,
        by_key=parts["key"], by_user=parts["user"], by_group=parts["group"], by_asset=parts["asset"],
    )


def previous_totals(window: TimeWindow, url: str | None = None, key_id: int | None = None) -> Totals:
    """Sums over the period of the same length just before `window`, for the cards' change badges
    (latency is not summed: zero in the result)."""
    with _connect(url) as conn:
        return window_totals(conn, window.previous(), key_id, cards_only=True)


# Gateway figures: latency percentiles, throughput, throttled -----------------------------------
PERFORMANCE_FIELDS = ("requests", "throttled", "output_tokens", "latency_ms_sum") + BUCKET_COLUMNS


@dataclass(frozen=True)
class Performance:
    """Latency histogram and throughput of a window (or of the current hour)."""

    requests: int = 0
    throttled: int = 0
    output_tokens: int = 0
    latency_ms_sum: float = 0.0
    latency_ms_max: float = 0.0
    histogram: tuple[int, ...] = ()


def _performance(row) -> Performance:
    if row is None:
        return Performance()
    m = row._mapping
    return Performance(
        requests=int(m.get("requests") or 0), throttled=int(m.get("throttled") or 0),
        output_tokens=int(m.get("output_tokens") or 0), latency_ms_sum=float(m.get("latency_ms_sum") or 0.0),
        latency_ms_max=float(m.get("latency_ms_max") or 0.0),
        histogram=tuple(int(m.get(c) or 0) for c in BUCKET_COLUMNS),
    )


def performance(window: TimeWindow, key_id: int | None = None, url: str | None = None) -> Performance:
    """Latency histogram, throttled requests and output tokens over the window (hourly edges + days)."""
    with _connect(url) as conn:
        return _performance(conn.execute(_aggregate(window, key_id, (), PERFORMANCE_FIELDS, with_max=True)).first())


def current_hour(now: datetime, key_id: int | None = None, url: str | None = None) -> Performance:
    """The hour in progress (live gateway traffic), which the range windows leave out until it ends."""
    start = now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    cond = [U.c.hour_start == start]
    if key_id is not None:
        cond.append(U.c.key_id == key_id)
    with _connect(url) as conn:
        return _performance(conn.execute(select(*_sum_columns(U, PERFORMANCE_FIELDS, True)).where(*cond)).first())
