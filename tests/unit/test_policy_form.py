"""Policy IDs, Create/Edit form validation (specific messages), warnings and rule labels."""

from __future__ import annotations

import pytest

from maas_ui.domain.policies import (
    PolicyForm,
    derive_policy_id,
    form_warnings,
    parse_policy_form,
    slugify,
    token_rule_label,
    rate_rule_label,
    time_rule_label,
    budget_rule_label,
    validate_policy_form,
    window_label,
)


def form(**kw) -> PolicyForm:
    base = dict(name="Devs rate limit standard", request_limit="60", group_ids=[1])
    base.update(kw)
    return PolicyForm(**base)


# IDs -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("Devs rate limit standard", "devs-rate-limit-standard"),
    ("  Devs   Budget -- Standard! ", "devs-budget-standard"),
    ("Große Modelle & GPUs", "gro-e-modelle-gpus"),
    ("granite-3.1b tokens", "granite-3-1b-tokens"),
    ("!!!", ""),
])
def test_slugify(name, expected):
    assert slugify(name) == expected


def test_derived_id_is_unique_with_a_suffix():
    assert derive_policy_id("Devs rate limit standard", []) == "devs-rate-limit-standard"
    assert derive_policy_id("Devs rate limit standard!", ["devs-rate-limit-standard"]) == "devs-rate-limit-standard-2"
    assert derive_policy_id("devs rate limit standard", ["devs-rate-limit-standard", "devs-rate-limit-standard-2"]) \
        == "devs-rate-limit-standard-3"


def test_derived_id_stays_a_dns_label_even_with_a_suffix():
    long = "x" * 80
    assert len(derive_policy_id(long)) == 63
    suffixed = derive_policy_id(long, [derive_policy_id(long)])
    assert len(suffixed) == 63 and suffixed.endswith("-2")


# Validation ------------------------------------------------------------------------------
def test_a_complete_form_is_valid_and_parses():
    f = form(token_limit="10,000", token_window_value="1", token_window_unit="minute", request_limit="60",
             request_window_value="2", request_window_unit="hour", budget_usd="$250.50", time_limit=True,
             time_start="9:00", time_end="17:30", over_limit_behavior="soft", model_ids=[3, 2, 3])
    assert validate_policy_form(f) == {}
    data = parse_policy_form(f)
    assert (data.token_limit, data.token_window_value, data.token_window_unit) == (10_000, 1, "minute")
    assert (data.request_limit, data.request_window_value, data.request_window_unit) == (60, 2, "hour")
    assert data.budget_usd == 250.5
    assert (data.time_window_start, data.time_window_end) == ("09:00", "17:30")
    assert data.model_ids == (2, 3) and not data.all_models and data.all_mcp_servers
    assert data.primary_kind == "TokenRateLimitPolicy"


def test_missing_name():
    assert validate_policy_form(form(name="   "))["name"] == "Enter a name for the policy."


def test_overlong_name():
    assert "at most 80 characters" in validate_policy_form(form(name="n" * 81))["name"]


def test_duplicate_name_is_case_insensitive():
    errors = validate_policy_form(form(name="devs RATE limit standard"), taken_names=["Devs rate limit standard"])
    assert errors["name"] == 'A policy named "devs RATE limit standard" already exists. Choose another name.'


def test_name_without_letters_or_digits():
    assert "at least one letter or digit" in validate_policy_form(form(name="!!!"))["name"]


def test_duplicate_or_malformed_explicit_id():
    errors = validate_policy_form(form(policy_id="devs-budget-standard"), taken_ids=["devs-budget-standard"])
    assert errors["policy_id"] == 'The ID "devs-budget-standard" is already used by another policy.'
    assert "lowercase letters, digits and dashes" in validate_policy_form(form(policy_id="Devs Budget"))["policy_id"]
    assert "policy_id" in validate_policy_form(form(policy_id="-trailing-"))


@pytest.mark.parametrize("raw, message", [
    ("0", "The token limit must be greater than 0."),
    ("-5", "The token limit must be greater than 0."),
    ("1.5", "The token limit must be a whole number, such as 10000."),
    ("lots", "The token limit must be a whole number, such as 10000."),
    ("\uff15\uff10", "The token limit must be typed with the digits 0-9."),
    ("\u0665\u0660", "The token limit must be typed with the digits 0-9."),
    ("3000000000", "The token limit can be at most 2,000,000,000."),
])
def test_token_limit_must_be_a_positive_integer(raw, message):
    assert validate_policy_form(form(token_limit=raw))["token_limit"] == message


