"""What an answer in a conversation record and in its terugblik costs in round trips, on both
backends: the question that waits, the record (with the closing of an earlier pause, held
back), and the answer stored with the question's move and the next question's buttons, its way
back and out among them (one statement: `flows.still_at`). And a terugblik's answer given
while the same question was answered at the same moment stores nothing; a terugblik's start
and the list of records in few trips, whatever their number."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.replies import Reply
from bot.tools.gesprek import verslag
from bot.tools.gesprek.store.gesprekken import Verslagen
from tests.conftest import Chat, Post, overtaken, replies, text_of, trips


async def test_an_answer_between_the_first_and_the_last(engine: Engine, dm: Chat) -> None:
    """The first answer too: the new record (with an id the process made), the next question's
    buttons and the move are one statement."""
    await dm.cmd("gesprek verslag")
    assert await trips(engine, dm.text("vandaag")) == 2
    assert "Vraag 2 van 8" in text_of(dm.last)
    for typed, next_question in (("Mia", "Vraag 3 van 8"), ("Weer zingen", "Vraag 4 van 8")):
        assert await trips(engine, dm.text(typed)) == 3
        assert "Bewaard" in text_of(dm.last) and next_question in text_of(dm.last)
    row = await engine.db.one("SELECT met, wens FROM gesprekken")
    assert row is not None and (row["met"], row["wens"]) == ("Mia", "Weer zingen")


async def reminded(dm: Chat, post: Post) -> list[Reply]:
    """A recorded conversation with a terugblik in 14 days, and its reminder when it came."""
    await dm.cmd("gesprek verslag")
    for typed in ("vandaag", "Mia", "Weer zingen", "Koor", "Samen naar de repetitie", "7", "6"):
        await dm.text(typed)
    await dm.text("14")
    [sent] = await post.at(days=14)
    return replies([sent])


async def at_the_terugblik(dm: Chat, post: Post) -> None:
    """A recorded conversation whose terugblik came, and its first question."""
    asked = await dm.press("Terugblik invullen", replies=await reminded(dm, post))
    assert "Vraag 1 van 10" in text_of(asked)


async def answers(engine: Engine) -> list[tuple[str, str]]:
    rows = await engine.db.all("SELECT vraag, antwoord FROM terugblik_antwoorden ORDER BY vraag")
    return [(r["vraag"], r["antwoord"]) for r in rows]


async def test_a_terugblik_answer(engine: Engine, dm: Chat, post: Post) -> None:
    await at_the_terugblik(dm, post)
    assert await trips(engine, dm.text("Ze is één keer mee geweest")) == 3
    assert "Vraag 2 van 10" in text_of(dm.last)
    assert {"◀ Terug", "Sla over", "Stop hier"} <= {b.label for r in dm.last for b in r.buttons}
    assert await trips(engine, dm.press("Sla over")) == 3
    assert "Vraag 3 van 10" in text_of(dm.last)
    assert await answers(engine) == [("t1", "Ze is één keer mee geweest")]


async def test_a_terugblik_answer_to_a_question_answered_meanwhile_stores_nothing(
    engine: Engine, dm: Chat, post: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    await at_the_terugblik(dm, post)
    late, second = await overtaken(
        monkeypatch, Verslagen, "get", dm.text("Eén keer"), lambda: dm.text("Twee keer")
    )
    assert "Vraag 2 van 10" in text_of(second) and "al bewaard" in text_of(late)
    assert await answers(engine) == [("t1", "Twee keer")]


async def test_a_first_answer_given_twice_at_once_makes_one_record(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record is written only where its question still waits: the answer that read first
    and moves last makes none."""
    await dm.cmd("gesprek verslag")
    late, second = await overtaken(
        monkeypatch, verslag, "question", dm.text("vandaag"), lambda: dm.text("gisteren")
    )
    assert "Vraag 2 van 8" in text_of(second) and "al bewaard" in text_of(late)
    assert await engine.db.scalar("SELECT COUNT(*) FROM gesprekken") == 1


async def test_a_terugblik_started_twice_has_one_look_back(
    engine: Engine, dm: Chat, post: Post
) -> None:
    """The button, the look-back made or found in one statement whose condition is that the
    record is the person's (no transaction, no read of the record before it), and the
    question's flow with its buttons (the flow's id made by the process); a second start finds
    the same look-back."""
    reminder = await reminded(dm, post)
    assert await trips(engine, dm.press("Terugblik invullen", replies=reminder)) == 3
    assert "Vraag 1 van 10" in text_of(dm.last)
    await dm.press("Terugblik invullen", replies=reminder)
    assert await engine.db.scalar("SELECT COUNT(*) FROM terugblikken") == 1


