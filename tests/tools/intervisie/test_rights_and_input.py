"""Who may do what in intervision, and bad input that leaves nothing half-stored."""

from __future__ import annotations

from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten
from tests.conftest import Chat, text_of, trips, utc
from tests.tools.intervisie.conftest import count, team


async def test_members_are_refused_coordinator_actions(chat: Chat) -> None:
    await team(chat.engine)
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    for line in (
        "intervisie",
        "intervisie sessie @bo @cas",
        "intervisie volgende 16-03-2026",
        "intervisie terugblik",
        "intervisie 6.4",
        "intervisie stop",
    ):
        assert "Alleen coördinatoren" in text_of(await chat.cmd(line, who="Cas")), line
    for line in (
        "acties team nieuw Bellen @bo 20-03-2026",
        "acties team weg 1",
        "acties team nieuw",
    ):
        assert "Alleen coördinatoren kunnen de actielijst" in text_of(
            await chat.cmd(line, who="Cas")
        ), line
    assert "Alleen de actie-eigenaar (Dee)" in text_of(
        await chat.cmd("acties team gedaan 1", who="Cas")
    )
    assert "Alleen coördinatoren" in text_of(await chat.cmd("stappenplan 3 klaar", who="Cas"))
    assert "Alleen coördinatoren" in text_of(await chat.cmd("reflectie team volgorde 2", who="Cas"))
    menu = await chat.cmd("intervisie")
    assert "Alleen coördinatoren" in text_of(
        await chat.press("Bijeenkomst 2", who="Cas", replies=menu)
    )
    assert await count(chat.engine, "teamacties") == 1
    assert await count(chat.engine, "bijeenkomsten") == 0
    assert "Flyers ophalen" in text_of(await chat.cmd("acties team", who="Cas"))


async def test_only_the_leercoach_or_a_coordinator_moves_the_session(chat: Chat) -> None:
    await team(chat.engine)
    await chat.cmd("intervisie sessie @bo @cas")
    await chat.text("De buurman zwijgt.", who="Cas")
    started = await chat.text("Wat kunnen we doen?", who="Cas")
    refused = text_of(await chat.press("Klaar met schrijven", who="Dee", replies=started))
    assert "Alleen de leercoach (Bo) of een coördinator" in refused
    assert "Stap 3" in text_of(await chat.press("Klaar met schrijven", who="Bo", replies=started))
    assert "al gezet" in text_of(await chat.press("Klaar met schrijven", who="An", replies=started))


async def test_second_session_and_buttons_of_a_finished_one(chat: Chat) -> None:
    await team(chat.engine)
    assert "twee verschillende mensen" in text_of(await chat.cmd("intervisie sessie @bo @bo"))
    assert "niet als lid" in text_of(await chat.cmd("intervisie sessie @bo @zed"))
    assert "Noem de leercoach en de inbrenger" in text_of(await chat.cmd("intervisie sessie @bo"))
    await chat.cmd("intervisie sessie @bo @cas")
    again = text_of(await chat.cmd("intervisie sessie @dee @an"))
    assert "Er loopt al een dialoogsessie" in again and "inbrenger Cas" in again
    await chat.text("De buurman zwijgt.", who="Cas")
    started = await chat.text("Wat kunnen we doen?", who="Cas")
    assert "gestopt" in text_of(await chat.cmd("intervisie stop"))
    assert "al afgerond" in text_of(
        await chat.press("Klaar met schrijven", who="Bo", replies=started)
    )
    assert await chat.text("Nog iets", who="Cas") == []
    assert "Leercoach: Dee" in text_of(await chat.cmd("intervisie sessie @dee @an"))
    assert await count(chat.engine, "dialoogsessies WHERE status = 'open'") == 1


async def test_bad_actions_store_nothing(chat: Chat) -> None:
    await team(chat.engine)
    for line, expected in (
        ("acties team nieuw Bellen @zed 20-03-2026", "niet als lid"),
        ("acties team nieuw Bellen @bo 1-1-2020", "in het verleden"),
        ("acties team nieuw Bellen @bo gisteren", "ligt in het verleden"),
        ("acties team nieuw @bo 20-03-2026", "Een lege actie"),
        ("acties team nieuw Bellen zonder eigenaar", "Zo voeg je een actie toe"),
        ("acties team nieuw " + "x" * 301 + " @bo 20-03", "te lang"),
    ):
        assert expected in text_of(await chat.cmd(line)), line
    assert await count(chat.engine, "teamacties") == 0
    assert await count(chat.engine, "herinneringen") == 0
    await chat.cmd("acties team nieuw")
    assert "Een lege actie" in text_of(await chat.text("   "))
    await chat.text("Bellen")
    assert "niet als lid" in text_of(await chat.text("@zed"))
    await chat.text("@bo")
    assert "in het verleden" in text_of(await chat.text("1-3-2026"))
    assert await count(chat.engine, "teamacties") == 0
    stored = text_of(await chat.text("2-3-2026"))
    assert "Actie 1 vastgelegd" in stored
    assert await count(chat.engine, "teamacties") == 1
    assert await count(chat.engine, "herinneringen") == 0, "due today: too late for a reminder"
    assert "Welke actie?" in text_of(await chat.cmd("acties team gedaan 7"))
    assert "Welke actie?" in text_of(await chat.cmd("acties team weg"))
    assert "Dat begrijp ik niet" in text_of(await chat.cmd("acties team taart"))


