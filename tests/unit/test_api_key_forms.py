"""Validation of the Create / Edit API key form (pure: no database)."""

from __future__ import annotations

from datetime import date

import pytest

from maas_ui.domain.key_forms import KeyFormInput, expiry_instant, validate_key_form

TODAY = date(2026, 6, 15)


def check(raw: KeyFormInput, *, taken=(), owners=(("user", 1), ("group", 2), ("service_account", 3)),
          assets=(10, 11), current_expiry=None):
    return validate_key_form(
        raw, today=TODAY,
        owner_exists=lambda kind, oid: (kind, oid) in owners,
        name_taken=lambda kind, oid, name: (kind, oid, name.lower()) in taken,
        asset_exists=lambda aid: aid in assets,
        current_expiry=current_expiry,
    )


def form(**kw) -> KeyFormInput:
    base = dict(name="chatbot-prod", owner_kind="user", owner_id="1")
    base.update(kw)
    return KeyFormInput(**base)


def test_valid_minimal_form_is_typed_and_trimmed():
    data, errors = check(form(name="  chatbot-prod  ", description="  For the bot ", asset_ids=("10", "11", "10")))
    assert errors == {}
    assert data.name == "chatbot-prod"
    assert data.description == "For the bot"
    assert data.owner_kind == "user" and data.owner_id == 1
    assert data.tokens_per_minute is None and data.requests_per_minute is None and data.budget_usd is None
    assert data.expires_on is None
    assert data.asset_ids == (10, 11)


def test_valid_full_form():
    data, errors = check(form(tokens_per_minute="10,000", requests_per_minute=" 60 ", budget_usd="$99.50",
                              expires_on="2026-12-31"))
    assert errors == {}
    assert (data.tokens_per_minute, data.requests_per_minute, data.budget_usd) == (10000, 60, 99.5)
    assert data.expires_on == date(2026, 12, 31)


@pytest.mark.parametrize("name", ["", "   ", "\t"])
def test_name_required(name):
    _, errors = check(form(name=name))
    assert errors == {"name": "Name is required."}


def test_name_length():
    _, errors = check(form(name="x" * 65))
    assert errors["name"] == "Name can be at most 64 characters (now 65)."
    data, errors = check(form(name="  " + "x" * 64 + "  "))
    assert errors == {} and len(data.name) == 64


def test_name_control_characters():
    _, errors = check(form(name="a\nb"))
    assert "line breaks" in errors["name"]


def test_duplicate_name_for_same_owner_only():
    taken = {("user", 1, "chatbot-prod")}
    _, errors = check(form(name=" Chatbot-Prod "), taken=taken)
    assert errors["name"] == "This owner already has an API key named \u201cChatbot-Prod\u201d. Choose another name."
    _, errors = check(form(owner_kind="group", owner_id="2"), taken=taken)
    assert errors == {}


def test_description_max_length():
    _, errors = check(form(description="d" * 1025))
    assert errors == {"description": "Description can be at most 1,024 characters (now 1,025)."}


def test_owner_required_and_existing():
    _, errors = check(form(owner_kind=""))
    assert errors == {"owner_kind": "Select the owner type."}
    _, errors = check(form(owner_id=""))
    assert errors == {"owner_id": "Select the user who owns this key."}
    _, errors = check(form(owner_kind="service_account", owner_id=""))
    assert errors == {"owner_id": "Select the service account who owns this key."}
    _, errors = check(form(owner_kind="group", owner_id="99"))
    assert errors == {"owner_id": "The selected group no longer exists. Select another."}
    _, errors = check(form(owner_id="abc"))
    assert "no longer exists" in errors["owner_id"]


@pytest.mark.parametrize("value, message", [
    ("0", "Token rate limit must be greater than 0."),
    ("-5", "Token rate limit must be greater than 0."),
    ("1.5", "Token rate limit must be a whole number, such as 10000."),
    ("ten", "Token rate limit must be a whole number, such as 10000."),
    ("1e3", "Token rate limit must be a whole number, such as 10000."),
    ("1,2,3", "Token rate limit must be a whole number, such as 10000."),
    ("\uff11\uff10\uff10", "Token rate limit must be typed with the digits 0-9."),
    ("\u0661\u0660\u0660", "Token rate limit must be typed with the digits 0-9."),
    ("10000000000", "Token rate limit can be at most 1,000,000,000."),
])
def test_token_limit(value, message):
    _, errors = check(form(tokens_per_minute=value))
    assert errors == {"tokens_per_minute": message}


