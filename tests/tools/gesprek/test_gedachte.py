"""`gedachte`: own thoughts, weekly reminders, the list with change / stop / delete, bad input,
a button pressed twice or two at the same moment, a reminder whose thought was deleted, and
what a choice costs in round trips."""

from __future__ import annotations

import asyncio

import pytest

from bot.core import flows
from bot.core.engine import Engine
from bot.core.storage import open_database
from bot.timed.herinneringen import Herinneringen
from bot.tools.gesprek.store.gedachten import GekozenGedachten
from tests.conftest import Chat, Post, overtaken, text_of, trips, utc
from tests.postgres_server import new_schema, waiting_for_a_lock

FIRST_BLOCKING = "1. Ik vind het onderwerp confronterend voor mezelf."
SECOND_BLOCKING = "2. Ik ben bang dat de ander mij bemoeizuchtig vindt."
HELPING = "6. Alleen al aandacht geven helpt."


async def choose(dm: Chat, helping: str = HELPING) -> None:
    await dm.cmd("gedachte nieuw")
    await dm.press(FIRST_BLOCKING)
    await dm.press(helping)


async def reminders(engine: Engine) -> list[tuple[str, str | None, str]]:
    rows = await engine.db.all(
        "SELECT due_at, recurrence, status FROM herinneringen WHERE kind = 'gedachte' ORDER BY id"
    )
    return [(r["due_at"], r["recurrence"], r["status"]) for r in rows]


async def test_own_thoughts_and_a_weekly_reminder(engine: Engine, dm: Chat, post: Post) -> None:
    await dm.cmd("gedachte")
    assert "Typ de belemmerende gedachte" in text_of(await dm.press("Zelf een gedachte schrijven"))
    assert "leeg antwoord" in text_of(await dm.text("   "))
    assert "te lang" in text_of(await dm.text("x" * 301))
    text = text_of(await dm.text("Ik weet niet wat ik moet zeggen."))
    assert "Je herkent: Ik weet niet wat ik moet zeggen." in text
    await dm.press("Zelf een gedachte schrijven")
    await dm.text("Luisteren is al genoeg.")
    await dm.press("Elke week, zelf kiezen")
    assert "dag(en) en het uur" in text_of(await dm.text("blauwdag 9:00"))
    text = text_of(await dm.text("elke dinsdag en vrijdag om 8u30"))
    assert "elke dinsdag en vrijdag om 08:30; de eerste keer op dinsdag 3 maart om 08:30" in text
    assert await reminders(engine) == [("2026-03-03T07:30:00+00:00", "weekly:1,4:08:30", "active")]

    post.clock.set(utc(2026, 3, 3, 7, 30))
    [first] = await post.tick()
    assert "Luisteren is al genoeg." in first.reply.plain
    post.clock.set(utc(2026, 3, 6, 7, 30))
    [second] = await post.tick()
    assert second.reply.plain.startswith("💡 Je helpende gedachte")

    listing = text_of(await dm.cmd("gedachte"))
    assert "Luisteren is al genoeg." in listing
    assert "bij: Ik weet niet wat ik moet zeggen." in listing
    assert "herinnering: elke dinsdag en vrijdag om 08:30" in listing


async def test_change_stop_and_delete_from_the_list(engine: Engine, dm: Chat) -> None:
    await choose(dm)
    await dm.press("Elke maandag om 9:00")
    await choose(dm, "2. Ik hoef het niet op te lossen.")
    await dm.press("Geen herinnering")
    listing = await dm.cmd("gedachte")
    text = text_of(listing)
    assert "Je helpende gedachten (2)" in text and "herinnering: geen herinnering" in text
    assert [b.label for b in listing[0].buttons] == [
        "1: herinnering wijzigen",
        "1: herinnering stoppen",
        "1: verwijderen",
        "2: herinnering wijzigen",
        "2: verwijderen",
        "Nieuwe gedachte kiezen",
    ]

    await dm.press("1: herinnering wijzigen", replies=listing)
    await dm.press("Eén keer, voor een gesprek")
    assert "ligt in het verleden" in text_of(await dm.text("gisteren 9:00"))
    assert "kan ik niet lezen" in text_of(await dm.text("ooit eens"))
    assert "maandag 9 maart om 09:00" in text_of(await dm.text("9 maart"))
    assert [s for _, _, s in await reminders(engine)] == ["cancelled", "active"]

    assert "gestopt" in text_of(await dm.press("1: herinnering stoppen", replies=listing))
    assert "geen herinnering meer" in text_of(
        await dm.press("1: herinnering stoppen", replies=listing)
    )
    assert "verwijderd" in text_of(await dm.press("2: verwijderen", replies=listing))
    assert "bestaat niet meer" in text_of(await dm.press("2: verwijderen", replies=listing))
    assert "Je helpende gedachten (1)" in text_of(await dm.cmd("gedachte"))


