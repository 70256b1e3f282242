"""``flask referrals new-key``: a key that Fernet takes, new each time, that the app can be given."""

import base64

import pytest
from cryptography.fernet import Fernet, InvalidToken

from app.extensions import db
from tests.pages import heading, parse, text_of
from tests.referral.walk import PARENT, fill_in, reference_on
from tests.staff.test_staff import add_user, sign_in


def new_key(app):
    result = app.test_cli_runner().invoke(args=["referrals", "new-key"])
    assert result.exit_code == 0, result.output
    return result.output


def test_new_key_prints_one_fernet_key_alone(app):
    printed = new_key(app)
    key = printed.strip()
    assert printed == key + "\n"  # one line and nothing else, to paste into REFERRAL_ENCRYPTION_KEYS
    assert len(base64.urlsafe_b64decode(key)) == 32
    fernet = Fernet(key)
    assert fernet.decrypt(fernet.encrypt(b"Reference K7MQ-4XRT")) == b"Reference K7MQ-4XRT"


def test_each_new_key_is_different(app):
    keys = {new_key(app).strip() for _ in range(5)}
    assert len(keys) == 5
    message = Fernet(keys.pop()).encrypt(b"only for its own key")
    for other in keys:  # four others, none of which opens it
        with pytest.raises(InvalidToken):
            Fernet(other).decrypt(message)


def test_a_new_key_put_first_and_rotated_to_opens_existing_referrals(app, app_with, client, runner):
    reference = reference_on(fill_in(client, PARENT))  # encrypted with the key the app has now
    email = add_user(runner)  # their authenticator app's secret is encrypted with the same keys
    old, key = app.config["REFERRAL_ENCRYPTION_KEYS"], new_key(app).strip()
    both, only_the_new_key, back = (app_with(REFERRAL_ENCRYPTION_KEYS=keys) for keys in (f"{key},{old}", key, f"{old},{key}"))
    try:
        rotated = both.test_cli_runner().invoke(args=["referrals", "rotate-key"])
        assert rotated.exit_code == 0, rotated.output
        assert "Re-encrypted" in rotated.output
        staff = only_the_new_key.test_client()
        assert sign_in(staff, email).headers["Location"].endswith("/staff/referrals")
        page = parse(staff.get(f"/staff/referrals/{reference}"))
        assert heading(page) == f"Referral {reference}"
        shown = text_of(page.find("main"))
        assert "Amelia Testperson" in shown and "12 Quillwort Lane" in shown
    finally:  # every record back under the old key, for the other tests
        restored = back.test_cli_runner().invoke(args=["referrals", "rotate-key"])
        for made in (both, only_the_new_key, back):
            with made.app_context():
                db.engine.dispose()
    assert restored.exit_code == 0, restored.output
