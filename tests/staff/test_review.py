"""What editors keep up to date: services due for review and their weekly email, the content pages, and imports
that wait for approval."""

import json
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import OutboxMessage, Service, ServiceChange, StaffUser
from app.staff.review import months_before
from tests import clock
from tests.pages import heading, parse, text_of
from tests.staff.test_editing import WORCESTER, editor, service_named
from tests.staff.test_staff import token_on

pytestmark = pytest.mark.usefixtures("restore_demo")


def worcester_due(app):
    """Make one Worcester service last checked 7 months ago and every other one today: its name."""
    with app.app_context():
        today = clock.today()
        for service in db.session.scalars(db.select(Service)):
            service.assured_date = today
        service = db.session.scalar(db.select(Service).where(Service.name == WORCESTER))
        service.assured_date = months_before(today, 7)
        db.session.commit()
    return WORCESTER


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2027, 8, 31), 6) == date(2027, 2, 28)
    assert months_before(date(2028, 8, 31), 6) == date(2028, 2, 29)
    assert months_before(date(2027, 1, 15), 1) == date(2026, 12, 15)


def test_the_review_list_and_checked_nothing_changed(app, runner):
    name = worcester_due(app)
    worcester = editor(app, runner)
    page = parse(worcester.get("/staff/review"))
    rows = [[text_of(cell) for cell in row.select("td")] for row in page.select("#due tbody tr")]
    assert [row[0] for row in rows] == [name]
    checked = worcester.post(f"/staff/services/{service_named(app, name)[0]}/checked",
                             data={"back": "review", "csrf_token": token_on(worcester.get("/staff/review"))})
    assert checked.status_code == 303 and checked.headers["Location"].endswith("/staff/review")
    after = parse(worcester.get("/staff/review"))
    assert "checked today, nothing changed" in text_of(after.select_one(".govuk-notification-banner"))
    assert "Nothing is due" in text_of(after.select_one("#due"))
    public = text_of(parse(worcester.get(f"/services/{service_named(app, name)[1]}")).find("main"))
    today = clock.today()
    assert f"Last checked on {today.day} {today:%B %Y}" in public  # published at once: it changes nothing else
    history = parse(worcester.get(f"/staff/services/{service_named(app, name)[0]}/history"))
    assert "Checked, nothing changed" in text_of(history.select("#versions tbody tr")[0])


def test_editors_get_a_weekly_email_of_what_is_due(app, runner):
    name = worcester_due(app)
    worcester = editor(app, runner)
    elsewhere = editor(app, runner, districts=("wyre-forest",))
    assert worcester.get("/staff/services").status_code == elsewhere.get("/staff/services").status_code == 200  # both editors
    with app.app_context():
        earlier = db.session.scalar(db.select(db.func.max(OutboxMessage.id))) or 0
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        editors = {user.email: user for user in db.session.scalars(db.select(StaffUser)) if user.is_editor}
        messages = db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.id > earlier, OutboxMessage.subject.like("%due for review%"))).all()
        to = {message.to_address: message for message in messages}
        worcester_emails = [email for email, user in editors.items() if user.covers(["worcester"])]
        assert worcester_emails and all(email in to for email in worcester_emails)
        body = to[worcester_emails[-1]].body
        assert name in body and "/staff/review" in body and to[worcester_emails[-1]].subject == "1 service is due for review"
        assert not any(email in to for email, user in editors.items() if user.districts == ["wyre-forest"])


def test_the_content_pages_are_listed_overdue_first_with_the_checks_findings(app, runner):
    worcester = editor(app, runner)
    page = parse(worcester.get("/staff/pages"))
    assert heading(page) == "Content pages"
    rows = page.select("#pages tbody tr")
    assert len(rows) > 30
    dates = [text_of(row.select("td")[1]) for row in rows]
    assert all(text != "Not set" for text in dates)
    assert "Reading ease" in text_of(page.select_one("#pages"))
    assert text_of(page.select_one("#check-totals")).startswith("0 errors")


def import_file(tmp_path, records):
    path = tmp_path / "services.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return str(path)


