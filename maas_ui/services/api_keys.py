"""API keys: list, details, create, edit, disable/enable, delete, reveal. No Reflex import.

Each public function opens its own session (one transaction) on the database at `url` (the
configured one by default) and takes the acting user; plain frozen dataclasses come out. The
private `_name(s, ...)` helpers take a session. The list pages in SQL (filters,
sort, LIMIT/OFFSET, COUNT) and never loads every key. The plaintext secret is never returned
except by `reveal_secret`, which exists for the copy button and is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import and_, case, func, or_
from sqlalchemy import update as sa_update
from sqlmodel import Session, select

from maas_ui import db
from maas_ui.domain import key_format as fmt
from maas_ui.domain.identity import Actor
from maas_ui.domain.inputs import clean_name, fold
from maas_ui.domain.key_forms import (
    KeyFormData,
    KeyFormInput,
    expiry_instant,
    validate_key_form,
)
from maas_ui.domain.keys import SecretBox, display_status, mask, mint_secret, new_public_id
from maas_ui.models import (
    AiAsset,
    ApiKey,
    ApiKeyAsset,
    AssetKind,
    AuditLog,
    Group,
    KeyStatus,
    McpTool,
    OwnerKind,
    ServiceAccount,
    User,
)
from maas_ui.settings import secret_key

PAGE_SIZES = (10, 20, 50, 100)
SORT_FIELDS = ("name", "status", "owner", "last_used", "created")
STATUS_FILTERS = ("active", "expired", "disabled")
OWNER_KIND_FILTERS = tuple(k.value for k in OwnerKind)
ASSETS_SHOWN = 3


# Errors ------------------------------------------------------------------------------------
class KeyNotFound(LookupError):
    """No such key, or it was deleted."""


class KeyFormInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# Results -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyListQuery:
    search: str = ""
    statuses: tuple[str, ...] = ()  # subset of STATUS_FILTERS; empty = all
    owner_kinds: tuple[str, ...] = ()  # subset of OWNER_KIND_FILTERS; empty = all
    sort: str = "created"
    descending: bool = True
    page: int = 1
    per_page: int = 10

    def normalized(self) -> "KeyListQuery":
        return KeyListQuery(
            search=self.search.strip(),
            statuses=tuple(s for s in STATUS_FILTERS if s in self.statuses),
            owner_kinds=tuple(k for k in OWNER_KIND_FILTERS if k in self.owner_kinds),
            sort=self.sort if self.sort in SORT_FIELDS else "created",
            descending=bool(self.descending),
            page=max(1, int(self.page)),
            per_page=self.per_page if self.per_page in PAGE_SIZES else PAGE_SIZES[0],
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.search.strip() or self.statuses or self.owner_kinds)


@dataclass(frozen=True)
class KeyRow:
    public_id: str
    name: str
    status: str  # Active / Expired / Disabled
    masked_key: str
    asset_names: list[str]  # the first few
    more_assets: int  # how many more ("+N more")
    owner_name: str
    owner_kind: str
    owner_kind_label: str
    last_used: str  # "3 hours ago" / "Never"
    last_used_exact: str  # for the tooltip, "" when never
    created: str
    is_disabled: bool


@dataclass(frozen=True)
class KeyPage:
    rows: list[KeyRow]
    total: int  # matching the filters
    page: int  # clamped to the last page
    per_page: int
    any_keys: bool  # whether any (non-deleted) key exists at all, for the empty state

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class AssetView:
    id: int
    kind: str
    name: str
    identifier: str
    endpoint_url: str
    size: str  # vector databases
    tools: list[str]  # MCP servers


@dataclass(frozen=True)
class AssetSection:
    kind: str
    label: str
    assets: list[AssetView]


@dataclass(frozen=True)
class KeyDetails:
    public_id: str
    name: str
    description: str
    status: str
    is_disabled: bool
    masked_key: str
    owner_kind: str
    owner_kind_label: str
    owner_id: int
    owner_name: str
    created_at: datetime
    created: str
    created_by: str
    last_used_at: datetime | None
    last_used: str  # exact, or "Never"
    last_used_relative: str
    expires_at: datetime | None
    expiration: str  # date, or "Never"
    tokens_per_minute: int | None
    requests_per_minute: int | None
    budget_usd: float | None
    token_limit: str
    request_limit: str
    budget_limit: str
    asset_sections: list[AssetSection]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class FormOptions:
    owners: dict[str, list[Option]] = field(default_factory=dict)  # owner kind -> options
    assets: dict[str, list[Option]] = field(default_factory=dict)  # asset kind -> options


# Helpers -----------------------------------------------------------------------------------
def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def default_box() -> SecretBox:
    return SecretBox(secret_key())


def refresh_owner_names(s: Session, key_ids: list[int] | None = None) -> None:
    """Store each key's owner display name (all keys, or `key_ids`); call after writing keys in
    bulk or renaming a user, group or service account. Kept in step with migration 0008_list_speed."""
    owner_name = case(
        (ApiKey.owner_kind == OwnerKind.USER,
         select(User.full_name).where(User.id == ApiKey.owner_id).scalar_subquery()),
        (ApiKey.owner_kind == OwnerKind.GROUP, select(Group.name).where(Group.id == ApiKey.owner_id).scalar_subquery()),
        else_=select(ServiceAccount.name).where(ServiceAccount.id == ApiKey.owner_id).scalar_subquery(),
    )
    stmt = sa_update(ApiKey).values(owner_name=func.coalesce(owner_name, ""))
    if key_ids is not None:
        stmt = stmt.where(ApiKey.id.in_(key_ids))
    s.exec(stmt)


def _with_owner_joins(stmt):
    return (
        stmt.outerjoin(User, and_(ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id == User.id))
        .outerjoin(Group, and_(ApiKey.owner_kind == OwnerKind.GROUP, ApiKey.owner_id == Group.id))
        .outerjoin(
            ServiceAccount,
            and_(ApiKey.owner_kind == OwnerKind.SERVICE_ACCOUNT, ApiKey.owner_id == ServiceAccount.id),
        )
    )


def _status_rank(now: datetime):
    """0 Active, 1 Expired, 2 Disabled, computed in SQL (Expired is never stored)."""
    return case(
        (ApiKey.status == KeyStatus.DISABLED, 2),
        (and_(ApiKey.expires_at.is_not(None), ApiKey.expires_at <= now), 1),
        else_=0,
    )


def _status_condition(status: str, now: datetime):
    not_expired = or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now)
    if status == "active":
        return and_(ApiKey.status == KeyStatus.ACTIVE, not_expired)
    if status == "expired":
        return and_(ApiKey.status == KeyStatus.ACTIVE, ApiKey.expires_at.is_not(None), ApiKey.expires_at <= now)
    return ApiKey.status == KeyStatus.DISABLED


def _filters(q: KeyListQuery, now: datetime) -> list:
    conds: list = [ApiKey.deleted_at.is_(None)]
    if q.search:  # Unicode-caseless: "КЛЮЧ" finds "ключ" on SQLite as on PostgreSQL
        conds.append(ApiKey.name_folded.contains(fold(q.search), autoescape=True))
    if q.statuses and len(q.statuses) < len(STATUS_FILTERS):
        conds.append(or_(*[_status_condition(s, now) for s in q.statuses]))
    if q.owner_kinds and len(q.owner_kinds) < len(OWNER_KIND_FILTERS):
        conds.append(ApiKey.owner_kind.in_([OwnerKind(k) for k in q.owner_kinds]))
    return conds


def _order_by(sort: str, desc: bool, now: datetime, dialect: str = "") -> list:
    """A strict total order (id breaks ties), so reading a page from either end gives the same rows."""

    def ci(col):  # case-insensitive order; SQLite's NOCASE collation sorts far faster than lower()
        return col.collate("NOCASE") if dialect == "sqlite" else func.lower(col)

    if sort == "name":
        cols = [ci(ApiKey.name), ApiKey.name]
    elif sort == "status":
        cols = [_status_rank(now), ci(ApiKey.name)]
    elif sort == "owner":
        cols = [ci(ApiKey.owner_name), ci(ApiKey.name)]  # the stored name: an index serves the order
    elif sort == "last_used":
        # "Never" counts as the oldest: last when newest first, first when oldest first
        # (SQLite's own NULL order, so its index on last_used_at serves the sort).
        if desc:
            return [ApiKey.last_used_at.desc().nulls_last(), ApiKey.id.desc()]
        return [ApiKey.last_used_at.asc().nulls_first(), ApiKey.id.asc()]
    else:
        cols = [ApiKey.created_at]
    ordered = [c.desc() if desc else c.asc() for c in cols]
    return ordered + [ApiKey.id.desc() if desc else ApiKey.id.asc()]


def _owner_display(kind: OwnerKind, user_name, group_name, sa_name) -> str:
    name = {OwnerKind.USER: user_name, OwnerKind.GROUP: group_name}.get(kind, sa_name)
    return name or "(deleted owner)"


def _kind_value(kind) -> str:
    return kind.value if hasattr(kind, "value") else str(kind)


# List --------------------------------------------------------------------------------------
def _list_keys(s: Session, query: KeyListQuery | None = None, *, now: datetime | None = None) -> KeyPage:
    """One page of keys, filtered, sorted and counted in SQL."""
    q = (query or KeyListQuery()).normalized()
    now = now or utcnow()
    dialect = s.get_bind().dialect.name
    conds = _filters(q, now)

    total = s.exec(select(func.count()).select_from(ApiKey).where(*conds)).one()
    page_count = max(1, -(-total // q.per_page))
    page = min(q.page, page_count)
    any_keys = total > 0 or (
        q.is_filtered and s.exec(select(ApiKey.id).where(ApiKey.deleted_at.is_(None)).limit(1)).first() is not None
    )

    # 1) The page's ids only: no row is loaded beyond the page. A page in the second half is read
    #    from the other end with the order reversed, so the last page costs what the first does.
    offset = (page - 1) * q.per_page
    limit = max(0, min(q.per_page, total - offset))
    from_end = total - offset - limit < offset
    if from_end:
        offset, descending = total - offset - limit, not q.descending
    else:
        descending = q.descending
    ids_stmt = select(ApiKey.id)
    page_ids = list(s.exec(
        ids_stmt.where(*conds).order_by(*_order_by(q.sort, descending, now, dialect)).offset(offset).limit(limit)
    ).all()) if limit else []
    if from_end:
        page_ids.reverse()

    # 2) Those keys with their owners' names.
    found = sorted(
        s.exec(_with_owner_joins(select(ApiKey, User.full_name, Group.name, ServiceAccount.name))
               .where(ApiKey.id.in_(page_ids))).all() if page_ids else [],
        key=lambda row: page_ids.index(row[0].id),
    )

    key_ids = [k.id for k, *_ in found]
    names: dict[int, list[str]] = defaultdict(list)
    if key_ids:
        kind_order = case(*[(AiAsset.kind == AssetKind(k), i) for i, k in enumerate(fmt.ASSET_KINDS)])
        for key_id, asset_name in s.exec(
            select(ApiKeyAsset.key_id, AiAsset.name)
            .join(AiAsset, AiAsset.id == ApiKeyAsset.asset_id)
            .where(ApiKeyAsset.key_id.in_(key_ids))
            .order_by(ApiKeyAsset.key_id, kind_order, func.lower(AiAsset.name))
        ).all():
            names[key_id].append(asset_name)

    rows = []
    for key, user_name, group_name, sa_name in found:
        shown, more = fmt.summarize_names(names[key.id], ASSETS_SHOWN)
        kind = _kind_value(key.owner_kind)
        rows.append(KeyRow(
            public_id=key.public_id,
            name=key.name,
            status=display_status(_kind_value(key.status), key.expires_at, now),
            masked_key=mask(key.secret_prefix, key.secret_suffix),
            asset_names=shown,
            more_assets=more,
            owner_name=_owner_display(key.owner_kind, user_name, group_name, sa_name),
            owner_kind=kind,
            owner_kind_label=fmt.owner_kind_label(kind),
            last_used=fmt.relative_time(key.last_used_at, now),
            last_used_exact=fmt.exact_time(key.last_used_at),
            created=fmt.exact_date(key.created_at),
            is_disabled=key.status == KeyStatus.DISABLED,
        ))
    return KeyPage(rows=rows, total=total, page=page, per_page=q.per_page, any_keys=any_keys)


# Details -----------------------------------------------------------------------------------
def _live_key(s: Session, public_id: str) -> ApiKey | None:
    if not public_id:
        return None
    return s.exec(select(ApiKey).where(ApiKey.public_id == public_id, ApiKey.deleted_at.is_(None))).first()


def _require_key(s: Session, public_id: str) -> ApiKey:
    key = _live_key(s, public_id)
    if key is None:
        raise KeyNotFound(public_id)
    return key


def _owner_name(s: Session, kind: OwnerKind, owner_id: int) -> str:
    if kind == OwnerKind.USER:
        name = s.exec(select(User.full_name).where(User.id == owner_id)).first()
    elif kind == OwnerKind.GROUP:
        name = s.exec(select(Group.name).where(Group.id == owner_id)).first()
    else:
        name = s.exec(select(ServiceAccount.name).where(ServiceAccount.id == owner_id)).first()
    return name or "(deleted owner)"


def _asset_sections(s: Session, key_id: int) -> list[AssetSection]:
    assets = s.exec(
        select(AiAsset).join(ApiKeyAsset, ApiKeyAsset.asset_id == AiAsset.id).where(ApiKeyAsset.key_id == key_id)
    ).all()
    mcp_ids = [a.id for a in assets if a.kind == AssetKind.MCP_SERVER]
    tools: dict[int, list[str]] = defaultdict(list)
    if mcp_ids:
        for asset_id, tool in s.exec(
            select(McpTool.asset_id, McpTool.name).where(McpTool.asset_id.in_(mcp_ids)).order_by(McpTool.id)
        ).all():
            tools[asset_id].append(tool)
    by_kind: dict[str, list[AssetView]] = defaultdict(list)
    for a in sorted(assets, key=lambda a: a.name.lower()):
        kind = _kind_value(a.kind)
        by_kind[kind].append(AssetView(
            id=a.id, kind=kind, name=a.name, identifier=a.identifier, endpoint_url=a.endpoint_url,
            size=fmt.size(a.size_bytes) if a.kind == AssetKind.VECTOR_DB else "",
            tools=tools.get(a.id, []),
        ))
    return [AssetSection(kind=k, label=fmt.ASSET_KIND_LABELS[k], assets=by_kind.get(k, [])) for k in fmt.ASSET_KINDS]


def _get_key(s: Session, public_id: str, *, now: datetime | None = None) -> KeyDetails | None:
    """The key's details, or None when there is no such (non-deleted) key."""
    key = _live_key(s, public_id)
    if key is None:
        return None
    now = now or utcnow()
    kind = _kind_value(key.owner_kind)
    return KeyDetails(
        public_id=key.public_id,
        name=key.name,
        description=key.description,
        status=display_status(_kind_value(key.status), key.expires_at, now),
        is_disabled=key.status == KeyStatus.DISABLED,
        masked_key=mask(key.secret_prefix, key.secret_suffix),
        owner_kind=kind,
        owner_kind_label=fmt.owner_kind_label(kind),
        owner_id=key.owner_id,
        owner_name=_owner_name(s, key.owner_kind, key.owner_id),
        created_at=key.created_at,
        created=fmt.exact_time(key.created_at),
        created_by=key.created_by,
        last_used_at=key.last_used_at,
        last_used=fmt.exact_time(key.last_used_at, empty="Never"),
        last_used_relative=fmt.relative_time(key.last_used_at, now),
        expires_at=key.expires_at,
        expiration=fmt.exact_date(key.expires_at, empty="Never"),
        tokens_per_minute=key.tokens_per_minute,
        requests_per_minute=key.requests_per_minute,
        budget_usd=key.budget_usd,
        token_limit=fmt.per_minute(key.tokens_per_minute, "tokens"),
        request_limit=fmt.per_minute(key.requests_per_minute, "requests"),
        budget_limit=fmt.budget(key.budget_usd),
        asset_sections=_asset_sections(s, key.id),
    )


