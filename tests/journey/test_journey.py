"""Get help for your family, walked through the real views, persona by persona."""

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DailyCount
from tests import clock
from tests.analytics.visitors import counted, visitor  # noqa: F401 - counted is a fixture
from tests.pages import parse, text_of
from tests.signposting.reading import card_names

PARENT_OF_BABY_LOW = [
    {"step": "who", "who": "parent"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", "age": ["under-1"]},
    {"step": "needs", "need": ["my-mental-health"]},
    {"step": "impact", "impact": "a-little"},
    {"step": "where", "postcode": "WR1 2AB"},
]
PARENT_OF_TEENAGER_SCHOOL = [
    {"step": "who", "who": "parent"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", "age": ["11-to-15"]},
    {"step": "needs", "need": ["school"]},
    {"step": "impact", "impact": "struggling"},
    {"step": "where", "district": "wyre-forest"},
]
YOUNG_PERSON_PARENT_DRINKS = [
    {"step": "who", "who": "young-person"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", "my-age": "15"},
    {"step": "needs", "need": ["alcohol-or-drugs", "caring"]},
    {"step": "impact", "impact": "quite-a-lot"},
    {"step": "where", "action": "skip"},
]
FRIGHTENED_AT_HOME = [
    {"step": "who", "who": "parent"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", "age": ["1-to-4"]},
    {"step": "needs", "need": ["money-housing-work", "hurts-or-frightens"]},
    {"step": "impact", "impact": "quite-a-lot"},
    {"step": "where", "postcode": "DY10 1AA"},
]
EXPECTING = [
    {"step": "who", "who": "expecting"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", **clock.date_fields("due", clock.today() + timedelta(days=130))},
    {"step": "needs", "need": ["baby-and-pregnancy"]},
    {"step": "impact", "impact": "a-little"},
    {"step": "where", "action": "skip"},
]

PARENT_OF_TODDLER_BEHAVIOUR_AND_MONEY = [
    {"step": "who", "who": "parent"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", "age": ["1-to-4"]},
    {"step": "needs", "need": ["behaviour", "money-housing-work"]},
    {"step": "impact", "impact": "quite-a-lot"},
]
PARENT_OF_A_SEVEN_YEAR_OLD = [
    {"step": "who", "who": "parent"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", "age": ["5-to-10"]},
    {"step": "needs", "need": ["feeding-and-sleep", "behaviour", "things-to-do"]},
    {"step": "impact", "impact": "quite-a-lot"},
    {"step": "where", "action": "skip"},
]
EXPECTING_FEEDING_AND_MONEY = [
    {"step": "who", "who": "expecting"},
    {"step": "safety", "safety": "no"},
    {"step": "ages", **clock.date_fields("due", clock.today() + timedelta(days=60))},
    {"step": "needs", "need": ["feeding-and-sleep", "money-housing-work"]},
    {"step": "impact", "impact": "struggling"},
    {"step": "where", "action": "skip"},
]


def young_person(age, needs):
    return [
        {"step": "who", "who": "young-person"},
        {"step": "safety", "safety": "no"},
        {"step": "ages", "my-age": str(age)},
        {"step": "needs", "need": needs},
        {"step": "impact", "impact": "struggling"},
        {"step": "where", "action": "skip"},
    ]


def walk(client, steps):
    """Answer each step as a browser would: the page's own hidden fields plus the new answer."""
    response = client.get("/get-help")
    responses = [response]
    for answer in steps:
        page = parse(response)
        form = page.select("main form")[-1]
        data = {}
        for field in form.select("input[type=hidden]"):
            data.setdefault(field["name"], []).append(field["value"])
        assert form.select_one("input[name=step]")["value"] == answer["step"]
        for name, value in answer.items():
            data[name] = value if isinstance(value, list) else [value]
        data.setdefault("action", ["continue"])
        response = client.post("/get-help", data=data)
        assert response.status_code in (200, 303), answer
        responses.append(response)
    return responses


def sections(page):
    """The result page's sections, in order, by their headings."""
    return [text_of(h2) for h2 in page.select("main h2")]


@pytest.fixture
def clocked_client(app_with):
    """A client of an app whose clock stands still at 10:00 on the test clock's today."""
    return app_with(CLOCK=lambda: clock.at(clock.today(), 10)).test_client()


def test_a_parent_of_a_baby_feeling_low_a_little(clocked_client):
    result = parse(walk(clocked_client, PARENT_OF_BABY_LOW)[-1])
    assert text_of(result.find("h1")) == "Help that fits"
    headings = sections(result)
    assert headings.index("Things you can do now") < headings.index("Services near you")
    assert "Talk to someone" not in headings  # a little: no referral suggested
    pages = [text_of(a) for a in result.select("#journey-pages a")]
    assert "Mental health for dads and partners" in pages and 2 <= len(pages) <= 5
    assert result.select("[data-services=universal] .app-result")
    assert not result.select("[data-services=targeted]")
    distances = [text_of(p) for p in result.select("[data-services] .govuk-body-s")]
    assert distances and ("miles away" in distances[0] or "mile away" in distances[0])
    assert result.select_one(".govuk-warning-text")  # the short urgent help block is always there


def test_a_parent_of_a_teenager_refusing_school_and_struggling(clocked_client):
    result = parse(walk(clocked_client, PARENT_OF_TEENAGER_SCHOOL)[-1])
    headings = sections(result)
    assert headings[-1] == "Talk to someone"
    assert result.select("[data-services=targeted] .app-result")
    refer = text_of(result.select_one("#journey-refer"))
    assert "Wyre Forest" in refer and "01632" in refer  # the district team's phone, for those who would rather call
    button = result.select_one("#journey-refer form button.govuk-button")
    assert text_of(button) == "Refer yourself" and button.find_parent("form")["action"] == "/refer/start"


def test_a_young_person_whose_parent_drinks_gets_their_own_words(clocked_client):
    responses = walk(clocked_client, YOUNG_PERSON_PARENT_DRINKS)
    safety_page = parse(responses[1])
    assert text_of(safety_page.find("h1")) == "Are you or anyone else in danger right now?"
    assert text_of(parse(responses[2]).find("h1")) == "How old are you?"
    needs_page = parse(responses[3])
    labels = [text_of(label) for label in needs_page.select(".govuk-checkboxes__label")]
    assert "Looking after someone at home" in labels and "My child’s behaviour" not in labels
    result = parse(responses[-1])
    assert text_of(result.find("h1")) == "Help for you"
    names = " ".join(text_of(a) for a in result.select("[data-services] a")).casefold()
    assert "young carer" in names
    assert "You can ask for help" in text_of(result.select_one("#journey-refer"))


def test_when_someone_at_home_frightens_them_safety_comes_first(clocked_client):
    result = parse(walk(clocked_client, FRIGHTENED_AT_HOME)[-1])
    headings = sections(result)
    assert headings[0] == "Your safety comes first"
    safety = text_of(result.select_one("#journey-safety"))
    assert "National Domestic Abuse Helpline" in safety and "0808 2000 247" in safety
    assert "Exit this page" in safety


def test_someone_expecting_a_baby(clocked_client):
    result = parse(walk(clocked_client, EXPECTING)[-1])
    pages = [text_of(a) for a in result.select("#journey-pages a")]
    assert any("antenatal" in page.casefold() or "pregnan" in page.casefold() for page in pages)
    assert "Services" in sections(result)  # no place given: not "near you"


def test_danger_now_goes_straight_to_urgent_help(clocked_client):
    responses = walk(clocked_client, [{"step": "who", "who": "parent"}, {"step": "safety", "safety": "yes"}])
    assert responses[-1].status_code == 303
    assert responses[-1].headers["Location"].endswith("/pages/urgent-help")


def test_a_professional_is_taken_to_the_levels_of_need(clocked_client):
    page = parse(walk(clocked_client, [{"step": "who", "who": "professional"}])[-1])
    assert "/pages/levels-of-need" in [a["href"] for a in page.select("main a")]


@pytest.mark.parametrize("step", ["safety", "ages", "needs", "impact", "where"])
def test_a_professional_sent_to_a_later_step_is_taken_to_the_levels_of_need_too(clocked_client, step):
    """A tampered form: a family's later questions are never shown to a professional, nor is a result."""
    response = clocked_client.post("/get-help", data={"step": step, "who": "professional", "impact": "a-little"})
    assert response.status_code == 200
    page = parse(response)
    assert "/pages/levels-of-need" in [a["href"] for a in page.select("main a")]
    professional = parse(walk(clocked_client, [{"step": "who", "who": "professional"}])[-1])
    assert text_of(page.find("h1")) == text_of(professional.find("h1"))


def test_back_goes_to_the_previous_question_with_the_answer_kept(clocked_client):
    responses = walk(clocked_client, PARENT_OF_BABY_LOW[:4])  # now on "how much"
    page = parse(responses[-1])
    back = page.select_one("form.app-back-form")
    data = {}
    for field in back.select("input[type=hidden]"):
        data.setdefault(field["name"], []).append(field["value"])
    data["action"] = "back"
    previous = parse(clocked_client.post("/get-help", data=data))
    assert text_of(previous.find("h1")) == "What would you like help with?"
    assert previous.select_one("input[name=need][value=my-mental-health]").has_attr("checked")


def test_every_page_of_the_journey_is_never_stored(clocked_client):
    for response in walk(clocked_client, PARENT_OF_BABY_LOW):
        assert response.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response.headers


def test_no_answer_appears_in_any_url_redirect_or_log(clocked_client, caplog):
    secret_values = ["my-mental-health", "hurts-or-frightens", "money-housing-work", "quite-a-lot", "a-little",
                     "WR1 2AB", "WR1+2AB", "DY10", "under-1", "1-to-4", "alcohol-or-drugs", "caring", "wyre-forest"]
    with caplog.at_level(logging.DEBUG):
        responses = []
        for persona in (PARENT_OF_BABY_LOW, FRIGHTENED_AT_HOME, YOUNG_PERSON_PARENT_DRINKS, PARENT_OF_TEENAGER_SCHOOL):
            responses += walk(clocked_client, persona)
    for response in responses:
        assert response.request.url.endswith("/get-help")  # every step has the same address
        assert response.request.query_string == b""
        location = response.headers.get("Location", "")
        assert not any(value in location for value in secret_values)
        page = parse(response)
        for link in page.select("a[href]"):  # service pages' own addresses may name a place or a topic
            assert not any(value in link["href"] for value in secret_values if value not in ("caring", "wyre-forest")), link["href"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(value in logged for value in secret_values)


@pytest.mark.parametrize(
    "data, step, message",
    [
        ({"step": "needs", "who": "parent", "safety": "no", "age": "1-to-4", "need": "knitting"}, "needs",
         "Select what you would like help with from the list"),
        ({"step": "impact", "who": "parent", "safety": "no", "need": "behaviour", "impact": "a-little"}, "ages",
         "Select how old your children are"),  # a step missing: back to it
        ({"step": "ages", "who": "expecting", "safety": "no", "due-day": "31", "due-month": "2", "due-year": str(clock.today().year + 1)},
         "ages", "Due date must be a real date"),
        ({"step": "ages", "who": "young-person", "safety": "no", "my-age": "9"}, "ages",
         "This is for young people aged 11 to 25. Ask an adult you trust to use it with you"),
        ({"step": "who", "who": "x" * 200_000}, "who", "Select who you are"),  # more is turned away as too large
        ({"step": "safety", "who": "parent", "safety": "maybe"}, "safety", "Select yes if anyone is in danger right now"),
        ({"step": "where", "who": "parent", "safety": "no", "age": "5-to-10", "need": "behaviour", "impact": "a-little",
          "postcode": "nowhere"}, "where", "Enter a real postcode, like WR1 2AB"),
        ({"step": "nonsense", "who": "parent"}, "safety", None),  # an unknown step starts from the first one
    ],
)
def test_tampered_or_impossible_answers_get_the_right_step_back(clocked_client, data, step, message):
    response = clocked_client.post("/get-help", data=data)
    assert response.status_code == 200
    page = parse(response)
    assert page.select("main form")[-1].select_one("input[name=step]")["value"] == step
    if message:
        assert text_of(page.select_one(".govuk-error-summary a")) == message
        assert page.find("title").get_text().startswith("Error:")


def offered(result):
    """(name, address) of each service on a result page, every section."""
    return [(text_of(a), a["href"]) for a in result.select("[data-services] .app-result h4 a")]


def ages_on_service_page(client, href):
    """(youngest, oldest or None, for expectant parents) as the service's own page says who it is for."""
    page = parse(client.get(href))
    heading = next(h2 for h2 in page.select("main h2") if text_of(h2) == "Who it is for")
    words = text_of(heading.find_next_sibling("ul").find("li"))
    pregnancy = words.startswith("Expectant parents")
    if found := re.search(r"(\d+) to (\d+) years?", words):
        return int(found.group(1)), int(found.group(2)), pregnancy
    if found := re.search(r"From (\d+) years?", words):
        return int(found.group(1)), None, pregnancy
    assert "All ages" in words, words
    return 0, None, pregnancy


@pytest.mark.parametrize("where", [{"step": "where", "action": "skip"}, {"step": "where", "district": "wychavon"}])
def test_a_parent_of_a_toddler_worried_about_behaviour_and_money_gets_toddler_help_once(clocked_client, where):
    result = parse(walk(clocked_client, [*PARENT_OF_TODDLER_BEHAVIOUR_AND_MONEY, where])[-1])
    services = offered(result)
    assert result.select("[data-services=universal] .app-result") and result.select("[data-services=targeted] .app-result")
    assert len(services) == len(set(services)), services  # no service twice, across both sections
    for name, href in services:
        youngest, oldest, _ = ages_on_service_page(clocked_client, href)
        assert youngest <= 4, name  # not only for older children …
        assert oldest is None or oldest >= 2, name  # … nor for babies up to their first birthday
        assert youngest < 18, name  # nor only for adults, like an English course
    pages = [a["href"] for a in result.select("#journey-pages a")]
    assert "/start-for-life/tantrums-and-behaviour" in pages and "/start-for-life/money-help" in pages


def test_a_parent_of_a_seven_year_old_gets_nothing_for_toddlers(clocked_client):
    result = parse(walk(clocked_client, PARENT_OF_A_SEVEN_YEAR_OLD)[-1])
    pages = [a["href"] for a in result.select("#journey-pages a")]
    assert pages and not [page for page in pages if page.startswith("/start-for-life/")]  # they are for under-5s
    services = offered(result)
    assert services and len(services) == len(set(services))
    for name, href in services:
        youngest, oldest, _ = ages_on_service_page(clocked_client, href)
        assert youngest <= 10 and (oldest is None or oldest > 5), name
    assert "Open to every family" in [text_of(h3) for h3 in result.select("main h3")]


def test_someone_expecting_worried_about_feeding_and_money(clocked_client):
    result = parse(walk(clocked_client, EXPECTING_FEEDING_AND_MONEY)[-1])
    pages = [a["href"] for a in result.select("#journey-pages a")]
    assert "/start-for-life/breastfeeding" in pages  # getting ready to feed
    assert "/start-for-life/introducing-solid-foods" not in pages  # from 6 months: not yet
    services = offered(result)
    assert services and len(services) == len(set(services))
    for name, href in services:
        youngest, _, pregnancy = ages_on_service_page(clocked_client, href)
        assert pregnancy or youngest == 0, name  # for pregnancy, or from birth
    assert text_of(result.select_one("#journey-refer h2")) == "Talk to someone"


YOUNG_NEEDS = [["childs-feelings", "school"], ["things-to-do"], ["hurts-or-frightens"], ["money-housing-work", "send"],
               ["behaviour", "arguments-at-home", "something-else"]]


@pytest.mark.parametrize("needs", YOUNG_NEEDS, ids="+".join)
def test_a_fifteen_year_old_is_offered_help_for_young_people_and_childline(app, clocked_client, needs):
    result = parse(walk(clocked_client, young_person(15, needs))[-1])
    main = result.select_one("main")
    assert text_of(result.find("h1")) == "Help for you"
    childline = next(line for line in app.extensions["site_settings"].helplines if line.name == "Childline")
    helplines = result.select_one("#journey-helplines")
    assert childline.name in text_of(helplines)
    call = helplines.select_one("a[href^='tel:']")
    assert text_of(call) == childline.number and call["href"] == "tel:" + childline.number.replace(" ", "")
    pages = [a["href"] for a in result.select("#journey-pages a")]
    assert "/pages/help-for-young-people" in pages
    for page in pages:  # never the parents' or the professionals' pages
        assert not page.startswith(("/start-for-life/", "/professionals")), page
        assert page not in ("/pages/levels-of-need", "/pages/what-is-early-help"), page
    headings = [text_of(h) for h in main.select("h1, h2, h3, .govuk-caption-l")]
    assert not [h for h in headings if re.search(r"\byour (family|child)|\bfamilies\b", h, re.IGNORECASE)], headings
    # Our own words, not the services' descriptions: nothing on how parents of young children get help
    ours = [text_of(el) for el in main.select("p, li") if not el.find_parent(class_="app-result") and "app-result" not in el.get("class", [])]
    how_to = [text_of(p) for p in main.select(".app-result .govuk-body-s")]
    assert not [words for words in ours + how_to if "health visitor" in words.casefold()]
    assert any("teacher or school nurse" in words for words in how_to) or not how_to
    for name, href in offered(result):
        youngest, oldest, _ = ages_on_service_page(clocked_client, href)
        assert youngest <= 15 and (oldest is None or oldest >= 15), name


def test_a_parent_is_not_shown_the_young_peoples_helplines_section(clocked_client):
    result = parse(walk(clocked_client, PARENT_OF_BABY_LOW)[-1])
    assert result.select_one("#journey-helplines") is None
    assert "/pages/help-for-young-people" not in [a["href"] for a in result.select("#journey-pages a")]


def press(client, page, button, value=None):
    """Submit the form that ``button`` belongs to, as a browser would: its fields and the button's own value
    (or ``value``, as a tampered page would send)."""
    form = next(form for form in page.select("main form") if button in form.select("button"))
    data = {}
    for field in form.select("input"):
        if not field.has_attr("disabled"):
            data.setdefault(field["name"], []).append(field["value"])
    data[button["name"]] = [button["value"] if value is None else value]
    return client.post(button.get("formaction") or form["action"], data=data)


def said(button):
    """What a screen reader says for a button: its words and its visually hidden words, run together."""
    return " ".join(button.get_text().split())


def list_buttons(result):
    return {button["value"]: button for button in result.select("[data-services] .app-result button[data-list-toggle]")}


def test_services_on_the_result_can_be_added_to_the_list_without_leaving_it(clocked_client, app):
    steps = walk(clocked_client, PARENT_OF_BABY_LOW)
    result = parse(steps[-1])
    before = offered(result)
    buttons = list_buttons(result)
    assert len(buttons) == len(before) >= 2  # one for every service offered
    assert result.select_one(".app-your-list").has_attr("hidden")  # nothing listed yet
    first, second = list(buttons)[:2]
    assert said(buttons[first]) == f"Add to list: {before[0][0]}"

    response = press(clocked_client, result, buttons[first])
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    again = parse(response)
    assert offered(again) == [(name, f"{href}?s={first}") for name, href in before]  # the same answer, carrying the list
    assert text_of(again.find("h1")) == "Help that fits"
    item = again.select_one(f"#list-{first}")
    assert not item.select_one(".app-list-toggle__tag").has_attr("hidden")  # "In your list"
    assert said(item.select_one("button")) == f"Remove from list: {before[0][0]}"
    assert item.select_one("button")["formaction"].endswith(f"#list-{first}")  # the page opens where it was
    yours = again.select_one(".app-your-list a")
    assert text_of(yours) == "Your list (1)" and yours["href"] == f"/shortlist?s={first}"
    assert again.select_one("main a[href^='/services?']")["href"] == f"/services?s={first}"  # Search all services

    both = parse(press(clocked_client, again, list_buttons(again)[second]))
    assert text_of(both.select_one(".app-your-list a")) == "Your list (2)"
    shortlist = parse(clocked_client.get(both.select_one(".app-your-list a")["href"]))
    assert card_names(shortlist) == [before[0][0], before[1][0]]

    removed = parse(press(clocked_client, both, list_buttons(both)[first]))
    assert text_of(removed.select_one(".app-your-list a")) == "Your list (1)"
    assert said(list_buttons(removed)[first]) == f"Add to list: {before[0][0]}"


def completed_journeys(app):
    app.extensions["analytics"].flush()
    with app.app_context():
        found = db.session.scalar(select(func.sum(DailyCount.count)).where(
            DailyCount.measure == "event", DailyCount.key == "journey-complete"))
    return found or 0


def test_changing_the_list_on_the_result_is_not_another_finished_journey(counted):  # noqa: F811 - the fixture
    person = visitor(counted.app)
    result = parse(walk(person, PARENT_OF_BABY_LOW)[-1])
    assert completed_journeys(counted.app) == 1
    again = parse(press(person, result, next(iter(list_buttons(result).values()))))
    assert text_of(again.select_one(".app-your-list a")) == "Your list (1)"
    assert completed_journeys(counted.app) == 1


@pytest.mark.parametrize("toggle", ["", "Not A Slug", "a,b", "no-such-service", "x" * 500, "<script>"])
def test_a_tampered_list_button_changes_nothing_and_breaks_nothing(clocked_client, toggle):
    result = parse(walk(clocked_client, PARENT_OF_BABY_LOW)[-1])
    button = next(iter(list_buttons(result).values()))
    page = parse(press(clocked_client, result, button, toggle))
    assert text_of(page.find("h1")) == "Help that fits"
    assert offered(page) == offered(result)
    assert page.select_one(".app-your-list").has_attr("hidden")


def test_one_button_adds_one_service_never_several(clocked_client):
    result = parse(walk(clocked_client, PARENT_OF_BABY_LOW)[-1])
    buttons = list(list_buttons(result).values())
    two = ",".join(button["value"] for button in buttons[:2])  # real services, as a tampered button might send
    page = parse(press(clocked_client, result, buttons[0], two))
    assert page.select_one(".app-your-list").has_attr("hidden")
    assert not [b for b in list_buttons(page).values() if said(b).startswith("Remove")]


def test_the_list_button_checks_the_answers_again(clocked_client):
    page = parse(clocked_client.post("/get-help", data={"step": "where", "action": "list", "who": "parent", "toggle": "x"}))
    assert text_of(page.select_one(".govuk-error-summary a")) == "Select yes if anyone is in danger right now"
