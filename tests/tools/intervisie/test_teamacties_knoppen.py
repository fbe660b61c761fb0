"""Team actions by buttons: an owner outside the chat, closed from the list and from the
reminder, with members refused and stale or forged presses doing nothing twice."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.core import buttons
from bot.core.engine import Engine
from bot.core.events import ButtonPress
from bot.core.replies import Reply
from bot.core.storage import Database
from bot.timed.herinneringen import Herinneringen
from bot.tools.intervisie.store.teamacties import Teamacties
from tests.conftest import Chat, Setup, overtaken, text_of, trips, utc
from tests.postgres_server import two_processes, waiting_for_a_lock
from tests.tools.intervisie.conftest import count, team


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.buttons]


async def test_the_owner_choice_typed_as_its_number_or_its_words(engine: Engine) -> None:
    """The console numbers its buttons; someone may type the words: both choose, no loop."""
    chat = await team(engine)
    await chat.cmd("acties team nieuw")
    await chat.text("De buurt verkennen")
    asked = await chat.text("2")
    assert "Wie buiten de groep doet het?" in text_of(asked) and asked[0].expects_text
    assert "Tegen wanneer" in text_of(await chat.text("de huisarts"))
    await chat.text("terug")
    asked = await chat.text("Iemand van het team.")
    assert "Wie van het team doet het? Noem die met @naam." in text_of(asked)
    await chat.text("terug")
    assert "Kies eerst met een knop" in text_of(await chat.text("3"))  # no such button


async def test_an_owner_outside_the_chat_step_by_step_then_closed_from_the_list(
    engine: Engine,
) -> None:
    chat = await team(engine)
    await chat.cmd("acties team nieuw")
    asked = await chat.text("De buurt verkennen met de wijkagent")
    assert labels(asked) == ["Iemand van het team", "Iemand buiten de groep"]
    assert "Kies eerst met een knop" in text_of(await chat.text("de wijkagent"))
    asked = await chat.press("Iemand buiten de groep")
    assert "Wie buiten de groep doet het?" in text_of(asked) and asked[0].expects_text
    assert "Tegen wanneer (tijdsplanning) doet de wijkagent dit?" in text_of(
        await chat.text("de wijkagent")
    )
    done = text_of(await chat.text("20-03-2026"))
    assert (
        "Actie-eigenaar: de wijkagent (buiten de groep) · tijdsplanning: vrijdag 20 maart" in done
    )
    assert (
        "An, je krijgt op donderdag 19 maart om 09:00 de herinnering in een privébericht, "
        "in de plaats van de wijkagent." in done
    )
    assert (
        await engine.db.scalar(
            "SELECT u.display_name FROM herinneringen h JOIN users u ON u.id = h.user_id"
        )
        == "An"
    )

    listing = await chat.cmd("acties team")
    assert "eigenaar: de wijkagent (herinnering naar An), tegen 20 maart, nog open" in text_of(
        listing
    )
    assert labels(listing) == ["1: gedaan", "1: nog bezig", "1: geschrapt", "1: uitkomst"]
    refused = text_of(await chat.press("1: gedaan", who="Cas", replies=listing))
    assert "Alleen wie de herinnering krijgt voor de wijkagent (An) of een coördinator" in refused
    busy = await chat.press("1: nog bezig", replies=listing)
    assert busy[0].replaces and "⏳ Actie 1 staat op nog bezig." in text_of(busy)
    assert labels(busy) == ["1: gedaan", "1: geschrapt", "1: uitkomst"]
    again = await chat.press("1: nog bezig", replies=listing)  # the old list, pressed twice
    assert "stond al op nog bezig: er is niets veranderd" in text_of(again)
    closed = await chat.press("1: gedaan", replies=busy)
    assert "✅ Actie 1 staat op gedaan." in text_of(closed)
    assert labels(closed) == ["1: uitkomst"]
    await chat.press("1: uitkomst", replies=closed)
    assert "Genoteerd bij actie 1" in text_of(await chat.text("Twee buurtbewoners aangesproken."))
    assert labels(await chat.cmd("acties team")) == []
    assert await count(engine, "herinneringen WHERE status = 'active'") == 0


async def test_back_and_stop_in_the_entry(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("acties team nieuw")
    await chat.text("Flyers ophalen")
    back = text_of(await chat.text("terug"))
    assert "Je schreef: Flyers ophalen" in back
    await chat.text("Flyers ophalen bij het OCMW")
    await chat.press("Iemand van het team")
    await chat.text("@dee")
    assert "Wie is de actie-eigenaar" in text_of(await chat.text("vorige"))
    assert "Verder gaan kan later met acties team nieuw" in text_of(await chat.text("stop"))
    assert await count(engine, "teamacties") == 0


async def test_one_line_unknown_name_is_offered_as_outside_and_confirmed_once(
    engine: Engine,
) -> None:
    chat = await team(engine)
    offer = await chat.cmd("acties team nieuw Huisbezoek plannen @de huisarts volgende dinsdag")
    text = text_of(offer)
    assert (
        "Ik ken @de huisarts niet als lid van dit gesprek. Is de huisarts iemand buiten de "
        "groep" in text
    )
    assert "tijdsplanning: dinsdag 3 maart" in text
    assert labels(offer) == ["Ja, de huisarts (buiten de groep)"]
    assert await count(engine, "teamacties") == 0
    assert "anders bedoeld" in text_of(
        await chat.press("Ja, de huisarts (buiten de groep)", who="Cas", replies=offer)
    )
    added = await chat.press("Ja, de huisarts (buiten de groep)", replies=offer)
    assert added[0].replaces and "Actie-eigenaar: de huisarts (buiten de groep)" in text_of(added)
    twice = await chat.press("Ja, de huisarts (buiten de groep)", replies=offer)
    assert "al toegevoegd" in text_of(twice)
    assert await count(engine, "teamacties") == 1
    offer = await chat.cmd("acties team nieuw Buurt verkennen @de_wijkagent 20-03-2026")
    assert "Is de wijkagent iemand buiten de groep" in text_of(offer)
    for line, expected in (
        ("acties team nieuw Bellen @zed gisteren", "in het verleden"),
        ("acties team nieuw Bellen @zed", "ik mis de datum"),
        ("acties team nieuw Bellen @" + "x" * 90 + " 20-03-2026", "te lang"),
    ):
        assert expected in text_of(await chat.cmd(line)), line
    assert "Alleen coördinatoren" in text_of(
        await chat.cmd("acties team nieuw Bellen @zed 20-03-2026", who="Cas")
    )
    assert await count(engine, "teamacties") == 1


async def test_reminders_carry_buttons_also_before_the_dm_is_known(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await team(engine)
    await Chat(engine, "dm-dee", group=False).cmd("herinneringen", who="Dee")
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    await chat.cmd("acties team nieuw Buurt verkennen @de_wijkagent 20-03-2026")
    await chat.press("Ja, de wijkagent (buiten de groep)")
    scheduler = setup.scheduler(engine)
    setup.clock.set(utc(2026, 3, 19, 8, 0, 30))
    await scheduler.tick()
    by_user = {o.target.user_id: o for o in setup.platform.sent}
    assert set(by_user) == {"dee", "an"}
    on_behalf = by_user["an"]
    assert on_behalf.target.conversation_id is None  # An never wrote to the bot privately
    assert "Actie van de wijkagent voor Gesprek team" in on_behalf.reply.plain
    assert "in de plaats van de wijkagent" in on_behalf.reply.plain
    assert labels([on_behalf.reply]) == ["Gedaan", "Nog bezig", "Geschrapt", "Uitkomst noteren"]

    an_dm = Chat(engine, "dm-an", group=False)  # An's first private message: the press
    cas_dm = Chat(engine, "dm-cas", group=False)
    foreign = text_of(await cas_dm.press("Gedaan", who="Cas", replies=[on_behalf.reply]))
    assert "anders bedoeld" in foreign or "ander gesprek" in foreign
    done = await an_dm.press("Gedaan", replies=[on_behalf.reply])
    assert done[0].replaces and "✅ Actie 2 staat op gedaan." in text_of(done)
    assert labels(done) == ["Noteer wat het opleverde"]
    again = await an_dm.press("Gedaan", replies=[on_behalf.reply])
    assert "stond al op gedaan: er is niets veranderd" in text_of(again)

    dee_dm = Chat(engine, "dm-dee", group=False)
    reminder = by_user["dee"].reply
    await dee_dm.cmd("herinneringen", who="Dee")  # who Dee is here, known from here on
    # the button, then the action with its group's title, then the reminder again with its
    # buttons and the new status (no reminder to end yet)
    assert await trips(engine, dee_dm.press("Nog bezig", who="Dee", replies=[reminder])) == 3
    busy = dee_dm.last
    assert "⏰ Actie 1 van Gesprek team: " in text_of(busy)
    assert "⏳ Actie 1 staat op nog bezig." in text_of(busy)
    assert labels(busy) == ["Gedaan", "Geschrapt", "Noteer wat het opleverde"]
    # done: the action's reminder ends (by its payload, unread) with the new status
    assert await trips(engine, dee_dm.press("Gedaan", who="Dee", replies=busy)) == 3
    assert "✅ Actie 1 staat op gedaan." in text_of(dee_dm.last)
    listing = text_of(await chat.cmd("acties team"))
    assert "eigenaar: Dee, tegen 20 maart, gedaan" in listing
    assert "eigenaar: de wijkagent (herinnering naar An), tegen 20 maart, gedaan" in listing
    assert await count(engine, "herinneringen WHERE status = 'active'") == 0


async def test_an_outcome_typed_and_ones_own_actions_cost_few_round_trips(engine: Engine) -> None:
    """A typed outcome: the waiting question, the action, and the outcome with the question's
    end in one statement. One's own actions in a DM: the open questions, then the actions with
    their groups' titles in one read."""
    chat = await team(engine)
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    listing = await chat.cmd("acties team")
    await chat.press("1: uitkomst", replies=listing)
    assert await trips(engine, chat.text("Twintig flyers bij de bakker.")) == 3
    assert "Genoteerd bij actie 1: Twintig flyers bij de bakker." in text_of(chat.last)
    dm = Chat(engine, "dm-dee", group=False)
    await dm.cmd("hulp", who="Dee")  # who Dee is here, known from here on
    assert await trips(engine, dm.cmd("acties team", who="Dee")) == 2
    assert "Gesprek team:" in text_of(dm.last) and "Flyers ophalen" in text_of(dm.last)


