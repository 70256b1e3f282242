"""Editors change services in the browser: a draft, a second editor's approval, history, restore, scheduling."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Service
from app.models.service_change import ServiceChange, ServiceVersion
from tests import clock
from tests.fuzzing import error_summary
from tests.pages import heading, parse, text_of
from tests.staff.test_staff import add_user, sign_in, token_on

pytestmark = pytest.mark.usefixtures("restore_demo")  # the demo directory (and no history) back after each test

# A Worcester service of the demo directory.
WORCESTER = "Stay and Play at Warndon"


def service_named(app, name):
    with app.app_context():
        service = db.session.scalar(db.select(Service).where(Service.name == name))
        assert service is not None, name
        return service.id, service.slug


def editor(app, runner, districts=("worcester",)):
    client = app.test_client()
    email = add_user(runner, role="editor", districts=districts)
    assert sign_in(client, email).headers["Location"].endswith("/staff/services")
    return client


def form_fields(page):
    """What the form would send as it stands: every field's value, as a browser reads the page."""
    soup = parse(page)
    form = next(form for form in soup.select("main form[method=post]") if form.select_one("#name") is not None)
    data = []
    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            data.append((name, field.get_text()))
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data.append((name, chosen.get("value", "")))
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.append((name, field.get("value", "on")))
        else:
            data.append((name, field.get("value", "")))
    return data


def changed(data, **new):
    """The form's data with some fields set anew (a list value sets a multiple field)."""
    kept = [(name, value) for name, value in data if name not in new]
    for name, value in new.items():
        for one in value if isinstance(value, list) else [value]:
            kept.append((name, one))
    return kept


def post_form(client, path, data):
    from werkzeug.datastructures import MultiDict

    return client.post(path, data=MultiDict(data))


def test_an_editors_change_waits_for_a_second_editor_and_then_is_published(app, runner):
    service_id, slug = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    page = first.get(f"/staff/services/{service_id}/edit")
    assert page.status_code == 200
    data = form_fields(page)
    assert ("name", WORCESTER) in data
    saved = post_form(first, f"/staff/services/{service_id}/edit", changed(
        data, phone="01632 960999", **{"sessions-0-opens": "10:00", "sessions-0-closes": "11:45"},
        summary="New number and times from the centre"))
    assert saved.status_code == 303, error_summary(parse(saved))
    change_page = parse(first.get(saved.headers["Location"]))
    assert "It will be published when another editor approves it" in text_of(change_page.select_one(".govuk-notification-banner"))
    differences = {text_of(row.th): [text_of(cell) for cell in row.select("td")] for row in change_page.select("#differences tbody tr")}
    assert "01632 960999" in differences["Phone numbers"][1]
    assert "10:00 to 11:45" in differences["Sessions"][1]
    assert set(differences) == {"Phone numbers", "Sessions"}
    # Not yet public.
    assert "01632 960999" not in text_of(parse(first.get(f"/services/{slug}")).find("main"))
    # Its author cannot approve it.
    number = saved.headers["Location"].rsplit("/", 1)[1]
    refused = first.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(first.get(f"/staff/changes/{number}"))})
    assert refused.status_code == 400
    assert "You cannot approve your own change" in text_of(parse(refused).select_one(".govuk-error-summary"))
    # A second editor sees it waiting, and approves it.
    waiting = parse(second.get("/staff/changes"))
    assert WORCESTER in text_of(waiting.select_one("#to-approve"))
    approved = second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    assert approved.status_code == 303
    public = text_of(parse(first.get(f"/services/{slug}")).find("main"))
    assert "01632 960999" in public and "10am to 11:45am" in public
    found = text_of(parse(first.get("/services?q=stay+and+play")).find("main"))
    assert WORCESTER in found
    api = first.get(f"/api/services/{service_id}").get_json()
    assert [phone["number"] for phone in api["phones"]][0] == "01632 960999"
    # The history keeps the version before and the one published.
    history = parse(first.get(f"/staff/services/{service_id}/history"))
    rows = [[text_of(cell) for cell in row.select("td")] for row in history.select("#versions tbody tr")]
    assert [row[0] for row in rows] == ["2", "1"]
    assert "Edited" in rows[0][2] and "Approved by" in rows[0][2] and "As it was before editing here" in rows[1][2]


