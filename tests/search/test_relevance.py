"""The relevance test set: searches as families type them, against the demo directory.

Each case in ``relevance_cases.toml`` names services that must come in the first
3 results (any one of them) and services that must all come in the first 10, and
may name the advice pages one of which must be the first shown above them (or,
with ``advice = []``, say that no advice page may show).
"""

import tomllib
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.pages import parse

CASES = tomllib.loads((Path(__file__).parent / "relevance_cases.toml").read_text(encoding="utf-8"))["case"]


def result_slugs(client, **params):
    return shown(client, **params)[1]


def shown(client, **params):
    """(advice pages as section/slug, services' slugs) in the order the results page shows them."""
    soup = parse(client.get("/services?" + urlencode(params)))
    advice = [link["href"].split("?")[0].strip("/") for link in soup.select(".app-advice__item > a")]
    services = [link["href"].split("?")[0].rsplit("/", 1)[-1] for link in soup.select(".app-result h2 a")]
    return advice, services


def test_the_set_is_broad_enough():
    assert len(CASES) >= 30
    assert sum(1 for case in CASES if "postcode" in case) >= 5
    assert sum(1 for case in CASES if '"' in case["query"]) >= 2
    assert sum(1 for case in CASES if case.get("advice")) >= 20
    assert sum(1 for case in CASES if case.get("advice") == []) >= 10


def test_every_case_names_what_it_expects(app):
    """A case that names nothing can never fail; an advice page that does not exist never shows."""
    library = app.extensions["content"]
    pages = {f"{page.section}/{page.slug}" for page in library.english()}
    for case in CASES:
        assert case.get("top3") or case.get("top10") or "advice" in case, case["query"]
        unknown = [name for name in case.get("advice", []) if name not in pages]
        assert not unknown, f"{case['query']}: no such page {unknown}"


@pytest.mark.parametrize("case", CASES, ids=[case["query"] for case in CASES])
def test_the_right_help_is_on_the_first_screen(client, case):
    params = {"q": case["query"]}
    if "postcode" in case:
        params["postcode"] = case["postcode"]
    advice, found = shown(client, **params)
    if "advice" in case:
        if case["advice"]:
            assert advice and advice[0] in case["advice"], f"first advice page {advice[:1]}, not one of {case['advice']}"
        else:
            assert not advice, f"no advice page is about {case['query']!r}, yet {advice} showed"
    assert set(case.get("top3", [])) & set(found[:3]) or not case.get("top3"), (
        f"none of {case['top3']} in the top 3: {found[:3]}"
    )
    missing = [slug for slug in case.get("top10", []) if slug not in found[:10]]
    assert not missing, f"{missing} not in the top 10: {found[:10]}"
