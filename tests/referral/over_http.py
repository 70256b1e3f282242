"""Families filling in the self-referral over real HTTP, each with its own cookies.

Used by the tests that serve the site with gunicorn, and by ``bench/referrals.py``.
"""

import copy
import http.client
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from tests.referral.walk import PARENT, YOUNG_PERSON

STEPS = ("address", "help", "tried", "language", "contact", "safe-contact", "consent")
REFERENCE = re.compile(r'<strong class="app-reference">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')
MAILED = re.compile(r"^Reference: ([A-Z0-9]{4}-[A-Z0-9]{4})\r?$", re.MULTILINE)  # SMTP lines end in CRLF
# What a person sees when the server goes away mid-request: they press the button again.
CUT_OFF = (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionError, urllib.error.URLError)


class TokenReader(HTMLParser):
    token = ""

    def handle_starttag(self, tag, attrs):
        if tag == "input" and dict(attrs).get("name") == "csrf_token":
            self.token = dict(attrs).get("value", "")


class BehindTLS(http.cookiejar.DefaultCookiePolicy):
    """Send "Secure" cookies over plain HTTP too, as a browser does to a site behind a TLS proxy.

    Production settings mark the session cookie Secure; the tests serve those
    settings on 127.0.0.1 without TLS."""

    def return_ok_secure(self, cookie, request):
        return True


class FollowsOnHeaders(urllib.request.HTTPRedirectHandler):
    """Follow a redirect on its headers alone, as a browser does.

    A browser never shows a redirect's body, so one cut off after the headers
    (the server killed between its two writes) still leads to the next page;
    urllib would read that body first and fail."""

    def http_error_302(self, req, fp, code, msg, headers):
        read = fp.read

        def drain(*args):
            try:
                return read(*args)
            except http.client.IncompleteRead:
                return b""

        fp.read = drain
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class Family:
    """One browser: its own cookies; urllib follows each 303 with a GET.

    With ``retries``, a request cut off (the connection closed with no answer)
    is sent again, as a person presses the button again; ``retried`` counts them.
    """

    def __init__(self, port, retries=0):
        self.base, self.requests, self.retries, self.retried = f"http://127.0.0.1:{port}", 0, retries, 0
        jar = http.cookiejar.CookieJar(policy=BehindTLS())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), FollowsOnHeaders)

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        for attempt in range(self.retries + 1):
            self.requests += 1
            try:
                with self.opener.open(self.base + path, data=body, timeout=60) as response:  # HTTPError on 4xx/5xx
                    return urllib.parse.urlsplit(response.geturl()).path, response.read().decode()
            except urllib.error.HTTPError:
                raise
            except CUT_OFF:
                if attempt == self.retries:
                    raise
                self.retried += 1
                time.sleep(0.5)

    def answer(self, page, answers):
        """POST the answers and the page's token back to the page; returns the page it leads to."""
        reader = TokenReader()
        reader.feed(page[1])
        return self.open(page[0], {**answers, "csrf_token": reader.token})


def persona(number):
    """Parents and young people in turn, each with its own names."""
    answers = copy.deepcopy(PARENT if number % 2 == 0 else YOUNG_PERSON)
    if "child" in answers:
        answers["child"][0]["name"] = f"Amelia Testperson {number}"
        answers["adults"][0]["name"] = f"Jordan Testperson {number}"
        answers["contact"] |= {"name": f"Casey Testperson {number}", "email": f"casey.testperson{number}@example.org"}
    else:
        answers["about-you"]["name"] = f"Riley Youngtester {number}"
    answers["help"]["more"] += f" (family {number})"
    return answers


def expect(page, path):
    assert page[0] == path, f"expected {path}, got {page[0]}"


def walk_to_check(family, answers):
    """Fill in every page; returns "Check your answers"."""
    family.open("/refer")
    page = family.answer(family.open("/refer/start", {}), answers["who"])
    if "child" in answers:
        for count, child in enumerate(answers["child"], start=1):
            expect(page, f"/refer/child/{count}")
            page = family.answer(page, child)
            page = family.answer(page, {"another": "yes" if count < len(answers["child"]) else "no"})
    else:
        page = family.answer(page, answers["about-you"])
    expect(page, "/refer/adults")
    for adult in answers["adults"]:
        page = family.answer(family.answer(page, {"another": "yes"}), adult)
    page = family.answer(page, {"another": "no"})
    for step in STEPS:
        expect(page, f"/refer/{step}")
        page = family.answer(page, answers[step])
    expect(page, "/refer/check")
    return page


def walk_and_wait(family, number, at_check):
    """Walk ``family`` to "Check your answers" as ``persona(number)``, then wait there for the others
    (``at_check``, a threading.Barrier, broken for all if this walk fails); returns the page."""
    try:
        page = walk_to_check(family, persona(number))
    except BaseException:
        at_check.abort()
        raise
    at_check.wait()
    return page


def reference_shown(page):
    expect(page, "/refer/sent")
    found = REFERENCE.search(page[1])
    assert found, "no reference on /refer/sent"
    return found.group(1)
