"""What the jar's events cost in round trips, as the database counts them (a call into SQLite,
a message exchange with PostgreSQL): each event reads and writes in as few as its answer allows,
and a change that adds one shows here."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.conftest import CONTENT, Chat, text_of, trips


async def test_a_vraag_in_one_round_trip_and_a_press_of_its_button_in_two(
    engine: Engine,
) -> None:
    """The jar as this process last drew from it, checked in the draw's own statement, which
    carries its mark, the card's buttons and the flows it ends; a press first reads its button.
    A jar this process does not know yet is read first."""
    chat = Chat(engine, "team")
    await chat.cmd("vraag")  # who and where are known from here on, and the jar
    assert await trips(engine, chat.cmd("vraag")) == 1
    assert await trips(engine, chat.press("Nog een vraag")) == 2
    # the button, then the earlier question of its kind closed and the question for the note
    # (no transaction: one call into SQLite, one statement on PostgreSQL)
    assert await trips(engine, chat.press("Noteer een aanknopingspunt")) == 2
    # changed here: this process reads the jar again, and remembers it once it is plain again
    await chat.cmd("pot uit groen")
    assert await trips(engine, chat.cmd("vraag")) == 2
    await chat.cmd("pot aan groen")
    assert await trips(engine, chat.cmd("vraag")) == 2
    assert await trips(engine, chat.cmd("vraag")) == 1
    assert await engine.db.scalar("SELECT COUNT(*) FROM trekkingen") == 6


async def test_a_vraag_with_a_colour_drawn_through_is_one_round_trip(engine: Engine) -> None:
    """Memory of a colour drawn through is checked in the draw's own statement (its marks all
    still there); the draw's mark waits on the draw there, so it needs no statement of its
    own."""
    chat = Chat(engine, "team")
    colour = CONTENT.kletspot.clusters[0]
    for _ in colour.vragen:
        await chat.cmd(f"vraag {colour.kleur}")
    assert await trips(engine, chat.cmd("vraag")) == 1
    assert await trips(engine, chat.cmd("vraag")) == 1
    drawn = [r[0] for r in await engine.db.all("SELECT question_id FROM pot_getrokken")]
    assert len(drawn) == len(set(drawn)) == len(colour.vragen) + 2


async def test_a_vraag_in_a_dm_reads_the_open_questions_once(engine: Engine) -> None:
    """In a DM every command is first seen with the question that waits (words of distress are
    answered before anything): that read is the one of the event. It also tells that no
    pause after such words waits to be closed, and once the command has withdrawn the open
    questions, that none waits for its buttons' Terug and Stop."""
    dm = Chat(engine, "an", group=False)
    await dm.cmd("vraag groen")
    assert await trips(engine, dm.cmd("vraag groen")) == 2
    await dm.cmd("gesprek verslag")  # a question waits: the draw withdraws it, as before
    assert await trips(engine, dm.cmd("vraag groen")) == 2
    assert "Stop" not in {b.label for r in dm.last for b in r.buttons}
    assert await engine.db.scalar("SELECT COUNT(*) FROM flows WHERE status = 'open'") == 0


async def test_the_jar_a_note_and_a_kletspot_read_each_thing_once(engine: Engine) -> None:
    chat = Chat(engine, "team")
    await chat.cmd("vraag")
    assert await trips(engine, chat.cmd("pot")) == 2  # the jar once, then its buttons
    # what the note belongs to (a front, the last question, the kletspot: together), then the
    # note (with an id the process made) and its undo button
    assert await trips(engine, chat.cmd("noteer de bakker kent iedereen")) == 2
    # none running yet and the jar (with the flows it ends), the kletspot, the draw with its
    # buttons and the step to the next colour; a press reads its button, then the kletspot
    # with its questions so far and the jar, then draws; typed, the button's trip is not needed
    assert await trips(engine, chat.cmd("kletspot 20 groen blauw")) == 3
    assert await trips(engine, chat.press("Volgende vraag")) == 3
    assert await trips(engine, chat.cmd("volgende")) == 2
    # closed, what was talked about and noted (together, once for the summary and the PDF)
    assert await trips(engine, chat.cmd("stop")) == 3


async def test_a_vraag_that_refills_a_colour_reads_the_jar_once(engine: Engine) -> None:
    """A colour drawn through: the jar as this process remembers it cannot say whether to
    refill, so it is read, with whether each mark stands for a draw; then the refill and the
    draw (before: the marks that stand for a draw were a read of their own). In a DM, where
    every command reads the open questions first, the jar is read with them (`vraag` reads it
    ahead: `Router.command`), so a refill costs three trips there too (before: five)."""
    chat = Chat(engine, "team")
    colour = CONTENT.kletspot.clusters[0]
    for _ in colour.vragen:
        await chat.cmd(f"vraag {colour.kleur}")
    assert await trips(engine, chat.cmd(f"vraag {colour.kleur}")) == 3
    assert "opnieuw gevuld" in text_of(chat.last)
    dm = Chat(engine, "an", group=False)
    for _ in colour.vragen:
        await dm.cmd(f"vraag {colour.kleur}")
    assert await trips(engine, dm.cmd(f"vraag {colour.kleur}")) == 3
    assert "opnieuw gevuld" in text_of(dm.last)
