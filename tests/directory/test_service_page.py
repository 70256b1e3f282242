"""One service's page: what a parent needs to act, and when it is open."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs

import holidays
import pytest
from sqlalchemy import select

from app.directory_version import current_version
from app.extensions import db
from app.models import Service
from tests import clock
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


@pytest.fixture
def visit_at(app_with):
    """A visitor to an app of its own whose clock stands still at ``moment``."""
    return lambda moment: app_with(CLOCK=lambda: moment).test_client()


def next_day(weekday, after=None):
    """The first day after ``after`` (the test clock's today) that is ``weekday`` (0 is Monday) and no bank holiday."""
    day = (after or clock.today()) + timedelta(days=1)
    while day.weekday() != weekday or day in bank_holidays(day.year):
        day += timedelta(days=1)
    return day


def bank_holidays(*years):
    return holidays.country_holidays("GB", subdiv="ENG", years=years)


def just_after(day, opens_at):
    return datetime.combine(day, opens_at, clock.LONDON) + timedelta(minutes=1)


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
    assert phone, "the demo's first weekday-only service should have a phone number"
    assert soup.find("a", href="tel:" + phone[0].number.replace(" ", "")) is not None
    assert text_of(soup.find(id="last-checked")) == f"Last checked on {assured.day} {assured:%B %Y}"
    report = soup.find("a", string="Report a problem with this page")
    assert report["href"] == f"/services/{slug}/report"  # a form on the site (tests/directory/test_reports.py)


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


def test_open_now_on_a_weekday(app, visit_at):
    slug, schedule = service_with_weekday_sessions(app)
    visitor = visit_at(just_after(next_day(0), schedule.opens_at))  # a minute after the Monday session opens
    status = text_of(parse(visitor.get(f"/services/{slug}")).find(id="opening-status"))
    assert status.startswith("Open now until")


def test_next_open_at_the_weekend(app, visit_at):
    slug, _ = service_with_weekday_sessions(app)
    saturday = clock.at(clock.today() + timedelta(days=(5 - clock.today().weekday()) % 7 or 7))
    if saturday.date() + timedelta(days=2) in bank_holidays(saturday.year):  # not before a bank holiday Monday
        saturday += timedelta(days=7)
    status = text_of(parse(visit_at(saturday).get(f"/services/{slug}")).find(id="opening-status"))
    assert status.startswith("Next open Monday at")
    assert "Open now" not in status


def test_closed_on_a_bank_holiday(app, visit_at):
    slug, schedule = service_with_weekday_sessions(app)
    today = clock.today()
    holiday = min(day for day in bank_holidays(today.year, today.year + 1) if day > today and day.weekday() == 0)  # a Monday session's day
    visitor = visit_at(just_after(holiday, schedule.opens_at))
    status = text_of(parse(visitor.get(f"/services/{slug}")).find(id="opening-status"))
    assert "Open now" not in status and status.startswith("Next open")
    assert "Closed on bank holidays." in text_of(parse(visitor.get(f"/services/{slug}")).find("main"))


def test_hidden_services_are_not_found(client, app):
    with app.app_context():
        slug = db.session.scalar(select(Service.slug).where(Service.status == "inactive"))
    assert slug, "the demo data should include an inactive service"
    response = client.get(f"/services/{slug}")
    assert response.status_code == 404
    assert heading(parse(response)) == "Page not found"


def test_from_the_results_back_returns_to_the_same_search_and_the_distance_is_shown(client):
    """The service link carries the search as it was (nothing new), and the service page's back link
    returns to it: the same words, postcode, filters and page; with a postcode, how far it is."""
    search = "/services?q=baby&postcode=WR5+1AA&cost=free&page=2"
    results = parse(client.get(search))
    link = results.select_one(".app-result h2 a")["href"]
    path, _, query = link.partition("?")
    assert parse_qs(query) == parse_qs(search.partition("?")[2])  # exactly the search's own parameters
    service = parse(client.get(link))
    back = service.select_one("a.govuk-back-link")
    assert text_of(back) == "Back to your results"
    assert parse_qs(back["href"].partition("?")[2]) == parse_qs(search.partition("?")[2])
    assert back["href"].startswith("/services?")
    distance = text_of(service.select_one("#distance"))
    assert distance.endswith("miles away from WR5 1AA") or distance == "Less than 0.1 miles away from WR5 1AA"
    plain = parse(client.get(path))
    assert text_of(plain.select_one("a.govuk-back-link")) == "Find a service"
    assert plain.select_one("a.govuk-back-link")["href"] == "/services"
    assert plain.select_one("#distance") is None


def test_a_wrong_search_carried_to_a_service_page_is_no_error(client):
    for query in ("postcode=banana", "page=-4&q=%00", "age=old&postcode=" + "W" * 500):
        response = client.get(f"/services/bromsgrove-baby-cafe?{query}")
        assert response.status_code == 200, query
        page = parse(response)
        assert page.select_one("#distance") is None
        assert page.select_one("a.govuk-back-link")["href"].startswith("/services")


def card_opening(visitor, slug, name):
    """What the service's result card says about when it is open, searched for by its name."""
    soup = parse(visitor.get("/services", query_string={"q": f'"{name}"'}))
    for card in soup.select(".app-result"):
        if card.select_one("h2 a")["href"].split("?")[0].endswith("/" + slug):
            found = card.select_one(".app-result__opening")
            return text_of(found) if found else None
    raise AssertionError(f"{slug} is not among the results for its own name")


def test_result_cards_say_open_now_as_the_service_page_does(app, visit_at):
    slug, schedule = service_with_weekday_sessions(app)
    with app.app_context():
        name = db.session.get(Service, schedule.service_id).name
    visitor = visit_at(just_after(next_day(0), schedule.opens_at))
    on_card = card_opening(visitor, slug, name)
    assert on_card.startswith("Open now until")
    assert on_card == text_of(parse(visitor.get(f"/services/{slug}")).find(id="opening-status"))


def test_result_cards_say_when_next_open(app, visit_at):
    slug, schedule = service_with_weekday_sessions(app)
    with app.app_context():
        name = db.session.get(Service, schedule.service_id).name
    friday_night = clock.at(next_day(4), 23, 30)
    if next_day(0, friday_night.date()) != friday_night.date() + timedelta(days=3):
        friday_night += timedelta(days=7)  # not before a bank holiday Monday
    assert card_opening(visit_at(friday_night), slug, name).startswith("Next open Monday at")


def test_a_kept_service_record_follows_each_change_to_the_directory(app_with, database_url, restore_demo):
    """Service pages keep what they load while the directory's version stands still; a change committed
    anywhere moves it on, and the process shows the change as soon as it reads the version (when its
    check is due, or woken by PostgreSQL's notice); a closed service is gone."""
    kept = app_with(DIRECTORY_CACHE_SECONDS=3600, DIRECTORY_CHECK_SECONDS=3600)
    visitor = kept.test_client()
    with kept.app_context():
        service = db.session.scalars(select(Service).where(Service.status == "active").order_by(Service.name)).first()
        slug, name = service.slug, service.name
    assert heading(parse(visitor.get(f"/services/{slug}"))) == name

    with kept.app_context():
        before = current_version(db.session)
        db.session.get(Service, service.id).name = "Renamed for the test"
        db.session.commit()
        assert current_version(db.session) == before + 1  # the commit moved the version on
    if database_url.startswith("sqlite"):
        # this process has not read the version since (SQLite sends no notices): the record it keeps is what it shows
        assert heading(parse(visitor.get(f"/services/{slug}"))) == name

    kept.extensions["directory_follower"].wake()  # as another server's notice wakes it
    assert heading(parse(visitor.get(f"/services/{slug}"))) == "Renamed for the test"

    with kept.app_context():
        db.session.get(Service, service.id).status = "inactive"
        db.session.commit()
    kept.extensions["directory_follower"].wake()
    assert visitor.get(f"/services/{slug}").status_code == 404
