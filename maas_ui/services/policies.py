"""Policies: list, details, create/edit, activate/deactivate, delete, effective policies of a key,
the keys a policy applies to, and its Kuadrant manifests. No Reflex import.

Each public function opens its own session (one transaction) on the database at `url` (the
configured one by default) and takes the acting user; plain frozen dataclasses come out. The
private `_name(s, ...)` helpers take a session. Every change writes an AuditLog row whose actor is
the acting user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from maas_ui import db
from maas_ui.domain import audit as audit_dom
from maas_ui.services import access, audit
from maas_ui.domain import limits as lim
from maas_ui.domain import manifests as mf
from maas_ui.domain.inputs import fold
from maas_ui.domain import policies as dom
from maas_ui.domain.identity import Actor
from maas_ui.domain.roles import Permission, PermissionDenied
from maas_ui.domain.key_format import exact_time
from maas_ui.domain.keys import display_status
from maas_ui.domain.renewals import RenewalRule, current_period, days_label
from maas_ui.services.tiers import all_tier_facts
from maas_ui.models import (
    AiAsset,
    ApiKey,
    ApiKeyAsset,
    AssetKind,
    Group,
    GroupMembership,
    OverLimitBehavior,
    OwnerKind,
    Policy,
    PolicyAsset,
    PolicyTarget,
    ServiceAccount,
    User,
)

STATUS_FILTERS = ("active", "inactive")
SORT_FIELDS = ("name", "status", "updated", "created")


# Errors ------------------------------------------------------------------------------------
class PolicyNotFound(LookupError):
    """No policy with that ID."""


class ValidationError(ValueError):
    """The form cannot be saved: `errors` maps a field to a human message."""

    def __init__(self, errors: dict[str, str], warnings: dict[str, str] | None = None):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.warnings = warnings or {}


# Results -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetLabel:
    kind: str  # user | group | service_account
    kind_label: str  # User | Group | Service account
    name: str


@dataclass(frozen=True)
class PolicyRow:
    slug: str
    name: str
    description: str
    is_active: bool
    status: str  # Active | Inactive
    targets: tuple[TargetLabel, ...]  # groups, then users, then service accounts, each by name
    rules: tuple[str, ...]
    kinds: tuple[str, ...]
    updated_at: datetime


@dataclass(frozen=True)
class PolicyListQuery:
    search: str = ""
    status: str = ""  # "" (all) | active | inactive
    sort: str = "name"
    descending: bool = False

    def normalized(self) -> "PolicyListQuery":
        return PolicyListQuery(
            search=self.search.strip(),
            status=self.status if self.status in STATUS_FILTERS else "",
            sort=self.sort if self.sort in SORT_FIELDS else "name",
            descending=bool(self.descending),
        )


@dataclass(frozen=True)
class PolicyList:
    rows: tuple[PolicyRow, ...]
    total_all: int  # policies in the database, whatever the filters (tells "none yet" from "no match")


@dataclass(frozen=True)
class PolicyDetail:
    facts: dom.PolicyFacts
    rules: tuple[str, ...]
    kinds: tuple[str, ...]
    models_label: str  # "All" or the chosen names
    mcp_servers_label: str
    groups: tuple[str, ...]
    users: tuple[str, ...]
    service_accounts: tuple[str, ...]
    limit_labels: dict[str, str]  # limit kind name (limits.LIMIT_KINDS) -> "10,000 tokens / 1 min" or "No limit"
    over_limit_label: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    status: str = ""  # Active | Inactive
    created: str = ""  # "26 Nov 2026, 23:37 UTC"
    updated: str = ""
    renewal_label: str = ""  # the budget's rule ("" without a budget): "Monthly on day 1 (UTC)"
    period_label: str = ""  # the current period: "1 Jun 2026 to 30 Jun 2026"
    renews_on: str = ""  # "1 Jul 2026" or "Does not renew"

    @property
    def slug(self) -> str:
        return self.facts.slug

    @property
    def name(self) -> str:
        return self.facts.name


@dataclass(frozen=True)
class Option:
    id: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class FormOptions:
    models: tuple[Option, ...]
    mcp_servers: tuple[Option, ...]
    groups: tuple[Option, ...]
    users: tuple[Option, ...]
    service_accounts: tuple[Option, ...]


@dataclass(frozen=True)
class PolicyKey:
    """A key a policy applies to (the policy's API keys tab)."""

    public_id: str
    name: str
    owner: str
    owner_kind_label: str
    status: str  # Active | Expired | Disabled
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LimitLine:
    """One limit in force for a key on a model (a row of the key's Policies tab)."""

    kind_label: str  # "Token limit" (limits.LIMIT_KINDS)
    window: str  # "1 min", "1 day", "month"; "" for a time of day
    label: str  # "10,000 tokens / 1 min", "$250 / month", "09:00-17:00 UTC"
    source_name: str
    source_slug: str  # "" for the key's own limit
    tightest: bool  # binds first among the limits of its kind and window
    behavior_label: str = "Hard throttle"  # Hard throttle (reject) | Soft throttle (allow and flag)
    source_kind: str = "policy"  # key | policy | tier


@dataclass(frozen=True)
class ModelLimits:
    """The limits in force for a key on one model it grants."""

    name: str
    identifier: str
    limits: tuple[LimitLine, ...]


@dataclass(frozen=True)
class KeyPolicies:
    """A key's Policies tab: its effective limits per model, and the policies that apply to it."""

    public_id: str
    key_name: str
    policies: tuple[dom.EffectivePolicy, ...]
    models: tuple[ModelLimits, ...] = ()


# Loading -----------------------------------------------------------------------------------
def _now() -> datetime:
    return datetime.now(timezone.utc)


def _enum_value(v) -> str:
    return v.value if hasattr(v, "value") else str(v)


def _asset_ref(a: AiAsset) -> dom.AssetRef:
    return dom.AssetRef(id=a.id, kind=_enum_value(a.kind), name=a.name, identifier=a.identifier)


def _load_facts(s: Session, policies: list[Policy]) -> dict[int, dom.PolicyFacts]:
    """PolicyFacts for each policy row, with targets and chosen assets resolved in a few queries."""
    ids = [p.id for p in policies]
    if not ids:
        return {}
    targets = s.exec(select(PolicyTarget).where(PolicyTarget.policy_id.in_(ids))).all()
    assets = s.exec(
        select(PolicyAsset.policy_id, AiAsset).join(AiAsset, AiAsset.id == PolicyAsset.asset_id)
        .where(PolicyAsset.policy_id.in_(ids))
    ).all()
    by_kind: dict[str, set[int]] = defaultdict(set)
    for t in targets:
        by_kind[_enum_value(t.target_kind)].add(t.target_id)
    users = {u.id: u for u in s.exec(select(User).where(User.id.in_(by_kind[dom.USER])))} if by_kind[dom.USER] else {}
    groups = ({g.id: g for g in s.exec(select(Group).where(Group.id.in_(by_kind[dom.GROUP])))}
              if by_kind[dom.GROUP] else {})
    sas = ({a.id: a for a in s.exec(select(ServiceAccount).where(ServiceAccount.id.in_(by_kind[dom.SERVICE_ACCOUNT])))}
           if by_kind[dom.SERVICE_ACCOUNT] else {})
    targets_of: dict[int, list[dom.Target]] = defaultdict(list)
    for t in targets:
        kind = _enum_value(t.target_kind)
        if kind == dom.USER and t.target_id in users:
            targets_of[t.policy_id].append(dom.Target(kind, t.target_id, users[t.target_id].username))
        elif kind == dom.GROUP and t.target_id in groups:
            targets_of[t.policy_id].append(dom.Target(kind, t.target_id, groups[t.target_id].name))
        elif kind == dom.SERVICE_ACCOUNT and t.target_id in sas:
            sa = sas[t.target_id]
            targets_of[t.policy_id].append(dom.Target(kind, t.target_id, sa.name, sa.namespace))
    models_of: dict[int, list[dom.AssetRef]] = defaultdict(list)
    mcp_of: dict[int, list[dom.AssetRef]] = defaultdict(list)
    for policy_id, asset in assets:
        ref = _asset_ref(asset)
        if ref.kind == dom.MODEL:
            models_of[policy_id].append(ref)
        elif ref.kind == dom.MCP_SERVER:
            mcp_of[policy_id].append(ref)
    order = {dom.GROUP: 0, dom.USER: 1, dom.SERVICE_ACCOUNT: 2}
    facts = {}
    for p in policies:
        facts[p.id] = dom.PolicyFacts(
            slug=p.slug, name=p.name, description=p.description, is_active=p.is_active,
            token_limit=p.token_limit, token_window_value=p.token_window_value, token_window_unit=p.token_window_unit,
            request_limit=p.request_limit, request_window_value=p.request_window_value,
            request_window_unit=p.request_window_unit, budget_usd=p.budget_usd,
            time_window_start=p.time_window_start, time_window_end=p.time_window_end,
            over_limit_behavior=_enum_value(p.over_limit_behavior),
            all_models=p.all_models, all_mcp_servers=p.all_mcp_servers,
            models=tuple(sorted(models_of[p.id], key=lambda a: a.name.casefold())),
            mcp_servers=tuple(sorted(mcp_of[p.id], key=lambda a: a.name.casefold())),
            targets=tuple(sorted(targets_of[p.id], key=lambda t: (order[t.kind], t.name.casefold()))),
            renewal=_renewal(p),
        )
    return facts


def _renewal(p: Policy) -> RenewalRule:
    return RenewalRule(kind=p.renewal_kind or "monthly", day=p.renewal_day or 1, weekday=p.renewal_weekday or 0,
                       start=p.renewal_start, end=p.renewal_end, timezone=p.renewal_timezone or "UTC")


def _policy(s: Session, slug: str) -> Policy:
    p = s.exec(select(Policy).where(Policy.slug == slug)).first()
    if p is None:
        raise PolicyNotFound(slug)
    return p


def _row(p: Policy, facts: dom.PolicyFacts) -> PolicyRow:
    return PolicyRow(
        slug=p.slug, name=p.name, description=p.description, is_active=p.is_active,
        status="Active" if p.is_active else "Inactive",
        targets=tuple(TargetLabel(t.kind, t.kind_label, t.name) for t in facts.targets),
        rules=tuple(facts.rules), kinds=facts.kinds, updated_at=p.updated_at,
    )


# Reading -----------------------------------------------------------------------------------
def _list_policies(s: Session, query: PolicyListQuery = PolicyListQuery(), scope=None) -> PolicyList:
    """`scope`: the actor's condition on policies (None: all)."""
    q = query.normalized()
    stmt = select(Policy) if scope is None else select(Policy).where(scope)
    if q.search:
        # autoescape: a search for "%" or "_" means those characters, not wildcards.
        # Names compare folded (Unicode-caseless on every database); IDs are lowercase ASCII.
        folded = fold(q.search)
        stmt = stmt.where(or_(Policy.name_folded.contains(folded, autoescape=True),
                              Policy.slug.contains(folded, autoescape=True),
                              Policy.description.icontains(q.search, autoescape=True)))
    if q.status:
        stmt = stmt.where(Policy.is_active == (q.status == "active"))
    name_key = func.lower(Policy.name)
    order = {
        "name": [name_key],
        "status": [Policy.is_active.desc() if not q.descending else Policy.is_active.asc(), name_key],
        "updated": [Policy.updated_at, name_key],
        "created": [Policy.created_at, name_key],
    }[q.sort]
    if q.descending and q.sort != "status":
        order = [order[0].desc(), *order[1:]]
    policies = list(s.exec(stmt.order_by(*order, Policy.id)).all())
    facts = _load_facts(s, policies)
    total_all = s.exec(select(func.count()).select_from(Policy).where(*([scope] if scope is not None else []))).one()
    return PolicyList(rows=tuple(_row(p, facts[p.id]) for p in policies), total_all=total_all)


def _limit_line(limit: lim.Limit, tightest: bool) -> LimitLine:
    return LimitLine(
        kind_label=lim.KIND_BY_NAME[limit.kind].label, window=limit.window.label if limit.window else "",
        label=limit.label, source_name=limit.source_name, source_slug=limit.source_slug or "", tightest=tightest,
        behavior_label=limit.behavior_label, source_kind=limit.source_kind,
    )


def _get_policy(s: Session, slug: str) -> PolicyDetail | None:
    p = s.exec(select(Policy).where(Policy.slug == slug)).first()
    if p is None:
        return None
    f = _load_facts(s, [p])[p.id]
    return PolicyDetail(
        facts=f, rules=tuple(f.rules), kinds=f.kinds,
        models_label=dom.scope_label(f.all_models, f.models),
        mcp_servers_label=dom.scope_label(f.all_mcp_servers, f.mcp_servers),
        groups=tuple(t.name for t in f.targets_of(dom.GROUP)),
        users=tuple(t.name for t in f.targets_of(dom.USER)),
        service_accounts=tuple(t.name for t in f.targets_of(dom.SERVICE_ACCOUNT)),
        limit_labels={k.name: "No limit" for k in lim.LIMIT_KINDS} | {x.kind: x.label for x in lim.policy_limits(f)},
        over_limit_label=dom.OVER_LIMIT_LABELS.get(f.over_limit_behavior, f.over_limit_behavior),
        created_at=p.created_at, created_by=p.created_by, updated_at=p.updated_at,
        status="Active" if p.is_active else "Inactive",
        created=exact_time(p.created_at), updated=exact_time(p.updated_at),
        **(_period_labels(f.renewal) if f.budget_usd else {}),
    )


def _period_labels(rule: RenewalRule, now: datetime | None = None) -> dict[str, str]:
    period = current_period(rule, now or _now())
    last_day = (period.end.astimezone(rule.zone) - timedelta(seconds=1)).date()
    text = f"{days_label(period.start.astimezone(rule.zone).date())} to {days_label(last_day)}"
    if not period.started:
        text = f"Starts on {days_label(rule.start)}"
    elif period.ended:
        text = f"Ended on {days_label(last_day)}"
    return {"renewal_label": rule.label, "period_label": text,
            "renews_on": days_label(period.renews_on) if period.renews_on else "Does not renew"}


def _form_options(s: Session) -> FormOptions:
    """What the modal's selects list: the assets, groups, users and service accounts in the database."""
    assets = s.exec(select(AiAsset).where(AiAsset.kind.in_([AssetKind.MODEL, AssetKind.MCP_SERVER]),
                                          AiAsset.deleted_at.is_(None))
                    .order_by(func.lower(AiAsset.name))).all()
    return FormOptions(
        models=tuple(Option(a.id, a.name, a.identifier) for a in assets if a.kind == AssetKind.MODEL),
        mcp_servers=tuple(Option(a.id, a.name, a.identifier) for a in assets if a.kind == AssetKind.MCP_SERVER),
        groups=tuple(Option(g.id, g.name, g.description) for g in s.exec(select(Group).order_by(Group.name))),
        users=tuple(Option(u.id, u.username, u.full_name) for u in s.exec(select(User).order_by(User.username))),
        service_accounts=tuple(Option(a.id, a.name, a.namespace)
                               for a in s.exec(select(ServiceAccount).order_by(ServiceAccount.name))),
    )


def _policy_form(s: Session, slug: str) -> dom.PolicyForm:
    """The Edit modal's starting point: the stored policy as the form would submit it."""
    p = _policy(s, slug)
    f = _load_facts(s, [p])[p.id]
    return dom.PolicyForm(
        name=p.name, description=p.description, policy_id=p.slug,
        model_ids=[a.id for a in f.models] if not f.all_models else [],
        mcp_server_ids=[a.id for a in f.mcp_servers] if not f.all_mcp_servers else [],
        token_limit=str(p.token_limit) if p.token_limit else "",
        token_window_value=str(p.token_window_value or 1), token_window_unit=p.token_window_unit or "minute",
        request_limit=str(p.request_limit) if p.request_limit else "",
        request_window_value=str(p.request_window_value or 1), request_window_unit=p.request_window_unit or "minute",
        budget_usd=(f"{p.budget_usd:.2f}".removesuffix(".00") if p.budget_usd else ""),
        time_limit=bool(p.time_window_start and p.time_window_end),
        time_start=p.time_window_start or "", time_end=p.time_window_end or "",
        over_limit_behavior=_enum_value(p.over_limit_behavior),
        group_ids=[t.id for t in f.targets_of(dom.GROUP)],
        user_ids=[t.id for t in f.targets_of(dom.USER)],
        service_account_ids=[t.id for t in f.targets_of(dom.SERVICE_ACCOUNT)],
        renewal_kind=f.renewal.kind, renewal_day=str(f.renewal.day), renewal_weekday=str(f.renewal.weekday),
        renewal_start=f.renewal.start.isoformat() if f.renewal.start else "",
        renewal_end=f.renewal.end.isoformat() if f.renewal.end else "",
        renewal_timezone=f.renewal.timezone,
    )


def _taken(s: Session, exclude_slug: str | None) -> tuple[list[str], list[str]]:
    rows = s.exec(select(Policy.name, Policy.slug)).all()
    return ([n for n, sl in rows if sl != exclude_slug], [sl for _n, sl in rows if sl != exclude_slug])


def _taken_names_and_ids(s: Session, editing_slug: str | None = None) -> tuple[list[str], list[str]]:
    """The other policies' names and IDs: the form checks against them as the person types."""
    return _taken(s, editing_slug)


def _preview_policy_id(s: Session, name: str) -> str:
    """The ID a new policy with this name would get ("" when the name has no letter or digit)."""
    _names, slugs = _taken(s, None)
    return dom.derive_policy_id(name, slugs)


def _check_form(s: Session, form: dom.PolicyForm, editing_slug: str | None = None) -> tuple[dict, dict]:
    """(errors, warnings) for the form, against the database (names, IDs and chosen items must exist)."""
    names, slugs = _taken(s, editing_slug)
    check = form if editing_slug is None else _with_id(form, "")
    errors = dom.validate_policy_form(check, taken_names=names, taken_ids=slugs, needs_id=editing_slug is None)
    missing = _missing_choices(s, form)
    errors.update({k: v for k, v in missing.items() if k not in errors})
    return errors, dom.form_warnings(form)


def _with_id(form: dom.PolicyForm, policy_id: str) -> dom.PolicyForm:
    from dataclasses import replace

    return replace(form, policy_id=policy_id)


def _missing_choices(s: Session, form: dom.PolicyForm) -> dict[str, str]:
    errors = {}

    def missing(model, ids, extra=None):
        ids = set(ids)
        if not ids:
            return False
        stmt = select(func.count()).select_from(model).where(model.id.in_(ids))
        if extra is not None:
            stmt = stmt.where(extra)
        return s.exec(stmt).one() != len(ids)

    if missing(AiAsset, form.model_ids, AiAsset.kind == AssetKind.MODEL):
        errors["model_ids"] = "One of the chosen models no longer exists. Choose again."
    if missing(AiAsset, form.mcp_server_ids, AiAsset.kind == AssetKind.MCP_SERVER):
        errors["mcp_server_ids"] = "One of the chosen MCP servers no longer exists. Choose again."
    if missing(Group, form.group_ids):
        errors["group_ids"] = "One of the chosen groups no longer exists. Choose again."
    if missing(User, form.user_ids):
        errors["user_ids"] = "One of the chosen users no longer exists. Choose again."
    if missing(ServiceAccount, form.service_account_ids):
        errors["service_account_ids"] = "One of the chosen service accounts no longer exists. Choose again."
    return errors


# Writing -----------------------------------------------------------------------------------
def _audit(s: Session, actor: str, action: str, slug: str, summary: str, changes: dict | None = None) -> None:
    audit.record(s, actor, action, "policy", slug, summary, changes, now=_now())


def _snapshot(s: Session, p: Policy) -> dict:
    """The audited fields of a policy, by name (targets and assets by their names)."""
    s.flush()
    f = _load_facts(s, [p])[p.id]

    def window(limit, value, unit):
        return f"{limit} / {value} {unit}" if limit is not None else None

    return {
        "name": f.name, "description": f.description, "active": f.is_active,
        "token_limit": window(f.token_limit, f.token_window_value, f.token_window_unit),
        "request_limit": window(f.request_limit, f.request_window_value, f.request_window_unit),
        "budget_usd": f.budget_usd,
        "time_window": f"{f.time_window_start}-{f.time_window_end}" if f.time_window_start else None,
        "over_limit_behavior": f.over_limit_behavior,
        "models": "All" if f.all_models else [a.name for a in f.models],
        "mcp_servers": "All" if f.all_mcp_servers else [a.name for a in f.mcp_servers],
        "groups": [x.name for x in f.targets_of(dom.GROUP)],
        "users": [x.name for x in f.targets_of(dom.USER)],
        "service_accounts": [x.name for x in f.targets_of(dom.SERVICE_ACCOUNT)],
    }


def _apply(s: Session, p: Policy, data: dom.PolicyInput) -> None:
    p.name, p.description = data.name, data.description
    p.token_limit, p.token_window_value, p.token_window_unit = (
        data.token_limit, data.token_window_value, data.token_window_unit)
    p.request_limit, p.request_window_value, p.request_window_unit = (
        data.request_limit, data.request_window_value, data.request_window_unit)
    p.budget_usd = data.budget_usd
    r = data.renewal
    p.renewal_kind, p.renewal_day, p.renewal_weekday = r.kind, r.day, r.weekday
    p.renewal_start, p.renewal_end, p.renewal_timezone = r.start, r.end, r.timezone
    p.time_window_start, p.time_window_end = data.time_window_start, data.time_window_end
    p.over_limit_behavior = OverLimitBehavior(data.over_limit_behavior)
    p.all_models, p.all_mcp_servers = data.all_models, data.all_mcp_servers
    p.kuadrant_kind = data.primary_kind
    s.add(p)
    s.flush()
    for row in s.exec(select(PolicyAsset).where(PolicyAsset.policy_id == p.id)).all():
        s.delete(row)
    for row in s.exec(select(PolicyTarget).where(PolicyTarget.policy_id == p.id)).all():
        s.delete(row)
    s.flush()
    for asset_id in (*data.model_ids, *data.mcp_server_ids):
        s.add(PolicyAsset(policy_id=p.id, asset_id=asset_id))
    for kind, ids in ((OwnerKind.GROUP, data.group_ids), (OwnerKind.USER, data.user_ids),
                      (OwnerKind.SERVICE_ACCOUNT, data.service_account_ids)):
        for target_id in ids:
            s.add(PolicyTarget(policy_id=p.id, target_kind=kind, target_id=target_id))


def _create_policy(s: Session, form: dom.PolicyForm, *, actor: str) -> str:
    """Store a new policy (active) and return its ID. Raises ValidationError."""
    errors, warnings = _check_form(s, form)
    if errors:
        raise ValidationError(errors, warnings)
    data = dom.parse_policy_form(form)
    _names, slugs = _taken(s, None)
    slug = form.policy_id.strip() or dom.derive_policy_id(data.name, slugs)
    now = _now()
    p = Policy(slug=slug, name=data.name, description=data.description, is_active=True,
               created_at=now, created_by=actor, updated_at=now)
    _apply(s, p, data)
    rules = dom.policy_rules(_load_facts(s, [p])[p.id])
    _audit(s, actor, "policy.create", slug,
           f"Created policy {data.name} ({slug}): {'; '.join(rules)}", audit_dom.diff(None, _snapshot(s, p)))
    s.commit()
    return slug


_AUDITED_FIELDS = {
    "name": "name", "description": "description", "token_limit": "token limit",
    "token_window_value": "token window", "token_window_unit": "token window", "request_limit": "rate limit",
    "request_window_value": "rate window", "request_window_unit": "rate window", "budget_usd": "budget",
    "time_window_start": "time limit", "time_window_end": "time limit", "over_limit_behavior": "over-limit behaviour",
    "model_ids": "models", "mcp_server_ids": "MCP servers", "group_ids": "groups", "user_ids": "users",
    "service_account_ids": "service accounts",
}


def _update_policy(s: Session, slug: str, form: dom.PolicyForm, *, actor: str) -> str:
    """Save an edit (the ID never changes: links to the policy keep working). Raises ValidationError."""
    p = _policy(s, slug)
    errors, warnings = _check_form(s, form, editing_slug=slug)
    if errors:
        raise ValidationError(errors, warnings)
    before = dom.parse_policy_form(_policy_form(s, slug))
    data = dom.parse_policy_form(form)
    changed = []
    for attr, label in _AUDITED_FIELDS.items():
        if getattr(before, attr) != getattr(data, attr) and label not in changed:
            changed.append(label)
    old = _snapshot(s, p)
    _apply(s, p, data)
    p.updated_at = _now()
    s.add(p)
    _audit(s, actor, "policy.update", slug,
           f"Edited policy {data.name} ({slug}): " + (", ".join(changed) if changed else "no change"),
           audit_dom.diff(old, _snapshot(s, p)))
    s.commit()
    return slug


def _set_policy_active(s: Session, slug: str, active: bool, *, actor: str) -> str:
    """Activate or deactivate; returns the policy's name."""
    p = _policy(s, slug)
    if p.is_active != active:
        p.is_active = active
        p.updated_at = _now()
        s.add(p)
        _audit(s, actor, "policy.activate" if active else "policy.deactivate", slug,
               f"{'Activated' if active else 'Deactivated'} policy {p.name} ({slug})", {"active": [not active, active]})
        s.commit()
    return p.name


def _delete_policy(s: Session, slug: str, *, actor: str) -> str:
    """Delete the policy, its targets and asset scope; returns its name."""
    p = _policy(s, slug)
    name = p.name
    old = _snapshot(s, p)
    for model in (PolicyAsset, PolicyTarget):
        for row in s.exec(select(model).where(model.policy_id == p.id)).all():
            s.delete(row)
    s.flush()
    s.delete(p)
    _audit(s, actor, "policy.delete", slug, f"Deleted policy {name} ({slug})", audit_dom.diff(old, None))
    s.commit()
    return name


# Keys and policies -------------------------------------------------------------------------
def _owner_names(s: Session, keys: Iterable[ApiKey]) -> dict[tuple[str, int], str]:
    ids: dict[str, set[int]] = defaultdict(set)
    for k in keys:
        ids[_enum_value(k.owner_kind)].add(k.owner_id)
    names: dict[tuple[str, int], str] = {}
    for kind, model, attr in ((dom.USER, User, "username"), (dom.GROUP, Group, "name"),
                              (dom.SERVICE_ACCOUNT, ServiceAccount, "name")):
        if ids[kind]:
            for row in s.exec(select(model).where(model.id.in_(ids[kind]))):
                names[(kind, row.id)] = getattr(row, attr)
    return names


def _key_facts(s: Session, keys: list[ApiKey]) -> dict[int, dom.KeyFacts]:
    if not keys:
        return {}
    key_ids = [k.id for k in keys]
    assets: dict[int, list[dom.AssetRef]] = defaultdict(list)
    for key_id, asset in s.exec(
        select(ApiKeyAsset.key_id, AiAsset).join(AiAsset, AiAsset.id == ApiKeyAsset.asset_id)
        .where(ApiKeyAsset.key_id.in_(key_ids))
    ):
        assets[key_id].append(_asset_ref(asset))
    user_ids = {k.owner_id for k in keys if _enum_value(k.owner_kind) == dom.USER}
    groups_of: dict[int, set[int]] = defaultdict(set)
    if user_ids:
        for m in s.exec(select(GroupMembership).where(GroupMembership.user_id.in_(user_ids))):
            groups_of[m.user_id].add(m.group_id)
    names = _owner_names(s, keys)
    facts = {}
    for k in keys:
        kind = _enum_value(k.owner_kind)
        facts[k.id] = dom.KeyFacts(
            public_id=k.public_id, name=k.name, owner_kind=kind, owner_id=k.owner_id,
            owner_name=names.get((kind, k.owner_id), ""),
            owner_group_ids=frozenset(groups_of[k.owner_id]) if kind == dom.USER else frozenset(),
            assets=tuple(assets[k.id]), tokens_per_minute=k.tokens_per_minute,
            requests_per_minute=k.requests_per_minute, budget_usd=k.budget_usd,
        )
    return facts


def _all_policy_facts(s: Session, active_only: bool = True) -> list[dom.PolicyFacts]:
    stmt = select(Policy).order_by(Policy.slug)
    if active_only:
        stmt = stmt.where(Policy.is_active == True)  # noqa: E712
    policies = list(s.exec(stmt).all())
    facts = _load_facts(s, policies)
    return [facts[p.id] for p in policies]


def _key_policies(s: Session, public_id: str) -> KeyPolicies | None:
    """The policies that apply to a key and, per model it grants, every limit in force with the
    tightest per kind and window (None: no such key, or deleted)."""
    key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id, ApiKey.deleted_at == None)).first()  # noqa: E711
    if key is None:
        return None
    facts = _key_facts(s, [key])[key.id]
    policies = _all_policy_facts(s)
    return KeyPolicies(
        public_id=key.public_id, key_name=key.name,
        policies=tuple(dom.effective_policies(policies, facts)),
        models=tuple(
            ModelLimits(m.model.name, m.model.identifier, tuple(_limit_line(x, m.is_tightest(x)) for x in m.limits))
            for m in lim.effective_limits(policies, facts, all_tier_facts(s))
        ),
    )