def _key_form_values(s: Session, public_id: str) -> KeyFormInput:
    """The Edit modal's initial values."""
    key = _require_key(s, public_id)
    asset_ids = s.exec(select(ApiKeyAsset.asset_id).where(ApiKeyAsset.key_id == key.id)).all()
    return KeyFormInput(
        name=key.name,
        description=key.description,
        owner_kind=_kind_value(key.owner_kind),
        owner_id=str(key.owner_id),
        tokens_per_minute="" if key.tokens_per_minute is None else str(key.tokens_per_minute),
        requests_per_minute="" if key.requests_per_minute is None else str(key.requests_per_minute),
        budget_usd="" if key.budget_usd is None else (
            f"{key.budget_usd:.2f}" if key.budget_usd != int(key.budget_usd) else str(int(key.budget_usd))),
        expires_on="" if key.expires_at is None else key.expires_at.astimezone(timezone.utc).date().isoformat(),
        asset_ids=tuple(str(a) for a in sorted(asset_ids)),
    )


# Form support ------------------------------------------------------------------------------
def _form_options(s: Session) -> FormOptions:
    """Owner options per owner kind and asset options per asset kind, for the Create / Edit modal."""
    owners = {
        "user": [Option(str(u.id), u.full_name, u.username)
                 for u in s.exec(select(User).order_by(func.lower(User.full_name))).all()],
        "group": [Option(str(g.id), g.name, g.description)
                  for g in s.exec(select(Group).order_by(func.lower(Group.name))).all()],
        "service_account": [Option(str(a.id), a.name, a.namespace)
                            for a in s.exec(select(ServiceAccount).order_by(func.lower(ServiceAccount.name))).all()],
    }
    assets: dict[str, list[Option]] = {k: [] for k in fmt.ASSET_KINDS}
    for a in s.exec(select(AiAsset).order_by(func.lower(AiAsset.name))).all():
        assets[_kind_value(a.kind)].append(Option(str(a.id), a.name, a.identifier))
    return FormOptions(owners=owners, assets=assets)


