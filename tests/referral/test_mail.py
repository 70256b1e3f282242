"""The team's email goes through a real SMTP server, holds no personal data, and survives an outage."""

from datetime import datetime, timedelta

from app.directory.opening_times import LONDON
from app.extensions import db
from app.models import OutboxMessage
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, personal_values, reference_on


def outbox_row(app, reference):
    with app.app_context():
        return db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.subject.contains(reference)))


def test_the_district_team_is_emailed_a_reference_and_a_link_only(mail_app, smtp):
    reference = reference_on(fill_in(mail_app.test_client(), PARENT))
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
    assert [m["to"] for m in smtp.messages if reference in m["text"]] == [["earlyhelp.redditch@example.org"]]


def test_with_the_mail_server_down_the_referral_is_kept_and_the_email_goes_later(mail_app, app_with, smtp):
    smtp.stop()
    page = fill_in(mail_app.test_client(), PARENT)
    reference = reference_on(page)  # the family is told it was sent: it was, to the database
    waiting = outbox_row(mail_app, reference)
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error == "ConnectionRefusedError"
    assert not smtp.messages

    # Before its retry time, the timer's run leaves it alone.
    result = mail_app.test_cli_runner().invoke(args=["referrals", "send-mail"])
    assert "Sent 0 emails" in result.output
    smtp.start()
    later = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                     CLOCK=lambda: datetime.now(LONDON) + timedelta(minutes=5))
    result = later.test_cli_runner().invoke(args=["referrals", "send-mail"])
    assert result.exit_code == 0, result.output
    assert [m for m in smtp.messages if reference in m["text"]]
    # Running again sends nothing twice.
    later.test_cli_runner().invoke(args=["referrals", "send-mail"])
    assert len([m for m in smtp.messages if reference in m["text"]]) == 1
    row = outbox_row(mail_app, reference)
    assert row.sent_at is not None and row.attempts == 2


def test_a_later_submission_also_sends_what_was_waiting(mail_app, app_with, smtp):
    smtp.stop()
    first = reference_on(fill_in(mail_app.test_client(), PARENT))
    smtp.start()
    later = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                     CLOCK=lambda: datetime.now(LONDON) + timedelta(minutes=5))
    second = reference_on(fill_in(later.test_client(), YOUNG_PERSON))
    sent = " ".join(m["text"] for m in smtp.messages)
    assert first in sent and second in sent
