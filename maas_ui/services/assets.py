"""AI assets: the catalog, an asset's page, Add/Edit/Delete, and Test connection. No Reflex import.

Each public function opens its own session (one transaction) and names the acting user, who is
written to the audit log on every change. Provider credentials are stored Fernet-encrypted (as
key secrets are) and never returned: the edit form only learns whether one is stored.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

import httpx
from sqlalchemy import delete as sa_delete
from sqlalchemy import func, or_
from sqlmodel import Session, select

from maas_ui import db, routes
from maas_ui.domain import assets as dom
from maas_ui.domain import key_format as fmt
from maas_ui.domain import latency
from maas_ui.domain.gateway_urls import model_endpoint
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import Permission
from maas_ui.domain.inputs import fold
from maas_ui.domain.keys import SecretBox, display_status
from maas_ui.domain.policies import slugify
from maas_ui.models import (
    AiAsset, ApiKey, ApiKeyAsset, AssetKind, AuditLog, Group, McpTool, OwnerKind, Policy, PolicyAsset,
    ServiceAccount, User,
)
from maas_ui.services import usage as usage_svc

log = logging.getLogger(__name__)
DAY = timedelta(hours=24)


class AssetNotFound(LookupError):
    pass


class AssetFormInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors))
        self.errors = errors


# What pages get ------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssetRow:
    """One catalog row: every kind's columns (domain.assets.ASSET_KIND_DEFS says which show)."""

    identifier: str
    name: str
    kind: str
    endpoint: str
    provider_label: str
    status: str
    tools_text: str
    size_text: str
    requests_24h: int
    tokens_24h: int
    cost_24h: str
    description: str = ""
    asset_id: int = 0
    href: str = ""  # the details page
    requests_text: str = "0"
    tokens_text: str = "0"


@dataclass(frozen=True)
class AssetKeyRow:
    public_id: str
    name: str
    owner: str
    status: str
    yours: bool
    requests_24h: int = 0


@dataclass(frozen=True)
class AssetPolicyRow:
    slug: str
    name: str
    why: str  # "All models" or "Selected"
    active: bool


@dataclass(frozen=True)
class TopKey:
    public_id: str
    name: str
    owner: str
    requests: int
    tokens: int
    cost: str


@dataclass(frozen=True)
class AssetMetrics:
    requests: int = 0
    errors: int = 0
    tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: str = "$0.00"
    latency_p50: str = "No data"
    latency_p95: str = "No data"
    latency_mean: str = "No data"
    top_keys: list[TopKey] = field(default_factory=list)


@dataclass(frozen=True)
class AssetDetail:
    identifier: str
    name: str
    kind: str
    kind_label: str
    kind_slug: str
    description: str
    endpoint: str
    provider: str
    provider_label: str
    upstream_url: str
    has_credential: bool
    price_in: str
    price_out: str
    context_length: str
    owner: str
    created: str
    created_by: str
    tools: list[str]
    size_text: str
    is_model: bool
    asset_id: int = 0
    href: str = ""


@dataclass(frozen=True)
class AssetPage:
    detail: AssetDetail
    keys: list[AssetKeyRow]
    policies: list[AssetPolicyRow]
    metrics: AssetMetrics


@dataclass(frozen=True)
class BlastRadius:
    name: str
    keys: list[AssetKeyRow]
    policies: list[AssetPolicyRow]
    requests_24h: int
    cost_24h: str


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str
    model_ids: list[str] = field(default_factory=list)


# Helpers --------------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(timezone.utc)


def _kind(a: AiAsset) -> str:
    return a.kind.value if hasattr(a.kind, "value") else str(a.kind)


def _usd(v: float | None) -> str:
    return "Not set" if v is None else f"${v:,.2f}"


def _live(s: Session):
    return select(AiAsset).where(AiAsset.deleted_at.is_(None))


def _asset(s: Session, identifier: str) -> AiAsset:
    """A live asset by its ID, or by its database id (the URLs' form: model IDs may hold slashes)."""
    ref = str(identifier)
    cond = AiAsset.id == int(ref) if ref.isascii() and ref.isdigit() and len(ref) < 12 else AiAsset.identifier == ref
    a = s.exec(_live(s).where(cond)).first()
    if a is None:
        raise AssetNotFound(identifier)
    return a