def _owner_exists(s: Session, kind: str, owner_id: int) -> bool:
    table = {"user": User, "group": Group, "service_account": ServiceAccount}[kind]
    return s.get(table, owner_id) is not None


def _name_taken(s: Session, kind: str, owner_id: int, name: str, exclude_key_id: int | None) -> bool:
    stmt = select(ApiKey.id).where(
        ApiKey.owner_kind == OwnerKind(kind),
        ApiKey.owner_id == owner_id,
        ApiKey.deleted_at.is_(None),
        ApiKey.name_folded == fold(clean_name(name)),
    )
    if exclude_key_id is not None:
        stmt = stmt.where(ApiKey.id != exclude_key_id)
    return s.exec(stmt.limit(1)).first() is not None


def _owner_key_names(s: Session, kind: str, owner_id: int, *, editing: str | None = None) -> list[str]:
    """The folded names of an owner's keys (the key being edited left out), for the form to tell a
    taken name as the person types without asking the database per keystroke."""
    if kind not in OWNER_KIND_FILTERS:
        return []
    stmt = select(ApiKey.name_folded).where(
        ApiKey.owner_kind == OwnerKind(kind), ApiKey.owner_id == owner_id, ApiKey.deleted_at.is_(None))
    if editing:
        stmt = stmt.where(ApiKey.public_id != editing)
    return sorted(set(s.exec(stmt).all()))


