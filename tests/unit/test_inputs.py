"""The shared input parsers (maas_ui.domain.inputs): what both forms accept and refuse."""

from datetime import date
from decimal import Decimal

import pytest

from maas_ui.domain import inputs
from maas_ui.domain.policies import PolicyForm, validate_policy_form


@pytest.mark.parametrize("a, b", [("Ключ", "ключ"), ("КЛЮЧ", "ключ"), ("STRASSE", "straße"), ("Ａbc", "abc"),
                                  ("ΣΊΣΥΦΟΣ", "σίσυφος")])
def test_fold_compares_every_script_without_case(a, b):
    assert inputs.fold(a) == inputs.fold(b)


def test_fold_keeps_different_names_apart():
    assert inputs.fold("ключ") != inputs.fold("ключи")


@pytest.mark.parametrize("name", ["Политика лимитов", "限流策略", "café crème", "مفتاح", "chatbot-prod"])
def test_names_in_any_script_are_accepted(name):
    assert inputs.name_error(name, "Name", 80) is None


@pytest.mark.parametrize("name, code", [
    ("abc\u202egpj.exe", "U+202E"),  # right-to-left override: shows as "abcexe.jpg"
    ("ab\u200bc", "U+200B"),  # zero-width space
    ("a\u200dbc", "U+200D"),  # zero-width joiner
    ("\u2066name\u2069", "U+2066"),  # left-to-right isolate
    ("\ufeffname", "U+FEFF"),  # byte order mark
    ("soft\u00adhyphen", "U+00AD"),
])
def test_invisible_and_direction_characters_are_refused(name, code):
    message = inputs.name_error(name, "Name", 80)
    assert message is not None and code in message and "invisible or text-direction" in message


def test_name_needs_a_letter_or_digit_and_fits():
    assert inputs.name_error("   ", "Name", 10) == "Name is required."
    assert inputs.name_error("---", "Name", 10) == "Name needs at least one letter or digit."
    assert inputs.name_error("x" * 11, "Name", 10) == "Name can be at most 10 characters (now 11)."
    assert inputs.name_error("a\tb", "Name", 10) == "Name can't contain line breaks or control characters."


def test_clean_name_trims_and_composes():
    assert inputs.clean_name("  cafe\u0301 ") == "caf\u00e9"


@pytest.mark.parametrize("raw, value", [("10000", 10000), ("10,000", 10000), (" 7 ", 7), ("1,000,000", 1000000)])
def test_counts_accepted(raw, value):
    assert inputs.parse_count(raw, "Limit", maximum=10**9) == (value, None)


@pytest.mark.parametrize("raw, message", [
    ("\uff11\uff12", "Limit must be typed with the digits 0-9."),  # full-width
    ("\u0661\u0662", "Limit must be typed with the digits 0-9."),  # Arabic-Indic
    ("\u06f1\u06f2", "Limit must be typed with the digits 0-9."),  # Extended Arabic-Indic
    ("1,2,3", "Limit must be a whole number, such as 10000."),
    ("1e3", "Limit must be a whole number, such as 10000."),
    ("1_000", "Limit must be a whole number, such as 10000."),
    ("0", "Limit must be greater than 0."),
    ("-4", "Limit must be greater than 0."),
    ("11", "Limit can be at most 10."),
])
def test_counts_refused(raw, message):
    assert inputs.parse_count(raw, "Limit", maximum=10) == (None, message)


def test_python_would_have_accepted_foreign_digits():
    # Why the parser checks digits itself: these all "work" in Python.
    assert int("\uff11\uff12") == 12 and "\u0661".isdigit()


@pytest.mark.parametrize("raw, value", [("250", "250.00"), ("$99.5", "99.50"), ("$ 1,250.00", "1250.00"),
                                        ("0.01", "0.01"), (".25", "0.25")])
def test_money_accepted_in_whole_cents(raw, value):
    assert inputs.parse_usd(raw, "Budget", maximum=10**6) == (Decimal(value), None)


@pytest.mark.parametrize("raw", ["0.001", "1e-9", "1e3", "1,2,3", "$$5", "5$", "nan", "inf", "0", "-1",
                                 "\uff15", "1.2.3", "$"])
def test_money_refused_never_stored_as_zero(raw):
    value, message = inputs.parse_usd(raw, "Budget", maximum=10**6)
    assert value is None and message


def test_money_that_rounds_to_zero_says_why():
    assert inputs.parse_usd("0.001", "Budget", maximum=10) == (
        None, "Budget can't have fractions of a cent: use at most 2 decimal places.")


@pytest.mark.parametrize("raw", ["2099-W01-1", "20270315", "2027-3-15", "2027-02-30", "2027-03-15T00:00",
                                 "\uff12\uff10\uff12\uff17-03-15"])
def test_days_are_strictly_yyyy_mm_dd(raw):
    assert inputs.parse_day(raw, "Expiration date") == (
        None, "Enter the expiration date as YYYY-MM-DD, such as 2030-12-31.")


def test_day_accepted():
    assert inputs.parse_day(" 2030-12-31 ", "Expiration date") == (date(2030, 12, 31), None)


# Policy names in other scripts ---------------------------------------------------------------
def _policy(**kw) -> PolicyForm:
    return PolicyForm(**{"name": "Журнал", "request_limit": "10", **kw})


def test_non_latin_policy_name_asks_for_an_id():
    errors = validate_policy_form(_policy(name="Политика лимитов"))
    assert set(errors) == {"policy_id"} and "Enter a policy ID" in errors["policy_id"]
    assert validate_policy_form(_policy(name="限流策略", policy_id="rate-limits-cn")) == {}
    # An edit keeps its ID: no ID is asked for.
    assert validate_policy_form(_policy(name="限流策略"), needs_id=False) == {}


def test_policy_names_unique_with_unicode_case_folding():
    errors = validate_policy_form(_policy(name="ПОЛИТИКА", policy_id="p"), taken_names=["политика"])
    assert errors == {"name": 'A policy named "ПОЛИТИКА" already exists. Choose another name.'}


def test_policy_name_with_bidi_override_refused():
    errors = validate_policy_form(_policy(name="abc\u202egpj.exe"))
    assert "U+202E" in errors["name"]
