from flask import abort, current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app import clock
from app.domain.whole_numbers import is_whole_number
from app.extensions import db, limiter
from app.journey.labels import need_labels
from app.models import ReferralAudit
from app.models.referral import STATUSES
from app.referral.forms import CONTACT_LABELS, TIME_LABELS
from app.referral.store import looks_like_reference
from app.referral.vault import vault
from app.staff import bp, inbox
from app.staff.auth import (
    SignInRefused,
    admin_required,
    home_for,
    sign_in,
    sign_out,
    signed_in_user,
    staff_required,
    team_required,
)
from app.staff.forms import ROLE_NAMES, STATUS_NAMES, CloseForm, SignInForm, StatusForm
from app.templating import form_error_list

AUDIT_PAGE_SIZE = 100


@bp.after_request
def private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.context_processor
def staff_context():
    return {"staff": g.get("staff"), "status_names": STATUS_NAMES, "local_time": clock.local, "role_names": role_names}


def role_names(member):
    """A staff member's roles, as shown: "Team member, Editor"."""
    return ", ".join(str(ROLE_NAMES[role]) for role in member.roles)


@bp.get("")
@staff_required
def home():
    return redirect(home_for(g.staff), 303)


def _sign_in_limit():
    return current_app.config["STAFF_SIGN_IN_RATE_LIMIT"]


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in_page():
    if request.method == "GET" and (user := signed_in_user()) is not None:
        return redirect(home_for(user), 303)
    form = SignInForm()
    refused = False
    if form.validate_on_submit():
        try:
            user = sign_in(form.email.data, form.password.data)
        except SignInRefused:
            refused = True
        else:
            return redirect(url_for("staff.code" if user.totp_enabled_at else "staff.set_up"), 303)
    if refused:
        # The same words for a wrong email, a wrong password and a locked account.
        form.email.errors = [_("Enter the email address and password for your account")]
    problems = form_error_list(form)
    signed_out = session.pop("staff_timed_out", None) or session.pop("staff_signed_out", None)
    return render_template("staff/sign_in.html", form=form, problems=problems, error_title=bool(problems),
                           signed_out=signed_out, max_failures=current_app.config["STAFF_MAX_FAILED_SIGN_INS"],
                           lock_minutes=current_app.config["STAFF_LOCK_MINUTES"])


@bp.post("/sign-out", endpoint="sign_out")
def sign_out_page():
    sign_out()
    return redirect(url_for("staff.sign_in"), 303)


@bp.get("/referrals")
@team_required
def referrals():
    status = request.args.get("status", "new")
    if status not in STATUSES:
        status = "new"
    today = clock.now().date()
    found = inbox.listed(g.staff, status)
    return render_template(
        "staff/inbox.html", status=status, counts=inbox.counts_by_status(g.staff), referrals=found,
        overdue={referral.id for referral in found if inbox.overdue(referral, today)}, today=today,
        districts={district.slug: district.name for district in current_app.extensions["site_settings"].districts},
    )


@bp.route("/referrals/<reference>", methods=["GET", "POST"])
@team_required
def referral(reference):
    referral = _find(reference)
    form = StatusForm(data={"status": referral.status})
    if request.method == "POST" and form.validate_on_submit():
        if form.status.data != referral.status or form.note.data:
            inbox.change_status(g.staff, referral, form.status.data, (form.note.data or "").strip())
        return redirect(url_for("staff.referral", reference=referral.reference), 303)
    inbox.audit(g.staff, referral, "view")
    problems = form_error_list(form)
    return _show(referral, "staff/referral.html", form=form, problems=problems, error_title=bool(problems), close=CloseForm())


@bp.post("/referrals/<reference>/close")
@team_required
def close(reference):
    referral = _find(reference)
    if CloseForm().validate_on_submit() and referral.status != "closed":
        inbox.change_status(g.staff, referral, "closed", "")
    return redirect(url_for("staff.referral", reference=referral.reference), 303)


@bp.get("/referrals/<reference>/export.json")
@team_required
def export(reference):
    referral = _find(reference)
    inbox.audit(g.staff, referral, "export")
    response = jsonify(inbox.exported(referral, current_app.extensions["site_settings"]))
    response.headers["Content-Disposition"] = f'attachment; filename="referral-{referral.reference}.json"'
    return response


@bp.get("/referrals/<reference>/print")
@team_required
def printable(reference):
    referral = _find(reference)
    inbox.audit(g.staff, referral, "print")
    return _show(referral, "staff/print.html", printed_at=clock.utc_now())


@bp.get("/audit")
@admin_required
def audit():
    page = request.args.get("page", "1")
    page = int(page) if is_whole_number(page) and 0 < len(page) < 6 and int(page) > 0 else 1
    reference = request.args.get("reference", "").strip().upper()
    query = db.select(ReferralAudit).order_by(ReferralAudit.at.desc(), ReferralAudit.id.desc())
    if reference and looks_like_reference(reference):
        query = query.where(ReferralAudit.reference == reference)
    elif reference:
        reference = ""
    rows = db.session.scalars(query.offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)).all()
    return render_template(
        "staff/audit.html", rows=rows[:AUDIT_PAGE_SIZE], page=page, more=len(rows) > AUDIT_PAGE_SIZE,
        reference=reference,
    )


def _find(reference):
    reference = (reference or "").upper()
    if not looks_like_reference(reference):
        abort(404)
    return inbox.find_for(g.staff, reference)


def _show(referral, template, **more):
    settings = current_app.extensions["site_settings"]
    return render_template(
        template, referral=referral, answers=vault().open(referral.answers), history=inbox.history(referral),
        district=settings.district(referral.district), overdue=inbox.overdue(referral),
        need_labels=dict(need_labels(referral.referrer == "young-person")),
        contact_labels=CONTACT_LABELS, time_labels=TIME_LABELS, **more,
    )
