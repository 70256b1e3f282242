"""The editors' area: the services of their districts, changes waiting for approval, and each service's history.

Every page is for editors only, and only for the districts they work in: a
service or change elsewhere answers "Page not found", as a guessed address does.
"""

import re

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app import clock
from app.directory import editing
from app.directory.catalogue import service_districts
from app.directory.editing import STATUS_NAMES, ChangeRefused
from app.domain.whole_numbers import is_whole_number
from app.extensions import db
from app.models import Location, Service, ServiceAtLocation
from app.models.service_change import OPEN_CHANGE_STATES, ServiceChange, ServiceVersion
from app.staff import bp
from app.staff.auth import editor_required
from app.staff.forms import ActionForm, DecisionForm, StatusChangeForm
from app.staff.service_form import ServiceForm
from app.templating import form_error_list

_SERVICE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,36}$")
LIST_LIMIT = 500


def _settings():
    return current_app.extensions["site_settings"]


def _service(service_id):
    """The service, if this editor may change it; 404 otherwise (whether or not it exists)."""
    if not _SERVICE_ID.match(service_id or ""):
        abort(404)
    service = db.session.get(Service, service_id)
    if service is None or not editing.service_may_be_edited_by(g.staff, service):
        abort(404)
    return service


def _change(number):
    if not (is_whole_number(number) and len(number) < 10):
        abort(404)
    change = db.session.get(ServiceChange, int(number))
    if change is None or not editing.may_edit(g.staff, change.districts):
        abort(404)
    return change


@bp.get("/services")
@editor_required
def directory():
    editing.publish_due()  # the worker publishes what is due; an editor's visit does too, so none waits on a worker
    query = (request.args.get("q") or "").strip()[:100]
    settings = _settings()
    services = db.session.scalars(db.select(Service).order_by(Service.name).options(
        selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location).selectinload(Location.addresses),
        selectinload(Service.service_areas))).all()
    mine = [service for service in services if editing.may_edit(g.staff, service_districts(service, settings))]
    if query:
        words = query.lower().split()
        mine = [service for service in mine if all(word in service.name.lower() for word in words)]
    waiting = {change.service_id: change for change in db.session.scalars(
        db.select(ServiceChange).where(ServiceChange.state.in_(OPEN_CHANGE_STATES)))}
    return render_template("staff/services.html", services=mine[:LIST_LIMIT], more=len(mine) > LIST_LIMIT, query=query,
                           waiting=waiting, status_names=STATUS_NAMES, to_approve=_count_to_approve(),
                           notice=session.pop("staff_notice", None))


def _count_to_approve():
    changes = db.session.scalars(db.select(ServiceChange).where(ServiceChange.state == "draft")).all()
    return sum(1 for change in changes if editing.may_approve(g.staff, change))


@bp.get("/services/<service_id>")
@editor_required
def service(service_id):
    return _service_page(_service(service_id), StatusChangeForm())


def _form_page(form, record, title, service=None, duplicate=False):
    problems = form.problems_in_order() if form.is_submitted() else []
    return render_template("staff/service_form.html", form=form, record=record, title=title, service=service,
                           problems=problems, error_title=bool(problems), duplicate=duplicate,
                           needs_approval=editing.needs_approval(), publish_parts=_publish_parts(form))


def _publish_parts(form):
    return _date_items("publish", getattr(form, "publish_wrong", ()))


def _date_items(prefix, wrong):
    """The three boxes of a date input named ``prefix``, as typed, the wrong ones marked."""
    source = request.form if request.method == "POST" else {}
    return [{"name": part, "label": label, "value": str(source.get(f"{prefix}-{part}", ""))[:20], "inputmode": "numeric",
             "classes": f"govuk-input--width-{width}" + (" govuk-input--error" if part in wrong else "")}
            for part, label, width in (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))]


def _service_page(service, status_form, problems=(), status=200):
    versions = db.session.scalar(db.select(db.func.count()).where(ServiceVersion.service_id == service.id))
    return render_template("staff/service.html", service=service, rows=editing.describe(editing.record_of(service)),
                           waiting=editing.open_changes(service.id), versions=versions, status_names=STATUS_NAMES,
                           status_form=status_form, on_parts=_date_items("on", status_form.date_wrong),
                           needs_approval=editing.needs_approval(), problems=list(problems), error_title=bool(problems),
                           notice=session.pop("staff_notice", None) if not problems else None), status


