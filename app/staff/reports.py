"""The public's reports of problems with services' pages, in their district editors' queue.

An editor resolves a report (with or without changing the service) or dismisses
it with a note. The page shows the reports received each week and how long they
took to resolve.
"""

from datetime import timedelta
from statistics import median

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app import clock
from app.directory import editing
from app.directory.reports import TOPIC_NAMES
from app.domain.whole_numbers import is_whole_number
from app.extensions import db
from app.form_fields import Choice
from app.models import Service, ServiceChange, ServiceReport
from app.referral.forms import options
from app.referral.vault import vault
from app.staff import bp
from app.staff.auth import editor_required
from app.templating import form_error_list

WEEKS_SHOWN = 8


class ResolveForm(FlaskForm):
    outcome = Choice(_l("What did you do?"), choices=options([
        ("resolved", _l("Put it right, or found it was right already")),
        ("dismissed", _l("Dismissed it: it is not a problem with the page")),
    ]), validators=[InputRequired(_l("Select what you did"))])
    note = TextAreaField(_l("Note for other editors (needed to dismiss)"), validators=[
        Optional(), Length(max=500, message=_l("Note must be 500 characters or fewer"))])


def _mine(report):
    return editing.may_edit(g.staff, report.districts)


def _report(number):
    if not (is_whole_number(number) and len(number) < 10):
        abort(404)
    report = db.session.get(ServiceReport, int(number))
    if report is None or not _mine(report):
        abort(404)
    return report


@bp.get("/reports")
@editor_required
def reports():
    waiting = db.session.scalars(db.select(ServiceReport).where(ServiceReport.state == "open")
                                 .order_by(ServiceReport.received_at, ServiceReport.id)).all()
    waiting = [report for report in waiting if _mine(report)]
    return render_template("staff/reports.html", reports=waiting, topics=TOPIC_NAMES, weeks=weekly(),
                           notice=session.pop("staff_notice", None))


def weekly(weeks=WEEKS_SHOWN):
    """For each of the last ``weeks`` weeks (Monday to Sunday, newest first) in this editor's districts:
    (Monday, reports received, reports resolved or dismissed, median hours to do so or None)."""
    today = clock.now().date()
    monday = today - timedelta(days=today.weekday())
    start = clock.local_midnight_utc(monday - timedelta(weeks=weeks - 1))
    rows = db.session.scalars(db.select(ServiceReport).where(
        (ServiceReport.received_at >= start) | (ServiceReport.resolved_at >= start))).all()
    rows = [row for row in rows if _mine(row)]
    found = []
    for back in range(weeks):
        first = monday - timedelta(weeks=back)
        begins, ends = clock.local_midnight_utc(first), clock.local_midnight_utc(first + timedelta(weeks=1))
        received = [row for row in rows if begins <= row.received_at < ends]
        done = [row for row in rows if row.resolved_at is not None and begins <= row.resolved_at < ends]
        hours = median((row.resolved_at - row.received_at).total_seconds() / 3600 for row in done) if done else None
        found.append((first, len(received), len(done), hours))
    return found


@bp.route("/reports/<number>", methods=["GET", "POST"])
@editor_required
def report(number):
    report = _report(number)
    form = ResolveForm()
    if request.method == "POST" and report.state == "open" and form.validate_on_submit():
        note = (form.note.data or "").strip()
        if form.outcome.data == "dismissed" and not note:
            form.note.errors = [_("Say why it is dismissed, for the other editors")]
        else:
            report.state, report.note = form.outcome.data, note[:500]
            report.resolved_by_id, report.resolved_at = g.staff.id, clock.utc_now()
            report.change_id = _latest_change_id(report)
            db.session.commit()
            session["staff_notice"] = report.state
            return redirect(url_for("staff.reports"), 303)
    problems = form_error_list(form)
    service = db.session.get(Service, report.service_id)
    return render_template("staff/report.html", report=report, service=service, form=form, problems=problems,
                           error_title=bool(problems), topics=TOPIC_NAMES,
                           details=vault().open(report.details) if report.details else ""), 400 if problems else 200


def _latest_change_id(report):
    """The change made to the service since the report came in, if any, to keep with it."""
    return db.session.scalar(db.select(ServiceChange.id).where(
        ServiceChange.service_id == report.service_id, ServiceChange.created_at >= report.received_at)
        .order_by(ServiceChange.id.desc()).limit(1))