def _validate(
    s: Session, raw: KeyFormInput, *, editing: str | None = None, today: date | None = None
) -> tuple[KeyFormData | None, dict[str, str]]:
    """Validate the form against the database. `editing` is the public id of the key being edited."""
    existing = _require_key(s, editing) if editing else None
    if existing is not None:  # the owner does not change on edit
        raw = KeyFormInput(**{**raw.__dict__, "owner_kind": _kind_value(existing.owner_kind),
                              "owner_id": str(existing.owner_id)})
    asset_ids = {a for a in s.exec(select(AiAsset.id)).all()}
    return validate_key_form(
        raw,
        today=today or utcnow().date(),
        owner_exists=lambda kind, oid: _owner_exists(s, kind, oid),
        name_taken=lambda kind, oid, name: _name_taken(s, kind, oid, name, existing.id if existing else None),
        asset_exists=lambda aid: aid in asset_ids,
        current_expiry=existing.expires_at.astimezone(timezone.utc).date()
        if existing is not None and existing.expires_at is not None else None,
    )


def _audit(s: Session, actor: str, action: str, key: ApiKey, summary: str, now: datetime) -> None:
    s.add(AuditLog(at=now, actor=actor, action=action, entity_kind="api_key", entity_id=key.public_id,
                   summary=summary[:1024]))


