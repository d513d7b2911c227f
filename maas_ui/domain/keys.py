"""API key secrets: minting, hashing, encryption at rest, masking and verification."""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken

SECRET_PREFIX = "sk-"
SECRET_BODY_LENGTH = 48  # URL-safe characters after "sk-"
_URLSAFE = string.ascii_letters + string.digits + "-_"


@dataclass(frozen=True)
class MintedSecret:
    """A freshly minted secret. `plaintext` lives only in memory, never in the database or logs."""

    plaintext: str
    sha256: str
    prefix: str
    suffix: str

    def __repr__(self) -> str:  # keep the secret out of tracebacks and logs
        return f"MintedSecret(masked={mask(self.prefix, self.suffix)!r})"


def mint_secret(rng: random.Random | None = None) -> MintedSecret:
    """A new secret: 'sk-' plus 48 URL-safe characters from `secrets` (a seeded rng only for demo data)."""
    if rng is None:
        body = "".join(secrets.choice(_URLSAFE) for _ in range(SECRET_BODY_LENGTH))
    else:
        body = "".join(rng.choice(_URLSAFE) for _ in range(SECRET_BODY_LENGTH))
    plaintext = SECRET_PREFIX + body
    return MintedSecret(plaintext, hash_secret(plaintext), plaintext[:7], plaintext[-4:])


def hash_secret(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def verify_secret(candidate: str, stored_sha256: str) -> bool:
    """Constant-time comparison of a presented secret against the stored digest."""
    return hmac.compare_digest(hash_secret(candidate).encode(), stored_sha256.encode())


def mask(prefix: str, suffix: str) -> str:
    """The partially hidden form shown everywhere, e.g. 'sk-ab12...9xyz'."""
    return f"{prefix}...{suffix}"


class SecretBox:
    """Encrypts secrets at rest (Fernet: AES-128-CBC + HMAC-SHA256)."""

    def __init__(self, key: bytes):
        self._fernet = Fernet(key)

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str | None:
        """The plaintext, or None when the token is empty or was made with another key."""
        if not token:
            return None
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None


def new_public_id(rng: random.Random | None = None) -> str:
    """The id used in URLs: 'key-' plus 10 lowercase hex characters."""
    return "key-" + (secrets.token_hex(5) if rng is None else f"{rng.getrandbits(40):010x}")


def display_status(stored_status: str, expires_at: datetime | None, now: datetime) -> str:
    """Active / Expired / Disabled. Disabled wins; Expired is derived from the date alone."""
    if stored_status == "disabled":
        return "Disabled"
    if expires_at is not None and expires_at <= now:
        return "Expired"
    return "Active"
