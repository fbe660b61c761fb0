"""The one reader for Dutch dates, times and weekly moments, as people type them.

"morgen", "volgende dinsdag om 10 uur", "over 3 weken", "15 jan 2027", "15/1", "14u30",
"half drie", "elke maandag om 9 uur", "ma en do 12u30": everything a flow asks a moment for is
read here, so every flow understands the same things and says the same when it cannot.

`parse` only reads; the `read_*` functions decide what a flow accepts and raise `Refused` with a
Dutch sentence (and an example computed from today) when it does not fit. `say_*` write a
moment back the way it was understood, so people can check it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from bot.text.dutch import WEEKDAYS, fold, local
from bot.text.refused import Refused
from bot.timed.schedule import Weekly, at_local

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTH_WORDS = {
    **{m: n for n, m in enumerate(MONTHS, 1)},
    **{m[:3]: n for n, m in enumerate(MONTHS, 1)},
    "mrt": 3,
    "sept": 9,
    "oct": 10,
}
_DAY_WORDS = {
    **{d: n for n, d in enumerate(WEEKDAYS)},
    **{d[:2]: n for n, d in enumerate(WEEKDAYS)},
    **{d[:3]: n for n, d in enumerate(WEEKDAYS)},
    **{d + "en": n for n, d in enumerate(WEEKDAYS)},  # maandagen
    **{d + "s": n for n, d in enumerate(WEEKDAYS)},
}  # maandags
_WORKDAYS = ("werkdag", "werkdagen", "weekdag", "weekdagen")
_NUMBER_WORDS = {
    "een": 1,
    "eén": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
}
_UNITS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7, "maand": 0, "maanden": 0}
_FILLERS = {
    "om",
    "op",
    "rond",
    "omstreeks",
    "tegen",
    "de",
    "den",
    "en",
    "vanaf",
    "rondom",
    "ongeveer",
    "uur",
    "dan",
    "graag",
    "telkens",
    "alle",
    "het",
    "in",
}
_EVERY = {"elke", "iedere", "elk", "ieder"}
_MORNING = {"ochtend", "ochtends", "morgens", "voormiddag", "voormiddags"}
_AFTERNOON = {"middag", "middags", "namiddag", "namiddags", "avond", "avonds"}
_NEXT = {"volgende", "komende", "aanstaande", "deze"}
_LAST = {"vorige", "afgelopen", "voorbije", "laatste"}

_HOUR_MINUTES = re.compile(r"^(\d{1,2})[:.uh](\d{2})$")
_HOUR = re.compile(r"^(\d{1,2})(u|h|uur)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2}|\d{4}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")


class Problem(Enum):
    UNREADABLE = "unreadable"
    IMPOSSIBLE = "impossible"


@dataclass(frozen=True)
class Parsed:
    """What a text says: a day, a time, weekdays (for a weekly moment), or a problem."""

    day: date | None = None
    at: time | None = None
    weekdays: tuple[int, ...] = ()
    every: bool = False
    has_year: bool = False
    explicit: bool = False
    """The day was written as a date ('15/1', '15 januari'), not as 'morgen' or a weekday."""
    problem: Problem | None = None
    impossible: str = ""
    """The date as typed when it does not exist ('31/02')."""


def _normal(text: str) -> list[str]:
    key = fold(text).replace("’", "'").replace("'s ", "s ").replace("'s", "")
    key = re.sub(r"(\d)\s*u\s*(\d{2})\b", r"\1u\2", key)  # 14 u 30
    key = re.sub(r"(\d)\s+(u|h)\b", r"\1\2", key)  # 14 u
    key = re.sub(r"[,;!?()]", " ", key)
    key = re.sub(r"\b(\d{1,2})e\b", r"\1", key)  # de 15e
    key = re.sub(r"(?<=[a-z])\.(?=\s|$)", "", key)  # jan. 2027
    return key.split()


def _number(word: str) -> int | None:
    if word.isascii() and word.isdigit() and len(word) <= 4:
        return int(word)
    return _NUMBER_WORDS.get(word)


def _afternoon(hour: int) -> int:
    """'om 3 uur' and 'half drie' at work mean the afternoon; '9 uur' means the morning."""
    return hour + 12 if 1 <= hour <= 7 else hour


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _make_date(year: int | None, month: int, day_n: int, today: date) -> date | None:
    """A date without a year is the next such date from today on; None when it does not
    exist (31/02)."""
    if not 1 <= month <= 12:
        return None
    if year is None and month == 2 and day_n == 29:
        return date(
            next(
                y
                for y in range(today.year, today.year + 8)
                if calendar.isleap(y) and date(y, 2, 29) >= today
            ),
            2,
            29,
        )
    try:
        if year is not None:
            return date(year, month, day_n)
        found = date(today.year, month, day_n)
    except ValueError:
        return None
    return found if found >= today else found.replace(year=today.year + 1)


def parse(text: str, today: date) -> Parsed:
    """Read a text into a day, a time and weekdays; nothing is decided about past or future."""
    words = _normal(text)
    day: date | None = None
    at: time | None = None
    weekdays: list[int] = []
    every = has_year = explicit = next_week = explicit_minutes = False
    direction = 0  # +1 "volgende", -1 "vorige"
    pm: bool | None = None
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        third = words[i + 2] if i + 2 < len(words) else ""
        if w in _FILLERS:
            i += 1
        elif w in _EVERY:
            every, i = True, i + 1
        elif w in _NEXT and nxt == "week":
            next_week, i = True, i + 2
        elif w in _NEXT:
            direction, i = 1, i + 1
        elif w in _LAST:
            direction, i = -1, i + 1
        elif w in ("vandaag", "vanavond", "vanmiddag", "vanmorgen", "vanochtend"):
            day, i = today, i + 1
            if w != "vandaag":
                pm = w in ("vanavond", "vanmiddag")
        elif w in _RELATIVE_DAYS:
            day, i = today + timedelta(days=_RELATIVE_DAYS[w]), i + 1
        elif w.startswith("morgen") and w[6:] in _MORNING | _AFTERNOON:  # morgenavond
            day, pm, i = today + timedelta(days=1), w[6:] in _AFTERNOON, i + 1
        elif w == "s" and (nxt in _MORNING or nxt in _AFTERNOON):
            pm, i = nxt in _AFTERNOON, i + 2
        elif w in _MORNING or w in _AFTERNOON:
            pm, i = w in _AFTERNOON, i + 1
        elif w in _WORKDAYS:
            weekdays, i = weekdays + [0, 1, 2, 3, 4], i + 1
        elif w in _DAY_WORDS:
            weekdays, i = weekdays + [_DAY_WORDS[w]], i + 1
        elif w == "over" and _number(nxt) is not None and third in _UNITS:
            day, i = _later(today, _number(nxt) or 0, third), i + 3
        elif w == "over" and nxt in _UNITS:
            day, i = _later(today, 1, nxt), i + 2
        elif w == "half" and _number(nxt) is not None:
            hour = (_number(nxt) or 0) - 1  # half drie = 2:30
            if not 0 <= hour <= 23:
                return _BAD
            at, i = time(12 if hour == 0 else _afternoon(hour), 30), i + 2
        elif w == "kwart" and nxt in ("over", "voor") and _number(third) is not None:
            hour = _number(third) or 0
            if not 0 <= hour <= 23:
                return _BAD
            base = datetime(2000, 1, 1, 12 if hour == 0 else _afternoon(hour))
            at = (base + timedelta(minutes=15 if nxt == "over" else -15)).time()
            i += 3
        elif match := _HOUR_MINUTES.match(w):
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour > 23 or minute > 59:
                return _BAD
            at, explicit_minutes, i = time(hour, minute), True, i + 1
        elif numeric := _numeric_date(w):
            year, month, day_n = numeric
            has_year, explicit = year is not None, True
            day = _make_date(year, month, day_n, today)
            if day is None:
                return Parsed(problem=Problem.IMPOSSIBLE, impossible=w)
            i += 1
        elif _number(w) is not None and nxt in _MONTH_WORDS:
            month, year = _MONTH_WORDS[nxt], None
            if re.fullmatch(r"\d{4}", third):
                year, has_year = int(third), True
            explicit = True
            day = _make_date(year, month, _number(w) or 0, today)
            if day is None:
                return Parsed(
                    problem=Problem.IMPOSSIBLE, impossible=f"{_number(w)} {MONTHS[month - 1]}"
                )
            i += 3 if year is not None else 2
        elif (match := _HOUR.match(w)) and (match.group(2) or nxt == "uur"):
            hour = int(match.group(1))
            if hour > 24:
                return _BAD
            at = time(0 if hour == 24 else _afternoon(hour), 0)
            i += 1 if match.group(2) else 2
        else:
            return _BAD
    if at is not None and pm is not None:
        if pm and at.hour < 12:
            at = at.replace(hour=at.hour + 12)
        elif not pm and at.hour >= 13 and not explicit_minutes:
            at = at.replace(hour=at.hour - 12)
    distinct = sorted(set(weekdays))
    if len(distinct) == 1 and day is None and not every:
        day, distinct = _weekday_from(today, distinct[0], direction, next_week), []
    elif next_week and day is None and not distinct:
        day = today + timedelta(days=7)
    elif day is not None and len(distinct) == 1 and not every:
        distinct = []  # "dinsdag 8 december": the date says it
    if not (day or at or distinct):
        return _BAD
    return Parsed(day, at, tuple(distinct), every or len(distinct) > 1, has_year, explicit)


_BAD = Parsed(problem=Problem.UNREADABLE)
_RELATIVE_DAYS = {"morgen": 1, "overmorgen": 2, "gisteren": -1, "eergisteren": -2}


def _later(today: date, amount: int, unit: str) -> date:
    if _UNITS[unit] == 0:
        return _add_months(today, amount)
    return today + timedelta(days=amount * _UNITS[unit])


def _weekday_from(today: date, target: int, direction: int, next_week: bool) -> date:
    """'dinsdag' and 'volgende dinsdag': the next one after today; 'vorige dinsdag': the last
    one before today; 'volgende week dinsdag': the Tuesday of next week."""
    if direction < 0:
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    if next_week:
        return today + timedelta(days=7 - today.weekday() + target)
    return today + timedelta(days=(target - today.weekday()) % 7 or 7)


def _numeric_date(word: str) -> tuple[int | None, int, int] | None:
    """(year, month, day) from '15/1', '15-01-2027', '15.01.27' or '2027-01-15'."""
    if match := _ISO_DATE.match(word):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    match = _DOTTED_DATE.match(word) or _NUMERIC_DATE.match(word)
    if match is None:
        return None
    raw = match.group(3)
    year = None if raw is None else int(raw) + (2000 if len(raw) == 2 else 0)
    return year, int(match.group(2)), int(match.group(1))


# --- what a flow accepts -------------------------------------------------------------------


def example_day(today: date, days: int = 14) -> str:
    """An example date that lies ahead, as people write it: '15 december'."""
    return say_date(today + timedelta(days=days), today, weekday=False)


def _unreadable(today: date, past: bool = False) -> Refused:
    if past:
        return Refused(
            "Die datum kan ik niet lezen. Schrijf bv. vandaag, gisteren, vorige "
            f"maandag of {say_date(today - timedelta(days=3), today, weekday=False)}."
        )
    return Refused(
        "Die datum kan ik niet lezen. Schrijf bv. morgen, volgende dinsdag, over 2 "
        f"weken of {example_day(today)}."
    )


def _impossible(parsed: Parsed) -> Refused:
    return Refused(
        f"Die datum bestaat niet ({parsed.impossible}). Kijk de dag en de maand nog eens na."
    )


def _just_passed(parsed: Parsed, today: date) -> bool:
    """'1/3' typed on 2 March means last week, not next year; '15/1' typed in December does
    mean January."""
    if parsed.day is None or parsed.has_year or not parsed.explicit:
        return False
    try:
        this_year = parsed.day.replace(year=today.year)
    except ValueError:
        return False
    return this_year < today and (today - this_year).days <= 183


def read_date(
    text: str,
    today: date,
    *,
    past: bool = False,
    today_ok: bool = True,
    within_days: int | None = None,
) -> date:
    """A day ahead (a look-back, a pause) or, with `past`, today or behind (a conversation)."""
    parsed = parse(text, today)
    if parsed.problem is Problem.IMPOSSIBLE:
        raise _impossible(parsed)
    if parsed.problem or parsed.day is None or parsed.weekdays or parsed.at:
        raise _unreadable(today, past)
    found = parsed.day
    if past:
        if found > today and parsed.explicit and not parsed.has_year:
            try:
                found = found.replace(year=found.year - 1)
            except ValueError:
                pass
        if found > today:
            raise Refused(
                "Die datum ligt in de toekomst. Kies vandaag of een eerdere dag, bv. "
                f"{say_date(today - timedelta(days=2), today, weekday=False)}."
            )
        return found
    if found < today or _just_passed(parsed, today):
        raise Refused(
            f"Die datum ligt in het verleden. Kies een dag die nog komt, bv. {example_day(today)}."
        )
    if found == today and not today_ok:
        raise Refused(f"Dat is vandaag. Kies een dag vanaf morgen, bv. {example_day(today)}.")
    if within_days is not None and (found - today).days > within_days:
        span = "een jaar" if within_days >= 365 else f"{within_days} dagen"
        raise Refused(f"Kies een dag binnen {span}, bv. {example_day(today)}.")
    return found


def read_time(text: str) -> time:
    parsed = parse(text, date(2000, 1, 1))
    if parsed.problem or parsed.at is None or parsed.day or parsed.weekdays:
        raise Refused("Dat uur kan ik niet lezen. Schrijf bv. 9:00, 14u30, 14 uur of half drie.")
    return parsed.at


def read_moment(text: str, now: datetime, tz: str, default_at: time = time(9, 0)) -> datetime:
    """One moment ahead: 'morgen', 'volgende dinsdag om 10 uur', '15/1 14u30', '15:00'."""
    today = local(now, tz).date()
    parsed = parse(text, today)
    if parsed.problem is Problem.IMPOSSIBLE:
        raise _impossible(parsed)
    if parsed.problem or parsed.weekdays or (parsed.day is None and parsed.at is None):
        raise Refused(
            "Dat moment kan ik niet lezen. Schrijf bv. morgen 9:00, volgende dinsdag "
            f"om 10 uur of {example_day(today)} 14u30."
        )
    day = parsed.day or today
    due = at_local(day, parsed.at or default_at, tz)
    if parsed.day is None and due <= now:
        due = at_local(today + timedelta(days=1), parsed.at or default_at, tz)
    if due <= now or _just_passed(parsed, today):
        raise Refused(
            "Dat moment ligt in het verleden. Kies een moment dat nog komt, bv. "
            f"morgen 9:00 of {example_day(today)} 14u30."
        )
    return due


def read_weekly(text: str, tz: str, default_at: time | None = None) -> Weekly:
    """'elke maandag om 9 uur', 'maandag en donderdag 12u30', 'ma,do 8u30', 'werkdagen 9u'."""
    parsed = parse(text, date(2000, 1, 3))
    weekdays = parsed.weekdays or (
        (parsed.day.weekday(),) if parsed.day and not parsed.explicit else ()
    )
    at = parsed.at or default_at
    if parsed.problem or not weekdays or at is None:
        raise Refused(
            "Schrijf de dag(en) en het uur, bv. elke maandag om 9 uur, ma en do "
            "12u30 of werkdagen 9u."
        )
    return Weekly(tuple(weekdays), at, tz)


# --- saying it back ----------------------------------------------------------------------------


def say_date(day: date, today: date, weekday: bool = True) -> str:
    """'dinsdag 8 december', with the year when it is not this year's."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    if day.year != today.year:
        text += f" {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def local_today(now: datetime, tz: str) -> date:
    """Today's date where the conversation is: the 'this year' of `say_date`."""
    return local(now, tz).date()


def say_day(moment: datetime, tz: str, now: datetime, weekday: bool = True) -> str:
    """The day of a moment in the conversation's time zone: 'dinsdag 8 december'."""
    return say_date(local(moment, tz).date(), local_today(now, tz), weekday)


def say_moment(moment: datetime, tz: str, now: datetime) -> str:
    """'dinsdag 8 december om 10:00' in the conversation's time zone."""
    m = local(moment, tz)
    return f"{say_date(m.date(), local(now, tz).date())} om {m:%H:%M}"


def say_weekly(rule: Weekly) -> str:
    """'elke maandag en donderdag om 12:30'."""
    names = [WEEKDAYS[d] for d in rule.weekdays]
    days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"elke {days} om {rule.at:%H:%M}"
