"""Display strings of the API key pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from maas_ui.domain import key_format as fmt

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("delta, text", [
    (timedelta(seconds=5), "just now"),
    (timedelta(minutes=1), "1 minute ago"),
    (timedelta(minutes=59), "59 minutes ago"),
    (timedelta(hours=3), "3 hours ago"),
    (timedelta(hours=1, minutes=59), "1 hour ago"),
    (timedelta(days=1, hours=2), "yesterday"),
    (timedelta(days=12), "12 days ago"),
    (timedelta(days=45), "1 month ago"),
    (timedelta(days=200), "6 months ago"),
    (timedelta(days=800), "2 years ago"),
])
def test_relative_time(delta, text):
    assert fmt.relative_time(NOW - delta, NOW) == text


def test_relative_time_never_and_future():
    assert fmt.relative_time(None, NOW) == "Never"
    assert fmt.relative_time(NOW + timedelta(days=2), NOW) == "in the future"


def test_exact():
    assert fmt.exact_time(datetime(2026, 11, 6, 9, 5, tzinfo=timezone.utc)) == "6 Nov 2026, 09:05 UTC"
    assert fmt.exact_time(None, empty="Never") == "Never"
    assert fmt.exact_date(datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc)) == "31 Dec 2026"


def test_limits_and_sizes():
    assert fmt.per_minute(None, "tokens") == "No limit"
    assert fmt.per_minute(20000, "tokens") == "20,000 tokens per minute"
    assert fmt.budget(None) == "No limit"
    assert fmt.budget(250.0) == "$250" and fmt.budget(99.5) == "$99.50" and fmt.budget(0.0) == "$0"
    assert fmt.size(18_400_000_000) == "18.4 GB" and fmt.size(950_000_000) == "950.0 MB" and fmt.size(12) == "12 B"
    assert fmt.summarize_names(["a", "b", "c", "d", "e"]) == (["a", "b", "c"], 2)
    assert fmt.summarize_names(["a"]) == (["a"], 0)


def test_examples_fill_the_endpoint_and_never_a_secret():
    from maas_ui.domain.key_examples import curl_example, python_example

    curl = curl_example("https://maas.example.com/gpt-oss-20b/v1/", "openai/gpt-oss-20b")
    assert "curl https://maas.example.com/gpt-oss-20b/v1/chat/completions" in curl
    assert '"model": "openai/gpt-oss-20b"' in curl and "Bearer $MAAS_API_KEY" in curl
    py = python_example("https://maas.example.com/gpt-oss-20b/v1", "openai/gpt-oss-20b")
    assert 'base_url="https://maas.example.com/gpt-oss-20b/v1"' in py and 'model="openai/gpt-oss-20b"' in py
    assert "sk-" not in curl + py
    compile(py, "example", "exec")
