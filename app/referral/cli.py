"""``flask referrals …``: keys, the outbox, and deleting what is no longer needed."""

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.models import Referral, ReferralDraft, ReferralEvent, StaffUser
from app.referral import jobs
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
    """Encrypt every referral, note, draft and staff second factor again with the first key in REFERRAL_ENCRYPTION_KEYS."""
    sealed = vault()
    counts = {"referrals": 0, "notes": 0, "drafts": 0, "second factors": 0}
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
        for user in db.session.scalars(db.select(StaffUser).where(StaffUser.totp_secret.is_not(None))):
            user.totp_secret = sealed.rotate(user.totp_secret)  # staff's authenticator secrets share the keys
            counts["second factors"] += 1
    except VaultError as error:
        db.session.rollback()
        raise click.ClickException(f"{error}. Nothing was changed.") from None
    db.session.commit()
    click.echo(
        f"Re-encrypted {counts['referrals']} referrals, {counts['notes']} notes, {counts['drafts']} drafts "
        f"and {counts['second factors']} staff second factors "
        "with the first key. You can now remove the old keys from REFERRAL_ENCRYPTION_KEYS."
    )


@referrals_cli.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Delete referrals closed more than this many days ago (default: REFERRAL_KEEP_CLOSED_DAYS).")
@with_appcontext
def purge(days):
    """Delete closed referrals after the retention period, drafts older than 24 hours, and ended staff sessions."""
    from app.staff import sessions

    references, drafts, days = jobs.purge(days)
    ended = sessions.purge()
    click.echo(f"Deleted {len(references)} closed referrals (closed {days} or more days ago), {drafts} expired drafts"
               f" and {ended} ended staff sessions.")
    for reference in references:
        click.echo(f"  {reference}")


@referrals_cli.command("send-mail")
@with_appcontext
def send_mail():
    """Send the team emails that are waiting, once (the worker does this every few seconds)."""
    sent, failed = jobs.send_mail()
    click.echo(f"Sent {sent} emails; {failed} failed and will be tried again.")
    if failed:
        raise SystemExit(1)
