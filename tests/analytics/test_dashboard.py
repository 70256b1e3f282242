"""Several visitors over two days, and every figure the dashboard shows for them.

The visits are made once for the module (``two_days``) by an app of its own whose
clock the fixture moves: a view in the month before, then day one and day two, a
week or so before the test clock's today and in the same month. Each test then
checks one figure or one table, so that one wrong figure never hides another.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from flask.testing import FlaskClient

from tests import clock
from tests.analytics.visitors import COMPUTER, GOOGLEBOT, PHONE, TABLET, close, counting_app, forget_counts, visitor
from tests.journey.test_journey import EXPECTING as EXPECTING_SOME_DAY
from tests.journey.test_journey import walk
from tests.pages import parse, result_count, text_of
from tests.referral.walk import YOUNG_PERSON, fill_in
from tests.staff.test_staff import add_user, sign_in


def first_day(today):
    """Day one: eight days before ``today``, or nine when that is a month's last day, so day two is in the same month."""
    day = today - timedelta(days=8)
    if (day + timedelta(days=1)).month != day.month:
        day -= timedelta(days=1)
    return day


def month_start(day, months_before=0):
    """The first day of the month ``months_before`` months before ``day``'s month (negative: after it)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months_before, 12)
    return date(year, month + 1, 1)


def long_date(day):
    return format_date(day, "d MMMM yyyy", locale="en")


def month_name(day):
    return format_date(day, "MMMM yyyy", locale="en")


def period(start, end):
    """The query string for the period from ``start`` to ``end``, as the dashboard's form sends it."""
    return {f"{which}-{part}": str(getattr(day, part)) for which, day in (("from", start), ("to", end))
            for part in ("day", "month", "year")}


def expecting_on(day):
    """The journey's expecting parent, with a due date 20 weeks after ``day`` (at most 40 weeks ahead is allowed)."""
    due = day + timedelta(weeks=20)
    ages = {"step": "ages", "due-day": str(due.day), "due-month": str(due.month), "due-year": str(due.year)}
    return [ages if step["step"] == "ages" else step for step in EXPECTING_SOME_DAY]


def young_person_on(day):
    """The self-referral form's young person, 15 years old on ``day``."""
    born = clock.years_ago(15, on=day) - timedelta(days=30)
    about = {**YOUNG_PERSON["about-you"], "birth-day": str(born.day), "birth-month": str(born.month),
             "birth-year": str(born.year)}
    return {**YOUNG_PERSON, "about-you": about}


def views_shown(*visitors):
    """Each public page the visitors were sent (status 200), by its path without a language prefix."""
    seen = Counter()
    for person in visitors:
        for path, status in person.shown:
            path = path.removeprefix("/pl") or "/"
            if status == 200 and not path.startswith(("/staff", "/useful")):
                seen[path] += 1
    return seen


@dataclass(frozen=True)
class TwoDays:
    """What the visitors did, and a signed-in member of staff to read the dashboard."""

    staff: FlaskClient
    month_before: date  # the last day of the month before day one's month: Ann's first view
    day_one: date
    day_two: date
    listed: str  # a service page found by searching "baby groups"
    baby_groups_found: int
    journey_pages: int
    happened: dict  # what the visitors were sent back, to check the visits went as planned
    ann_one: Counter
    bob_one: Counter
    ann_two: Counter
    bob_two: Counter
    cat_two: Counter

    @property
    def both_days(self):
        return period(self.day_one, self.day_two)

    @property
    def only_day_one(self):
        return period(self.day_one, self.day_one)

    @property
    def shown_one(self):
        return self.ann_one + self.bob_one

    @property
    def shown_two(self):
        return self.ann_two + self.bob_two + self.cat_two

    @property
    def one(self):
        return sum(self.shown_one.values())

    @property
    def two(self):
        return sum(self.shown_two.values())

    @property
    def month(self):
        """Views in day one's month: both days."""
        return self.one + self.two


