"""Filling in the self-referral form as a person would, page by page, with the test client."""

import re
from datetime import timedelta

from tests import clock
from tests.pages import parse

# Dates counted from the test clock: a child of 7, a baby due in 12 weeks, a young person of 15.
CHILD_BIRTH = clock.years_ago(7) - timedelta(days=60)
DUE = clock.today() + timedelta(weeks=12)
YOUNG_BIRTH = clock.years_ago(15) - timedelta(days=90)

PARENT = {
    "who": {"who": "parent"},
    "child": [
        {"born": "yes", "name": "Amelia Testperson", **clock.date_fields("birth", CHILD_BIRTH), "school": "Brookfield Primary"},
        {"born": "no", "name": "", "due-day": str(DUE.day), "due-month": str(DUE.month), "due-year": str(DUE.year), "school": ""},
    ],
    "adults": [{"name": "Jordan Testperson", "relationship": "Casey’s partner"}],
    "address": {"line1": "12 Quillwort Lane", "line2": "", "town": "Worcester", "postcode": "WR1 2AB"},
    "help": {"need": ["behaviour", "money-housing-work"], "more": "Bedtimes are a battle every night"},
    "tried": {"tried": "Spoke to the school nurse about sleep"},
    "language": {"languages": "English and Portuguese", "interpreter": "no"},
    "contact": {"name": "Casey Testperson", "methods": ["phone", "email"], "phone": "07700 900123", "email": "casey.testperson@example.org"},
    "safe-contact": {"call": "yes", "voicemail": "no", "text": "yes", "letter": "no", "times": ["morning"], "notes": "Not after 6pm please"},
    "consent": {"contact": "y", "share": "yes"},
}

YOUNG_PERSON = {
    "who": {"who": "young-person"},
    "about-you": {"name": "Riley Youngtester", **clock.date_fields("birth", YOUNG_BIRTH), "send": "no", "school": "Severnside Academy"},
    "adults": [],
    "address": {"line1": "3 Larkspur Row", "line2": "Flat 2", "town": "Redditch", "postcode": "B97 4QQ"},
    "help": {"need": ["childs-feelings"], "more": "I feel anxious about exams all the time"},
    "tried": {"tried": ""},
    "language": {"languages": "English and Tigrinya", "interpreter": "no"},
    "contact": {"methods": ["text"], "phone": "07700 900456", "email": ""},
    "safe-contact": {"call": "no", "voicemail": "no", "text": "yes", "letter": "no", "times": ["afternoon", "evening"], "notes": ""},
    "consent": {"contact": "y", "share": "no"},
}

# What a person typed, which must never be readable outside the encrypted record.
def personal_values(answers):
    found = []
    for key, value in answers.items():
        if isinstance(value, dict):
            found += personal_values(value)
        elif isinstance(value, list):
            for item in value:
                found += personal_values(item) if isinstance(item, dict) else []
        elif key in ("name", "school", "line1", "line2", "postcode", "more", "tried", "languages", "phone", "email", "notes", "relationship") and value:
            found.append(value)
    return found


def token(response):
    found = parse(response).find("input", attrs={"name": "csrf_token"})
    return found["value"] if found else ""


def post(client, url, data, response):
    return client.post(url, data={**data, "csrf_token": token(response)})


def follow(client, response):
    while response.status_code in (302, 303):
        response = client.get(response.headers["Location"])
    return response


def start(client, prefix=""):
    client.get(f"{prefix}/refer")
    return follow(client, client.post(f"{prefix}/refer/start"))


def fill_in(client, persona, send=True, prefix=""):
    """Answer every page; returns the check-your-answers page, or the confirmation if ``send``."""
    page = start(client, prefix)
    path = lambda response: response.request.path  # noqa: E731
    page = follow(client, post(client, path(page), persona["who"], page))
    if "child" in persona:
        for number, child in enumerate(persona["child"], start=1):
            assert path(page).endswith(f"/refer/child/{number}"), path(page)
            page = follow(client, post(client, path(page), child, page))
            more = "yes" if number < len(persona["child"]) else "no"
            page = follow(client, post(client, path(page), {"another": more}, page))
    else:
        page = follow(client, post(client, path(page), persona["about-you"], page))
    assert path(page).endswith("/refer/adults"), path(page)
    for adult in persona["adults"]:
        page = follow(client, post(client, path(page), {"another": "yes"}, page))
        page = follow(client, post(client, path(page), adult, page))
    page = follow(client, post(client, path(page), {"another": "no"}, page))
    for step in ("address", "help", "tried", "language", "contact", "safe-contact", "consent"):
        assert path(page).endswith(f"/refer/{step}"), (step, path(page), parse(page).find("h1"))
        page = follow(client, post(client, path(page), persona[step], page))
    assert path(page).endswith("/refer/check"), path(page)
    if not send:
        return page
    return follow(client, post(client, path(page), {}, page))


def reference_on(page):
    text = parse(page).find(class_="app-reference")
    assert text is not None, "no reference on the page"
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", text.get_text(strip=True))
    return text.get_text(strip=True)
