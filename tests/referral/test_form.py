"""The self-referral form, page by page, as a parent and as a young person."""

import logging
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.extensions import db
from app.models import OutboxMessage, Referral, ReferralDraft
from app.referral.drafts import draft_key
from app.referral.vault import vault
from tests import clock
from tests.pages import heading, parse, text_of
from tests.referral.walk import (
    CHILD_BIRTH,
    DUE,
    PARENT,
    YOUNG_BIRTH,
    YOUNG_PERSON,
    fill_in,
    follow,
    personal_values,
    post,
    reference_on,
    start,
)


def stored(app, reference):
    with app.app_context():
        referral = db.session.scalar(db.select(Referral).where(Referral.reference == reference))
        if referral is None:
            return None, None
        return referral, vault().open(referral.answers)


def error_texts(page):
    return [text_of(a) for a in parse(page).select(".govuk-error-summary__list a")]


def test_a_parent_refers_their_family(app, client):
    page = fill_in(client, PARENT)
    soup = parse(page)
    assert heading(soup) == "Your request has been sent"
    reference = reference_on(page)
    assert "within 5 working days" in text_of(soup.find("main"))
    referral, answers = stored(app, reference)
    assert referral.district == "worcester" and referral.referrer == "parent" and referral.status == "new"
    assert [child["name"] for child in answers["children"]] == ["Amelia Testperson", ""]
    assert answers["children"][0]["birth"] == CHILD_BIRTH.isoformat() and answers["children"][1]["due"] == DUE.isoformat()
    assert answers["adults"] == [{"name": "Jordan Testperson", "relationship": "Casey’s partner"}]
    assert answers["safe-contact"]["voicemail"] == "no" and answers["consent"] == {"contact": True, "share": "yes"}
    assert answers["help"]["need"] == ["behaviour", "money-housing-work"]
    # The decision date shown is the record's: 5 working days on.
    assert f"by {referral.decide_by.day} " in text_of(soup.find("main"))


def test_a_young_person_refers_themselves_in_their_own_words(app, client):
    page = fill_in(client, YOUNG_PERSON, send=False)
    main = text_of(parse(page).find("main"))
    assert "About you" in main and "Riley Youngtester" in main and "Redditch Early Help Family Support team" in main
    assert "How I feel, or things I worry about" in main  # the young person's wording of the need
    consent = client.get("/refer/consent")
    assert "This is your choice" in text_of(parse(consent).find("main"))
    sent = follow(client, post(client, "/refer/check", {}, page))
    referral, answers = stored(app, reference_on(sent))
    assert referral.district == "redditch" and referral.referrer == "young-person"
    assert answers["about-you"]["birth"] == YOUNG_BIRTH.isoformat() and not answers.get("children")


def test_the_start_page_puts_safety_first_and_sets_no_cookie(client):
    response = client.get("/refer")
    soup = parse(response)
    warning = text_of(soup.select_one(".govuk-warning-text"))
    assert "If a child is in danger now, call 999" in warning
    assert "Family Front Door (demo) on 01632 960100" in warning
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_only_the_session_cookie_is_set_and_it_holds_no_answers(client):
    response = client.post("/refer/start")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("session=")
    assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0] and "Expires" not in cookies[0]
    page = fill_in(client, PARENT, send=False)
    cookie = client.get_cookie("session")
    for value in personal_values(PARENT):
        assert value not in cookie.value and value.replace(" ", "") not in cookie.value
    assert page.headers["Cache-Control"] == "no-store"


def test_a_professional_is_told_how_to_make_a_professional_referral(client):
    page = start(client)
    page = follow(client, post(client, "/refer/who", {"who": "professional"}, page))
    assert page.request.path == "/refer/professional"
    main = text_of(parse(page).find("main"))
    assert "Early Help Assessment" in main and "Levels of need" in main


