"""Whatever is typed into, or forged for, any field of the self-referral or the staff forms:
a page with a clear message, never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.journey.rules import NEEDS
from tests.pages import parse, text_of
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
                        "morning", "WR1 2AB", "LS1 4AP", "29", "2", "2012", "31", "07700 900123", "a@example.org",
                        *NEEDS])
VALUE = st.one_of(text, REAL, st.lists(st.one_of(REAL, text), max_size=4))


def answered(client, persona):
    """A client whose draft has every page answered, so any page can be sent."""
    fill_in(client, persona, send=False)
    return client


@pytest.fixture
def parent(app):
    return answered(app.test_client(), PARENT)


@pytest.fixture
def young_person(app):
    return answered(app.test_client(), YOUNG_PERSON)


def check(client, page, form):
    response = client.post(f"/refer/{page}?change=1", data={**form, "csrf_token": token(client.get(f"/refer/{page}?change=1"))})
    assert response.status_code in (200, 303), (page, form)
    if response.status_code == 200:
        soup = parse(response)
        summary = soup.select(".govuk-error-summary__list a")
        assert summary, (page, form)  # a page that did not move on says why
        for link in summary:
            assert text_of(link) and soup.find(id=link["href"][1:]) is not None, (page, link)
    assert response.headers["Cache-Control"] == "no-store"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=st.sampled_from([page for page in FIELDS if page != "about-you"]), data=st.data())
def test_any_answers_on_a_parents_pages(parent, page, data):
    form = data.draw(st.dictionaries(st.sampled_from(FIELDS[page] + ["website", "step"]), VALUE, max_size=len(FIELDS[page]) + 1))
    check(parent, page, form)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(form=st.dictionaries(st.sampled_from(FIELDS["about-you"]), VALUE, max_size=6))
def test_any_answers_about_a_young_person(young_person, form):
    check(young_person, "about-you", form)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.one_of(text, st.sampled_from(["child/0", "child/-1", "child/999999999999999999", "adult/3", "check",
                                              "children/7/remove", "sent", "start", "nothing"])),
       form=st.dictionaries(st.sampled_from(["need", "who", "again", "another"]), VALUE, max_size=3))
def test_any_address_under_refer(parent, path, form):
    path = "".join(ch for ch in path if ch.isprintable() and ch not in "?#%\\")[:200]
    for response in (parent.get(f"/refer/{path}"), parent.post(f"/refer/{path}", data=form)):
        assert response.status_code in (200, 303, 400, 404, 405), path


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(form=st.dictionaries(st.sampled_from(["email", "password"]), st.one_of(text, REAL), max_size=2),
       status=st.one_of(text, st.sampled_from(["new", "closed", ""])))
def test_any_sign_in_and_inbox_query(app, form, status):
    client = app.test_client()
    page = client.get("/staff/sign-in")
    response = client.post("/staff/sign-in", data={**form, "csrf_token": token(page)})
    assert response.status_code == 200 and parse(response).select_one(".govuk-error-summary")
    assert client.get("/staff/referrals", query_string={"status": status}).status_code == 303