def _endpoint(a: AiAsset, base_url: str) -> str:
    if _kind(a) == "model" and base_url:
        return model_endpoint(base_url, a.endpoint_url, a.name)
    return a.endpoint_url


def _tools(s: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if ids:
        for t in s.exec(select(McpTool).where(McpTool.asset_id.in_(ids)).order_by(McpTool.name)).all():
            out.setdefault(t.asset_id, []).append(t.name)
    return out


def _owner_names(s: Session, keys: list[ApiKey]) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for kind, table, col in (("user", User, User.full_name), ("group", Group, Group.name),
                             ("service_account", ServiceAccount, ServiceAccount.name)):
        ids = {k.owner_id for k in keys if _v(k.owner_kind) == kind}
        if ids:
            for row_id, name in s.exec(select(table.id, col).where(table.id.in_(ids))).all():
                names[(kind, row_id)] = name
    return names


def _v(x) -> str:
    return x.value if hasattr(x, "value") else str(x)


def _my_user_ids(s: Session, actor: str) -> set[int]:
    return set(s.exec(select(User.id).where(or_(User.email == actor, User.username == actor))).all())


def _keys_of(s: Session, a: AiAsset, actor: Actor, now: datetime, usage: dict[int, int] | None = None) -> list[AssetKeyRow]:
    keys = s.exec(select(ApiKey).join(ApiKeyAsset, ApiKeyAsset.key_id == ApiKey.id)
                  .where(ApiKeyAsset.asset_id == a.id, ApiKey.deleted_at.is_(None))).all()
    names = _owner_names(s, list(keys))
    mine = _my_user_ids(s, actor.username)
    rows = [AssetKeyRow(k.public_id, k.name, names.get((_v(k.owner_kind), k.owner_id), "Unknown"),
                        display_status(_v(k.status), k.expires_at, now),
                        _v(k.owner_kind) == "user" and k.owner_id in mine, (usage or {}).get(k.id, 0))
            for k in keys]
    return sorted(rows, key=lambda r: (not r.yours, fold(r.name)))


def _policies_of(s: Session, a: AiAsset) -> list[AssetPolicyRow]:
    kind = _kind(a)
    linked = set(s.exec(select(PolicyAsset.policy_id).where(PolicyAsset.asset_id == a.id)).all())
    rows = []
    for p in s.exec(select(Policy).order_by(Policy.name)).all():
        if p.id in linked:
            why = "Selected"
        elif kind == "model" and p.all_models:
            why = "All models"
        elif kind == "mcp_server" and p.all_mcp_servers:
            why = "All MCP servers"
        else:
            continue
        rows.append(AssetPolicyRow(p.slug, p.name, why, bool(p.is_active)))
    return rows


def _ms(v: float | None) -> str:
    return "No data" if v is None else f"{v:,.0f} ms"


def _metrics(s: Session, a: AiAsset, now: datetime) -> AssetMetrics:
    total, per_key = usage_svc.asset_usage_detail(a.id, now - DAY, conn=s.connection())
    if not total.requests:
        return AssetMetrics()
    top = per_key[:5]
    keys = {k.id: k for k in s.exec(select(ApiKey).where(ApiKey.id.in_([t.key_id for t in top]))).all()} if top else {}
    names = _owner_names(s, list(keys.values()))
    top_keys = [TopKey(keys[t.key_id].public_id, keys[t.key_id].name,
                       names.get((_v(keys[t.key_id].owner_kind), keys[t.key_id].owner_id), "Unknown"),
                       t.requests, t.tokens, f"${t.cost_usd:,.2f}") for t in top if t.key_id in keys]
    return AssetMetrics(
        requests=total.requests, errors=total.errors, tokens=total.tokens, input_tokens=total.input_tokens,
        output_tokens=total.output_tokens, cost=f"${total.cost_usd:,.2f}",
        latency_p50=_ms(latency.quantile(total.histogram, 0.5)), latency_p95=_ms(latency.quantile(total.histogram, 0.95)),
        latency_mean=_ms(total.latency_ms_sum / total.requests), top_keys=top_keys,
    )


def _detail(s: Session, a: AiAsset, base_url: str) -> AssetDetail:
    kd = dom.kind_def(_kind(a))
    return AssetDetail(
        identifier=a.identifier, name=a.name, kind=kd.kind, kind_label=kd.singular.capitalize(), kind_slug=kd.slug,
        description=a.description, endpoint=_endpoint(a, base_url), provider=a.provider or "internal",
        provider_label=dom.provider_label(a.provider), upstream_url=a.upstream_url or "",
        has_credential=bool(a.upstream_credential_encrypted),
        price_in=_usd(a.price_input_per_1m), price_out=_usd(a.price_output_per_1m),
        context_length=f"{a.context_length:,} tokens" if a.context_length else "Not set",
        owner=a.owner or "Platform team", created=fmt.exact_date(a.created_at), created_by=a.created_by or "Seeded",
        tools=_tools(s, [a.id]).get(a.id, []), size_text=fmt.size(a.size_bytes) if a.size_bytes else "",
        is_model=kd.kind == "model", asset_id=a.id, href=routes.ai_asset_url(kd.slug, a.id),
    )


# Reads ---------------------------------------------------------------------------------------
def catalog(kind: str, *, actor: Actor, base_url: str = "", now: datetime | None = None,
            url: str | None = None) -> list[AssetRow]:
    """Every live asset of one kind with its last 24 hours of traffic, by name."""
    now = now or _now()
    kd = dom.kind_def(kind)
    with db.session(url) as s:
        assets = s.exec(_live(s).where(AiAsset.kind == AssetKind(kd.kind)).order_by(AiAsset.name_folded, AiAsset.name)).all()
        traffic = usage_svc.asset_usage_since(now - DAY, conn=s.connection())
        tools = _tools(s, [a.id for a in assets]) if kd.has_tools else {}
    rows = []
    for a in assets:
        u = traffic.get(a.id, usage_svc.AssetUsage())
        t = tools.get(a.id, [])
        rows.append(AssetRow(
            identifier=a.identifier, name=a.name, kind=kd.kind, endpoint=_endpoint(a, base_url),
            provider_label=dom.provider_label(a.provider), status=dom.traffic_status(u.requests, u.errors),
            tools_text=", ".join(t) if t else "No tools", size_text=fmt.size(a.size_bytes),
            requests_24h=u.requests, tokens_24h=u.tokens, cost_24h=f"${u.cost_usd:,.2f}", description=a.description,
            asset_id=a.id, href=routes.ai_asset_url(kd.slug, a.id),
            requests_text=f"{u.requests:,}", tokens_text=f"{u.tokens:,}",
        ))
    return rows


def asset_page(identifier: str, *, actor: Actor, base_url: str = "", now: datetime | None = None,
               url: str | None = None) -> AssetPage | None:
    now = now or _now()
    with db.session(url) as s:
        try:
            a = _asset(s, identifier)
        except AssetNotFound:
            return None
        metrics = _metrics(s, a, now)
        _total, per_key = usage_svc.asset_usage_detail(a.id, now - DAY, conn=s.connection())
        return AssetPage(_detail(s, a, base_url), _keys_of(s, a, actor, now, {k.key_id: k.requests for k in per_key}),
                         _policies_of(s, a), metrics)


def blast_radius(identifier: str, *, actor: Actor, now: datetime | None = None, url: str | None = None) -> BlastRadius:
    """What deleting the asset touches: keys granting it (owners, 24 h requests), policies naming it."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    now = now or _now()
    with db.session(url) as s:
        a = _asset(s, identifier)
        total, per_key = usage_svc.asset_usage_detail(a.id, now - DAY, conn=s.connection())
        keys = _keys_of(s, a, actor, now, {k.key_id: k.requests for k in per_key})
        policies = [p for p in _policies_of(s, a) if p.why == "Selected"]
        return BlastRadius(a.name, keys, policies, total.requests, f"${total.cost_usd:,.2f}")


def taken(*, actor: Actor, exclude: str = "", url: str | None = None) -> tuple[list[str], list[str]]:
    """Folded names and IDs of live assets (except the one being edited), for the form's checks."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    with db.session(url) as s:
        rows = s.exec(select(AiAsset.name, AiAsset.identifier).where(AiAsset.deleted_at.is_(None))).all()
    return ([fold(n) for n, i in rows if i != exclude], [i for _n, i in rows if i != exclude])


def form_values(identifier: str, *, actor: Actor, url: str | None = None) -> tuple[dom.AssetFormInput, bool]:
    """The edit form's draft (never the credential) and whether a credential is stored."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    with db.session(url) as s:
        a = _asset(s, identifier)
        return dom.AssetFormInput(
            kind=_kind(a), provider=a.provider or "internal", name=a.name, identifiers=a.identifier,
            base_url=a.upstream_url if _kind(a) == "model" else a.endpoint_url, credential="",
            price_in=_num(a.price_input_per_1m), price_out=_num(a.price_output_per_1m),
            context_length=str(a.context_length or ""), owner=a.owner, description=a.description,
        ), bool(a.upstream_credential_encrypted)


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


# Writes --------------------------------------------------------------------------------------
def _box() -> SecretBox:
    from maas_ui.services.api_keys import default_box

    return default_box()


def _check(s: Session, raw: dom.AssetFormInput, editing: AiAsset | None) -> dom.AssetInput:
    others = s.exec(select(AiAsset.name_folded, AiAsset.identifier).where(AiAsset.deleted_at.is_(None))).all()
    exclude = editing.identifier if editing else None
    names = {n for n, i in others if i != exclude}
    idents = {i for _n, i in others if i != exclude}
    multi = len(dom.split_identifiers(raw.identifiers)) > 1
    data, errors = dom.validate_asset_form(
        raw, editing=editing is not None,
        name_taken=lambda n: fold(n) in names if not multi else any(
            fold(x) in names for x, _ in dom.asset_names(n, tuple(dom.split_identifiers(raw.identifiers)))),
        identifier_taken=lambda i: i in idents,
        credential_stored=bool(editing and editing.upstream_credential_encrypted),
    )
    if data is None:
        raise AssetFormInvalid(errors)
    return data


def _audit(s: Session, actor: Actor, action: str, a: AiAsset, summary: str) -> None:
    s.add(AuditLog(at=_now(), actor=actor.username, action=action, entity_kind="asset", entity_id=a.identifier[:80],
                   summary=summary[:1024]))


def create_assets(raw: dom.AssetFormInput, *, actor: Actor, box: SecretBox | None = None,
                  url: str | None = None) -> list[str]:
    """Add one asset per model ID exposed (or the one asset of another kind). Returns their IDs."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    with db.session(url) as s:
        data = _check(s, raw, None)
        encrypted = (box or _box()).encrypt(data.credential) if data.credential else ""
        now = _now()
        made = []
        for name, ident in dom.asset_names(data.name, data.identifiers):
            is_model = data.kind == "model"
            a = AiAsset(
                kind=AssetKind(data.kind), name=name, identifier=ident, description=data.description,
                endpoint_url=f"/{slugify(ident, 200) or 'model'}/v1" if is_model else data.base_url,
                price_input_per_1m=data.price_in, price_output_per_1m=data.price_out, created_at=now,
                upstream_url=data.base_url if is_model else "", upstream_model=ident if is_model else "",
                upstream_credential_encrypted=encrypted if is_model else "", provider=data.provider,
                context_length=data.context_length, owner=data.owner, created_by=actor.username,
            )
            s.add(a)
            _audit(s, actor, "asset.create", a,
                   f"Added {dom.kind_def(data.kind).singular} {name} ({ident}) from {dom.provider_label(data.provider)}")
            made.append(ident)
        s.commit()
        return made


def update_asset(identifier: str, raw: dom.AssetFormInput, *, actor: Actor, box: SecretBox | None = None,
                 url: str | None = None) -> str:
    """Save the edit form; an empty credential keeps the stored one. Returns the (new) ID."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    with db.session(url) as s:
        a = _asset(s, identifier)
        data = _check(s, replace(raw, kind=_kind(a)), a)
        a.name, a.description, a.owner = data.name, data.description, data.owner
        a.identifier = data.identifiers[0]
        a.provider = data.provider
        a.price_input_per_1m, a.price_output_per_1m = data.price_in, data.price_out
        a.context_length = data.context_length
        if data.kind == "model":
            a.upstream_url = data.base_url
            if a.upstream_model in ("", identifier):
                a.upstream_model = a.identifier
            if data.credential:
                a.upstream_credential_encrypted = (box or _box()).encrypt(data.credential)
            elif not dom.provider_def(data.provider).needs_credential and not data.base_url:
                a.upstream_credential_encrypted = ""
        else:
            a.endpoint_url = data.base_url
        s.add(a)
        _audit(s, actor, "asset.update", a, f"Edited {a.name} ({a.identifier})"
               + ("; replaced the provider credential" if data.credential else ""))
        s.commit()
        return a.identifier


def delete_asset(identifier: str, *, actor: Actor, url: str | None = None) -> str:
    """Soft delete: the row stays (usage history keeps its name); grants and policy links go; the
    ID is freed for a new asset. Returns the name; an asset already gone counts as deleted."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    with db.session(url) as s:
        try:
            a = _asset(s, identifier)
        except AssetNotFound:
            return identifier
        name = a.name
        s.exec(sa_delete(ApiKeyAsset).where(ApiKeyAsset.asset_id == a.id))
        s.exec(sa_delete(PolicyAsset).where(PolicyAsset.asset_id == a.id))
        _audit(s, actor, "asset.delete", a, f"Deleted {name} ({identifier})")
        a.deleted_at = _now()
        a.identifier = f"{identifier[:100]}~deleted-{a.id}"
        a.upstream_credential_encrypted = ""
        s.add(a)
        s.commit()
        return name


# Test connection -----------------------------------------------------------------------------
def stored_credential(identifier: str, *, actor: Actor, box: SecretBox | None = None, url: str | None = None) -> str:
    """The stored credential, decrypted, for a server-side connection test only."""
    actor.require(Permission.ASSETS_MANAGE, "Only platform admins can add, change or delete AI assets.")
    with db.session(url) as s:
        a = _asset(s, identifier)
        return (box or _box()).decrypt(a.upstream_credential_encrypted) or ""


def auth_headers(provider: str, credential: str) -> dict[str, str]:
    if not credential:
        return {}
    header = dom.provider_def(provider).auth_header
    return {"Authorization": f"Bearer {credential}"} if header == "bearer" else {header: credential}


def _tls_error(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, ssl.SSLError) or "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def check_connection(provider: str, base_url: str, credential: str, *, timeout_s: float = 8.0,
                    transport: httpx.BaseTransport | None = None) -> ConnectionResult:
    """Call the provider's models list (GET <base>/models). Saves nothing; never logs the credential."""
    problem = dom.url_problem(base_url, required=True)
    if problem:
        return ConnectionResult(False, problem)
    target = base_url.strip().rstrip("/") + "/models"
    try:
        with httpx.Client(timeout=timeout_s, transport=transport, follow_redirects=False, trust_env=False) as client:
            r = client.get(target, headers=auth_headers(provider, credential))
    except httpx.TimeoutException:
        return ConnectionResult(False, f"Timed out: {target} did not answer within {timeout_s:g} seconds.")
    except httpx.ConnectError as exc:
        if _tls_error(exc):
            return ConnectionResult(False, f"TLS failed: the certificate of {base_url} could not be verified "
                                           "(self-signed, expired or for another host).")
        return ConnectionResult(False, f"Unreachable: nothing answered at {base_url} (connection refused or "
                                       "unknown host).")
    except httpx.HTTPError as exc:
        return ConnectionResult(False, f"The connection to {base_url} failed: {type(exc).__name__}.")
    if r.status_code in (401, 403):
        return ConnectionResult(False, f"The provider refused the credential: HTTP {r.status_code} from {target}. "
                                       "Check the API key.")
    if r.status_code >= 400:
        return ConnectionResult(False, f"The provider answered HTTP {r.status_code} from {target}.")
    try:
        data = r.json()
        ids = [str(m["id"]) for m in data.get("data", []) if isinstance(m, dict) and m.get("id")]
    except (ValueError, AttributeError, TypeError):
        return ConnectionResult(False, f"{target} answered, but not with an OpenAI-style models list.")
    return ConnectionResult(True, f"Connected: the provider lists {len(ids)} model{'s' if len(ids) != 1 else ''}.",
                            sorted(ids))
