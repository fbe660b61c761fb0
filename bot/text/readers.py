"""Reading what a volunteer types: past dates, terms, scores, pseudonyms, moments and weekdays.

Dates and moments are read by `bot.text.moments`, the one reader every flow shares.

Each reader returns the value or raises `Refused` with a Dutch sentence that says what was wrong
and gives an example, so a handler can answer it as it is and store nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.text.dutch import fold, is_number
from bot.text.markdown import clean
from bot.text.moments import example_day, read_date, read_moment, read_weekly
from bot.text.refused import Refused
from bot.timed.schedule import Weekly

TEXT_MAX = 1000
NAME_MAX = 40
TERM_MAX_DAYS = 366
DEFAULT_AT = time(9, 0)


def free_text(text: str, limit: int = TEXT_MAX) -> str:
    value = clean(text)
    if not value:
        raise Refused(
            "Een leeg antwoord bewaar ik niet. Typ je antwoord (of bv. 'geen' als er niets was)."
        )
    if len(value) > limit:
        raise Refused(
            f"Dat is te lang ({len(value)} tekens); houd het onder {limit} tekens. "
            "Dit antwoord heb ik nog niet bewaard."
        )
    return value


def pseudonym(text: str) -> str:
    value = " ".join(clean(text).split())
    if not value:
        raise Refused("Typ een voornaam, initialen of een schuilnaam, bv. Mia of R.V.")
    if len(value) > NAME_MAX or len(value.split()) > 2:
        raise Refused(
            "Gebruik geen volledige naam: een voornaam, initialen of een schuilnaam "
            f"volstaat (hoogstens twee woorden, {NAME_MAX} tekens), bv. Mia, R.V. of "
            "buurvrouw. Dit antwoord heb ik nog niet bewaard."
        )
    return value


def score(text: str) -> int:
    key = fold(text).removesuffix("/10").strip()
    if not is_number(key) or not 0 <= int(key) <= 10:
        raise Refused("Geef een cijfer van 0 tot en met 10, bv. 7.")
    return int(key)


def conversation_date(text: str, today: date) -> date:
    """A day on which a conversation took place: today or earlier."""
    return read_date(text, today, past=True)


def term(text: str, today: date) -> date:
    """When to look back: a number of days or weeks from today, or a date after today."""
    key = fold(text).removeprefix("over ").strip()
    match = re.fullmatch(r"(\d{1,4})\s*(d|dag|dagen|w|week|weken)?", key)
    if match:
        amount = int(match.group(1)) * (7 if (match.group(2) or "d").startswith("w") else 1)
        if amount < 1:
            raise Refused(f"Kies minstens 1 dag, bv. 14 of {example_day(today)}.")
        if amount > TERM_MAX_DAYS:
            raise Refused("Kies een termijn binnen een jaar, bv. 14 dagen of 6 weken.")
        return today + timedelta(days=amount)
    return read_date(text, today, today_ok=False, within_days=TERM_MAX_DAYS)


def moment(text: str, now: datetime, tz: str) -> datetime:
    """One moment in the future: 'morgen 9:00', 'volgende dinsdag om 10 uur', '15:00'."""
    return read_moment(text, now, tz, DEFAULT_AT)


def weekly(text: str, tz: str) -> Weekly:
    """'maandag 9:00', 'ma,do 8u30', 'elke dinsdag en vrijdag om 10u'."""
    return read_weekly(text, tz)