def walk_to(client, step, persona=PARENT):
    """A draft with every page answered; the ``step`` page."""
    fill_in(client, persona, send=False)
    return client.get(f"/refer/{step}")


@pytest.mark.parametrize("step, messages", [
    ("who", ["Select who is asking for help"]),
    ("address", ["Enter address line 1, typically the building and street", "Enter town or city", "Enter your postcode"]),
    ("help", ["Select what you would like help with, or tell us in the box"]),
    ("language", ["Enter the languages you speak at home", "Select yes if you would like an interpreter"]),
    ("contact", ["Enter your name", "Select how we can contact you"]),
    ("safe-contact", ["Select yes if it is safe for us to call you", "Select yes if it is safe for us to leave a voicemail",
                      "Select yes if it is safe for us to send you a text message", "Select yes if it is safe for us to send you a letter"]),
    ("consent", ["You need to agree to us contacting you, so we can help", "Select yes if we can share your details with these services"]),
])
def test_an_empty_page_says_what_to_do(client, step, messages):
    page = walk_to(client, step)
    response = post(client, f"/refer/{step}", {}, page)
    assert response.status_code == 200
    soup = parse(response)
    assert soup.title.get_text().startswith("Error:")
    assert error_texts(response) == messages
    for link in soup.select(".govuk-error-summary__list a"):
        assert soup.find(id=link["href"][1:]) is not None, link["href"]


