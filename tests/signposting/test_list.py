"""The list of services in the URL: adding, removing, reordering, its limit, and services that go away."""

import copy
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import select

from app.directory.importer import clear_directory, import_services
from app.extensions import db
from app.models import Service
from app.signposting.sharing import PRINTED_SIZES
from tests.pages import heading, parse, text_of
from tests.signposting.reading import (
    card_action,
    card_names,
    follow,
    list_banner,
    qr_text,
    shown,
    submit,
    toggle,
    your_list,
)
from tests.styles import BUILT

ROOT_DEMO = json.loads((Path(__file__).resolve().parents[2] / "content" / "directory" / "demo-services.json")
                       .read_text(encoding="utf-8"))


@pytest.fixture
def listed(app):
    """The slugs and names of the services the public can see, in name order."""
    with app.app_context():
        rows = db.session.execute(
            select(Service.slug, Service.name).where(Service.status == "active").order_by(Service.name)
        ).all()
    return dict(rows)


def test_adding_removing_and_reordering_keep_the_order(client, listed):
    a, b, c = list(listed)[:3]
    page = parse(client.get("/services"))
    assert your_list(page) is None  # no list yet, so no "Your list" in the header
    for number, slug in enumerate((a, b, c), start=1):
        text, href = toggle(page, slug)
        assert text == "Add to list"
        page = follow(client, href)
        assert toggle(page, slug)[0] == "Remove from list"
        assert shown(page.find(id=f"list-{slug}").select_one(".app-list-toggle__tag")) == "In your list"
        assert your_list(page) == f"Your list ({number})"
    page = follow(client, page.find("a", attrs={"data-your-list": True})["href"])
    assert heading(page) == "Your list of services"
    assert card_names(page) == [listed[a], listed[b], listed[c]]
    assert text_of(page.find(id="list-count")) == "3 services"

    page = follow(client, card_action(page, b, "Remove"))
    assert card_names(page) == [listed[a], listed[c]]
    assert your_list(page) == "Your list (2)"

    move_c_up = card_action(page, c, "Move up")
    assert urlsplit(move_c_up).fragment == f"service-{c}"  # the page opens at the service that moved
    page = follow(client, move_c_up)
    assert card_names(page) == [listed[c], listed[a]]
    first_actions = [text_of(x) for x in page.select(f"#service-{c} .govuk-summary-card__actions a")]
    assert first_actions == [f"Move down ({listed[c]})", f"Remove ({listed[c]})"]  # no "Move up" for the first

    # Removing from a results page takes the service out and leaves the others in order.
    page = follow(client, page.find("a", string="Add more services")["href"])
    page = follow(client, toggle(page, c)[1])
    assert toggle(page, c)[0] == "Add to list"
    assert your_list(page) == "Your list (1)"

    page = follow(client, "/shortlist?s=" + ",".join((a, b)))
    page = follow(client, page.find("a", string="Clear list")["href"])
    assert card_names(page) == []
    assert text_of(page.find(id="list-count")) == "Your list is empty."
    assert your_list(page) is None


def test_duplicates_unknown_and_badly_formed_slugs_are_dropped_quietly(client, listed):
    a, b, c = list(listed)[3:6]
    messy = f"{a},no-such-service,{a},{b.upper()},not a slug!!,{c},,{b}"
    page = parse(client.get("/shortlist?s=" + messy))
    assert card_names(page) == [listed[a], listed[b], listed[c]]
    assert your_list(page) == "Your list (3)"
    assert list_banner(page) is None
    # Every link from here carries the clean list.
    share = page.find(id="list-link")["value"]
    assert parse_qs(urlsplit(share).query)["s"] == [f"{a},{b},{c}"]
    # Repeated s parameters and spaces join up too.
    page = parse(client.get(f"/shortlist?s={a}+{b}&s={c}"))
    assert card_names(page) == [listed[a], listed[b], listed[c]]


def test_the_list_survives_a_search_a_filter_change_and_a_service_page(client, listed):
    a, b = list(listed)[6:8]
    page = parse(client.get(f"/services?s={a},{b}"))
    assert your_list(page) == "Your list (2)"

    # A new search, sent from the search form.
    page = submit(client, page, q="baby")
    assert page.select(".app-result")
    assert your_list(page) == "Your list (2)"

    # Filters changed in the form, then one removed by its link.
    page = submit(client, page, q="baby", cost="free", district="worcester")
    assert your_list(page) == "Your list (2)"
    remove = next(a_ for a_ in page.select(".app-filter-tags a") if "Worcester" in text_of(a_))
    page = follow(client, remove["href"])
    assert "district" not in parse_qs(urlsplit(remove["href"]).query)
    assert your_list(page) == "Your list (2)"

    # A result's page, and back to the search from it.
    result = page.select_one(".app-result h2 a")
    page = follow(client, result["href"])
    assert your_list(page) == "Your list (2)"
    assert toggle(page, urlsplit(result["href"]).path.rsplit("/", 1)[1])[0] == "Add to list"
    page = follow(client, page.select_one(".govuk-back-link")["href"])
    assert heading(page) == "Find a service"
    assert your_list(page) == "Your list (2)"

    # Links that leave the directory do not carry the list.
    nav = {text_of(a_): a_["href"] for a_ in page.select(".govuk-service-navigation__list a")}
    assert nav["Start for Life"] == "/start-for-life"
    assert parse_qs(urlsplit(nav["Find a service"]).query)["s"] == [f"{a},{b}"]


