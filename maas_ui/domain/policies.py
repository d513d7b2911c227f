"""Policies: IDs, form validation, rule labels, effective policies of a key.

Pure logic over plain values and dataclasses: no database, no Reflex.

Asset scope. A policy has a Models selector and an MCP servers selector; each is either
"All" (no restriction on that asset kind) or a list of chosen assets. A policy with both
selectors at "All" is unrestricted: it covers every asset behind the gateway, vector
databases and agents included. Otherwise it covers the models and MCP servers its selectors
allow (a selector left at "All" allows every asset of its kind) and nothing else. A key is
affected when it can reach at least one covered asset (an unrestricted policy affects every
key, even one with no assets yet).

Targets. A policy applies to a key when a target is the key's owner: the owning user
directly or through one of that user's groups, the owning group, or the owning service
account. Inactive policies apply to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from maas_ui.domain import inputs
from maas_ui.domain import renewals
from maas_ui.domain.renewals import CALENDAR_MONTH, RenewalRule

WINDOW_UNITS = ("minute", "hour", "day")
OVER_LIMIT_BEHAVIORS = ("hard", "soft")

NAME_MAX = 80
DESCRIPTION_MAX = 1024
POLICY_ID_MAX = 63  # a DNS label, so that manifest names derived from it stay valid
LIMIT_MAX = 2_000_000_000  # fits a 32-bit integer column on every database
WINDOW_MAX = 1000  # 1,000 days = 24000h: still a valid Kuadrant duration
BUDGET_MAX = 1_000_000_000

USER = "user"
GROUP = "group"
SERVICE_ACCOUNT = "service_account"
TARGET_KIND_LABELS = {GROUP: "Group", USER: "User", SERVICE_ACCOUNT: "Service account"}

MODEL = "model"
MCP_SERVER = "mcp_server"

AUTH_POLICY = "AuthPolicy"
RATE_LIMIT_POLICY = "RateLimitPolicy"
TOKEN_RATE_LIMIT_POLICY = "TokenRateLimitPolicy"

_POLICY_ID_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# IDs --------------------------------------------------------------------------------------
def slugify(text: str, max_length: int = POLICY_ID_MAX) -> str:
    """Lowercase, anything but letters and digits becomes one dash, no dash at either end."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")
    return slug[:max_length].rstrip("-")


def derive_policy_id(name: str, taken: Iterable[str] = ()) -> str:
    """The policy ID for a name: its slug, made unique with -2, -3, ... ("" when the name has no letter or digit)."""
    base = slugify(name)
    if not base:
        return ""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: POLICY_ID_MAX - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


# The form -------------------------------------------------------------------------------
@dataclass
class PolicyForm:
    """What the Create/Edit policy modal submits, as typed (strings) or picked (ids).

    An empty model or MCP server selection means "All". `policy_id` empty means "derive it
    from the name" (the modal shows the derived ID; an edit keeps the existing one).
    """

    name: str = ""
    description: str = ""
    policy_id: str = ""
    model_ids: list[int] = field(default_factory=list)
    mcp_server_ids: list[int] = field(default_factory=list)
    token_limit: str = ""
    token_window_value: str = "1"
    token_window_unit: str = "minute"
    request_limit: str = ""
    request_window_value: str = "1"
    request_window_unit: str = "minute"
    budget_usd: str = ""
    time_limit: bool = False
    time_start: str = ""
    time_end: str = ""
    over_limit_behavior: str = "hard"
    group_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    service_account_ids: list[int] = field(default_factory=list)
    # When the budget starts over (domain.renewals): checked only when there is a budget.
    renewal_kind: str = renewals.MONTHLY
    renewal_day: str = "1"
    renewal_weekday: str = "0"
    renewal_start: str = ""
    renewal_end: str = ""
    renewal_timezone: str = renewals.DEFAULT_TIMEZONE


