"""Decision deadlines: 5 working days, skipping weekends and England and Wales bank holidays."""

from datetime import date

import pytest

from app.referral.deadlines import decide_by, is_working_day


@pytest.mark.parametrize("received, deadline", [
    (date(2026, 11, 23), date(2026, 11, 30)),  # Monday → next Monday
    (date(2026, 11, 27), date(2026, 12, 4)),   # Friday → next Friday
    (date(2026, 11, 28), date(2026, 12, 4)),   # Saturday: counting starts on Monday
    (date(2026, 12, 21), date(2026, 12, 30)),  # Christmas Day, and Boxing Day moved to Monday 28th
    (date(2027, 3, 24), date(2027, 4, 2)),     # Good Friday 26 March and Easter Monday 29 March 2027
    (date(2027, 4, 28), date(2027, 5, 6)),     # Early May bank holiday, Monday 3 May 2027
    (date(2027, 8, 26), date(2027, 9, 3)),     # Summer bank holiday, Monday 30 August 2027 (England and Wales only)
])
def test_decide_by(received, deadline):
    assert decide_by(received) == deadline


def test_scotlands_holidays_do_not_count():
    assert is_working_day(date(2027, 1, 4))  # 2 January's substitute day in Scotland only
    assert is_working_day(date(2027, 8, 2))  # Scotland's summer bank holiday
    assert not is_working_day(date(2027, 8, 30))
