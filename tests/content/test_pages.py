"""Start for Life and the site's pages as a visitor sees them."""

import re
import shutil
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import html5lib
import pytest

from app.content.library import render
from tests import clock
from tests.pages import parse, text_of
from tests.signposting.reading import card_names, follow, toggle, your_list

CONTENT = Path(__file__).parents[2] / "content"
START_FOR_LIFE = sorted(path.stem for path in (CONTENT / "start-for-life").glob("*.md"))
SITE_PAGES = sorted(path.stem for path in (CONTENT / "pages").glob("*.md"))
STAGES = ["pregnancy", "birth-to-6-months", "6-to-12-months", "1-to-2-years", "2-to-4-years"]
EVERY_URL = (
    ["/start-for-life"]
    + [f"/start-for-life/{stage}" for stage in STAGES]
    + [f"/start-for-life/{slug}" for slug in START_FOR_LIFE]
    + [f"/pages/{slug}" for slug in SITE_PAGES]
)


def valid_html(response):
    """The page parsed by the HTML standard's own parsing rules, with any parse error raised."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.get_data(as_text=True))
    return parse(response)


def test_there_are_enough_pages_for_every_stage():
    assert len(START_FOR_LIFE) >= 25
    for wanted in ["what-is-early-help", "levels-of-need", "urgent-help", "staying-safe-online",
                   "accessibility", "privacy", "cookies"]:
        assert wanted in SITE_PAGES


def test_every_content_page_renders_as_valid_html_with_its_title(client):
    for url in EVERY_URL:
        response = client.get(url)
        assert response.status_code == 200, url
        page = valid_html(response)
        assert text_of(page.find("h1")), url
        alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"]')}
        assert set(alternates) == {"en", "pl", "ro", "ur", "x-default"}, url
        for code in ("pl", "ro", "ur"):
            assert alternates[code].endswith(f"/{code}" + url)
        assert alternates["x-default"].endswith(url)


def test_every_link_inside_the_pages_goes_somewhere(client):
    """Links written between source files work on the site, in English and in every other language."""
    for prefix in ("", "/pl", "/ro", "/ur"):
        for url in EVERY_URL[6:]:
            page = parse(client.get(prefix + url))
            for link in page.select("#page-content a[href]"):
                href = link["href"]
                if re.match(r"^(https?:|mailto:|tel:)", href):
                    continue
                base = prefix + url
                target = str(Path(base).parent / href.split("#")[0]) if not href.startswith("#") else base
                target = re.sub(r"/[^/]+/\.\./", "/", target)
                assert not href.endswith(".md"), (url, href)
                response = client.get(target)
                assert response.status_code == 200, (base, href, target)
                assert target.startswith(prefix + "/"), (base, href)  # a Polish visitor stays in Polish


def test_the_start_page_lists_the_stages_and_offers_the_date_forms(client):
    page = valid_html(client.get("/start-for-life"))
    links = [text_of(a) for a in page.select("#stages a")]
    assert links == ["Pregnancy", "Birth to 6 months", "6 to 12 months", "1 to 2 years", "2 to 4 years"]
    assert page.select_one("form input[name=due-day]") and page.select_one("form input[name=born-year]")


def test_a_stage_page_lists_its_pages_with_summaries(client):
    page = valid_html(client.get("/start-for-life/6-to-12-months"))
    items = page.select("#stage-pages li")
    titles = [text_of(item.find("a")) for item in items]
    assert "Starting your baby on solid foods" in titles and "Safe sleep for your baby" in titles
    assert "Potty and toilet training" not in titles  # a 2 to 4 years page
    assert all(text_of(item.find("span")) for item in items)  # each with its summary
    more = [text_of(item.find("a")) for item in page.select("#stage-more li")]
    assert more and titles[-len(more):] == more  # after "Start here"


def stage_lists(client, stage):
    """The titles under "Start here", and the rest, on a stage's page."""
    page = valid_html(client.get(f"/start-for-life/{stage}"))
    assert text_of(page.select_one("#stage-pages h2")) == "Start here"
    return ([text_of(a) for a in page.select("#stage-start-here li > a")],
            [text_of(a) for a in page.select("#stage-more li > a")])


