"""Weekly nudges: once per occurrence, across restarts, DST, holidays, pauses and two processes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.delivery import Outcome, Result
from tests.conftest import CONTENT, Setup, planned_chat, text_of, utc

ALL_QUESTIONS = {q for c in CONTENT.kletspot.clusters for q in c.vragen}


async def test_due_nudge_fires_once_with_a_question(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    scheduler = setup.scheduler(engine)
    assert sum((await scheduler.tick()).values()) == 0
    setup.clock.set(utc(2026, 3, 2, 11, 0, 30))
    assert (await scheduler.tick())["sent"] == 1
    assert (await scheduler.tick())["sent"] == 0
    [sent] = setup.platform.sent
    assert sent.target.conversation_id == "team" and "Vraag van de week" in sent.reply.plain
    assert sent.reply.plain.split("\n\n")[-1] in ALL_QUESTIONS
    shown = text_of(await chat.cmd("planning"))
    assert "Laatste keer: maandag 2 maart om 12:00, verstuurd" in shown
    assert "Volgende keer: maandag 9 maart om 12:00" in shown


async def test_nudge_respects_the_jar_no_repeat(setup: Setup) -> None:
    engine = await setup.engine()
    await planned_chat(engine, "ma,di,wo,do,vr,za,zo 12:00")
    scheduler = setup.scheduler(engine)
    for n in range(26):
        setup.clock.set(utc(2026, 3, 2, 11, 1) + timedelta(days=n))
        await scheduler.tick()
    questions = [o.reply.plain.split("\n\n")[-1] for o in setup.platform.sent]
    assert len(questions) == 26 and set(questions) == ALL_QUESTIONS


async def test_restart_within_grace_sends_once(setup: Setup) -> None:
    first = await setup.engine()
    await planned_chat(first)
    scheduler = setup.scheduler(first)
    await scheduler.tick()
    await scheduler.stop()
    await first.close()
    setup.engines.remove(first)
    setup.clock.set(utc(2026, 3, 2, 15, 0))  # down from 09:00 to 16:00, nudge due at 12:00
    for _ in range(3):  # three restarts in a row
        engine = await setup.engine()
        scheduler = setup.scheduler(engine)
        await scheduler.tick()
        await scheduler.stop()
    assert len(setup.platform.sent) == 1


async def test_restart_after_grace_skips_and_records(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    setup.clock.set(utc(2026, 3, 3, 8, 0))  # 20 hours late
    await setup.scheduler(engine).tick()
    assert setup.platform.sent == []
    shown = text_of(await chat.cmd("planning"))
    assert "overgeslagen (te laat (de bot stond uit))" in shown
    assert "Volgende keer: maandag 9 maart om 12:00" in shown


async def test_configurable_grace(setup: Setup) -> None:
    engine = await setup.engine()
    await planned_chat(engine)
    setup.clock.set(utc(2026, 3, 2, 14, 0))
    await setup.scheduler(engine, grace=timedelta(hours=1)).tick()
    assert setup.platform.sent == []


async def tick_hourly(setup: Setup, scheduler, start, end) -> list:  # type: ignore[no-untyped-def]
    moment = start
    while moment <= end:
        setup.clock.set(moment)
        await scheduler.tick()
        moment += timedelta(minutes=30)
    return [o.key for o in setup.platform.sent]


async def test_spring_dst_week_one_nudge_at_local_noon(setup: Setup) -> None:
    engine = await setup.engine()
    await planned_chat(engine, "zondag,maandag 12:00")
    keys = await tick_hourly(setup, setup.scheduler(engine), utc(2026, 3, 22), utc(2026, 4, 1))
    assert keys == [
        "nudge:1:2026-03-22T11:00:00+00:00",
        "nudge:1:2026-03-23T11:00:00+00:00",
        "nudge:1:2026-03-29T10:00:00+00:00",
        "nudge:1:2026-03-30T10:00:00+00:00",
    ]


async def test_autumn_dst_week_one_nudge_at_local_noon(setup: Setup) -> None:
    engine = await setup.engine()
    await planned_chat(engine, "zondag 12:00")
    keys = await tick_hourly(setup, setup.scheduler(engine), utc(2026, 10, 18), utc(2026, 11, 2))
    assert keys == [
        "nudge:1:2026-10-18T10:00:00+00:00",
        "nudge:1:2026-10-25T11:00:00+00:00",
        "nudge:1:2026-11-01T11:00:00+00:00",
    ]


async def test_belgian_holiday_skipped_silently(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    await chat.cmd("planning feestdagen be")
    keys = await tick_hourly(setup, setup.scheduler(engine), utc(2026, 4, 1), utc(2026, 4, 14))
    assert keys == ["nudge:1:2026-04-13T10:00:00+00:00"]  # Easter Monday 6 April said nothing
    await chat.cmd("planning feestdagen nl")
    assert "Nederlandse feestdagen worden overgeslagen" in text_of(await chat.cmd("planning"))


async def test_pause_until_a_date(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    text = text_of(await chat.cmd("planning pauze tot 16-03-2026"))
    assert (
        "Gepauzeerd tot en met maandag 16 maart" in text
        and "Volgende keer: maandag 23 maart" in text
    )
    keys = await tick_hourly(setup, setup.scheduler(engine), utc(2026, 3, 2), utc(2026, 3, 24))
    assert keys == ["nudge:1:2026-03-23T11:00:00+00:00"]
    await chat.cmd("planning pauze uit")
    assert "Gepauzeerd" not in text_of(await chat.cmd("planning"))


async def test_two_processes_schedule_once(setup: Setup) -> None:
    one, two = await setup.engine(), await setup.engine()
    await planned_chat(one, "ma,di 12:00")
    first, second = setup.scheduler(one, "een"), setup.scheduler(two, "twee")
    setup.clock.set(utc(2026, 3, 2, 11, 1))
    results = await asyncio.gather(first.tick(), second.tick())
    assert sum(r["sent"] for r in results) == 1  # both look, one claims
    assert len(setup.platform.sent) == 1
    setup.clock.set(utc(2026, 3, 3, 11, 0, 30))
    results = await asyncio.gather(second.tick(), first.tick())
    assert sum(r["sent"] for r in results) == 1
    assert len(setup.platform.sent) == 2


async def test_crash_mid_fan_out_loses_nothing(setup: Setup) -> None:
    engine = await setup.engine()
    from tests.conftest import Chat

    for n in range(5):
        await Chat(engine, f"team-{n}").cmd("planning maandag 12:00")
    setup.clock.set(utc(2026, 3, 2, 11, 1))
    setup.platform.hold = asyncio.Event()
    crashed = setup.scheduler(engine, "gecrasht", concurrency=2)
    task = asyncio.create_task(crashed.tick())
    await asyncio.wait_for(setup.platform.entered.wait(), timeout=5)
    task.cancel()  # the process dies with two sends in flight and three waiting
    await asyncio.gather(task, return_exceptions=True)
    setup.platform.hold = None
    setup.clock.set(utc(2026, 3, 2, 11, 5))  # a new process starts
    restarted = setup.scheduler(engine, "nieuw")
    assert await restarted.tick() == {}  # the claims are the dead one's: not yet its own
    setup.clock.advance(seconds=21)  # its heartbeat unchanged for 20 seconds: taken over
    assert (await restarted.tick())["sent"] == 5
    targets = sorted(o.target.conversation_id for o in setup.platform.sent)
    assert targets == [f"team-{n}" for n in range(5)]
    assert await restarted.tick() == {}


async def test_retry_then_sent_and_failure_shown(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine, "ma,di 12:00")
    scheduler = setup.scheduler(engine)
    setup.platform.script = [Result(Outcome.RETRY, retry_after=1), Result(Outcome.SENT)]
    setup.clock.set(utc(2026, 3, 2, 11, 1))
    assert (await scheduler.tick())["sent"] == 1
    setup.platform.script = [Result(Outcome.FAILED, detail="BadRequest")]
    setup.clock.set(utc(2026, 3, 3, 11, 1))
    assert (await scheduler.tick())["failed"] == 1
    assert "mislukt (BadRequest)" in text_of(await chat.cmd("planning"))


async def test_removed_chat_stops_receiving(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine, "ma,di 12:00")
    scheduler = setup.scheduler(engine)
    setup.platform.script = [Result(Outcome.GONE, detail="Forbidden")]
    setup.clock.set(utc(2026, 3, 2, 11, 1))
    assert (await scheduler.tick())["gone"] == 1
    setup.clock.set(utc(2026, 3, 3, 11, 1))
    await scheduler.tick()
    assert setup.platform.sent == []
    assert "gesprek niet actief" in text_of(await chat.cmd("planning"))


async def test_planning_nu_posts_at_once(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    replies = await chat.cmd("planning nu")
    assert "Vraag van de week" in replies[0].plain


async def test_one_tick_sends_more_than_a_batch(setup: Setup) -> None:
    engine = await setup.engine()
    now = "2026-03-01T00:00:00+00:00"
    async with engine.db.transaction():
        await engine.db.executemany(
            "INSERT INTO conversations (platform, workspace_id, external_id, is_group, created_at)"
            " VALUES ('console', 'w', ?, 1, ?)",
            [(f"g{n}", now) for n in range(1200)],
        )
        await engine.db.executemany(
            "INSERT INTO planningen (conversation_id, weekdays, local_time, next_at, updated_at)"
            " VALUES (?, '0', '12:00', '2026-03-02T11:00:00+00:00', ?)",
            [(n + 1, now) for n in range(1200)],
        )
    setup.clock.set(utc(2026, 3, 2, 11, 0, 30))
    assert (await setup.scheduler(engine).tick())["sent"] == 1200
    assert len({o.target.conversation_id for o in setup.platform.sent}) == 1200


async def test_a_nudge_that_cannot_be_prepared_blocks_nothing(setup: Setup) -> None:
    engine = await setup.engine()
    from tests.conftest import Chat

    for name in ("a", "b", "c"):
        await Chat(engine, name).cmd("planning ma,di 12:00")
    kind = engine.router.nudges["vraag"]
    broken_id = await engine.db.scalar("SELECT id FROM conversations WHERE external_id = 'b'")

    async def render(deps, conversation_id):  # type: ignore[no-untyped-def]
        if conversation_id == broken_id:
            raise RuntimeError("kapot")
        return await kind.render(deps, conversation_id)

    engine.router.nudges["vraag"] = type(kind)(kind.name, kind.label, render)
    setup.clock.set(utc(2026, 3, 2, 11, 1))
    assert (await setup.scheduler(engine).tick())["sent"] == 2
    assert "mislukt (RuntimeError)" in text_of(await Chat(engine, "b").cmd("planning"))
    engine.router.nudges["vraag"] = kind
    setup.clock.set(utc(2026, 3, 3, 11, 1))
    assert (await setup.scheduler(engine).tick())["sent"] == 3  # the next occurrence goes out


async def test_session_summary_is_claimed_once(setup: Setup) -> None:
    engine = await setup.engine()
    from tests.conftest import Chat

    await Chat(engine).cmd("kletspot 10")
    setup.clock.advance(minutes=11)
    scheduler = setup.scheduler(engine)
    assert (await scheduler.tick())["sent"] == 1
    assert (
        await engine.db.scalar("SELECT status FROM deliveries WHERE key LIKE 'session-end:%'")
        == "sent"
    )
    assert await scheduler.tick() == {}
