""""Report a problem with this page" on a service's page: a public form that sets no cookie.

A report asks no name or email, and what is written goes, encrypted, to the
service's district editors (``app/staff/reports.py``); nothing of it is shown
publicly. A hidden field that only bots fill in, and a form sent from another
site's page, get the same thank-you page and nothing is kept; each client may
send ``REPORT_RATE_LIMIT`` reports.
"""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import Form, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app import clock
from app.directory import bp
from app.directory.catalogue import service_districts
from app.directory.slugs import is_slug
from app.extensions import csrf, db, limiter
from app.form_fields import Choice
from app.models import Service, ServiceReport, codes
from app.referral.forms import options
from app.referral.vault import vault
from app.request_limits import from_another_site
from app.templating import form_error_list

MAX_DETAILS = 500
TOPIC_NAMES = {
    "contact": _l("The phone number, email or address is wrong"),
    "closed": _l("The service has closed"),
    "times": _l("The times are wrong"),
    "other": _l("Something else"),
}


class ReportForm(Form):
    topic = Choice(_l("What is wrong?"), choices=options(list(TOPIC_NAMES.items())),
                       validators=[InputRequired(_l("Select what is wrong"))])
    details = TextAreaField(_l("Tell us more (optional)"), validators=[
        Optional(), Length(max=MAX_DETAILS, message=_l("Tell us in %(count)s characters or fewer", count=MAX_DETAILS))])

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.topic.data == "other" and not (self.details.data or "").strip():
            self.details.errors = [_l("Tell us what is wrong")]
            return False
        return True


def _listed(slug):
    if not is_slug(slug):
        abort(404)
    service = db.session.scalar(db.select(Service).where(Service.slug == slug, Service.status.in_(codes.LISTED_STATUSES)))
    if service is None:
        abort(404)
    return service


@bp.route("/services/<slug>/report", methods=["GET", "POST"])
@csrf.exempt  # a public page sets no cookie, so carries no token: the checks below stand in for it
@limiter.limit(lambda: current_app.config["REPORT_RATE_LIMIT"], methods=["POST"])
def report_problem(slug):
    service = _listed(slug)
    form = ReportForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        if not request.form.get("website") and not from_another_site():
            details = (form.details.data or "").strip()
            db.session.add(ServiceReport(
                service_id=service.id, service_name=service.name[:255], topic=form.topic.data,
                district_slugs=",".join(sorted(service_districts(service, current_app.extensions["site_settings"]))),
                details=vault().seal(details) if details else "", received_at=clock.utc_now(), state="open", note=""))
            db.session.commit()
        return redirect(url_for("directory.report_sent", slug=service.slug), 303)
    problems = form_error_list(form)
    response = current_app.make_response((
        render_template("directory/report.html", service=service, form=form, problems=problems, error_title=bool(problems),
                        max_details=MAX_DETAILS), 200))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/services/<slug>/report/sent")
def report_sent(slug):
    service = _listed(slug)
    return render_template("directory/report_sent.html", service=service)
