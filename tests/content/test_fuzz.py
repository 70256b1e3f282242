"""Whatever is typed into the date forms or a page's postcode box: a page, never a server error."""

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.search.test_fuzz import text

FIELDS = ["due-day", "due-month", "due-year", "born-day", "born-month", "born-year", "due-submit", "born-submit"]
NUMBERS = st.one_of(st.integers(-10_000, 100_000).map(str), st.sampled_from(["0", "00", "29", "31", "2026", "１２", "٣", "1e3"]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, NUMBERS), max_size=6))
def test_no_date_makes_a_server_error(client, form):
    response = client.post("/start-for-life", data=form)
    assert response.status_code in (200, 303)
    assert "Set-Cookie" not in response.headers
    if response.status_code == 200 and any(key.endswith("-submit") for key in form):
        assert b"govuk-error-summary" in response.data


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text)
def test_no_postcode_on_a_content_page_makes_a_server_error(client, postcode):
    response = client.get("/start-for-life/breastfeeding?" + urlencode({"postcode": postcode}))
    assert response.status_code == 200
