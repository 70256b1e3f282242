"""Readable, stable URL slugs for services."""

import re
import unicodedata

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(text):
    """Whether the text could be a service's slug (so nothing else reaches the database)."""
    return len(text) <= 120 and bool(_SLUG.match(text))


def slugify(text, limit=100):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "service"


def unique_slug(name, taken):
    """``slugify(name)``, with ``-2``, ``-3`` … added if another service has it."""
    base = slugify(name)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
