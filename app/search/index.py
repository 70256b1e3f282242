"""The index on disk: built whole beside the live one, swapped in atomically, read by workers.

``<SEARCH_INDEX_DIR>/current`` is a symbolic link to the live build, a folder
holding the Whoosh index and, beside it, the listings and pages it refers to.
A build writes a new folder, then replaces the link in one ``rename``: a reader
sees the old index or the new one, never half of one. Only one process builds
at a time (a lock file); a build asked for while another runs is not lost but
coalesced: the running builder builds once more when it finishes.
"""

import fcntl
import json
import os
import shutil
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import whoosh.index

from app.search.listing import Listing
from app.search.schema import make_schema
from app.search.synonyms import words_of

CURRENT = "current"
PENDING = "rebuild.pending"
LOCK = "build.lock"
FORMAT = 6


class IndexUnavailable(Exception):
    """There is no usable index: missing, half-written or unreadable."""


class IndexStore:
    def __init__(self, root):
        self.root = Path(root)
        self._versions = (None, None)  # (generation, the directory version it was built from)

    def generation(self):
        """The name of the live build, or None when there is none."""
        try:
            return os.readlink(self.root / CURRENT)
        except OSError:
            return None

    def version(self):
        """The directory's version the live build was made from (None without one, or from before versions)."""
        generation = self.generation()
        if generation is None:
            return None
        kept_generation, version = self._versions
        if kept_generation != generation:
            try:
                manifest = _read_json(self.root / generation / "manifest.json")
                version = manifest.get("directory_version")
            except (OSError, ValueError):
                version = None
            self._versions = (generation, version)
        return version

    # Building

    def build(self, services, pages, progress=lambda count: None, parallel=False, version=None):
        """Write a complete index from (listing, fields) pairs, then make it the live one.

        ``parallel`` indexes in two worker processes while this one reads the
        documents: worth it for thousands of services, not for a few.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"build-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        folder = self.root / name
        folder.mkdir()
        try:
            counts = _write(folder, services, pages, progress, parallel, version)
            link = self.root / f".{CURRENT}-{uuid.uuid4().hex}"
            os.symlink(name, link)
            os.replace(link, self.root / CURRENT)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._prune(keep={name})
        return counts

    def _prune(self, keep):
        """Remove old builds, keeping the live one and the one before it (a reader may hold it)."""
        builds = sorted(
            (path for path in self.root.glob("build-*") if path.is_dir() and path.name not in keep),
            key=lambda path: path.stat().st_mtime,
            reverse=True,
        )
        for old in builds[1:]:
            shutil.rmtree(old, ignore_errors=True)

    @contextmanager
    def lock(self, wait=True):
        """The builder's lock; with ``wait=False``, yields False when another process holds it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def ask_again(self):
        """Have the builder running now build once more when it finishes."""
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / PENDING).touch()

    def rebuild(self, build):
        """Ask for a rebuild; run ``build()`` here unless another process is building already.

        Returns how many builds this process ran (0 when it handed the work to
        the running builder, which sees the request when it finishes).
        """
        self.ask_again()
        pending = self.root / PENDING
        runs = 0
        while pending.exists():
            with self.lock(wait=False) as mine:
                if not mine:
                    return runs
                while pending.exists():
                    pending.unlink(missing_ok=True)
                    build()
                    runs += 1
        return runs

    # Reading

    def open(self):
        """The live build: (generation, directory version, Whoosh index, listings, pages, vocabulary)."""
        generation = self.generation()
        if generation is None:
            raise IndexUnavailable("there is no search index yet")
        folder = self.root / generation
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT:
                raise IndexUnavailable("the search index was built by another version")
            listings = [Listing.from_json(item) for item in _read_json(folder / "listings.json")]
            pages = _read_json(folder / "pages.json")
            vocabulary = _read_json(folder / "vocabulary.json")
            index = whoosh.index.open_dir(str(folder))
        except IndexUnavailable:
            raise
        except Exception as error:  # missing files, bad JSON, a damaged Whoosh index …
            raise IndexUnavailable(f"the search index cannot be read ({type(error).__name__})") from error
        if len(listings) != manifest.get("services") or len(pages) != manifest.get("pages"):
            raise IndexUnavailable("the search index is incomplete")
        return generation, manifest.get("directory_version"), index, listings, pages, vocabulary


def _read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _write(folder, services, pages, progress, parallel, version):
    started = time.perf_counter()
    index = whoosh.index.create_in(str(folder), make_schema())
    if parallel:  # each worker writes its own segment, kept as it is rather than merged
        writer = index.writer(procs=2, multisegment=True, limitmb=128)
    else:
        writer = index.writer(limitmb=256)
    listings, page_list, vocabulary = [], [], Counter()
    try:
        for position, (listing, fields) in enumerate(services):
            writer.add_document(kind="service", position=position, **fields)
            vocabulary.update(set(words_of(" ".join(fields.values()))))
            listings.append(listing.to_json())
            progress(1)
        for position, (page, fields) in enumerate(pages):
            writer.add_document(kind="page", position=position, **fields)
            vocabulary.update(set(words_of(" ".join(fields.values()))))
            page_list.append(page)
        writer.commit(optimize=not parallel)
    except BaseException:
        writer.cancel()
        raise
    index.close()
    _write_json(folder / "listings.json", listings)
    _write_json(folder / "pages.json", page_list)
    _write_json(folder / "vocabulary.json", dict(sorted(vocabulary.items())))
    manifest = {
        "format": FORMAT,
        "directory_version": version,
        "services": len(listings),
        "pages": len(page_list),
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 3),
    }
    _write_json(folder / "manifest.json", manifest)  # written last: its presence marks a whole build
    return manifest


def _write_json(path, value):
    # json.dumps, not json.dump: only a one-shot encoding uses the C encoder (ten times as fast).
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