def test_a_service_page_adds_and_removes_itself(client, listed):
    a, b = list(listed)[8:10]
    page = parse(client.get(f"/services/{b}?s={a}"))
    text, href = toggle(page, b)
    assert text == "Add to list"
    assert urlsplit(href).path == f"/services/{b}"
    page = follow(client, href)
    assert toggle(page, b)[0] == "Remove from list"
    assert your_list(page) == "Your list (2)"
    page = follow(client, page.find("a", attrs={"data-your-list": True})["href"])
    assert card_names(page) == [listed[a], listed[b]]


def test_a_list_of_thirty_renders_and_a_thirty_first_is_refused(client, listed):
    slugs = list(listed)[:31]
    full, extra = slugs[:30], slugs[30]
    page = parse(client.get("/shortlist?s=" + ",".join(full)))
    assert card_names(page) == [listed[s] for s in full]
    assert your_list(page) == "Your list (30)"
    assert text_of(page.find(id="list-count")) == "30 services"
    assert list_banner(page) is None
    # The QR code of a long list still holds all of it, and is drawn larger on paper.
    qr = page.select_one(".app-qr svg[role=img]")
    assert qr_text(qr) == [page.find(id="list-link")["value"]]
    assert "app-handout--qr-dense" in page.select_one(".app-handout")["class"]

    # The 31st, added from a results page: the page says no, and keeps the 30.
    page = parse(client.get("/services?q=&s=" + ",".join(full) + "&page=4"))
    href = next(toggle(page, s)[1] for s in listed if s not in full and page.find(id=f"list-{s}"))
    page = follow(client, href)
    banner = list_banner(page)
    assert banner is not None and "Your list is full" in banner
    assert "Your list can hold up to 30 services, so" in banner and "was not added" in banner
    assert your_list(page) == "Your list (30)"
    assert parse_qs(urlsplit(page.find("a", attrs={"data-your-list": True})["href"]).query)["s"] == [",".join(full)]

    # And from a service page.
    page = parse(client.get(f"/services/{extra}?s=" + ",".join(full)))
    page = follow(client, toggle(page, extra)[1])
    assert f"‘{listed[extra]}’ was not added" in list_banner(page)
    assert toggle(page, extra)[0] == "Add to list"

    # A link with many more than 30.
    page = parse(client.get("/shortlist?s=" + ",".join(list(listed)[:40])))
    assert len(card_names(page)) == 30
    assert "so 10 services were not added" in list_banner(page)


def test_a_closed_renamed_or_removed_service_stays_in_the_list(app, client, listed, restore_demo):
    a, b, c, d = list(listed)[10:14]
    with app.app_context():
        db.session.scalar(select(Service).where(Service.slug == b)).status = "defunct"
        db.session.commit()
        records = {r["name"]: copy.deepcopy(r) for r in ROOT_DEMO}
        renamed = records[listed[c]]
        renamed["name"] = listed[c] + " (new name)"
        import_services([renamed])
        new_slug = db.session.scalar(select(Service.slug).where(Service.id == renamed["id"]))
        # d is removed altogether: the directory is replaced by one without it.
        kept = [r for r in ROOT_DEMO if r["name"] not in (listed[d], listed[c])] + [renamed]
        clear_directory()
        import_services(kept)
        db.session.scalar(select(Service).where(Service.slug == b)).status = "defunct"
        db.session.commit()
    assert new_slug != c

    page = parse(client.get(f"/shortlist?s={a},{b},{c},{d}"))
    assert card_names(page) == [listed[a], listed[b], listed[c] + " (new name)", listed[d]]
    for gone in (b, d):
        card = page.find(id=f"service-{gone}")
        assert "This service is no longer available." in text_of(card)
        assert "Phone" not in text_of(card)
        assert [text_of(x) for x in card.select(".govuk-summary-card__actions a")][-1] == f"Remove ({listed[gone]})"
    assert "no longer available" not in text_of(page.find(id=f"service-{new_slug}"))
    assert your_list(page) == "Your list (4)"
    # The list now uses the renamed service's new slug.
    share = page.find(id="list-link")["value"]
    assert parse_qs(urlsplit(share).query)["s"] == [f"{a},{b},{new_slug},{d}"]
    # The renamed service's old page sends people on to its new one.
    moved = client.get(f"/services/{c}")
    assert moved.status_code == 301 and urlsplit(moved.headers["Location"]).path == f"/services/{new_slug}"
    assert client.get(f"/services/{d}").status_code == 404


