""""Report a problem with this page": a public form with no cookie, answered with thanks, queued for the district's editors."""

import pytest

from app.extensions import db
from app.models import ServiceReport
from tests.fuzzing import error_summary
from tests.pages import heading, parse, text_of
from tests.staff.test_editing import WORCESTER, editor, service_named
from tests.staff.test_staff import token_on

WRITTEN = "The new number is 01632 960321 since March"


@pytest.fixture
def forget_reports(app):
    """No report before the test (other tests', the fuzzing's say) and none left after it."""

    def forget():
        with app.app_context():
            db.session.execute(db.delete(ServiceReport))
            db.session.commit()

    forget()
    yield
    forget()


def send(client, slug, headers=None, **form):
    return client.post(f"/services/{slug}/report", data=form, headers=headers or {})


def stored(app):
    with app.app_context():
        return [(row.topic, row.details, row.district_slugs, row.state) for row in
                db.session.scalars(db.select(ServiceReport).order_by(ServiceReport.id))]


def test_a_visitor_reports_a_problem_and_an_editor_resolves_it(app, runner, forget_reports):
    service_id, slug = service_named(app, WORCESTER)
    visitor = app.test_client()
    page = visitor.get(f"/services/{slug}")
    link = parse(page).find("a", string="Report a problem with this page")
    form = visitor.get(link["href"])
    assert heading(parse(form)) == "Report a problem with this page" and "Set-Cookie" not in form.headers
    sent = send(visitor, slug, topic="contact", details=WRITTEN)
    assert sent.status_code == 303 and "Set-Cookie" not in sent.headers
    thanks = visitor.get(sent.headers["Location"])
    assert heading(parse(thanks)) == "Thank you for telling us"
    assert WRITTEN not in thanks.get_data(as_text=True)
    # What they wrote is encrypted in the database, and shown nowhere public.
    [(topic, details, districts, state)] = stored(app)
    assert topic == "contact" and WRITTEN not in details and "960321" not in details and districts == "worcester" and state == "open"
    assert "960321" not in text_of(parse(visitor.get(f"/services/{slug}")).find("main"))
    # The district's editor sees it, reads it and resolves it.
    worcester = editor(app, runner)
    queue = parse(worcester.get("/staff/reports"))
    rows = [[text_of(cell) for cell in row.select("td")] for row in queue.select("#reports tbody tr")]
    assert rows[0][0] == WORCESTER and rows[0][1] == "The phone number, email or address is wrong"
    number = queue.select_one("#reports tbody a")["href"].rsplit("/", 1)[1]
    shown = worcester.get(f"/staff/reports/{number}")
    assert WRITTEN in text_of(parse(shown).find("main"))
    done = worcester.post(f"/staff/reports/{number}", data={"outcome": "resolved", "note": "Number changed", "csrf_token": token_on(shown)})
    assert done.status_code == 303
    after = parse(worcester.get("/staff/reports"))
    assert "None waiting." in text_of(after.select_one("#reports"))
    this_week = [text_of(cell) for cell in after.select("#reports-by-week tbody tr")[0].select("td")]
    assert this_week[1:3] == ["1", "1"] and this_week[3].endswith(("hour", "hours"))
    # Another district's editor never sees it.
    elsewhere = editor(app, runner, districts=("wyre-forest",))
    assert elsewhere.get(f"/staff/reports/{number}").status_code == 404
    assert WORCESTER not in text_of(parse(elsewhere.get("/staff/reports")).select_one("#reports"))


def test_dismissing_needs_a_note(app, runner, forget_reports):
    _, slug = service_named(app, WORCESTER)
    send(app.test_client(), slug, topic="other", details="Not sure this is right")
    worcester = editor(app, runner)
    number = parse(worcester.get("/staff/reports")).select_one("#reports tbody a")["href"].rsplit("/", 1)[1]
    page = worcester.get(f"/staff/reports/{number}")
    refused = worcester.post(f"/staff/reports/{number}", data={"outcome": "dismissed", "csrf_token": token_on(page)})
    assert refused.status_code == 400
    assert error_summary(parse(refused)) == [("Say why it is dismissed, for the other editors", "note")]
    worcester.post(f"/staff/reports/{number}", data={"outcome": "dismissed", "note": "The page is right", "csrf_token": token_on(page)})
    assert stored(app)[0][3] == "dismissed"


def test_the_form_says_what_is_wrong(app, forget_reports):
    _, slug = service_named(app, WORCESTER)
    client = app.test_client()
    cases = {
        (): [("Select what is wrong", "topic")],
        (("topic", "other"),): [("Tell us what is wrong", "details")],
        (("topic", "times"), ("details", "x" * 501)): [("Tell us in 500 characters or fewer", "details")],
        (("topic", "everything"),): [("Select one of the options given", "topic")],
    }
    for form, expected in cases.items():
        page = send(client, slug, **dict(form))
        assert page.status_code == 200 and error_summary(parse(page)) == expected, form
    assert stored(app) == []


def test_bots_and_other_sites_are_thanked_and_nothing_is_kept(app, forget_reports):
    _, slug = service_named(app, WORCESTER)
    client = app.test_client()
    assert send(client, slug, topic="times", website="http://spam.example").status_code == 303
    assert send(client, slug, headers={"Sec-Fetch-Site": "cross-site"}, topic="times").status_code == 303
    assert send(client, slug, headers={"Origin": "https://elsewhere.example"}, topic="times").status_code == 303
    assert stored(app) == []
    for guessed in ("/services/no-such-service/report", "/services/%00/report"):
        assert client.get(guessed).status_code == 404


def test_a_client_may_send_only_so_many_reports(app_with, forget_reports):
    limited = app_with(REPORT_RATE_LIMIT="2 per hour")
    with limited.app_context():
        from app.models import Service

        slug = db.session.scalar(db.select(Service.slug).where(Service.name == WORCESTER))
    client = limited.test_client()
    answers = [send(client, slug, topic="times").status_code for _ in range(3)]
    assert answers == [303, 303, 429]
