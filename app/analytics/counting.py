"""What a request adds to the day's counts, and what is never counted.

Everything is worked out from the request while it is handled and only counts
leave this module: a page's path, another site's host name, the language, a
device class, search words, and a visitor digest made from the day's salt.
No address, browser string, query string or form value is kept.
"""

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from flask import g, request

from app.languages import LANGUAGE_KEY

# Pages the public sees. The staff area, static files, images and /healthz are not pages.
PUBLIC_BLUEPRINTS = frozenset({"main", "directory", "content", "journey", "referral", "analytics", "signposting"})
NOT_PAGES = frozenset({"main.healthz", "content.image", "analytics.useful"})
KEY_LENGTH = 200
SEARCH_LENGTH = 100

_crawlers = CrawlerDetect()


def note(measure, key, amount=1):
    """Count something about this request (a search, a journey's start), if the request is counted."""
    g.setdefault("analytics_notes", []).append((measure, key[:KEY_LENGTH], amount))


def may_count(environ):
    """False for people who asked not to be tracked, for bots and for prefetches (``environ``: the WSGI environ)."""
    if environ.get("HTTP_SEC_GPC", "").strip() == "1" or environ.get("HTTP_DNT", "").strip() == "1":
        return False
    if is_prefetch(environ):
        return False
    return not is_bot(environ.get("HTTP_USER_AGENT", ""))


_PURPOSES = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def is_prefetch(environ):
    for name in _PURPOSES:
        purpose = environ.get(name)
        if purpose and any(word in purpose.lower() for word in ("prefetch", "prerender", "preview")):
            return True
    return False


def is_bot(user_agent):
    """Known crawlers, headless browsers and tools; a request with no browser string at all too."""
    return not user_agent.strip() or _crawlers.is_crawler(user_agent)


@lru_cache(maxsize=1024)
def device_class(user_agent):
    """mobile, tablet or desktop, from the tokens browsers use to say so."""
    agent = user_agent.lower()
    if any(token in agent for token in ("ipad", "tablet", "kindle", "silk/", "playbook")):
        return "tablet"
    if "android" in agent and "mobile" not in agent:
        return "tablet"  # Android phones say Mobile; Android tablets do not
    if any(token in agent for token in ("mobi", "iphone", "ipod", "android", "windows phone", "opera mini")):
        return "mobile"
    return "desktop"


def referrer_host(referrer, own_host):
    """Another website's host name from the Referer header; None for our own pages or anything odd."""
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    own = own_host.split(":")[0].lower()
    if parts.scheme not in ("http", "https") or not host or host == own or len(host) > 100:
        return None
    if not re.fullmatch(r"[a-z0-9.-]+", host):
        return None
    return host


_EMAIL = re.compile(r"\S+@\S+\.\S+")
_POSTCODE = re.compile(r"\b[a-z]{1,2}[0-9][a-z0-9]?\s*[0-9][a-z]{2}\b")


def search_words(text):
    """The words of a search as counted: lower case, spaces tidied.

    None when there is nothing to count, or when the words look like someone's
    own details (an email address, a full postcode, a phone number): those are
    never written down, however often they are searched for.
    """
    words = " ".join((text or "").lower().split())[:SEARCH_LENGTH].strip()
    if not words or not words.isprintable():
        return None
    if _EMAIL.search(words) or _POSTCODE.search(words) or sum(c.isdigit() for c in words) >= 6:
        return None
    return words


def visitor_digest(salt, address, user_agent):
    """Today's digest for one visitor: the same all day, unconnected to any other day's."""
    return hashlib.sha256(salt + b"\0" + address.encode() + b"\0" + user_agent.encode()).digest()[:16]


def counts_for(response):
    """(measure, key, amount) for this request, or [] when nothing about it is counted.

    Every public page passes through here, so it reads the request once and the
    response's Content-Type without parsing it.
    """
    this = request._get_current_object()  # once: each use of the proxy costs a lookup
    environ = this.environ
    endpoint = this.endpoint or ""
    if endpoint.partition(".")[0] not in PUBLIC_BLUEPRINTS or this.method not in ("GET", "POST"):
        return []
    status = response.status_code
    if status >= 400 or not may_count(environ):
        return []
    counted = list(g.get("analytics_notes", ()))
    if status == 200 and endpoint not in NOT_PAGES and (response.content_type or "").startswith("text/html"):
        counted += [
            ("view", this.path[:KEY_LENGTH], 1),
            ("language", environ.get(LANGUAGE_KEY, "en"), 1),
            ("device", device_class(environ.get("HTTP_USER_AGENT", "")), 1),
        ]
        host = referrer_host(environ.get("HTTP_REFERER"), environ.get("HTTP_HOST", ""))
        if host:
            counted.append(("referrer", host, 1))
    return counted
