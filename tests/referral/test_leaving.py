"""Leaving, and whoever uses the browser next: Exit this page ends the draft, the cookie holds no reference."""

import base64
import json
import zlib
from datetime import timedelta

from app.extensions import db
from app.models import Referral, ReferralDraft
from tests.pages import heading, parse, text_of
from tests.referral.walk import PARENT, fill_in, reference_on


def drafts(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(ReferralDraft))


def cookie_contents(client):
    """What anyone holding the browser can read in its session cookie, without the key."""
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def test_exit_this_page_deletes_the_draft_so_back_shows_nothing(app, client):
    check = fill_in(client, PARENT, send=False)
    assert "Amelia Testperson" in check.get_data(as_text=True)
    before = drafts(app)
    leaving = client.get("/exit")
    assert leaving.status_code == 303 and leaving.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert leaving.headers["Cache-Control"] == "no-store"
    assert '"cookies"' in leaving.headers["Clear-Site-Data"]
    assert drafts(app) == before - 1
    for path in ("/refer/check", "/refer/child/1", "/refer/contact"):  # Back, or a remembered address
        again = client.get(path)
        assert "Amelia" not in again.get_data(as_text=True) and "Casey" not in again.get_data(as_text=True), path
    assert heading(parse(client.get("/refer"))) != "Check your answers"


def test_exit_this_page_from_a_page_with_no_cookie_sets_none(client):
    response = client.get("/exit")
    assert response.status_code == 303 and "Set-Cookie" not in response.headers
    assert client.get("/pl/exit").headers["Location"] == "https://www.bbc.co.uk/weather"


def test_the_cookie_holds_no_reference_and_the_confirmation_is_found_on_the_server(app, client):
    page = fill_in(client, PARENT)
    reference = reference_on(page)
    contents = cookie_contents(client)
    assert reference not in json.dumps(contents)
    assert set(contents) <= {"referral", "csrf_token"}
    assert reference_on(client.get("/refer/sent")) == reference  # shown again, found from the draft's key


def test_the_reference_is_not_shown_to_the_next_person_an_hour_later(app, client):
    reference = reference_on(fill_in(client, PARENT))
    with app.app_context():
        referral = db.session.scalar(db.select(Referral).where(Referral.reference == reference))
        referral.received_at -= timedelta(minutes=61)
        db.session.commit()
    later = client.get("/refer/sent")
    assert later.status_code == 303 and later.headers["Location"].endswith("/refer")
    assert reference not in client.get("/refer").get_data(as_text=True)


def test_exit_this_page_after_sending_hides_the_reference(client):
    reference = reference_on(fill_in(client, PARENT))
    client.get("/exit")
    assert reference not in client.get("/refer/sent", follow_redirects=True).get_data(as_text=True)


def test_a_bot_sees_the_same_confirmation_each_time_and_nothing_is_kept(app_with):
    quick = app_with(REFERRAL_MIN_SECONDS=3600)
    client = quick.test_client()
    with quick.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(Referral))
    page = fill_in(client, PARENT)
    reference = reference_on(page)
    assert reference_on(client.get("/refer/sent")) == reference
    assert reference not in json.dumps(cookie_contents(client))
    with quick.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Referral)) == before
    assert "Your request has been sent" in text_of(parse(page))


def test_another_sites_page_cannot_start_or_replace_a_draft(app, client):
    check = fill_in(client, PARENT, send=False)
    assert "Amelia Testperson" in check.get_data(as_text=True)
    before = drafts(app)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://attacker.example"},
                    {"Sec-Fetch-Site": "same-site", "Origin": "https://evil.family-hub.test"}):
        response = client.post("/refer/start", data={"who": "parent", "again": "yes"}, headers=headers)
        assert response.status_code == 303 and response.headers["Location"].endswith("/refer"), headers
        assert "Set-Cookie" not in response.headers, headers
    assert drafts(app) == before
    assert "Amelia Testperson" in client.get("/refer/check").get_data(as_text=True)  # the visitor's draft is untouched
    own = client.post("/refer/start", data={"who": "parent"}, headers={"Sec-Fetch-Site": "same-origin",
                                                                       "Origin": "http://localhost"})
    assert own.status_code == 303 and "/refer/" in own.headers["Location"]


def test_scripts_cannot_start_drafts_without_end(app_with):
    limited = app_with(REFERRAL_START_RATE_LIMIT="5 per hour")
    before = drafts(limited)
    answers = [limited.test_client().post("/refer/start", data={"who": "parent"}).status_code for _ in range(8)]
    assert answers == [303] * 5 + [429] * 3
    assert drafts(limited) == before + 5
    page = parse(limited.test_client().post("/refer/start"))
    assert heading(page) == "You have sent too many requests"
