"""Whatever ``s`` holds, the list pages answer with the page asked for, showing at most 30 services of
the directory in the order given, never a server error or a cookie."""

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Service
from app.models.codes import LISTED_STATUSES
from tests.pages import heading, parse, text_of
from tests.search.test_fuzz import ODD, SYNTAX, text
from tests.signposting.reading import card_names, list_banner, your_list

SLUGS = ["stay-and-play-at-catshill", "bromsgrove-baby-cafe", "STAY-AND-PLAY-AT-CATSHILL", "no-such-service", "-", "a--b",
         "x" * 121, "baby-café", "é", "..", "%2C", "%00", "service/../admin"]
SEPARATORS = [",", " ", ",,", "+", "%2C", ";", "\n", "\t", "|"]
MAXIMUM = 30  # services a list holds

values = st.one_of(
    text,
    st.lists(st.sampled_from(SLUGS + ODD + SYNTAX), max_size=60).map(",".join),
    st.builds(lambda parts, separator: separator.join(parts),
              st.lists(st.sampled_from(SLUGS), max_size=200), st.sampled_from(SEPARATORS)),
)
PAGES = ["/shortlist", "/services", "/services/bromsgrove-baby-cafe", "/pl/shortlist", "/services/no-such-service"]


@pytest.fixture
def directory(app):
    """The name of each listed service, by slug."""
    with app.app_context():
        listed = select(Service.slug, Service.name).where(Service.status.in_(LISTED_STATUSES))
        return dict(db.session.execute(listed).all())


@pytest.fixture
def headings(client):
    """Each page's heading with no list."""
    return {path: heading(parse(client.get(path))) for path in PAGES}


def header_count(page):
    """N in the header's "Your list (N)"; 0 when the header shows no list."""
    shown = your_list(page)
    return 0 if shown is None else int(re.search(r"\((\d+)\)$", shown)[1])


@settings(max_examples=150)
@given(path=st.sampled_from(PAGES), lists=st.lists(values, min_size=1, max_size=3), raw=st.booleans(), data=st.data())
def test_any_list_gives_a_page(client, directory, headings, path, lists, raw, data):
    # First in the address, real services (sometimes more than a list holds), then anything at all.
    services = st.sampled_from(sorted(directory))
    few, many = st.lists(services, max_size=5), st.lists(services, min_size=MAXIMUM - 5, max_size=2 * MAXIMUM)
    chosen = data.draw(st.one_of(few, many), label="services first")
    lists = [",".join(chosen), *lists]
    if raw:  # straight into the URL, as a hand-edited link would be
        query = "&".join("s=" + quote(value, safe=",+%") for value in lists)
    else:
        query = urlencode([("s", value) for value in lists])
    response = client.get(f"{path}?{query}")
    expected = 404 if path.endswith("no-such-service") else 200
    assert response.status_code == expected
    assert "Set-Cookie" not in response.headers
    page = parse(response)
    assert heading(page) == headings[path]  # the page asked for, whatever the list
    wanted = list(dict.fromkeys(chosen))
    others = {slug.lower() for slug in SLUGS} & set(directory)  # real services the other values may name
    count = header_count(page)  # "Your list (N)": the services named, up to 30
    assert min(len(wanted), MAXIMUM) <= count <= min(len(set(wanted) | others), MAXIMUM), (count, len(wanted))
    if len(wanted) > MAXIMUM and expected == 200:
        assert page.find(id="list-full-title") is not None and list_banner(page)  # "Your list is full": not added
    if path.endswith("shortlist"):
        cards = card_names(page)
        assert len(cards) == count  # the list shown is the one the header counts
        assert cards[:min(len(wanted), MAXIMUM)] == [directory[slug] for slug in wanted[:MAXIMUM]]  # in the order given
        assert set(cards) <= set(directory.values())  # only services of the directory
        if cards:
            assert text_of(page.find(id="list-count")).startswith(str(len(cards)))
        else:
            assert page.find(id="list-count") is not None  # "Your list is empty."