def test_a_rejected_change_is_not_published_and_says_why(app, runner):
    service_id, slug = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    data = form_fields(first.get(f"/staff/services/{service_id}/edit"))
    saved = post_form(first, f"/staff/services/{service_id}/edit", changed(data, name="Stay and Play at Warndon (renamed)"))
    number = saved.headers["Location"].rsplit("/", 1)[1]
    page = second.get(f"/staff/changes/{number}")
    no_note = second.post(f"/staff/changes/{number}/reject", data={"csrf_token": token_on(page)})
    assert no_note.status_code == 400
    assert error_summary(parse(no_note)) == [("Say why the change is rejected, so its editor can put it right", "note")]
    rejected = second.post(f"/staff/changes/{number}/reject", data={"note": "The centre kept its name", "csrf_token": token_on(page)})
    assert rejected.status_code == 303
    shown = text_of(parse(first.get(f"/staff/changes/{number}")).find("main"))
    assert "Rejected" in shown and "The centre kept its name" in shown
    assert service_named(app, WORCESTER)[1] == slug


def test_an_editor_of_another_district_and_a_team_member_are_refused(app, runner):
    service_id, _ = service_named(app, WORCESTER)
    elsewhere = editor(app, runner, districts=("wyre-forest",))
    for path in (f"/staff/services/{service_id}", f"/staff/services/{service_id}/edit", f"/staff/services/{service_id}/history",
                 f"/staff/services/new?copy={service_id}"):
        assert elsewhere.get(path).status_code == 404, path
    listed = text_of(parse(elsewhere.get("/staff/services")).select_one("#services"))
    assert WORCESTER not in listed and "Kidderminster" in listed
    team = app.test_client()
    sign_in(team, add_user(runner))
    for path in ("/staff/services", f"/staff/services/{service_id}", "/staff/changes", "/staff/services/new"):
        assert team.get(path).status_code == 404, path
    # A change in Worcester is not for a Wyre Forest editor to see or approve.
    first = editor(app, runner)
    data = form_fields(first.get(f"/staff/services/{service_id}/edit"))
    number = post_form(first, f"/staff/services/{service_id}/edit", changed(data, phone="01632 960998")).headers["Location"].rsplit("/", 1)[1]
    assert elsewhere.get(f"/staff/changes/{number}").status_code == 404
    assert elsewhere.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(elsewhere.get("/staff/changes"))}).status_code == 404
    for guessed in ("/staff/changes/99999999", "/staff/changes/abc", "/staff/services/no-such-service", "/staff/services/%00/edit"):
        assert first.get(guessed).status_code == 404, guessed


def test_restoring_a_version_makes_a_draft_of_it(app, runner):
    service_id, _ = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    data = form_fields(first.get(f"/staff/services/{service_id}/edit"))
    original_phone = dict(data)["phone"]
    number = post_form(first, f"/staff/services/{service_id}/edit", changed(data, phone="01632 960997")).headers["Location"].rsplit("/", 1)[1]
    second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    compared = parse(first.get(f"/staff/services/{service_id}/compare?from=1&to=2"))
    assert heading(compared) == "Version 1 and version 2"
    assert [text_of(row.th) for row in compared.select("#differences tbody tr")] == ["Phone numbers"]
    history = first.get(f"/staff/services/{service_id}/history")
    restored = first.post(f"/staff/services/{service_id}/versions/1/restore", data={"csrf_token": token_on(history)})
    assert restored.status_code == 303
    change = parse(first.get(restored.headers["Location"]))
    rows = {text_of(row.th): [text_of(cell) for cell in row.select("td")] for row in change.select("#differences tbody tr")}
    assert original_phone in rows["Phone numbers"][1] and "01632 960997" in rows["Phone numbers"][0]
    assert "Restores version 1" in text_of(change.find("main"))


