"""The page for people who work with families."""

from tests.pages import heading, parse, text_of


def test_the_professionals_page_covers_need_referral_and_lists(app, client):
    settings = app.extensions["site_settings"]
    page = parse(client.get("/professionals"))
    assert heading(page) == "If you work with children and families"
    main = page.find("main")
    sections = [text_of(h2) for h2 in main.find_all("h2")]
    assert sections == ["Levels of need in brief", "Make a professional early help referral", "Give a family a list of services"]
    levels = [text_of(dt) for dt in main.select(".app-levels dt")]
    assert [level.split(":")[0] for level in levels] == ["Level 1", "Level 2", "Level 3", "Level 4"]
    # How to refer comes from the settings, which an editor can change.
    assert settings.referral["professional_how"] in text_of(main)
    links = {text_of(a): a["href"] for a in main.find_all("a")}
    assert links["How to make a professional early help referral"] == settings.referral["professional_url"]
    assert links["Read the levels of need in full"] == "/pages/levels-of-need"
    assert client.get(links["Read the levels of need in full"]).status_code == 200
    assert client.get(links["Find services for a family"]).status_code == 200
    steps = [text_of(li) for li in main.select("ol li")]
    assert len(steps) == 4 and "Add to list" in steps[1] and "30" in steps[1]
    assert settings.urgent_help["childrens_front_door_phone"] in text_of(main.select_one(".govuk-warning-text"))


def test_the_professionals_page_is_linked_from_every_page_footer_and_home(client):
    for path in ("/", "/services", "/pages/levels-of-need", "/shortlist"):
        footer = parse(client.get(path)).find("footer")
        assert any(a["href"] == "/professionals" for a in footer.find_all("a")), path
    home = parse(client.get("/"))
    assert any(a["href"] == "/professionals" for a in home.find("main").find_all("a"))
