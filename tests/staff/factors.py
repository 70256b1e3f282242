"""Staff's second factor in the tests: real codes, computed from the secret the set-up page shows.

Each staff member's secret and recovery codes are kept here once they are set
up. A code from the app works once, so a member who signs in again within the
same 30 seconds gets the next step's code, and after that a recovery code.
"""

import pyotp

from tests import clock

SECRETS, RECOVERY, LAST_STEP = {}, {}, {}


def learn(email, secret_text):
    """Remember the secret shown on the set-up page (in groups of four)."""
    email = email.lower()
    SECRETS[email] = secret_text.replace(" ", "")
    LAST_STEP.pop(email, None)


def keep_recovery_codes(email, codes):
    RECOVERY[email.lower()] = list(codes)


def app_code(email, now=None):
    """A 6-digit code from the app for ``email`` that has not been used yet, or None.

    ``now`` is the site's clock (an app of a test's own may keep another); the test clock by default."""
    email = email.lower()
    totp, step = pyotp.TOTP(SECRETS[email]), int((now or clock.now()).timestamp()) // 30
    for candidate in (step, step + 1):  # what the site accepts: its own step and the ones either side
        if candidate > LAST_STEP.get(email, -1):
            LAST_STEP[email] = candidate
            return totp.at(candidate * 30)
    return None


def next_code(email, now=None):
    """What someone signing in types: the app's code, or else one of their recovery codes."""
    return app_code(email, now) or RECOVERY[email.lower()].pop()