# Writes ------------------------------------------------------------------------------------
def _create_key(
    s: Session,
    raw: KeyFormInput,
    *,
    actor: str,
    box: SecretBox | None = None,
    now: datetime | None = None,
) -> str:
    """Mint, store (hash + encrypted copy) and audit a new key. Returns its public id, never the secret.

    Raises KeyFormInvalid with the field messages when the form is not valid.
    """
    now = now or utcnow()
    data, errors = _validate(s, raw, today=now.date())
    if data is None:
        raise KeyFormInvalid(errors)
    box = box or default_box()
    secret = mint_secret()
    public_id = new_public_id()
    while s.exec(select(ApiKey.id).where(ApiKey.public_id == public_id)).first() is not None:
        public_id = new_public_id()  # pragma: no cover - 40 random bits
    key = ApiKey(
        public_id=public_id,
        name=data.name,
        description=data.description,
        owner_kind=OwnerKind(data.owner_kind),
        owner_id=data.owner_id,
        status=KeyStatus.ACTIVE,
        tokens_per_minute=data.tokens_per_minute,
        requests_per_minute=data.requests_per_minute,
        budget_usd=data.budget_usd,
        expires_at=expiry_instant(data.expires_on) if data.expires_on else None,
        created_at=now,
        created_by=actor,
        secret_hash=secret.sha256,
        secret_encrypted=box.encrypt(secret.plaintext),
        secret_prefix=secret.prefix,
        secret_suffix=secret.suffix,
    )
    s.add(key)
    s.flush()
    for asset_id in data.asset_ids:
        s.add(ApiKeyAsset(key_id=key.id, asset_id=asset_id))
    owner = _owner_name(s, key.owner_kind, key.owner_id)
    key.owner_name = owner
    _audit(s, actor, "api_key.create", key,
           f"Created API key \u201c{key.name}\u201d ({key.public_id}) for {fmt.owner_kind_label(data.owner_kind).lower()} "
           f"{owner} with {len(data.asset_ids)} asset(s)", now)
    s.commit()
    return public_id