_OWNER_KIND_LABELS = {dom.USER: "User", dom.GROUP: "Group", dom.SERVICE_ACCOUNT: "Service account"}


def _keys_for_policy(s: Session, slug: str) -> list[PolicyKey]:
    """The (not deleted) keys an active policy currently applies to, by key name; [] when inactive."""
    p = _policy(s, slug)
    facts = _load_facts(s, [p])[p.id]
    if not facts.is_active or not facts.targets:
        return []
    user_ids = {t.id for t in facts.targets_of(dom.USER)}
    group_ids = {t.id for t in facts.targets_of(dom.GROUP)}
    sa_ids = {t.id for t in facts.targets_of(dom.SERVICE_ACCOUNT)}
    if group_ids:
        user_ids |= set(s.exec(select(GroupMembership.user_id).where(GroupMembership.group_id.in_(group_ids))).all())
    owner_match = []
    if user_ids:
        owner_match.append(and_(ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id.in_(user_ids)))
    if group_ids:
        owner_match.append(and_(ApiKey.owner_kind == OwnerKind.GROUP, ApiKey.owner_id.in_(group_ids)))
    if sa_ids:
        owner_match.append(and_(ApiKey.owner_kind == OwnerKind.SERVICE_ACCOUNT, ApiKey.owner_id.in_(sa_ids)))
    keys = list(s.exec(select(ApiKey).where(ApiKey.deleted_at == None, or_(*owner_match))  # noqa: E711
                       .order_by(func.lower(ApiKey.name), ApiKey.public_id)).all())
    key_facts = _key_facts(s, keys)
    now = _now()
    rows = []
    for k in keys:
        kf = key_facts[k.id]
        if not dom.policy_applies(facts, kf):
            continue
        rows.append(PolicyKey(
            public_id=k.public_id, name=k.name, owner=kf.owner_name,
            owner_kind_label=_OWNER_KIND_LABELS[kf.owner_kind],
            status=display_status(_enum_value(k.status), k.expires_at, now),
            reasons=tuple(dom.match_reasons(facts, kf)),
        ))
    return rows