@pytest.mark.parametrize("answers, message", [
    ({"methods": ["phone"], "name": "A"}, "Enter a phone number, so we can call or text you"),
    ({"methods": ["email"], "name": "A", "email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
    ({"methods": ["text"], "name": "A", "phone": "call me"}, "Enter a phone number, like 01632 960 001 or 07700 900 982"),
    ({"methods": ["pigeon"], "name": "A"}, "Select how we can contact you from the list"),
])
def test_contact_details_are_checked(client, answers, message):
    page = walk_to(client, "contact")
    assert message in error_texts(post(client, "/refer/contact", answers, page))


def test_a_postcode_outside_the_county_points_to_their_own_council(client):
    page = walk_to(client, "address")
    response = post(client, "/refer/address", {"line1": "1 Any Street", "town": "Leeds", "postcode": "LS1 4AP"}, page)
    assert error_texts(response) == ["This postcode is not in Worcestershire. Contact the council for the area where you live"]
    link = parse(response).select_one(".govuk-inset-text a")
    assert link["href"] == "https://www.gov.uk/find-local-council"
    assert error_texts(post(client, "/refer/address", {"line1": "1", "town": "W", "postcode": "nonsense"}, page)) == [
        "Enter a real postcode, like WR1 2AB"]


def born_years_ago(years, days=30):
    """The date of birth of someone whose birthday ``years`` came ``days`` days ago (negative: it is still to come),
    as the (day, month, year) boxes."""
    born = clock.years_ago(years) - timedelta(days=days)
    return str(born.day), str(born.month), str(born.year)


@pytest.mark.parametrize("birth, send, message", [
    (born_years_ago(10), "no", "You need to be 11 or older to use this form"),
    (born_years_ago(21), "no", "You can refer yourself until you are 18, or until you are 25 if you have special educational needs or a disability"),
    (born_years_ago(36), "yes", "You need to be 25 or younger to refer yourself"),
    (born_years_ago(11, -1), "no", "You need to be 11 or older to use this form"),  # the day before an 11th birthday
    (born_years_ago(26, 0), "yes", "You need to be 25 or younger to refer yourself"),  # a 26th birthday today
    (("31", "2", str(clock.today().year - 16)), "no", "Date of birth must be a real date"),
    (("9" * 20, "2", str(clock.today().year - 16)), "no", "Date of birth must be a real date"),  # too big to be a day
    (("", "", ""), "no", "Enter your date of birth"),
])
def test_a_young_persons_age_is_checked(client, birth, send, message):
    page = start(client)
    page = follow(client, post(client, "/refer/who", {"who": "young-person"}, page))
    answers = {"name": "R", "send": send, "birth-day": birth[0], "birth-month": birth[1], "birth-year": birth[2]}
    response = post(client, "/refer/about-you", answers, page)
    assert response.status_code == 200
    assert any(text.startswith(message) for text in error_texts(response)), error_texts(response)


def test_someone_of_20_with_send_can_refer_themselves(client):
    page = start(client)
    page = follow(client, post(client, "/refer/who", {"who": "young-person"}, page))
    day, month, year = born_years_ago(20)
    response = post(client, "/refer/about-you", {"name": "R", "send": "yes", "birth-day": day, "birth-month": month, "birth-year": year}, page)
    assert response.status_code == 303 and response.headers["Location"].endswith("/refer/adults")


def test_children_can_be_added_changed_and_removed(client):
    page = start(client)
    page = follow(client, post(client, "/refer/who", {"who": "parent"}, page))
    assert page.request.path == "/refer/child/1"
    empty = post(client, "/refer/child/1", {}, page)
    assert error_texts(empty) == ["Select yes if the child has been born"]
    no_name = post(client, "/refer/child/1", {"born": "yes", "birth-day": "1", "birth-month": "1", "birth-year": "2020"}, page)
    assert error_texts(no_name) == ["Enter the child’s name"]
    future = post(client, "/refer/child/1", {"born": "yes", "name": "Kim", "birth-day": "1", "birth-month": "1", "birth-year": "2099"}, page)
    assert error_texts(future) == ["Date of birth must be in the past"]
    for number, name in ((1, "Kim"), (2, "Lee"), (3, "Max")):
        page = client.get(f"/refer/child/{number}")
        page = follow(client, post(client, f"/refer/child/{number}", {"born": "yes", "name": name, "birth-day": "2", "birth-month": "2", "birth-year": "2020"}, page))
    assert [text_of(h) for h in parse(page).select(".govuk-summary-card__title")] == ["Child 1", "Child 2", "Child 3"]
    page = follow(client, post(client, "/refer/children/2/remove", {}, page))
    names = [text_of(dd) for dd in parse(page).select(".govuk-summary-list__value")]
    assert "Lee" not in names and "Kim" in names and "Max" in names
    assert client.get("/refer/child/9").status_code == 404  # no skipping ahead in the list
    page = client.get("/refer/child/1")
    assert parse(page).find(id="name")["value"] == "Kim" and parse(page).find(id="birth-year")["value"] == "2020"


def test_change_links_come_back_to_check_your_answers(client):
    page = fill_in(client, PARENT, send=False)
    change = parse(page).select_one('a[href="/refer/language?change=1"]')
    assert change is not None
    page = client.get("/refer/language?change=1")
    assert parse(page).select_one(".govuk-back-link")["href"] == "/refer/check"
    response = post(client, "/refer/language?change=1", {"languages": "Polish", "interpreter": "yes"}, page)
    assert response.headers["Location"].endswith("/refer/check")
    assert "Polish" in text_of(parse(client.get("/refer/check")).find("main"))


def test_pages_cannot_be_skipped_by_typing_a_later_address(client):
    start(client)
    response = client.get("/refer/consent")
    assert response.status_code == 303 and response.headers["Location"].endswith("/refer/who")
    assert client.get("/refer/check").headers["Location"].endswith("/refer/who")


def test_the_journeys_answers_fill_in_who_and_what_help(client):
    response = client.post("/refer/start", data={"who": "young-person", "need": ["school", "not-a-need", "childs-feelings"]})
    assert response.headers["Location"].endswith("/refer/about-you")
    assert parse(client.get("/refer/who")).find("input", attrs={"value": "young-person"}).has_attr("checked")
    assert client.get("/refer/help").status_code == 303  # not yet: about you comes first
    page = client.get("/refer/about-you")
    page = follow(client, post(client, "/refer/about-you", YOUNG_PERSON["about-you"], page))
    page = follow(client, post(client, "/refer/adults", {"another": "no"}, page))
    page = follow(client, post(client, "/refer/address", YOUNG_PERSON["address"], page))
    assert page.request.path == "/refer/help"
    ticked = {box["value"] for box in parse(page).select('input[name="need"][checked]')}
    assert ticked == {"school", "childs-feelings"}


def test_the_journey_result_sends_needs_to_the_form_by_post(client):
    form = {"step": "where", "who": "parent", "safety": "no", "age": "5-to-10", "need": ["behaviour", "school"],
            "impact": "struggling", "postcode": "WR1 2AB"}
    soup = parse(client.post("/get-help", data=form))
    refer = soup.select_one("#journey-refer form")
    assert refer["method"] == "post" and refer["action"] == "/refer/start"
    assert {i["value"] for i in refer.select('input[name="need"]')} == {"behaviour", "school"}
    assert "?" not in refer["action"]


def test_sending_twice_makes_one_referral(app, client):
    page = fill_in(client, PARENT, send=False)
    first = post(client, "/refer/check", {}, page)
    again = post(client, "/refer/check", {}, page)  # a double click, or the page sent again
    assert first.status_code == again.status_code == 303
    reference = reference_on(follow(client, again))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Referral).where(Referral.reference == reference)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.subject.contains(reference))) == 1


