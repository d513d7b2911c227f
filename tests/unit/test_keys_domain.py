"""Key minting, hashing, masking, encryption and status derivation."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone

from cryptography.fernet import Fernet

from maas_ui.domain.keys import SecretBox, display_status, hash_secret, mask, mint_secret, new_public_id, verify_secret

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def test_minted_secret_is_long_url_safe_and_unique():
    a, b = mint_secret(), mint_secret()
    assert re.fullmatch(r"sk-[A-Za-z0-9_-]{48}", a.plaintext)  # 48 characters: 288 bits
    assert len(a.plaintext) == 51
    assert a.plaintext != b.plaintext
    assert a.sha256 == hash_secret(a.plaintext) and len(a.sha256) == 64
    assert a.prefix == a.plaintext[:7] and a.suffix == a.plaintext[-4:]


def test_repr_never_shows_the_secret():
    s = mint_secret()
    assert s.plaintext not in repr(s) and s.plaintext not in str(s)
    assert "..." in repr(s)


def test_seeded_rng_makes_repeatable_secrets():
    assert mint_secret(random.Random(1)).plaintext == mint_secret(random.Random(1)).plaintext


def test_verify_secret():
    s = mint_secret()
    assert verify_secret(s.plaintext, s.sha256)
    assert not verify_secret(s.plaintext + "x", s.sha256)
    assert not verify_secret("", s.sha256)


def test_mask():
    assert mask("sk-ab12", "9xyz") == "sk-ab12...9xyz"


def test_secret_box_round_trip_and_wrong_key():
    box = SecretBox(Fernet.generate_key())
    token = box.encrypt("sk-secret")
    assert "sk-secret" not in token
    assert box.decrypt(token) == "sk-secret"
    assert SecretBox(Fernet.generate_key()).decrypt(token) is None
    assert box.decrypt("") is None


def test_public_id_shape():
    assert re.fullmatch(r"key-[0-9a-f]{10}", new_public_id())
    assert new_public_id(random.Random(3)) == new_public_id(random.Random(3))


def test_display_status():
    assert display_status("active", None, NOW) == "Active"
    assert display_status("active", NOW + timedelta(days=1), NOW) == "Active"
    assert display_status("active", NOW - timedelta(seconds=1), NOW) == "Expired"
    assert display_status("active", NOW, NOW) == "Expired"
    assert display_status("disabled", NOW - timedelta(days=1), NOW) == "Disabled"
