"""One service's page: what a parent needs to act, and when it is open."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.directory.opening_times import LONDON
from app.extensions import db
from app.models import Service
from tests.pages import heading, parse, text_of


def service_with_weekday_sessions(app):
    """A demo service open on Mondays and other weekdays only, not on bank holidays."""
    with app.app_context():
        for service in db.session.scalars(select(Service).where(Service.status == "active").order_by(Service.name)):
            days = {d for s in service.schedules for d in (s.byday or "").split(",")}
            features = {t.term for t in service.terms("family-hub-features")}
            if "MO" in days and days <= {"MO", "TU", "WE", "TH", "FR"} and "open-on-bank-holidays" not in features:
                monday = next(s for s in service.schedules if "MO" in s.byday.split(","))
                return service.slug, monday
    raise AssertionError("the demo data has no weekday-only service")


def frozen(app, moment):
    app.config["CLOCK"] = lambda: moment


@pytest.fixture
def clock(app):
    yield lambda moment: frozen(app, moment)
    app.config.pop("CLOCK", None)


def test_service_page_shows_how_to_get_help(client, app):
    slug, _ = service_with_weekday_sessions(app)
    with app.app_context():
        service = db.session.scalar(select(Service).where(Service.slug == slug))
        name, organisation, phone = service.name, service.organization.name, service.phones
        assured = service.assured_date
    soup = parse(client.get(f"/services/{slug}"))
    assert heading(soup) == name
    assert organisation in text_of(soup.select_one(".govuk-caption-l"))
    sections = [text_of(h) for h in soup.select("main h2")]
    for expected in ("What it is", "Who it is for", "How to get this help", "Cost", "Opening times", "Contact"):
        assert expected in sections
    if phone:
        assert soup.find("a", href="tel:" + phone[0].number.replace(" ", "")) is not None
    assert text_of(soup.find(id="last-checked")) == f"Last checked on {assured.day} {assured:%B %Y}"
    report = soup.find("a", string="Report a problem with this page")
    assert report["href"].startswith("mailto:directory@example.org?subject=")


def test_locations_have_address_and_directions(client, app):
    with app.app_context():
        service = db.session.scalars(
            select(Service).where(Service.status == "active", Service.service_at_locations.any()).order_by(Service.name)
        ).first()
        place = service.service_at_locations[0].location
        slug, postcode, lat = service.slug, place.postcode, place.latitude
    soup = parse(client.get(f"/services/{slug}"))
    assert postcode in text_of(soup.find("main"))
    directions = [a for a in soup.find_all("a") if text_of(a).startswith("Get directions")]
    assert directions and str(lat) in directions[0]["href"]


def test_open_now_on_a_weekday(client, app, clock):
    slug, schedule = service_with_weekday_sessions(app)
    # Monday 16 November 2026, a minute after the Monday session opens
    moment = datetime(2026, 11, 16, schedule.opens_at.hour, schedule.opens_at.minute + 1, tzinfo=LONDON)
    clock(moment)
    status = text_of(parse(client.get(f"/services/{slug}")).find(id="opening-status"))
    assert status.startswith("Open now until")


def test_next_open_at_the_weekend(client, app, clock):
    slug, _ = service_with_weekday_sessions(app)
    clock(datetime(2026, 11, 21, 12, 0, tzinfo=LONDON))  # Saturday
    status = text_of(parse(client.get(f"/services/{slug}")).find(id="opening-status"))
    assert status.startswith("Next open Monday at")
    assert "Open now" not in status


def test_closed_on_a_bank_holiday(client, app, clock):
    slug, schedule = service_with_weekday_sessions(app)
    clock(datetime(2026, 8, 31, schedule.opens_at.hour, schedule.opens_at.minute + 1, tzinfo=LONDON))
    status = text_of(parse(client.get(f"/services/{slug}")).find(id="opening-status"))
    assert "Open now" not in status and status.startswith("Next open")
    assert "Closed on bank holidays." in text_of(parse(client.get(f"/services/{slug}")).find("main"))


def test_hidden_services_are_not_found(client, app):
    with app.app_context():
        slug = db.session.scalar(select(Service.slug).where(Service.status == "inactive"))
    assert slug, "the demo data should include an inactive service"
    response = client.get(f"/services/{slug}")
    assert response.status_code == 404
    assert heading(parse(response)) == "Page not found"
