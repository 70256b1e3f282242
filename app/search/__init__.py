"""Search over the directory and the content pages, with Whoosh.

Everything that touches Whoosh lives in this package. Web workers only read the
index: ``flask search build`` (and every import) writes a new one and swaps it
in. When the index is missing, locked or damaged, searches are answered from the
database and one warning is logged; the page says nothing alarming.

Search knows nothing of where services come from: the app factory hands it the
directory's functions: one that reads every listed service with its text (to
build from), one that gives the listings the directory keeps in memory (for
answering from the database), one that gives the ids of the services listed now,
and one that reads the directory's version from the database.

Several servers each keep an index of their own. When the directory's version
moves on (``follow``, told by ``app.directory_version``), a server hides at once
the services its index holds that are listed no more, and builds a new index in
a thread of its own while the old one goes on answering; the one process that
holds the index folder's lock builds, the others wait for its result.
"""

import logging
import os
import threading
from contextlib import contextmanager

from flask import current_app, g, has_request_context

from app.page_cache import SEARCH_BEHIND, cache
from app.search.engine import DatabaseDirectory, IndexedDirectory
from app.search.index import IndexStore, IndexUnavailable
from app.search.synonyms import load_all_synonyms

log = logging.getLogger(__name__)
PARALLEL_FROM = 500  # services; fewer are indexed faster in this process alone


class SearchService:
    def __init__(self, app, read_services, listings, listed_ids, version_now):
        self.app = app
        self.read_services = read_services  # (settings) -> (Listing, text fields) for each listed service
        self.listings = listings  # () -> the listed services, as Listings
        self.listed_ids = listed_ids  # () -> the ids of the services listed now
        self.version_now = version_now  # () -> the directory's version in the database
        self._followed = None  # the directory's version last seen by this process
        self._building = None  # the thread building a new index, while it runs
        self.store = IndexStore(app.config["SEARCH_INDEX_DIR"])
        self.synonyms = load_all_synonyms(app.config["CONTENT_DIR"], app.extensions["site_settings"].language_codes)
        self._live = None
        self._broken = None  # the generation found damaged, until another replaces it
        self._problem = None
        self._lock = threading.Lock()
        self._held = 0  # inside ``changes()``: rebuild once at the end
        self._changed = False

    # Reading

    def directory(self):
        """The directory to search: the live index, or the database when the index cannot be used."""
        generation = self.store.generation()
        live = self._live
        if live is not None and live.generation == generation and generation != self._broken:
            return self._hiding_closed(live)
        if generation is not None and generation != self._broken:
            with self._lock:
                if self._live is None or self._live.generation != generation:
                    try:
                        opened = IndexedDirectory(*self.store.open(), synonyms=self.synonyms)
                        opened.check()
                    except Exception as error:  # a damaged index must never stop a search
                        self._broken = generation
                        self._trouble(error)
                        return self._fallback()
                    old, self._live = self._live, opened
                    if old is not None:
                        old.close()
                    self._problem = None
                live = self._live
            return self._hiding_closed(live)
        if generation is None:
            self._trouble(IndexUnavailable("there is no search index yet"))
        return self._fallback()  # a damaged build was reported when it was found

    def _hiding_closed(self, live):
        """The live index, less the services it holds that are listed no more (when the directory moved on)."""
        wanted = self._followed
        if wanted is None or (live.version is not None and wanted <= live.version):
            return live
        if has_request_context():
            g.setdefault(SEARCH_BEHIND, True)  # the page may be sent, not kept: a new index is on its way
        if live.version is None or live.hidden_for == wanted:
            return live
        with self._lock:
            if live.hidden_for != wanted:
                listed = set(self.listed_ids())
                live.hide([position for position, listing in enumerate(live.listings) if listing.id not in listed],
                          wanted)
        return live

    def search(self, directory, filters, point, options):
        """Search, moving to the database if the index fails part-way."""
        return self._asking(directory, lambda asked: asked.search(filters, point, options))[1]

    def _asking(self, directory, question):
        """(directory, answer): ``question(directory)``, asked of the database instead if the index fails."""
        try:
            return directory, question(directory)
        except Exception as error:
            if not directory.from_index:
                raise
            self._broken = getattr(directory, "generation", None)
            self._trouble(error)
            fallback = self._fallback()
            return fallback, question(fallback)

    def matching_ids(self, text):
        """Ids of the services that ``text`` finds, best match first, as the site's search finds them
        (stemming, typos, synonyms); None when the words hold nothing to search for."""
        directory, found = self._asking(self.directory(), lambda asked: asked.match_text(text))
        if not found.units:
            return None
        return [directory.listings[position].id for position in found.ranked]

    def _fallback(self):
        seconds = current_app.config["DIRECTORY_CACHE_SECONDS"]
        return cache().get_or_build("search-fallback", lambda: DatabaseDirectory(self.listings()), seconds)

    def _trouble(self, error):
        reason = str(error) or type(error).__name__
        if reason != self._problem:
            self._problem = reason
            log.warning("Search is answering from the database: %s", reason)

    # Writing

    def build(self, progress=lambda count: None, parallel=None):
        """Build a new index from the database and content, and make it live."""
        from app.search.documents import count_services, page_documents

        if parallel is None:
            parallel = (os.cpu_count() or 1) > 1 and count_services() >= PARALLEL_FROM
        version = self.version_now()  # read first: the services read next are at least as new
        services = self.read_services(current_app.extensions["site_settings"])
        return self.store.build(services, page_documents(), progress, parallel, version)

    def rebuild(self):
        """Rebuild after a change; coalesces with a build already running elsewhere."""
        return self.store.rebuild(self.build)

    def changed(self):
        """The directory changed: rebuild now, or at the end of ``changes()``."""
        if self._held:
            self._changed = True
        else:
            self.rebuild()

    def follow(self, version):
        """The directory is at ``version``: hide what closed since the index was built, and build anew."""
        self._followed = version
        if self._held or not self.app.config["SEARCH_BUILD_IN_BACKGROUND"]:
            return
        if self.behind():
            self._build_behind()

    def _build_behind(self):
        """Rebuild in a thread of this process; searches go on answering from the live index."""
        with self._lock:
            if self._building is not None and self._building.is_alive():
                self.store.ask_again()  # the running build builds once more when it is done
                return
            self._building = threading.Thread(target=self._rebuild_in_thread, name="search-rebuild", daemon=True)
            self._building.start()

    def _rebuild_in_thread(self):
        with self.app.app_context():
            try:
                # One process at a time here: Whoosh's writer processes are not forked from a web worker's thread.
                self.store.rebuild(lambda: self.build(parallel=False))
            except Exception:
                log.exception("The search index could not be rebuilt; searches use the one before")

    def behind(self):
        """Whether this server's index is older than the directory's version last seen."""
        built = self.store.version()
        return self._followed is not None and (built is None or built < self._followed)

    @contextmanager
    def changes(self):
        """Several changes in a row (say, a demo load) lead to one rebuild, when they are done."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if not self._held and self._changed:
            self._changed = False
            self.rebuild()


def search_service():
    return current_app.extensions["search"]


def init_app(app, read_services, listings, listed_ids, version_now):
    """Search for ``app``, building from ``read_services(settings)`` and falling back on ``listings()``."""
    app.extensions["search"] = SearchService(app, read_services, listings, listed_ids, version_now)
    from app.search.cli import geo_cli, search_cli

    app.cli.add_command(search_cli)
    app.cli.add_command(geo_cli)
