"""Emails to the teams, sent from an outbox table so that a mail outage loses nothing.

A message is written in the same transaction as the referral. After that is
committed, ``deliver_due`` sends what is waiting. Each message is claimed
first (an UPDATE that only one worker can win), so two web servers never send
the same one twice. A failure is retried later, waiting longer each time, by
the next submission or by ``flask referrals send-mail`` run from a timer.
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

CLAIM = timedelta(minutes=2)
SMTP_TIMEOUT_SECONDS = 10


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
    now = clock.utc_now()
    message = OutboxMessage(
        to_address=district.team_email, subject=subject, body=body + "\n",
        created_at=now, attempts=0, next_attempt_at=now,
    )
    db.session.add(message)
    return message


def retry_delay(attempts):
    """1, 2, 4 … minutes after each failure, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def deliver_due(most=20):
    """Send the messages whose time has come. Returns (sent, failed)."""
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
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            message.last_error = type(error).__name__[:200]
            message.next_attempt_at = clock.utc_now() + retry_delay(message.attempts)
            message.claimed_until = None
            failed += 1
            current_app.logger.warning("Outbox message %s not sent (attempt %s): %s", message.id, message.attempts, type(error).__name__)
        else:
            message.sent_at = clock.utc_now()
            message.claimed_until = None
            message.last_error = None
            sent += 1
        db.session.commit()
    return sent, failed


def _claim(message_id, now):
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + CLAIM, attempts=OutboxMessage.attempts + 1)
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
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