# Manifests ---------------------------------------------------------------------------------
def _catalog(s: Session) -> list[dom.AssetRef]:
    return [_asset_ref(a) for a in s.exec(
        select(AiAsset).where(AiAsset.kind.in_([AssetKind.MODEL, AssetKind.MCP_SERVER]), AiAsset.deleted_at.is_(None))
        .order_by(AiAsset.id))]


def _policy_yaml(s: Session, slug: str, settings: mf.GatewaySettings = mf.GatewaySettings()) -> str:
    """The Kuadrant manifests of one policy as YAML text (the YAML tab)."""
    p = _policy(s, slug)
    return mf.manifests_yaml(_load_facts(s, [p])[p.id], _catalog(s), settings)


def active_manifests(s: Session, settings: mf.GatewaySettings = mf.GatewaySettings()) -> list[tuple[str, str]]:
    """(file name, YAML text) for every active policy, by policy ID."""
    catalog = _catalog(s)
    return [(mf.manifest_file_name(f), mf.manifests_yaml(f, catalog, settings)) for f in _all_policy_facts(s)]


# Public API: each call is one session (one transaction) and names the acting user ----------
# Reads take the actor too, so that what a person may see can later depend on who they are.
@dataclass(frozen=True)
class PolicyPage:
    """Everything a policy's details page shows, read together."""

    detail: PolicyDetail
    keys: list[PolicyKey]
    yaml_text: str