def _save(form, record, source):
    """Check the form and save its change; the change, or None with the form's errors set."""
    valid = form.validate_on_submit()
    dated = form.read_publish_date(request.form)
    if not (valid and dated):
        return None
    new = form.apply_to(record)
    districts = editing.record_districts(new)
    if not editing.may_edit(g.staff, districts):
        form.areas.errors = [_("Choose a place or district that you edit, so that the service stays in your districts")]
        return None
    try:
        return editing.propose(g.staff, new, source=source, summary=(form.summary.data or "").strip(), publish_on=form.publish_on)
    except editing.ImportRejected as rejected:
        form.summary.errors = [str(problem) for problem in rejected.problems][:1]
        return None


def _after_saving(change):
    session["staff_notice"] = change.state
    return redirect(url_for("staff.change", number=change.id), 303)


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_service(service_id):
    service = _service(service_id)
    waiting = editing.open_change(service.id)
    record = editing.effective_record(waiting) if waiting is not None else editing.record_of(service)
    form = ServiceForm() if request.method == "POST" else ServiceForm(data=ServiceForm.data_from(record))
    if request.method == "POST":
        change = _save(form, record, "editor")
        if change is not None:
            return _after_saving(change)
    return _form_page(form, record, _("Change %(name)s", name=service.name), service=service)


@bp.route("/services/new", methods=["GET", "POST"])
@editor_required
def new_service():
    record = {"id": editing.new_service_id(), "status": "active"}
    copy_of = request.args.get("copy", "")
    duplicate = False
    if copy_of:
        original = _service(copy_of)
        record = _copied(editing.record_of(original))
        duplicate = True
    if request.method == "POST":
        form = ServiceForm()
        record["id"] = request.form.get("service_id", "") if _SERVICE_ID.match(request.form.get("service_id", "")) else record["id"]
        taken = db.session.scalar(db.select(ServiceChange.id).where(ServiceChange.service_id == record["id"]).limit(1))
        if db.session.get(Service, record["id"]) is not None or taken is not None:
            abort(404)  # a new service's id is never one in use, nor one of another change (a colleague's new service)
        change = _save(form, record, "new")
        if change is not None:
            return _after_saving(change)
    else:
        form = ServiceForm(data=ServiceForm.data_from(record))
    return _form_page(form, record, _("Add a service"), duplicate=duplicate)


def _copied(record):
    """A copy of a service's record for a new service: new ids for everything it owns, the same places."""
    new_id = editing.new_service_id
    copy = {key: value for key, value in record.items() if key not in ("id", "assured_date", "last_modified")}
    copy["id"] = new_id()
    copy["name"] = _("Copy of %(name)s", name=record.get("name", ""))
    copy["status"] = "active"
    for key in ("phones", "schedules", "service_areas", "languages", "cost_options", "funding", "attributes"):
        copy[key] = [dict(item, id=new_id()) for item in record.get(key) or []]
    copy["contacts"] = [dict(contact, id=new_id(), phones=[dict(p, id=new_id()) for p in contact.get("phones") or []])
                        for contact in record.get("contacts") or []]
    copy["service_at_locations"] = [dict(link, id=new_id()) for link in record.get("service_at_locations") or []]
    return copy


@bp.post("/services/<service_id>/status")
@editor_required
def change_status(service_id):
    service = _service(service_id)
    form = StatusChangeForm()
    if form.validate_on_submit() and form.read_date(request.form):
        record = editing.record_of(service)
        if record.get("status") == form.status.data:
            session["staff_notice"] = "same-status"
            return redirect(url_for("staff.service", service_id=service.id), 303)
        record["status"] = form.status.data
        change = editing.propose(g.staff, record, source="status", summary=(form.note.data or "").strip(), publish_on=form.publish_on)
        return _after_saving(change)
    problems = form_error_list(form) + ([{"text": str(form.date_error), "href": "#on-day"}] if form.date_error else [])
    return _service_page(service, form, problems, 400)


@bp.post("/services/<service_id>/checked")
@editor_required
def mark_checked(service_id):
    """ "Checked, nothing changed": today's date as the last check, published at once (it changes nothing else)."""
    service = _service(service_id)
    if ActionForm().validate_on_submit():
        waiting = editing.open_change(service.id)
        if waiting is not None:
            # A change is waiting for approval: the check's date goes into it, and waits with it.
            editing.note_check(waiting)
            session["staff_notice"] = "checked-in-draft"
            return redirect(url_for("staff.change", number=waiting.id), 303)
        record = editing.record_of(service)
        record["assured_date"] = clock.now().date().isoformat()
        editing.propose(g.staff, record, source="checked", summary=_("Checked, nothing changed"), direct=True)
        session["staff_notice"] = "checked"
    if request.form.get("back") == "review":
        return redirect(url_for("staff.review"), 303)
    return redirect(url_for("staff.service", service_id=service.id), 303)


