"""The second factor: time-based codes from an authenticator app (pyotp), and one-time recovery codes.

The app's secret is kept encrypted with the referral keys. A code is accepted
for its own 30-second step and the ones either side (a phone's clock may be a
little out), and only once: the last step used is kept, and a code from it or
an earlier one is refused. Recovery codes are kept as hashes, each usable once.
"""

import hmac
import secrets

import pyotp
import segno
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock
from app.extensions import db
from app.models import RecoveryCode, StaffUser
from app.referral.vault import vault

ISSUER = "Family Hub"
STEP_SECONDS = 30
RECOVERY_CODES = 10
# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: easy to read and to type.
RECOVERY_LETTERS = "ACDEFGHJKMNPQRTUVWXY34679"


def secret_of(user):
    return vault().open(user.totp_secret)["totp"] if user.totp_secret else None


def new_secret(user):
    """A fresh secret for ``user`` to add to their app; not in use until a code from it is given."""
    secret = pyotp.random_base32()
    user.totp_secret = vault().seal({"totp": secret})
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.commit()
    return secret


def provisioning_uri(user, secret):
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.extensions["site_settings"].council.get("site_name") or ISSUER)


def qr_code_svg(uri):
    """The QR code an authenticator app scans, as an SVG drawn in the page (no request to anywhere)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#0b0c0c", light="#ffffff")


def grouped(secret):
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _step_of(moment):
    return int(moment.timestamp()) // STEP_SECONDS


def _accepts_app_code(user, code, now):
    secret = secret_of(user)
    if not secret or not (len(code) == 6 and code.isascii() and code.isdigit()):
        return False
    totp, step = pyotp.TOTP(secret), _step_of(clock.now())
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.at(candidate * STEP_SECONDS), code):
            # Used once only: the step is taken only if it is later than the last one used.
            table = StaffUser.__table__
            taken = db.session.execute(table.update().where(
                table.c.id == user.id, (table.c.totp_last_step.is_(None)) | (table.c.totp_last_step < candidate),
            ).values(totp_last_step=candidate)).rowcount
            db.session.commit()
            return taken == 1
    return False


def normalised(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _accepts_recovery_code(user, code, now):
    code = normalised(code)
    if len(code) != 10:
        return False
    unused = db.session.scalars(db.select(RecoveryCode).where(RecoveryCode.staff_id == user.id,
                                                              RecoveryCode.used_at.is_(None))).all()
    for row in unused:
        if check_password_hash(row.code_hash, code):
            table = RecoveryCode.__table__
            taken = db.session.execute(table.update().where(table.c.id == row.id, table.c.used_at.is_(None))
                                       .values(used_at=now)).rowcount
            db.session.commit()
            current_app.logger.info("Staff member %s signed in with a recovery code", user.id)
            return taken == 1
    return False


def accepts(user, code, now):
    """Whether ``code`` (from the app, or a recovery code) lets ``user`` in now; a code that does is used up."""
    code = (code or "").strip().replace(" ", "").replace("-", "")
    if code.isdigit():
        return bool(user.totp_enabled_at) and _accepts_app_code(user, code, now)
    return bool(user.totp_enabled_at) and _accepts_recovery_code(user, code, now)


def confirm_set_up(user, code):
    """A code from the newly added secret: switch the second factor on. Returns the recovery codes, or None."""
    code = (code or "").strip().replace(" ", "")
    if not user.totp_secret or not _accepts_app_code(user, code, clock.utc_now()):
        return None
    user.totp_enabled_at = clock.utc_now()
    db.session.commit()
    return new_recovery_codes(user)


def new_recovery_codes(user):
    """Ten new recovery codes (the old ones stop working), shown once: only their hashes are kept."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.staff_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_LETTERS) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(staff_id=user.id, code_hash=generate_password_hash(code, current_app.config["RECOVERY_CODE_HASH"])))
    db.session.commit()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user):
    return db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.staff_id == user.id, RecoveryCode.used_at.is_(None)))


def reset(user):
    """Switch the second factor off (an admin's reset): the member sets it up again when they next sign in."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.staff_id == user.id))
    db.session.commit()