@dataclass(frozen=True)
class PolicyInput:
    """A validated form, typed and normalised, ready to store."""

    name: str
    description: str
    token_limit: int | None
    token_window_value: int | None
    token_window_unit: str | None
    request_limit: int | None
    request_window_value: int | None
    request_window_unit: str | None
    budget_usd: float | None
    time_window_start: str | None
    time_window_end: str | None
    over_limit_behavior: str
    model_ids: tuple[int, ...]
    mcp_server_ids: tuple[int, ...]
    group_ids: tuple[int, ...]
    user_ids: tuple[int, ...]
    service_account_ids: tuple[int, ...]
    renewal: RenewalRule = CALENDAR_MONTH

    @property
    def all_models(self) -> bool:
        return not self.model_ids

    @property
    def all_mcp_servers(self) -> bool:
        return not self.mcp_server_ids

    @property
    def primary_kind(self) -> str:
        return primary_kind(self.token_limit, self.request_limit)


def _parse_int(raw: str) -> int | None:
    value, _err = inputs.parse_count(raw, "", maximum=LIMIT_MAX)
    return value


def normalize_time(raw: str) -> str | None:
    """'9:00' -> '09:00'; None when not a 24-hour HH:MM time."""
    m = _TIME_RE.match((raw or "").strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def _check_limit(errors: dict[str, str], form: PolicyForm, prefix: str, noun: str) -> None:
    raw = getattr(form, f"{prefix}_limit").strip()
    if not raw:
        return
    _value, err = inputs.parse_count(raw, f"The {noun} limit", maximum=LIMIT_MAX)
    if err:
        errors[f"{prefix}_limit"] = err
    window, err = inputs.parse_count(getattr(form, f"{prefix}_window_value"), "The period count", maximum=WINDOW_MAX)
    if window is None:
        errors[f"{prefix}_window_value"] = (
            err if err and "0-9" in err else f"Enter a whole number of periods from 1 to {WINDOW_MAX:,}.")
    if getattr(form, f"{prefix}_window_unit") not in WINDOW_UNITS:
        errors[f"{prefix}_window_unit"] = "Choose minute, hour or day."


def validate_policy_form(
    form: PolicyForm,
    *,
    taken_names: Iterable[str] = (),
    taken_ids: Iterable[str] = (),
    needs_id: bool = True,
) -> dict[str, str]:
    """Field -> message for everything that blocks saving (empty dict: valid).

    `taken_names` / `taken_ids` are those of the *other* policies (leave the edited policy out).
    `needs_id`: a new policy needs an ID, typed or made from the name (an edit keeps its ID).
    The key "limits" carries the form-level "no limit at all" message.
    """
    errors: dict[str, str] = {}
    name = inputs.clean_name(form.name)
    name_err = inputs.name_error(form.name, "Name", NAME_MAX, required_message="Enter a name for the policy.")
    if name_err:
        errors["name"] = name_err
    elif inputs.fold(name) in {inputs.fold(n.strip()) for n in taken_names}:
        errors["name"] = f'A policy named "{name}" already exists. Choose another name.'

    policy_id = form.policy_id.strip()
    if needs_id and not policy_id and not name_err and not slugify(name):
        errors["policy_id"] = ("Enter a policy ID: the name has no Latin letters or digits to make one from. "
                               "Use lowercase letters a-z, digits and dashes, such as finance-limits.")
    if policy_id:
        if len(policy_id) > POLICY_ID_MAX or not _POLICY_ID_RE.match(policy_id):
            errors["policy_id"] = (
                f"Use lowercase letters, digits and dashes for the ID (at most {POLICY_ID_MAX} characters, "
                "no dash at either end)."
            )
        elif policy_id in set(taken_ids):
            errors["policy_id"] = f'The ID "{policy_id}" is already used by another policy.'

    if len(form.description.strip()) > DESCRIPTION_MAX:
        errors["description"] = f"Use at most {DESCRIPTION_MAX:,} characters for the description."

    _check_limit(errors, form, "token", "token")
    _check_limit(errors, form, "request", "rate")

    _budget, err = inputs.parse_usd(form.budget_usd, "The budget", maximum=BUDGET_MAX)
    if err:
        errors["budget_usd"] = err
    if form.budget_usd.strip():
        errors.update(renewals.validate_rule(form.renewal_kind, form.renewal_day, form.renewal_weekday,
                                             form.renewal_start, form.renewal_end, form.renewal_timezone))

    if form.time_limit:
        start, end = normalize_time(form.time_start), normalize_time(form.time_end)
        if start is None:
            errors["time_start"] = (
                "Enter a start time as HH:MM (24-hour)." if form.time_start.strip() else "Enter a start time."
            )
        if end is None:
            errors["time_end"] = (
                "Enter an end time as HH:MM (24-hour)." if form.time_end.strip() else "Enter an end time."
            )
        if start is not None and end is not None and end <= start:
            errors["time_end"] = f"The end time must be after the start time ({start})."

    if form.over_limit_behavior not in OVER_LIMIT_BEHAVIORS:
        errors["over_limit_behavior"] = "Choose hard throttle or soft throttle."

    has_limit = bool(form.token_limit.strip() or form.request_limit.strip() or form.budget_usd.strip()
                     or form.time_limit)
    if not has_limit:
        errors["limits"] = "Set at least one limit: a token limit, a rate limit, a time limit or a budget."
    return errors


def form_warnings(form: PolicyForm) -> dict[str, str]:
    """Field -> message for what does not block saving but deserves a second look."""
    warnings: dict[str, str] = {}
    if not (form.group_ids or form.user_ids or form.service_account_ids):
        warnings["targets"] = (
            "No targets: this policy applies to nobody until you add a group, a user or a service account."
        )
    return warnings


def parse_policy_form(form: PolicyForm) -> PolicyInput:
    """The typed form. Call only after validate_policy_form returned no errors."""

    def limit(prefix: str) -> tuple[int | None, int | None, str | None]:
        value = _parse_int(getattr(form, f"{prefix}_limit"))
        if value is None:
            return None, None, None
        return value, _parse_int(getattr(form, f"{prefix}_window_value")), getattr(form, f"{prefix}_window_unit")

    token, request = limit("token"), limit("request")
    budget, _err = inputs.parse_usd(form.budget_usd, "The budget", maximum=BUDGET_MAX)
    start = normalize_time(form.time_start) if form.time_limit else None
    end = normalize_time(form.time_end) if form.time_limit else None
    return PolicyInput(
        name=inputs.clean_name(form.name),
        description=form.description.strip(),
        token_limit=token[0], token_window_value=token[1], token_window_unit=token[2],
        request_limit=request[0], request_window_value=request[1], request_window_unit=request[2],
        budget_usd=float(budget) if budget is not None else None,
        time_window_start=start, time_window_end=end,
        over_limit_behavior=form.over_limit_behavior,
        model_ids=tuple(sorted(set(form.model_ids))),
        mcp_server_ids=tuple(sorted(set(form.mcp_server_ids))),
        group_ids=tuple(sorted(set(form.group_ids))),
        user_ids=tuple(sorted(set(form.user_ids))),
        service_account_ids=tuple(sorted(set(form.service_account_ids))),
        renewal=renewal_rule(form) if budget is not None else CALENDAR_MONTH,
    )


def renewal_rule(form: PolicyForm) -> RenewalRule:
    """The renewal rule of a valid form."""
    kind = form.renewal_kind
    return RenewalRule(
        kind=kind,
        day=int(form.renewal_day) if kind == renewals.MONTHLY else 1,
        weekday=int(form.renewal_weekday) if kind == renewals.WEEKLY else 0,
        start=renewals.parse_day(form.renewal_start) if kind == renewals.FIXED else None,
        end=renewals.parse_day(form.renewal_end) if kind == renewals.FIXED else None,
        timezone=form.renewal_timezone.strip(),
    )


# Labels ---------------------------------------------------------------------------------
def window_label(value: int, unit: str) -> str:
    """'1 min', '15 min', '1 hour', '2 hours', '1 day', '7 days'."""
    if unit == "minute":
        return f"{value} min"
    return f"{value} {unit}" + ("" if value == 1 else "s")


def money_label(amount: float) -> str:
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"


def token_rule_label(limit: int, window_value: int, window_unit: str) -> str:
    return f"Token limit {limit:,} / {window_label(window_value, window_unit)}"


def rate_rule_label(limit: int, window_value: int, window_unit: str) -> str:
    return f"Rate limit {limit:,} / {window_label(window_value, window_unit)}"


def time_rule_label(start: str, end: str) -> str:
    return f"Time limit {start}-{end}"


def budget_rule_label(amount: float, renewal: RenewalRule | None = None) -> str:
    per = {renewals.WEEKLY: "week", renewals.FIXED: "period"}.get(renewal.kind if renewal else "", "month")
    return f"Budget {money_label(amount)} / {per}"


OVER_LIMIT_LABELS = {"soft": "Soft throttle: allow and flag", "hard": "Hard throttle: reject (HTTP 429)"}


def scope_label(everything: bool, chosen: Iterable["AssetRef"]) -> str:
    """A policy's Models or MCP servers: "All", the chosen names, or "None"."""
    return "All" if everything else (", ".join(a.name for a in chosen) or "None")


def primary_kind(token_limit: int | None, request_limit: int | None) -> str:
    """The Kuadrant kind stored on the policy row: tokens first, then requests, else access only."""
    if token_limit:
        return TOKEN_RATE_LIMIT_POLICY
    if request_limit:
        return RATE_LIMIT_POLICY
    return AUTH_POLICY


def kuadrant_kinds(token_limit: int | None, request_limit: int | None) -> tuple[str, ...]:
    """The Kuadrant kinds that enforce a policy (what the YAML tab generates)."""
    kinds = [AUTH_POLICY]
    if request_limit:
        kinds.append(RATE_LIMIT_POLICY)
    if token_limit:
        kinds.append(TOKEN_RATE_LIMIT_POLICY)
    return tuple(kinds)


# Facts for resolution and manifests -----------------------------------------------------
@dataclass(frozen=True)
class Target:
    kind: str  # user | group | service_account
    id: int
    name: str  # username, group name or service account name
    namespace: str = ""  # service accounts only

    @property
    def kind_label(self) -> str:
        return TARGET_KIND_LABELS[self.kind]

    @property
    def identity(self) -> str:
        """The user id the gateway sees for a user's or a service account's key."""
        if self.kind == SERVICE_ACCOUNT:
            return f"system:serviceaccount:{self.namespace}:{self.name}"
        return self.name


@dataclass(frozen=True)
class AssetRef:
    id: int
    kind: str  # model | mcp_server | vector_db | agent
    name: str
    identifier: str = ""

    @property
    def route_name(self) -> str:
        """The HTTPRoute publishing this asset on the gateway (models by name, others by identifier)."""
        return slugify(self.name if self.kind == MODEL else (self.identifier or self.name), 253)


@dataclass(frozen=True)
class PolicyFacts:
    slug: str
    name: str
    description: str = ""
    is_active: bool = True
    token_limit: int | None = None
    token_window_value: int | None = None
    token_window_unit: str | None = None
    request_limit: int | None = None
    request_window_value: int | None = None
    request_window_unit: str | None = None
    budget_usd: float | None = None
    time_window_start: str | None = None
    time_window_end: str | None = None
    over_limit_behavior: str = "hard"
    all_models: bool = True
    all_mcp_servers: bool = True
    models: tuple[AssetRef, ...] = ()  # the chosen ones when not all_models
    mcp_servers: tuple[AssetRef, ...] = ()
    targets: tuple[Target, ...] = ()
    renewal: RenewalRule = CALENDAR_MONTH  # when the budget starts over

    @property
    def unrestricted(self) -> bool:
        return self.all_models and self.all_mcp_servers

    @property
    def kinds(self) -> tuple[str, ...]:
        return kuadrant_kinds(self.token_limit, self.request_limit)

    @property
    def rules(self) -> list[str]:
        return policy_rules(self)

    def covers(self, asset_id: int, asset_kind: str) -> bool:
        """Whether the policy's asset scope includes this asset."""
        if self.unrestricted:
            return True
        if asset_kind == MODEL:
            return self.all_models or asset_id in {a.id for a in self.models}
        if asset_kind == MCP_SERVER:
            return self.all_mcp_servers or asset_id in {a.id for a in self.mcp_servers}
        return False

    def targets_of(self, kind: str) -> list[Target]:
        return [t for t in self.targets if t.kind == kind]


def policy_rules(p: PolicyFacts) -> list[str]:
    """The Rules column: one label per limit, in a fixed order."""
    rules = []
    if p.token_limit:
        rules.append(token_rule_label(p.token_limit, p.token_window_value or 1, p.token_window_unit or "minute"))
    if p.request_limit:
        rules.append(rate_rule_label(p.request_limit, p.request_window_value or 1, p.request_window_unit or "minute"))
    if p.time_window_start and p.time_window_end:
        rules.append(time_rule_label(p.time_window_start, p.time_window_end))
    if p.budget_usd:
        rules.append(budget_rule_label(p.budget_usd, getattr(p, "renewal", None)))
    return rules


@dataclass(frozen=True)
class KeyFacts:
    public_id: str
    name: str
    owner_kind: str  # user | group | service_account
    owner_id: int
    owner_name: str = ""
    owner_group_ids: frozenset[int] = frozenset()  # the owner user's groups (users only)
    assets: tuple[AssetRef, ...] = ()
    tokens_per_minute: int | None = None
    requests_per_minute: int | None = None
    budget_usd: float | None = None
    owner_identity: str = ""  # the user id the gateway counts under ("" = derived from the owner)


# Effective policies --------------------------------------------------------------------
@dataclass(frozen=True)
class EffectivePolicy:
    """One row of a key's Policies tab. `slug` is None for the key's own limits."""

    slug: str | None
    name: str
    description: str
    kinds: tuple[str, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    key_level: bool = False


def match_reasons(policy: PolicyFacts, key: KeyFacts) -> list[str]:
    """Why a policy's targets reach a key's owner ([] when they do not)."""
    reasons = []
    for t in policy.targets:
        if t.kind != key.owner_kind and not (t.kind == GROUP and key.owner_kind == USER):
            continue
        if t.kind == key.owner_kind and t.id == key.owner_id:
            reasons.append({
                USER: f"Targets the owner, user {t.name}",
                GROUP: f"Targets the owning group {t.name}",
                SERVICE_ACCOUNT: f"Targets the owning service account {t.name}",
            }[t.kind])
        elif t.kind == GROUP and key.owner_kind == USER and t.id in key.owner_group_ids:
            reasons.append(f"Targets group {t.name}, which the owner belongs to")
    return reasons


def scope_overlaps(policy: PolicyFacts, key: KeyFacts) -> bool:
    if policy.unrestricted:
        return True
    return any(policy.covers(a.id, a.kind) for a in key.assets)


def policy_applies(policy: PolicyFacts, key: KeyFacts) -> bool:
    return policy.is_active and scope_overlaps(policy, key) and bool(match_reasons(policy, key))


KEY_LEVEL_NAME = "API key limits"


def key_level_policy(key: KeyFacts) -> EffectivePolicy | None:
    """The key's own limits, shown as a policy (None when the key sets no limit)."""
    rules = []
    if key.tokens_per_minute:
        rules.append(token_rule_label(key.tokens_per_minute, 1, "minute"))
    if key.requests_per_minute:
        rules.append(rate_rule_label(key.requests_per_minute, 1, "minute"))
    if key.budget_usd:
        rules.append(f"Budget {money_label(key.budget_usd)}")
    if not rules:
        return None
    kinds = [k for k in kuadrant_kinds(key.tokens_per_minute, key.requests_per_minute) if k != AUTH_POLICY]
    return EffectivePolicy(
        slug=None, name=KEY_LEVEL_NAME, description="Limits set on this API key itself",
        kinds=tuple(kinds), rules=tuple(rules), reasons=("Set on the key",), key_level=True,
    )


def effective_policies(policies: Iterable[PolicyFacts], key: KeyFacts) -> list[EffectivePolicy]:
    """Active policies reaching the key (by name), then the key's own limits."""
    rows = []
    for p in sorted(policies, key=lambda p: (p.name.casefold(), p.slug)):
        if not policy_applies(p, key):
            continue
        rows.append(EffectivePolicy(
            slug=p.slug, name=p.name, description=p.description, kinds=p.kinds,
            rules=tuple(p.rules), reasons=tuple(match_reasons(p, key)),
        ))
    own = key_level_policy(key)
    if own is not None:
        rows.append(own)
    return rows
