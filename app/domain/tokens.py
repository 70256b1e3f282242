"""Random tokens handed to a browser, and the hash of each that is all the database keeps."""

import hashlib


def token_hash(token):
    """The SHA-256 hash (hex) under which a token is stored: the table alone cannot be used to take anything over."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
