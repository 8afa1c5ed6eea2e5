"""A weekday answer is placed on the calendar by the date of the report that gives it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from service.answer.weekdays import dated_weekday

THURSDAY = datetime(2024, 3, 7, 18, 5, tzinfo=UTC)


def test_a_weekday_the_report_looks_ahead_to_is_the_next_one() -> None:
    said = "Talks between the union and Northsound are set to resume on Monday under a mediator."
    assert dated_weekday("Monday", said, THURSDAY) == "Monday (11 March 2024)"
    assert dated_weekday("Thursday", "The bridge will reopen on Thursday.", THURSDAY) == "Thursday (14 March 2024)"


def test_a_weekday_the_report_looks_back_on_is_the_last_one_up_to_its_day() -> None:
    said = "Ferry crews walked out for a second day on Thursday."
    assert dated_weekday("Thursday", said, THURSDAY) == "Thursday (7 March 2024)"
    assert dated_weekday("Tuesday", "The council voted on Tuesday.", date(2024, 3, 7)) == "Tuesday (5 March 2024)"


def test_a_precise_date_a_vague_one_or_an_undated_report_is_left_as_it_is() -> None:
    assert dated_weekday("Monday, Nov. 3", "It happened on Monday, Nov. 3.", THURSDAY) == "Monday, Nov. 3"
    assert dated_weekday("Monday, March 11", "It resumes on Monday, March 11.", THURSDAY) == "Monday, March 11"
    assert dated_weekday("this week", "Talks resume this week.", THURSDAY) == "this week"
    assert dated_weekday("Monday", "Talks resume on Monday.", None) == "Monday"
