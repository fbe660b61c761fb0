"""The team verwijskaart (§11.5): coordinators fill it, members read it, bad input is refused
plainly, the card is exported, and it goes with the team's data."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.tools.intervisie.store.verwijskaart import NAAM_MAX, PER_VAK_MAX, WAARVOOR_MAX
from tests.conftest import CONTENT, Chat, text_of, trips
from tests.tools.intervisie.conftest import count, team

VAKKEN = CONTENT.achtergrond.verwijskaart.vakken


async def test_empty_card_shows_every_blank_of_the_workbook(engine: Engine) -> None:
    chat = await team(engine)
    [shown] = await chat.cmd("verwijskaart", who="Bo")
    for vak in VAKKEN:
        assert vak.vak in shown.plain
    assert shown.plain.count("(nog leeg)") == len(VAKKEN)
    assert (
        "Bron: Movisie / HAN (Wmo-werkplaatsen), Eenzaam ben je niet alleen (werkboek), §11.5"
        in shown.plain
    )
    assert [b.label for b in shown.buttons] == [
        f"➕ {n}. {v.kort}" for n, v in enumerate(VAKKEN, start=1)
    ]


async def test_coordinator_fills_a_blank_by_buttons_and_members_read_it(engine: Engine) -> None:
    chat = await team(engine)
    card = await chat.cmd("verwijskaart")
    ask = await chat.press("➕ 2. Advies", replies=card)
    assert ask[0].expects_text and VAKKEN[1].vak in ask[0].plain
    assert (await chat.text("Sociaal Huis Leuven"))[0].expects_text
    assert (await chat.text("vragen en advies over eenzaamheid"))[0].expects_text
    done = text_of(await chat.text("+32 (0)16 12.34.56 · ma–vr 9u–12u"))
    assert (
        "Sociaal Huis Leuven: vragen en advies over eenzaamheid · +32 (0)16 12.34.56 · "
        "ma–vr 9u–12u" in done
    )
    read = text_of(await chat.cmd("verwijskaart", who="Cas"))
    assert "[1] Sociaal Huis Leuven: vragen en advies over eenzaamheid · +32 (0)16 12.34.56" in read
    assert read.count("(nog leeg)") == len(VAKKEN) - 1


async def test_one_line_form_and_leaving_fields_empty(engine: Engine) -> None:
    chat = await team(engine)
    done = text_of(
        await chat.cmd("verwijskaart 1 Huisarts Peeters | zorgen die blijven | 016/22.33.44")
    )
    assert "Huisarts Peeters: zorgen die blijven · 016/22.33.44" in done
    assert "OCMW" in text_of(await chat.cmd("verwijskaart niet_pluis OCMW | - | -"))
    assert "Buurtwerk" in text_of(await chat.cmd("verwijskaart 6 Buurtwerk"))
    adressen = await engine.db.all(
        "SELECT vak, naam, waarvoor, bereik FROM verwijskaart ORDER BY id"
    )
    assert [tuple(r) for r in adressen] == [
        ("niet_pluis", "Huisarts Peeters", "zorgen die blijven", "016/22.33.44"),
        ("niet_pluis", "OCMW", "", ""),
        ("vragen_en_advies", "Buurtwerk", "", ""),
    ]


async def test_a_member_is_refused_with_who_can(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("coordinator @dee")
    card = await chat.cmd("verwijskaart", who="Bo")
    refused = text_of(await chat.press("➕ 1. Niet pluis", who="Bo", replies=card))
    assert (
        "Alleen coördinatoren" in refused and "Dee" in refused and "Lezen mag iedereen" in refused
    )
    assert "Alleen coördinatoren" in text_of(await chat.cmd("verwijskaart 1 Ik | x | y", who="Bo"))
    await chat.cmd("verwijskaart 1 Huisarts")
    card = await chat.cmd("verwijskaart", who="Bo")
    assert "Alleen coördinatoren" in text_of(
        await chat.press("➖ Iets weghalen", who="Bo", replies=card)
    )
    assert "Alleen coördinatoren" in text_of(await chat.cmd("verwijskaart weg 1", who="Bo"))
    # A coordinator named by An may.
    assert "Op de verwijskaart" in text_of(await chat.cmd("verwijskaart 2 Sociaal huis", who="Dee"))
    assert await count(engine, "verwijskaart") == 2


async def test_bad_input(engine: Engine) -> None:
    chat = await team(engine)
    assert "Een lege naam" in text_of(await chat.cmd("verwijskaart 1  | waarvoor | bereik"))
    too_long = text_of(await chat.cmd("verwijskaart 1 " + "x" * (NAAM_MAX + 1)))
    assert f"hoogstens {NAAM_MAX} tekens" in too_long and "nog niet bewaard" in too_long
    assert f"hoogstens {WAARVOOR_MAX}" in text_of(
        await chat.cmd(f"verwijskaart 1 Naam | {'y' * 5000}")
    )
    assert "Dat vak ken ik niet" in text_of(await chat.cmd("verwijskaart 9 Naam"))
    assert "Dat vak ken ik niet" in text_of(await chat.cmd("verwijskaart 🙂 Naam"))
    assert "nummer tussen haakjes" in text_of(await chat.cmd("verwijskaart weg 42"))
    assert await count(engine, "verwijskaart") == 0
    # By buttons: an empty or overlong answer asks again, the flow stays open.
    await chat.cmd("verwijskaart")
    await chat.press("➕ 3. Overdragen")
    again = await chat.text("   ")
    assert "Een lege naam" in again[0].plain and again[0].expects_text
    again = await chat.text("n" * 500)
    assert f"hoogstens {NAAM_MAX}" in again[0].plain and again[0].expects_text
    await chat.text("<b>CAW</b> *vet* [link](http://x)")
    await chat.text("-")
    await chat.text("-")
    [shown] = await chat.cmd("verwijskaart")
    # Markup stays text: the span carries it as typed, the adapters escape it.
    assert "<b>CAW</b> *vet* [link](http://x)" in shown.plain
    for _ in range(PER_VAK_MAX - 1):
        # the count and the new service in one statement, with who added it
        assert await trips(engine, chat.cmd("verwijskaart 3 Nog een")) == 1
    assert "Op de verwijskaart, bij " in text_of(chat.last) and "Nog een" in text_of(chat.last)
    assert "al 10 adressen" in text_of(await chat.cmd("verwijskaart 3 Te veel"))
    assert await count(engine, "verwijskaart") == PER_VAK_MAX


async def test_forged_and_stale_buttons(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("verwijskaart 1 Huisarts")
    card = await chat.cmd("verwijskaart")
    menu = await chat.press("➖ Iets weghalen", replies=card)
    assert "Van de verwijskaart gehaald: Huisarts" in text_of(
        await chat.press("✖ [1] Huisarts", replies=menu)
    )
    assert "al niet meer op de kaart" in text_of(await chat.press("✖ [1] Huisarts", replies=menu))
    other = Chat(engine, "ander")
    await other.cmd("hulp")
    assert "ander gesprek" in text_of(await other.press("➕ 1. Niet pluis", replies=card))


async def test_export_escapes_and_names_the_source(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("verwijskaart 2 # Kop? | *vet* [x](y) | 0470 12 34 56")
    reply, printed = await chat.cmd("verwijskaart export", who="Bo")
    assert printed.attachment is not None and printed.attachment.mime == "application/pdf"
    assert printed.attachment.data is not None and printed.attachment.data.startswith(b"%PDF")
    assert reply.attachment is not None
    doc = reply.attachment.content
    assert "# Verwijskaart: Gesprek team" in doc
    assert "- **\\# Kop?**: \\*vet\\* \\[x\\](y). Bereik: 0470 12 34 56" in doc
    for vak in VAKKEN:
        assert vak.vak.split("(")[0].strip() in doc
    assert (
        "Bron: Movisie / HAN (Wmo-werkplaatsen), Eenzaam ben je niet alleen (werkboek), §11.5."
        in doc
    )


async def test_from_a_dm_one_team_or_a_choice(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("verwijskaart 2 Sociaal huis")
    dm = Chat(engine, "dm-bo", group=False)
    assert "Sociaal huis" in text_of(await dm.cmd("verwijskaart", who="Bo"))
    # once known: the question that waits; the teams with their cards; the card's buttons
    assert await trips(engine, dm.cmd("verwijskaart", who="Bo")) == 3
    assert "Sociaal huis" in text_of(dm.last)
    # the question that waits, the groups, then the rule with who can, by name: one read
    assert await trips(engine, dm.cmd("verwijskaart 1 X", who="Bo")) == 3
    assert "Alleen coördinatoren" in text_of(dm.last)
    second = Chat(engine, "team2")
    await second.cmd("hulp", who="Bo")
    choice = await dm.cmd("verwijskaart", who="Bo")
    assert "Van welk team" in text_of(choice)
    # the button; the teams with their cards; the choice kept with the card's buttons
    assert await trips(engine, dm.press("Gesprek team", who="Bo", replies=choice)) == 3
    assert "Sociaal huis" in text_of(dm.last)
    other = [b.label for r in choice for b in r.buttons if b.label != "Gesprek team"]
    assert len(other) == 1
    elsewhere = text_of(await dm.press(other[0], who="Bo", replies=choice))
    assert "Verwijskaart van Gesprek team2" in elsewhere and "[1]" not in elsewhere
    await dm.press("Gesprek team", who="Bo", replies=choice)
    # The choice is remembered for the next command in the DM.
    assert "Sociaal huis" in text_of(await dm.cmd("verwijskaart", who="Bo"))
    # An, coordinator of the team, edits from the DM.
    an = Chat(engine, "dm-an", group=False)
    assert "Op de verwijskaart" in text_of(await an.cmd("verwijskaart 1 Huisarts", who="An"))


async def test_a_verslag_points_to_it(engine: Engine) -> None:
    """Only where a team of the volunteer (an active group they are in) has a card."""
    from bot.tools.intervisie.verwijskaart import pointer_of

    chat = await team(engine)
    bo = int(await engine.db.scalar("SELECT id FROM users WHERE external_id = 'bo'"))
    assert await engine.db.read(pointer_of(bo)) == []
    await chat.cmd("verwijskaart 2 Sociaal huis")
    assert "verwijskaart" in "".join(str(p) for p in await engine.db.read(pointer_of(bo)))
    stranger = Chat(engine, "dm-zed", group=False)
    await stranger.cmd("hulp", who="Zed")
    zed = int(await engine.db.scalar("SELECT id FROM users WHERE external_id = 'zed'"))
    assert await engine.db.read(pointer_of(zed)) == []


async def test_erased_with_the_team_and_the_author_forgotten(engine: Engine) -> None:
    chat = await team(engine)
    await chat.cmd("verwijskaart 2 Sociaal huis")
    dm = Chat(engine, "dm-an", group=False)
    mine = await dm.cmd("mijngegevens", who="An")
    documents = "".join(r.attachment.content for r in mine if r.attachment)
    assert "verwijskaart" in documents and "Sociaal huis" in documents
    await dm.cmd("vergeetmij", who="An")
    await dm.press("Ja, wis alles", who="An")
    row = await engine.db.one("SELECT naam, added_by FROM verwijskaart")
    assert tuple(row) == ("Sociaal huis", None)
    await engine.db.execute("DELETE FROM conversations WHERE external_id = 'team'")
    assert await count(engine, "verwijskaart") == 0