async def test_a_terugblik_of_a_record_erased_meanwhile_makes_nothing(
    engine: Engine, dm: Chat, post: Post
) -> None:
    """The record is the look-back's condition: once it is gone, the reminder's buttons make
    no look-back and say so."""
    reminder = await reminded(dm, post)
    await engine.db.execute("DELETE FROM gesprekken")
    for label in ("Terugblik invullen", "Ik heb niets vernomen"):
        assert "bestaat niet meer" in text_of(await dm.press(label, replies=reminder))
    assert await engine.db.scalar("SELECT COUNT(*) FROM terugblikken") == 0


async def test_stopping_and_the_last_answer_end_the_terugblik_in_three_round_trips(
    engine: Engine, dm: Chat, post: Post
) -> None:
    """ "Stop hier": the button, the flow read with the record it names, and the outcome held
    back with the summary's buttons in the question's end (before: a transaction and the
    record read after it, 8). The last answer likewise: the answer with the outcome."""
    await at_the_terugblik(dm, post)
    asked = dm.last
    assert await trips(engine, dm.press("Stop hier")) == 3
    assert "Je terugblik is bewaard" in text_of(dm.last)
    outcome = await engine.db.scalar("SELECT uitkomst FROM terugblikken")
    assert outcome == "beantwoord"
    assert "al afgesloten" in text_of(await dm.press("Stop hier", replies=asked))
    listing = await dm.cmd("gesprekken")
    await dm.press("1: terugblik", replies=listing)
    for _ in range(9):
        await dm.press("Sla over")
    assert "Vraag 10 van 10" in text_of(dm.last)
    assert await trips(engine, dm.text("Ze belt zelf")) == 3
    assert "Je terugblik is bewaard" in text_of(dm.last)
    assert ("k5", "Ze belt zelf") in await answers(engine)


async def test_nothing_heard_in_three_round_trips(engine: Engine, dm: Chat, post: Post) -> None:
    """ "Ik heb niets vernomen": the button, the look-back made with its outcome in one
    statement, and the question for a new term with its buttons (before: the record, the
    look-back and its outcome apart, 5)."""
    reminder = await reminded(dm, post)
    assert await trips(engine, dm.press("Ik heb niets vernomen", replies=reminder)) == 3
    assert "Wanneer blik je opnieuw terug?" in text_of(dm.last)
    assert await engine.db.scalar("SELECT uitkomst FROM terugblikken") == "niets_vernomen"


async def test_the_list_reads_every_record_and_look_back_at_once(
    engine: Engine, dm: Chat, post: Post
) -> None:
    """`gesprekken` with two records, one with a look-back and its answer: the question that
    waits, the records and their look-backs with their answers in one read, and the buttons.
    Before, each record read its look-backs, and each look-back its answers."""
    await at_the_terugblik(dm, post)
    await dm.text("Ze is één keer mee geweest")
    await dm.cmd("gesprek verslag")
    for typed in ("vandaag", "Noor", "Samen koken"):
        await dm.text(typed)
    assert await trips(engine, dm.cmd("gesprekken")) == 3
    shown = text_of(dm.last)
    assert "Je gesprekken (2)" in shown and "met Noor" in shown and "met Mia" in shown
    assert "Terugblik" in shown and "Ze is één keer mee geweest" in shown


async def test_the_last_answer_and_a_new_date_in_three_round_trips(
    engine: Engine, dm: Chat
) -> None:
    """The last answer reads the record with the person's reminders and the referral line at
    once; the record's end, the reminder and the question's end are one statement. A new
    look-back date likewise stops the earlier reminder in that statement."""
    await dm.cmd("gesprek verslag")
    for typed in ("vandaag", "Mia", "Weer zingen", "Koor", "Samen naar de repetitie", "7", "6"):
        await dm.text(typed)
    assert await trips(engine, dm.text("14")) == 3
    assert "Je verslag is bewaard" in text_of(dm.last)
    listing = await dm.cmd("acties")
    await dm.press("1: andere datum", replies=listing)
    assert await trips(engine, dm.text("30-03")) == 3
    assert "maandag 30 maart om 09:00" in text_of(dm.last)
    rows = await engine.db.all(
        "SELECT status FROM herinneringen WHERE kind = 'terugblik' ORDER BY due_at"
    )
    assert sorted(r["status"] for r in rows) == ["active", "cancelled"]
    record = await engine.db.one("SELECT status, terugblik_op FROM gesprekken")
    assert record is not None and (record["status"], record["terugblik_op"]) == (
        "klaar",
        "2026-03-30",
    )