def test_an_import_waits_for_approval_with_the_same_differences(app, runner, tmp_path):
    service_id, slug = service_named(app, WORCESTER)
    with app.app_context():
        from app.directory import oruk

        record = oruk.service_record(db.session.get(Service, service_id))
    record["phones"][0]["number"] = "01632 960777"
    new = dict(record, id="1d1d1d1d-0000-4000-8000-000000000001", name="Baby massage at Warndon",
               phones=[{"id": "1d1d1d1d-0000-4000-8000-000000000002", "number": "01632 960778"}], contacts=[], schedules=[],
               attributes=[], languages=[], cost_options=[], funding=[], service_at_locations=[],
               service_areas=[{"id": "1d1d1d1d-0000-4000-8000-000000000003", "name": "Worcester"}])
    path = import_file(tmp_path, [record, new])
    result = runner.invoke(args=["services", "import", path])
    assert result.exit_code == 0 and "2 changed services wait for an editor's approval" in result.output, result.output
    again = runner.invoke(args=["services", "import", path])
    assert "0 changed services wait" in again.output and "(2 unchanged)" in again.output
    worcester = editor(app, runner)
    assert "01632 960777" not in text_of(parse(worcester.get(f"/services/{slug}")).find("main"))
    listed = parse(worcester.get("/staff/changes"))
    assert {text_of(a) for a in listed.select("#to-approve a")} == {WORCESTER, "Baby massage at Warndon"}
    number = [a["href"] for a in listed.select("#to-approve a") if text_of(a) == WORCESTER][0].rsplit("/", 1)[1]
    change = parse(worcester.get(f"/staff/changes/{number}"))
    rows = {text_of(row.th): [text_of(cell) for cell in row.select("td")] for row in change.select("#differences tbody tr")}
    assert set(rows) == {"Phone numbers"} and "01632 960777" in rows["Phone numbers"][1]
    assert "Imported" in text_of(change.find("main")) and "An import" in text_of(change.find("main"))
    approved = worcester.post(f"/staff/changes/{number}/approve-all", data={"csrf_token": token_on(worcester.get(f"/staff/changes/{number}"))})
    assert approved.status_code == 303
    assert "2 changes of the import are approved" in text_of(parse(worcester.get(approved.headers["Location"])).find("main"))
    assert "01632 960777" in text_of(parse(worcester.get(f"/services/{slug}")).find("main"))
    found = text_of(parse(worcester.get("/services?q=baby+massage+warndon")).find("main"))
    assert "Baby massage at Warndon" in found
    with app.app_context():
        assert {c.state for c in db.session.scalars(db.select(ServiceChange).where(ServiceChange.source == "import"))} == {"published"}


def test_an_import_with_a_bad_record_makes_no_change(app, runner, tmp_path):
    result = runner.invoke(args=["services", "import", import_file(tmp_path, [{"id": "x", "name": "No status"}])])
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ServiceChange)) == 0


def test_a_scheduled_closure_waits_for_its_day(app, app_with, runner):
    service_id, slug = service_named(app, WORCESTER)
    first, second = editor(app, runner), editor(app, runner)
    day = clock.today() + timedelta(days=10)
    page = first.get(f"/staff/services/{service_id}")
    saved = first.post(f"/staff/services/{service_id}/status", data={
        "status": "defunct", "when": "date", "on-day": str(day.day), "on-month": str(day.month), "on-year": str(day.year),
        "note": "Funding ends", "csrf_token": token_on(page)})
    number = saved.headers["Location"].rsplit("/", 1)[1]
    second.post(f"/staff/changes/{number}/approve", data={"csrf_token": token_on(second.get(f"/staff/changes/{number}"))})
    assert first.get(f"/services/{slug}").status_code == 200
    the_day_before = app_with(CLOCK=lambda: clock.at(day - timedelta(days=1), 23, 50))
    assert the_day_before.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
    assert "no longer" not in text_of(parse(first.get(f"/services/{slug}")).find("main")).lower()
    on_the_day = app_with(CLOCK=lambda: clock.at(day, 0, 10))
    assert on_the_day.test_cli_runner().invoke(args=["worker", "--once"]).exit_code == 0
    closed = first.get(f"/services/{slug}")
    assert closed.status_code in (404, 410) or "closed" in text_of(parse(closed).find("main")).lower()
