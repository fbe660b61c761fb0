"""What an answer in a private reflection costs in round trips, on both backends: the button
(or the question that waits, for a typed answer), the run with its answers so far and the
question that waits, and the answer stored with the run moved on, the question moved on and
the next question's buttons with its way back and out (one statement). The steering's Terug
and Stop go to the question this event left waiting, without reading it back, and were made as
it moved there. And an answer in a persoonlijk plan."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core.engine import Engine
from bot.core.storage import open_database
from bot.tools.reflectie import reflectie
from bot.tools.reflectie.store.reflecties import steps
from tests.conftest import CONTENT, Chat, FakeClock, overtaken, text_of, trips
from tests.postgres_server import new_schema, waiting_for_a_lock
from tests.tools.reflectie.helpers import answer, dm, fill_in, start, tool_label, written


async def started(engine: Engine) -> Chat:
    """Wietske at the first question of a reflection in her DM."""
    chat = dm(engine, "Wietske")
    await chat.cmd("reflectie", who="Wietske")
    await chat.press(tool_label(CONTENT.reflectoren.get("voel-ik-me-eenzaam")), who="Wietske")
    return chat


async def test_an_answer_by_button(engine: Engine) -> None:
    chat = await started(engine)
    first = chat.last[-1].buttons[0].label
    pressed = await trips(engine, chat.press(first, who="Wietske"))
    assert {"◀ Terug", "Stop"} <= {b.label for b in chat.last[-1].buttons}
    assert pressed == 3


async def test_what_an_event_left_waiting_is_not_taken_for_known_in_the_next(
    engine: Engine, clock: FakeClock
) -> None:
    """After the question's wait is over, a typed letter is no answer: the next event reads
    what waits instead of trusting what the last one left."""
    chat = await started(engine)
    clock.advance(minutes=31)
    await chat.text("A", who="Wietske")
    assert await engine.db.scalar("SELECT COUNT(*) FROM reflectie_antwoorden") == 0


async def test_an_answer_typed(engine: Engine) -> None:
    """A typed answer reads what waits first; closing an earlier pause (after words of
    distress, which held the person's text) travels with the next statement."""
    chat = await started(engine)
    typed = await trips(engine, chat.text("A", who="Wietske"))
    assert await engine.db.scalar("SELECT COUNT(*) FROM reflectie_antwoorden") == 1
    assert typed == 3


async def test_back_by_button_and_typed(engine: Engine) -> None:
    """◀ Terug: the button with the question that waits, the run with its answers, then the
    step back with the earlier question's move and buttons (one statement); typed "terug"
    the same, the question that waits read first."""
    chat = await started(engine)
    first = chat.last[-1].buttons[0].label
    await chat.press(first, who="Wietske")
    assert await trips(engine, chat.press("◀ Terug", who="Wietske")) == 3
    again = text_of(chat.last)
    assert "Je antwoordde" in again and "◀ Terug" not in {b.label for b in chat.last[-1].buttons}
    await chat.press(first, who="Wietske")
    assert await trips(engine, chat.text("terug", who="Wietske")) == 3
    assert "Je antwoordde" in text_of(chat.last)
    position = await engine.db.scalar("SELECT position FROM reflecties")
    data = json.loads(str(await engine.db.scalar("SELECT data FROM flows WHERE status = 'open'")))
    assert position == data["p"] == 0


async def test_going_on_later_reads_the_run_once(engine: Engine) -> None:
    """ "Verder" from the menu: the button, the run with its answers and its question, then the
    question asked again."""
    chat = await started(engine)
    await chat.press(chat.last[-1].buttons[0].label, who="Wietske")
    menu = await chat.cmd("reflectie", who="Wietske")
    tool = CONTENT.reflectoren.get("voel-ik-me-eenzaam")
    resumed = trips(engine, chat.press(f"Verder: {tool.titel}", who="Wietske", replies=menu))
    assert await resumed == 3
    assert "We gaan verder waar je was" in text_of(chat.last) and "2 van" in text_of(chat.last)


async def test_back_overtaken_by_an_answer_moves_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ◀ Terug that read the run before an answer moved it on steps back nowhere: the
    question that waits stays the one the answer asked, not the one the step back made."""
    chat = await started(engine)
    tool = CONTENT.reflectoren.get("voel-ik-me-eenzaam")
    await chat.press(chat.last[-1].buttons[0].label, who="Wietske")
    second = chat.last
    late, _ = await overtaken(
        monkeypatch,
        reflectie,
        "ask",
        chat.press("◀ Terug", who="Wietske", replies=second),
        lambda: answer(chat, tool, steps(tool)[1], who="Wietske"),
    )
    assert "al voorbij" in text_of(late)
    position = await engine.db.scalar("SELECT position FROM reflecties")
    data = json.loads(str(await engine.db.scalar("SELECT data FROM flows WHERE status = 'open'")))
    assert position == data["p"] == 2


async def test_an_answer_in_a_persoonlijk_plan(engine: Engine) -> None:
    """The question that waits, the draft, and the answer (written only while its question is
    the draft's next) with the question moved on: the draft is not read back, nor the
    question."""
    chat = dm(engine, "Wietske")
    await chat.cmd("plan", who="Wietske")
    for typed, asked in (("Naar de buurtkoffie", "eerste stappen"), ("Vragen", "helpen")):
        assert await trips(engine, chat.text(typed, who="Wietske")) == 3
        assert asked in text_of(chat.last)
    row = await engine.db.one("SELECT goal, steps FROM persoonlijke_plannen")
    assert row is not None and (row["goal"], row["steps"]) == ("Naar de buurtkoffie", "Vragen")


async def test_a_persoonlijk_plan_started_and_finished(engine: Engine) -> None:
    """The start: the person's plans (with the withdrawn questions), then the new draft (an id
    the process made) with its question. The end: the reminder, written only while the plan
    is still the draft, and the question's end go with the plan's completion."""
    chat = dm(engine, "Wietske")
    await chat.cmd("hulp", who="Wietske")
    assert await trips(engine, chat.cmd("plan", who="Wietske")) == 3
    for typed in ("Naar de buurtkoffie", "Vragen", "Mijn zus"):
        await chat.text(typed, who="Wietske")
    assert await trips(engine, chat.text("20-03", who="Wietske")) == 3
    assert "Je persoonlijk plan staat klaar" in text_of(chat.last)
    row = await engine.db.one(
        "SELECT p.status, p.look_back, r.kind, r.status AS reminder FROM persoonlijke_plannen p"
        " JOIN herinneringen r ON r.id = p.reminder_id"
    )
    assert row is not None
    assert (row["status"], row["look_back"], row["kind"], row["reminder"]) == (
        "done",
        "2026-03-20",
        "plan",
        "active",
    )


async def test_a_tool_started(engine: Engine) -> None:
    """The button, the person's open runs, then the new run (with an id the process made)
    with its question's flow (the earlier question of the tool closed and the new one written,
    both only where the run lands) and the buttons, in one statement."""
    chat = dm(engine, "Wietske")
    await chat.cmd("reflectie", who="Wietske")
    tool = CONTENT.reflectoren.get("voel-ik-me-eenzaam")
    started = await trips(engine, chat.press(tool_label(tool), who="Wietske"))
    assert "1 van 11" in text_of(chat.last)
    assert started == 3
    # the question waits for a typed answer: the flow landed with the run
    assert "2 van 11" in text_of(await chat.text("A", who="Wietske"))


async def test_a_tool_started_at_once_on_two_processes_is_started_once(
    postgres_server: str, clock: FakeClock
) -> None:
    """The other process starts the same tool for her first (its run and its question not yet
    committed). Ours meets that run when it is committed and stores nothing: not its run, not
    its question's flow, and it does not close the question of another tool she was at."""
    target = await new_schema(postgres_server)
    engine = await Engine.open(target, CONTENT, clock=clock)
    theirs, watcher = [await open_database(target) for _ in range(2)]
    chat = dm(engine, "Wietske")
    listing = await chat.cmd("reflectie", who="Wietske")
    other = tool_label(CONTENT.reflectoren.get("bekend-besluiten-bereiken"))
    await chat.press(other, who="Wietske")  # her question of that tool waits
    earlier = await engine.db.scalar("SELECT id FROM flows WHERE kind = 'reflectie'")
    tool = CONTENT.reflectoren.get("voel-ik-me-eenzaam")
    user = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'wietske'")
    conversation = await engine.db.scalar("SELECT id FROM conversations")
    async with theirs.transaction():
        run = theirs.new_id()
        await theirs.execute(
            "INSERT INTO reflecties (id, user_id, tool, started_at, updated_at)"
            " VALUES (?, ?, ?, 'now', 'now')",
            (run, user, tool.id),
        )
        await theirs.execute(
            "INSERT INTO flows (id, conversation_id, user_id, kind, step, data, created_at,"
            " updated_at) VALUES (?, ?, ?, 'reflectie', 'ask', ?, 'now', 'now')",
            (theirs.new_id(), conversation, user, f'{{"r": {run}, "p": 0}}'),
        )
        ours = asyncio.ensure_future(chat.press(tool_label(tool), "Wietske", listing))
        await waiting_for_a_lock(watcher)
    assert "net al begonnen" in text_of(await asyncio.wait_for(ours, 10))
    assert await engine.db.scalar("SELECT COUNT(*) FROM reflecties WHERE tool = ?", (tool.id,)) == 1
    rows = await engine.db.all(
        "SELECT id, data, status FROM flows WHERE kind = 'reflectie' AND id <> ?", (earlier,)
    )
    assert [(json.loads(r["data"])["r"], r["status"]) for r in rows] == [(run, "open")]
    assert await engine.db.scalar("SELECT status FROM flows WHERE id = ?", (earlier,)) == "open"
    await theirs.close()
    await watcher.close()
    await engine.close()


