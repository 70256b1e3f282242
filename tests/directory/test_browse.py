"""Browsing /services: filters, their counts, pages, and bad input."""

import re
from urllib.parse import urlencode

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.directory.browse import paginate
from app.search.facets import FacetIndex, positions_in
from app.search.listing import Filters, Listing
from tests.fuzzing import location_path, results_page
from tests.pages import parse, result_count, result_names, text_of

COUNT = re.compile(r"\((\d+)\)\s*$")


def listing(name, **values):
    defaults = dict(
        id=name, slug=name, name=name, organization="", summary="", fees="", free=True,
        districts=frozenset(), minimum_age=0, maximum_age=18, for_pregnancy=False,
        need_level="universal", categories=frozenset(), delivery=frozenset(), status="active",
    )
    return Listing(**(defaults | values))


def test_counts_are_computed_with_the_other_filters_in_force():
    items = [
        listing("a", districts=frozenset({"worcester"}), free=True),
        listing("b", districts=frozenset({"worcester"}), free=False),
        listing("c", districts=frozenset({"redditch"}), free=True),
    ]
    facets = FacetIndex(items)
    counts = facets.counts(Filters(free=True), facets.everything, {"district": ["worcester", "redditch"], "free": [True]})
    assert counts["district"] == {"worcester": 1, "redditch": 1, None: 2}
    assert counts["free"] == {True: 2, None: 3}


def chosen_names(items, filters):
    facets = FacetIndex(items)
    return [items[p].name for p in positions_in(facets.chosen(filters))]


def test_age_filter_includes_pregnancy_and_age_ranges():
    items = [listing("bump", for_pregnancy=True, maximum_age=1), listing("teen", minimum_age=11, maximum_age=18)]
    assert chosen_names(items, Filters(age="pregnancy")) == ["bump"]
    assert chosen_names(items, Filters(age=12)) == ["teen"]
    assert chosen_names(items, Filters(age=0)) == ["bump"]


def test_language_day_and_delivery_filters_combine():
    items = [
        listing("polish-monday", languages=frozenset({"en", "pl"}), days=frozenset({0}), delivery=frozenset({"in-person"})),
        listing("polish-phone", languages=frozenset({"en", "pl"}), delivery=frozenset({"telephone"})),
        listing("english-monday", languages=frozenset({"en"}), days=frozenset({0, 2})),
    ]
    assert chosen_names(items, Filters(language="pl")) == ["polish-monday", "polish-phone"]
    assert chosen_names(items, Filters(language="pl", day=0)) == ["polish-monday"]
    assert chosen_names(items, Filters(delivery="telephone")) == ["polish-phone"]
    assert chosen_names(items, Filters(day=2, language="pl")) == []


def test_age_ranges_read_naturally(app):
    from app.directory.presenters import age_range

    with app.test_request_context("/"):
        assert age_range(0, 4) == "0 to 4 years"
        assert age_range(11, None) == "From 11 years"
        assert age_range(None, None) == "All ages"
        assert age_range(0, 1, for_pregnancy=True) == "Expectant parents, and children 0 to 1 year"


def test_paginate_clamps_to_the_last_page():
    page = paginate(list(range(45)), 9)
    assert (page.number, page.pages, page.first, page.last, page.items) == (3, 3, 41, 45, list(range(40, 45)))


def option_links(soup):
    """Every filter option on the page as (query parameters, count shown)."""
    form = soup.select_one("form.app-filters")
    chosen = {}
    for field in form.select("input[type=radio]:checked, input[type=checkbox]:checked, input[type=search], input[type=text], input[type=hidden]"):
        if field.get("value"):
            chosen[field["name"]] = field["value"]
    for select in form.select("select"):
        selected = select.select_one("option[selected]")
        if selected is not None and selected["value"]:
            chosen[select["name"]] = selected["value"]
    options = []
    for field in form.select("input[type=radio], input[type=checkbox]"):
        label = text_of(form.find("label", attrs={"for": field["id"]}))
        options.append(({**chosen, field["name"]: field["value"]}, int(COUNT.search(label).group(1))))
    for select in form.select("select"):
        for option in select.select("option"):
            counted = COUNT.search(text_of(option))
            if counted:  # the distance list has no counts
                options.append(({**chosen, select["name"]: option["value"]}, int(counted.group(1))))
    return options