@pytest.fixture(scope="module")
def two_days(app, database_url):
    """Ann, Bob and Cat visit over two days (Ann once in the month before too); robots and people who opt out visit too."""
    forget_counts(app)
    counting = counting_app(app, database_url)
    own, moment = counting.app, counting.clock
    day_one = first_day(clock.today())
    day_two = day_one + timedelta(days=1)
    month_before = month_start(day_one) - timedelta(days=1)
    happened = {}

    look = own.test_client().get("/services?q=baby+groups", headers={"DNT": "1"})  # not counted
    listed = parse(look).select_one(".app-result h2 a")["href"].split("?")[0]  # the page, without the search it came from

    # The month before: one view, so day one's month has a month to be compared with.
    moment.set(month_before)
    visitor(own, address="203.0.113.10", agent=PHONE).get("/")

    # Day one.
    moment.set(day_one)
    ann = visitor(own, address="203.0.113.10", agent=PHONE)  # the same person as in the month before
    bob = visitor(own, address="198.51.100.20", agent=COMPUTER)
    ann.get("/", headers={"Referer": "https://www.example.org/a/page?child=Amelia"})
    baby_groups_found = result_count(parse(ann.get("/services?q=Baby+Groups")))
    ann.get("/services?q=rare+words")
    ann.get("/services?q=submarine")
    journey = walk(ann, expecting_on(day_one))
    happened["journey heading"] = text_of(parse(journey[-1]).find("h1"))
    ann.get("/pages/privacy")
    happened["useful answer"] = ann.post("/useful", data={"page": "/pages/privacy", "useful": "yes"}).status_code
    ann.get("/pages/privacy", headers={"Sec-Purpose": "prefetch"})
    ann.shown.pop()  # a prefetch: the browser fetched it, nobody saw it
    happened["missing service"] = ann.get("/services/no-such-service").status_code
    ann.get("/")

    bob.get("/")
    bob.get("/services?q=baby%20%20groups")
    bob.get("/services?q=BABY+GROUPS")
    bob.get("/services?q=baby+groups&page=2")  # the same search's next page: not a new search
    bob.get("/services?q=rare+words")
    bob.get("/services?q=SUBMARINE")
    bob.get("/get-help")
    bob.get("/pages/privacy")
    bob.post("/useful", data={"page": "/pages/privacy", "useful": "no"})
    bob.get("/pl/")

    # Not counted at all: Global Privacy Control, Do Not Track, a search engine's robot, a headless browser.
    happened["uncounted privacy pages"] = []
    for headers, agent in (({"Sec-GPC": "1"}, TABLET), ({"DNT": "1"}, COMPUTER), ({}, GOOGLEBOT),
                           ({}, "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/130.0.0.0 Safari/537.36")):
        person = visitor(own, address="192.0.2.30", agent=agent, headers=headers)
        person.get("/")
        person.get("/services?q=baby+groups")
        person.get("/get-help")
        person.post("/useful", data={"page": "/pages/privacy", "useful": "yes"})
        happened["uncounted privacy pages"].append(person.get("/pages/privacy").status_code)
    ann_one, bob_one = views_shown(ann), views_shown(bob)

    # Day two.
    moment.set(day_two)
    ann.shown.clear(), bob.shown.clear()
    cat = visitor(own, address="2001:db8::7", agent=TABLET)
    ann.get("/")
    ann.get("/services?q=submarine")
    fill_in(bob, young_person_on(day_two))
    bob.get(listed)
    bob.post("/useful", data={"page": listed, "useful": "yes"})
    cat.get("/", headers={"Referer": "https://news.example.net/story"})

    staff = own.test_client()
    sign_in(staff, add_user(own.test_cli_runner()))
    yield TwoDays(
        staff=staff, month_before=month_before, day_one=day_one, day_two=day_two, listed=listed,
        baby_groups_found=baby_groups_found, journey_pages=len(journey), happened=happened,
        ann_one=ann_one, bob_one=bob_one, ann_two=views_shown(ann), bob_two=views_shown(bob), cat_two=views_shown(cat),
    )
    close(counting)


def dashboard(two_days, query):
    response = two_days.staff.get("/staff/analytics", query_string=query)
    assert response.status_code == 200
    return parse(response)


def numbers(soup, table_id):
    """A table's rows as {first cell: [the other cells]}; a table with nothing in it gives {}."""
    table = soup.find(id=table_id)
    assert table is not None, table_id
    rows = {}
    for row in table.select("tbody tr"):
        cells = [text_of(cell) for cell in row.find_all(["th", "td"])]
        if len(cells) > 1:
            rows[cells[0]] = cells[1:]
    return rows