async def test_the_last_answer_with_the_summary_the_changes_and_the_chart(
    engine: Engine, clock: FakeClock
) -> None:
    """At a tool's last question its finished runs are read with the run, so the summary, what
    changed and the chart need no read after the answer, and the question's end lands with
    the answer (`Reflecties.still_at`): three trips, pressed or typed (before: six to eleven,
    a read per earlier run)."""
    eenzaam = CONTENT.reflectoren.get("voel-ik-me-eenzaam")
    chat = dm(engine, "Wietske")
    for _ in range(2):
        await fill_in(chat, eenzaam, who="Wietske")
        clock.advance(days=30)
    await start(chat, eenzaam, who="Wietske")
    *before, last = steps(eenzaam)
    for step in before:
        await answer(chat, eenzaam, step, who="Wietske")
    pressed = chat.last[-1].buttons[0].label
    assert await trips(engine, chat.press(pressed, who="Wietske")) == 3
    summary, changes, chart = chat.last
    assert "Klaar, alles is bewaard" in summary.plain and "anders" in changes.plain
    assert chart.attachment is not None and chart.attachment.picture
    assert await engine.db.scalar("SELECT COUNT(*) FROM flows WHERE status = 'open'") == 0

    bekend = CONTENT.reflectoren.get("bekend-besluiten-bereiken")
    await fill_in(chat, bekend, who="Wietske")
    await start(chat, bekend, who="Wietske")
    *before, last = steps(bekend)
    for step in before:
        await answer(chat, bekend, step, who="Wietske")
    assert await trips(engine, chat.text(written(bekend, last), who="Wietske")) == 3
    assert "Klaar, alles is bewaard" in text_of(chat.last) and len(chat.last) == 2
    assert await engine.db.scalar("SELECT COUNT(*) FROM flows WHERE status = 'open'") == 0
