"""Whatever a tampered form sends to /get-help: a page, never a server error, and never a cookie."""

from hypothesis import HealthCheck, given, settings, strategies as st

from app.journey.rules import AGE_BANDS, IMPACTS, NEEDS, WHO
from app.journey.steps import STEPS
from tests.search.test_fuzz import text

FIELDS = ["step", "action", "who", "safety", "age", "need", "impact", "my-age", "due-day", "due-month", "due-year",
          "postcode", "district"]
REAL = st.sampled_from([*STEPS, *WHO, *NEEDS, *IMPACTS, *AGE_BANDS, "yes", "no", "back", "skip", "continue", "15",
                        "WR1 2AB", "worcester", "2027", "31"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, REAL, st.lists(st.one_of(REAL, text), max_size=4)),
                       max_size=len(FIELDS)))
def test_no_answers_make_a_server_error(client, form):
    response = client.post("/get-help", data=form)
    assert response.status_code in (200, 303)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
