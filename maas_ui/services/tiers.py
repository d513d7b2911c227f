"""Tiers: list, details (with the groups' members count and manifests), create/edit, delete, and
the tier of a key. No Reflex import; each public function is one session and takes the actor.
Changes are admin-only (services.access) and write an AuditLog row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func
from sqlmodel import Session, select

from maas_ui import db
from maas_ui.domain import tiers as dom
from maas_ui.domain.identity import Actor
from maas_ui.domain.inputs import fold
from maas_ui.domain.key_format import exact_time
from maas_ui.domain.policies import MODEL, AssetRef
from maas_ui.domain.tier_manifests import tier_yaml
from maas_ui.models import AiAsset, AssetKind, AuditLog, Group, GroupMembership, Tier, TierGroup
from maas_ui.services.access import require_admin


class TierNotFound(LookupError):
    """No tier with that ID."""


class TierInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class TierRow:
    slug: str
    name: str
    description: str
    level: int
    groups: tuple[str, ...]
    rules: tuple[str, ...]
    members: int  # distinct users in its groups


@dataclass(frozen=True)
class TierDetail:
    row: TierRow
    token_label: str  # "100,000 tokens / 1 min" or "No limit"
    request_label: str
    created: str
    created_by: str
    updated: str
    yaml_text: str


@dataclass(frozen=True)
class GroupOption:
    id: int
    label: str


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _facts(s: Session, tiers: list[Tier]) -> dict[int, dom.TierFacts]:
    ids = [t.id for t in tiers]
    groups: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if ids:
        for tier_id, g in s.exec(select(TierGroup.tier_id, Group).join(Group, Group.id == TierGroup.group_id)
                                 .where(TierGroup.tier_id.in_(ids))):
            groups[tier_id].append((g.id, g.name))
    out = {}
    for t in tiers:
        gs = sorted(groups[t.id], key=lambda x: x[1].casefold())
        out[t.id] = dom.TierFacts(
            slug=t.slug, name=t.name, level=t.level, description=t.description,
            group_ids=frozenset(i for i, _ in gs), group_names=tuple(n for _, n in gs),
            token_limit=t.token_limit, token_window_value=t.token_window_value, token_window_unit=t.token_window_unit,
            request_limit=t.request_limit, request_window_value=t.request_window_value,
            request_window_unit=t.request_window_unit,
        )
    return out


def all_tier_facts(s: Session) -> list[dom.TierFacts]:
    """Every tier, highest level first (for effective limits and the gateway)."""
    tiers = list(s.exec(select(Tier).order_by(Tier.level.desc())).all())
    facts = _facts(s, tiers)
    return [facts[t.id] for t in tiers]


def _members(s: Session, group_ids) -> int:
    if not group_ids:
        return 0
    return s.exec(select(func.count(func.distinct(GroupMembership.user_id)))
                  .where(GroupMembership.group_id.in_(list(group_ids)))).one()


def _row(s: Session, f: dom.TierFacts) -> TierRow:
    return TierRow(slug=f.slug, name=f.name, description=f.description, level=f.level, groups=f.group_names,
                   rules=f.rules, members=_members(s, f.group_ids))


def _tier(s: Session, slug: str) -> Tier:
    t = s.exec(select(Tier).where(Tier.slug == slug)).first()
    if t is None:
        raise TierNotFound(slug)
    return t


def _catalog(s: Session) -> list[AssetRef]:
    return [AssetRef(id=a.id, kind=MODEL, name=a.name, identifier=a.identifier)
            for a in s.exec(select(AiAsset).where(AiAsset.kind == AssetKind.MODEL).order_by(AiAsset.id))]


# Reading ------------------------------------------------------------------------------------
def list_tiers(search: str = "", *, actor: Actor, url: str | None = None) -> list[TierRow]:
    """Highest level first; `search` matches name, ID, description or a group's name."""
    with db.session(url) as s:
        needle = fold(search.strip())
        rows = [_row(s, f) for f in all_tier_facts(s)]
        if needle:
            rows = [r for r in rows if needle in fold(r.name) or needle in r.slug or needle in fold(r.description)
                    or any(needle in fold(g) for g in r.groups)]
        return rows


def get_tier(slug: str, *, actor: Actor, url: str | None = None) -> TierDetail | None:
    with db.session(url) as s:
        t = s.exec(select(Tier).where(Tier.slug == slug)).first()
        if t is None:
            return None
        all_facts = all_tier_facts(s)
        f = next(x for x in all_facts if x.slug == slug)
        rules = {r.split(" ", 2)[1]: r for r in f.rules}
        return TierDetail(
            row=_row(s, f), token_label=rules.get("tokens", "No limit"), request_label=rules.get("requests", "No limit"),
            created=exact_time(t.created_at), created_by=t.created_by, updated=exact_time(t.updated_at),
            yaml_text=tier_yaml(f, all_facts, _catalog(s)),
        )


