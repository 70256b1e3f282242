"""``flask referrals …``: keys, the outbox, and deleting what is no longer needed."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from app import clock
from app.extensions import db
from app.models import Referral, ReferralDraft, ReferralEvent
from app.referral.drafts import delete_expired
from app.referral.outbox import deliver_due
from app.referral.vault import VaultError, new_key, vault


@click.group("referrals", help="Self-referrals: encryption keys, the team emails, and deleting old records.")
def referrals_cli():
    pass


@referrals_cli.command("new-key")
def new_key_command():
    """Print a new encryption key (put it first in REFERRAL_ENCRYPTION_KEYS)."""
    click.echo(new_key())


@referrals_cli.command("rotate-key")
@with_appcontext
def rotate_key():
    """Encrypt every referral, note and draft again with the first key in REFERRAL_ENCRYPTION_KEYS."""
    sealed = vault()
    counts = {"referrals": 0, "notes": 0, "drafts": 0}
    try:
        for referral in db.session.scalars(db.select(Referral)):
            referral.answers = sealed.rotate(referral.answers)
            counts["referrals"] += 1
        for event in db.session.scalars(db.select(ReferralEvent).where(ReferralEvent.note.is_not(None))):
            event.note = sealed.rotate(event.note)
            counts["notes"] += 1
        for draft in db.session.scalars(db.select(ReferralDraft)):
            draft.answers = sealed.rotate(draft.answers)
            counts["drafts"] += 1
    except VaultError as error:
        db.session.rollback()
        raise click.ClickException(f"{error}. Nothing was changed.") from None
    db.session.commit()
    click.echo(
        f"Re-encrypted {counts['referrals']} referrals, {counts['notes']} notes and {counts['drafts']} drafts "
        "with the first key. You can now remove the old keys from REFERRAL_ENCRYPTION_KEYS."
    )


@referrals_cli.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Delete referrals closed more than this many days ago (default: REFERRAL_KEEP_CLOSED_DAYS).")
@with_appcontext
def purge(days):
    """Delete closed referrals after the retention period, and drafts older than 24 hours."""
    days = current_app.config["REFERRAL_KEEP_CLOSED_DAYS"] if days is None else days
    before = clock.utc_now() - timedelta(days=days)
    old = db.session.scalars(
        db.select(Referral).where(Referral.status == "closed", Referral.closed_at.is_not(None), Referral.closed_at <= before)
    ).all()
    references = sorted(referral.reference for referral in old)
    for referral in old:
        db.session.delete(referral)  # its history goes with it; the audit log stays
    db.session.commit()
    drafts = delete_expired()
    from app.staff import sessions

    ended = sessions.purge()
    click.echo(f"Deleted {len(references)} closed referrals (closed {days} or more days ago), {drafts} expired drafts"
               f" and {ended} ended staff sessions.")
    for reference in references:
        click.echo(f"  {reference}")


@referrals_cli.command("send-mail")
@with_appcontext
def send_mail():
    """Send the team emails that are waiting (run this every few minutes from a timer)."""
    total_sent = total_failed = 0
    while True:
        sent, failed = deliver_due()
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if sent == 0 or failed:
            break
    click.echo(f"Sent {total_sent} emails; {total_failed} failed and will be tried again.")
    if total_failed:
        raise SystemExit(1)
