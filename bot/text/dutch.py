"""Dutch words for time and the forgiving matching of what people type."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
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


def weekday_name(index: int) -> str:
    return WEEKDAYS[index]
