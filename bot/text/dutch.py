"""Dutch words for time and the forgiving matching of what people type. Dates and moments are
said by `bot.text.moments` (`say_date`, `say_day`, `say_moment`, `say_weekly`)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def fold(text: str) -> str:
    """Lower case without accents, so 'Roos', 'ROOS' and 'roös' all match 'roos'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def clock_time(moment: datetime, tz: str) -> str:
    return f"{local(moment, tz):%H:%M}"


def is_number(text: str, digits: int = 6) -> bool:
    """ASCII digits only: '²' and '①' pass str.isdigit() but not int(), and a huge number would
    overflow SQLite's integers."""
    return 0 < len(text) <= digits and text.isascii() and text.isdigit()


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
