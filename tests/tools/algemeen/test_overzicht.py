"""One's start page (`overzicht`, Slack's App Home): every feature's part is read together, so
the page costs the same few round trips however much waits for the person."""

from __future__ import annotations

from bot.core.engine import Engine
from bot.timed.herinneringen import Herinneringen
from bot.tools.reflectie.store.reflecties import Reflecties
from tests.conftest import CONTENT, Chat, FakeClock, text_of, trips, utc


async def test_the_start_page_reads_every_part_at_once(engine: Engine, clock: FakeClock) -> None:
    dm = Chat(engine, "dm-an", group=False)
    await dm.cmd("overzicht")  # who An is, known from here on
    empty = await trips(engine, dm.cmd("overzicht"))
    for name in ("team", "buren"):
        team = Chat(engine, name)
        await team.cmd("planning ma,do 12:30")
        await team.cmd("acties team nieuw Flyers ophalen @an 20-03-2026")
        await team.cmd("acties team nieuw Buurtwerker bellen @an 27-03-2026")
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    await Herinneringen(engine.db).create(
        user_id, None, "tekst", "Bel Fien", utc(2026, 3, 4, 8, 0), clock.now()
    )
    runs = Reflecties(engine.db)
    await runs.start(runs.new(user_id, CONTENT.reflectoren.reflectoren[0].id, clock.now()))

    # the question that may wait in the DM (read first for words of distress), every part
    # together, then the page's buttons; before, a read per part, per team and per action
    assert await trips(engine, dm.cmd("overzicht")) == empty == 3
    text = text_of(dm.last)
    assert "Je volgende herinneringen" in text and "Bel Fien" in text
    assert "Nog bezig met " in text
    assert "• Gesprek buren: maandag 2 maart om 12:30" in text and "• Gesprek team: " in text
    assert "Je open teamacties (4)" in text and "Gesprek buren, actie 2: Buurtwerker bellen" in text
