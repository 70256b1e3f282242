"""Whatever is sent to the dashboard's period or to "Was this page useful?": a page, never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.analytics.visitors import PHONE
from tests.pages import parse, text_of
from tests.search.test_fuzz import text
from tests.staff.test_staff import add_user, sign_in

PERIOD = [f"{which}-{part}" for which in ("from", "to") for part in ("day", "month", "year")]
NUMBERS = st.one_of(st.integers(-5, 40000).map(str), st.sampled_from(["", " 3 ", "02", "2026", "1e3", "٣", "0x10"]))
TABLES = ["months", "days", "pages", "referrers", "languages", "devices", "searches", "no-results", "funnels", "useful"]


@pytest.fixture(scope="module")
def staff(app):

    client = app.test_client()
    sign_in(client, add_user(app.test_cli_runner(), role="admin"))
    return client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(PERIOD), st.one_of(NUMBERS, text), max_size=6), st.sampled_from([None, *TABLES, "x"]))
def test_any_period_gives_the_dashboard_or_a_clear_error(staff, args, table):
    if table is None:
        response = staff.get("/staff/analytics", query_string=args)
        assert response.status_code == 200
        page = parse(response)
        links = [a["href"] for a in page.select(".govuk-error-summary__list a")]
        assert all(page.find(id=link[1:]) is not None for link in links)  # each error points at a real field
        assert page.find(id="total-views") is not None
    else:
        response = staff.get(f"/staff/analytics/{table}.csv", query_string=args)
        assert response.status_code in (200, 404)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["page", "useful", "other"]),
                       st.one_of(text, st.sampled_from(["yes", "no", "/pages/privacy", "/services", "/", "/staff/analytics",
                                                        "//evil.example", "/pages/../staff", "/services/x" * 40])),
                       max_size=3))
def test_any_answer_to_was_this_page_useful_is_thanked_or_refused_kindly(client, form):
    response = client.post("/useful", data=form, headers={"User-Agent": PHONE})
    assert response.status_code in (200, 400)
    assert "Set-Cookie" not in response.headers
    if response.status_code == 400:
        assert text_of(parse(response).find("h1")) == "Sorry, we could not do that"


def test_the_way_back_stays_in_the_pages_language(client):
    for prefix in ("", "/pl"):
        thanks = parse(client.post(f"{prefix}/useful", data={"page": "/pages/privacy", "useful": "yes"}, headers={"User-Agent": PHONE}))
        assert parse_back(thanks) == f"{prefix}/pages/privacy"


def parse_back(page):
    return next(a["href"] for a in page.select("main a") if text_of(a) in ("Go back to the page", "Wróć do strony"))


def test_period_errors_are_explained(staff):
    cases = {
        (("from-day", "31"), ("from-month", "2"), ("from-year", "2026"), ("to-day", "1"), ("to-month", "3"), ("to-year", "2026")):
            ["Enter the start of the period as a real date, for example 1 11 2026"],
        (("from-day", "1"), ("from-month", "3"), ("from-year", "2026"), ("to-day", "1"), ("to-month", "2"), ("to-year", "2026")):
            ["The end of the period must be the same as or after the start"],
        (("from-day", "1"), ("from-month", "1"), ("from-year", "2024"), ("to-day", "1"), ("to-month", "2"), ("to-year", "2026")):
            ["Choose a period of 366 days or fewer"],
        (("from-day", "1"),):
            ["Enter a day, month and year for the start of the period", "Enter a day, month and year for the end of the period"],
    }
    for args, expected in cases.items():
        page = parse(staff.get("/staff/analytics", query_string=dict(args)))
        assert [text_of(a) for a in page.select(".govuk-error-summary__list a")] == expected
        assert text_of(page.find("title")).startswith("Error:")
        assert staff.get("/staff/analytics/pages.csv", query_string=dict(args)).status_code == 404


def test_only_signed_in_staff_see_the_figures(client):
    for path in ("/staff/analytics", "/staff/analytics/searches.csv"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"].endswith("/staff/sign-in")