def counts(app):
    with app.app_context():
        return (db.session.scalar(db.select(db.func.count()).select_from(Referral)),
                db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)))


def test_a_bot_that_fills_the_hidden_field_sees_a_confirmation_but_nothing_is_kept(app, client):
    before = counts(app)
    page = fill_in(client, PARENT, send=False)
    sent = follow(client, post(client, "/refer/check", {"website": "http://spam.example"}, page))
    assert heading(parse(sent)) == "Your request has been sent"
    reference_on(sent)
    assert counts(app) == before
    # Trapped on an earlier page counts too.
    other = app.test_client()
    page = start(other)
    page = follow(other, post(other, "/refer/who", {"who": "parent", "website": "x"}, page))
    assert page.request.path == "/refer/child/1"  # the bot is not told anything
    with other.session_transaction() as session:
        key = draft_key(session["referral"])
    with app.app_context():
        assert db.session.get(ReferralDraft, key).trapped is True  # this visitor's own draft is marked


def test_a_form_sent_faster_than_a_person_could_is_dropped(app_with, app):
    quick = app_with(REFERRAL_MIN_SECONDS=3600)
    before = counts(app)
    client = quick.test_client()
    sent = fill_in(client, PARENT)
    assert heading(parse(sent)) == "Your request has been sent"
    reference_on(sent)
    assert counts(app) == before


def test_too_many_submissions_from_one_place_are_refused_kindly(app_with, app):
    limited = app_with(REFERRAL_RATE_LIMIT="2 per hour")
    for _ in range(2):
        assert reference_on(fill_in(limited.test_client(), PARENT))
    client = limited.test_client()
    page = fill_in(client, PARENT, send=False)
    refused = post(client, "/refer/check", {}, page)
    assert refused.status_code == 429
    assert heading(parse(refused)) == "You have sent too many requests"
    assert "your answers are kept for 24 hours" in text_of(parse(refused).find("main"))
    assert client.get("/refer/check").status_code == 200  # the draft is still there


def test_a_draft_is_gone_after_24_hours(app_with, client):
    fill_in(client, PARENT, send=False)
    cookie = client.get_cookie("session").value
    later = app_with(CLOCK=lambda: clock.now() + timedelta(hours=24, minutes=1))
    other = later.test_client()
    other.set_cookie("session", cookie)
    response = other.get("/refer/check")
    assert "We could not find your answers" in text_of(parse(response).find("main"))


