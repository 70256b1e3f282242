"""Every phone number a family is shown is a link that calls it: 999, 111, helplines, teams and services."""

import re

import lxml.html
import pytest

from app.domain.phones import link_phones, tel_href
from tests.journey.test_journey import PARENT_OF_BABY_LOW, walk
from tests.referral.walk import PARENT, fill_in

# The shapes of UK number the site shows, found independently of app/domain/phones.py.
LOOKS_LIKE_A_NUMBER = re.compile(r"(?<![\d£,.])(?:0\d{2,4}(?: ?\d{3,4}){1,2}|116 ?123|999|111)(?![\d,.]\d)")

PAGES = [
    "/", "/services", "/refer", "/refer/teams", "/professionals", "/start-for-life",
    "/pages/urgent-help", "/pages/privacy", "/start-for-life/antenatal-care", "/no-such-page",
    "/services/bromsgrove-baby-cafe", "/shortlist?s=bromsgrove-baby-cafe,kinship-care-advice-line",
]


def numbers_not_linked(body):
    """Each phone number in the page's text that is not inside a link that calls it (scripts and styles
    aside; a number in the words of a link to a website, "NHS 111 online", is that link's name)."""
    root = lxml.html.fromstring(body)
    found = []
    for text in root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"):
        for number in LOOKS_LIKE_A_NUMBER.findall(text):
            link = text.getparent()
            while link is not None and link.tag != "a":
                link = link.getparent()
            href = "" if link is None else link.get("href", "")
            calls_it = href.startswith("tel:") and tel_href(number)[4:] in href
            if not calls_it and not (href and not href.startswith("tel:")):
                found.append(number)
    return found


def numbers_linked(body):
    return lxml.html.fromstring(body).xpath("//a[starts-with(@href, 'tel:')]/@href")


@pytest.mark.parametrize("path", PAGES)
def test_every_number_on_a_page_is_a_link_that_calls_it(client, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page" else 200)
    assert numbers_not_linked(response.data) == []
    if path == "/":
        assert {"tel:999", "tel:01632960000"} <= set(numbers_linked(response.data))  # the urgent help block


def test_the_urgent_help_and_the_teams_number_on_the_journeys_result_can_be_tapped(client):
    result = walk(client, PARENT_OF_BABY_LOW)[-1]
    assert numbers_not_linked(result.data) == []
    assert "tel:999" in numbers_linked(result.data)


def test_the_confirmation_after_a_referral_has_the_numbers_as_links(client):
    sent = fill_in(client, PARENT)
    assert "Your request has been sent" in sent.get_data(as_text=True)
    assert numbers_not_linked(sent.data) == []
    assert {"tel:999", "tel:01632960000"} <= set(numbers_linked(sent.data))


def test_a_number_an_editor_wrote_becomes_a_link_and_the_rest_is_escaped():
    assert str(link_phones("In danger, call 999 or <b>01632 960000</b>.")) == (
        'In danger, call <a class="govuk-link" href="tel:999">999</a> or &lt;b&gt;'
        '<a class="govuk-link" href="tel:01632960000">01632 960000</a>&lt;/b&gt;.'
    )
    for not_a_number in ("In 2026 at 09:00", "£1,999 a year", "3.111 miles", "WR1 2AB", "ID 1110"):
        assert "tel:" not in link_phones(not_a_number), not_a_number
