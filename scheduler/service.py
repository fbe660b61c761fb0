"""The scheduler in the bot process: APScheduler wakes it, the database says what is due."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.delivery import Deliverer
from bot.core.engine import Engine
from bot.core.logsafe import failure
from bot.core.replies import Outgoing
from bot.timed.deliveries import Deliveries
from scheduler.lock import LEASE, Lease
from scheduler.sender import Sender, Sleep

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(hours=12)


class Scheduler:
    def __init__(self, engine: Engine, deliverers: Mapping[str, Deliverer],
                 grace: timedelta = DEFAULT_GRACE, owner: str | None = None,
                 concurrency: int = 32, sleep: Sleep | None = None) -> None:
        self._engine = engine
        self._clock = engine.deps.clock
        self._grace = grace
        self.lease = Lease(engine.db, owner)
        self.sender = Sender(deliverers, Deliveries(engine.db), self._clock, self._gone,
                             concurrency=concurrency, sleep=sleep or asyncio.sleep)
        self._aps: AsyncIOScheduler | None = None

    async def _gone(self, outgoing: Outgoing) -> None:
        target = outgoing.target
        if target.conversation_id is not None:
            await self._engine.set_active(target.platform, target.workspace_id,
                                          target.conversation_id, False)

    async def tick(self) -> Counter[str]:
        """Send everything due now, once. Does nothing while another process holds the lease."""
        if not await self.lease.hold(self._clock.now()):
            return Counter(idle=1)
        keeper = asyncio.create_task(self._keep_lease())
        sends: list[asyncio.Task[str]] = []
        try:
            # Ticks never overlap and this process holds the lease: a claim still open now was
            # stranded by a crash or a failed tick, and is sent again.
            in_flight = await Deliveries(self._engine.db).in_flight()
            if in_flight:
                log.warning("resending %d deliveries that were claimed but not sent", len(in_flight))
            sends += [asyncio.create_task(self.sender.send(o)) for o in in_flight]
            try:
                async for outgoing in self._engine.claim_due(self._grace):
                    sends.append(asyncio.create_task(self.sender.send(outgoing)))
            except asyncio.CancelledError:
                for task in sends:
                    task.cancel()
                raise
            except Exception as exc:
                log.error("claiming due work failed: error=%s", failure(exc))
            results = await asyncio.gather(*sends, return_exceptions=True)
            return Counter(r if isinstance(r, str) else "failed" for r in results)
        finally:
            keeper.cancel()

    async def _keep_lease(self) -> None:
        """A long fan-out (10,000 nudges at 30 per second) outlasts the lease: renew it meanwhile."""
        while True:
            await asyncio.sleep(LEASE.total_seconds() / 4)
            if not await self.lease.hold(self._clock.now()):
                log.warning("scheduler lease lost during a tick")
                return

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except Exception as exc:
            log.error("scheduler tick failed: error=%s", failure(exc))

    def start(self, every_seconds: int = 20) -> None:
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._aps.add_job(self._safe_tick, "interval", seconds=every_seconds, id="kletspot-tick",
                          max_instances=1, coalesce=True, next_run_time=datetime.now(UTC))
        self._aps.start()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
        await self.lease.release()
