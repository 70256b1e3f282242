"""Public pages are the same for everyone, so each worker keeps them briefly.

A page is kept for ``PAGE_CACHE_SECONDS`` (60 by default; 0 turns this off), by
language, path, query string and the compression the browser takes, in a cache
bounded in entries and in bytes (``PAGE_CACHE_BYTES``) that forgets the least
recently used first. A page is kept as it is sent: compressed once, by
Flask-Compress, when it is built (a results page keeps about 7 KB instead of
40 KB), and sent from the cache as it is. Only a query string made of the
parameters the page reads is kept: made-up parameters get the page built afresh,
so they cannot fill the cache. Pages are keyed on the directory's version too
(``app.directory_version``): a change on any server is seen by every server's
cache within seconds. A page whose search was answered while this server's
index was still behind the directory (``SEARCH_BEHIND``, noted by search) is
sent but not kept, so the cache never holds a page older than the index.
"""

import time
from collections import OrderedDict
from functools import wraps
from threading import Lock

from flask import current_app, g, make_response, request
from flask_compress.flask_compress import _choose_algorithm

from app.directory_version import directory_version
from app.extensions import compress
from app.languages import current_language

MAX_ENTRIES = 2000
SEARCH_BEHIND = "search_behind"  # set on ``g`` by search when it answered from an index behind the directory


class TimedCache:
    """Values kept for a number of seconds (or, asked with ``seconds=None``, until pushed out), at
    most ``size`` of them and ``max_bytes`` of their sizes; the least recently used go first.
    Safe to share between a process's threads."""

    def __init__(self, size=MAX_ENTRIES, max_bytes=None):
        self.size, self.max_bytes = size, max_bytes
        self.bytes = 0
        self._values = OrderedDict()
        self._lock = Lock()

    def get(self, key, seconds=None):
        with self._lock:
            found = self._values.get(key)
            if found is None or (seconds is not None and time.monotonic() - found[0] >= seconds):
                return None
            self._values.move_to_end(key)
            return found[1]

    def put(self, key, value, nbytes=0):
        """Keep ``value`` (of about ``nbytes`` bytes), forgetting the least recently used past either bound."""
        with self._lock:
            if key in self._values:
                self.bytes -= self._values.pop(key)[2]
            self._values[key] = (time.monotonic(), value, nbytes)
            self.bytes += nbytes
            while self._values and (len(self._values) > self.size
                                    or (self.max_bytes is not None and self.bytes > self.max_bytes)):
                self.bytes -= self._values.popitem(last=False)[1][2]

    def get_or_build(self, key, build, seconds=None):
        value = self.get(key, seconds)
        if value is None:
            value = build()
            self.put(key, value)
        return value

    def clear(self):
        with self._lock:
            self._values.clear()
            self.bytes = 0

    def __len__(self):
        return len(self._values)


def cache():
    """This process's cache of directory data and rendered pages."""
    kept = current_app.extensions.get("page_cache")
    if kept is None:
        kept = current_app.extensions["page_cache"] = TimedCache(max_bytes=current_app.config["PAGE_CACHE_BYTES"])
    return kept


def encoding_taken():
    """The compression this request's page is sent with ("br", "gzip"), or None: Flask-Compress's choice."""
    return _choose_algorithm(compress.enabled_algorithms, request.headers.get("Accept-Encoding", ""))


def cached_page(view=None, *, reads=()):
    """Serve a GET page from the cache when a fresh copy is there.

    ``reads`` names the query string parameters the page reads; a request with any
    other is answered without the cache.
    """
    if view is None:
        return lambda view: cached_page(view, reads=reads)
    known = frozenset(reads)

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if not seconds or request.method != "GET" or not known.issuperset(request.args.keys()):
            return view(*args, **kwargs)
        key = ("page", directory_version(), current_language(), request.path, request.query_string, encoding_taken())
        kept = cache().get(key, seconds)
        if kept is not None:
            body, status, headers, notes = kept
            g.analytics_notes = list(notes)  # what building the page counted (a search) counts again
            return current_app.response_class(body, status=status, headers=headers)
        response = make_response(view(*args, **kwargs))
        # A page whose search was answered by an index older than the directory is sent but not kept.
        if response.status_code == 200 and not response.direct_passthrough and not g.get(SEARCH_BEHIND):
            notes = tuple(g.get("analytics_notes", ()))
            response = compress.after_request(response)  # compressed now, kept compressed
            body = response.get_data()
            cache().put(key, (body, response.status_code, list(response.headers.items()), notes), len(body))
        return response

    return wrapper
