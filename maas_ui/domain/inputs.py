"""Parsing what people type into forms: names, counts, money and dates. One parser per kind of input,
shared by the API key and policy forms, so both accept exactly the same formats.

Each parser returns (value, None) or (None, message); an empty field is (None, None) and the caller
decides whether the field is required. Messages name the field by the label it has on screen.

Rules that Python's own parsers get wrong for a form:
- int(), float(), Decimal() and str.isdigit() accept digits of every script ("١٢٣", full-width
  "１２３"): counts and amounts here take the ASCII digits 0-9 only, and say so.
- float("1e-9") and Decimal("1e3") accept exponents; "1,2,3" would become 123 once commas are
  dropped: amounts take plain decimals with optional thousands separators in groups of three.
- date.fromisoformat accepts "2099-W01-1" and "20270315": dates are YYYY-MM-DD exactly.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

_ASCII_COUNT = re.compile(r"^(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)$")
_ASCII_MONEY = re.compile(r"^(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?$|^\.[0-9]+$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Characters that change how text is displayed without being seen: bidi embeddings, overrides and
# isolates, zero-width spaces and joiners, word joiner, BOM, soft hyphen (all Unicode category Cf),
# plus control characters, line and paragraph separators and unassigned or private-use code points.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def _has_foreign_digit(text: str) -> bool:
    return any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text)


# Names ------------------------------------------------------------------------------------
def fold(text: str) -> str:
    """The form names are compared and searched in: Unicode case folding after NFKC normalisation,
    so "Ключ" = "ключ", "STRASSE" = "straße" and a full-width "Ａ" = "a"."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def clean_name(raw: str) -> str:
    """The name as stored: trimmed and NFC-normalised (one spelling for the same visible text)."""
    return unicodedata.normalize("NFC", (raw or "").strip())


def invisible_characters(text: str) -> list[str]:
    """The invisible or direction-changing characters in text, as U+XXXX codes."""
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in _INVISIBLE_CATEGORIES]


def name_error(raw: str, label: str, max_length: int, *, required_message: str | None = None) -> str | None:
    """Why a name can't be used (None when it can). Letters of every script are welcome."""
    name = clean_name(raw)
    if not name:
        return required_message or f"{label} is required."
    if len(name) > max_length:
        return f"{label} can be at most {max_length} characters (now {len(name)})."
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in name):
        return f"{label} can't contain line breaks or control characters."
    hidden = invisible_characters(name)
    if hidden:
        return (f"{label} can't contain invisible or text-direction characters (found {', '.join(hidden[:3])}). "
                "Retype it without them.")
    if not any(ch.isalnum() for ch in name):
        return f"{label} needs at least one letter or digit."
    return None


# Counts -----------------------------------------------------------------------------------
def parse_count(raw: str, label: str, *, maximum: int, minimum: int = 1,
                example: str = "10000") -> tuple[int | None, str | None]:
    """A whole number typed with the digits 0-9, optionally with thousands separators (10,000)."""
    text = (raw or "").strip()
    if not text:
        return None, None
    if _has_foreign_digit(text):
        return None, f"{label} must be typed with the digits 0-9."
    if not _ASCII_COUNT.match(text):
        if re.fullmatch(r"-\s*[0-9][0-9,]*(\.[0-9]+)?", text):
            return None, f"{label} must be greater than {minimum - 1:,}."
        return None, f"{label} must be a whole number, such as {example}."
    value = int(text.replace(",", ""))
    if value < minimum:
        return None, f"{label} must be greater than {minimum - 1:,}."
    if value > maximum:
        return None, f"{label} can be at most {maximum:,}."
    return value, None


# Money ------------------------------------------------------------------------------------
def parse_usd(raw: str, label: str, *, maximum: int) -> tuple[Decimal | None, str | None]:
    """An amount of US dollars greater than $0 in whole cents: "250", "99.50", "$1,250.00".

    What is checked is what will be stored: an amount with fractions of a cent is refused rather
    than rounded (0.001 would otherwise be stored as $0, which means no limit at all).
    """
    text = (raw or "").strip()
    if not text:
        return None, None
    if _has_foreign_digit(text):
        return None, f"{label} must be typed with the digits 0-9."
    negative = text.startswith("-")
    body = text[1:].strip() if negative else text
    if body.startswith("$"):
        body = body[1:].strip()
    if not _ASCII_MONEY.match(body):
        return None, f"{label} must be an amount in US dollars, such as 250 or 99.50."
    value = Decimal(body.replace(",", ""))
    if negative or value == 0:
        return None, f"{label} must be greater than $0. Leave it empty for no limit."
    if value != value.quantize(Decimal("0.01")):
        return None, f"{label} can't have fractions of a cent: use at most 2 decimal places."
    if value > maximum:
        return None, f"{label} can be at most ${maximum:,}."
    return value.quantize(Decimal("0.01")), None


# Dates ------------------------------------------------------------------------------------
def parse_day(raw: str, label: str) -> tuple[date | None, str | None]:
    """A calendar day typed exactly as YYYY-MM-DD."""
    text = (raw or "").strip()
    if not text:
        return None, None
    message = f"Enter the {label.lower()} as YYYY-MM-DD, such as 2030-12-31."
    if not _ISO_DAY.match(text):
        return None, message
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, message
