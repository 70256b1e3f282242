"""Whatever is typed into, or forged for, any field of the self-referral or the staff forms:
a page with a clear message, never a server error.

Each example starts from a fresh, fully answered draft: the form is filled in
once, and each example gets a new visitor whose new draft holds those answers,
made as the app makes one (``start_draft``), so no example sees another's changes.
"""

import pytest
from flask import session
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.journey.rules import NEEDS
from app.referral.drafts import current_draft, start_draft
from tests.fuzzing import error_summary, location_path
from tests.pages import heading, parse
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, token
from tests.search.test_fuzz import text

FIELDS = {
    "who": ["who"],
    "about-you": ["name", "birth-day", "birth-month", "birth-year", "send", "school"],
    "child/1": ["born", "name", "birth-day", "birth-month", "birth-year", "due-day", "due-month", "due-year", "school"],
    "children": ["another"],
    "adult/1": ["name", "relationship"],
    "adults": ["another"],
    "address": ["line1", "line2", "town", "postcode"],
    "help": ["need", "more"],
    "tried": ["tried"],
    "language": ["languages", "interpreter"],
    "contact": ["name", "methods", "phone", "email"],
    "safe-contact": ["call", "voicemail", "text", "letter", "times", "notes"],
    "consent": ["contact", "share"],
}
REAL = st.sampled_from(["\x00", "yes", "no", "y", "parent", "young-person", "professional", "phone", "text", "email", "letter",
                        "morning", "WR1 2AB", "LS1 4AP", "29", "2", "2012", "31", "9" * 20, "07700 900123", "a@example.org",
                        *NEEDS])
VALUE = st.one_of(text, REAL, st.lists(st.one_of(REAL, text), max_size=4))
NOT_FOUND, TIMED_OUT = "Page not found", "This page timed out"


def answers_in(client):
    """The answers of this client's draft, read through the app's own code."""
    with client:
        assert client.get("/refer/check").status_code == 200  # every page answered
        return current_draft().answers


def new_visitor(app, answers):
    """A new client whose session points to a new draft holding ``answers``."""
    client = app.test_client()
    with client.session_transaction() as cookie, app.test_request_context():
        start_draft(answers)
        cookie.update(session)
    return client


def visitors(app, persona):
    """A maker of new visitors, each with a new draft that has every page answered as ``persona`` answers."""
    filled_in = app.test_client()
    fill_in(filled_in, persona, send=False)
    answers = answers_in(filled_in)
    return lambda: new_visitor(app, answers)


@pytest.fixture
def parent(app):
    return visitors(app, PARENT)


@pytest.fixture
def young_person(app):
    return visitors(app, YOUNG_PERSON)


def check(client, page, form):
    """Send ``form`` from ``page`` (changing an answer) and look at what comes back."""
    response = client.post(f"/refer/{page}?change=1", data={**form, "csrf_token": token(client.get(f"/refer/{page}?change=1"))})
    assert response.status_code in (200, 303), (page, form)
    assert response.headers["Cache-Control"] == "no-store"
    if response.status_code == 200:
        assert error_summary(parse(response)), (page, form)  # a page that did not move on says why, at the field
    else:  # on to the next page of the form (or back to check your answers)
        goes_to = location_path(response)
        assert goes_to.startswith("/refer/"), (page, form, goes_to)
        shown = client.get(goes_to)
        assert shown.status_code == 200 and error_summary(parse(shown)) == [], goes_to


@settings(max_examples=200)
@given(page=st.sampled_from([page for page in FIELDS if page != "about-you"]), data=st.data())
def test_any_answers_on_a_parents_pages(parent, page, data):
    form = data.draw(st.dictionaries(st.sampled_from(FIELDS[page] + ["website", "step"]), VALUE, max_size=len(FIELDS[page]) + 1))
    check(parent(), page, form)


@settings(max_examples=60)
@given(form=st.dictionaries(st.sampled_from(FIELDS["about-you"]), VALUE, max_size=6))
def test_any_answers_about_a_young_person(young_person, form):
    check(young_person(), "about-you", form)


def shows(client, response, path):
    """What a person sees at an address under /refer: a page of the form, or a page that says what happened."""
    page = parse(response)
    if response.status_code in (404, 405):  # a 405 (a GET-only page posted to) shows the not-found page too
        assert heading(page) == NOT_FOUND, path
    elif response.status_code == 400:  # a form posted without its token
        assert heading(page) == TIMED_OUT and page.find("a", href="/refer"), path
    elif response.status_code in (303, 308):  # 308: Werkzeug merging a doubled slash
        goes_to = location_path(response)
        assert goes_to.startswith("/refer"), (path, goes_to)
        assert heading(parse(client.get(goes_to))) not in ("", NOT_FOUND, TIMED_OUT), (path, goes_to)
    else:
        assert response.status_code == 200, path
        assert heading(page) not in ("", NOT_FOUND, TIMED_OUT) and error_summary(page) == [], path


@settings(max_examples=60)
@given(path=st.one_of(text, st.sampled_from(["child/0", "child/-1", "child/999999999999999999", "adult/3", "check",
                                              "children/7/remove", "sent", "start", "nothing"])),
       form=st.dictionaries(st.sampled_from(["need", "who", "again", "another"]), VALUE, max_size=3))
@example(path="start", form={"again": "1", "need": "behaviour"})
@example(path="start", form={"who": "professional"})
@example(path="/check", form={})
@example(path="children/1/remove", form={})
def test_any_address_under_refer(parent, path, form):
    client = parent()
    path = "".join(ch for ch in path if ch.isprintable() and ch not in "?#%\\")[:200]
    response = client.get(f"/refer/{path}")
    assert response.status_code in (200, 303, 308, 404, 405), path
    shows(client, response, path)
    response = client.post(f"/refer/{path}", data=form)
    # Only /refer/start takes a form without its token (it only opens a draft); any other is timed out.
    assert response.status_code in ((303,) if path == "start" else (308, 400, 404, 405)), path
    shows(client, response, path)


def sign_in_problems(form):
    """What the sign-in page must say, in order, for what was typed."""
    email, password = form.get("email") or "", form.get("password") or ""
    missing = [words for words, value, longest in (("Enter your email address", email, 254),
                                                    ("Enter your password", password, 200))
               if not value or len(value) > longest]
    return missing or ["Enter the email address and password for your account"]


@settings(max_examples=80)
@given(form=st.dictionaries(st.sampled_from(["email", "password"]), st.one_of(text, REAL), max_size=2),
       status=st.one_of(text, st.sampled_from(["new", "closed", ""])))
@example(form={"email": "a@example.org", "password": "no"}, status="new")
@example(form={"email": " ", "password": "x" * 201}, status="")
def test_any_sign_in_and_inbox_query(app, form, status):
    client = app.test_client()
    page = client.get("/staff/sign-in")
    response = client.post("/staff/sign-in", data={**form, "csrf_token": token(page)})
    assert response.status_code == 200
    expected = sign_in_problems(form)
    refused = expected == ["Enter the email address and password for your account"]
    # A refusal is said in the summary only (linked to the email box), not at a field: see the report.
    problems = error_summary(parse(response), marked=not refused)
    said = [words for words, _field in problems]
    locked = refused and len(said) == 1 and said[0].startswith("This account is locked")  # "… Try again in 15 minutes"
    assert said == expected or locked, (form, said)
    inbox = client.get("/staff/referrals", query_string={"status": status})
    assert inbox.status_code == 303 and location_path(inbox) == "/staff/sign-in"  # not signed in: the sign-in page
    assert heading(parse(client.get("/staff/sign-in"))) == "Sign in"
