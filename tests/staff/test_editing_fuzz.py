"""Whatever an editor or admin types into, or forges for, the directory's and the accounts' forms:
a page with a clear message, or a saved draft, never a server error."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models.service_change import ServiceChange
from tests.fuzzing import error_summary
from tests.pages import parse
from tests.search.test_fuzz import text
from tests.staff.test_accounts import admin_client
from tests.staff.test_editing import WORCESTER, changed, editor, form_fields, post_form, service_named
from tests.staff.test_staff import add_user, token_on

pytestmark = pytest.mark.usefixtures("restore_demo")

SERVICE_FIELDS = [
    "name", "organisation", "description", "alert", "url", "email", "phone", "phone_description", "contact_email",
    "minimum_age", "maximum_age", "need_levels", "categories", "cost", "amount", "fees", "sessions-0-days",
    "sessions-0-opens", "sessions-0-closes", "sessions-3-note", "schedule_note", "place_1", "new_place_address_1",
    "new_place_town", "new_place_postcode", "areas", "languages", "checked", "when", "publish-day", "publish-month",
    "publish-year", "summary", "service_id",
]
REAL = st.sampled_from(["\x00", "", "0", "7", "121", "-1", "3.5", "£2.999", "1e9", "NaN", "paid", "free", "date", "approved",
                        "MO", "SU", "XX", "09:30", "24:00", "9.15", "WR4 9RT", "ZZ99 9ZZ", "Worcester", "Redditch", "pl", "xx",
                        "https://example.org", "javascript:alert(1)", "a@example.org", "29", "2", "2028", "9" * 20, "y"])
VALUE = st.one_of(text, REAL, st.lists(st.one_of(REAL, text), max_size=4))


@settings(max_examples=60)
@given(form=st.dictionaries(st.sampled_from(SERVICE_FIELDS), VALUE, min_size=1, max_size=6))
def test_any_answers_on_the_service_form(app, runner, form):
    client, service_id = _editor(app, runner)
    page = client.get(f"/staff/services/{service_id}/edit")
    before = _changes(app)
    response = post_form(client, f"/staff/services/{service_id}/edit", changed(form_fields(page), **form))
    assert response.status_code in (200, 303), form
    if response.status_code == 200:
        assert error_summary(parse(response)), form  # said what is wrong
        assert _changes(app) == before
    else:
        assert _changes(app) == before + 1


def _changes(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(ServiceChange))


_made = {}


@pytest.fixture(autouse=True)
def _fresh():
    """Each test makes its own staff and change: the demo (and its changes) is put back after each."""
    _made.clear()


def _editor(app, runner):
    """One editor (signed in) for all of a test's examples on this database, and the service they change."""
    key = ("editor", id(app))
    if key not in _made:
        _made[key] = (editor(app, runner), service_named(app, WORCESTER)[0])
    return _made[key]


@settings(max_examples=40)
@given(form=st.dictionaries(st.sampled_from(["status", "when", "note", "on-day", "on-month", "on-year"]), VALUE, min_size=1))
def test_any_answers_on_the_status_form(app, runner, form):
    client, service_id = _editor(app, runner)
    page = client.get(f"/staff/services/{service_id}")
    response = post_form(client, f"/staff/services/{service_id}/status", changed([("csrf_token", token_on(page))], **form))
    assert response.status_code in (303, 400), form
    if response.status_code == 400:
        assert error_summary(parse(response)), form


@settings(max_examples=40)
@given(form=st.dictionaries(st.sampled_from(["name", "email", "roles", "districts"]), VALUE, min_size=1))
def test_any_answers_on_the_invite_form(app, runner, form):
    key = ("admin", id(app))
    if key not in _made:
        _made[key] = admin_client(app, runner)[0]
    client = _made[key]
    page = client.get("/staff/users/invite")
    response = post_form(client, "/staff/users/invite", changed([("csrf_token", token_on(page))], **form))
    assert response.status_code in (200, 303), form
    if response.status_code == 200:
        assert error_summary(parse(response)), form


@settings(max_examples=30)
@given(form=st.dictionaries(st.sampled_from(["roles", "districts"]), VALUE, min_size=1))
def test_any_answers_on_the_roles_and_districts_form(app, runner, form):
    key = ("admin", id(app))
    if key not in _made:
        _made[key] = admin_client(app, runner)[0]
    client = _made[key]
    member_key = ("member", id(app))
    if member_key not in _made:
        from tests.staff.test_accounts import member

        _made[member_key] = member(app, add_user(runner)).id
    path = f"/staff/users/{_made[member_key]}/access"
    response = post_form(client, path, changed([("csrf_token", token_on(client.get(path)))], **form))
    assert response.status_code in (200, 303), form
    if response.status_code == 200:
        assert error_summary(parse(response)), form


@settings(max_examples=30)
@given(form=st.dictionaries(st.sampled_from(["topic", "details", "website"]), VALUE, min_size=1))
def test_any_answers_on_the_public_report_form(app, form):
    slug = service_named(app, WORCESTER)[1]
    response = post_form(app.test_client(), f"/services/{slug}/report", list(form.items()) if not any(
        isinstance(value, list) for value in form.values()) else changed([], **form))
    assert response.status_code in (200, 303), form
    if response.status_code == 200:
        assert error_summary(parse(response)), form


@settings(max_examples=30)
@given(what=st.sampled_from(["approve", "reject", "withdraw", "approve-all"]), note=VALUE)
def test_any_decision_on_a_change(app, runner, what, note):
    client, service_id = _editor(app, runner)
    change_key = ("change", id(app))
    if change_key not in _made:
        data = form_fields(client.get(f"/staff/services/{service_id}/edit"))
        saved = post_form(client, f"/staff/services/{service_id}/edit", changed(data, alert="Fuzzing"))
        _made[change_key] = saved.headers["Location"].rsplit("/", 1)[1]
    number = _made[change_key]
    page = client.get(f"/staff/changes/{number}")
    response = post_form(client, f"/staff/changes/{number}/{what}", changed([("csrf_token", token_on(page))], note=note))
    assert response.status_code in (303, 400), (what, note)


@settings(max_examples=30)
@given(form=st.dictionaries(st.sampled_from(SERVICE_FIELDS), VALUE, min_size=1, max_size=6))
def test_any_answers_on_the_new_service_form(app, runner, form):
    client, _ = _editor(app, runner)
    page = client.get("/staff/services/new")
    before = _changes(app)
    response = post_form(client, "/staff/services/new", changed(form_fields(page), **form))
    assert response.status_code in (200, 303, 404), form  # 404: a forged id of a service that exists
    if response.status_code == 200:
        assert error_summary(parse(response)), form
        assert _changes(app) == before


@settings(max_examples=30)
@given(form=st.dictionaries(st.sampled_from(["outcome", "note"]), VALUE, min_size=1))
def test_any_answers_on_a_reports_form(app, runner, form):
    client, _ = _editor(app, runner)
    key = ("report", id(app))
    if key not in _made:
        slug = service_named(app, WORCESTER)[1]
        app.test_client().post(f"/services/{slug}/report", data={"topic": "times"})
        with app.app_context():
            from app.models import ServiceReport

            _made[key] = db.session.scalar(db.select(db.func.max(ServiceReport.id)))
    path = f"/staff/reports/{_made[key]}"
    response = post_form(client, path, changed([("csrf_token", token_on(client.get(path)))], **form))
    assert response.status_code in (200, 303, 400), form
    if response.status_code == 400:
        assert error_summary(parse(response)), form