def test_a_change_published_on_a_date_waits_for_it(app, app_with, runner):
    service_id, slug = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    data = form_fields(first.get(f"/staff/services/{service_id}/edit"))
    day = clock.today() + timedelta(days=3)
    saved = post_form(first, f"/staff/services/{service_id}/edit", changed(
        data, alert="Moving to the new hall", when="date",
        **{"publish-day": str(day.day), "publish-month": str(day.month), "publish-year": str(day.year)}))
    number = saved.headers["Location"].rsplit("/", 1)[1]
    approved = second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    assert approved.status_code == 303
    assert "Approved, to be published" in text_of(parse(second.get(f"/staff/changes/{number}")).find("h1"))
    assert "Moving to the new hall" not in text_of(parse(first.get(f"/services/{slug}")).find("main"))
    on_the_day = app_with(CLOCK=lambda: clock.at(day, 0, 5))
    result = on_the_day.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Moving to the new hall" in text_of(parse(first.get(f"/services/{slug}")).find("main"))
    with app.app_context():
        assert db.session.get(ServiceChange, int(number)).state == "published"


@pytest.mark.parametrize("status, shown", [("temporarily closed", "temporarily closed"), ("defunct", "closed")])
def test_closing_a_service_goes_through_approval(app, runner, status, shown):
    service_id, slug = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    page = first.get(f"/staff/services/{service_id}")
    saved = first.post(f"/staff/services/{service_id}/status", data={"status": status, "when": "now", "csrf_token": token_on(page)})
    assert saved.status_code == 303
    number = saved.headers["Location"].rsplit("/", 1)[1]
    second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    public = first.get(f"/services/{slug}")
    assert shown in text_of(parse(public).find("main")).lower()


def test_the_service_form_says_what_is_wrong(app, runner):
    service_id, _ = service_named(app, WORCESTER)
    first = editor(app, runner)
    data = form_fields(first.get(f"/staff/services/{service_id}/edit"))
    wrong = post_form(first, f"/staff/services/{service_id}/edit", changed(
        data, name="", url="example.org", minimum_age="7", maximum_age="3", new_place_postcode="ZZ99 9ZZ",
        **{"sessions-1-opens": "25:00", "sessions-1-days": "MO"}))
    assert wrong.status_code == 200
    assert [text for text, _ in error_summary(parse(wrong))] == [
        "Enter the name of the service",
        "Enter a web address starting with https://, like https://example.org",
        "The oldest age must be the same as or more than the youngest",
        "Enter the time the session starts, like 09:30",
        "Enter the first line of the new place’s address",
        "Enter the new place’s town or city",
        "We could not find this postcode. Check it and enter it again",
    ]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ServiceChange)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(ServiceVersion)) == 0


def test_a_new_service_at_a_new_place_found_from_its_postcode(app, runner):
    first, second = editor(app, runner), editor(app, runner)
    page = first.get("/staff/services/new")
    assert heading(parse(page)) == "Add a service"
    data = form_fields(page)
    with app.app_context():
        from app.models import Organization

        organisation = db.session.scalar(db.select(Organization.id).order_by(Organization.name))
    saved = post_form(first, "/staff/services/new", changed(
        data, name="Dads' breakfast club – Barbourne", organisation=organisation, description="Breakfast and play for dads and their children.",
        cost="free", new_place_name="Barbourne Community Room", new_place_address_1="3 Lantern Row", new_place_town="Worcester",
        new_place_postcode="wr1 2qb", areas="Worcester", **{"sessions-0-days": "SA", "sessions-0-opens": "9:00", "sessions-0-closes": "10.30"}))
    assert saved.status_code == 303, error_summary(parse(saved))
    number = saved.headers["Location"].rsplit("/", 1)[1]
    change = parse(second.get(f"/staff/changes/{number}"))
    rows = {text_of(row.th): [text_of(cell) for cell in row.select("td")] for row in change.select("#differences tbody tr")}
    assert rows["Places"][1] == "Barbourne Community Room, 3 Lantern Row, Worcester, WR1 2QB"
    assert rows["Sessions"][1] == "Saturday 09:00 to 10:30" and rows["Places"][0] == "(empty)"
    second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    with app.app_context():
        service = db.session.scalar(db.select(Service).where(Service.name == "Dads' breakfast club – Barbourne"))
        place = service.service_at_locations[0].location
        assert (place.latitude, place.longitude) != (None, None)
        service_id, slug = service.id, service.slug
    api = first.get(f"/api/services/{service_id}").get_json()
    assert api["service_at_locations"][0]["location"]["latitude"] == place.latitude
    assert "Barbourne Community Room" in text_of(parse(first.get(f"/services/{slug}")).find("main"))
    found = text_of(parse(first.get("/services?q=dads+breakfast&postcode=WR1+2QB")).find("main"))
    assert "Dads' breakfast club – Barbourne" in found
    # Duplicated as another: a copy with new ids, and the same place.
    copy = first.get(f"/staff/services/new?copy={service_id}")
    copied = dict(form_fields(copy))
    assert copied["name"] == "Copy of Dads' breakfast club – Barbourne" and copied["place_1"] == place.id
    assert copied["service_id"] != service_id


