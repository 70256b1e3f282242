"""Sign-in under attack, against real gunicorn with two worker processes.

Before, the failure count was read, added to and written back by each request:
20 wrong passwords sent at once left it at 2, and a right password sent among
19 wrong ones got in. A locked account also answered in a tenth of the time,
and said "locked", which told an attacker which emails have accounts.
"""

import http.client
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from cryptography.fernet import Fernet

from app.extensions import db
from app.models import StaffUser
from tests.servers import SERVED_BY_GUNICORN, bare_environment, gunicorn
from tests.staff.test_staff import PASSWORD, PRODUCTION_HASHING, add_user

pytestmark = SERVED_BY_GUNICORN

WRONG = "not the password at all"


@pytest.fixture(scope="module")
def site(app, database_url, tmp_path_factory):
    env = bare_environment(
        FAMILYHUB_ENV="production", DATABASE_URL=database_url, SECRET_KEY="attack-tests-" + "s" * 40,
        REFERRAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(), SITE_URL="http://127.0.0.1", RATELIMIT_STORAGE_URI="memory://", STAFF_SIGN_IN_RATE_LIMIT="10000 per hour",
        SEARCH_INDEX_DIR=tmp_path_factory.mktemp("index"), ANALYTICS_ENABLED="false",
    )
    with gunicorn(env, workers=2) as url:
        yield urlsplit(url).port


@pytest.fixture
def runner(app_with):
    """Staff made here have their passwords hashed as in production, so that timings compare like with like."""
    return app_with(**PRODUCTION_HASHING).test_cli_runner()


class Attempt:
    """One browser's sign-in: the form fetched first, then sent when told to."""

    def __init__(self, port, email, password, source="127.0.0.1", headers=None):
        """``source``: the address the browser connects from; ``headers``: more it sends with the sign-in."""
        self.port, self.email, self.password, self.source = port, email, password, source
        self.headers = headers or {}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
        connection.request("GET", "/staff/sign-in")
        response = connection.getresponse()
        page = response.read().decode()
        self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
        self.token = next(group for group in self.token.groups() if group)
        connection.close()

    def send(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120, source_address=(self.source, 0))
        started = time.perf_counter()
        connection.request("POST", "/staff/sign-in", body=urlencode(
            {"email": self.email, "password": self.password, "csrf_token": self.token}),
            headers={"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded", **self.headers})
        response = connection.getresponse()
        body = response.read().decode()
        self.seconds = time.perf_counter() - started
        connection.close()
        self.status, self.body = response.status, body
        return self


def at_once(pool, attempts):
    """Send every attempt at the same moment, from ``pool``; returns their futures."""
    gate = threading.Barrier(len(attempts))

    def go(attempt):
        gate.wait()
        return attempt.send()

    return [pool.submit(go, attempt) for attempt in attempts]


def burst(attempts):
    """Send every attempt at the same moment; returns them, answered."""
    with ThreadPoolExecutor(len(attempts)) as pool:
        return [future.result() for future in at_once(pool, attempts)]


def account(app, email):
    with app.app_context():
        return db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))


def unlock(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        user.locked_until, user.failed_sign_ins = None, 0
        db.session.commit()


def five_counted(app, email):
    """Whether five failures are counted on the account (or it is already locked)."""
    user = account(app, email)
    return user.locked_until is not None or user.failed_sign_ins >= 5


def test_fifty_wrong_passwords_at_once_lock_the_account_and_no_right_one_among_them_gets_in(app, runner, site):
    """The right password sent while a burst of wrong ones is still arriving is refused.

    One counted among the first five may fairly get in (five tries are allowed, and
    the second factor still stands in the way): so the right ones go in once five
    wrong ones are counted, while the rest of the burst is still queued.
    """
    email = add_user(runner)
    wrong = [Attempt(site, email, WRONG) for _ in range(50)]
    right = [Attempt(site, email, PASSWORD) for _ in range(5)]
    with ThreadPoolExecutor(len(wrong) + len(right)) as pool:
        sent = at_once(pool, wrong)
        deadline = time.monotonic() + 60
        while not five_counted(app, email):
            assert time.monotonic() < deadline, "the burst was never counted"
            time.sleep(0.005)
        queued = sum(not future.done() for future in sent)
        sent += [pool.submit(attempt.send) for attempt in right]
        answered = [future.result() for future in sent]
    assert queued > 10  # the right ones really went in among the burst
    assert [attempt.status for attempt in answered if attempt.password == PASSWORD] == [200] * 5
    assert all(attempt.status == 200 and "Enter the email address and password for your account" in attempt.body
               for attempt in answered)
    assert not any("locked" in attempt.body.split("After 5 wrong attempts", 1)[0] for attempt in answered)
    user = account(app, email)
    assert user.locked_until is not None and user.last_sign_in_at is None
    # Once unlocked, the same right password gets in: what kept it out was the attack.
    unlock(app, email)
    assert Attempt(site, email, PASSWORD).send().status == 303


def test_twenty_wrong_passwords_at_once_are_all_counted(app, runner, site):
    email = add_user(runner)
    burst([Attempt(site, email, WRONG) for _ in range(4)])
    user = account(app, email)
    assert user.failed_sign_ins == 4 and user.locked_until is None  # 4 sent at once: 4 counted
    burst([Attempt(site, email, WRONG) for _ in range(20)])
    assert account(app, email).locked_until is not None


def test_a_locked_account_answers_like_a_wrong_password_and_as_slowly(app, runner, site):
    locked, unlocked = add_user(runner), add_user(runner)
    for _ in range(5):
        Attempt(site, locked, WRONG).send()
    assert account(app, locked).locked_until is not None
    times = {"locked": [], "wrong": [], "unknown": []}
    pages = {}
    for _ in range(7):
        for name, email in (("locked", locked), ("wrong", unlocked), ("unknown", "no-one@example.org")):
            attempt = Attempt(site, email, WRONG).send()
            times[name].append(attempt.seconds)
            pages[name] = re.sub(r'value="[^"]*"', "", attempt.body.split("<main", 1)[1])
        unlock(app, unlocked)
    assert pages["locked"] == pages["wrong"] == pages["unknown"]
    medians = {name: statistics.median(seconds) for name, seconds in times.items()}
    # Before: 13 ms locked against 148 ms wrong. Each now checks a password hash.
    assert medians["locked"] > 0.5 * medians["wrong"], medians
    assert medians["unknown"] > 0.5 * medians["wrong"], medians