NO_ACCESS = "You do not have access to this policy."
MANAGE_DENIED = "Only platform admins can create, edit, activate, deactivate or delete policies."


def _check_policy(s: Session, actor: Actor, slug: str) -> None:
    """PermissionDenied when the policy exists and does not apply to the actor (AI engineers)."""
    scope = access.policy_condition(s, actor)
    if scope is None:
        return
    p = s.exec(select(Policy.id).where(Policy.slug == slug)).first()
    if p is not None and s.exec(select(Policy.id).where(Policy.id == p, scope)).first() is None:
        raise PermissionDenied(NO_ACCESS)


def _manage(actor: Actor) -> None:
    actor.require(Permission.POLICIES_MANAGE, MANAGE_DENIED)


def _visible_keys(s: Session, actor: Actor, rows: list[PolicyKey]) -> list[PolicyKey]:
    reach = access.reach(s, actor)
    if reach is None or not rows:
        return rows
    visible = set(s.exec(select(ApiKey.public_id).where(ApiKey.public_id.in_([r.public_id for r in rows]),
                                                        access.key_condition(reach))).all())
    return [r for r in rows if r.public_id in visible]


def list_policies(query: PolicyListQuery = PolicyListQuery(), *, actor: Actor, url: str | None = None) -> PolicyList:
    """The policies the actor may see: all for admins, those that apply to them for AI engineers."""
    with db.session(url) as s:
        return _list_policies(s, query, access.policy_condition(s, actor))


