"""Pulling another organisation's Open Referral UK 3.0 API into the directory (``flask services pull``).

The whole feed is read first: its root (which must say HSDS 3.0), every page of
``/services``, then each ``/services/{id}``, each answer checked against the UK
profile's compiled schemas. Anything wrong (an answer that breaks a schema, a
server that does not answer in time, pages that do not add up) refuses the
whole feed with a message, and the directory is left as it was. Only then is it
imported, all or nothing, under the feed's name.
"""

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import jsonschema
from flask import current_app
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from sqlalchemy import select

from app import clock
from app.directory import editing, oruk
from app.directory.catalogue import directory_changed
from app.directory.importer import import_services
from app.extensions import db
from app.models import Feed, Service

PER_PAGE = 100
MAX_PAGES = 10_000
MAX_BYTES = 20 * 1024 * 1024  # one answer
PAGE_KEYS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")


class FeedRefused(Exception):
    """Nothing was pulled: the message says why."""


@dataclass
class Pulled:
    """What a pull changed (or, in a dry run, would change)."""

    feed: str
    added: list = field(default_factory=list)  # names
    changed: list = field(default_factory=list)
    unchanged: int = 0
    closed: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # Problems: what was left out


def schema_folder():
    folder = Path(current_app.config["ORUK_SCHEMA_DIR"])
    if not (folder / "compiled" / "service.json").exists():
        raise FeedRefused(f"The Open Referral UK schemas are not in {folder}: set ORUK_SCHEMA_DIR to the "
                          "profile's schema folder (the one holding compiled/service.json).")
    return folder


def validators(folder):
    def load(name):
        return json.loads((folder / name).read_text(encoding="utf-8"))

    term = Resource.from_contents(load("taxonomy_term.json"), default_specification=DRAFT7)
    registry = Registry().with_resource("taxonomy_term.json", term)
    return {
        name: jsonschema.Draft7Validator(load(f"compiled/{name}.json"), registry=registry,
                                         format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        for name in ("service", "service_list")
    }


def _first_problem(validator, value):
    error = next(iter(sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))), None)
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "the record"
    return f"{where}: {error.message}"


class FeedReader:
    """Reads one feed's API over HTTP, each answer in ``timeout`` seconds or the feed is refused."""

    def __init__(self, base_url, timeout=10.0):
        self.base = base_url.rstrip("/")
        self.timeout = timeout

    def get(self, path, query=None):
        url = self.base + path + ("?" + urlencode(query) if query else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                        "User-Agent": "Family Hub directory pull"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise FeedRefused(f"{url} answered {error.code} {error.reason}") from None
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)  # a URLError wraps what went wrong
            if isinstance(reason, TimeoutError):
                raise FeedRefused(f"{url} did not answer within {self.timeout:g} seconds") from None
            raise FeedRefused(f"{url} could not be reached: {reason}") from None
        if len(body) > MAX_BYTES:
            raise FeedRefused(f"{url} answered with more than {MAX_BYTES // (1024 * 1024)} MB")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise FeedRefused(f"{url} did not answer in JSON") from None