async def test_a_button_pressed_twice_stores_once(engine: Engine, dm: Chat) -> None:
    first = await dm.cmd("gedachte")
    await dm.press(FIRST_BLOCKING, replies=first)
    again = text_of(
        await dm.press("2. Ik ben bang dat de ander mij bemoeizuchtig vindt.", replies=first)
    )
    assert "al gekozen" in again
    await dm.cmd("gedachte nieuw")
    step = await dm.press(FIRST_BLOCKING)
    await dm.press(HELPING, replies=step)
    assert "al bewaard" in text_of(await dm.press(HELPING, replies=step))
    rows = await engine.db.all("SELECT status FROM gedachten ORDER BY id")
    assert [r["status"] for r in rows] == ["concept", "actief"]


async def test_reminder_of_a_deleted_thought(engine: Engine, dm: Chat, post: Post) -> None:
    await choose(dm)
    await dm.press("Elke maandag om 9:00")
    await engine.db.execute("DELETE FROM gedachten")
    post.clock.set(utc(2026, 3, 9, 8, 0))
    [sent] = await post.tick()
    assert "hoorde bij een helpende gedachte die niet meer bestaat" in sent.reply.plain
    assert [s for _, _, s in await reminders(engine)] == ["cancelled"]
    post.clock.set(utc(2026, 3, 16, 8, 0))
    assert await post.tick() == []


async def test_started_from_a_group(engine: Engine, dm: Chat) -> None:
    group = Chat(engine, "team")
    replies = await group.cmd("gedachte", who="Sam", admin=False)
    here, private = replies
    assert here.audience.value == "quiet" and "privé" in here.plain
    assert private.audience.value == "dm" and private.buttons == ()
    assert "Typ gedachte om te beginnen" in private.plain

    await dm.cmd("hulp")  # An's DM is known now
    here, private = await group.cmd("gedachte")
    assert private.audience.value == "dm" and "Belemmerende gedachten" in private.plain
    text = text_of(await dm.press(FIRST_BLOCKING, replies=[private]))
    assert "Helpende gedachten" in text


async def test_another_user_cannot_see_or_press(engine: Engine, dm: Chat) -> None:
    await choose(dm)
    listing = await dm.cmd("gedachte")
    assert "voor iemand anders" in text_of(
        await dm.press("1: verwijderen", who="Sam", replies=listing)
    )
    sam = Chat(engine, "dm-sam", group=False)
    assert "Belemmerende gedachten" in text_of(await sam.cmd("gedachte", who="Sam"))
    assert "Alleen al aandacht geven helpt." not in text_of(sam.last)


async def thoughts(engine: Engine) -> list[tuple[str | None, str | None, str | None, str]]:
    rows = await engine.db.all(
        "SELECT belemmerend_id, belemmerend_eigen, helpend_id, status FROM gedachten ORDER BY id"
    )
    return [
        (r["belemmerend_id"], r["belemmerend_eigen"], r["helpend_id"], r["status"]) for r in rows
    ]


def labels(dm: Chat) -> list[str]:
    return [b.label for r in dm.last for b in r.buttons]


async def test_back_from_the_helping_list_shows_the_blocking_thought_chosen(
    engine: Engine, dm: Chat
) -> None:
    blocking_list = await dm.cmd("gedachte nieuw")
    assert "Stop" in labels(dm) and "◀ Terug" not in labels(dm)  # the first question
    assert "eerste vraag" in text_of(await dm.text("terug"))
    await dm.press(FIRST_BLOCKING, replies=blocking_list)
    assert "◀ Terug" in labels(dm)
    again = text_of(await dm.text("vorige"))
    assert "Je antwoordde: Ik vind het onderwerp confronterend voor mezelf." in again
    assert "Houden: Ik vind het onderwerp confronterend voor mezelf." in labels(dm)
    assert "Je antwoordde: Ik vind het onderwerp confronterend voor mezelf. Kies" in again
    assert labels(dm).count("Stop") == 1 and "◀ Terug" not in labels(dm)
    await dm.press("2. Ik ben bang dat de ander mij bemoeizuchtig vindt.")
    assert "Je herkent: Ik ben bang dat de ander mij bemoeizuchtig vindt." in text_of(dm.last)
    await dm.press(HELPING)
    assert await thoughts(engine) == [("b2", None, "h6", "actief")]  # one thought, changed