def _update_key(
    s: Session, public_id: str, raw: KeyFormInput, *, actor: str, now: datetime | None = None
) -> KeyDetails:
    """Save name, description, limits, expiration and asset access (the owner does not change)."""
    now = now or utcnow()
    key = _require_key(s, public_id)
    data, errors = _validate(s, raw, editing=public_id, today=now.date())
    if data is None:
        raise KeyFormInvalid(errors)
    changed: list[str] = []

    def put(attr: str, value, label: str) -> None:
        if getattr(key, attr) != value:
            setattr(key, attr, value)
            changed.append(label)

    put("name", data.name, "name")
    put("description", data.description, "description")
    put("tokens_per_minute", data.tokens_per_minute, "token rate limit")
    put("requests_per_minute", data.requests_per_minute, "request rate limit")
    put("budget_usd", data.budget_usd, "budget limit")
    old_day = key.expires_at.astimezone(timezone.utc).date() if key.expires_at else None
    if data.expires_on != old_day:  # an unchanged date keeps its exact stored instant
        key.expires_at = expiry_instant(data.expires_on) if data.expires_on else None
        changed.append("expiration")
    current = set(s.exec(select(ApiKeyAsset.asset_id).where(ApiKeyAsset.key_id == key.id)).all())
    wanted = set(data.asset_ids)
    if current != wanted:
        for asset_id in current - wanted:
            link = s.get(ApiKeyAsset, (key.id, asset_id))
            if link is not None:
                s.delete(link)
        for asset_id in wanted - current:
            s.add(ApiKeyAsset(key_id=key.id, asset_id=asset_id))
        changed.append("asset access")
    if changed:
        s.add(key)
        _audit(s, actor, "api_key.update", key,
               f"Updated API key \u201c{key.name}\u201d ({key.public_id}): {', '.join(changed)}", now)
    s.commit()
    details = _get_key(s, public_id, now=now)
    assert details is not None
    return details