@pytest.mark.parametrize("value, message", [
    ("0", "Request rate limit must be greater than 0."),
    ("-1", "Request rate limit must be greater than 0."),
    ("2.5", "Request rate limit must be a whole number, such as 60."),
    ("abc", "Request rate limit must be a whole number, such as 60."),
])
def test_request_limit(value, message):
    _, errors = check(form(requests_per_minute=value))
    assert errors == {"requests_per_minute": message}


@pytest.mark.parametrize("value, message", [
    ("-1", "Budget limit must be greater than $0. Leave it empty for no limit."),
    ("-0.01", "Budget limit must be greater than $0. Leave it empty for no limit."),
    ("0", "Budget limit must be greater than $0. Leave it empty for no limit."),
    ("abc", "Budget limit must be an amount in US dollars, such as 250 or 99.50."),
    ("nan", "Budget limit must be an amount in US dollars, such as 250 or 99.50."),
    ("1,2,3", "Budget limit must be an amount in US dollars, such as 250 or 99.50."),
    ("$$5", "Budget limit must be an amount in US dollars, such as 250 or 99.50."),
    ("1e3", "Budget limit must be an amount in US dollars, such as 250 or 99.50."),
    ("1e-9", "Budget limit must be an amount in US dollars, such as 250 or 99.50."),
    ("0.001", "Budget limit can't have fractions of a cent: use at most 2 decimal places."),
    ("1.234", "Budget limit can't have fractions of a cent: use at most 2 decimal places."),
    ("99999999", "Budget limit can be at most $10,000,000."),
])
def test_budget(value, message):
    _, errors = check(form(budget_usd=value))
    assert errors == {"budget_usd": message}


@pytest.mark.parametrize("value, stored", [("250", 250.0), ("$1,250.50", 1250.5), ("0.01", 0.01), (".5", 0.5)])
def test_budget_amounts_are_stored_as_typed(value, stored):
    data, errors = check(form(budget_usd=value))
    assert errors == {} and data.budget_usd == stored


def test_expiration_date():
    _, errors = check(form(expires_on="2026-06-14"))
    assert errors == {"expires_on": "Expiration date can't be in the past."}
    _, errors = check(form(expires_on="15/06/2026"))
    assert errors == {"expires_on": "Enter the expiration date as YYYY-MM-DD, such as 2030-12-31."}
    # ISO week dates and basic-format dates are refused, not reinterpreted.
    for text in ["2099-W01-1", "20270315", "2027-3-15", "2027-02-30", "\uff12\uff10\uff12\uff17-03-15"]:
        _, errors = check(form(expires_on=text))
        assert errors == {"expires_on": "Enter the expiration date as YYYY-MM-DD, such as 2030-12-31."}, text
    data, errors = check(form(expires_on="2026-06-15"))  # today: valid through the end of the day
    assert errors == {} and data.expires_on == TODAY
    # Editing a key that already expired keeps its own (past) date acceptable.
    data, errors = check(form(expires_on="2026-01-01"), current_expiry=date(2026, 1, 1))
    assert errors == {}


def test_expiry_instant_is_end_of_day_utc():
    instant = expiry_instant(date(2026, 6, 15))
    assert instant.isoformat() == "2026-06-15T23:59:59+00:00"


def test_unknown_asset():
    _, errors = check(form(asset_ids=("10", "999")))
    assert errors == {"asset_ids": "One of the selected assets no longer exists. Review the selection."}


def test_every_error_at_once():
    _, errors = check(form(name="", description="d" * 2000, owner_id="", tokens_per_minute="0",
                           requests_per_minute="x", budget_usd="-3", expires_on="2020-01-01"))
    assert set(errors) == {"name", "description", "owner_id", "tokens_per_minute", "requests_per_minute",
                           "budget_usd", "expires_on"}
