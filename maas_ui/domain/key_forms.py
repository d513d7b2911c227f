"""Validation of the Create / Edit API key form. Pure: lookups that need the database are passed in.

`validate_key_form` takes the raw strings the form holds and returns either a cleaned `KeyFormData`
or a dict of field -> one specific, human message (shown inline under that field).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from maas_ui.domain import inputs
from maas_ui.domain.key_format import OWNER_KIND_LABELS

NAME_MAX = 64
DESCRIPTION_MAX = 1024
RATE_LIMIT_MAX = 1_000_000_000  # per minute; far above any real gateway setting
BUDGET_MAX = 10_000_000  # USD

# Field names, shared by the form state and the error dict.
NAME = "name"
DESCRIPTION = "description"
OWNER_KIND = "owner_kind"
OWNER_ID = "owner_id"
TOKENS = "tokens_per_minute"
REQUESTS = "requests_per_minute"
BUDGET = "budget_usd"
EXPIRES = "expires_on"
ASSETS = "asset_ids"
FIELDS = [NAME, DESCRIPTION, OWNER_KIND, OWNER_ID, TOKENS, REQUESTS, BUDGET, EXPIRES, ASSETS]

_OWNER_NOUN = {"user": "user", "group": "group", "service_account": "service account"}


@dataclass(frozen=True)
class KeyFormInput:
    """What the form holds: raw text as typed; ids as strings (select values)."""

    name: str = ""
    description: str = ""
    owner_kind: str = "user"
    owner_id: str = ""
    tokens_per_minute: str = ""
    requests_per_minute: str = ""
    budget_usd: str = ""
    expires_on: str = ""  # YYYY-MM-DD from the date picker; empty means never
    asset_ids: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class KeyFormData:
    """A valid form, typed."""

    name: str
    description: str
    owner_kind: str
    owner_id: int
    tokens_per_minute: int | None
    requests_per_minute: int | None
    budget_usd: float | None
    expires_on: date | None
    asset_ids: tuple[int, ...]


def expiry_instant(day: date) -> datetime:
    """A key with expiration date D works through the whole of D (UTC) and is expired from then on."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.utc)


def _expiry(raw: str, today: date, unchanged: date | None) -> tuple[date | None, str | None]:
    day, err = inputs.parse_day(raw, "Expiration date")
    if err or day is None:
        return None, err
    if day < today and day != unchanged:
        return None, "Expiration date can't be in the past."
    return day, None


def validate_key_form(
    raw: KeyFormInput,
    *,
    today: date,
    owner_exists: Callable[[str, int], bool],
    name_taken: Callable[[str, int, str], bool],
    asset_exists: Callable[[int], bool] = lambda _id: True,
    current_expiry: date | None = None,
) -> tuple[KeyFormData | None, dict[str, str]]:
    """(data, {}) when valid, else (None, {field: message}).

    owner_exists(kind, id) and name_taken(kind, id, trimmed_name) are answered by the caller
    (the service, from the database); name_taken must ignore deleted keys and the key being edited.
    current_expiry: when editing, the key's existing expiration date, which stays acceptable
    even when it has passed (an expired key can be edited without changing its date).
    """
    errors: dict[str, str] = {}

    name = inputs.clean_name(raw.name)
    err = inputs.name_error(raw.name, "Name", NAME_MAX)
    if err:
        errors[NAME] = err

    description = raw.description.strip()
    if len(description) > DESCRIPTION_MAX:
        errors[DESCRIPTION] = f"Description can be at most {DESCRIPTION_MAX:,} characters (now {len(description):,})."

    owner_kind = raw.owner_kind.strip()
    owner_id: int | None = None
    if owner_kind not in OWNER_KIND_LABELS:
        errors[OWNER_KIND] = "Select the owner type."
    else:
        noun = _OWNER_NOUN[owner_kind]
        text = raw.owner_id.strip()
        if not text:
            errors[OWNER_ID] = f"Select the {noun} who owns this key."
        elif not text.isascii() or not text.isdigit() or not owner_exists(owner_kind, int(text)):
            errors[OWNER_ID] = f"The selected {noun} no longer exists. Select another."
        else:
            owner_id = int(text)

    if NAME not in errors and owner_id is not None and name_taken(owner_kind, owner_id, name):
        errors[NAME] = f"This owner already has an API key named \u201c{name}\u201d. Choose another name."

    tokens, err = inputs.parse_count(raw.tokens_per_minute, "Token rate limit", maximum=RATE_LIMIT_MAX)
    if err:
        errors[TOKENS] = err
    requests, err = inputs.parse_count(raw.requests_per_minute, "Request rate limit", maximum=RATE_LIMIT_MAX,
                                       example="60")
    if err:
        errors[REQUESTS] = err
    budget, err = inputs.parse_usd(raw.budget_usd, "Budget limit", maximum=BUDGET_MAX)
    if err:
        errors[BUDGET] = err
    expires_on, err = _expiry(raw.expires_on, today, current_expiry)
    if err:
        errors[EXPIRES] = err

    asset_ids: list[int] = []
    for value in raw.asset_ids:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or not asset_exists(int(text)):
            errors[ASSETS] = "One of the selected assets no longer exists. Review the selection."
            break
        if int(text) not in asset_ids:
            asset_ids.append(int(text))

    if errors:
        return None, errors
    assert owner_id is not None
    return (
        KeyFormData(
            name=name,
            description=description,
            owner_kind=owner_kind,
            owner_id=owner_id,
            tokens_per_minute=tokens,
            requests_per_minute=requests,
            budget_usd=float(budget) if budget is not None else None,
            expires_on=expires_on,
            asset_ids=tuple(asset_ids),
        ),
        {},
    )
