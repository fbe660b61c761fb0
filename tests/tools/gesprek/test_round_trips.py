"""What an answer in a conversation record costs in round trips, on both backends: the question
that waits, the record (with the closing of an earlier pause, held back), and the answer stored
with the question's move and the next question's buttons, its way back and out among them (one
statement: `flows.still_at`)."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.conftest import Chat, text_of, trips


async def test_an_answer_between_the_first_and_the_last(engine: Engine, dm: Chat) -> None:
    await dm.cmd("gesprek verslag")
    await dm.text("vandaag")
    for typed, next_question in (("Mia", "Vraag 3 van 8"), ("Weer zingen", "Vraag 4 van 8")):
        assert await trips(engine, dm.text(typed)) == 3
        assert "Bewaard" in text_of(dm.last) and next_question in text_of(dm.last)
    row = await engine.db.one("SELECT met, wens FROM gesprekken")
    assert row is not None and (row["met"], row["wens"]) == ("Mia", "Weer zingen")
