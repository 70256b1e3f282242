"""Whatever is typed into the search, the postcode or any filter: the results page, with any value it
cannot use explained beside its own field, never a server error.

No answer of ``/services`` is a 400: a bad value is reported by the browse form
(app/directory/forms.py) and that filter left out (app/directory/views.py), so
every query string gets the results page.
"""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Service
from app.models.codes import LISTED_STATUSES
from app.search import search_service
from app.search.listing import Filters
from tests.fuzzing import results_page

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


@settings(max_examples=100)
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), text, max_size=5),
       keep_valid=st.dictionaries(st.sampled_from(list(VALID)), st.just(""), max_size=3))
@example(params={"sort": "bogus"}, keep_valid={})  # no such order: the usual one, without a message
@example(params={"page": "0"}, keep_valid={})  # no such page: the first, without a message
def test_no_search_makes_a_server_error(client, params, keep_valid):
    query = {name: VALID[name] for name in keep_valid} | params
    page = results_page(client, query)
    explained = {link["href"][1:] for link in page.select(".govuk-error-summary__list a")}
    assert not explained & (set(keep_valid) - set(params)), (query, explained)  # a good value is never turned down


@pytest.fixture
def listed(app):
    """The directory's listed services in the database: name by slug."""
    with app.app_context():
        listed = select(Service.slug, Service.name).where(Service.status.in_(LISTED_STATUSES))
        return dict(db.session.execute(listed).all())


@settings(max_examples=50)
@given(text)
@example("")
@example(" \t\r\n ")
@example("baby")
def test_the_engine_copes_with_any_words_even_past_the_forms_limit(app, listed, words):
    with app.test_request_context("/services"):
        directory = search_service().directory()
        outcome = directory.search(Filters(q=words), None, {"district": ["worcester"]})
    found = [result.listing for result in outcome.results]
    assert len({listing.slug for listing in found}) == len(found)  # no service twice
    assert all(listed.get(listing.slug) == listing.name for listing in found)  # each a listed service, by its name
    if not words.split():
        assert {listing.slug for listing in found} == set(listed)  # no words: the whole directory
    if words == "baby":
        assert found  # the demo directory has baby groups: the engine really searches
