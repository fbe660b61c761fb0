"""The scheduler in the bot process: APScheduler wakes it every `EVERY` seconds, the database
says what is due.

APScheduler plans with the wall clock: a clock set back one hour (and corrected minutes later)
would have it sleep the whole hour. `ClockSafeScheduler` never waits longer than the interval
and re-anchors a job planned further ahead than it could be, so it wakes correctly whichever way
the clock jumps; the heartbeats (`scheduler/heartbeat.py`) are clock-proof in the same way.

Every process runs one: each claims batches of what is due (PostgreSQL hands two processes
different rows), sends what it claimed, and takes over the claims of a process that went silent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core import metrics
from bot.core.delivery import Deliverer
from bot.core.engine import Engine
from bot.core.logsafe import failure
from bot.core.replies import Outgoing
from bot.timed.deliveries import Deliveries
from scheduler.heartbeat import BEAT, Heartbeat
from scheduler.sender import Sender, Sleep

log = logging.getLogger(__name__)
logging.getLogger("apscheduler").setLevel(logging.WARNING)
"""APScheduler tells every run at INFO; once every 20 seconds is noise in an operator's log."""

DEFAULT_GRACE = timedelta(hours=12)
EVERY = 20.0
"""Seconds between two looks at what is due."""
STOP_GRACE = 3.0
"""On a stop, sends already on their way get this long to finish; the rest is released."""
TIDY_EVERY = 600.0
"""Seconds between two tidy-ups: a held crisis text waits at most this long past its wait."""


class ClockSafeScheduler(AsyncIOScheduler):  # type: ignore[misc]  # APScheduler 3 is untyped
    """AsyncIOScheduler that survives a wall clock set back or forward: it wakes at least every
    `longest` seconds of loop (monotonic) time, and a job whose next run lies further ahead
    than `longest` runs now."""

    def __init__(self, longest: float, **options: Any) -> None:
        super().__init__(**options)
        self._longest = longest

    def _start_timer(self, wait_seconds: float | None) -> None:
        capped = self._longest if wait_seconds is None else min(wait_seconds, self._longest)
        super()._start_timer(capped)

    def _process_jobs(self) -> float | None:
        now = datetime.now(self.timezone)
        for job in self.get_jobs():
            ahead = job.next_run_time - now if job.next_run_time else None
            if ahead is not None and ahead.total_seconds() > self._longest * 2:
                job.modify(next_run_time=now)  # the clock went back: the plan is stale
        wait: float | None = super()._process_jobs()
        return wait