def test_the_pregnancy_page_starts_with_antenatal_care_then_the_rest_a_to_z(client):
    first, rest = stage_lists(client, "pregnancy")
    assert first[0] == "Your antenatal care"
    assert first[1:] == ["Keeping healthy in pregnancy", "Feeling unsafe at home",
                         "Your mental health in pregnancy and after birth",
                         "Help with money when you are pregnant or have a young child"]
    assert "Antenatal classes" in rest and "Antenatal classes" not in first
    unranked = rest[-3:]  # the pages with no priority for pregnancy
    assert unranked == sorted(unranked, key=str.casefold) == [
        "Antenatal classes", "Being a dad or partner", "Mental health for dads and partners",
    ]


def test_a_new_baby_page_puts_safe_sleep_first_and_feeling_unsafe_near_the_top(client):
    first, rest = stage_lists(client, "birth-to-6-months")
    assert first[0] == "Safe sleep for your baby"
    assert {"Breastfeeding your baby", "Bottle feeding your baby", "Crying and soothing your baby",
            "Feeling unsafe at home"} == set(first[1:])
    assert rest.index("Your mental health in pregnancy and after birth") == 0


def test_toddler_pages_start_with_play_talking_and_behaviour(client):
    first, _ = stage_lists(client, "1-to-2-years")
    assert first[:3] == ["Play and learning for toddlers", "Helping your child learn to talk",
                         "Tantrums and toddler behaviour"]
    assert "Feeling unsafe at home" in first


def test_a_page_ends_with_services_for_its_topics_and_related_pages(client):
    page = valid_html(client.get("/start-for-life/breastfeeding"))
    services = page.select("#page-services .app-result")
    assert 1 <= len(services) <= 5
    names = [text_of(s.find("a")).casefold() for s in services]
    assert any("feed" in name or "breast" in name or "baby" in name for name in names), names
    see_all = page.select("#page-services ul.govuk-list a")
    assert see_all and "category=infant-feeding" in see_all[0]["href"]
    related = [a["href"] for a in page.select("#related a")]
    assert related and all(href.startswith("/start-for-life/") for href in related)


@pytest.mark.parametrize("url", ["/start-for-life/breastfeeding?postcode=wr1+2ab", "/pages/what-is-early-help"])
def test_each_service_on_a_content_page_can_be_added_to_the_list(client, url):
    page = parse(client.get(url))
    services = {urlsplit(a["href"]).path.rsplit("/", 1)[1]: text_of(a) for a in page.select("#page-services .app-result h3 a")}
    assert services
    assert all(toggle(page, slug)[0] == "Add to list" for slug in services)
    slug, name = next(iter(services.items()))
    href = toggle(page, slug)[1]
    parts = urlsplit(href)
    assert parts.path == urlsplit(url).path and parts.fragment == f"list-{slug}"  # back to the same place
    assert parse_qs(parts.query).get("postcode") == parse_qs(urlsplit(url).query).get("postcode")

    page = follow(client, href)
    assert toggle(page, slug)[0] == "Remove from list"
    assert your_list(page) == "Your list (1)"
    other = next(s for s in services if s != slug)
    page = follow(client, toggle(page, other)[1])
    assert your_list(page) == "Your list (2)"
    page = follow(client, page.find("a", attrs={"data-your-list": True})["href"])
    assert card_names(page) == [name, services[other]]


