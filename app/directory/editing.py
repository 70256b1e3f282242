"""Changing services in the browser: drafts, a second editor's approval, history and scheduling.

A change is the whole service as an Open Referral UK record (``oruk.service_record``):
publishing one imports that one record (``import_services``), in the same
transaction as the version it becomes, so a published change moves the
directory's version on and reaches search, the API and every server as an
import does. Every published version is kept (``ServiceVersion``); restoring one
makes a new draft of it.

With ``DIRECTORY_CHANGES_NEED_APPROVAL`` on (the default), a change waits as a
draft until an editor other than its author approves it; a small council can turn
it off and publish an editor's change at once. A change may be published on a
date instead (``publish_on``): the worker's ``publish-scheduled-changes`` job, and
any editor's visit to the directory pages, publishes it when the day comes.
"""

import json
import uuid
from contextlib import nullcontext
from datetime import date

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import clock
from app.directory import oruk
from app.directory.catalogue import directory_changed, service_districts
from app.directory.importer import ImportRejected, check_services, import_services
from app.extensions import db
from app.models import Location, Service, Taxonomy, TaxonomyTerm
from app.models.service_change import OPEN_CHANGE_STATES, ServiceChange, ServiceVersion

DAY_NAMES = {
    "MO": _l("Monday"), "TU": _l("Tuesday"), "WE": _l("Wednesday"), "TH": _l("Thursday"),
    "FR": _l("Friday"), "SA": _l("Saturday"), "SU": _l("Sunday"),
}
STATUS_NAMES = {
    "active": _l("Open"),
    "temporarily closed": _l("Temporarily closed"),
    "inactive": _l("Not listed"),
    "defunct": _l("Closed"),
}


class ChangeRefused(Exception):
    """The change cannot be made as asked: the message says why, for the person who asked."""


# ------------------------------------------------------------------ records


def record_of(service):
    """The service as it is published now, as a JSON-safe record."""
    return oruk.service_record(service)


def dumps(record):
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def loads(text):
    return json.loads(text)


def record_districts(record):
    """Slugs of the districts a service record is in (its places' postcodes and its areas)."""
    settings = current_app.extensions["site_settings"]
    found = set()
    for link in record.get("service_at_locations") or []:
        for address in (link.get("location") or {}).get("addresses") or []:
            district = settings.district_for_postcode(address.get("postal_code"))
            if district:
                found.add(district.slug)
    for area in record.get("service_areas") or []:
        district = settings.district_named(area.get("name"))
        if district:
            found.add(district.slug)
    return found


def may_edit(user, districts):
    """An editor may change a service in any of their districts; one with no district, only with all districts."""
    return user.is_editor and user.covers(districts)


def service_may_be_edited_by(user, service):
    return may_edit(user, service_districts(service, current_app.extensions["site_settings"]))


def check(record):
    """The record as an import would take it; ``ImportRejected`` listing what is wrong otherwise."""
    known_terms = set(db.session.scalars(db.select(TaxonomyTerm.id)))
    return check_services([record], known_terms)[0]


# ------------------------------------------------------------------ changes


def needs_approval():
    return current_app.config["DIRECTORY_CHANGES_NEED_APPROVAL"]


def open_change(service_id):
    """The draft waiting for approval, if there is one (a service has one at a time)."""
    return db.session.scalar(db.select(ServiceChange).where(
        ServiceChange.service_id == service_id, ServiceChange.state == "draft"))


def open_changes(service_id):
    """The service's draft and its approved changes waiting for their dates, oldest first."""
    return db.session.scalars(db.select(ServiceChange).where(
        ServiceChange.service_id == service_id, ServiceChange.state.in_(OPEN_CHANGE_STATES)).order_by(ServiceChange.id)).all()


def effective_record(change):
    """What publishing the change would publish now: its record, with anything published since it was
    made, in the parts it leaves as they were, kept (a change undoes nothing it did not change)."""
    record = loads(change.record)
    if change.base_record is None:
        return record
    service = db.session.get(Service, change.service_id)
    if service is None:
        return record
    base, current = loads(change.base_record), record_of(service)
    if current == base:
        return record
    merged = dict(current)
    for key in set(record) | set(base):
        if record.get(key) != base.get(key):
            if key in record:
                merged[key] = record[key]
            else:
                merged.pop(key, None)
    return merged


