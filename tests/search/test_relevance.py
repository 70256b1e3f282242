"""The relevance test set: searches as families type them, against the demo directory.

Each case in ``relevance_cases.toml`` names services that must come in the first
3 results (any one of them) and services that must all come in the first 10.
"""

import tomllib
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.pages import parse

CASES = tomllib.loads((Path(__file__).parent / "relevance_cases.toml").read_text(encoding="utf-8"))["case"]


def result_slugs(client, **params):
    soup = parse(client.get("/services?" + urlencode(params)))
    return [link["href"].split("?")[0].rsplit("/", 1)[-1] for link in soup.select(".app-result h2 a")]


def test_the_set_is_broad_enough():
    assert len(CASES) >= 30
    assert sum(1 for case in CASES if "postcode" in case) >= 5
    assert sum(1 for case in CASES if '"' in case["query"]) >= 2


@pytest.mark.parametrize("case", CASES, ids=[case["query"] for case in CASES])
def test_the_right_help_is_on_the_first_screen(client, case):
    params = {"q": case["query"]}
    if "postcode" in case:
        params["postcode"] = case["postcode"]
    found = result_slugs(client, **params)
    assert set(case.get("top3", [])) & set(found[:3]) or not case.get("top3"), (
        f"none of {case['top3']} in the top 3: {found[:3]}"
    )
    missing = [slug for slug in case.get("top10", []) if slug not in found[:10]]
    assert not missing, f"{missing} not in the top 10: {found[:10]}"