def get_policy(slug: str, *, actor: Actor, url: str | None = None) -> PolicyDetail | None:
    """None: no such policy. Raises PermissionDenied."""
    with db.session(url) as s:
        _check_policy(s, actor, slug)
        return _get_policy(s, slug)


def policy_page(slug: str, *, actor: Actor, url: str | None = None) -> PolicyPage | None:
    """The details page's detail, keys and YAML in one session; None when there is no such policy."""
    with db.session(url) as s:
        _check_policy(s, actor, slug)
        detail = _get_policy(s, slug)
        if detail is None:
            return None
        return PolicyPage(detail=detail, keys=_visible_keys(s, actor, _keys_for_policy(s, slug)),
                          yaml_text=_policy_yaml(s, slug))


def keys_for_policy(slug: str, *, actor: Actor, url: str | None = None) -> list[PolicyKey]:
    """Raises PolicyNotFound, PermissionDenied."""
    with db.session(url) as s:
        _check_policy(s, actor, slug)
        return _visible_keys(s, actor, _keys_for_policy(s, slug))


def policy_yaml(slug: str, settings: mf.GatewaySettings = mf.GatewaySettings(), *, actor: Actor,
                url: str | None = None) -> str:
    """Raises PolicyNotFound, PermissionDenied."""
    with db.session(url) as s:
        _check_policy(s, actor, slug)
        return _policy_yaml(s, slug, settings)


