"""The suite's own rules: only a server that cannot be reached may skip a PostgreSQL test, and the test
clock keeps to one day."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InternalError

from tests.conftest import IN_CI, postgres_url, reset_schema

OUTCOME = pytest.fail.Exception if IN_CI else pytest.skip.Exception


def test_a_server_that_cannot_be_reached_skips_or_fails_under_ci():
    with pytest.raises(OUTCOME) as outcome:
        reset_schema("postgresql+psycopg://127.0.0.1:1/nowhere")
    assert "PostgreSQL is not available here" in str(outcome.value)


def test_any_other_database_error_is_a_real_failure():
    """A server that answers but refuses the work is not "not available": the error must show."""
    url = make_url(postgres_url()).update_query_dict({"options": "-c default_transaction_read_only=on"})
    with pytest.raises(InternalError, match="read-only transaction"):
        reset_schema(url.render_as_string(hide_password=False))


def test_the_test_clock_starts_at_ten_and_never_reaches_midnight_in_a_run():
    from tests import clock

    first = clock.now()
    assert (clock.START.hour, clock.START.minute) == (10, 0)
    assert clock.START <= first < clock.START + timedelta(hours=13)  # 13 hours of tests before tomorrow
    assert clock.now() > first  # it runs
    assert clock.today() == clock.START.date()


def test_the_test_clock_starts_on_the_day_it_is_given():
    shown = subprocess.run(
        [sys.executable, "-c", "from tests import clock; print(clock.now().isoformat(timespec='minutes'))"],
        env=os.environ | {"FAMILYHUB_TEST_TODAY": "2028-02-29"}, capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout.strip()
    assert shown == "2028-02-29T10:00+00:00"
