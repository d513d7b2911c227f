"""Tiers: levels of service (free, premium, enterprise...) that give the members of some groups
default token and request limits on every model.

A user's tier is the tier of highest level among the tiers covering one of their groups; a key
owned by a group takes the highest tier covering that group; service accounts have no tier.
A tier's limits are counted per user and per model (as Kuadrant-based MaaS counts them:
`auth.identity.userid` on each model's HTTPRoute), for the members of the tier only.

Pure logic: no database, no Reflex.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from maas_ui.domain import inputs
from maas_ui.domain.policies import (
    GROUP,
    LIMIT_MAX,
    USER,
    WINDOW_MAX,
    WINDOW_UNITS,
    KeyFacts,
    derive_policy_id,
    slugify,
    window_label,
)

NAME_MAX = 64
DESCRIPTION_MAX = 1024
LEVEL_MAX = 1000


@dataclass(frozen=True)
class TierFacts:
    slug: str
    name: str
    level: int
    description: str = ""
    group_ids: frozenset[int] = frozenset()
    group_names: tuple[str, ...] = ()
    token_limit: int | None = None
    token_window_value: int | None = None
    token_window_unit: str | None = None
    request_limit: int | None = None
    request_window_value: int | None = None
    request_window_unit: str | None = None

    @property
    def source_name(self) -> str:
        """How limit tables name it: 'tier premium'."""
        return f"tier {self.name}"

    @property
    def rules(self) -> tuple[str, ...]:
        out = []
        if self.token_limit:
            out.append(f"{self.token_limit:,} tokens / {window_label(self.token_window_value or 1, self.token_window_unit or 'minute')}")
        if self.request_limit:
            out.append(f"{self.request_limit:,} requests / "
                       f"{window_label(self.request_window_value or 1, self.request_window_unit or 'minute')}")
        return tuple(out)


def _by_level(tiers: Iterable[TierFacts]) -> list[TierFacts]:
    return sorted(tiers, key=lambda t: (-t.level, t.name.casefold(), t.slug))


def tier_for_groups(tiers: Iterable[TierFacts], group_ids: Iterable[int]) -> TierFacts | None:
    """The highest-level tier covering any of these groups (None: no tier)."""
    groups = set(group_ids)
    return next((t for t in _by_level(tiers) if t.group_ids & groups), None)


def key_tier(tiers: Iterable[TierFacts], key: KeyFacts) -> TierFacts | None:
    """The tier whose limits a key's traffic counts under: its owner's."""
    if key.owner_kind == USER:
        return tier_for_groups(tiers, key.owner_group_ids)
    if key.owner_kind == GROUP:
        return tier_for_groups(tiers, {key.owner_id})
    return None


def higher_tiers(tiers: Iterable[TierFacts], tier: TierFacts) -> list[TierFacts]:
    """The tiers that win over `tier` for someone in both (higher level; same level: earlier name)."""
    ordered = _by_level(tiers)
    return ordered[: next(i for i, t in enumerate(ordered) if t.slug == tier.slug)]


# The form -------------------------------------------------------------------------------
@dataclass
class TierForm:
    name: str = ""
    description: str = ""
    level: str = ""
    group_ids: list[int] = field(default_factory=list)
    token_limit: str = ""
    token_window_value: str = "1"
    token_window_unit: str = "minute"
    request_limit: str = ""
    request_window_value: str = "1"
    request_window_unit: str = "minute"


@dataclass(frozen=True)
class TierInput:
    name: str
    description: str
    level: int
    group_ids: tuple[int, ...]
    token_limit: int | None
    token_window_value: int | None
    token_window_unit: str | None
    request_limit: int | None
    request_window_value: int | None
    request_window_unit: str | None


def validate_tier_form(form: TierForm, *, taken_names: Iterable[str] = (),
                       taken_levels: Iterable[int] = ()) -> dict[str, str]:
    """Field -> message (empty: valid). `taken_*` are the *other* tiers' names and levels."""
    errors: dict[str, str] = {}
    name = inputs.clean_name(form.name)
    err = inputs.name_error(form.name, "Name", NAME_MAX, required_message="Enter a name for the tier.")
    if err:
        errors["name"] = err
    elif not slugify(name):
        errors["name"] = "Use at least one Latin letter or digit: the tier ID is made from the name."
    elif inputs.fold(name) in {inputs.fold(n) for n in taken_names}:
        errors["name"] = f"A tier named \u201c{name}\u201d already exists. Choose another name."
    if len(form.description) > DESCRIPTION_MAX:
        errors["description"] = f"Use at most {DESCRIPTION_MAX:,} characters."
    level, err = inputs.parse_count(form.level, "The level", maximum=LEVEL_MAX, minimum=0)
    if level is None:
        errors["level"] = err or f"Enter a whole number from 0 to {LEVEL_MAX:,}."
    elif level in set(taken_levels):
        errors["level"] = f"Another tier has level {level}: levels decide which tier wins, so each is unique."
    any_limit = False
    for prefix, noun in (("token", "token"), ("request", "request")):
        raw = getattr(form, f"{prefix}_limit").strip()
        if not raw:
            continue
        any_limit = True
        _v, err = inputs.parse_count(raw, f"The {noun} limit", maximum=LIMIT_MAX)
        if err:
            errors[f"{prefix}_limit"] = err
        window, err = inputs.parse_count(getattr(form, f"{prefix}_window_value"), "The period count",
                                         maximum=WINDOW_MAX)
        if window is None:
            errors[f"{prefix}_window_value"] = f"Enter a whole number of periods from 1 to {WINDOW_MAX:,}."
        if getattr(form, f"{prefix}_window_unit") not in WINDOW_UNITS:
            errors[f"{prefix}_window_unit"] = "Choose minute, hour or day."
    if not any_limit:
        errors["limits"] = "Set a token limit, a request limit or both: a tier without limits changes nothing."
    return errors


def tier_input(form: TierForm) -> TierInput:
    """The typed values of a valid form."""
    def count(raw: str) -> int | None:
        value, _ = inputs.parse_count(raw, "", maximum=LIMIT_MAX)
        return value

    token = count(form.token_limit) if form.token_limit.strip() else None
    request = count(form.request_limit) if form.request_limit.strip() else None
    level, _ = inputs.parse_count(form.level, "", maximum=LEVEL_MAX, minimum=0)
    return TierInput(
        name=inputs.clean_name(form.name), description=form.description.strip(), level=level or 0,
        group_ids=tuple(sorted(set(form.group_ids))),
        token_limit=token, token_window_value=count(form.token_window_value) if token else None,
        token_window_unit=form.token_window_unit if token else None,
        request_limit=request, request_window_value=count(form.request_window_value) if request else None,
        request_window_unit=form.request_window_unit if request else None,
    )


def tier_id(name: str, taken: Iterable[str] = ()) -> str:
    return derive_policy_id(inputs.clean_name(name), taken)