def check_counts_lead_to_that_many_results(client, query):
    soup = parse(client.get("/services?" + query))
    options = option_links(soup)
    assert len(options) > 30
    for params, shown in options:
        params = {k: v for k, v in params.items() if v}
        found = result_count(parse(client.get("/services?" + urlencode(params))))
        assert found == shown, (params, shown, found)


def test_every_filter_count_equals_the_results_it_leads_to(client):
    check_counts_lead_to_that_many_results(client, "")


def test_filter_counts_hold_with_filters_already_chosen(client):
    check_counts_lead_to_that_many_results(client, "district=worcester&cost=free&category=pregnancy-birth-and-early-years")


def test_counts_hold_with_search_words_and_new_filters(client):
    check_counts_lead_to_that_many_results(client, "q=baby&language=pl&day=monday")


def test_counts_hold_with_a_postcode_radius_and_delivery(client):
    check_counts_lead_to_that_many_results(client, "q=parenting&postcode=WR1+2AB&radius=10&delivery=in-person")


def test_results_show_what_a_parent_needs_to_choose(client):
    soup = parse(client.get("/services?district=wyre-forest"))
    first = soup.select_one(".app-result")
    assert first.select_one("h2 a")["href"].startswith("/services/")
    meta = text_of(first.select_one(".app-result__meta"))
    assert "Cost:" in meta and "Area:" in meta and "Age:" in meta
    assert "Wyre Forest" in meta or "All of Worcestershire" in meta


