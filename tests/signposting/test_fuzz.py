"""Whatever ``s`` holds, the list pages answer with a page, never a server error or a cookie."""

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.pages import parse, text_of
from tests.search.test_fuzz import ODD, SYNTAX, text

SLUGS = ["stay-and-play-at-catshill", "bromsgrove-baby-cafe", "STAY-AND-PLAY-AT-CATSHILL", "no-such-service", "-", "a--b",
         "x" * 121, "baby-café", "é", "..", "%2C", "%00", "service/../admin"]
SEPARATORS = [",", " ", ",,", "+", "%2C", ";", "\n", "\t", "|"]

values = st.one_of(
    text,
    st.lists(st.sampled_from(SLUGS + ODD + SYNTAX), max_size=60).map(",".join),
    st.builds(lambda parts, separator: separator.join(parts),
              st.lists(st.sampled_from(SLUGS), max_size=200), st.sampled_from(SEPARATORS)),
)
PAGES = ["/shortlist", "/services", "/services/bromsgrove-baby-cafe", "/pl/shortlist", "/services/no-such-service"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.sampled_from(PAGES), st.lists(values, min_size=1, max_size=3), st.booleans())
def test_any_list_gives_a_page(client, path, lists, raw):
    if raw:  # straight into the URL, as a hand-edited link would be
        query = "&".join("s=" + quote(value, safe=",+%") for value in lists)
    else:
        query = urlencode([("s", value) for value in lists])
    response = client.get(f"{path}?{query}")
    expected = 404 if path.endswith("no-such-service") else 200
    assert response.status_code == expected
    assert "Set-Cookie" not in response.headers
    if path.endswith("shortlist"):
        page = parse(response)
        cards = page.select(".app-handout__service")
        assert len(cards) <= 30
        assert text_of(page.find("h1"))  # a real list page, empty or not
