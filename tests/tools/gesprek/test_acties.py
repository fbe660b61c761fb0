"""`acties`: open agreed steps with their look-back dates; done, moved, dropped; only in the DM."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.conftest import Chat, text_of, trips
from tests.tools.gesprek.test_verslag import ANSWERS, record


async def terugblik_reminders(engine: Engine) -> list[tuple[str, str]]:
    rows = await engine.db.all(
        "SELECT due_at, status FROM herinneringen WHERE kind = 'terugblik' ORDER BY id"
    )
    return [(r["due_at"], r["status"]) for r in rows]


async def test_done_moved_and_dropped(engine: Engine, dm: Chat) -> None:
    assert "geen open acties" in text_of(await dm.cmd("acties"))
    await record(dm, term="21")
    await record(dm, (*ANSWERS[:4], "Bellen met de buurtwerker", *ANSWERS[5:]), term="7")
    listing = await dm.cmd("acties")
    text = text_of(listing)
    assert text.index("Bellen met de buurtwerker") < text.index("Samen naar de repetitie")
    assert "terugblik op maandag 9 maart" in text and "terugblik op maandag 23 maart" in text

    assert "gedaan" in text_of(await dm.press("1: gedaan", replies=listing))
    assert "al afgerond" in text_of(await dm.press("1: gedaan", replies=listing))
    assert "al afgerond" in text_of(await dm.press("1: schrappen", replies=listing))

    assert "Naar wanneer" in text_of(await dm.press("2: andere datum", replies=listing))
    assert "ligt in het verleden" in text_of(await dm.text("gisteren"))
    assert "in het verleden" in text_of(await dm.text("1-3"))
    assert "maandag 30 maart om 09:00" in text_of(
        await dm.text("30-03")
    )  # after the switch to summer time
    assert await terugblik_reminders(engine) == [
        ("2026-03-23T08:00:00+00:00", "cancelled"),
        ("2026-03-09T08:00:00+00:00", "active"),
        ("2026-03-30T07:00:00+00:00", "active"),
    ]
    assert "terugblik op maandag 30 maart" in text_of(await dm.cmd("acties"))

    # the button, the reminders, and the drop with the stop of its reminder: one statement
    assert await trips(engine, dm.press("2: schrappen", replies=listing)) == 3
    assert "geschrapt" in text_of(dm.last)
    assert [s for _, s in await terugblik_reminders(engine)] == ["cancelled", "active", "cancelled"]
    assert "geen open acties" in text_of(await dm.cmd("acties"))
    listing = text_of(await dm.cmd("gesprekken"))
    assert "Bellen met de buurtwerker (gedaan)" in listing
    assert "Samen naar de repetitie (geschrapt)" in listing


async def test_in_a_group_the_list_goes_to_the_dm(engine: Engine, dm: Chat) -> None:
    await record(dm)
    group = Chat(engine, "team")
    here, private = await group.cmd("acties")
    assert "privégesprek" in here.plain and "acties team" in here.plain
    assert "repetitie" not in here.plain and "Mia" not in here.plain
    assert private.audience.value == "dm" and "Samen naar de repetitie" in private.plain
    assert "gedaan" in text_of(await dm.press("1: gedaan", replies=[private]))

    here, private = await group.cmd("acties", who="Sam", admin=False)
    assert private.audience.value == "dm" and "Typ acties" in private.plain
    assert "repetitie" not in private.plain


async def test_the_terugblik_opens_from_acties_and_from_gesprekken(
    engine: Engine, dm: Chat
) -> None:
    await record(dm, term="21")
    listing = await dm.cmd("acties")
    opened = text_of(await dm.press("1: terugblik nu", replies=listing))
    assert "Vraag 1 van" in opened and "Ik bewaar elk antwoord meteen" in opened
    assert "Stop hier" in [b.label for b in dm.last[-1].buttons]
    await dm.text("Ze is één keer mee geweest")
    await dm.cmd("stop")  # typed: the terugblik stops, what was answered stays
    assert "Ze is één keer mee geweest" in text_of(await dm.cmd("gesprekken"))
    again = await dm.cmd("gesprekken")
    assert "Vraag 1 van" in text_of(await dm.press("1: terugblik", replies=again))
    sam = Chat(engine, "dm-sam", group=False)  # someone else's button does nothing for them
    await sam.cmd("hulp", who="Sam")
    assert "Vraag 1 van" not in text_of(await sam.press("1: terugblik", who="Sam", replies=again))
