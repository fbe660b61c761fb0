"""`planning` as people type it, and personal reminders with snooze and cancel."""

from __future__ import annotations

from datetime import time, timedelta

from bot.timed.herinneringen import Herinneringen
from bot.timed.schedule import Weekly
from tests.conftest import Chat, Setup, text_of, utc


async def test_member_cannot_set_the_plan(setup: Setup) -> None:
    chat = Chat(await setup.engine())
    text = text_of(await chat.cmd("planning maandag 12:00", who="Sam"))
    assert "Alleen coördinatoren" in text
    assert "geen wekelijkse planning actief" in text_of(await chat.cmd("planning", who="Sam"))
    assert "Alleen coördinatoren" in text_of(await chat.cmd("planning nu", who="Sam"))


async def test_bad_planning_input_gets_an_example(setup: Setup) -> None:
    chat = Chat(await setup.engine())
    for line, expected in (
        ("planning blauwdag 12:00", "Schrijf de dagen en het uur"),
        ("planning maandag 25:00", "Schrijf de dagen en het uur"),
        ("planning pauze tot gisteren", "ligt in het verleden"),
        ("planning pauze tot 1-1-2020", "in het verleden"),
        ("planning tijdzone Mars/Olympus", "tijdzone ken ik niet"),
        ("planning feestdagen fr", "planning feestdagen be"),
        ("planning wat taart", "Kies wat de planning post: vraag"),
    ):
        assert expected in text_of(await chat.cmd(line)), line
    assert "geen wekelijkse planning actief" in text_of(await chat.cmd("planning"))


async def test_time_zone_and_days_shown_in_local_time(setup: Setup) -> None:
    chat = Chat(await setup.engine())
    await chat.cmd("planning tijdzone Europe/Amsterdam")
    text = text_of(await chat.cmd("planning ma,do 9u30"))
    assert "elke maandag en donderdag om 09:30 (tijdzone Europe/Amsterdam)" in text
    assert "Volgende keer: maandag 2 maart om 09:30" in text
    assert "geen wekelijkse planning" in text_of(await chat.cmd("planning uit"))


async def test_plan_set_from_a_dm(setup: Setup) -> None:
    engine = await setup.engine()
    group = Chat(engine, "team")
    await group.cmd("vraag")  # An is admin of the team group
    await Chat(engine, "ander").cmd("vraag", who="An", admin=False)
    dm = Chat(engine, "dm-an", group=False)
    replies = await dm.cmd("planning")
    assert [b.label for b in replies[0].buttons] == ["Gesprek team"]
    await dm.press("Gesprek team")
    await dm.cmd("planning woensdag 12:15")
    assert "elke woensdag om 12:15" in text_of(await group.cmd("planning"))
    assert "groep zelf" in text_of(await dm.cmd("planning nu"))
    other = Chat(engine, "dm-sam", group=False)
    assert "nog geen groep" in text_of(await other.cmd("planning", who="Sam", admin=False))


async def test_reminder_arrives_in_dm_then_snooze_and_cancel(setup: Setup) -> None:
    engine = await setup.engine()
    dm = Chat(engine, "dm-an", group=False)
    await dm.cmd("herinneringen")
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    conv_id = await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'dm-an'")
    service = Herinneringen(engine.db)
    once = await service.create(
        user_id, conv_id, "tekst", "Bel mevrouw J. terug", utc(2026, 3, 2, 13, 0), setup.clock.now()
    )
    weekly = await service.create(
        user_id,
        conv_id,
        "tekst",
        "Neem een rustige houding aan",
        utc(2026, 3, 9, 8, 0),
        setup.clock.now(),
        recurrence=Weekly((0,), time(9, 0), "Europe/Brussels"),
    )
    listing = text_of(await dm.cmd("herinneringen"))
    assert "Bel mevrouw J. terug" in listing and "elke maandag om 09:00" in listing
    scheduler = setup.scheduler(engine)
    setup.clock.set(utc(2026, 3, 2, 13, 0, 30))
    await scheduler.tick()
    [sent] = setup.platform.sent
    assert sent.target.user_id == "an" and sent.target.conversation_id == "dm-an"
    assert "Bel mevrouw J. terug" in sent.reply.plain
    dm.last = [sent.reply]
    assert "opnieuw aan op dinsdag 3 maart om 14:00" in text_of(await dm.press("Morgen opnieuw"))
    await dm.cmd("herinneringen")
    await dm.press("1: 1 week later")
    assert (await service.get(once)).due_at == utc(2026, 3, 10, 13, 0, 30)  # type: ignore[union-attr]
    await dm.cmd("herinneringen")
    listing = dm.last
    assert listing[0].plain.index("rustige houding") < listing[0].plain.index("mevrouw J.")
    await dm.press("1: annuleer")
    assert (await service.get(weekly)).status == "cancelled"  # type: ignore[union-attr]
    assert "al gestopt" in text_of(await dm.press("1: annuleer", replies=listing))


async def test_recurring_reminder_comes_back_weekly(setup: Setup) -> None:
    engine = await setup.engine()
    dm = Chat(engine, "dm-an", group=False)
    await dm.cmd("herinneringen")
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    await Herinneringen(engine.db).create(
        user_id,
        None,
        "tekst",
        "Elke maandag",
        utc(2026, 3, 2, 8, 0),
        setup.clock.now(),
        recurrence=Weekly((0,), time(9, 0), "Europe/Brussels"),
    )
    scheduler = setup.scheduler(engine)
    for week in range(3):
        setup.clock.set(utc(2026, 3, 2, 8, 1) + timedelta(weeks=week))
        await scheduler.tick()
        await scheduler.tick()
    assert len(setup.platform.sent) == 3
    assert setup.platform.sent[0].reply.buttons == ()  # no DM known yet: no buttons


async def test_other_users_cannot_touch_my_reminders(setup: Setup) -> None:
    engine = await setup.engine()
    group = Chat(engine, "team")
    await group.cmd("herinneringen")
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    await Herinneringen(engine.db).create(
        user_id, None, "tekst", "privé", utc(2026, 3, 5, 8, 0), setup.clock.now()
    )
    replies = await group.cmd("herinneringen")
    assert replies[0].audience.value == "private"
    assert "voor iemand anders" in text_of(
        await group.press("1: annuleer", who="Sam", replies=replies)
    )
    assert "Je hebt geen lopende herinneringen" in text_of(
        await group.cmd("herinneringen", who="Sam")
    )


async def test_start_page_lists_upcoming_reminders(setup: Setup) -> None:
    engine = await setup.engine()
    dm = Chat(engine, "dm-an", group=False)
    assert "herinneringen" not in text_of(await dm.cmd("overzicht"))
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    await Herinneringen(engine.db).create(
        user_id, None, "tekst", "Bel Fien", utc(2026, 3, 4, 8, 0), setup.clock.now()
    )
    text = text_of(await dm.cmd("overzicht"))
    assert "Je volgende herinneringen" in text and "woensdag 4 maart om 09:00: Bel Fien" in text


async def test_group_start_page_never_shows_reminder_texts(setup: Setup) -> None:
    engine = await setup.engine()
    group = Chat(engine, "team")
    await group.cmd("overzicht")
    user_id = await engine.db.scalar("SELECT id FROM users WHERE external_id = 'an'")
    await Herinneringen(engine.db).create(
        user_id, None, "tekst", "Mijn angst overwinnen", utc(2026, 3, 4, 8, 0), setup.clock.now()
    )
    assert "angst" not in text_of(await group.cmd("overzicht"))