def _set_enabled(s: Session, public_id: str, enabled: bool, *, actor: str, now: datetime | None = None) -> str:
    """Enable or disable a key; returns its name. Idempotent (no audit row when nothing changes)."""
    now = now or utcnow()
    key = _require_key(s, public_id)
    wanted = KeyStatus.ACTIVE if enabled else KeyStatus.DISABLED
    if key.status != wanted:
        key.status = wanted
        s.add(key)
        _audit(s, actor, "api_key.enable" if enabled else "api_key.disable", key,
               f"{'Enabled' if enabled else 'Disabled'} API key \u201c{key.name}\u201d ({key.public_id})", now)
        s.commit()
    return key.name


def _delete_key(s: Session, public_id: str, *, actor: str, now: datetime | None = None) -> str:
    """Soft delete: the key disappears everywhere but its usage rows stay. Returns its name.

    The encrypted copy of the secret is wiped, so it can never be revealed again; the hash stays
    so the gateway keeps rejecting it (and the unique index keeps it from ever being reissued).
    """
    now = now or utcnow()
    key = _require_key(s, public_id)
    key.deleted_at = now
    key.secret_encrypted = ""
    s.add(key)
    _audit(s, actor, "api_key.delete", key, f"Deleted API key \u201c{key.name}\u201d ({key.public_id})", now)
    s.commit()
    return key.name


def _reveal_secret(
    s: Session, public_id: str, *, actor: str, box: SecretBox | None = None, now: datetime | None = None
) -> str | None:
    """The whole secret, for the copy button only (audited). None when it cannot be revealed."""
    key = _live_key(s, public_id)
    if key is None:
        return None
    plaintext = (box or default_box()).decrypt(key.secret_encrypted)
    if plaintext is None:
        return None
    _audit(s, actor, "api_key.copy_secret", key, f"Copied the secret of API key \u201c{key.name}\u201d ({key.public_id})",
           now or utcnow())
    s.commit()
    return plaintext


def with_gateway_endpoints(details: KeyDetails, base_url: str) -> KeyDetails:
    """The key's models with the gateway's per-model base URLs under `base_url` (what a client of
    this console's gateway pastes), instead of their catalog endpoints."""
    from dataclasses import replace

    from maas_ui.domain.gateway_urls import model_endpoint

    sections = [
        replace(sec, assets=[replace(a, endpoint_url=model_endpoint(base_url, a.endpoint_url, a.name))
                             for a in sec.assets]) if sec.kind == AssetKind.MODEL.value else sec
        for sec in details.asset_sections
    ]
    return replace(details, asset_sections=sections)


def _playground_secret(s: Session, public_id: str, *, actor: str, box: SecretBox | None = None,
                      now: datetime | None = None) -> str | None:
    """The secret, for the console's own server-side "Try it" call (never sent to the page).
    Audited like a copy; None when the key cannot be used (deleted, not decryptable)."""
    key = _live_key(s, public_id)
    if key is None:
        return None
    plaintext = (box or default_box()).decrypt(key.secret_encrypted)
    if plaintext is not None:
        _audit(s, actor, "api_key.try", key, f"Sent a test request with API key \u201c{key.name}\u201d "
               f"({key.public_id}) from the console", now or utcnow())
        s.commit()
    return plaintext