def group_options(*, actor: Actor, url: str | None = None) -> list[GroupOption]:
    with db.session(url) as s:
        return [GroupOption(g.id, g.name) for g in s.exec(select(Group).order_by(func.lower(Group.name)))]


def _taken(s: Session, editing: str | None) -> tuple[list[str], list[int]]:
    rows = s.exec(select(Tier.name, Tier.level, Tier.slug)).all()
    return [n for n, _l, sl in rows if sl != editing], [lv for _n, lv, sl in rows if sl != editing]


def taken_names_and_levels(editing: str | None = None, *, actor: Actor,
                           url: str | None = None) -> tuple[list[str], list[int]]:
    with db.session(url) as s:
        return _taken(s, editing)


def tier_form(slug: str, *, actor: Actor, url: str | None = None) -> dom.TierForm:
    """The Edit modal's starting point. Raises TierNotFound."""
    with db.session(url) as s:
        t = _tier(s, slug)
        f = _facts(s, [t])[t.id]
        return dom.TierForm(
            name=t.name, description=t.description, level=str(t.level), group_ids=sorted(f.group_ids),
            token_limit=str(t.token_limit) if t.token_limit else "",
            token_window_value=str(t.token_window_value or 1), token_window_unit=t.token_window_unit or "minute",
            request_limit=str(t.request_limit) if t.request_limit else "",
            request_window_value=str(t.request_window_value or 1), request_window_unit=t.request_window_unit or "minute",
        )


# Writing ------------------------------------------------------------------------------------
def _audit(s: Session, actor: Actor, action: str, slug: str, summary: str) -> None:
    s.add(AuditLog(at=_now(), actor=actor.username, action=action, entity_kind="tier", entity_id=slug,
                   summary=summary[:1024]))


def _check(s: Session, form: dom.TierForm, editing: str | None) -> dom.TierInput:
    names, levels = _taken(s, editing)
    errors = dom.validate_tier_form(form, taken_names=names, taken_levels=levels)
    known = set(s.exec(select(Group.id)).all())
    if any(g not in known for g in form.group_ids):
        errors["group_ids"] = "A chosen group no longer exists: choose the groups again."
    if errors:
        raise TierInvalid(errors)
    return dom.tier_input(form)


def _apply(s: Session, t: Tier, data: dom.TierInput) -> None:
    t.name, t.description, t.level = data.name, data.description, data.level
    t.token_limit, t.token_window_value, t.token_window_unit = (
        data.token_limit, data.token_window_value, data.token_window_unit)
    t.request_limit, t.request_window_value, t.request_window_unit = (
        data.request_limit, data.request_window_value, data.request_window_unit)
    s.add(t)
    s.flush()
    for row in s.exec(select(TierGroup).where(TierGroup.tier_id == t.id)).all():
        s.delete(row)
    s.flush()
    for g in data.group_ids:
        s.add(TierGroup(tier_id=t.id, group_id=g))


def create_tier(form: dom.TierForm, *, actor: Actor, url: str | None = None) -> str:
    """Returns the new tier's ID. Raises TierInvalid, AccessDenied."""
    with db.session(url) as s:
        require_admin(actor, s)
        data = _check(s, form, None)
        slug = dom.tier_id(data.name, s.exec(select(Tier.slug)).all())
        now = _now()
        t = Tier(slug=slug, name=data.name, level=data.level, created_at=now, created_by=actor.username,
                 updated_at=now)
        _apply(s, t, data)
        _audit(s, actor, "tier.create", slug, f"Created tier {data.name} (level {data.level})")
        s.commit()
        return slug


def update_tier(slug: str, form: dom.TierForm, *, actor: Actor, url: str | None = None) -> str:
    """Raises TierInvalid, TierNotFound, AccessDenied."""
    with db.session(url) as s:
        require_admin(actor, s)
        t = _tier(s, slug)
        data = _check(s, form, slug)
        t.updated_at = _now()
        _apply(s, t, data)
        _audit(s, actor, "tier.update", slug, f"Edited tier {data.name}")
        s.commit()
        return slug


def delete_tier(slug: str, *, actor: Actor, url: str | None = None) -> str:
    """Returns the deleted tier's name. Raises TierNotFound, AccessDenied."""
    with db.session(url) as s:
        require_admin(actor, s)
        t = _tier(s, slug)
        name = t.name
        for row in s.exec(select(TierGroup).where(TierGroup.tier_id == t.id)).all():
            s.delete(row)
        s.flush()  # the group links go first: no ORM relationship orders the deletes
        s.delete(t)
        _audit(s, actor, "tier.delete", slug, f"Deleted tier {name}")
        s.commit()
        return name