@bp.get("/changes")
@editor_required
def changes():
    editing.publish_due()
    open_changes = db.session.scalars(db.select(ServiceChange).where(ServiceChange.state.in_(OPEN_CHANGE_STATES))
                                      .order_by(ServiceChange.created_at, ServiceChange.id)).all()
    mine = [change for change in open_changes if editing.may_edit(g.staff, change.districts)]
    recent = db.session.scalars(db.select(ServiceChange).where(ServiceChange.state.not_in(OPEN_CHANGE_STATES))
                                .order_by(ServiceChange.decided_at.desc(), ServiceChange.id.desc()).limit(200)).all()
    recent = [change for change in recent if editing.may_edit(g.staff, change.districts)][:30]
    return render_template("staff/changes.html", to_approve=[c for c in mine if editing.may_approve(g.staff, c)],
                           others=[c for c in mine if not editing.may_approve(g.staff, c)], recent=recent)


@bp.get("/changes/<number>")
@editor_required
def change(number):
    change = _change(number)
    return _change_page(change, DecisionForm())


def _change_page(change, form, status=200):
    record = editing.loads(change.record)
    service = db.session.get(Service, change.service_id)
    if change.state == "published":
        version = db.session.scalar(db.select(ServiceVersion).where(ServiceVersion.change_id == change.id))
        before = db.session.scalar(db.select(ServiceVersion).where(
            ServiceVersion.service_id == change.service_id, ServiceVersion.number == version.number - 1)) if version else None
        before_record = editing.loads(before.record) if before else None
    else:
        before_record = editing.record_of(service) if service is not None else None
        if change.state in OPEN_CHANGE_STATES:
            record = editing.effective_record(change)
    latest = editing.latest_version_number(change.service_id)
    moved_on = change.state == "draft" and latest is not None and change.base_version is not None and latest > change.base_version
    problems = form_error_list(form)
    return render_template("staff/change.html", change=change, service=service, record=record,
                           differences=editing.differences(before_record, record), may_approve=editing.may_approve(g.staff, change),
                           moved_on=moved_on, form=form, action_form=ActionForm(), problems=problems, error_title=bool(problems),
                           notice=session.pop("staff_notice", None), needs_approval=editing.needs_approval(),
                           batch=editing.batch_waiting(change) if change.state == "draft" else [],
                           batch_approved=session.pop("staff_batch_approved", None)), status


@bp.post("/changes/<number>/<any('approve', 'approve-all', 'reject', 'withdraw'):what>")
@editor_required
def decide(number, what):
    change = _change(number)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _change_page(change, form, 400)
    try:
        if what == "approve":
            editing.approve(g.staff, change)
        elif what == "approve-all":
            if not editing.may_approve(g.staff, change):
                raise ChangeRefused(_("You cannot approve this change."))
            session["staff_batch_approved"] = editing.approve_batch(g.staff, change)
        elif what == "reject":
            note = (form.note.data or "").strip()
            if not note:
                form.note.errors = [_("Say why the change is rejected, so its editor can put it right")]
                return _change_page(change, form, 400)
            editing.reject(g.staff, change, note)
        else:
            editing.withdraw(g.staff, change)
    except ChangeRefused as refused:
        form.note.errors = [str(refused)]
        return _change_page(change, form, 400)
    session["staff_notice"] = db.session.get(ServiceChange, change.id).state
    return redirect(url_for("staff.change", number=change.id), 303)


@bp.get("/services/<service_id>/history")
@editor_required
def history(service_id):
    service = _service(service_id)
    versions = db.session.scalars(db.select(ServiceVersion).where(ServiceVersion.service_id == service.id)
                                  .order_by(ServiceVersion.number.desc())).all()
    return render_template("staff/history.html", service=service, versions=versions, action_form=ActionForm())


def _version(service, number):
    if not (is_whole_number(number or "") and len(number) < 10):
        return None
    return db.session.scalar(db.select(ServiceVersion).where(ServiceVersion.service_id == service.id,
                                                             ServiceVersion.number == int(number)))


@bp.get("/services/<service_id>/compare")
@editor_required
def compare(service_id):
    service = _service(service_id)
    older, newer = _version(service, request.args.get("from")), _version(service, request.args.get("to"))
    if older is None or newer is None:
        return redirect(url_for("staff.history", service_id=service.id), 303)
    differences = editing.differences(editing.loads(older.record), editing.loads(newer.record))
    return render_template("staff/compare.html", service=service, older=older, newer=newer, differences=differences)


@bp.post("/services/<service_id>/versions/<number>/restore")
@editor_required
def restore(service_id, number):
    service = _service(service_id)
    version = _version(service, number)
    if version is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("staff.history", service_id=service.id), 303)
    change = editing.restore(g.staff, version)
    return _after_saving(change)
