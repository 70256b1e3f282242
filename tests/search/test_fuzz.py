"""Whatever is typed into the search, the postcode or any filter: a page, never a server error."""

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from app.directory.browse import Filters
from app.search import search_service

SYNTAX = ["AND", "OR", "NOT", "*", "?", ":", "(", ")", "[", "]", "{", "}", '"', "'", "~", "^2", "TO", "-", "+",
          "name:", "\\", "/", "<", ">", "&", "%", "#"]
ODD = ["😀", "👨‍👩‍👧", "مرحبا", "שלום", "\u202e", "\u200f", "\x00", "\x1b", "\r\n", "\t", "ﬀ", "İ", "ß", "\ufeff"]
WORDS = ["baby", "sleep", "speach", "money", "stay and play", "WR1 2AB", "wr1", "0", "20", "pregnancy", "pl"]

text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(SYNTAX + ODD + WORDS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(SYNTAX + ODD + WORDS), max_size=30).map("".join),
    st.builds(lambda piece, times: (piece * times)[:10_000], st.sampled_from(WORDS + ODD + SYNTAX), st.integers(1, 10_000)),
)
PARAMETERS = ["q", "postcode", "category", "district", "age", "cost", "level", "language", "day", "delivery",
              "radius", "sort", "page"]
VALID = {"postcode": "WR1 2AB", "radius": "5", "q": "baby", "language": "pl", "day": "monday", "sort": "distance"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(PARAMETERS), text, max_size=5), st.dictionaries(st.sampled_from(list(VALID)), st.just(""), max_size=3))
def test_no_search_makes_a_server_error(client, params, keep_valid):
    query = {name: VALID[name] for name in keep_valid} | params
    response = client.get("/services?" + urlencode(query))
    assert response.status_code in (200, 400)
    assert "Set-Cookie" not in response.headers


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text)
def test_the_engine_copes_with_any_words_even_past_the_forms_limit(app, words):
    with app.test_request_context("/services"):
        directory = search_service().directory()
        outcome = directory.search(Filters(q=words), None, {"district": ["worcester"]})
        assert len(outcome.results) <= directory.facets.size