async def test_a_status_pressed_on_the_list_reads_the_action_with_the_list(
    engine: Engine,
) -> None:
    """The button, the action with the list (its new status shown, not read back), then the
    status with the list's buttons and the planned meeting: three trips."""
    chat = await team(engine)
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    listing = await chat.cmd("acties team")
    assert await trips(engine, chat.press("1: nog bezig", replies=listing)) == 3
    shown = text_of(chat.last)
    assert "⏳ Actie 1 staat op nog bezig." in shown and "20 maart, nog bezig)" in shown
    assert "1: nog bezig" not in labels(chat.last) and "1: gedaan" in labels(chat.last)
    assert await engine.db.scalar("SELECT status FROM teamacties") == "bezig"


async def test_forged_and_stale_action_buttons(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    listing = await chat.cmd("acties team")
    conversation = int(
        await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'team'")
    )
    action_id = int(await engine.db.scalar("SELECT id FROM teamacties"))
    for payload in (
        {"a": action_id, "st": "verloren", "op": "lijst"},
        {"a": "1", "st": "gedaan"},
        {"a": action_id + 5, "st": "gedaan", "op": "herinnering"},
        {},
    ):
        token = await buttons.make(
            engine.db, conversation, "x", "teamactie.status", payload, "2026-03-02T11:00:00+00:00"
        )
        assert "niet meer op de lijst" in text_of(await chat.send(ButtonPress(token.action_id)))
    assert "werkt niet meer" in text_of(await chat.send(ButtonPress("teamactie.status")))
    await chat.cmd("acties team weg 1")
    assert "niet meer op de lijst" in text_of(await chat.press("1: gedaan", replies=listing))
    assert await engine.db.scalar("SELECT COUNT(*) FROM teamacties") == 0


async def test_the_coordinator_reminded_for_an_outside_owner_is_forgotten(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("coordinator @bo")
    await chat.cmd("acties team nieuw Buurt verkennen @de_wijkagent 20-03-2026", who="Bo")
    await chat.press("Ja, de wijkagent (buiten de groep)", who="Bo")
    dm = Chat(engine, "dm-bo", group=False)
    mine = text_of(await dm.cmd("acties team", who="Bo"))
    assert "eigenaar: de wijkagent (herinnering naar Bo)" in mine
    await dm.cmd("vergeetmij", who="Bo")
    await dm.press("Ja, wis alles", who="Bo")
    listing = text_of(await chat.cmd("acties team"))
    assert "eigenaar: de wijkagent (herinnering naar niemand meer)" in listing
    assert await count(engine, "herinneringen") == 0
    assert "Bo" not in listing


async def test_a_new_action_is_stored_with_its_reminder_in_one_statement(engine: Engine) -> None:
    """The next number, the action, its owner's reminder, the entry's end and the reply's
    buttons together, no transaction: typed in one line, the member and their DM are read
    first (three trips); an owner outside the chat, confirmed with a press, the press with its
    entry, then the DM (three); the last answer typed step by step, the entry that waits, then
    the DM (three)."""
    chat = await team(engine)
    assert await trips(engine, chat.cmd("acties team nieuw Buurthuis bellen @bo 20-03-2026")) == 3
    offer = await chat.cmd("acties team nieuw Buurt verkennen @de_wijkagent 27-03-2026")
    assert await trips(engine, chat.press("Ja, de wijkagent (buiten de groep)", replies=offer)) == 3
    assert "📌 Actie 2 vastgelegd" in text_of(chat.last)
    assert "Checklist (stappenplan)" in labels(chat.last)
    await chat.cmd("acties team nieuw")
    await chat.text("Flyers ophalen")
    await chat.press("Iemand van het team")
    await chat.text("@bo")
    assert await trips(engine, chat.text("27-03-2026")) == 3
    assert "📌 Actie 3 vastgelegd" in text_of(chat.last)
    assert await count(engine, "flows WHERE status = 'open'") == 0
    rows = await engine.db.all(
        "SELECT a.number, h.payload FROM teamacties a JOIN herinneringen h"
        " ON h.payload LIKE '%' || a.id || '%' ORDER BY a.number"
    )
    assert [r["number"] for r in rows] == [1, 2, 3]


async def test_an_entry_confirmed_twice_at_once_adds_one_action(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two presses of the confirmation at the same moment (as on two processes): the one that
    read first is written last, and its action, reminder and entry's end do not land (an
    entry adds one action: `teamacties.flow_id`)."""
    chat = await team(engine)
    offer = await chat.cmd("acties team nieuw Buurt verkennen @de_wijkagent 27-03-2026")
    late, first = await overtaken(
        monkeypatch,
        Herinneringen,
        "create",
        chat.press("Ja, de wijkagent (buiten de groep)", replies=offer),
        lambda: chat.press("Ja, de wijkagent (buiten de groep)", replies=offer),
    )
    assert "📌 Actie 1 vastgelegd" in text_of(first)
    assert "al toegevoegd" in text_of(late)
    assert await count(engine, "teamacties") == 1
    assert await count(engine, "herinneringen") == 1
    assert await count(engine, "flows WHERE status = 'open'") == 0


async def test_a_last_answer_typed_twice_at_once_adds_one_action(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = await team(engine)
    await chat.cmd("acties team nieuw")
    await chat.text("Flyers ophalen")
    await chat.press("Iemand van het team")
    await chat.text("@bo")
    late, first = await overtaken(
        monkeypatch,
        Herinneringen,
        "create",
        chat.text("27-03-2026"),
        lambda: chat.text("27-03-2026"),
    )
    assert "📌 Actie 1 vastgelegd" in text_of(first)
    assert "al vastgelegd" in text_of(late)
    assert await count(engine, "teamacties") == 1
    assert await count(engine, "herinneringen") == 1


async def test_an_action_done_ends_its_reminder_in_two_round_trips(engine: Engine) -> None:
    """The action, then the new status with the end of its reminder (found by its payload,
    not read) and the reply: no transaction, no reminder read back and ended one by one."""
    chat = await team(engine)
    await chat.cmd("acties team nieuw Buurthuis bellen @bo 20-03-2026")
    await chat.cmd("acties team nieuw Flyers ophalen @bo 27-03-2026")
    assert await count(engine, "herinneringen") == 2
    assert await trips(engine, chat.cmd("acties team gedaan 1")) == 2
    rows = await engine.db.all("SELECT status FROM herinneringen ORDER BY id")
    assert [r["status"] for r in rows] == ["cancelled", "active"]
    assert "gedaan" in text_of(await chat.cmd("acties team"))


async def held_reminder(db: Database, user: int, action_id: int, entry: int | None) -> None:
    """The owner's reminder as `nieuw.store` holds it back for a try of `Teamacties.add`."""
    now = utc(2026, 3, 2, 8, 0)
    await Herinneringen(db).create(
        user,
        None,
        "teamactie",
        "Bel",
        now,
        now,
        payload={"actie": action_id},
        only=Teamacties.lands_with(action_id, entry),
    )


async def test_two_actions_at_once_on_two_processes_take_two_numbers(
    postgres_server: str,
) -> None:
    """The other process's action takes the next number first (not yet committed); ours meets
    its number when it is committed, stores nothing, and tries again with the number after
    it. The reminder held for our first try waits on that try's action, so only the second
    one's lands."""
    mine, theirs, watcher, user, chat = await two_processes(postgres_server)
    now = utc(2026, 3, 2, 8, 0)
    tries: list[int] = []

    async def with_it(action_id: int) -> None:
        tries.append(action_id)
        await held_reminder(mine, user, action_id, None)

    async with theirs.transaction():
        await Teamacties(theirs).add(chat, "Hun actie", user, now.date(), None, user, now)
        ours = asyncio.ensure_future(
            Teamacties(mine).add(
                chat, "Onze actie", user, now.date(), None, user, now, with_it=with_it
            )
        )
        await waiting_for_a_lock(watcher)
    action = await asyncio.wait_for(ours, 10)
    assert action is not None
    assert action.number == 2 and len(tries) == 2 and action.id == tries[1]
    rows = await mine.all("SELECT payload FROM herinneringen")
    assert [json.loads(r["payload"]) for r in rows] == [{"actie": tries[1]}]
    for db in (mine, theirs, watcher):
        await db.close()


async def test_one_entry_submitted_at_once_on_two_processes_adds_one_action(
    postgres_server: str,
) -> None:
    """The other process stores the entry's action first (not yet committed); ours meets its
    flow when it is committed, stores nothing and says so (None), and the reminder held for
    it does not land."""
    mine, theirs, watcher, user, chat = await two_processes(postgres_server)
    now, entry = utc(2026, 3, 2, 8, 0), 4242

    async def with_it(action_id: int) -> None:
        await held_reminder(mine, user, action_id, entry)

    async with theirs.transaction():
        theirs_action = await Teamacties(theirs).add(
            chat, "Bellen", user, now.date(), None, user, now, flow_id=entry
        )
        ours = asyncio.ensure_future(
            Teamacties(mine).add(
                chat, "Bellen", user, now.date(), None, user, now, with_it=with_it, flow_id=entry
            )
        )
        await waiting_for_a_lock(watcher)
    assert theirs_action is not None
    assert await asyncio.wait_for(ours, 10) is None
    assert await mine.scalar("SELECT COUNT(*) FROM teamacties") == 1
    assert await mine.scalar("SELECT COUNT(*) FROM herinneringen") == 0
    for db in (mine, theirs, watcher):
        await db.close()