async def test_action_removed_by_a_coordinator_takes_its_reminder_along(chat: Chat) -> None:
    await team(chat.engine)
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    assert await count(chat.engine, "herinneringen WHERE status = 'active'") == 1
    shown = await chat.cmd("intervisie terugblik")
    # the action, then the end of its reminder (no read: by its payload) with its removal
    assert await trips(chat.engine, chat.cmd("acties team weg 1")) == 2
    assert "van de lijst gehaald" in text_of(chat.last)
    assert await count(chat.engine, "herinneringen WHERE status = 'active'") == 0
    assert "niet meer op de lijst" in text_of(
        await chat.press("1: gedaan", who="Dee", replies=shown)
    )


async def test_next_meeting_rules(chat: Chat) -> None:
    await team(chat.engine)
    assert "geen volgende bijeenkomst" in text_of(await chat.cmd("intervisie volgende"))
    assert "in het verleden" in text_of(await chat.cmd("intervisie volgende 1-2-2026"))
    assert "ligt in het verleden" in text_of(await chat.cmd("intervisie volgende 2-3-2026 08:00"))
    assert "kan ik niet lezen" in text_of(await chat.cmd("intervisie volgende ooit"))
    await chat.cmd("intervisie volgende 10-03-2026")
    # the date changed in place, with the read of the open actions: one round trip
    assert 1 == await trips(chat.engine, chat.cmd("intervisie volgende 10-03-2026 09:00"))
    assert "dinsdag 10 maart om 09:00" in text_of(chat.last)
    assert await count(chat.engine, "bijeenkomsten WHERE status = 'planned'") == 1
    assert await count(chat.engine, "bijeenkomsten") == 1
    assert "geschrapt" in text_of(await chat.cmd("intervisie volgende uit"))
    dm = Chat(chat.engine, "dm-an", group=False)
    assert "groepsgesprek" in text_of(await dm.cmd("intervisie volgende 10-03-2026"))


async def test_a_date_changed_while_its_revisit_is_posted_keeps_the_new_date(
    chat: Chat,
) -> None:
    """The revisit read the meeting at its old date; the date changed before it closed the
    meeting: it does not close it (and so posts nothing), the new date stays planned."""
    await team(chat.engine)
    await chat.cmd("intervisie volgende 10-03-2026 14:00")
    meetings = Bijeenkomsten(chat.engine.db)
    [read] = await meetings.due(utc(2026, 3, 10, 14, 0), 10)
    await chat.cmd("intervisie volgende 17-03-2026 14:00")
    assert not await meetings.close(read, "posted")
    planned = await meetings.planned(read.conversation_id)
    assert planned is not None and planned.at == utc(2026, 3, 17, 13, 0)
    assert await meetings.close(planned, "posted")


async def test_outcome_by_command_and_personal_data(chat: Chat) -> None:
    engine = chat.engine
    await team(engine)
    await chat.cmd("acties team nieuw Flyers ophalen @dee 20-03-2026")
    assert "Genoteerd bij actie 1" in text_of(
        await chat.cmd("acties team uitkomst 1 Twaalf flyers verdeeld.", who="Dee")
    )
    dee = int(await engine.db.scalar("SELECT id FROM users WHERE external_id = 'dee'"))
    [part] = [p for p in engine.router.personal_data if p.name == "teamacties"]
    data = part.export(engine.deps, await engine.db.read(part.read(dee)))
    assert data["acties"][0]["actie"] == "Flyers ophalen"
    assert data["acties"][0]["opgeleverd"] == "Twaalf flyers verdeeld."
    async with engine.db.transaction():
        await part.erase(engine.deps, dee)
    listing = text_of(await chat.cmd("acties team"))
    assert "Flyers ophalen" in listing and "geen eigenaar meer" in listing
    assert part.export(engine.deps, await engine.db.read(part.read(dee)))["acties"] == []


async def test_dates_in_lists_show_the_year_only_when_it_is_not_this_one(chat: Chat) -> None:
    await team(chat.engine)
    await chat.cmd("acties team nieuw Buurtbanken plaatsen @bo 15-01-2027")
    await chat.cmd("acties team nieuw Koffie schenken @bo 20-03-2026")
    listing = text_of(await chat.cmd("acties team"))
    assert "tegen 15 januari 2027," in listing and "tegen 20 maart," in listing
    assert "mrt" not in listing and "2026" not in listing
