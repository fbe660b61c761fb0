"""Dutch words for time and the forgiving matching of what people type."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_SHORT_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def fold(text: str) -> str:
    """Lower case without accents, so 'Roos', 'ROOS' and 'roös' all match 'roos'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def when(moment: datetime, tz: str) -> str:
    """'ma 2 mrt 12:05' in the conversation's time zone."""
    m = local(moment, tz)
    return f"{_SHORT_DAYS[m.weekday()]} {m.day} {_MONTHS[m.month - 1]} {m:%H:%M}"


def clock_time(moment: datetime, tz: str) -> str:
    return f"{local(moment, tz):%H:%M}"


def date_text(d: date) -> str:
    """'2 mrt 2026'."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def day(moment: datetime, tz: str) -> str:
    return date_text(local(moment, tz).date())


def is_number(text: str, digits: int = 6) -> bool:
    """ASCII digits only: '²' and '①' pass str.isdigit() but not int(), and a huge number would
    overflow SQLite's integers."""
    return 0 < len(text) <= digits and text.isascii() and text.isdigit()


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


_DAY_WORDS = {**{d: n for n, d in enumerate(WEEKDAYS)}, **{d: n for n, d in enumerate(_SHORT_DAYS)},
              **{d[:3]: n for n, d in enumerate(WEEKDAYS)}}
_MONTH_WORDS = {
    **{m: n for n, m in enumerate(("januari", "februari", "maart", "april", "mei", "juni", "juli",
                                   "augustus", "september", "oktober", "november", "december"), 1)},
    **{m: n for n, m in enumerate(_MONTHS, 1)}, "maa": 3, "okt": 10, "oct": 10, "sept": 9,
}


def weekday_name(index: int) -> str:
    return WEEKDAYS[index]


def parse_weekdays(text: str) -> list[int] | None:
    """'maandag,donderdag' or 'ma, do' -> [0, 3]; None when a word is not a weekday."""
    days: list[int] = []
    for word in text.replace(";", ",").split(","):
        key = fold(word)
        if not key:
            continue
        if key not in _DAY_WORDS:
            return None
        if _DAY_WORDS[key] not in days:
            days.append(_DAY_WORDS[key])
    return sorted(days) or None


def parse_time(text: str) -> time | None:
    """'12:00', '9:30', '12u', '12u30', '12.15'."""
    key = fold(text).replace(".", ":").replace("u", ":")
    hours, _, minutes = key.partition(":")
    minutes = minutes or "00"
    if not (is_number(hours, 2) and is_number(minutes, 2) and len(minutes) == 2):
        return None
    h, m = int(hours), int(minutes)
    return time(h, m) if 0 <= h <= 23 and 0 <= m <= 59 else None


def parse_date(text: str, today: date) -> date | None:
    """'15-01-2027', '15/1', '2027-01-15', '15 januari', '15 jan 2027', 'morgen', 'maandag'.

    A date without a year is the next such date from today on.
    """
    key = fold(text).strip()
    if key in ("vandaag",):
        return today
    if key == "morgen":
        return today + timedelta(days=1)
    if key == "overmorgen":
        return today + timedelta(days=2)
    for prefix in ("volgende ", "komende "):
        key = key.removeprefix(prefix)
    if key in _DAY_WORDS:
        ahead = (_DAY_WORDS[key] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    try:
        if len(key) == 10 and key[4] == "-":
            return date.fromisoformat(key)
    except ValueError:
        return None
    parts = key.replace("/", " ").replace("-", " ").replace(".", " ").split()
    if len(parts) not in (2, 3) or not is_number(parts[0]):
        return None
    day_n = int(parts[0])
    month = int(parts[1]) if is_number(parts[1]) else _MONTH_WORDS.get(parts[1])
    if month is None:
        return None
    year = None
    if len(parts) == 3:
        if not is_number(parts[2]):
            return None
        year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
    try:
        if year is not None:
            return date(year, month, day_n)
        candidate = date(today.year, month, day_n)
        return candidate if candidate >= today else date(today.year + 1, month, day_n)
    except ValueError:
        return None
