"""Which Start for Life stage a due date or a date of birth leads to, at every boundary."""

from datetime import date

import pytest

from app.content.stages import DateProblem, months_old, stage_for_birth, stage_for_due_date

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    "born, stage",
    [
        (date(2026, 11, 22), "birth-to-6-months"),  # born today
        (date(2026, 5, 23), "birth-to-6-months"),  # one day short of 6 months
        (date(2026, 5, 22), "6-to-12-months"),  # 6 months today
        (date(2025, 11, 23), "6-to-12-months"),  # one day short of 1
        (date(2025, 11, 22), "1-to-2-years"),  # first birthday today
        (date(2024, 11, 23), "1-to-2-years"),
        (date(2024, 11, 22), "2-to-4-years"),  # second birthday today
        (date(2022, 11, 23), "2-to-4-years"),  # the day before their 4th birthday
    ],
)
def test_a_date_of_birth_leads_to_the_stage_for_that_age(born, stage):
    assert stage_for_birth(born, TODAY).stage.slug == stage


def test_from_the_4th_birthday_the_directory_for_their_age_is_offered_instead():
    fit = stage_for_birth(date(2022, 11, 22), TODAY)
    assert fit.stage is None and fit.age_years == 4
    assert stage_for_birth(date(2015, 1, 1), TODAY).age_years == 11


def test_months_count_from_the_same_day_of_the_month():
    assert months_old(date(2026, 8, 31), date(2027, 2, 28)) == 5  # no 31 February: still 5 months
    assert months_old(date(2026, 8, 31), date(2027, 3, 1)) == 6
    assert months_old(date(2024, 2, 29), date(2025, 2, 28)) == 11  # a leap-day baby turns 1 on 1 March
    assert months_old(date(2024, 2, 29), date(2025, 3, 1)) == 12


@pytest.mark.parametrize(
    "born, message",
    [
        (date(2026, 11, 23), "Date of birth must be today or in the past"),
        (date(2030, 1, 1), "Date of birth must be today or in the past"),
        (date(2001, 11, 22), "Date of birth must be in the last 25 years"),
    ],
)
def test_impossible_dates_of_birth_are_explained(born, message):
    with pytest.raises(DateProblem) as problem:
        stage_for_birth(born, TODAY)
    assert str(problem.value) == message


@pytest.mark.parametrize(
    "due",
    [
        date(2026, 11, 22),  # due today
        date(2027, 8, 29),  # 40 weeks ahead: the furthest a due date can be
        date(2026, 11, 8),  # 2 weeks overdue: babies can come that late
    ],
)
def test_a_due_date_leads_to_pregnancy(due):
    assert stage_for_due_date(due, TODAY).stage.slug == "pregnancy"


@pytest.mark.parametrize(
    "due, message",
    [
        (date(2027, 8, 30), "Due date must be no more than 40 weeks from today"),
        (date(2028, 1, 1), "Due date must be no more than 40 weeks from today"),
        (date(2026, 11, 7), "Due date must be in the future. If your baby has been born, enter their date of birth"),
    ],
)
def test_impossible_due_dates_are_explained(due, message):
    with pytest.raises(DateProblem) as problem:
        stage_for_due_date(due, TODAY)
    assert str(problem.value) == message
