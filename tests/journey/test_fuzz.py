"""Whatever a tampered form sends to /get-help: one of the journey's own pages, saying what to fix when
an answer cannot be used, never a server error, and never a cookie."""

from datetime import timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.journey.rules import AGE_BANDS, IMPACTS, NEEDS, WHO
from app.journey.steps import STEPS
from tests import clock
from tests.fuzzing import error_summary, location_path
from tests.pages import heading, parse
from tests.search.test_fuzz import text

FIELDS = ["step", "action", "who", "safety", "age", "need", "impact", "my-age", "due-day", "due-month", "due-year",
          "postcode", "district"]
REAL = st.sampled_from([*STEPS, *WHO, *NEEDS, *IMPACTS, *AGE_BANDS, "yes", "no", "back", "skip", "continue", "15",
                        "WR1 2AB", "worcester", "2027", "31"])
VALUES = st.one_of(text, REAL, st.lists(st.one_of(REAL, text), max_size=4))
# Every answer a person could give so far, sent from any step, with a few of them tampered with.
ANSWERED = st.sampled_from([
    {"who": "parent", "safety": "no", "age": ["under-1", "11-to-15"], "need": ["behaviour", "school"],
     "impact": "a-little"},
    {"who": "young-person", "safety": "no", "my-age": "15", "need": "arguments-at-home", "impact": "struggling",
     "postcode": "WR1 2AB"},
    {"who": "expecting", "safety": "no", **clock.date_fields("due", clock.today() + timedelta(days=60)),
     "need": "baby-and-pregnancy", "impact": "quite-a-lot", "district": "worcester"},
])
TAMPERED = st.builds(lambda answers, step, changes: {**answers, "step": step, **changes},
                     ANSWERED, st.sampled_from(STEPS), st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=3))


def walks():
    """People answering every question, each step's answers in turn."""
    due = clock.date_fields("due", clock.today() + timedelta(days=100))
    return [
        [{"who": "parent"}, {"safety": "no"}, {"age": ["under-1", "5-to-10"]}, {"need": "behaviour"},
         {"impact": "a-little"}, {"action": "skip"}],
        [{"who": "young-person"}, {"safety": "no"}, {"my-age": "15"}, {"need": "school"}, {"impact": "struggling"},
         {"postcode": "WR1 2AB"}],
        [{"who": "expecting"}, {"safety": "no"}, due, {"need": "baby-and-pregnancy"}, {"impact": "quite-a-lot"},
         {"district": "worcester"}],
        [{"who": "professional"}],
        [{"who": "parent"}, {"safety": "yes"}],
    ]


def answer(client, response, fields):
    """Send the page's own form as a browser would: its hidden answers so far and the new ones."""
    form = parse(response).select("main form")[-1]
    data = {}
    for hidden in form.select("input[type=hidden]"):
        data.setdefault(hidden["name"], []).append(hidden["value"])
    return client.post("/get-help", data={**data, "action": "continue", **fields})


@pytest.fixture
def journey(client):
    """What the journey shows, found by walking it: every page's heading, and where urgent help is (and its heading)."""
    headings, urgent = set(), None
    for steps in walks():
        response = client.get("/get-help")
        headings.add(heading(parse(response)))
        for fields in steps:
            response = answer(client, response, fields)
            if response.status_code == 303:
                urgent = location_path(response)
                break
            assert response.status_code == 200, fields
            page = parse(response)
            assert error_summary(page) == [], fields
            headings.add(heading(page))
    assert len(headings) == 13  # 10 questions (some in a young person's own words), 2 results, 1 for professionals
    assert urgent is not None
    return headings, urgent, heading(parse(client.get(urgent)))


def first(value):
    return (value[0] if isinstance(value, list) else value) if value else ""


@settings(max_examples=150)
@given(st.one_of(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=len(FIELDS)), TAMPERED))
@example({"step": "where", "who": "professional"})  # was a 500: a professional sent to a later step now gets the professional page
@example({"step": "ages", "who": "expecting", "due-day": "1"})
@example({"step": "safety", "who": "parent", "safety": "yes"})
@example({"step": "impact", "action": "back"})
def test_no_answers_make_a_server_error(client, journey, form):
    headings, urgent, urgent_heading = journey
    response = client.post("/get-help", data=form)
    assert response.status_code in (200, 303), form
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    if response.status_code == 303:  # only someone who said someone is in danger is sent to urgent help
        assert first(form.get("safety")).strip() == "yes", form
        assert location_path(response) == urgent
        assert heading(parse(client.get(urgent))) == urgent_heading
        return
    page = parse(response)
    assert heading(page) in headings, (form, heading(page))
    assert len(error_summary(page)) <= 1, form  # one question at a time: at most one thing to fix
    step = page.select_one("main form input[name=step]")
    assert step is None or step["value"] in STEPS
