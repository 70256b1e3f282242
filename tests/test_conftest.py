"""The suite's own rules: only a server that cannot be reached may skip a PostgreSQL test."""

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