def read_feed(reader, checks, progress=lambda items: items, per_page=PER_PAGE):
    """Every service of the feed in full, checked; or ``FeedRefused``."""
    about = reader.get("/")
    version = about.get("version") if isinstance(about, dict) else None
    if not isinstance(version, str) or not version.upper().startswith(("HSDS-UK-3.", "3.")):
        raise FeedRefused(f"{reader.base}/ does not say it is an HSDS 3.0 API (its version is {version!r})")
    ids, total, number = [], None, 1
    while True:
        page = reader.get("/services", {"page": number, "per_page": per_page})
        where = f"{reader.base}/services page {number}"
        missing = [key for key in PAGE_KEYS if not isinstance(page, dict) or key not in page]
        if missing:
            raise FeedRefused(f"{where} is not a page: it lacks {', '.join(missing)}")
        if not isinstance(page["contents"], list) or not isinstance(page["total_items"], int):
            raise FeedRefused(f"{where} is not a page: contents must be a list and total_items a number")
        if page["page_number"] != number:
            raise FeedRefused(f"{where} says it is page {page['page_number']}")
        if total is None:
            total = page["total_items"]
        elif page["total_items"] != total:
            raise FeedRefused(f"{where} says there are {page['total_items']} services, page 1 said {total}")
        for position, item in enumerate(page["contents"]):
            problem = _first_problem(checks["service_list"], item)
            if problem:
                raise FeedRefused(f"{where}, service {position + 1}: {problem}")
            ids.append(item["id"])
        if page["last_page"] is True or not page["contents"]:
            break
        number += 1
        if number > MAX_PAGES or len(ids) > total:
            raise FeedRefused(f"{reader.base}/services has more pages than its {total} services fill")
    if len(ids) != len(set(ids)):
        repeated = next(i for i in ids if ids.count(i) > 1)
        raise FeedRefused(f"{reader.base}/services lists service {repeated} more than once")
    if len(ids) != total:
        raise FeedRefused(f"{reader.base}/services says it has {total} services, but its pages list {len(ids)}")
    records = []
    for service_id in progress(ids):
        record = reader.get(f"/services/{service_id}")
        problem = _first_problem(checks["service"], record)
        if problem:
            raise FeedRefused(f"{reader.base}/services/{service_id}: {problem}")
        if record.get("id") != service_id:
            raise FeedRefused(f"{reader.base}/services/{service_id} answered with service {record.get('id')}")
        records.append(record)
    return records


def feed_named(name, url):
    feed = db.session.scalar(select(Feed).where(Feed.name == name))
    if feed is None:
        feed = Feed(id=str(uuid.uuid4()), name=name, url=url)
        db.session.add(feed)
    feed.url = url
    return feed


def default_name(url):
    return urlsplit(url).netloc or url


def pull(url, name=None, dry_run=False, timeout=10.0, progress=lambda label: (lambda items: items), publish=True):
    """Read the feed at ``url`` and import it under ``name``: a ``Pulled`` saying what changed.

    With ``publish`` false, nothing is published: each service added, changed or closed becomes a
    change waiting for an editor's approval (``app.directory.editing``), all in one batch.
    ``FeedRefused`` or ``ImportRejected`` when nothing could be pulled; the directory is then as it was.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedRefused(f"{url} is not a web address starting with https://")
    name = (name or default_name(url)).strip()
    checks = validators(schema_folder())
    records = read_feed(FeedReader(url, timeout), checks, progress("Reading services"))
    result = Pulled(feed=name)
    try:
        feed = feed_named(name, url)
        if not publish and not dry_run:
            db.session.commit()  # the feed exists before its changes wait for approval
        theirs = select(Service).where(Service.feed_id == feed.id)
        before = {service.id: oruk.service_record(service) for service in db.session.scalars(theirs)}
        import_services(records, progress("Importing services"), feed=feed, notes=result.notes, commit=False)
        db.session.flush()
        for service in db.session.scalars(select(Service).where(Service.feed_id == feed.id).order_by(Service.name)):
            record = oruk.service_record(service)
            if service.id not in before:
                result.added.append(service.name)
            elif service.status == "defunct" and before[service.id].get("status") != "defunct":
                result.closed.append(service.name)
            elif record != before[service.id]:
                result.changed.append(service.name)
            else:
                result.unchanged += 1
        if dry_run:
            db.session.rollback()
            return result
        if not publish:
            moved = set(result.added) | set(result.changed) | set(result.closed)
            records = [oruk.service_record(service) for service in db.session.scalars(
                select(Service).where(Service.feed_id == feed.id).order_by(Service.name)) if service.name in moved]
            db.session.rollback()  # the feed itself was saved before the import (below)
            feed.pulled_at = clock.utc_now()
            db.session.commit()
            editing.propose_pulled(records, feed.id)
            return result
        feed.pulled_at = clock.utc_now()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    directory_changed()
    return result