def test_an_old_or_missing_token_gets_a_timed_out_page(client):
    fill_in(client, PARENT, send=False)
    response = client.post("/refer/check", data={"csrf_token": "not-the-token"})
    assert response.status_code == 400
    soup = parse(response)
    assert heading(soup) == "This page timed out"
    assert soup.select_one("main a")["href"] == "/refer"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_sent_page_without_a_referral_goes_to_the_start(client):
    assert client.get("/refer/sent").headers["Location"].endswith("/refer")


def test_nothing_a_family_types_is_logged(app_with, caplog):
    logged = app_with()
    client = logged.test_client()
    with caplog.at_level(logging.DEBUG):
        fill_in(client, PARENT)
        logged.test_cli_runner().invoke(args=["worker", "--once"])  # the team email fails: nothing listens on the mail port
    assert any("not sent" in record.getMessage() for record in caplog.records)
    everything = "\n".join(record.getMessage() for record in caplog.records)
    for value in personal_values(PARENT):
        assert value not in everything


def test_a_token_older_than_its_lifetime_gets_the_timed_out_page_and_the_draft_survives(app, client):
    fill_in(client, PARENT, send=False)
    response = client.post("/refer/check", data={"csrf_token": token_from_hours_ago(app, client, 9)})
    assert response.status_code == 400 and heading(parse(response)) == "This page timed out"
    again = client.get("/refer/check")  # a fresh page has a fresh token, and the answers are still there
    assert "Amelia Testperson" in text_of(parse(again).find("main"))
    assert reference_on(follow(client, post(client, "/refer/check", {}, again)))


class _SignedLongAgo(TimestampSigner):
    hours = 0

    def get_timestamp(self):
        return int(time.time() - self.hours * 3600)


def token_from_hours_ago(app, client, hours):
    """The form token this visitor's page would hold had the page been opened ``hours`` hours ago."""
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    signer = type("Signer", (_SignedLongAgo,), {"hours": hours})
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token", signer=signer).dumps(raw)


def test_a_page_left_open_for_hours_can_still_be_sent_but_not_after_8_hours(app, client):
    fill_in(client, PARENT, send=False)
    late = client.post("/refer/check", data={"csrf_token": token_from_hours_ago(app, client, 8.1)})
    assert late.status_code == 400 and heading(parse(late)) == "This page timed out"
    slow = client.post("/refer/check", data={"csrf_token": token_from_hours_ago(app, client, 4)})
    assert reference_on(follow(client, slow))  # someone who had to stop for 4 hours still gets their reference


def test_changing_who_is_asking_keeps_only_the_answers_that_fit(app, client):
    page = fill_in(client, PARENT, send=False)
    page = client.get("/refer/who?change=1")
    page = follow(client, post(client, "/refer/who?change=1", {"who": "young-person"}, page))
    assert page.request.path == "/refer/about-you"
    page = follow(client, post(client, "/refer/about-you?change=1", YOUNG_PERSON["about-you"], page))
    assert page.request.path == "/refer/check"
    assert "Amelia" not in text_of(parse(page).find("main"))
    referral, answers = stored(app, reference_on(follow(client, post(client, "/refer/check", {}, page))))
    assert referral.referrer == "young-person" and "children" not in answers and answers["about-you"]["name"] == "Riley Youngtester"


def test_the_form_works_in_polish(client):
    page = client.get("/pl/refer")
    assert parse(page).find("html")["lang"] == "pl"
    response = client.post("/pl/refer/start")
    assert response.headers["Location"].endswith("/pl/refer/who")
    who = client.get("/pl/refer/who")
    assert parse(who).find("form")["method"] == "post"
    children = post(client, "/pl/refer/who", {"who": "parent"}, who).headers["Location"]
    assert children.endswith("/pl/refer/children")
    assert client.get(children).headers["Location"].endswith("/pl/refer/child/1")
    assert "Czy to dziecko już się urodziło?" in text_of(parse(client.get("/pl/refer/child/1")).find("main"))
