"""Emails to the teams, sent from an outbox table so that a mail outage loses nothing.

A message is written in the same transaction as the referral, and the family's
request ends there: the worker process (``flask worker``) sends what is waiting,
every few seconds. Each message is claimed first (an UPDATE that only one
process can win), so two workers never send the same one twice. A failure is
retried later, waiting longer each time; when the mail server cannot be reached
at all, the round stops, and the rest wait for the next one untouched.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, update

from app import clock
from app.extensions import db
from app.models import OutboxMessage


def _unreachable(error):
    """Whether a failure says the mail server is down or unreachable, rather than that it refused one message."""
    if isinstance(error, (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)  # refused, timed out, no route


def _claim_for():
    """How long a claimed message is left to its sender: longer than every step of one SMTP conversation."""
    return timedelta(seconds=12 * current_app.config["MAIL_TIMEOUT_SECONDS"])


def queue_team_email(referral, district):
    """The notification for a new referral: its reference and a link, nothing about the family."""
    config = current_app.config
    link = f"{config['SITE_URL']}/staff/referrals/{referral.reference}"
    with force_locale("en"):
        subject = _("New self-referral %(reference)s", reference=referral.reference)
        body = "\n\n".join([
            _("A new self-referral has arrived for the %(district)s Early Help Family Support team.", district=district.name),
            _("Reference: %(reference)s", reference=referral.reference),
            _("Decide by: %(date)s", date=referral.decide_by.strftime("%-d %B %Y")),
            _("Sign in to read it: %(link)s", link=link),
            _("This email has no personal details in it, on purpose. Do not reply to it."),
        ])
    return queue_email(district.team_email, subject, body)


def queue_email(to_address, subject, body):
    """Any email the site sends (the worker sends it): added to the session, committed by the caller."""
    now = clock.utc_now()
    message = OutboxMessage(
        to_address=to_address, subject=subject, body=body + "\n",
        created_at=now, attempts=0, next_attempt_at=now,
    )
    db.session.add(message)
    return message


def retry_delay(attempts):
    """1, 2, 4 … minutes after each failure, at most an hour (``MAIL_RETRY_SECONDS`` is the first wait)."""
    first = current_app.config["MAIL_RETRY_SECONDS"]
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), 60 * first))


def deliver_due(most=20):
    """Send up to ``most`` messages whose time has come. Returns (sent, failed, unreachable)."""
    now = clock.utc_now()
    due = db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id)
        .limit(most)
    ).all()
    sent = failed = 0
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            _send(message)
        except OSError as error:  # smtplib's errors, timeouts and refused connections alike
            message.last_error = type(error).__name__[:200]
            message.next_attempt_at = clock.utc_now() + retry_delay(message.attempts)
            message.claimed_until = None
            failed += 1
            db.session.commit()
            current_app.logger.warning("Outbox message %s not sent (attempt %s): %s", message.id, message.attempts, type(error).__name__)
            if _unreachable(error):
                return sent, failed, True  # the server is down: the rest wait, untried
            continue
        message.sent_at = clock.utc_now()
        message.claimed_until = None
        message.last_error = None
        sent += 1
        db.session.commit()
    return sent, failed, False


def deliver_all_due(most=20):
    """Send everything due, batch after batch, until none is left or the server cannot be reached.

    Returns (sent, failed)."""
    total_sent = total_failed = 0
    while True:
        sent, failed, unreachable = deliver_due(most)
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if unreachable or sent + failed < most:
            return total_sent, total_failed


def _claim(message_id, now):
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + _claim_for(), attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _send(message):
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="family-hub")
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