def test_twenty_results_a_page_and_pages_link_onwards(client):
    soup = parse(client.get("/services"))
    total = result_count(soup)
    assert total >= 120
    names = result_names(soup)
    assert len(names) == 20
    next_link = soup.select_one(".govuk-pagination__next a")
    assert next_link["href"] == "/services?page=2"
    second = parse(client.get(next_link["href"]))
    assert len(set(result_names(second)) & set(names)) == 0
    last = parse(client.get(f"/services?page={(total + 19) // 20}"))
    assert len(result_names(last)) == total - 20 * ((total - 1) // 20)


def test_filters_are_kept_across_pages(client):
    soup = parse(client.get("/services?cost=free"))
    assert soup.select_one(".govuk-pagination__next a")["href"] == "/services?cost=free&page=2"


def test_a_chosen_filter_can_be_removed_in_one_click(client):
    soup = parse(client.get("/services?district=redditch&cost=free"))
    removes = {text_of(a): a["href"] for a in soup.select(".app-filter-tags a")}
    assert removes["Remove filter : Redditch"] == "/services?cost=free"
    assert removes["Remove filter : Free only"] == "/services?district=redditch"


def test_subcategories_appear_once_a_category_is_chosen(client):
    soup = parse(client.get("/services?category=pregnancy-birth-and-early-years"))
    values = [i["value"] for i in soup.select("input[name=category]")]
    assert "infant-feeding" in values
    soup = parse(client.get("/services?category=infant-feeding"))
    assert soup.select_one("input[name=category][value=infant-feeding]").has_attr("checked")


def test_a_bad_filter_value_is_explained_and_ignored(client):
    response = client.get("/services?district=atlantis&age=old&page=zero")
    soup = parse(response)
    assert response.status_code == 200
    assert soup.title.string.startswith("Error:")
    summary = [text_of(a) for a in soup.select(".govuk-error-summary__list a")]
    assert summary == ["Select an area from the list", "Select an age from the list"]  # page=zero: the first page
    assert [a["href"] for a in soup.select(".govuk-error-summary__list a")] == ["#district", "#age"]
    assert all(soup.find(id=link[1:]) is not None for link in ("#district", "#age"))
    assert result_count(soup) == result_count(parse(client.get("/services")))


def test_an_order_or_page_the_site_never_links_to_gives_the_first_page_in_the_usual_order(client):
    usual = parse(client.get("/services?q=baby"))
    for odd in ("sort=nearest", "page=0", "page=%C2%B2", "sort=bogus&page=-3"):
        soup = parse(client.get(f"/services?q=baby&{odd}"))
        assert soup.select_one(".govuk-error-summary") is None, odd
        assert result_names(soup) == result_names(usual), odd


def test_an_invalid_postcode_gets_a_clear_message_and_the_search_still_runs(client):
    soup = parse(client.get("/services?postcode=not+a+postcode"))
    assert "Enter a real postcode, like WR1 2AB" in text_of(soup.select_one(".govuk-error-summary"))
    assert result_count(soup) > 100


PARAMETERS = ["q", "postcode", "category", "district", "age", "cost", "level", "language", "day", "delivery", "page", "sort", "radius"]


@settings(max_examples=60)
@given(st.dictionaries(st.sampled_from(PARAMETERS), st.text(max_size=300), max_size=6))
@example({"sort": "nearest"})  # an order the site never links to: the usual order, no message
def test_no_query_string_makes_a_server_error(client, params):

    results_page(client, params)


@settings(max_examples=30)
@given(st.text(min_size=1, max_size=80))
@example("bromsgrove-baby-cafe")
@example("/bromsgrove-baby-cafe")
@example("BROMSGROVE-BABY-CAFE")
def test_no_service_address_makes_a_server_error(client, slug):

    response = client.get("/services/" + slug.replace("/", "%2F").replace("?", "%3F").replace("#", "%23"))
    assert response.status_code in (200, 308, 404)
    if response.status_code == 308:  # Werkzeug merges a doubled slash
        goes_to = location_path(response)
        assert goes_to.startswith("/services/") and "//" not in goes_to, goes_to
        slug = goes_to.removeprefix("/services/")
        response = client.get(goes_to)
        assert response.status_code in (200, 404), goes_to
    page = parse(response)
    if response.status_code == 404:
        assert text_of(page.find("h1")) == "Page not found"
    else:  # that service's own page
        assert text_of(page.find("h1"))
        assert page.find("a", attrs={"data-list-toggle": True})["data-list-toggle"] == slug


def test_digits_from_other_scripts_are_explained_not_a_server_error(client):
    """'²' and '٣' are digits to Python's isdigit() but not numbers int() takes."""
    for params in ("age=%C2%B2", "age=%D9%A3"):  # an age a person chose: explained at its field
        response = client.get("/services?" + params)
        assert response.status_code == 200, params
        assert [a["href"] for a in parse(response).select(".govuk-error-summary__list a")] == ["#age"], params
    first = result_names(parse(client.get("/services")))
    for params in ("page=%C2%B2", "page=%D9%A3"):  # a page only the site's links name: the first page
        response = client.get("/services?" + params)
        assert response.status_code == 200, params
        assert result_names(parse(response)) == first, params


def filter_choices(page):
    """The text of every choice the filters offer (radios, checkboxes and options)."""
    form = page.select_one("form.app-filters")
    return [text_of(label) for label in form.select("label")] + [text_of(option) for option in form.select("option")]


def test_no_filter_offers_a_choice_that_finds_nothing_and_language_starts_at_any(client):
    page = parse(client.get("/services?q=baby+blues"))
    choices = filter_choices(page)
    assert len(choices) > 10
    assert [choice for choice in choices if choice.endswith("(0)")] == []
    assert text_of(page.select_one("#language option")).startswith("Any language (")
    # A choice already made stays, though it finds nothing, so that the family sees it and can undo it.
    chosen = parse(client.get("/services?q=submarine&cost=free"))
    assert "Free only (0)" in filter_choices(chosen)


def test_the_filters_wait_behind_a_disclosure_that_opens_on_an_error_in_one(client):
    plain = parse(client.get("/services?q=baby"))
    disclosure = plain.select_one("form.app-filters details")
    assert text_of(disclosure.select_one("summary")) == "Filter results" and not disclosure.has_attr("open")
    assert plain.select_one("#q") and not plain.select_one("details #q")  # the search itself is never hidden
    wrong = parse(client.get("/services?q=baby&age=banana"))
    assert wrong.select_one("form.app-filters details").has_attr("open")
    target = wrong.select_one(".govuk-error-summary a")["href"]
    assert wrong.select_one(f"form.app-filters details {target}")
