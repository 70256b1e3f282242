"""What a family typed is unreadable in the database, and stays readable when the key changes."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from app.extensions import db
from app.models import Referral, ReferralDraft, ReferralEvent, StaffUser
from app.referral.vault import Vault, VaultError, new_key
from tests.referral.walk import PARENT, YOUNG_PERSON, fill_in, personal_values


def raw_database_text(app):
    """Everything in the database as the disk (SQLite) or the server (PostgreSQL) holds it."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # close connections, so everything is in the file
        path = Path(url[len("sqlite:///"):])
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())
    engine = create_engine(url)
    found = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT t::text FROM "{table}" t')):
                found.append(row[0])
    engine.dispose()
    return "\n".join(found).encode("utf-8")


def test_the_raw_database_holds_none_of_what_a_family_typed(app, client):
    fill_in(client, PARENT)
    fill_in(app.test_client(), YOUNG_PERSON, send=False)  # a draft in progress too
    raw = raw_database_text(app)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReferralDraft)) >= 1
    values = personal_values(PARENT) + personal_values(YOUNG_PERSON)
    assert len(values) > 15
    for value in values:
        for form in {value, value.upper(), value.lower(), value.replace(" ", "")}:
            assert form.encode("utf-8") not in raw, value
    # The phone number's digits as any normalised form would keep them. Six digits alone are not
    # checked: a stored time's microseconds (".900123") would match them one run in a few hundred.
    for fragment in (b"Amelia", b"Quillwort", b"7700900123", b"7700 900123"):
        assert fragment not in raw, fragment


def test_the_record_is_authenticated_so_tampering_is_found(app):
    sealed = Vault(app.config["REFERRAL_ENCRYPTION_KEYS"]).seal({"name": "Kim"})
    tampered = sealed[:40] + ("A" if sealed[40] != "A" else "B") + sealed[41:]
    with pytest.raises(VaultError):
        Vault(app.config["REFERRAL_ENCRYPTION_KEYS"]).open(tampered)


def all_records(app):
    with app.app_context():
        vault = app.extensions["referral_vault"]
        referrals = [vault.open(r.answers) for r in db.session.scalars(db.select(Referral).order_by(Referral.id))]
        notes = [vault.open(e.note) for e in db.session.scalars(db.select(ReferralEvent).where(ReferralEvent.note.is_not(None)).order_by(ReferralEvent.id))]
        drafts = [vault.open(d.answers) for d in db.session.scalars(db.select(ReferralDraft).order_by(ReferralDraft.started_at, ReferralDraft.key))]
        return referrals, notes, drafts


def test_rotating_the_key_keeps_every_referral_readable(app, app_with, client):
    old = app.config["REFERRAL_ENCRYPTION_KEYS"]
    fill_in(client, PARENT)
    fill_in(app.test_client(), YOUNG_PERSON, send=False)
    with app.app_context():
        referral = db.session.scalars(db.select(Referral)).first()
        db.session.add(ReferralEvent(referral=referral, at=referral.received_at, status_from="new", status_to="in-review",
                                     note=app.extensions["referral_vault"].seal("Called back, safe to talk")))
        db.session.commit()
    before = all_records(app)
    key = new_key()
    try:
        both = app_with(REFERRAL_ENCRYPTION_KEYS=f"{key},{old}")
        result = both.test_cli_runner().invoke(args=["referrals", "rotate-key"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            factors = db.session.scalar(db.select(db.func.count()).select_from(StaffUser).where(StaffUser.totp_secret.is_not(None)))
        assert (f"Re-encrypted {len(before[0])} referrals, {len(before[1])} notes, {len(before[2])} drafts "
                f"and {factors} staff second factors") in result.output
        only_new = app_with(REFERRAL_ENCRYPTION_KEYS=key)
        assert all_records(only_new) == before
        with pytest.raises(VaultError):
            all_records(app)  # the old key alone no longer opens them
        # A new referral with the new key, then everything back to the old key for the other tests.
        fill_in(only_new.test_client(), PARENT)
    finally:
        back = app_with(REFERRAL_ENCRYPTION_KEYS=f"{old},{key}")
        assert back.test_cli_runner().invoke(args=["referrals", "rotate-key"]).exit_code == 0
    assert all_records(app)[0][: len(before[0])] == before[0]


def test_rotating_with_a_key_that_cannot_open_the_records_changes_nothing(app, app_with, client):
    fill_in(client, PARENT)
    wrong = app_with(REFERRAL_ENCRYPTION_KEYS=new_key())
    result = wrong.test_cli_runner().invoke(args=["referrals", "rotate-key"])
    assert result.exit_code == 1 and "cannot be decrypted" in result.output and "Nothing was changed" in result.output
    assert all_records(app)[0]  # still readable with the right key


def test_production_refuses_to_start_without_the_keys(monkeypatch):
    from app.config import Production

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql:///x")
    monkeypatch.delenv("REFERRAL_ENCRYPTION_KEYS", raising=False)
    with pytest.raises(RuntimeError, match="REFERRAL_ENCRYPTION_KEYS"):
        Production()
    with pytest.raises(VaultError):
        Vault("not-a-key")
