"""Outages, a slow API, a clock that jumps, a second process, a graceful stop: timed messages
go out once, late rather than never. Time is injected: an hour of outage passes at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta
from pathlib import Path

from bot.core import buttons
from bot.core.clock import FakeClock
from bot.core.engine import Engine
from scheduler.heartbeat import Heartbeat
from scheduler.service import Scheduler
from tests.conftest import CONTENT, Setup, planned_chat, utc


async def test_the_loop_wakes_after_the_clock_is_set_back(setup: Setup) -> None:
    """Before: APScheduler computed its next wake from the wall clock and slept the hour."""
    engine = await setup.engine()
    await planned_chat(engine)
    setup.clock.set(utc(2026, 3, 2, 10, 0))  # set back an hour
    scheduler = Scheduler(engine, {"console": setup.platform}, monotonic=setup.monotonic)
    scheduler.start(every_seconds=0.01)
    try:
        ticked = asyncio.Event()
        original = scheduler.tick

        async def tick():  # type: ignore[no-untyped-def]
            result = await original()
            ticked.set()
            return result

        scheduler.tick = tick  # type: ignore[method-assign]
        await asyncio.wait_for(ticked.wait(), 5)
        assert setup.platform.sent == []
        setup.clock.set(utc(2026, 3, 2, 11, 0, 30))  # corrected three minutes... an hour later
        for _ in range(500):
            ticked.clear()
            await asyncio.wait_for(ticked.wait(), 5)
            if setup.platform.sent:
                break
        assert len(setup.platform.sent) == 1
    finally:
        await scheduler.stop()


async def test_a_silent_process_is_seen_by_the_others_own_time(setup: Setup) -> None:
    """A process that dies is seen as silent after 20 s of the other's monotonic time, whatever
    the wall clock does; before the lease, a clock set back an hour blocked a restart."""
    engine = await setup.engine()
    mono = [1000.0]
    dead = Heartbeat(engine.db, "oud", monotonic=lambda: mono[0])
    assert await dead.beat() == []
    setup.clock.set(utc(2026, 3, 2, 7, 0))  # the wall clock goes back: changes nothing
    alive = Heartbeat(engine.db, "nieuw", monotonic=lambda: mono[0])
    assert await alive.beat() == []
    mono[0] += 19
    assert await alive.beat() == []
    mono[0] += 2
    assert await alive.beat() == ["oud"]  # 21 s without a new heartbeat
    await dead.beat()  # it was only slow: a new beat and it is alive again
    assert await alive.beat() == []
    mono[0] += 21
    assert await alive.beat() == ["oud"]
    await alive.forget("oud")
    assert await engine.db.scalar("SELECT COUNT(*) FROM senders") == 1


async def test_a_graceful_stop_releases_what_it_did_not_send(setup: Setup) -> None:
    engine = await setup.engine()
    from tests.conftest import Chat

    for n in range(6):
        await Chat(engine, f"team-{n}").cmd("planning maandag 12:00")
    setup.clock.set(utc(2026, 3, 2, 11, 1))
    setup.platform.hold = asyncio.Event()
    first = setup.scheduler(engine, concurrency=1)
    task = asyncio.create_task(first.tick())
    await asyncio.wait_for(setup.platform.entered.wait(), 5)
    stopping = asyncio.create_task(first.stop(grace=5))
    setup.platform.hold.set()  # the send in flight finishes within the grace
    await asyncio.wait_for(stopping, 6)
    counts = await asyncio.wait_for(task, 1)
    assert counts["sent"] == 1 and counts["released"] >= 1
    assert await engine.db.scalar("SELECT COUNT(*) FROM senders") == 0  # heartbeat ended
    held = "SELECT COUNT(*) FROM deliveries WHERE status = 'claimed' AND claimed_by IS NOT NULL"
    assert await engine.db.scalar(held) == 0  # every claim released
    setup.platform.hold = None
    second = setup.scheduler(engine, "twee")
    await second.tick()  # no waiting 20 s: the claims were released
    targets = sorted(o.target.conversation_id for o in setup.platform.sent)
    assert targets == [f"team-{n}" for n in range(6)]  # each once: no double, no loss


async def test_old_buttons_are_pruned_recent_ones_kept(setup: Setup) -> None:
    engine = await setup.engine()
    chat = await planned_chat(engine)
    await chat.cmd("vraag groen")
    made = await engine.db.scalar("SELECT COUNT(*) FROM buttons")
    assert made > 0
    assert await buttons.prune(engine.db, setup.clock.now() + timedelta(days=59)) == 0
    assert await buttons.prune(engine.db, setup.clock.now() + timedelta(days=61)) == made


async def test_the_wal_holds_no_erased_text(tmp_path: Path) -> None:
    from random import Random

    from tests.conftest import Chat

    path = tmp_path / "wis.db"
    engine = await Engine.open(path, CONTENT, clock=FakeClock(), rng=Random(1))
    try:
        dm = Chat(engine, "dm-1", group=False)
        await dm.cmd("noteer privé Ik voel me zo alleen sinds de verhuis naar Gent")
        wal = Path(str(path) + "-wal")
        assert b"verhuis naar Gent" in wal.read_bytes() + path.read_bytes()
        await dm.cmd("vergeetmij")
        await dm.press("Ja, wis alles")
        assert wal.stat().st_size == 0  # checkpointed and truncated
        assert b"verhuis naar Gent" not in path.read_bytes()
    finally:
        await engine.close()


async def test_apscheduler_wakes_after_the_clock_was_set_back() -> None:
    """A job planned an hour ahead (what a clock set back an hour leaves behind) runs at the
    next wake-up instead of an hour later."""
    from datetime import datetime, timedelta

    from scheduler.service import ClockSafeScheduler

    ran = asyncio.Event()

    async def job() -> None:
        ran.set()

    aps = ClockSafeScheduler(0.2, timezone="UTC")
    aps.add_job(
        job,
        "interval",
        seconds=0.2,
        id="probe",
        next_run_time=datetime.now(UTC) + timedelta(hours=1),
    )
    aps.start()
    try:
        await asyncio.wait_for(ran.wait(), timeout=5)
    finally:
        aps.shutdown(wait=False)
