"""Every example date a question shows is computed from today: ahead where the answer lies
ahead (a look-back, a reminder), just past where it lies behind (a conversation held)."""

from __future__ import annotations

import re
from datetime import date

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.text.moments import read_date
from tests.conftest import Chat, text_of, utc

TODAY = date(2026, 12, 1)
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
SHOWN = re.compile(rf"\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?")


def examples(text: str, past: bool = False) -> list[date]:
    """The dates shown, read as a person would read them on TODAY (the year is shown when it
    is not this one; without it, the reader takes the nearest one ahead, or behind if past)."""
    found = []
    for shown in SHOWN.findall(text):
        got = read_date(shown, TODAY, past=past)
        assert isinstance(got, date), shown
        assert got.year == TODAY.year or str(got.year) in shown, f"{shown}: year not shown"
        found.append(got)
    return found


async def test_the_examples_lie_where_the_answer_lies(engine: Engine, clock: FakeClock) -> None:
    """On 1 December: the verslag's date example lies just behind, its look-back and the plan's
    look-back ahead, each with its year when it is not this one."""
    clock.set(utc(2026, 12, 1, 9, 0))
    today = TODAY
    dm = Chat(engine, "dm-an", group=False)
    first = text_of(await dm.cmd("gesprek verslag"))
    [held] = examples(first, past=True)
    assert held < today  # the conversation was held: an example just past
    for answer in ("gisteren", "Mia", "Naar de buurtsoep", "-", "Samen gaan", "7", "8"):
        await dm.text(answer)
    [term] = examples(text_of(dm.last))
    assert term > today
    await dm.cmd("plan")
    for answer in ("Elke week iemand bellen", "Morgen bellen", "Mijn zus"):
        await dm.text(answer)
    [look_back] = examples(text_of(dm.last))
    assert look_back > today