def latest_version_number(service_id):
    return db.session.scalar(db.select(db.func.max(ServiceVersion.number)).where(ServiceVersion.service_id == service_id))


def propose(user, record, source="editor", summary="", publish_on=None, batch=None, direct=False, feed_id=None):
    """Save a change to a service as a draft (replacing the service's open change, if any); publish it at once
    if approval is not needed (or ``direct``: a change that needs no second pair of eyes) and it is due.
    Returns the change."""
    check(record)
    service = db.session.get(Service, record["id"])
    before = record_of(service) if service is not None else None
    districts = record_districts(record) | (record_districts(before) if before else set())
    now = clock.utc_now()
    waiting = open_change(record["id"])
    if waiting is not None:
        waiting.state, waiting.decided_at, waiting.decision_note = "withdrawn", now, "Replaced by a newer change"
    change = ServiceChange(
        service_id=record["id"], service_name=record["name"][:255], record=dumps(record),
        base_version=latest_version_number(record["id"]), source=source, state="draft", summary=(summary or "")[:500],
        district_slugs=",".join(sorted(districts)), batch=batch, author_id=user.id if user else None,
        created_at=now, publish_on=publish_on, decision_note="", replaces_id=waiting.id if waiting is not None else None,
        feed_id=feed_id, base_record=dumps(before) if before is not None else None,
    )
    db.session.add(change)
    db.session.flush()
    if (direct or not needs_approval()) and user is not None:
        return _decide(change, user)
    db.session.commit()
    return change


def note_check(change):
    """Today as the last check, in a change waiting for approval (its author stays its author)."""
    record = loads(change.record)
    record["assured_date"] = clock.now().date().isoformat()
    change.record = dumps(record)
    db.session.commit()


def authors(change):
    """Everyone who wrote any of this change: its author and the authors of the drafts it replaced."""
    found, seen = set(), set()
    while change is not None and change.id not in seen:
        seen.add(change.id)
        if change.author_id is not None:
            found.add(change.author_id)
        change = db.session.get(ServiceChange, change.replaces_id) if change.replaces_id else None
    return found


def propose_import(records, numbering=("Service", 1), problems=()):
    """An import as drafts: every record checked (all or none), then a change for each service it adds or
    changes, together as one batch. Returns (changes made, services unchanged)."""
    known_terms = set(db.session.scalars(db.select(TaxonomyTerm.id)))
    check_services(records, known_terms, numbering, problems)
    batch, made, unchanged = str(uuid.uuid4()), 0, 0
    for record in records:
        service = db.session.get(Service, record["id"])
        if service is not None and describe(record) == describe(record_of(service)):
            unchanged += 1
            continue
        waiting = open_change(record["id"])
        if waiting is not None and waiting.source == "import" and loads(waiting.record) == record:
            unchanged += 1  # the same import again: its change is already waiting
            continue
        propose(None, record, source="import", batch=batch)
        made += 1
    return made, unchanged


def propose_pulled(records, feed_id):
    """A pull's services as drafts, one batch (added, changed and closed alike). The number."""
    batch = str(uuid.uuid4())
    for record in records:
        waiting = open_change(record["id"])
        if waiting is not None and waiting.source == "feed" and loads(waiting.record) == record:
            continue  # the same pull again: its change is already waiting
        propose(None, record, source="feed", batch=batch, feed_id=feed_id)
    return len(records)


def batch_waiting(change):
    """The other drafts of the same import, waiting for approval."""
    if not change.batch:
        return []
    return db.session.scalars(db.select(ServiceChange).where(
        ServiceChange.batch == change.batch, ServiceChange.state == "draft", ServiceChange.id != change.id)
        .order_by(ServiceChange.id)).all()


def approve_batch(user, change):
    """Approve every change of this change's import that ``user`` may approve; one search index build. The number."""
    search = current_app.extensions.get("search")
    done = 0
    with search.changes() if search is not None else nullcontext():
        for one in [change, *batch_waiting(change)]:
            if may_approve(user, one):
                _decide(one, user)
                done += 1
    return done