def test_with_a_postcode_the_nearest_services_come_first(client):
    page = parse(client.get("/start-for-life/breastfeeding?postcode=wr1+2ab"))
    assert page.select_one("#postcode")["value"] == "WR1 2AB"
    distances = [
        float(text_of(d).split()[0]) for d in page.select("#page-services .app-result__distance")
        if re.match(r"^[\d.]+ miles?", text_of(d))
    ]
    assert len(distances) >= 2 and distances == sorted(distances)
    bad = parse(client.get("/start-for-life/breastfeeding?postcode=not+a+postcode"))
    assert "Enter a real postcode, like WR1 2AB" in text_of(bad.select_one(".govuk-error-message"))
    assert bad.select("#page-services .app-result")  # services are still shown


@pytest.mark.parametrize(("code", "name", "direction"), [("pl", "Polski", "ltr"), ("ro", "Română", "ltr"), ("ur", "اردو", "rtl")])
def test_a_translated_page_is_in_its_language_and_a_missing_one_falls_back_with_a_notice(client, code, name, direction):
    english = parse(client.get("/pages/urgent-help"))
    for slug in ("pages/urgent-help", "start-for-life/safe-sleep"):
        translated = valid_html(client.get(f"/{code}/{slug}"))
        assert translated.find("html")["lang"] == code and translated.find("html")["dir"] == direction
        assert not translated.select(".govuk-notification-banner")
        assert not translated.select("#page-content [lang=en]")
    assert text_of(translated.find("h1")) != text_of(english.find("h1"))

    fallback = valid_html(client.get(f"/{code}/start-for-life/toilet-training"))
    notice = text_of(fallback.select_one(".govuk-notification-banner"))
    assert name in notice
    marked = fallback.select_one("div[lang=en]")
    assert marked.find("h1") is not None  # the English text is marked as English
    assert marked.get("dir") == ("ltr" if direction == "rtl" else None)  # and keeps its direction in an Urdu page


def test_urgent_help_shows_the_helplines_from_the_settings(client):
    page = parse(client.get("/pages/urgent-help"))
    text = text_of(page.select_one("#page-content"))
    for name, number in [("Childline", "0800 1111"), ("Samaritans", "116 123"),
                         ("National Domestic Abuse Helpline", "0808 2000 247")]:
        assert name in text and number in text
    assert page.select_one('#page-content a[href="tel:08001111"]') is not None
    assert "01632 960100" in text  # the council's children's front door


def test_content_pages_are_found_by_search(client):
    page = parse(client.get("/services?q=safe+sleep"))
    advice = [a["href"] for a in page.select(".app-advice a")]
    assert "/start-for-life/safe-sleep" in advice
    site_page = parse(client.get("/services?q=exit+this+page"))
    assert "/pages/staying-safe-online" in [a["href"] for a in site_page.select(".app-advice a")]


def test_sanitising_removes_scripts_handlers_javascript_links_and_styles():
    source = (
        "Hello <script>alert('x')</script>\n\n"
        '<img src="x.png" onerror="alert(1)">\n\n'
        "[click](javascript:alert(1)) and <a href=\"javascript:alert(2)\">this</a>\n\n"
        '<p style="color: red" onclick="steal()">Styled</p>\n\n'
        "[fine](https://www.nhs.uk/) and [home](/services)"
    )
    html = render(source).html
    lowered = html.casefold()
    for banned in ["<script", "alert('x')", "onerror", "javascript:", "style=", "onclick"]:
        assert banned not in lowered, banned
    assert 'href="https://www.nhs.uk/"' in html and 'href="../services"' in html


TODAY = clock.today()
NEXT_YEAR = str(TODAY.year + 1)


