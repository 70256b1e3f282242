"""Open now / next open, for a frozen clock, with England and Wales bank holidays."""

from datetime import date, datetime, time

from app.directory.opening_times import (
    LONDON,
    NextOpen,
    OpenNow,
    Session,
    bank_holidays,
    opening_status,
    weekly_runs,
    weekly_timetable,
)

WEEKDAY_MORNINGS = [Session(d, time(9, 30), time(12, 0)) for d in range(5)]


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def test_open_now_on_a_weekday_during_a_session():
    # Wednesday 18 November 2026, 10:15
    assert opening_status(WEEKDAY_MORNINGS, at(2026, 11, 18, 10, 15)) == OpenNow(time(12, 0))


def test_opens_later_today_before_the_session():
    assert opening_status(WEEKDAY_MORNINGS, at(2026, 11, 18, 7, 0)) == NextOpen(date(2026, 11, 18), time(9, 30))


def test_closing_time_is_not_open():
    assert opening_status(WEEKDAY_MORNINGS, at(2026, 11, 18, 12, 0)) == NextOpen(date(2026, 11, 19), time(9, 30))


def test_weekend_points_to_monday():
    # Saturday 21 November 2026
    assert opening_status(WEEKDAY_MORNINGS, at(2026, 11, 21, 11, 0)) == NextOpen(date(2026, 11, 23), time(9, 30))


def test_closed_on_a_bank_holiday_and_next_open_after_it():
    # Monday 31 August 2026 is the summer bank holiday in England and Wales.
    assert date(2026, 8, 31) in bank_holidays(2026)
    assert opening_status(WEEKDAY_MORNINGS, at(2026, 8, 31, 10, 0)) == NextOpen(date(2026, 9, 1), time(9, 30))


def test_christmas_and_boxing_day_are_skipped():
    # Friday 25 and Monday 28 December 2026 (Boxing Day substitute) are bank holidays.
    status = opening_status(WEEKDAY_MORNINGS, at(2026, 12, 24, 13, 0))
    assert status == NextOpen(date(2026, 12, 29), time(9, 30))


def test_a_service_open_on_bank_holidays_is_open():
    assert opening_status(WEEKDAY_MORNINGS, at(2026, 8, 31, 10, 0), open_on_bank_holidays=True) == OpenNow(time(12, 0))


def test_several_sessions_a_day():
    sessions = [Session(0, time(9, 30), time(11, 30)), Session(0, time(13, 0), time(15, 0))]
    # Monday 23 November 2026, between the sessions
    assert opening_status(sessions, at(2026, 11, 23, 12, 0)) == NextOpen(date(2026, 11, 23), time(13, 0))
    assert opening_status(sessions, at(2026, 11, 23, 14, 0)) == OpenNow(time(15, 0))


def test_clock_change_uses_london_time():
    # 29 March 2026 the clocks go forward; 09:45 London is 08:45 UTC.
    from zoneinfo import ZoneInfo

    utc = datetime(2026, 3, 30, 8, 45, tzinfo=ZoneInfo("UTC"))
    assert opening_status(WEEKDAY_MORNINGS, utc) == OpenNow(time(12, 0))


def test_no_sessions_no_status():
    assert opening_status([], at(2026, 11, 18, 10, 0)) is None


def test_sessions_outside_their_valid_dates_are_ignored():
    ended = [Session(2, time(9, 0), time(10, 0), valid_to=date(2026, 11, 1))]
    assert opening_status(ended, at(2026, 11, 18, 9, 30)) is None


def runs(sessions):
    return [(first, last, [(s.opens, s.closes) for s in each]) for first, last, each in weekly_runs(weekly_timetable(sessions))]


def test_days_in_a_row_with_the_same_times_go_together_on_paper():
    morning, evening = (time(9, 30), time(12, 0)), (time(18, 0), time(20, 0))
    assert runs(WEEKDAY_MORNINGS) == [(0, 4, [morning])]  # Monday to Friday
    # Monday and Wednesday are not in a row; Thursday has an evening too; Friday and Saturday match again.
    week = [Session(d, *morning) for d in (0, 2, 3, 4, 5)] + [Session(3, *evening)]
    assert runs(week) == [(0, 0, [morning]), (2, 2, [morning]), (3, 3, [morning, evening]), (4, 5, [morning])]
    assert runs([]) == []
