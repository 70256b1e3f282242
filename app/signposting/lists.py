"""A list of services that lives in the URL: ``?s=stay-and-play,baby-cafe``.

Nothing is stored: the list is the query string, so it can be printed, shared and
bookmarked, and needs no cookie or account. The order is the one given; slugs
repeated, badly formed or never used by any service are dropped quietly. A service
renamed since the list was made is found by its new slug; one removed or closed
stays in the list, shown as no longer available.
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from app.directory.slugs import is_slug
from app.extensions import db
from app.models import FormerSlug, Service
from app.models.codes import LISTED_STATUSES

MAXIMUM = 30  # services a list can hold
CONSIDERED = 100  # slugs read from one URL at most; any more are ignored
_SEPARATORS = re.compile(r"[\s,]+")
_LONGEST = CONSIDERED * 121  # characters of ``s`` worth reading


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    status: str  # the service's status, or "removed"

    @property
    def available(self):
        return self.status in LISTED_STATUSES


@dataclass(frozen=True)
class Shortlist:
    entries: tuple[Entry, ...] = ()
    refused: tuple[Entry, ...] = ()  # services beyond the maximum, left out

    @property
    def slugs(self):
        return [entry.slug for entry in self.entries]

    def __len__(self):
        return len(self.entries)

    def __contains__(self, slug):
        return any(entry.slug == slug for entry in self.entries)

    def param(self, slugs=None):
        """The value of ``s`` for this list (or for ``slugs``); ``None`` for an empty list."""
        slugs = self.slugs if slugs is None else slugs
        return ",".join(slugs) or None

    def toggled(self, slug):
        """``s`` with the service removed if it is in the list, or added at the end if it is not."""
        return self.without(slug) if slug in self else self.param([*self.slugs, slug])

    def without(self, slug):
        return self.param([s for s in self.slugs if s != slug])

    def moved(self, slug, step):
        """``s`` with the service moved ``step`` places (−1 is up), or ``None`` if it cannot move."""
        slugs = self.slugs
        here = slugs.index(slug)
        there = here + step
        if not 0 <= there < len(slugs):
            return None
        slugs[here], slugs[there] = slugs[there], slugs[here]
        return self.param(slugs)


def slugs_from(values):
    """The distinct, well-formed slugs in the ``s`` values, in order (lower case, at most ``CONSIDERED``)."""
    found = []
    for value in values:
        for token in _SEPARATORS.split(value[:_LONGEST].lower()):
            if token and token not in found and is_slug(token):
                found.append(token)
                if len(found) == CONSIDERED:
                    return found
    return found


def resolve(values):
    """The list the ``s`` values describe, with each service's current slug, name and status."""
    wanted = slugs_from(values)
    if not wanted:
        return Shortlist()
    live = {
        slug: (name, status)
        for slug, name, status in db.session.execute(
            select(Service.slug, Service.name, Service.status).where(Service.slug.in_(wanted))
        )
    }
    former = {}
    missing = [slug for slug in wanted if slug not in live]
    if missing:
        former = {row.slug: row for row in db.session.scalars(select(FormerSlug).where(FormerSlug.slug.in_(missing)))}
    renamed = {}
    if former:
        renamed = {
            service_id: (slug, name, status)
            for service_id, slug, name, status in db.session.execute(
                select(Service.id, Service.slug, Service.name, Service.status).where(
                    Service.id.in_({row.service_id for row in former.values()})
                )
            )
        }
    entries, seen = [], set()
    for slug in wanted:
        if slug in live:
            entry = Entry(slug, *live[slug])
        elif slug in former:
            row = former[slug]
            entry = Entry(*renamed[row.service_id]) if row.service_id in renamed else Entry(slug, row.name, "removed")
        else:
            continue  # never a service's slug
        if entry.slug not in seen:
            seen.add(entry.slug)
            entries.append(entry)
    return Shortlist(tuple(entries[:MAXIMUM]), tuple(entries[MAXIMUM:]))