def exported(two_days, name, query):
    response = two_days.staff.get(f"/staff/analytics/{name}.csv", query_string=query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_visits_went_as_planned(two_days):
    """What the visitors were shown, so that the figures in the other tests are plain."""
    assert two_days.happened == {"journey heading": "Help that fits", "useful answer": 200, "missing service": 404,
                                 "uncounted privacy pages": [200, 200, 200, 200]}
    one, two = two_days.shown_one, two_days.shown_two
    assert one["/"] == 4 and one["/services"] == 8 and one["/pages/privacy"] == 2
    assert one["/get-help"] == two_days.journey_pages + 1 == 8
    assert two["/"] == 2 and two[two_days.listed] == 1
    assert sum(n for path, n in two.items() if path.startswith("/refer")) >= 10


def test_total_views_and_visitors(two_days):
    page = dashboard(two_days, two_days.both_days)
    assert text_of(page.find(id="total-views")) == str(two_days.month)
    assert text_of(page.find(id="total-visitors")) == "5"  # Ann and Bob on day one; Ann, Bob and Cat on day two


def test_views_each_month_and_the_change_on_the_month_before(two_days):
    months = numbers(dashboard(two_days, two_days.both_days), "months")
    day_one = two_days.day_one
    assert months[month_name(day_one)] == [str(two_days.month), f"Up {100 * (two_days.month - 1)}%"]
    assert months[month_name(two_days.month_before)] == ["1", "No views the month before"]
    assert months[month_name(month_start(day_one, 2))] == ["0", "No views the month before"]
    assert len(months) == 12 and month_name(month_start(day_one, 11)) in months
    assert month_name(month_start(day_one, 12)) not in months and month_name(month_start(day_one, -1)) not in months


def test_views_and_visitors_each_day(two_days):
    one, two = str(two_days.one), str(two_days.two)
    assert numbers(dashboard(two_days, two_days.both_days), "days") == {
        long_date(two_days.day_one): [one, "2"], long_date(two_days.day_two): [two, "3"]}
    assert numbers(dashboard(two_days, two_days.only_day_one), "days") == {long_date(two_days.day_one): [one, "2"]}


def test_most_viewed_pages(two_days):
    pages = numbers(dashboard(two_days, two_days.both_days), "pages")
    assert pages["/"] == ["6"] and pages["/services"] == ["9"] and pages["/get-help"] == ["8"]
    assert pages["/pages/privacy"] == ["2"] and pages[two_days.listed] == ["1"]
    most_viewed = sorted((two_days.shown_one + two_days.shown_two).items(), key=lambda item: (-item[1], item[0]))[:20]
    assert [(path, int(n[0])) for path, n in pages.items()] == most_viewed  # the most viewed first, A to Z among equals
    assert "/services/no-such-service" not in pages and "/useful" not in pages


def test_views_from_other_websites_by_their_name_only(two_days):
    assert numbers(dashboard(two_days, two_days.both_days), "referrers") == {
        "news.example.net": ["1"], "www.example.org": ["1"]}


def test_views_by_language(two_days):
    assert numbers(dashboard(two_days, two_days.both_days), "languages") == {
        "English": [str(two_days.month - 1)], "Polski": ["1"]}


def test_views_by_device(two_days):
    assert numbers(dashboard(two_days, two_days.both_days), "devices") == {
        "Mobile phone": [str(sum((two_days.ann_one + two_days.ann_two).values()))],
        "Computer": [str(sum((two_days.bob_one + two_days.bob_two).values()))],
        "Tablet": [str(sum(two_days.cat_two.values()))],
    }


def test_searches_are_shown_once_made_three_times(two_days):
    """Three of "baby groups" (however typed) and of "submarine"; "rare words" only twice, so never shown."""
    page = dashboard(two_days, two_days.both_days)
    found = str(two_days.baby_groups_found)
    assert numbers(page, "searches") == {"baby groups": ["3", "0", found], "submarine": ["3", "3", "0"]}
    assert "rare words" not in page.get_text()
    # Day one alone: "submarine" was searched only twice, so it is not shown.
    assert numbers(dashboard(two_days, two_days.only_day_one), "searches") == {"baby groups": ["3", "0", found]}


def test_searches_with_no_results(two_days):
    assert numbers(dashboard(two_days, two_days.both_days), "no-results") == {"submarine": ["3", "3"]}
    assert numbers(dashboard(two_days, two_days.only_day_one), "no-results") == {}


def test_the_journey_and_referral_funnels(two_days):
    assert numbers(dashboard(two_days, two_days.both_days), "funnels") == {
        "Started Get help for your family": ["2", "100%"],
        "Saw their result": ["1", "50%"],
        "Started a referral": ["1", "100%"],
        "Sent a referral": ["1", "100%"],
    }
    assert numbers(dashboard(two_days, two_days.only_day_one), "funnels")["Started a referral"] == ["0", "–"]


def test_answers_to_was_this_page_useful(two_days):
    assert numbers(dashboard(two_days, two_days.both_days), "useful") == {
        "/pages/privacy": ["1", "1", "50%"], two_days.listed: ["1", "0", "100%"]}


# The same figures as files.

def test_days_file(two_days):
    assert exported(two_days, "days", two_days.both_days) == [
        ["Date", "Views", "Visitors"],
        [two_days.day_one.isoformat(), str(two_days.one), "2"], [two_days.day_two.isoformat(), str(two_days.two), "3"]]


def test_months_file(two_days):
    assert exported(two_days, "months", two_days.both_days)[-2:] == [
        [two_days.month_before.strftime("%Y-%m"), "1", ""],
        [two_days.day_one.strftime("%Y-%m"), str(two_days.month), str(100 * (two_days.month - 1))]]


def test_searches_file(two_days):
    found = str(two_days.baby_groups_found)
    assert exported(two_days, "searches", two_days.both_days) == [
        ["Search", "Searches", "Searches with no results", "Average results"],
        ["baby groups", "3", "0", found], ["submarine", "3", "3", "0"]]
    assert exported(two_days, "searches", two_days.only_day_one)[1:] == [["baby groups", "3", "0", found]]


def test_no_results_file(two_days):
    assert exported(two_days, "no-results", two_days.both_days)[1:] == [["submarine", "3", "3"]]


def test_pages_file_has_every_page(two_days):
    assert {row[0]: row[1] for row in exported(two_days, "pages", two_days.both_days)[1:]} == {
        path: str(n) for path, n in (two_days.shown_one + two_days.shown_two).items()}


def test_referrers_file(two_days):
    assert exported(two_days, "referrers", two_days.both_days)[1:] == [["news.example.net", "1"], ["www.example.org", "1"]]


def test_funnels_file(two_days):
    assert exported(two_days, "funnels", two_days.both_days)[1:] == [
        ["Started Get help for your family", "2", "100"], ["Saw their result", "1", "50"],
        ["Started a referral", "1", "100"], ["Sent a referral", "1", "100"]]


def test_useful_file(two_days):
    assert sorted(exported(two_days, "useful", two_days.both_days)[1:]) == sorted(
        [["/pages/privacy", "1", "1", "50"], [two_days.listed, "1", "0", "100"]])


def test_devices_file(two_days):
    assert {row[0]: row[1] for row in exported(two_days, "devices", two_days.both_days)[1:]} == {
        "mobile": str(sum((two_days.ann_one + two_days.ann_two).values())),
        "desktop": str(sum((two_days.bob_one + two_days.bob_two).values())),
        "tablet": str(sum(two_days.cat_two.values()))}


def test_languages_file(two_days):
    assert exported(two_days, "languages", two_days.both_days)[1:] == [["en", str(two_days.month - 1)], ["pl", "1"]]


def test_the_chart_labels_the_last_day_and_its_labels_never_crowd_each_other():
    from datetime import date, timedelta
    from types import SimpleNamespace

    from app.analytics.chart import LABEL_WIDTH, NARROW, WIDTH, line_chart

    start = date(2026, 1, 1)  # the dates only name the labels
    for count in (1, 2, 7, 30, 31, 90, 365):
        days = [SimpleNamespace(day=start + timedelta(days=n), views=n % 7, visitors=n % 3) for n in range(count)]
        for width in (WIDTH, NARROW):
            chart = line_chart(days, lambda day: day.isoformat(), width=width)
            assert chart.x_ticks[0].label == days[0].day.isoformat()
            assert chart.x_ticks[-1].label == days[-1].day.isoformat(), (count, width)
            gaps = [b.at - a.at for a, b in zip(chart.x_ticks, chart.x_ticks[1:], strict=False)]
            assert all(gap >= LABEL_WIDTH for gap in gaps), (count, width, gaps)
