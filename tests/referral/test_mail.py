"""The team's email goes through a real SMTP server, holds no personal data, and survives an outage."""

from datetime import UTC, timedelta

from app.extensions import db
from app.models import OutboxMessage
from tests import clock
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, personal_values, reference_on


def outbox_row(app, reference):
    with app.app_context():
        return db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.subject.contains(reference)))


def flush_outbox(app_with, smtp):
    """Send whatever other tests left waiting (every wait they started has passed 61 minutes on).

    Then this test's messages are the only ones due, and one failing try reaches them."""
    flush = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, CLOCK=lambda: clock.now() + timedelta(minutes=61))
    assert flush.test_cli_runner().invoke(args=["referrals", "send-mail"]).exit_code == 0


def worker_runs(app):
    """The worker's every job, once, as `flask worker --once` runs them."""
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    return result


def test_the_district_team_is_emailed_a_reference_and_a_link_only(mail_app, smtp):
    reference = reference_on(fill_in(mail_app.test_client(), PARENT))
    waiting = outbox_row(mail_app, reference)
    assert (waiting.attempts, waiting.sent_at) == (0, None)  # the family's request did not wait on the mail server
    assert not [message for message in smtp.messages if reference in message["text"]]
    assert worker_runs(mail_app).exit_code == 0
    mine = [message for message in smtp.messages if reference in message["text"]]
    assert len(mine) == 1
    message = mine[0]
    assert message["to"] == ["earlyhelp.worcester@example.org"]
    assert f"Subject: New self-referral {reference}" in message["text"]
    assert f"http://family-hub.test/staff/referrals/{reference}" in message["text"]
    for value in personal_values(PARENT):
        assert value not in message["text"], value
    assert outbox_row(mail_app, reference).sent_at is not None


def test_a_young_persons_referral_goes_to_their_districts_team(mail_app, smtp):
    reference = reference_on(fill_in(mail_app.test_client(), YOUNG_PERSON))
    worker_runs(mail_app)
    assert [m["to"] for m in smtp.messages if reference in m["text"]] == [["earlyhelp.redditch@example.org"]]


def test_with_the_mail_server_down_the_referral_is_kept_and_the_email_goes_later(mail_app, app_with, smtp):
    flush_outbox(app_with, smtp)
    smtp.stop()
    page = fill_in(mail_app.test_client(), PARENT)
    reference = reference_on(page)  # the family is told it was sent: it was, to the database
    worker_runs(mail_app)
    waiting = outbox_row(mail_app, reference)
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error == "ConnectionRefusedError"
    assert not mails_about(smtp, reference)  # (the flush may have sent other tests' mail to it)

    # Before its retry time, the timer's run leaves it alone.
    result = mail_app.test_cli_runner().invoke(args=["referrals", "send-mail"])
    assert "Sent 0 emails" in result.output
    smtp.start()
    later = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                     CLOCK=lambda: clock.now() + timedelta(minutes=5))
    result = later.test_cli_runner().invoke(args=["referrals", "send-mail"])
    assert result.exit_code == 0, result.output
    assert [m for m in smtp.messages if reference in m["text"]]
    # Running again sends nothing twice.
    later.test_cli_runner().invoke(args=["referrals", "send-mail"])
    assert len([m for m in smtp.messages if reference in m["text"]]) == 1
    row = outbox_row(mail_app, reference)
    assert row.sent_at is not None and row.attempts == 2


def test_when_the_mail_server_is_down_one_try_stops_the_round(mail_app, app_with, smtp):
    flush_outbox(app_with, smtp)
    smtp.stop()
    references = [reference_on(fill_in(mail_app.test_client(), persona)) for persona in (PARENT, YOUNG_PERSON, PARENT)]
    worker_runs(mail_app)
    tried = [outbox_row(mail_app, reference).attempts for reference in references]
    assert sorted(tried) == [0, 0, 1]  # the first refused connection: the others wait, untried
    smtp.start()
    later = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, CLOCK=lambda: clock.now() + timedelta(minutes=5))
    assert worker_runs(later).exit_code == 0
    assert all(len(mails_about(smtp, reference)) == 1 for reference in references)


class StoppedClock:
    """A clock that shows one moment (in UTC) until it is moved: the ``CLOCK`` of an app of the test's own."""

    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment.astimezone(clock.LONDON)


def as_stored(moment):
    """A moment as the database holds it: UTC, without a time zone."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def mails_about(smtp, reference):
    return [message for message in smtp.messages if reference in message["text"]]


def test_failures_wait_1_2_4_minutes_and_so_on_but_never_more_than_an_hour(app_with, smtp):
    flush_outbox(app_with, smtp)
    smtp.stop()
    stopped = StoppedClock(clock.now().astimezone(UTC).replace(microsecond=0))
    down = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, CLOCK=stopped)
    timer = down.test_cli_runner()
    reference = reference_on(fill_in(down.test_client(), PARENT))
    timer.invoke(args=["referrals", "send-mail"])  # the first try fails
    failed_at = stopped.moment

    waits = [1, 2, 4, 8, 16, 32, 60, 60]  # minutes after the 1st, 2nd … 8th failure
    for failures, minutes in enumerate(waits, start=1):
        row = outbox_row(down, reference)
        assert (row.attempts, row.sent_at, row.last_error) == (failures, None, "ConnectionRefusedError"), failures
        assert row.next_attempt_at == as_stored(failed_at + timedelta(minutes=minutes)), failures
        stopped.moment = failed_at + timedelta(minutes=minutes) - timedelta(seconds=1)
        timer.invoke(args=["referrals", "send-mail"])
        early = outbox_row(down, reference)
        assert (early.attempts, early.next_attempt_at) == (failures, row.next_attempt_at), f"tried early after {failures} failures"
        last = failures == len(waits)
        if last:
            smtp.start()  # the server is back for the try after the 8th failure
        stopped.moment = failed_at = failed_at + timedelta(minutes=minutes)
        result = timer.invoke(args=["referrals", "send-mail"])
        assert result.exit_code == (0 if last else 1), (failures, result.output)
        assert len(mails_about(smtp, reference)) == (1 if last else 0), failures

    sent = outbox_row(down, reference)
    assert (sent.attempts, sent.sent_at, sent.last_error) == (len(waits) + 1, as_stored(failed_at), None)
    assert len(mails_about(smtp, reference)) == 1
    stopped.moment = failed_at + timedelta(hours=2)  # later runs of the timer leave it alone
    assert timer.invoke(args=["referrals", "send-mail"]).exit_code == 0
    assert timer.invoke(args=["referrals", "send-mail"]).exit_code == 0
    assert len(mails_about(smtp, reference)) == 1
    assert outbox_row(down, reference).attempts == len(waits) + 1
    with down.app_context():
        db.engine.dispose()
