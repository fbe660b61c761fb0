"""Reading what a volunteer types: past dates, terms, scores, pseudonyms, moments and weekdays.

Each reader returns the value or raises `Refused` with a Dutch sentence that says what was wrong
and gives an example, so a handler can answer it as it is and store nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.text.dutch import fold, is_number, local, parse_date, parse_time, parse_weekdays
from bot.text.markdown import clean
from bot.timed.schedule import Weekly, at_local

TEXT_MAX = 1000
NAME_MAX = 40
TERM_MAX_DAYS = 366
DEFAULT_AT = time(9, 0)
_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


class Refused(ValueError):
    """An answer that cannot be stored; the message is for the user."""




def example(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def free_text(text: str, limit: int = TEXT_MAX) -> str:
    value = clean(text)
    if not value:
        raise Refused("Een leeg antwoord bewaar ik niet. Typ je antwoord (of bv. 'geen' als "
                      "er niets was).")
    if len(value) > limit:
        raise Refused(f"Dat is te lang ({len(value)} tekens); houd het onder {limit} tekens. "
                      "Er is niets bewaard.")
    return value


def pseudonym(text: str) -> str:
    value = " ".join(clean(text).split())
    if not value:
        raise Refused("Typ een voornaam, initialen of een schuilnaam, bv. Mia of R.V.")
    if len(value) > NAME_MAX or len(value.split()) > 2:
        raise Refused("Gebruik geen volledige naam: een voornaam, initialen of een schuilnaam "
                      f"volstaat (hoogstens twee woorden, {NAME_MAX} tekens), bv. Mia, R.V. of "
                      "buurvrouw. Er is niets bewaard.")
    return value


def score(text: str) -> int:
    key = fold(text).removesuffix("/10").strip()
    if not is_number(key) or not 0 <= int(key) <= 10:
        raise Refused("Geef een cijfer van 0 tot en met 10, bv. 7.")
    return int(key)


def _has_year(key: str) -> bool:
    return bool(re.search(r"\d{4}", key)) or len(re.split(r"[\s/.\-]+", key)) >= 3


def conversation_date(text: str, today: date) -> date:
    """A day on which a conversation took place: today or earlier."""
    key = fold(text).removeprefix("op ").strip()
    if key == "gisteren":
        return today - timedelta(days=1)
    if key == "eergisteren":
        return today - timedelta(days=2)
    weekday_word = key.removeprefix("vorige ").removeprefix("afgelopen ")
    days = parse_weekdays(weekday_word) if " " not in weekday_word else None
    if days is not None and len(days) == 1:
        return today - timedelta(days=(today.weekday() - days[0]) % 7 or 7)
    found = parse_date(key, today)
    if found is None:
        raise Refused("Die datum kan ik niet lezen. Schrijf bv. vandaag, gisteren, maandag of "
                      f"{example(today - timedelta(days=3))}.")
    if found > today and is_number(key[:1]) and not _has_year(key):
        try:
            found = found.replace(year=found.year - 1)
        except ValueError:
            pass
    if found > today:
        raise Refused("Die datum ligt in de toekomst. Je legt een gesprek vast dat al "
                      f"plaatsvond: kies vandaag of een eerdere dag, bv. {example(today)}.")
    return found


def _just_passed(found: date, today: date) -> bool:
    """'1-3' typed on 2 March means last week, not next year; '15-1' typed in December does
    mean January."""
    try:
        this_year = found.replace(year=today.year)
    except ValueError:
        return False
    return this_year < today and (today - this_year).days <= 183


def term(text: str, today: date) -> date:
    """When to look back: a number of days or weeks from today, or a date after today."""
    key = fold(text).removeprefix("over ").strip()
    match = re.fullmatch(r"(\d{1,4})\s*(d|dag|dagen|w|week|weken)?", key)
    if match:
        amount = int(match.group(1)) * (7 if (match.group(2) or "d").startswith("w") else 1)
        if amount < 1:
            raise Refused("Kies minstens 1 dag, bv. 14 of 21-03.")
        if amount > TERM_MAX_DAYS:
            raise Refused("Kies een termijn binnen een jaar, bv. 14 dagen of 6 weken.")
        return today + timedelta(days=amount)
    found = parse_date(key, today)
    if found is None:
        raise Refused("Dat kan ik niet lezen. Typ een aantal dagen (bv. 14) of een datum (bv. "
                      f"{example(today + timedelta(days=14))}).")
    if found < today or (not _has_year(key) and _just_passed(found, today)):
        raise Refused("Die datum ligt in het verleden. Kies een dag na vandaag, bv. "
                      f"{example(today + timedelta(days=14))}.")
    if found == today:
        raise Refused("Kies een dag vanaf morgen, bv. 7 of "
                      f"{example(today + timedelta(days=7))}.")
    if (found - today).days > TERM_MAX_DAYS:
        raise Refused("Kies een termijn binnen een jaar, bv. 14 dagen of 6 weken.")
    return found


def moment(text: str, now: datetime, tz: str) -> datetime:
    """One moment in the future: 'morgen 9:00', '12-03 14:30', '15:00' (today)."""
    words = [w for w in fold(text).split() if w not in ("om", "op", "u")]
    today = local(now, tz).date()
    at = parse_time(words[-1]) if words else None
    day_text = " ".join(words[:-1] if at is not None else words)
    day = (today - timedelta(days=1) if day_text == "gisteren"
           else parse_date(day_text, today) if day_text else today)
    if day is None or (at is None and not day_text):
        raise Refused("Dat moment kan ik niet lezen. Schrijf een datum en een uur, bv. "
                      f"morgen 9:00 of {example(today + timedelta(days=3))[:5]} 14:30.")
    due = at_local(day, at or DEFAULT_AT, tz)
    if due <= now or (not _has_year(day_text) and _just_passed(day, today)):
        raise Refused("Dat moment is al voorbij. Kies een moment in de toekomst, bv. morgen 9:00.")
    return due


def weekly(text: str, tz: str) -> Weekly:
    """'maandag 9:00', 'ma,do 8u30', 'elke dinsdag en vrijdag om 10u'."""
    words = [w for w in fold(text).replace(",", " ").split()
             if w not in ("elke", "iedere", "om", "en", "op")]
    at = parse_time(words[-1]) if words else None
    days = parse_weekdays(",".join(words[:-1])) if len(words) >= 2 else None
    if at is None or days is None:
        raise Refused("Schrijf de dag(en) en het uur, bv. maandag 9:00 of ma,do 8u30.")
    return Weekly(tuple(days), at, tz)