def test_an_admin_who_is_not_an_editor_cannot_edit(app, runner):
    service_id, _ = service_named(app, WORCESTER)
    admin = app.test_client()
    sign_in(admin, add_user(runner, role="admin", districts=()))
    for path in ("/staff/services", f"/staff/services/{service_id}/edit", "/staff/changes", "/staff/reports", "/staff/review",
                 "/staff/pages"):
        assert admin.get(path).status_code == 404, path
    token = token_on(admin.get("/staff/account"))
    assert admin.post(f"/staff/services/{service_id}/checked", data={"csrf_token": token}).status_code == 404


def test_a_new_services_form_cannot_take_over_a_colleagues_waiting_new_service(app, runner):
    worcester, wyre_forest = editor(app, runner), editor(app, runner, districts=("wyre-forest",))
    page = wyre_forest.get("/staff/services/new")
    data = form_fields(page)
    with app.app_context():
        from app.models import Organization

        organisation = db.session.scalar(db.select(Organization.id).order_by(Organization.name))
    answers = dict(name="Toy library – Stourport", organisation=organisation, description="Borrow toys.", cost="free",
                   areas="Wyre Forest")
    saved = post_form(wyre_forest, "/staff/services/new", changed(data, **answers))
    assert saved.status_code == 303
    theirs = dict(data)["service_id"]
    mine = form_fields(worcester.get("/staff/services/new"))
    forged = post_form(worcester, "/staff/services/new", changed(mine, service_id=theirs, **dict(answers, areas="Worcester")))
    assert forged.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(ServiceChange.state).where(ServiceChange.service_id == theirs)) == "draft"


def test_a_change_waiting_for_its_date_keeps_what_was_published_meanwhile(app, app_with, runner):
    service_id, slug = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    day = clock.today() + timedelta(days=5)
    page = first.get(f"/staff/services/{service_id}")
    closing = first.post(f"/staff/services/{service_id}/status", data={
        "status": "temporarily closed", "when": "date", "on-day": str(day.day), "on-month": str(day.month), "on-year": str(day.year),
        "csrf_token": token_on(page)}).headers["Location"].rsplit("/", 1)[1]
    second.post(f"/staff/changes/{closing}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{closing}"))})
    # Meanwhile: a new phone number, drafted, approved and published. The closure waits on.
    data = form_fields(first.get(f"/staff/services/{service_id}/edit"))
    number = post_form(first, f"/staff/services/{service_id}/edit", changed(data, phone="01632 960555")).headers["Location"].rsplit("/", 1)[1]
    second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    shown = text_of(parse(first.get(f"/staff/services/{service_id}")).find("main"))
    assert f"See change {closing}" in shown and "to be published on" in shown
    # A "Checked, nothing changed" does not cancel it either.
    first.post(f"/staff/services/{service_id}/checked", data={"csrf_token": token_on(first.get(f"/staff/services/{service_id}"))})
    on_the_day = app_with(CLOCK=lambda: clock.at(day, 0, 10))
    assert on_the_day.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
    public = text_of(parse(first.get(f"/services/{slug}")).find("main")).lower()
    assert "temporarily closed" in public and "01632 960555" in public  # closed, and the newer number kept
