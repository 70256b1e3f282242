"""Get help for your family, walked through the real views, persona by persona."""

import logging
from datetime import timedelta

import pytest

from tests import clock
from tests.pages import parse, text_of

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