async def test_back_from_typing_your_own_and_a_typed_number(engine: Engine, dm: Chat) -> None:
    blocking_list = await dm.cmd("gedachte nieuw")
    await dm.text("Ik durf het niet te vragen.")
    assert "typ haar nummer" in text_of(dm.last)  # a text at the list is no choice
    await dm.press("Zelf een gedachte schrijven", replies=blocking_list)
    back = text_of(await dm.press("◀ Terug"))
    assert "Zelf een gedachte schrijven" in labels(dm) and "Je antwoordde" not in back
    assert labels(dm).count("Stop") == 1  # pressed or typed, one way out
    await dm.press("Zelf een gedachte schrijven")
    await dm.text("Ik durf het niet te vragen.")
    await dm.press("Zelf een gedachte schrijven")
    helping_again = text_of(await dm.text("terug"))
    assert "Je herkent: Ik durf het niet te vragen." in helping_again
    again = text_of(await dm.text("terug"))
    assert "Je antwoordde: Ik durf het niet te vragen." in again
    await dm.press("Houden: Ik durf het niet te vragen.")
    await dm.text("6")
    assert "Je helpende gedachte is bewaard" in text_of(dm.last)
    assert await thoughts(engine) == [(None, "Ik durf het niet te vragen.", "h6", "actief")]


async def test_a_reminder_changed_and_stopped_in_three_round_trips_each(
    engine: Engine, dm: Chat
) -> None:
    """The thought is read with the person's reminders; the earlier reminder is stopped in the
    statement that writes the new one (a typed moment: only while its question waits, with
    the question's end), without a transaction. A press that sets one has no question to
    guard it: its writes land only where the thought's count of reminder changes is still the
    one read, counted up in that statement."""
    await choose(dm)
    assert await trips(engine, dm.press("Elke maandag om 9:00")) == 3
    listing = await dm.cmd("gedachte")
    await dm.press("1: herinnering wijzigen", replies=listing)
    await dm.press("Eén keer, voor een gesprek")
    assert await trips(engine, dm.text("9 maart")) == 3
    assert "maandag 9 maart om 09:00" in text_of(dm.last)
    assert [s for _, _, s in await reminders(engine)] == ["cancelled", "active"]
    assert await trips(engine, dm.press("1: herinnering stoppen", replies=listing)) == 3
    assert [s for _, _, s in await reminders(engine)] == ["cancelled", "cancelled"]


