"""A dialoogsessie from roles to three actions, their owners' reminders, the revisit at the next
meeting, an owner marking theirs done, and the export."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.clock import FakeClock
from bot.core.engine import Engine
from bot.tools.intervisie.dialoogsessie import PREVIOUS
from bot.tools.intervisie.store.dialoogsessies import Dialoogsessies
from tests.conftest import Chat, Setup, due_now, overtaken, text_of, trips, utc
from tests.tools.intervisie.conftest import count, team

ACTIONS = (
    ("Mevrouw J. bellen", "@cas", "10-03-2026"),
    ("Het buurthuis vragen naar een vervoersdienst", "@dee", "12-03-2026"),
    ("Samen naar de koffieochtend gaan", "@bo", "12-03-2026"),
)


async def run_session(chat: Chat, finish: bool = True) -> str:
    """Bo is leercoach (a member, not a coordinator), Cas brings the case. `finish`: Bo ends
    it (its summary comes back), else the last action's message."""
    roles = text_of(await chat.cmd("intervisie sessie @bo @cas"))
    assert "Leercoach: Bo" in roles and "Inbrenger: Cas" in roles
    assert "De leercoach zorgt dat de groep in dialoog blijft (geen discussie)." in roles
    assert "Bron: Movisie / HAN (Wmo-werkplaatsen), Eenzaam ben je niet alleen" in roles
    asked = await chat.text("Mevrouw J. komt niet meer naar de koffieochtend.", who="Cas")
    assert "Welke vraag heb je bij de casus?" in text_of(asked) and asked[0].expects_text
    assert text_of(asked).startswith("Dank je. ")
    silence = text_of(await chat.text("Hoe kunnen we haar weer betrekken?", who="Cas"))
    assert "Alle teamleden schrijven in 1 minuut op" in silence
    assert "Schrijf tot 09:01" in silence and "Hoe kunnen we haar weer betrekken?" in silence
    ideas = text_of(await chat.press("Klaar met schrijven", who="Bo"))
    assert "De leercoach vraagt de inbrenger aan twee personen" in ideas
    dialogue = text_of(await chat.press("Verder: de dialoog", who="Bo"))
    assert "Het kan wel als…" in dialogue
    assert "Kennisbron 12.3 Dialoog en discussie · Bron: Biene (2005)" in dialogue
    along = text_of(await chat.press("Verder: wat neemt Cas mee?", who="Bo"))
    assert "wat hij of zij ‘meeneemt’" in along
    actions = text_of(await chat.text("Eerst bellen, dan samen gaan.", who="Cas"))
    assert "Concreet vervolg" in actions and "Actie-eigenaar uit lokaal netwerk" in actions
    label = "Actie toevoegen"
    for text, owner, due in ACTIONS:
        await chat.press(label, who="Bo")
        await chat.text(text, who="Bo")
        await chat.text(owner, who="Bo")
        stored = text_of(await chat.text(due, who="Bo"))
        assert "vastgelegd" in stored and text in stored
        label = "Nog een actie"
    if not finish:
        return stored
    # the session with its actions and the planned meeting, then its end
    assert await trips(chat.engine, chat.press("Sessie afronden", who="Bo")) == 3
    return text_of(chat.last)


async def test_only_the_leercoach_or_a_coordinator_finishes_a_session_and_once(
    setup: Setup,
) -> None:
    engine = await setup.engine()
    chat = await team(engine)
    await run_session(chat, finish=False)
    card = chat.last
    refused = text_of(await chat.press("Sessie afronden", who="Dee", replies=card))
    assert "Alleen de leercoach (Bo) of een coördinator" in refused
    assert "Dialoogsessie afgerond" in text_of(
        await chat.press("Sessie afronden", who="Bo", replies=card)
    )
    assert "al afgerond" in text_of(await chat.press("Sessie afronden", who="An", replies=card))
    assert await engine.db.scalar("SELECT COUNT(*) FROM dialoogsessies WHERE status = 'done'") == 1


