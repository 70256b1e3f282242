"""Result cards: links built once per page equal url_for's, and the parts kept per language are right."""

import pytest
from flask import g, url_for

from app.directory.cards import service_link
from app.signposting import here_with
from tests.pages import parse

SEARCHES = [
    "/services",
    "/services?q=sleep&postcode=WR1+2AB&s=a,b",
    "/services?q=caf%C3%A9+%26+%2F+%23&age=3&page=2&s=one",
    "/pl/services?q=sen&district=worcester",
]


@pytest.mark.parametrize("path", SEARCHES)
def test_links_made_once_per_page_are_url_fors(app, path):
    with app.test_request_context(path.removeprefix("/pl"), environ_base={"SCRIPT_NAME": "/pl"} if path.startswith("/pl") else None):
        app.preprocess_request()
        from flask import request

        args = {name: value for name, value in request.args.items() if name not in ("s", "page")}
        for slug in ("stay-and-play-at-catshill", "a", "x-1-2"):
            assert service_link(slug, args) == url_for("directory.service", slug=slug, **args)
            assert service_link(slug) == url_for("directory.service", slug=slug)
            for s in (None, "a", "a,b,c", "ąę"):
                values = {name: request.args.getlist(name) for name in request.args if name != "s"}
                assert here_with(s, f"list-{slug}") == url_for("directory.browse", **values, s=s, _anchor=f"list-{slug}")
                assert here_with(s) == url_for("directory.browse", **values, s=s)
        assert g.here_without_list


def test_card_parts_are_kept_per_language(app, client):
    kept = app.extensions["card_parts"]
    english = parse(client.get("/services?age=pregnancy"))
    polish = parse(client.get("/pl/services?age=pregnancy"))
    assert len(kept) > 0
    first_en = english.select_one(".app-result dl").get_text(" ", strip=True)
    first_pl = polish.select_one(".app-result dl").get_text(" ", strip=True)
    assert "Cost:" in first_en and "Age:" in first_en
    assert "Koszt:" in first_pl and "Cost:" not in first_pl
    # the same again comes from what is kept, and reads the same
    again = parse(client.get("/services?age=pregnancy")).select_one(".app-result dl").get_text(" ", strip=True)
    assert again == first_en