async def test_two_presses_of_every_monday_at_once_write_one_reminder(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The press that read first is written last: the thought's reminders changed since, so
    neither its reminder nor the stop of the earlier one lands (the same button twice, as a
    double tap on two processes)."""
    await choose(dm)
    await dm.press("Elke maandag om 9:00")
    listing = await dm.cmd("gedachte")
    when = await dm.press("1: herinnering wijzigen", replies=listing)
    late, first = await overtaken(
        monkeypatch,
        Herinneringen,
        "cancel_where",
        dm.press("Elke maandag om 9:00", replies=when),
        lambda: dm.press("Elke maandag om 9:00", replies=when),
    )
    assert "intussen al gewijzigd" in text_of(late)
    assert "Ik herinner je aan je helpende gedachte" in text_of(first)
    assert [s for _, _, s in await reminders(engine)] == ["cancelled", "active"]
    again = await dm.press("Elke maandag om 9:00", replies=when)
    assert "Ik herinner je aan je helpende gedachte" in text_of(again)
    assert [s for _, _, s in await reminders(engine)] == ["cancelled", "cancelled", "active"]


async def test_two_moments_typed_at_once_keep_one_reminder(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer that read first is written last: its question has been answered, so neither
    its reminder nor the stop of the earlier one lands."""
    await choose(dm)
    await dm.press("Elke maandag om 9:00")
    listing = await dm.cmd("gedachte")
    await dm.press("1: herinnering wijzigen", replies=listing)
    await dm.press("Eén keer, voor een gesprek")
    late, second = await overtaken(
        monkeypatch,
        Herinneringen,
        "cancel_where",
        dm.text("9 maart"),
        lambda: dm.text("10 maart"),
    )
    assert "al ingesteld" in text_of(late) and "dinsdag 10 maart om 09:00" in text_of(second)
    stored = await reminders(engine)
    assert [s for _, _, s in stored] == ["cancelled", "active"]
    assert stored[1][0].startswith("2026-03-10")


async def test_back_from_the_moment_to_the_choice_of_reminder(engine: Engine, dm: Chat) -> None:
    await choose(dm)
    await dm.press("Eén keer, voor een gesprek")
    # the question that waits; the thought; the move with the choice's buttons
    assert await trips(engine, dm.text("terug")) == 3
    again = text_of(dm.last)
    assert "Je antwoordde: Eén keer, voor een gesprek" in again
    assert "Hoe wil je eraan herinnerd worden?" in again
    await dm.press("Elke maandag om 9:00")
    assert [r[1] for r in await reminders(engine)] == ["weekly:0:09:00"]


async def test_stop_after_back_keeps_the_blocking_thought(engine: Engine, dm: Chat) -> None:
    await dm.cmd("gedachte nieuw")
    await dm.press(FIRST_BLOCKING)
    helping_list = dm.last
    await dm.press("Zelf een gedachte schrijven")
    await dm.text("terug")
    stopped = text_of(await dm.press("Stop"))
    assert "we stoppen hier voor nu met je gedachte" in stopped and "gedachte nieuw" in stopped
    assert await thoughts(engine) == [("b1", None, None, "concept")]
    assert "terug" not in str(await thoughts(engine)) and "stop" not in str(await thoughts(engine))
    late = text_of(await dm.press(HELPING, replies=helping_list))
    assert "gestopt" in late and "gedachte nieuw" in late
    assert await thoughts(engine) == [("b1", None, None, "concept")]


async def test_the_list_still_works_after_another_command(engine: Engine, dm: Chat) -> None:
    blocking_list = await dm.cmd("gedachte nieuw")
    await dm.cmd("herinneringen")  # withdraws the waiting question
    # the button with its flow; the flow taken up again (one statement); the choice
    assert await trips(engine, dm.press(FIRST_BLOCKING, replies=blocking_list)) == 3
    chosen = text_of(dm.last)
    assert "Je herkent: Ik vind het onderwerp confronterend voor mezelf." in chosen
    assert "◀ Terug" in labels(dm)
    chosen_replies = dm.last
    again = text_of(await dm.press(SECOND_BLOCKING, replies=blocking_list))
    assert "al gekozen" in again  # taken up once: the list's second press changes nothing
    dm.last = chosen_replies
    await dm.press(HELPING)
    assert await thoughts(engine) == [("b1", None, "h6", "actief")]


@pytest.mark.parametrize(
    ("owner", "held"), [(flows, "find"), (GekozenGedachten, "start")], ids=["read", "written"]
)
async def test_two_blocking_thoughts_chosen_at_once_keep_one(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch, owner: object, held: str
) -> None:
    """The press that read the list first (or wrote its thought first) moves last: its thought
    is not kept, nor left behind as a concept nobody can reach."""
    listed = await dm.cmd("gedachte nieuw")
    late, second = await overtaken(
        monkeypatch,
        owner,  # type: ignore[arg-type]
        held,
        dm.press(FIRST_BLOCKING, replies=listed),
        lambda: dm.press(SECOND_BLOCKING, replies=listed),
    )
    assert "Je herkent" in text_of(second) and "al gekozen" in text_of(late)
    rows = await engine.db.all("SELECT belemmerend_id, status FROM gedachten")
    assert [(r["belemmerend_id"], r["status"]) for r in rows] == [("b2", "concept")]


async def test_two_helping_thoughts_chosen_at_once_keep_one(
    engine: Engine, dm: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await dm.cmd("gedachte nieuw")
    listed = await dm.press(FIRST_BLOCKING)
    late, second = await overtaken(
        monkeypatch,
        flows,
        "find",
        dm.press(HELPING, replies=listed),
        lambda: dm.press("7. Ongemakkelijke gevoelens horen er soms bij.", replies=listed),
    )
    assert "is bewaard" in text_of(second) and "al bewaard" in text_of(late)
    rows = await engine.db.all("SELECT helpend_id, status FROM gedachten")
    assert [(r["helpend_id"], r["status"]) for r in rows] == [("h7", "actief")]


async def test_a_choice_costs_few_round_trips(engine: Engine, dm: Chat) -> None:
    """The button with its flow, and the choice written with the move and the next buttons in
    one statement; a new thought's row too, with an id the process made."""
    await dm.cmd("gedachte nieuw")
    assert await trips(engine, dm.press(FIRST_BLOCKING)) == 2
    # the blocking list again, now with a concept to change: the button with its flow, the
    # thought, and the move with the list's buttons
    assert await trips(engine, dm.press("◀ Terug")) == 3
    assert await trips(engine, dm.press(SECOND_BLOCKING)) == 2
    assert "Je herkent" in text_of(dm.last)
    assert await trips(engine, dm.press(HELPING)) == 2  # and none waits after it: not read
    assert "is bewaard" in text_of(dm.last)


async def test_a_choice_that_ends_its_flow_offers_no_way_back_into_another_question(
    engine: Engine, dm: Chat
) -> None:
    """A helping thought chosen on an earlier list while a record's question waits: the reply
    is about the thought, so it gets no ◀ Terug or Stop of that other question."""
    await dm.cmd("gedachte nieuw")
    listed = await dm.press(FIRST_BLOCKING)
    asked = await dm.cmd("gesprek verslag")
    assert {"◀ Terug", "Stop"} & {b.label for r in asked for b in r.buttons}
    saved = await dm.press(HELPING, replies=listed)
    assert "is bewaard" in text_of(saved)
    labels = {b.label for r in saved for b in r.buttons}
    assert labels and not {"◀ Terug", "Stop", "Stop hier"} & labels


async def test_choices_after_going_back_are_stored_even_if_the_thought_was_already_kept(
    engine: Engine, dm: Chat
) -> None:
    """On PostgreSQL a helping choice and a ◀ Terug at the same moment can leave the thought
    kept while the list went back (the choice's write saw the list still waiting, its move did
    not land). The choices made on that list after it must still be stored, not be refused
    because the thought is no longer a concept."""
    await dm.cmd("gedachte nieuw")
    await dm.press(FIRST_BLOCKING)
    await dm.press("◀ Terug")
    await engine.db.execute("UPDATE gedachten SET helpend_id = 'h6', status = 'actief'")
    assert "Je herkent" in text_of(await dm.press(SECOND_BLOCKING))
    assert "is bewaard" in text_of(await dm.press("7. Ongemakkelijke gevoelens horen er soms bij."))
    rows = await engine.db.all("SELECT belemmerend_id, helpend_id, status FROM gedachten")
    assert [tuple(r) for r in rows] == [("b2", "h7", "actief")]


async def test_the_list_reads_the_thoughts_and_their_reminders_together(
    engine: Engine, dm: Chat
) -> None:
    """What waits, the thoughts with their reminders in one read, and the list's buttons."""
    await choose(dm)
    await dm.press("Elke maandag om 9:00")
    assert await trips(engine, dm.cmd("gedachte")) == 3
    shown = text_of(dm.last)
    assert "Je helpende gedachten (1)" in shown and "Alleen al aandacht geven helpt." in shown
    assert "maandag" in shown.split("herinnering:")[1]


async def test_every_monday_pressed_at_once_on_two_processes_writes_one_reminder(
    postgres_server: str,
) -> None:
    """The other process counts the thought's reminder changes up first (not yet committed);
    ours waits on that row, finds the count moved on, and its reminder does not land."""
    target = await new_schema(postgres_server)
    mine, theirs, watcher = [await open_database(target) for _ in range(3)]
    user = await mine.scalar(
        "INSERT INTO users (platform, workspace_id, external_id, display_name, created_at)"
        " VALUES ('t', 'w', 'u', 'Bo', 'now') RETURNING id"
    )
    await mine.execute(
        "INSERT INTO gedachten (id, user_id, belemmerend_id, helpend_id, status, created_at,"
        " updated_at) VALUES (7, ?, 'b1', 'h6', 'actief', 'now', 'now')",
        (user,),
    )
    thought = await GekozenGedachten(mine).get(user, 7)
    assert thought is not None and thought.reminder_version == 0
    now = utc(2026, 3, 2, 8, 0)

    async def press() -> bool:
        async with mine.unit():
            await Herinneringen(mine).create(
                user,
                None,
                "gedachte",
                "Helpende gedachte",
                now,
                now,
                payload={"g": 7},
                only=GekozenGedachten.unchanged(thought),
            )
            return await GekozenGedachten(mine).reminder_changed(thought)

    async with theirs.transaction():
        assert await GekozenGedachten(theirs).reminder_changed(thought)
        ours = asyncio.ensure_future(press())
        await waiting_for_a_lock(watcher)
    assert not await asyncio.wait_for(ours, 10)
    assert await mine.scalar("SELECT COUNT(*) FROM herinneringen") == 0
    assert await mine.scalar("SELECT reminder_version FROM gedachten") == 1
    for db in (mine, theirs, watcher):
        await db.close()