async def test_session_actions_reminders_revisit_and_export(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await team(engine)
    await Chat(engine, "dm-dee", group=False).cmd("herinneringen", who="Dee")
    summary = await run_session(chat)
    assert "Concreet vervolg (3 acties)" in summary
    assert "intervisie volgende" in summary
    planned = text_of(await chat.cmd("intervisie volgende 16-03-2026 14:00"))
    assert "maandag 16 maart om 14:00" in planned and "(3 nu)" in planned

    scheduler = setup.scheduler(engine)
    assert sum((await scheduler.tick()).values()) == 0
    setup.clock.set(utc(2026, 3, 9, 8, 0, 30))  # 9 March, 09:00 in Brussels: the day before
    await scheduler.tick()
    setup.clock.set(utc(2026, 3, 11, 8, 0, 30))
    await scheduler.tick()
    sent = setup.platform.sent
    assert sorted(o.target.user_id for o in sent) == ["bo", "cas", "dee"]
    for outgoing in sent:
        assert "Actie van het team" in outgoing.reply.plain
        assert "Gesprek team" in outgoing.reply.plain
    by_user = {o.target.user_id: o for o in sent}
    assert by_user["dee"].target.conversation_id == "dm-dee"
    assert [b.label for b in by_user["dee"].reply.buttons] == [
        "Gedaan",
        "Nog bezig",
        "Geschrapt",
        "Uitkomst noteren",
    ]
    # Bo never wrote to the bot privately: the buttons come anyway, Bo's own (see
    # tests/tools/intervisie/test_teamacties_knoppen.py for a press from a DM that is new)
    assert by_user["bo"].target.conversation_id is None and by_user["bo"].reply.buttons

    setup.clock.set(utc(2026, 3, 16, 13, 0, 30))  # the meeting, 14:00 in Brussels
    assert (await scheduler.tick())["sent"] == 1
    assert sum((await scheduler.tick()).values()) == 0
    revisit = setup.platform.sent[-1]
    assert revisit.target.conversation_id == "team" and revisit.target.user_id is None
    text = revisit.reply.plain
    assert "In een volgende bijeenkomst komt u terug op de acties (reflectieve integratie):" in text
    assert "Zijn de ideeën toegepast?" in text and "Wat heeft een nieuwe aanpak opgeleverd?" in text
    for action, _, _ in ACTIONS:
        assert action in text
    labels = [b.label for b in revisit.reply.buttons]
    assert labels == [f"{n}: {w}" for n in (1, 2, 3) for w in ("gedaan", "nog bezig", "geschrapt")]

    posted = [revisit.reply]
    refused = text_of(await chat.press("2: gedaan", who="Cas", replies=posted))
    assert "Alleen de actie-eigenaar (Dee)" in refused
    done = text_of(await chat.press("2: gedaan", who="Dee", replies=posted))
    assert "Actie 2 staat op gedaan" in done
    await chat.press("Noteer wat het opleverde", who="Dee")
    await chat.text("Er rijdt nu elke dinsdag een busje.", who="Dee")
    assert "staat op nog bezig" in text_of(
        await chat.press("1: nog bezig", who="An", replies=posted)
    )

    export = (await chat.cmd("acties team export", who="Bo"))[0].attachment
    assert export is not None and export.filename.endswith(".md")
    content = export.content
    assert (
        "| Nr. | Actie(s) | Actie-eigenaar uit lokaal netwerk | Tijdsplanning | Stand |" in content
    )
    assert (
        "| 2 | Het buurthuis vragen naar een vervoersdienst | Dee | 12 maart | gedaan |" in content
    )
    assert "| 1 | Mevrouw J. bellen | Cas | 10 maart | nog bezig |" in content
    assert "Wat het opleverde: Er rijdt nu elke dinsdag een busje." in content
    assert "vraag: Hoe kunnen we haar weer betrekken?" in content


async def test_owner_marks_from_the_reminder_and_no_reminder_after(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await team(engine)
    dm = Chat(engine, "dm-dee", group=False)
    await dm.cmd("herinneringen", who="Dee")
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    await chat.cmd("acties team nieuw Buurtwerker bellen @dee 27-03-2026")
    scheduler = setup.scheduler(engine)
    setup.clock.set(utc(2026, 3, 19, 8, 0, 30))
    await scheduler.tick()
    [reminder] = setup.platform.sent
    assert "Flyers ophalen" in reminder.reply.plain
    dm.last = [reminder.reply]
    assert "staat op gedaan" in text_of(await dm.press("Gedaan", who="Dee"))
    assert "gedaan" in text_of(await chat.cmd("acties team"))
    assert "Buurtwerker bellen" in text_of(await dm.cmd("acties team", who="Dee"))
    await chat.cmd("acties team gedaan 2", who="Dee")
    setup.clock.set(utc(2026, 3, 26, 8, 0, 30))
    await scheduler.tick()
    assert len(setup.platform.sent) == 1, "a done action is not reminded"


async def test_revisit_on_demand_and_after_a_missed_meeting(
    engine: Engine, clock: FakeClock
) -> None:
    chat = await team(engine)
    assert "geen open acties" in text_of(await chat.cmd("intervisie terugblik"))
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    shown = await chat.cmd("intervisie terugblik")
    assert "Flyers ophalen" in text_of(shown)
    assert [b.label for b in shown[0].buttons] == ["1: gedaan", "1: nog bezig", "1: geschrapt"]
    await chat.cmd("intervisie volgende 3-3-2026")
    clock.advance(days=3)  # the bot was down the whole meeting day
    assert await due_now(engine) == []
    assert await count(engine, "bijeenkomsten WHERE status = 'skipped'") == 1


async def test_answers_as_commands_where_group_text_does_not_reach_the_bot(chat: Chat) -> None:
    await team(chat.engine)
    await chat.cmd("intervisie sessie @an @bo")
    assert "Dit antwoord is aan de inbrenger, Bo." in text_of(
        await chat.cmd("intervisie casus Iets", who="Cas")
    )
    assert "Een lege casus" in text_of(await chat.cmd("intervisie casus", who="Bo"))
    assert "Welke vraag" in text_of(await chat.cmd("intervisie casus De buurman zwijgt.", who="Bo"))
    assert "schrijven in 1 minuut" in text_of(await chat.text("Wat kan ik doen?", who="Bo"))


async def to_silence(chat: Chat) -> None:
    await chat.cmd("intervisie sessie @bo @cas")
    await chat.text("Mevrouw J. komt niet meer naar de koffieochtend.", who="Cas")
    await chat.text("Hoe kunnen we haar weer betrekken?", who="Cas")


async def test_the_minute_of_silent_writing_ends_with_a_message(
    engine: Engine, clock: FakeClock
) -> None:
    chat = await team(engine)
    await to_silence(chat)
    clock.advance(seconds=59)
    assert await due_now(engine) == []
    clock.advance(seconds=2)
    [ended] = await due_now(engine)
    assert ended.target.conversation_id == "team" and ended.target.user_id is None
    assert "De minuut stil opschrijven is om. Bo, als iedereen klaar is" in ended.reply.plain
    assert await due_now(engine) == []  # once
    ideas = text_of(await chat.press("Verder: de ideeënronde", who="Bo", replies=[ended.reply]))
    assert "De leercoach vraagt de inbrenger aan twee personen" in ideas
    again = await chat.press("Verder: de ideeënronde", who="Bo", replies=[ended.reply])
    assert "Die stap is al gezet" in text_of(again)  # a second press moves nothing


async def test_moved_on_before_the_minute_is_over_sends_nothing(
    engine: Engine, clock: FakeClock
) -> None:
    chat = await team(engine)
    await to_silence(chat)
    await chat.press("Klaar met schrijven", who="Bo")
    clock.advance(minutes=5)
    assert await due_now(engine) == []


async def test_the_leercoach_or_a_coordinator_moves_on_by_command(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("intervisie sessie @bo @cas")
    waiting = text_of(await chat.cmd("intervisie verder", who="Bo", admin=False))
    assert "We wachten op de casus van Cas" in waiting
    await chat.text("Mevrouw J. komt niet meer.", who="Cas")
    await chat.text("Hoe betrekken we haar?", who="Cas")
    refused = text_of(await chat.cmd("intervisie verder", who="Dee", admin=False))
    assert "Alleen de leercoach (Bo) of een coördinator" in refused
    ideas = text_of(await chat.cmd("intervisie verder", who="Bo", admin=False))
    assert "De leercoach vraagt de inbrenger aan twee personen" in ideas
    dialogue = text_of(await chat.cmd("intervisie verder", who="An"))
    assert "Kennisbron 12.3 Dialoog en discussie" in dialogue
    along = text_of(await chat.cmd("intervisie verder", who="Bo", admin=False))
    assert "wat hij of zij ‘meeneemt’" in along
    assert "We wachten op wat de inbrenger meeneemt van Cas" in text_of(
        await chat.cmd("intervisie verder", who="Bo", admin=False)
    )
    await chat.text("Eerst bellen.", who="Cas")
    assert "Actie toevoegen" in [b.label for b in (await chat.cmd("intervisie verder"))[0].buttons]
    await chat.cmd("intervisie stop")
    assert "Er loopt geen dialoogsessie" in text_of(await chat.cmd("intervisie verder", who="Bo"))


async def session_row(engine: Engine) -> dict[str, object]:
    found = await engine.db.one("SELECT step, casus, vraag, meenemen, status FROM dialoogsessies")
    assert found is not None
    return dict(found)


async def test_back_shows_the_step_before_with_the_answer_given(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("intervisie sessie @bo @cas")
    first = text_of(await chat.text("terug", who="Cas"))
    assert "Dit is de eerste vraag" in first
    await chat.text("Mevrouw J. komt niet meer.", who="Cas")
    asked_again = await chat.text("vorige", who="Cas")  # the case-bringer: own two answers
    again = text_of(asked_again)
    assert "Je antwoordde: Mevrouw J. komt niet meer." in again and "typ je casus" in again
    assert asked_again[-1].expects_text  # asked of Cas: a ForceReply on Telegram, as before
    asked = text_of(await chat.text("Mevrouw J. komt niet meer naar de koffie.", who="Cas"))
    assert "Je antwoordde" not in asked and "Welke vraag heb je bij de casus?" in asked
    await chat.text("Hoe betrekken we haar?", who="Cas")
    assert (await session_row(engine))["step"] == "stil_opschrijven"
    refused = text_of(await chat.press("◀ Terug", who="Dee"))
    assert "Alleen de leercoach (Bo) of een coördinator zet een stap terug" in refused
    assert "zet een stap terug" in text_of(
        await chat.cmd("intervisie terug", who="Cas", admin=False)
    )
    back = text_of(await chat.cmd("intervisie terug", who="Bo", admin=False))
    assert "Cas antwoordde: Hoe betrekken we haar?" in back and "Cas, welke vraag" in back
    row = await session_row(engine)
    assert (row["step"], row["vraag"]) == ("vraag", "Hoe betrekken we haar?")
    silence = text_of(await chat.text("Hoe betrekken we haar weer?", who="Cas"))
    assert "schrijven in 1 minuut" in silence
    row = await session_row(engine)
    assert (row["casus"], row["vraag"]) == (
        "Mevrouw J. komt niet meer naar de koffie.",
        "Hoe betrekken we haar weer?",
    )


async def test_back_from_the_actions_and_stop_keeps_what_was_kept(engine: Engine) -> None:
    chat = await team(engine)
    await to_silence(chat)
    for _ in range(3):
        await chat.cmd("intervisie verder", who="Bo", admin=False)
    actions = await chat.text("Eerst bellen.", who="Cas")
    await chat.press("Actie toevoegen", who="Bo", replies=actions)
    await chat.text("Mevrouw J. bellen", who="Bo")
    await chat.text("@cas", who="Bo")
    await chat.text("10-03-2026", who="Bo")
    back = text_of(await chat.press("◀ Terug", who="Bo", replies=actions))
    assert "Cas antwoordde: Eerst bellen." in back and "meeneemt" in back
    assert "Die stap is al gezet" in text_of(await chat.press("◀ Terug", who="Bo", replies=actions))
    refused = text_of(await chat.text("terug", who="Cas"))  # not the case-bringer's to take
    assert "Alleen de leercoach (Bo) of een coördinator zet een stap terug" in refused
    assert (await session_row(engine))["step"] == "meenemen"
    assert "stoppen" in text_of(await chat.text("stop", who="Cas"))
    stopped = text_of(await chat.cmd("intervisie stop"))
    assert "De 1 actie die al vastlagen, blijven op de lijst." in stopped
    row = await session_row(engine)
    assert (row["meenemen"], row["status"]) == ("Eerst bellen.", "gestopt")
    assert not {"terug", "vorige", "stop"} & {str(v) for v in row.values()}


async def test_each_step_of_a_session_is_at_most_three_round_trips(setup: Setup) -> None:
    """The start reads the members and the running session at once, and the case-bringer's
    question travels with the last statement. A step's message is made for the session as
    the move leaves it, so its buttons and the case-bringer's next question travel with the
    move (`dialoogsessie.come_to`): the typed answers cost the waiting question, the session
    and the move; a press the button, the session and the move."""
    engine = await setup.engine()
    chat = await team(engine)
    steps = [
        chat.cmd("intervisie sessie @bo @cas"),
        chat.text("Mevrouw J. komt niet meer naar de koffieochtend.", who="Cas"),
        chat.text("Hoe kunnen we haar weer betrekken?", who="Cas"),
        chat.press("Klaar met schrijven", who="Bo"),
        chat.press("Verder: de dialoog", who="Bo"),
        chat.press("◀ Terug", who="Bo"),
        chat.press("Verder: de dialoog", who="Bo"),
        chat.press("Verder: wat neemt Cas mee?", who="Bo"),
        chat.text("Eerst bellen, dan samen gaan.", who="Cas"),
        chat.press("Actie toevoegen", who="Bo"),  # the session read once for the right to add
    ]
    assert [await trips(engine, step) for step in steps] == [3] * len(steps)
    assert "Welke actie spreken jullie af?" in text_of(chat.last)
    stored = await engine.db.one(
        "SELECT step, casus, vraag, meenemen, stil_tot FROM dialoogsessies"
    )
    assert stored is not None and stored["step"] == "acties"
    assert stored["casus"] == "Mevrouw J. komt niet meer naar de koffieochtend."
    assert stored["vraag"] == "Hoe kunnen we haar weer betrekken?"
    assert stored["meenemen"] == "Eerst bellen, dan samen gaan." and stored["stil_tot"] is None


async def test_two_starts_at_once_give_one_session_and_one_left_for_a_day_gives_way(
    setup: Setup,
) -> None:
    """Without a transaction the unique index lets one of two starts at the same moment
    through; the other hears which session runs. A session left for more than eight hours
    ends as 'verlopen' when the next one starts."""
    engine = await setup.engine()
    chat = await team(engine)
    first, second = await asyncio.gather(
        chat.cmd("intervisie sessie @bo @cas"), chat.cmd("intervisie sessie @dee @an", who="An")
    )
    shown = sorted([text_of(first), text_of(second)], key=lambda t: "Er loopt al" in t)
    assert "Leercoach:" in shown[0] and "Er loopt al een dialoogsessie" in shown[1]
    assert await count(engine, "dialoogsessies") == 1
    assert await count(engine, "flows WHERE kind = 'intervisie.inbreng' AND status = 'open'") == 1
    setup.clock.advance(hours=9)
    assert "Leercoach: Dee" in text_of(await chat.cmd("intervisie sessie @dee @an"))
    assert await count(engine, "dialoogsessies WHERE status = 'verlopen'") == 1
    assert "Welke vraag heb je bij de casus?" in text_of(
        await chat.text("Niemand komt nog naar de soep.", who="An")
    )


async def test_a_step_back_overtaken_by_a_step_on_leaves_no_question_open(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'◀ Terug' from the silent writing asks the case-bringer their question again; when
    'Klaar met schrijven' moved the session on meanwhile, that question is closed again, so
    Cas's next message is not taken for an answer."""
    engine = await setup.engine()
    chat = await team(engine)
    await chat.cmd("intervisie sessie @bo @cas")
    await chat.text("Mevrouw J. komt niet meer naar de koffieochtend.", who="Cas")
    silence = await chat.text("Hoe kunnen we haar weer betrekken?", who="Cas")
    late, onward = await overtaken(
        monkeypatch,
        Dialoogsessies,
        "running",  # the read of the session the button names
        chat.press("◀ Terug", who="Bo", replies=silence),
        lambda: chat.press("Klaar met schrijven", who="An", replies=silence),
    )
    assert "al gezet" in text_of(late) and "Stap 3" in text_of(onward)
    assert await count(engine, "flows WHERE kind = 'intervisie.inbreng' AND status = 'open'") == 0
    assert await count(engine, "dialoogsessies WHERE step = 'ideeenronde'") == 1


async def test_back_from_what_the_case_bringer_takes_along_closes_their_question(
    engine: Engine,
) -> None:
    """The case-bringer's question ends in the step back's statement, not in one of its own."""
    chat = await team(engine)
    await to_silence(chat)
    for _ in range(3):
        await chat.cmd("intervisie verder", who="Bo", admin=False)
    assert (await session_row(engine))["step"] == "meenemen"
    assert await count(engine, "flows WHERE kind = 'intervisie.inbreng' AND status = 'open'") == 1
    back = await trips(engine, chat.cmd("intervisie terug", who="Bo", admin=False))
    assert back == 2
    assert (await session_row(engine))["step"] == PREVIOUS["meenemen"]
    assert await count(engine, "flows WHERE kind = 'intervisie.inbreng' AND status = 'open'") == 0
