"""Encryption of what families type, with Fernet (AES-128-CBC with an HMAC-SHA256 tag).

``REFERRAL_ENCRYPTION_KEYS`` holds one or more Fernet keys, newest first, comma
separated. New records are encrypted with the first; any of them can decrypt.
To change key: put a new key first, run ``flask referrals rotate-key`` to
re-encrypt every record with it, then remove the old key.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class VaultError(RuntimeError):
    """The keys are missing or malformed, or a record cannot be read with them."""


class Vault:
    def __init__(self, keys_setting):
        keys = [key.strip() for key in (keys_setting or "").split(",") if key.strip()]
        if not keys:
            raise VaultError("REFERRAL_ENCRYPTION_KEYS is empty: set at least one Fernet key")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError:
            raise VaultError("REFERRAL_ENCRYPTION_KEYS must be Fernet keys (flask referrals new-key makes one)") from None

    def seal(self, value):
        """Any JSON-able value, encrypted, as text for a database column."""
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token):
        try:
            return json.loads(self._fernet.decrypt(token.encode("ascii")))
        except InvalidToken:
            raise VaultError("A record cannot be decrypted with the keys in REFERRAL_ENCRYPTION_KEYS") from None

    def rotate(self, token):
        """The same value, encrypted again with the newest key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise VaultError("A record cannot be decrypted with the keys in REFERRAL_ENCRYPTION_KEYS") from None


def new_key():
    return Fernet.generate_key().decode("ascii")


def init_app(app):
    app.extensions["referral_vault"] = Vault(app.config.get("REFERRAL_ENCRYPTION_KEYS"))


def vault():
    return current_app.extensions["referral_vault"]