def _key_name(s: Session, public_id: str) -> str | None:
    key = _live_key(s, public_id)
    return key.name if key else None


# Public API: each call is one session (one transaction) and names the acting user ----------
# Reads take the actor too, so that what a person may see can later depend on who they are.
def list_keys(query: KeyListQuery | None = None, *, actor: Actor, url: str | None = None,
              now: datetime | None = None) -> KeyPage:
    """One page of keys, filtered, sorted and counted in SQL."""
    with db.session(url) as s:
        return _list_keys(s, query, now=now)


def get_key(public_id: str, *, actor: Actor, url: str | None = None, now: datetime | None = None) -> KeyDetails | None:
    """The key's details, or None when there is no such (non-deleted) key."""
    with db.session(url) as s:
        return _get_key(s, public_id, now=now)


def key_name(public_id: str, *, actor: Actor, url: str | None = None) -> str | None:
    with db.session(url) as s:
        return _key_name(s, public_id)


def form_options(*, actor: Actor, url: str | None = None) -> FormOptions:
    """Owner options per owner kind and asset options per asset kind, for the Create modal."""
    with db.session(url) as s:
        return _form_options(s)


def key_form_values(public_id: str, *, actor: Actor, url: str | None = None) -> KeyFormInput:
    """The Edit modal's initial values. Raises KeyNotFound."""
    with db.session(url) as s:
        return _key_form_values(s, public_id)


def edit_form(public_id: str, *, actor: Actor, url: str | None = None) -> tuple[KeyFormInput, FormOptions]:
    """What the Edit modal opens with: the key's values and the options, read together. Raises KeyNotFound."""
    with db.session(url) as s:
        return _key_form_values(s, public_id), _form_options(s)


def owner_key_names(kind: str, owner_id: int, *, actor: Actor, url: str | None = None,
                    editing: str | None = None) -> list[str]:
    """The folded names of an owner's keys (the key being edited left out)."""
    with db.session(url) as s:
        return _owner_key_names(s, kind, owner_id, editing=editing)


def create_key(raw: KeyFormInput, *, actor: Actor, url: str | None = None, box: SecretBox | None = None,
               now: datetime | None = None) -> str:
    """Mint, store and audit a new key (created by the actor). Returns its public id. Raises KeyFormInvalid."""
    with db.session(url) as s:
        return _create_key(s, raw, actor=actor.username, box=box, now=now)


def update_key(public_id: str, raw: KeyFormInput, *, actor: Actor, url: str | None = None,
               now: datetime | None = None) -> KeyDetails:
    """Save an edit (audited as the actor). Raises KeyFormInvalid, KeyNotFound."""
    with db.session(url) as s:
        return _update_key(s, public_id, raw, actor=actor.username, now=now)


def set_enabled(public_id: str, enabled: bool, *, actor: Actor, url: str | None = None,
                now: datetime | None = None) -> str:
    """Enable or disable a key; returns its name. Raises KeyNotFound."""
    with db.session(url) as s:
        return _set_enabled(s, public_id, enabled, actor=actor.username, now=now)


def delete_key(public_id: str, *, actor: Actor, url: str | None = None, now: datetime | None = None) -> str:
    """Soft delete (audited as the actor); returns the key's name. Raises KeyNotFound."""
    with db.session(url) as s:
        return _delete_key(s, public_id, actor=actor.username, now=now)


def reveal_secret(public_id: str, *, actor: Actor, url: str | None = None, box: SecretBox | None = None,
                  now: datetime | None = None) -> str | None:
    """The whole secret, for the copy button only (audited as the actor). None when it cannot be revealed."""
    with db.session(url) as s:
        return _reveal_secret(s, public_id, actor=actor.username, box=box, now=now)


def playground_secret(public_id: str, *, actor: Actor, url: str | None = None, box: SecretBox | None = None,
                      now: datetime | None = None) -> str | None:
    """The secret for the console's own server-side "Try it" call (audited as the actor; never sent to the page)."""
    with db.session(url) as s:
        return _playground_secret(s, public_id, actor=actor.username, box=box, now=now)
