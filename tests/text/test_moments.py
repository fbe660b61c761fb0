"""The one Dutch reader for moments and dates, tried with what people type (issue 14's table)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.text.moments import (
    Problem,
    example_day,
    local_today,
    parse,
    read_date,
    read_moment,
    read_time,
    read_weekly,
    say_date,
    say_day,
    say_moment,
    say_weekly,
)
from bot.text.refused import Refused

TODAY = date(2026, 12, 1)  # a Tuesday
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Brussels
TZ = "Europe/Brussels"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vandaag", date(2026, 12, 1)),
        ("morgen", date(2026, 12, 2)),
        ("Overmorgen", date(2026, 12, 3)),
        ("dinsdag", date(2026, 12, 8)),
        ("volgende dinsdag", date(2026, 12, 8)),
        ("komende vrijdag", date(2026, 12, 4)),
        ("vr", date(2026, 12, 4)),
        ("zat", date(2026, 12, 5)),
        ("volgende week donderdag", date(2026, 12, 10)),
        ("over 3 dagen", date(2026, 12, 4)),
        ("over 2 weken", date(2026, 12, 15)),
        ("over een maand", date(2027, 1, 1)),
        ("over drie weken", date(2026, 12, 22)),
        ("15 januari", date(2027, 1, 15)),
        ("15 jan 2027", date(2027, 1, 15)),
        ("15 jan. 2027", date(2027, 1, 15)),
        ("15/1", date(2027, 1, 15)),
        ("15-01-2027", date(2027, 1, 15)),
        ("15.01.2027", date(2027, 1, 15)),
        ("2027-01-15", date(2027, 1, 15)),
        ("de 15e januari", date(2027, 1, 15)),
        ("dinsdag 8 december", date(2026, 12, 8)),
        ("24/12", date(2026, 12, 24)),
        ("29 februari", date(2028, 2, 29)),
    ],
)
def test_days_as_people_write_them(typed: str, expected: date) -> None:
    assert read_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("14u30", time(14, 30)),
        ("14u", time(14, 0)),
        ("14 uur", time(14, 0)),
        ("om 9 uur", time(9, 0)),
        ("9u", time(9, 0)),
        ("om 3 uur", time(15, 0)),
        ("half drie", time(14, 30)),
        ("half tien", time(9, 30)),
        ("half een", time(12, 30)),
        ("kwart over vier", time(16, 15)),
        ("kwart voor negen", time(8, 45)),
        ("14 u 30", time(14, 30)),
        ("9.15", time(9, 15)),
        ("8 uur 's avonds", time(20, 0)),
        ("9 uur 's ochtends", time(9, 0)),
    ],
)
def test_times(typed: str, expected: time) -> None:
    assert read_time(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("volgende dinsdag om 10 uur", datetime(2026, 12, 8, 9, 0, tzinfo=UTC)),
        ("morgen 9:00", datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
        ("morgen", datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
        ("15/1 14u30", datetime(2027, 1, 15, 13, 30, tzinfo=UTC)),
        ("15:00", datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),
        ("8:00", datetime(2026, 12, 2, 7, 0, tzinfo=UTC)),  # today's 8:00 has passed
        ("vrijdag half drie", datetime(2026, 12, 4, 13, 30, tzinfo=UTC)),
        ("morgenavond 8 uur", datetime(2026, 12, 2, 19, 0, tzinfo=UTC)),
        ("morgen om 25 uur", None),
        ("elke maandag", None),
    ],
)
def test_moments(typed: str, expected: datetime | None) -> None:
    if expected is None:
        with pytest.raises(Refused):
            read_moment(typed, NOW, TZ)
    else:
        assert read_moment(typed, NOW, TZ) == expected


@pytest.mark.parametrize(
    ("typed", "days", "at"),
    [
        ("elke maandag om 9 uur", (0,), time(9, 0)),
        ("maandag en donderdag 12u30", (0, 3), time(12, 30)),
        ("ma,do 8u30", (0, 3), time(8, 30)),
        ("ma, do 8u30", (0, 3), time(8, 30)),
        ("maandag 9:00", (0,), time(9, 0)),
        ("werkdagen 9u", (0, 1, 2, 3, 4), time(9, 0)),
        ("iedere vrijdag half vier", (4,), time(15, 30)),
        ("op dinsdagen om 14 uur", (1,), time(14, 0)),
    ],
)
def test_weekly_moments(typed: str, days: tuple[int, ...], at: time) -> None:
    rule = read_weekly(typed, TZ)
    assert (rule.weekdays, rule.at) == (days, at)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("gisteren", "ligt in het verleden"),
        ("vorige maandag", "ligt in het verleden"),
        ("1/11", "ligt in het verleden"),  # a month ago: not next November
        ("3 november 2026", "ligt in het verleden"),
        ("31/02", "bestaat niet (31/02)"),
        ("31 april", "bestaat niet (31 april)"),
        ("30-13-2027", "bestaat niet"),
        ("", "kan ik niet lezen"),
        ("ooit", "kan ik niet lezen"),
        ("²", "kan ik niet lezen"),
        ("1" * 5000, "kan ik niet lezen"),
        ("morgen om 25 uur", "kan ik niet lezen"),
    ],
)
def test_past_impossible_and_unreadable_dates_say_so(typed: str, says: str) -> None:
    with pytest.raises(Refused) as refused:
        read_date(typed, TODAY)
    assert says in str(refused.value)


def test_examples_lie_ahead_and_a_year_shows_when_it_is_not_this_one() -> None:
    assert example_day(TODAY) == "15 december"
    assert example_day(date(2026, 12, 20)) == "3 januari 2027"
    assert say_date(date(2030, 3, 4), TODAY) == "maandag 4 maart 2030"
    assert say_date(date(2026, 12, 8), TODAY) == "dinsdag 8 december"
    assert say_moment(datetime(2026, 12, 8, 9, 0, tzinfo=UTC), TZ, NOW) == (
        "dinsdag 8 december om 10:00"
    )
    assert say_weekly(read_weekly("ma en do 12u30", TZ)) == "elke maandag en donderdag om 12:30"


def test_the_day_of_a_moment_in_the_conversations_time_zone() -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 1 January in Brussels
    assert say_day(late, TZ, NOW) == "vrijdag 1 januari 2027"
    assert say_day(late, TZ, NOW, weekday=False) == "1 januari 2027"
    assert say_day(datetime(2026, 12, 8, 9, 0, tzinfo=UTC), TZ, NOW) == "dinsdag 8 december"
    assert local_today(late, TZ) == date(2027, 1, 1)


def test_a_conversation_date_lies_behind() -> None:
    assert read_date("gisteren", TODAY, past=True) == date(2026, 11, 30)
    assert read_date("vorige vrijdag", TODAY, past=True) == date(2026, 11, 27)
    assert read_date("28/11", TODAY, past=True) == date(2026, 11, 28)
    assert read_date("vandaag", TODAY, past=True) == TODAY
    with pytest.raises(Refused, match="in de toekomst"):
        read_date("morgen", TODAY, past=True)


def test_parse_reports_what_it_found() -> None:
    assert parse("31/02", TODAY).problem is Problem.IMPOSSIBLE
    assert parse("zomaar iets", TODAY).problem is Problem.UNREADABLE
    assert parse("elke dinsdag", TODAY).every
