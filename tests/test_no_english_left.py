"""Every public page in Polish, Romanian and Urdu shows no English interface sentence,
outside the directory's own words and untranslated pages, which are marked lang="en"."""

import re
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>")

PAGES = [
    "/", "/services", "/services?q=baby+blues&postcode=WR5+1AA", "/services?q=submarine",
    "/services?q=chaterbox&postcode=banana", "/services?cost=free&district=worcester&category=infant-feeding",
    "/services/bromsgrove-baby-cafe", "/services/bromsgrove-baby-cafe/report", "/start-for-life",
    "/start-for-life/pregnancy", "/start-for-life/safe-sleep", "/start-for-life/toilet-training", "/pages/urgent-help",
    "/pages/privacy", "/professionals", "/refer", "/refer/teams", "/get-help", "/shortlist",
    "/shortlist?s=bromsgrove-baby-cafe,kinship-care-advice-line", "/no-such-page",
]


def english_sentences(code):
    """Pieces of three words or more of each English interface string this language translates."""
    catalogue = read_po((ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb"))
    pieces = set()
    kept = " ".join(string for message in catalogue if message.id
                    for string in (message.string if isinstance(message.string, tuple) else (message.string,)))
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same in both languages (a name)
            for piece in PLACEHOLDER.split(english):
                piece = " ".join(piece.split()).strip(" .,:;()–-")
                if len(piece.split()) >= 3 and piece not in kept:  # not a name a translation keeps in English
                    pieces.add(piece)
    return pieces


def shown_text(response):
    """What the page shows and reads out, less what is marked as English (the directory's words)."""
    document = lxml.html.document_fromstring(response.get_data(as_text=True))
    for hidden in document.xpath("//script | //style | //template | //*[@lang='en']"):
        hidden.drop_tree()
    return " ".join(" ".join(document.itertext()).split())


@pytest.mark.parametrize("code", ["pl", "ro", "ur"])
def test_no_english_interface_sentence_is_left_on_any_public_page(client, code):
    pieces = english_sentences(code)
    assert len(pieces) > 500
    left = {}
    for path in PAGES:
        response = client.get(f"/{code}{path}")
        assert response.status_code in (200, 404), path
        text = shown_text(response)
        found = sorted(piece for piece in pieces if piece in text)
        if found:
            left[path] = found
    assert left == {}


class Recording:
    """The test client, keeping every page it was shown."""

    def __init__(self, client):
        self.client, self.pages = client, []

    def get(self, *args, **kwargs):
        return self._kept(self.client.get(*args, **kwargs))

    def post(self, *args, **kwargs):
        return self._kept(self.client.post(*args, **kwargs))

    def _kept(self, response):
        if response.status_code not in (302, 303):
            self.pages.append((response.request.path, response))
        return response


def journey(recording, prefix, steps):
    """Answer each step of "Get help for your family" as a browser would, then each step again unanswered."""
    response = recording.get(f"{prefix}/get-help")
    for answer in steps:
        form = lxml.html.document_fromstring(response.get_data(as_text=True)).xpath("//main//form")[-1]
        data = {}
        for field in form.xpath(".//input[@type='hidden']"):
            data.setdefault(field.get("name"), []).append(field.get("value"))
        recording.post(f"{prefix}/get-help", data={**data, "step": answer["step"], "action": "continue"})  # no answer: errors
        data.update({name: value if isinstance(value, list) else [value] for name, value in answer.items()})
        data.setdefault("action", ["continue"])
        response = recording.post(f"{prefix}/get-help", data=data)


@pytest.mark.parametrize("code", ["pl", "ro", "ur"])
def test_the_journey_and_the_referral_leave_no_english_sentence_in_any_state(client, code):
    from tests.journey.test_journey import EXPECTING_FEEDING_AND_MONEY, PARENT_OF_A_SEVEN_YEAR_OLD, young_person
    from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, token

    prefix = f"/{code}"
    recording = Recording(client)
    for steps in (PARENT_OF_A_SEVEN_YEAR_OLD, EXPECTING_FEEDING_AND_MONEY, young_person(15, ["hurts-or-frightens", "school"])):
        journey(recording, prefix, steps)
    check = fill_in(recording, PARENT, send=False, prefix=prefix)
    for step in ("address", "help", "tried", "language", "contact", "safe-contact", "consent", "child/1", "adults"):
        page = recording.get(f"{prefix}/refer/{step}")
        recording.post(f"{prefix}/refer/{step}", data={"csrf_token": token(page)})  # every question unanswered
    recording.post(check.request.path, data={"csrf_token": token(recording.get(check.request.path))})
    fill_in(recording, YOUNG_PERSON, prefix=prefix)
    assert len(recording.pages) > 60

    pieces = english_sentences(code)
    left = {}
    for path, response in recording.pages:
        assert response.status_code < 500, path
        text = shown_text(response)
        found = sorted(piece for piece in pieces if piece in text)
        if found:
            left.setdefault(path, set()).update(found)
    assert left == {}