def key_policies(public_id: str, *, actor: Actor, url: str | None = None) -> KeyPolicies | None:
    """Raises PermissionDenied for a key out of the actor's reach."""
    with db.session(url) as s:
        key = s.exec(select(ApiKey).where(ApiKey.public_id == public_id, ApiKey.deleted_at == None)).first()  # noqa: E711
        if key is not None:
            access.require_key_access(s, actor, key)
        return _key_policies(s, public_id)


def form_options(*, actor: Actor, url: str | None = None) -> FormOptions:
    with db.session(url) as s:
        _manage(actor)
        return _form_options(s)


def policy_form(slug: str, *, actor: Actor, url: str | None = None) -> dom.PolicyForm:
    """Raises PolicyNotFound."""
    with db.session(url) as s:
        _manage(actor)
        return _policy_form(s, slug)


def edit_form(slug: str, *, actor: Actor, url: str | None = None) -> tuple[dom.PolicyForm, FormOptions]:
    """What the Edit modal opens with: the stored policy and the options, read together. Raises PolicyNotFound."""
    with db.session(url) as s:
        _manage(actor)
        return _policy_form(s, slug), _form_options(s)


def taken_names_and_ids(editing_slug: str | None = None, *, actor: Actor,
                        url: str | None = None) -> tuple[list[str], list[str]]:
    with db.session(url) as s:
        _manage(actor)
        return _taken_names_and_ids(s, editing_slug)