def may_approve(user, change):
    """A second editor of the change's districts (with approval on, never one who wrote any of it)."""
    if change.state != "draft" or not may_edit(user, change.districts):
        return False
    return not (needs_approval() and user.id in authors(change))


def approve(user, change):
    if not may_approve(user, change):
        raise ChangeRefused(_("You cannot approve your own change. Another editor needs to approve it."))
    return _decide(change, user)


def _decide(change, user):
    now = clock.utc_now()
    change.decided_by_id, change.decided_at = user.id, now
    if change.publish_on is not None and change.publish_on > clock.now().date():
        change.state = "scheduled"
        db.session.commit()
        return change
    return publish(change)


def reject(user, change, note):
    if change.state not in OPEN_CHANGE_STATES or not may_edit(user, change.districts):
        raise ChangeRefused(_("This change is no longer waiting for approval."))
    change.state, change.decided_by_id, change.decided_at, change.decision_note = "rejected", user.id, clock.utc_now(), note[:500]
    db.session.commit()


def withdraw(user, change):
    if change.state not in OPEN_CHANGE_STATES or change.author_id != user.id:
        raise ChangeRefused(_("Only the editor who made a change can withdraw it."))
    change.state, change.decided_at, change.decision_note = "withdrawn", clock.utc_now(), ""
    db.session.commit()