@pytest.mark.parametrize(
    "form, stage",
    [
        ({**clock.date_fields("due", TODAY + timedelta(days=100)), "due-submit": "1"}, "pregnancy"),
        ({**clock.date_fields("born", TODAY - timedelta(days=52)), "born-submit": "1"}, "birth-to-6-months"),
        ({**clock.date_fields("born", TODAY - timedelta(days=200)), "born-submit": "1"}, "6-to-12-months"),
        ({**clock.date_fields("born", clock.years_ago(1)), "born-submit": "1"}, "1-to-2-years"),  # first birthday today
        ({**clock.date_fields("born", clock.years_ago(4) + timedelta(days=1)), "born-submit": "1"}, "2-to-4-years"),
    ],
)
def test_a_date_takes_the_parent_to_the_stage_that_fits(app_with, form, stage):
    client = clocked(app_with).test_client()
    response = client.post("/start-for-life", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/start-for-life/{stage}")


def test_an_older_child_is_taken_to_services_for_their_age(app_with):
    client = clocked(app_with).test_client()
    seven = clock.years_ago(7) - timedelta(days=30)
    response = client.post("/start-for-life", data={**clock.date_fields("born", seven), "born-submit": "1"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/services?age=7")


@pytest.mark.parametrize(
    "form, message, wrong",
    [
        ({"due-submit": "1"}, "Enter your baby’s due date", "due-day"),
        ({"due-day": "12", "due-year": NEXT_YEAR, "due-submit": "1"}, "Due date must include a month", "due-month"),
        ({"due-day": "31", "due-month": "2", "due-year": NEXT_YEAR, "due-submit": "1"}, "Due date must be a real date", "due-day"),
        ({"due-day": "1", "due-month": "13", "due-year": NEXT_YEAR, "due-submit": "1"}, "Due date must be a real date", "due-day"),
        ({"due-day": "x", "due-month": "3", "due-year": NEXT_YEAR, "due-submit": "1"}, "Due date must be a real date", "due-day"),
        ({"due-day": "9" * 20, "due-month": "3", "due-year": NEXT_YEAR, "due-submit": "1"}, "Due date must be a real date", "due-day"),
        ({"due-day": "1", "due-month": "9" * 20, "due-year": NEXT_YEAR, "due-submit": "1"}, "Due date must be a real date", "due-day"),
        ({"due-day": "1", "due-month": "3", "due-year": NEXT_YEAR[2:], "due-submit": "1"}, "Year must include 4 numbers", "due-year"),
        ({**clock.date_fields("due", TODAY + timedelta(weeks=41)), "due-submit": "1"},
         "Due date must be no more than 40 weeks from today", "due-day"),
        ({**clock.date_fields("born", TODAY + timedelta(days=1)), "born-submit": "1"},
         "Date of birth must be today or in the past", "born-day"),
        ({"born-day": "30", "born-month": "2", "born-year": str(TODAY.year), "born-submit": "1"},
         "Date of birth must be a real date", "born-day"),
    ],
)
def test_impossible_dates_get_a_clear_error(app_with, form, message, wrong):
    client = clocked(app_with).test_client()
    response = client.post("/start-for-life", data=form)
    assert response.status_code == 200
    page = valid_html(response)
    assert text_of(page.select_one(".govuk-error-summary a")) == message
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{wrong}"
    assert page.find(id=wrong) is not None
    assert page.find("title").get_text().startswith("Error:")
    assert message in text_of(page.select_one(".govuk-error-message"))


def test_images_beside_a_page_are_served_and_have_alt_text(app_with, tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(Path(__file__).parent / "good", tmp_path / "content" / "start-for-life", dirs_exist_ok=True)
    client = app_with(CONTENT_DIR=tmp_path / "content").test_client()
    page = parse(client.get("/start-for-life/good"))
    image = page.select_one("#page-content img")
    assert image["alt"] == "A baby asleep on their back in a cot"
    assert client.get("/start-for-life/" + image["src"]).status_code == 200
    assert client.get("/start-for-life/images/../../settings.toml").status_code == 404
    assert client.get("/start-for-life/images/missing.png").status_code == 404


def clocked(app_with):
    """An app of its own whose clock stands still at 10:00 on the test clock's today."""
    return app_with(CLOCK=lambda: clock.at(TODAY, 10))
