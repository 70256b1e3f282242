"""Whatever is typed into the date forms or a page's postcode box: the page a person asked for, or the
form again saying what to fix, never a server error."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.content.stages import STAGE_SLUGS
from tests import clock
from tests.fuzzing import error_summary, location_path
from tests.pages import heading, parse, text_of
from tests.search.test_fuzz import text

FIELDS = ["due-day", "due-month", "due-year", "born-day", "born-month", "born-year", "due-submit", "born-submit"]
NUMBERS = st.one_of(st.integers(-10_000, 100_000).map(str), st.sampled_from(["0", "00", "29", "31", "2026", "１２", "٣", "1e3", "9" * 20, "0001"]))
PARTS = ("day", "month", "year")
YEAR = clock.today().year
# A whole date, as a person would type one: a due date or a birthday from 30 years ago to next year.
WHOLE_DATES = st.builds(
    lambda kind, day, month, year: {f"{kind}-day": str(day), f"{kind}-month": str(month), f"{kind}-year": str(year),
                                    f"{kind}-submit": "1"},
    st.sampled_from(["due", "born"]), st.integers(1, 31), st.integers(1, 12), st.integers(YEAR - 30, YEAR + 1))
POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}")


@pytest.fixture
def stage_names(client):
    """The name of each Start for Life stage by its page's address, as /start-for-life lists them."""
    page = parse(client.get("/start-for-life"))
    names = {link["href"]: text_of(link) for link in page.select("#stages a")}
    assert set(names) == {f"/start-for-life/{slug}" for slug in STAGE_SLUGS}
    return names


def boxes_to_fix(form, kind):
    """The date boxes a person must change, from what they typed (the form reads 20 characters of each)."""
    typed = {f"{kind}-{part}": (form.get(f"{kind}-{part}") or "").strip()[:20] for part in PARTS}
    empty = {box for box, value in typed.items() if not value}
    not_numbers = {box for box, value in typed.items() if not re.fullmatch("[0-9]+", value)}
    return empty or not_numbers


@settings(max_examples=100)
@given(st.one_of(st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, NUMBERS), max_size=6), WHOLE_DATES))
@example(clock.date_fields("due", clock.today() + timedelta(days=100)) | {"due-submit": "1"})  # Pregnancy
@example(clock.date_fields("born", clock.today() - timedelta(days=60)) | {"born-submit": "1"})  # Birth to 6 months
@example(clock.date_fields("born", clock.years_ago(7)) | {"born-submit": "1"})  # the directory, for a child of 7
@example({"due-day": "1", "due-month": "13", "due-year": str(YEAR + 1), "due-submit": "1"})
@example({"born-day": "1", "born-month": "1", "born-year": "26", "born-submit": "1"})
@example({"born-day": "", "born-month": "x", "born-year": "", "born-submit": "1"})
def test_no_date_makes_a_server_error(client, stage_names, form):
    response = client.post("/start-for-life", data=form)
    assert response.status_code in (200, 303), form
    assert "Set-Cookie" not in response.headers
    kind = "born" if "born-submit" in form else "due"  # the form sent: the date of birth's if its button was
    if response.status_code == 303:
        goes_to = location_path(response)
        shown = client.get(goes_to)
        assert shown.status_code == 200, goes_to
        page = parse(shown)
        if goes_to in stage_names:
            assert kind == "born" or goes_to == "/start-for-life/pregnancy", (form, goes_to)
            assert heading(page) == stage_names[goes_to]
        else:  # a child of 4 or more: the directory, for their age
            age = re.fullmatch(r"/services\?age=(\d+)", goes_to)
            assert kind == "born" and age and 4 <= int(age[1]) <= 25, (form, goes_to)
            assert heading(page) == "Find a service" and error_summary(page) == []
            assert page.select_one("#age option[selected]")["value"] == age[1]
        return
    page = parse(response)
    problems = error_summary(page)
    assert len(problems) == 1, (form, problems)  # one date was sent: one thing to fix
    words, field = problems[0]
    marked = {box["id"] for box in page.select("input.govuk-input--error")}
    assert field in marked, (form, field, marked)
    assert words in text_of(page.find(id=f"{kind}-error"))  # said again above the boxes
    to_fix = boxes_to_fix(form, kind)
    if to_fix:
        assert marked == to_fix, (form, marked)
    else:  # numbers in every box: a year not of 4 figures, or no such date (or not one that fits)
        assert marked in ({f"{kind}-year"}, {f"{kind}-{part}" for part in PARTS}), (form, marked)


@pytest.fixture
def breastfeeding(client):
    return heading(parse(client.get("/start-for-life/breastfeeding")))


@settings(max_examples=50)
@given(text)
@example("wr1 2ab")
@example("not a postcode")
def test_no_postcode_on_a_content_page_makes_a_server_error(client, breastfeeding, postcode):
    response = client.get("/start-for-life/breastfeeding?" + urlencode({"postcode": postcode}))
    assert response.status_code == 200
    page = parse(response)
    assert heading(page) == breastfeeding == "Breastfeeding your baby"
    assert page.select("#page-services .app-result")  # services for it, near the postcode or not
    box = page.find("input", id="postcode")
    wrong = "govuk-input--error" in box.get("class", [])
    if not postcode[:20].strip():  # the box reads 20 characters
        assert not wrong and box.get("value", "") == ""
    elif wrong:
        assert "Enter a real postcode, like WR1 2AB" in text_of(page.find(id="postcode-error"))
    else:  # a postcode, shown tidied
        assert POSTCODE.fullmatch(box["value"]), (postcode, box["value"])
        assert "".join(postcode.split()).upper().startswith(box["value"].replace(" ", ""))