class Scheduler:
    def __init__(
        self,
        engine: Engine,
        deliverers: Mapping[str, Deliverer],
        grace: timedelta = DEFAULT_GRACE,
        owner: str | None = None,
        concurrency: int = 32,
        sleep: Sleep | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._clock = engine.deps.clock
        self._grace = grace
        self._monotonic = monotonic
        self.heartbeat = Heartbeat(engine.db, owner, monotonic)
        self.owner = self.heartbeat.owner
        self._deliveries = Deliveries(engine.db)
        self._adopted: list[Outgoing] = []
        """Claims taken over from a silent process, sent at the next tick."""
        self._started = False
        self.sender = Sender(
            deliverers,
            self._deliveries,
            self._clock,
            self._gone,
            grace,
            concurrency=concurrency,
            sleep=sleep or asyncio.sleep,
        )
        engine.paces.stopping.clear()  # a previous scheduler's stop released its posts, not ours
        self._room = asyncio.Semaphore(concurrency * 2)
        """Claims made and not finished: claiming waits while the sender has this many."""
        self._aps: ClockSafeScheduler | None = None
        self._current: asyncio.Task[Any] | None = None
        """The wake-up in progress, so a stop can give it time to finish."""
        self._keeper: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._tidied = -TIDY_EVERY

    async def _gone(self, outgoing: Outgoing) -> None:
        target = outgoing.target
        if target.conversation_id is not None:
            await self._engine.set_active(
                target.platform, target.workspace_id, target.conversation_id, False
            )

    async def tick(self) -> Counter[str]:
        """Send everything due now that no other process is claiming, once; and what this
        process took over or found released."""
        if self._stopping.is_set():
            return Counter(idle=1)
        await self._look_around()
        sends: list[asyncio.Task[str]] = []
        try:
            resend: list[Outgoing] = []
            if not self._started:  # a previous life of this owner name left these
                resend = await self._deliveries.take(self.owner, self.owner)
                self._started = True
            resend += await self._deliveries.take(self.owner)  # released by a stop
            resend, self._adopted = resend + self._adopted, []
            if resend:
                log.warning("sending %d deliveries that were claimed but not sent", len(resend))
            for outgoing in resend:
                await self._take_room()
                sends.append(asyncio.create_task(self._send(outgoing)))
            if not self._stopping.is_set():
                try:
                    async for outgoing in self._engine.claim_due(self._grace, self.owner):
                        sends.append(asyncio.create_task(self._send(outgoing)))
                        await self._take_room()  # claim no further than the sender can go
                        if self._stopping.is_set():
                            break
                except Exception as exc:
                    log.error("claiming due work failed: error=%s", failure(exc))
            results = await asyncio.gather(*sends, return_exceptions=True)
            return Counter(r if isinstance(r, str) else "failed" for r in results)
        except asyncio.CancelledError:
            for task in sends:
                task.cancel()
            raise

    async def _look_around(self) -> bool:
        """Beat, and take over the claims of processes that went silent; True if any."""
        took = False
        for silent in await self.heartbeat.beat():
            taken = await self._deliveries.take(self.owner, silent)
            await self.heartbeat.forget(silent)
            self._adopted += taken
            took = took or bool(taken)
        await self._engine.paces.company(self.heartbeat.others)
        return took

    async def _take_room(self) -> None:
        await self._room.acquire()
        metrics.CLAIMS_WAITING.inc()

    async def _send(self, outgoing: Outgoing) -> str:
        try:
            return await self.sender.send(outgoing)
        finally:
            self._room.release()
            metrics.CLAIMS_WAITING.dec()

    async def tidy(self) -> None:
        """The engine's housekeeping (old tokens, handled update ids, held texts)."""
        removed = await self._engine.tidy()
        if removed:
            log.info("tidied: rows=%d", removed)

    async def _keep_beating(self) -> None:
        """A heartbeat every BEAT seconds, during long fan-outs too."""
        while not self._stopping.is_set():
            try:
                if await self._look_around():
                    self._wake_now()  # taken over from a process that died: no waiting 20 s
            except Exception as exc:
                log.error("scheduler heartbeat failed: error=%s", failure(exc))
            await self._pause(BEAT)

    def _wake_now(self) -> None:
        """Bring the next wake-up forward; APScheduler keeps it to one at a time."""
        if self._aps is not None and self._aps.running:
            self._aps.modify_job("kletspot-wake", next_run_time=datetime.now(self._aps.timezone))

    async def wake(self) -> None:
        """One wake-up: what is due now, and once an hour the tidy-up. Never raises."""
        if self._stopping.is_set():
            return
        self._current = asyncio.current_task()
        try:
            await self.tick()
            if self._monotonic() - self._tidied >= TIDY_EVERY:
                self._tidied = self._monotonic()
                await self.tidy()
        except asyncio.CancelledError:
            # a stop that outlasted its grace: what was claimed stays claimed for the next start
            log.info("scheduler wake-up ended by the stop")
        except Exception as exc:
            log.error("scheduler tick failed: error=%s", failure(exc))
        finally:
            self._current = None

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            pass

    def start(self, every_seconds: float = EVERY) -> None:
        """The heartbeat, and APScheduler waking `wake` every `every_seconds`, first now."""
        self._keeper = asyncio.create_task(self._keep_beating())
        self._aps = ClockSafeScheduler(every_seconds, timezone="UTC")
        self._aps.add_job(
            self.wake,
            "interval",
            seconds=every_seconds,
            id="kletspot-wake",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(self._aps.timezone),
        )
        self._aps.start()

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Take no more work, give sends on their way `grace` seconds, release the rest (any
        process takes them at once) and end the heartbeat. Every outcome is recorded; nothing
        waits longer than `grace` plus a moment."""
        self._stopping.set()
        self.sender.stopping.set()
        self._engine.paces.release_posts()  # posts waiting for their turn are not sent
        if self._aps is not None and self._aps.running:
            self._aps.pause()  # no new wake-ups; shutting down now would cancel the current one
        tasks = [t for t in (self._current, self._keeper) if t is not None]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        released = await self._deliveries.release(self.owner)
        if released:
            log.info("released %d claims for the next process to send", released)
        await self.heartbeat.stop()