def preview_policy_id(name: str, *, actor: Actor, url: str | None = None) -> str:
    with db.session(url) as s:
        _manage(actor)
        return _preview_policy_id(s, name)


def check_form(form: dom.PolicyForm, editing_slug: str | None = None, *, actor: Actor,
               url: str | None = None) -> tuple[dict, dict]:
    with db.session(url) as s:
        _manage(actor)
        return _check_form(s, form, editing_slug)


def create_policy(form: dom.PolicyForm, *, actor: Actor, url: str | None = None) -> str:
    """Store a new policy created by the actor; returns its ID. Raises ValidationError."""
    with db.session(url) as s:
        _manage(actor)
        return _create_policy(s, form, actor=actor.username)


def update_policy(slug: str, form: dom.PolicyForm, *, actor: Actor, url: str | None = None) -> str:
    """Raises ValidationError, PolicyNotFound."""
    with db.session(url) as s:
        _manage(actor)
        return _update_policy(s, slug, form, actor=actor.username)


def set_policy_active(slug: str, active: bool, *, actor: Actor, url: str | None = None) -> str:
    """Activate or deactivate; returns the policy's name. Raises PolicyNotFound."""
    with db.session(url) as s:
        _manage(actor)
        return _set_policy_active(s, slug, active, actor=actor.username)


def delete_policy(slug: str, *, actor: Actor, url: str | None = None) -> str:
    """Returns the deleted policy's name. Raises PolicyNotFound."""
    with db.session(url) as s:
        _manage(actor)
        return _delete_policy(s, slug, actor=actor.username)