def publish(change):
    """Import the change's record, keep it as the service's next version, and tell every server."""
    record = effective_record(change)
    service = db.session.get(Service, change.service_id)
    number = latest_version_number(change.service_id) or 0
    now = clock.utc_now()
    if service is not None and number == 0:  # the first change made here: keep the service as it was, too
        number = 1
        db.session.add(ServiceVersion(service_id=change.service_id, number=1, record=dumps(record_of(service)),
                                      published_at=service.last_modified or now, source="existing"))
    record["last_modified"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    feed_id = change.feed_id or (service.feed_id if service is not None else None)
    try:
        # Never with ``feed=``: that would close the feed's services this one record leaves out.
        import_services([record], commit=False)
    except ImportRejected as rejected:
        db.session.rollback()
        raise ChangeRefused("; ".join(str(problem) for problem in rejected.problems)) from None
    if feed_id is not None:
        db.session.get(Service, change.service_id).feed_id = feed_id
    db.session.add(ServiceVersion(service_id=change.service_id, number=number + 1, record=dumps(record), published_at=now,
                                  source=change.source, change_id=change.id, author_id=change.author_id,
                                  approver_id=change.decided_by_id))
    change.state, change.record = "published", dumps(record)
    change.decided_at = change.decided_at or now
    db.session.commit()
    directory_changed()
    return change


def publish_due():
    """Publish the approved changes whose day has come. The number published."""
    today = clock.now().date()
    due = db.session.scalars(db.select(ServiceChange).where(
        ServiceChange.state == "scheduled", ServiceChange.publish_on <= today).order_by(ServiceChange.id)).all()
    done = 0
    for change in due:
        try:
            publish(change)
            done += 1
        except ChangeRefused as refused:
            change = db.session.get(ServiceChange, change.id)
            change.state, change.decision_note = "rejected", f"Could not be published: {refused}"[:500]
            db.session.commit()
    return done


def restore(user, version):
    """A new draft holding an earlier version."""
    record = loads(version.record)
    return propose(user, record, source="restore", summary=_("Restores version %(number)s", number=version.number))


def new_service_id():
    return str(uuid.uuid4())


# ------------------------------------------------------------------ differences


def _terms():
    rows = db.session.execute(db.select(TaxonomyTerm.id, TaxonomyTerm.name, TaxonomyTerm.taxonomy_id)).all()
    return {row.id: row for row in rows}


def _taxonomy_codes():
    return dict(db.session.execute(db.select(Taxonomy.id, Taxonomy.code)).all())


def _time(text):
    return (text or "")[:5]


def _day(text):
    try:
        return format_date(date.fromisoformat(text), "d MMMM y")
    except (TypeError, ValueError):
        return text or ""


def _place(location):
    lines = [location.get("name")]
    for address in location.get("addresses") or []:
        lines += [address.get("address_1"), address.get("address_2"), address.get("city"), address.get("postal_code")]
    return ", ".join(line for line in lines if line)


def _phone(phone):
    return phone.get("number", "") + (f" ({phone['description']})" if phone.get("description") else "")


def _money(option):
    amount = option.get("amount")
    text = option.get("option") or ""
    if amount not in (None, "", 0, "0", "0.00"):
        text = f"£{float(amount):.2f}" + (f" {text}" if text else "")
    return text + (f" ({option['amount_description']})" if option.get("amount_description") else "")


def describe(record):
    """The record as an editor reads it: (label, text) for each part, in the form's order."""
    terms, codes = _terms(), _taxonomy_codes()
    chosen = {}
    for attribute in record.get("attributes") or []:
        term = terms.get(attribute.get("taxonomy_term_id"))
        if term is not None:
            chosen.setdefault(codes.get(term.taxonomy_id), []).append(term.name)
    for names in chosen.values():
        names.sort()
    low, high = record.get("minimum_age"), record.get("maximum_age")
    if low is None and high is None:
        ages = _("Any age")
    else:
        ages = _("%(low)s to %(high)s years", low=low if low is not None else 0, high=high if high is not None else _("any"))
    sessions = []
    for schedule in record.get("schedules") or []:
        days = ", ".join(str(DAY_NAMES.get(day, day)) for day in (schedule.get("byday") or "").split(",") if day)
        hours = f"{_time(schedule.get('opens_at'))} to {_time(schedule.get('closes_at'))}" if schedule.get("opens_at") else ""
        words = " ".join(part for part in (days, hours) if part)
        note = schedule.get("description") or schedule.get("notes") or ""
        sessions.append(f"{words} ({note})" if words and note else words or note)
    contacts = []
    for contact in record.get("contacts") or []:
        parts = [contact.get("name"), contact.get("title"), contact.get("email")] + [_phone(p) for p in contact.get("phones") or []]
        contacts.append(", ".join(part for part in parts if part))
    organisation = (record.get("organization") or {}).get("name") or ""
    rows = [
        (_("Name"), record.get("name") or ""),
        (_("Status"), str(STATUS_NAMES.get(record.get("status"), record.get("status") or ""))),
        (_("Organisation"), organisation),
        (_("Description"), record.get("description") or ""),
        (_("Alert"), record.get("alert") or ""),
        (_("Website"), record.get("url") or ""),
        (_("Email"), record.get("email") or ""),
        (_("Phone numbers"), "\n".join(_phone(p) for p in record.get("phones") or [])),
        (_("Contacts"), "\n".join(contacts)),
        (_("Ages"), ages),
        (_("Level of need"), ", ".join(chosen.get("family-hub-need-levels", []))),
        (_("Who it is for"), ", ".join(chosen.get("family-hub-eligibility", []))),
        (_("How to get it"), ", ".join(chosen.get("family-hub-access", []))),
        (_("How it is delivered"), ", ".join(chosen.get("family-hub-delivery", []))),
        (_("Cost"), "\n".join(filter(None, [record.get("fees") or ""] + [_money(c) for c in record.get("cost_options") or []]))),
        (_("Sessions"), "\n".join(sessions)),
        (_("Places"), "\n".join(_place(link.get("location") or {}) for link in record.get("service_at_locations") or [])),
        (_("Areas"), ", ".join(sorted(area.get("name") or "" for area in record.get("service_areas") or []))),
        (_("Languages"), ", ".join(sorted(lang.get("name") or lang.get("code") or "" for lang in record.get("languages") or []))),
        (_("Categories"), ", ".join(chosen.get("family-hub-categories", []))),
        (_("Features"), ", ".join(chosen.get("family-hub-features", []))),
        (_("Last checked"), _day(record.get("assured_date"))),
    ]
    return rows


def differences(before, after):
    """(label, before, after) for each part that differs; ``before`` None for a new service."""
    old = dict(describe(before)) if before else {}
    return [(label, old.get(label, ""), text) for label, text in describe(after) if old.get(label, "") != text]


def location_choices():
    """Every place in the directory, for an editor to choose from: (id, as shown)."""
    places = db.session.scalars(db.select(Location).order_by(Location.name)).all()
    return [(place.id, _place(oruk.location_record(place))) for place in places]
