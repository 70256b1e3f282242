"""The self-referral and the staff inbox in Chromium, served from PostgreSQL.

The other browser tests run their live server on SQLite; this walks a family's
whole request on PostgreSQL, keyboard only, checks the database holds it once,
and has the district's team find it in their inbox.
"""

import uuid

import pytest

from app.extensions import db
from app.models import Referral
from app.referral.vault import vault
from tests.browser.conftest import Visit
from tests.browser.test_referral_in_a_browser import (
    PASSWORD,
    REFERENCE,
    a_parent,
    inbox_row,
    path_of,
    refer_with_the_keyboard,
    sign_in,
)


@pytest.fixture
def tab(browser, live_server_postgres):
    """A new browser window (its own cookies) on the PostgreSQL live server, with JavaScript."""
    contexts = []

    def open_one():
        contexts.append(browser.new_context())
        return Visit(contexts[-1].new_page(), live_server_postgres)

    yield open_one
    for context in contexts:
        context.close()


def stored_with(app, reference):
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        found = db.session.scalars(db.select(Referral).where(Referral.reference == reference)).all()
        return [(referral.district, referral.status, vault().open(referral.answers)) for referral in found]


def test_a_parents_request_on_postgresql_reaches_the_teams_inbox(tab, live_app_postgres):
    family = tab()
    reference, pages = refer_with_the_keyboard(family, a_parent(), axe=False)  # the same pages as on SQLite
    assert REFERENCE.fullmatch(reference), reference
    assert family.page.locator("h1").inner_text() == "Your request has been sent"
    assert len(pages) == 18
    assert family.foreign_requests == [] and family.errors == []

    stored = stored_with(live_app_postgres, reference)
    assert len(stored) == 1, stored
    district, status, answers = stored[0]
    assert (district, status) == ("worcester", "new")
    assert answers["children"][0]["name"] == "Amelia Testperson"

    email = f"pg-{uuid.uuid4().hex[:8]}@example.org"
    made = live_app_postgres.test_cli_runner().invoke(
        args=["users", "create", email, "--name", "Postgres Team", "--district", "worcester", "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    team = tab()
    sign_in(team, email)
    assert path_of(team.page) == "/staff/referrals"
    row = inbox_row(team.page, reference)
    assert row.count() == 1 and "Parent or carer" in row.inner_text()
    with team.page.expect_navigation():
        row.locator("a").click()
    assert team.page.locator("h1").inner_text() == f"Referral {reference}"
    shown = team.page.locator("main").inner_text()
    assert "Amelia Testperson" in shown and "WR1 2AB" in shown
    assert team.foreign_requests == [] and team.errors == []
