"""The audit log's vocabulary and field-by-field diffs. No Reflex, no database.

One table of actions (what the filter offers and the page labels) and one of entity kinds; a
change is stored as JSON: {"field": [old, new], ...} (old is null on create, new null on delete).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum


@dataclass(frozen=True)
class EntityKind:
    slug: str
    label: str


ENTITY_KINDS: dict[str, EntityKind] = {k.slug: k for k in (
    EntityKind("api_key", "API key"),
    EntityKind("policy", "Policy"),
    EntityKind("asset", "AI asset"),
    EntityKind("model", "Model"),
    EntityKind("tier", "Tier"),
    EntityKind("user", "User"),
    EntityKind("manifests", "Manifests"),
    EntityKind("database", "Database"),
)}

# action -> label, in the filter's order. Services record these strings.
ACTIONS: dict[str, str] = {
    "api_key.create": "API key created",
    "api_key.update": "API key edited",
    "api_key.disable": "API key disabled",
    "api_key.enable": "API key enabled",
    "api_key.delete": "API key deleted",
    "api_key.rotate": "API key rotated",
    "api_key.copy_secret": "API key secret copied",
    "api_key.try": "API key tried",
    "policy.create": "Policy created",
    "policy.update": "Policy edited",
    "policy.activate": "Policy activated",
    "policy.deactivate": "Policy deactivated",
    "policy.delete": "Policy deleted",
    "model.upstream": "Model upstream set",
    "asset.create": "AI asset created",
    "asset.update": "AI asset edited",
    "asset.delete": "AI asset deleted",
    "tier.create": "Tier created",
    "tier.update": "Tier edited",
    "tier.delete": "Tier deleted",
    "user.switch": "User switched",
    "user.sign_in": "User signed in",
    "manifests.export": "Manifests exported",
    "seed.demo_data": "Demo data seeded",
}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def entity_kind_label(kind: str) -> str:
    found = ENTITY_KINDS.get(kind)
    return found.label if found else kind


def _plain(value):
    """A JSON-friendly value: enums by value, dates ISO, sets and tuples as sorted lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def diff(before: Mapping[str, object] | None, after: Mapping[str, object] | None) -> dict[str, list]:
    """{field: [old, new]} for every field whose value differs (a missing side counts as None)."""
    before, after = before or {}, after or {}
    out: dict[str, list] = {}
    for name in list(before) + [k for k in after if k not in before]:
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            out[name] = [old, new]
    return out


def to_json(changes: Mapping[str, list] | None) -> str:
    return json.dumps(changes or {}, ensure_ascii=False, sort_keys=False, default=str)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


def _show(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def field_changes(stored: str | None) -> list[FieldChange]:
    """The stored JSON as readable lines ("—" for none); [] for an empty or unreadable value."""
    try:
        data = json.loads(stored or "{}")
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    out = []
    for name, pair in data.items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        out.append(FieldChange(str(name).replace("_", " "), _show(old), _show(new)))
    return out
