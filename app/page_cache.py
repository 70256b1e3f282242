"""Public pages are the same for everyone, so each worker keeps them briefly.

A page is kept for ``PAGE_CACHE_SECONDS`` (60 by default; 0 turns this off), by
language, path and query string, in a bounded cache that forgets its oldest
entries first. The cache is emptied in the process that changes the directory.
"""

import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, g, make_response, request

from app.languages import current_language

MAX_ENTRIES = 2000


class TimedCache:
    """Values that expire after a number of seconds, at most ``size`` of them."""

    def __init__(self, size=MAX_ENTRIES):
        self.size = size
        self._values = OrderedDict()

    def get(self, key, seconds):
        found = self._values.get(key)
        if found is None or time.monotonic() - found[0] >= seconds:
            return None
        return found[1]

    def put(self, key, value):
        self._values[key] = (time.monotonic(), value)
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def get_or_build(self, key, build, seconds):
        value = self.get(key, seconds)
        if value is None:
            value = build()
            self.put(key, value)
        return value

    def clear(self):
        self._values.clear()

    def __len__(self):
        return len(self._values)


def cache():
    """This process's cache of directory data and rendered pages."""
    return current_app.extensions.setdefault("page_cache", TimedCache())


def cached_page(view):
    """Serve a GET page from the cache when a fresh copy is there."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if not seconds or request.method != "GET":
            return view(*args, **kwargs)
        key = ("page", current_language(), request.path, request.query_string)
        kept = cache().get(key, seconds)
        if kept is not None:
            body, status, headers, notes = kept
            g.analytics_notes = list(notes)  # what building the page counted (a search) counts again
            return current_app.response_class(body, status=status, headers=headers)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough:
            notes = tuple(g.get("analytics_notes", ()))
            cache().put(key, (response.get_data(), response.status_code, list(response.headers.items()), notes))
        return response

    return wrapper
