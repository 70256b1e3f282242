"""The self-referral form: one topic per page, check your answers, then a reference.

Answers are kept in an encrypted server-side draft (``drafts.py``); the session
cookie points to it. Bots are caught two ways without bothering people: a
hidden ``website`` field that only they fill in, and a form finished faster
than a person could read it. Either way they see the same confirmation a person
would, and nothing is stored or sent.
"""

from datetime import timedelta
from functools import wraps

from flask import abort, current_app, redirect, render_template, request, session, url_for

from app import clock
from app.analytics.counting import note
from app.extensions import csrf, db, limiter
from app.journey.labels import need_labels
from app.journey.rules import NEEDS
from app.models import ReferralDraft
from app.referral import bp, forms
from app.referral.deadlines import decide_by
from app.referral.drafts import SENT_KEY, current_draft, session_key, start_draft
from app.referral.steps import MOST_ADULTS, MOST_CHILDREN, first_not_done, may_visit, step_after, steps_for
from app.referral.store import sent_from, stand_in_reference, submit
from app.request_limits import from_another_site


@bp.after_request
def never_stored(response):
    # These pages hold what a family typed: no browser or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


def with_draft(view):
    """Open the visitor's draft, or explain that there is none (never started, sent, or expired)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        draft = current_draft()
        if draft is None:
            key = session_key()
            if key and sent_from(key) is not None:
                return redirect(url_for("referral.sent"), 303)
            return render_template("refer/start.html", ended=key is not None, draft=None)
        if request.method == "POST" and request.form.get("website"):
            draft.trapped = True
        return view(draft, *args, **kwargs)

    return wrapper


@bp.get("")
def start():
    draft = current_draft()
    return render_template("refer/start.html", ended=False, draft=draft)


def _start_limit():
    return current_app.config["REFERRAL_START_RATE_LIMIT"]


@bp.post("/start")
@csrf.exempt  # journey pages set no cookie, so they carry no token: the checks below stand in for it
@limiter.limit(_start_limit)
def begin():
    if from_another_site():
        # Another site's page may not start (or replace) a visitor's draft: show them the start page.
        return redirect(url_for("referral.start"), 303)
    draft = current_draft()
    needs = [need for need in request.form.getlist("need") if need in NEEDS]
    who = {"parent": "parent", "expecting": "parent", "young-person": "young-person"}.get(request.form.get("who", ""))
    if request.form.get("who") == "professional":
        return redirect(url_for("referral.professional"), 303)
    if draft is None or request.form.get("again"):
        answers = {}
        if who:
            answers["who"] = who
        if needs:
            answers["help"] = {"need": needs, "more": ""}
        draft = start_draft(answers)
        note("event", "referral-start")
    elif needs and "help" not in draft.answers:
        draft.answers["help"] = {"need": needs, "more": ""}
        draft.save()
    return redirect(_page_url(first_not_done(draft.answers)), 303)


@bp.get("/professional")
def professional():
    return render_template("refer/professional.html")


def _page_url(step, **values):
    if step == "children":
        return url_for("referral.people", kind="children", **values)
    if step == "adults":
        return url_for("referral.people", kind="adults", **values)
    if step == "check":
        return url_for("referral.check")
    return url_for("referral.page", step=step, **values)


def _after(step, draft):
    """Where to go after a page is answered: on through the form, or back to check your answers."""
    if request.args.get("change"):
        return _page_url(first_not_done(draft.answers))
    return _page_url(step_after(step, draft.answers))


def _back(step, draft):
    if request.args.get("change"):
        return url_for("referral.check")
    order = steps_for(draft.answers)
    if step in order and order.index(step) > 0:
        return _page_url(order[order.index(step) - 1])
    return url_for("referral.start")


# The pages with one form each (their template is refer/<step>.html). Children and adults are lists, below.
SIMPLE = {
    "who": forms.WhoForm,
    "about-you": forms.AboutYouForm,
    "address": forms.AddressForm,
    "help": forms.HelpForm,
    "tried": forms.TriedForm,
    "language": forms.LanguageForm,
    "contact": forms.ContactForm,
    "safe-contact": forms.SafeContactForm,
    "consent": forms.ConsentForm,
}


def _form_for(step, draft):
    stored = {"who": draft.answers.get("who")} if step == "who" else draft.answers.get(step, {})
    settings = current_app.extensions["site_settings"]
    extra = {
        "about-you": {"today": clock.now().date()},
        "address": {"settings": settings},
        "contact": {"needs_name": draft.answers.get("who") == "parent"},
    }.get(step, {})
    # Stored answers fill the page when it is opened; a POST is read on its own, so an
    # unticked box or emptied field is not quietly filled in from before.
    return SIMPLE[step](data=stored if request.method == "GET" else None, **extra)


@bp.route("/<any(who, 'about-you', address, help, tried, language, contact, 'safe-contact', consent):step>", methods=["GET", "POST"])
@with_draft
def page(draft, step):
    if not may_visit(step, draft.answers):
        return redirect(_page_url(first_not_done(draft.answers)), 303)
    form = _form_for(step, draft)
    dates = [form.birth] if step == "about-you" else []
    if request.method == "POST":
        if form.validate():
            if step == "who" and form.who.data == "professional":
                draft.save()
                return redirect(url_for("referral.professional"), 303)
            _store(step, form, draft)
            draft.save()
            return redirect(_after(step, draft), 303)
        draft.save()
    return _render_step(step, draft, form, dates, status=200)


def _store(step, form, draft):
    data = {name: field.data for name, field in form._fields.items() if name not in ("csrf_token", "website")}
    for name, value in data.items():
        if isinstance(value, str):
            data[name] = value.strip()
    if step == "who":
        draft.answers["who"] = data["who"]
        return
    if step == "about-you":
        data["birth"] = form.birth.value.isoformat()
    if step == "address":
        data["district"] = form.district.slug
    if step == "consent":
        data["contact"] = True
    draft.answers[step] = data


def _render_step(step, draft, form, dates, status=200, **more):
    found = forms.problems(form, *dates)
    return render_template(
        f"refer/{step}.html",
        form=form,
        problems=found,
        error_title=bool(found),
        young=draft.answers.get("who") == "young-person",
        back=_back(step, draft),
        need_labels=need_labels(draft.answers.get("who") == "young-person"),
        contact_labels=forms.CONTACT_LABELS,
        time_labels=forms.TIME_LABELS,
        **more,
    ), status


# Lists of people: children (for a parent or carer) and the adults at home.
PEOPLE = {
    "children": ("child", forms.ChildForm, MOST_CHILDREN),
    "adults": ("adult", forms.AdultForm, MOST_ADULTS),
}


@bp.route("/<any(children, adults):kind>", methods=["GET", "POST"])
@with_draft
def people(draft, kind):
    if not may_visit(kind, draft.answers):
        return redirect(_page_url(first_not_done(draft.answers)), 303)
    one, _form, most = PEOPLE[kind]
    listed = draft.answers.get(kind, [])
    if kind == "children" and not listed:
        return redirect(url_for("referral.person", kind=one, number=1, **_change()), 303)
    form = forms.AnotherForm()
    if request.method == "POST":
        if form.validate():
            if form.another.data == "yes" and len(listed) < most:
                draft.save()
                return redirect(url_for("referral.person", kind=one, number=len(listed) + 1, **_change()), 303)
            draft.answers[f"{kind}_done"] = True
            draft.answers.setdefault(kind, [])
            draft.save()
            return redirect(_after(kind, draft), 303)
        draft.save()
    return render_template(
        "refer/people.html", kind=kind, one=one, listed=listed, most=most, form=form,
        problems=forms.problems(form), error_title=bool(form.errors), young=draft.answers.get("who") == "young-person",
        back=_back(kind, draft), change=request.args.get("change"),
    )


def _change():
    return {"change": 1} if request.args.get("change") else {}


@bp.route("/<any(child, adult):kind>/<int:number>", methods=["GET", "POST"])
@with_draft
def person(draft, kind, number):
    group = "children" if kind == "child" else "adults"
    if not may_visit(group, draft.answers):
        return redirect(_page_url(first_not_done(draft.answers)), 303)
    _one, form_class, most = PEOPLE[group]
    listed = draft.answers.setdefault(group, [])
    if not 1 <= number <= min(len(listed) + 1, most):
        abort(404)
    stored = listed[number - 1] if number <= len(listed) else {}
    extra = {"today": clock.now().date()} if kind == "child" else {}
    form = form_class(data=stored if request.method == "GET" else None, **extra)
    dates = [form.birth, form.due] if kind == "child" else []
    if request.method == "POST":
        if form.validate():
            person = {name: (field.data or "").strip() for name, field in form._fields.items() if name not in ("csrf_token", "website")}
            if kind == "child":
                person["birth"] = form.birth.value.isoformat() if person["born"] == "yes" else ""
                person["due"] = form.due.value.isoformat() if person["born"] == "no" else ""
            if number <= len(listed):
                listed[number - 1] = person
            else:
                listed.append(person)
            draft.save()
            return redirect(url_for("referral.people", kind=group, **_change()), 303)
        draft.save()
    found = forms.problems(form, *dates)
    return render_template(
        f"refer/{kind}.html", form=form, dates=dates, problems=found, error_title=bool(found), number=number,
        young=draft.answers.get("who") == "young-person",
        back=url_for("referral.people", kind=group, **_change()) if listed else _back(group, draft),
    )


@bp.post("/<any(children, adults):kind>/<int:number>/remove")
@with_draft
def remove(draft, kind, number):
    listed = draft.answers.get(kind, [])
    if 1 <= number <= len(listed):
        del listed[number - 1]
        if kind == "children" and not listed:
            draft.answers["children_done"] = False
    draft.save()
    return redirect(url_for("referral.people", kind=kind, **_change()), 303)


def _submission_limit():
    return current_app.config["REFERRAL_RATE_LIMIT"]


@bp.route("/check", methods=["GET", "POST"])
@limiter.limit(_submission_limit, methods=["POST"])
@with_draft
def check(draft):
    if not may_visit("check", draft.answers):
        return redirect(_page_url(first_not_done(draft.answers)), 303)
    form = forms.SubmitForm()
    if request.method == "POST" and form.validate():
        too_quick = clock.utc_now() - draft.started_at < timedelta(seconds=current_app.config["REFERRAL_MIN_SECONDS"])
        if draft.trapped or too_quick:
            # A bot: it is told what a person is told, and nothing is kept or sent.
            db.session.query(ReferralDraft).filter_by(key=draft.key).delete()
            db.session.commit()
            session[SENT_KEY] = int(clock.now().timestamp())
            return redirect(url_for("referral.sent"), 303)
        # The referral and its team email are committed together; the worker sends
        # the email. Nothing here waits on the mail server.
        submit(draft)
        note("event", "referral-submit")
        return redirect(url_for("referral.sent"), 303)
    settings = current_app.extensions["site_settings"]
    district = settings.district(draft.answers.get("address", {}).get("district", ""))
    return render_template(
        "refer/check.html", answers=draft.answers, form=form, young=draft.answers.get("who") == "young-person",
        district=district, need_labels=dict(need_labels(draft.answers.get("who") == "young-person")),
        contact_labels=forms.CONTACT_LABELS, time_labels=forms.TIME_LABELS,
        back=_page_url("consent"),
    )


@bp.get("/sent")
def sent():
    """The confirmation, found from the draft the session pointed to: the cookie holds no reference.

    It is shown for ``REFERRAL_SHOWN_MINUTES`` after sending, so that whoever uses
    the browser later does not see it; Exit this page ends it at once.
    """
    key, now = session_key(), clock.utc_now()
    shown_for = timedelta(minutes=current_app.config["REFERRAL_SHOWN_MINUTES"])
    referral = sent_from(key) if key else None
    if referral is not None and now - referral.received_at <= shown_for:
        reference = referral.reference
    elif referral is None and key and isinstance(session.get(SENT_KEY), int) \
            and clock.now().timestamp() - session[SENT_KEY] <= shown_for.total_seconds():
        reference = stand_in_reference(key)  # what a bot is shown
    else:
        session.pop(SENT_KEY, None)
        return redirect(url_for("referral.start"), 303)
    return render_template("refer/sent.html", reference=reference, decide_by=decide_by(clock.now().date()))


@bp.get("/teams")
def teams():
    return render_template("refer/teams.html")
