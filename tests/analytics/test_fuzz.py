"""Whatever is sent to the dashboard's period or to "Was this page useful?": a page, never a server error."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests import clock
from tests.analytics.visitors import PHONE
from tests.pages import parse, text_of
from tests.search.test_fuzz import text
from tests.staff.test_staff import add_user, sign_in

PERIOD = [f"{which}-{part}" for which in ("from", "to") for part in ("day", "month", "year")]
NUMBERS = st.one_of(st.integers(-5, 40000).map(str), st.sampled_from(["", " 3 ", "02", str(clock.today().year), "1e3", "٣", "0x10", "0001", "9" * 20]))
# Each file's header row, as a spreadsheet shows it.
HEADERS = {
    "months": ["Month", "Views", "Change on previous month (%)"],
    "days": ["Date", "Views", "Visitors"],
    "pages": ["Page", "Views"],
    "referrers": ["Website", "Views"],
    "languages": ["Language", "Views"],
    "devices": ["Device", "Views"],
    "searches": ["Search", "Searches", "Searches with no results", "Average results"],
    "no-results": ["Search", "Searches with no results", "Searches"],
    "funnels": ["Step", "Number", "Of those who started (%)"],
    "useful": ["Page", "Yes", "No", "Useful (%)"],
}
TABLES = list(HEADERS)


def period(start, end):
    """The query string for a period, as the dashboard's form sends it."""
    return {f"{which}-{part}": str(getattr(day, part)) for which, day in (("from", start), ("to", end))
            for part in ("day", "month", "year")}


# Anything typed into the six boxes, or real dates around today's (some too far apart, some the wrong way round).
NEAR = st.dates(min_value=clock.today() - timedelta(days=800), max_value=clock.today() + timedelta(days=60))
PERIODS = st.one_of(st.dictionaries(st.sampled_from(PERIOD), st.one_of(NUMBERS, text), max_size=6),
                    st.builds(period, NEAR, NEAR))


@pytest.fixture(scope="module")
def staff(app):
    client = app.test_client()
    sign_in(client, add_user(app.test_cli_runner(), role="admin"))
    return client


def assert_not_found(response):
    """The site's own "Page not found" page."""
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert text_of(parse(response).find("h1")) == "Page not found"


@settings(max_examples=150)
@given(PERIODS, st.sampled_from([None, *TABLES, "x"]))
def test_any_period_gives_the_dashboard_or_a_clear_error(staff, args, table):
    response = staff.get("/staff/analytics", query_string=args)
    assert response.status_code == 200
    page = parse(response)
    links = [a["href"] for a in page.select(".govuk-error-summary__list a")]
    assert all(page.find(id=link[1:]) is not None for link in links)  # each error points at a real field
    assert page.find(id="total-views") is not None
    period_is_wrong = page.select_one(".govuk-error-summary") is not None
    assert period_is_wrong == bool(links)  # a summary always says what to fix
    if table is None:
        return
    response = staff.get(f"/staff/analytics/{table}.csv", query_string=args)
    event(f"a file asked for: {response.status_code}")
    if period_is_wrong or table not in HEADERS:
        assert_not_found(response)
    else:
        assert response.status_code == 200 and response.mimetype == "text/csv"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="family-hub-{table}-') and disposition.endswith('.csv"')
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == HEADERS[table]


@settings(max_examples=150)
@given(st.dictionaries(st.sampled_from(["page", "useful", "other"]),
                       st.one_of(text, st.sampled_from(["yes", "no", "/pages/privacy", "/services", "/", "/staff/analytics",
                                                        "//evil.example", "/pages/../staff", "/services/x" * 40])),
                       max_size=3))
def test_any_answer_to_was_this_page_useful_is_thanked_or_refused_kindly(client, form):
    response = client.post("/useful", data=form, headers={"User-Agent": PHONE})
    assert response.status_code in (200, 400, 413)
    assert "Set-Cookie" not in response.headers
    if response.status_code == 400:
        assert text_of(parse(response).find("h1")) == "Sorry, we could not do that"
    if response.status_code == 413:  # only an answer far longer than any box takes
        assert len(urlencode(form)) > 256 * 1024
        assert text_of(parse(response).find("h1")) == "What you sent was too large"


def test_the_way_back_stays_in_the_pages_language(client):
    for prefix in ("", "/pl"):
        thanks = parse(client.post(f"{prefix}/useful", data={"page": "/pages/privacy", "useful": "yes"}, headers={"User-Agent": PHONE}))
        assert parse_back(thanks) == f"{prefix}/pages/privacy"


def parse_back(page):
    return next(a["href"] for a in page.select("main a") if text_of(a) in ("Go back to the page", "Wróć do strony"))


def test_period_errors_are_explained(staff):
    today = clock.today()
    longest_ago = today - timedelta(days=365)  # from then to today is 366 days, both included
    cases = [
        ({**period(today, today), "from-day": "31", "from-month": "2"},  # 31 February: never a date
         ["Enter the start of the period as a real date, for example 1 11 2026"]),
        ({**period(today - timedelta(days=5), today), "to-day": "30", "to-month": "2"},  # 30 February: never a date
         ["Enter the end of the period as a real date, for example 1 11 2026"]),
        (period(today, today - timedelta(days=1)), ["The end of the period must be the same as or after the start"]),
        (period(longest_ago - timedelta(days=1), today), ["Choose a period of 366 days or fewer"]),
        ({"from-day": "1"},
         ["Enter a day, month and year for the start of the period", "Enter a day, month and year for the end of the period"]),
        # Year 1: the months before it cannot even be counted back to.
        ({"from-day": "1", "from-month": "1", "from-year": "0001", "to-day": "2", "to-month": "1", "to-year": "0001"},
         ["The start of the period must be in 2000 or later", "The end of the period must be in 2000 or later"]),
        # 1 January, so that it is a real date whatever the test clock's day (29 February 1999 never was).
        ({**period(today, today), "from-day": "1", "from-month": "1", "from-year": "1999"},
         ["The start of the period must be in 2000 or later"]),
        (period(today, today + timedelta(days=1)), ["The end of the period must be today or in the past"]),
    ]
    for args, expected in cases:
        page = parse(staff.get("/staff/analytics", query_string=args))
        assert [text_of(a) for a in page.select(".govuk-error-summary__list a")] == expected, args
        assert text_of(page.find("title")).startswith("Error:")
        assert_not_found(staff.get("/staff/analytics/pages.csv", query_string=args))


def test_the_longest_period_is_shown(staff):
    today = clock.today()
    longest_ago = today - timedelta(days=365)
    page = parse(staff.get("/staff/analytics", query_string=period(longest_ago, today)))
    assert page.select_one(".govuk-error-summary") is None
    assert len(page.select("#days tbody tr")) == 366
    assert staff.get("/staff/analytics/days.csv", query_string=period(longest_ago, today)).status_code == 200


def test_only_signed_in_staff_see_the_figures(client):
    for path in ("/staff/analytics", "/staff/analytics/searches.csv"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"].endswith("/staff/sign-in")
