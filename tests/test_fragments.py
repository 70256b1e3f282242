"""Pieces of the layout kept once rendered (app/templating.py, Fragments): each page still shows its own."""

from tests.pages import parse, text_of


def active_item(page):
    found = page.select(".govuk-service-navigation__item--active")
    return [text_of(item) for item in found]


def test_each_part_of_the_site_marks_its_own_menu_item_when_the_header_is_kept(app, client):
    for _ in range(2):  # the second time, every header comes from what is kept
        assert active_item(parse(client.get("/services"))) == ["Find a service"]
        assert active_item(parse(client.get("/start-for-life"))) == ["Start for Life"]
        assert active_item(parse(client.get("/get-help"))) == ["Get help for your family"]
        assert active_item(parse(client.get("/"))) == []
        assert active_item(parse(client.get("/pl/services"))) == ["Znajdź usługę"]
    assert len(app.extensions["fragments"]) > 0


def test_languages_keep_their_own_pieces(client):
    english, polish = parse(client.get("/pages/privacy")), parse(client.get("/pl/pages/privacy"))
    assert "Family information service" in text_of(english.find("footer"))
    assert "Family information service" not in text_of(polish.find("footer"))
    assert polish.select_one(".govuk-exit-this-page a")["href"].startswith("/pl/")
    assert not english.select_one(".govuk-exit-this-page a")["href"].startswith("/pl/")
    again = parse(client.get("/pages/privacy"))
    assert text_of(again.find("footer")) == text_of(english.find("footer"))


def test_a_header_counting_a_list_is_each_list_s_own(client):
    first, second = [a["href"].split("/")[-1].split("?")[0] for a in parse(client.get("/services")).select(".app-result h2 a")][:2]
    for slugs, count in (("", None), (first, 1), (f"{first},{second}", 2), (second, 1), ("", None)):
        page = parse(client.get(f"/services?s={slugs}"))
        your_list = page.select_one("[data-your-list]")
        shown = text_of(your_list)
        if count is None:
            assert your_list.find_parent(attrs={"hidden": True}) is not None
        else:
            assert f"({count})" in shown