def test_the_list_page_shows_what_a_family_needs_to_know(client, listed):
    slug = "stay-and-play-at-catshill" if "stay-and-play-at-catshill" in listed else next(iter(listed))
    page = parse(client.get(f"/services/{slug}"))
    service_page = {
        "phone": [text_of(a) for a in page.select("a.app-handout__phone[href^='tel:']")],
        "cost": text_of(page.find("h2", string="Cost").find_next_sibling()),
    }
    page = parse(client.get(f"/shortlist?s={slug}"))
    card = page.find(id=f"service-{slug}")
    keys = [text_of(dt) for dt in card.select(".govuk-summary-list__key")]
    for wanted in ("What it is", "Who it is for", "How to get this help", "Cost", "Opening times", "Address"):
        assert wanted in keys, wanted
    card_text = text_of(card)
    assert service_page["phone"], "the service chosen should have a phone number"
    for number in service_page["phone"]:
        assert number in card_text
    assert service_page["cost"] in card_text
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_the_list_can_be_shared_without_the_server_sending_anything(client, listed):
    a, b = list(listed)[14:16]
    page = parse(client.get(f"/shortlist?s={a},{b}"))
    link = page.find(id="list-link")["value"]
    assert link == f"http://family-hub.test/shortlist?s={a},{b}"  # the site's public address (SITE_URL)
    email = page.find(id="share-email")["href"]
    assert email.startswith("mailto:?")
    assert link in unquote(parse_qs(urlsplit(email).query)["body"][0])
    qr = page.select_one(".app-qr svg")
    assert qr["role"] == "img" and qr["aria-label"] == "QR code that opens this list"
    assert qr_text(qr) == [link]
    assert "app-handout--qr-dense" not in page.select_one(".app-handout")["class"]
    text = page.find(id="share-text")["href"]
    assert text.startswith("sms:") and link in unquote(text)
    for form in page.select("main form"):
        assert form.get("method", "get").lower() == "get"  # nothing on the page posts anything


def test_the_list_page_in_polish_keeps_its_language(client, listed):
    a = next(iter(listed))
    page = parse(client.get(f"/pl/shortlist?s={a}"))
    assert page.find("html")["lang"] == "pl"
    assert page.find(id="list-link")["value"] == f"http://family-hub.test/pl/shortlist?s={a}"
    assert urlsplit(page.find("a", attrs={"data-your-list": True})["href"]).path == "/pl/shortlist"


def test_the_empty_list_says_how_to_make_one(client):
    page = parse(client.get("/shortlist"))
    assert text_of(page.find(id="list-count")) == "Your list is empty."
    assert page.find("a", string="Find a service")["href"] == "/services"
    assert page.select(".govuk-summary-card") == []
    assert page.find(id="list-link") is None


@pytest.mark.parametrize("path", [
    "/shortlist", "/shortlist?s=stay-and-play-at-catshill,bromsgrove-baby-cafe", "/professionals",
    "/services?s=stay-and-play-at-catshill", "/services/bromsgrove-baby-cafe?s=stay-and-play-at-catshill",
    "/pl/shortlist?s=stay-and-play-at-catshill", "/pl/professionals",
])
def test_no_cookie_on_any_list_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []


def test_every_printed_code_is_drawn_at_least_0_45_mm_a_module():
    """The built stylesheet's box for each printed size holds the largest code of that size, its quiet zone
    of 4 modules a side included, at 0.45 mm a module or more (a phone's camera reads that from paper)."""
    css = BUILT.read_text(encoding="utf-8")
    for most, size in PRINTED_SIZES:
        width = re.search(rf"\.app-handout--qr-{size} \.app-qr__image\s*\{{\s*width:\s*([\d.]+)mm", css)
        assert width, size
        assert float(width[1]) / (most + 8) >= 0.45, (size, width[1])
    dense = re.search(r"\.app-handout--qr-dense \.app-qr__image\s*\{\s*width:\s*([\d.]+)mm", css)
    assert dense and float(dense[1]) > max(float(w) for w in re.findall(r"\.app-qr__image\s*\{\s*width:\s*([\d.]+)mm", css)
                                           if w != dense[1])