@pytest.mark.parametrize(("raw", "message"), [
    ("0", "The rate limit must be greater than 0."),
    ("-1", "The rate limit must be greater than 0."),
    ("abc", "The rate limit must be a whole number, such as 10000."),
    ("2.5", "The rate limit must be a whole number, such as 10000."),
])
def test_rate_limit_must_be_a_positive_integer(raw, message):
    assert validate_policy_form(form(request_limit=raw))["request_limit"] == message


@pytest.mark.parametrize("raw", ["0", "-2", "1.5", "1001", ""])
def test_window_count_must_be_a_positive_integer(raw):
    errors = validate_policy_form(form(token_limit="100", token_window_value=raw))
    assert errors["token_window_value"] == "Enter a whole number of periods from 1 to 1,000."


def test_window_unit_must_be_known():
    assert validate_policy_form(form(request_window_unit="week"))["request_window_unit"] == "Choose minute, hour or day."


@pytest.mark.parametrize("raw, message", [
    ("0", "The budget must be greater than $0. Leave it empty for no limit."),
    ("-10", "The budget must be greater than $0. Leave it empty for no limit."),
    ("0.001", "The budget can't have fractions of a cent: use at most 2 decimal places."),
    ("1e-9", "The budget must be an amount in US dollars, such as 250 or 99.50."),
    ("1,2,3", "The budget must be an amount in US dollars, such as 250 or 99.50."),
    ("$$5", "The budget must be an amount in US dollars, such as 250 or 99.50."),
    ("ten", "The budget must be an amount in US dollars, such as 250 or 99.50."),
])
def test_budget_must_be_positive(raw, message):
    assert validate_policy_form(form(budget_usd=raw))["budget_usd"] == message


def test_end_time_must_be_after_start():
    errors = validate_policy_form(form(time_limit=True, time_start="17:00", time_end="09:00"))
    assert errors["time_end"] == "The end time must be after the start time (17:00)."
    errors = validate_policy_form(form(time_limit=True, time_start="09:00", time_end="09:00"))
    assert errors["time_end"] == "The end time must be after the start time (09:00)."


def test_time_limit_needs_both_times_in_24_hour_form():
    errors = validate_policy_form(form(time_limit=True, time_start="", time_end="25:00"))
    assert errors["time_start"] == "Enter a start time."
    assert errors["time_end"] == "Enter an end time as HH:MM (24-hour)."
    # Times typed while "None" is chosen are ignored.
    assert validate_policy_form(form(time_limit=False, time_start="x", time_end="y")) == {}


def test_no_limit_at_all():
    errors = validate_policy_form(form(request_limit="", token_limit="", budget_usd="", time_limit=False))
    assert errors == {"limits": "Set at least one limit: a token limit, a rate limit, a time limit or a budget."}
    # A time limit or a budget alone is a limit.
    assert validate_policy_form(form(request_limit="", time_limit=True, time_start="09:00", time_end="17:00")) == {}
    assert validate_policy_form(form(request_limit="", budget_usd="100")) == {}


def test_unknown_over_limit_behaviour():
    assert "over_limit_behavior" in validate_policy_form(form(over_limit_behavior="maybe"))


def test_no_target_is_a_warning_not_an_error():
    f = form(group_ids=[], user_ids=[], service_account_ids=[])
    assert validate_policy_form(f) == {}
    assert form_warnings(f)["targets"].startswith("No targets: this policy applies to nobody")
    assert form_warnings(form(service_account_ids=[4], group_ids=[])) == {}


# Labels ----------------------------------------------------------------------------------
def test_rule_labels():
    assert token_rule_label(10_000, 1, "minute") == "Token limit 10,000 / 1 min"
    assert rate_rule_label(60, 1, "minute") == "Rate limit 60 / 1 min"
    assert time_rule_label("09:00", "17:00") == "Time limit 09:00-17:00"
    assert budget_rule_label(250.0) == "Budget $250 / month"
    assert budget_rule_label(99.5) == "Budget $99.50 / month"
    assert [window_label(1, "hour"), window_label(2, "hour"), window_label(7, "day"), window_label(15, "minute")] \
        == ["1 hour", "2 hours", "7 days", "15 min"]
