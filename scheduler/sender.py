"""The one sender for scheduled messages: bounded concurrency, retries while the message is
within its grace, and every outcome recorded.

It paces nothing itself: each platform's send path keeps its account's pace
(`bot/core/pacing.py`), for these posts and for replies alike, so no message is paced twice.

- A platform's definite no (bad request, blocked, removed) ends a message: failed or gone.
- 429, 5xx and network errors are waited out with backoff for as long as the occurrence is
  within its grace window (`KLETSPOT_GRACE_HOURS`): an outage is not a failure.
- A send that timed out after leaving may have arrived: it is repeated once, never twice.
- When the process stops, a message whose send has not started is *released*: its claim and
  rendered payload stay, and the next start sends it. Nothing is silently dropped, nothing sent
  twice by a graceful stop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.core import metrics
from bot.core.clock import Clock, iso, parse_iso
from bot.core.delivery import Deliverer, Outcome, Result
from bot.core.pacing import Released
from bot.core.replies import Outgoing
from bot.timed.deliveries import Deliveries

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
MarkGone = Callable[[Outgoing], Awaitable[None]]

RELEASED = "released"
"""Not sent because the process stops; the claim stays and the next start sends it."""
MAX_BACKOFF = 60.0
"""The longest pause between two attempts during an outage."""


class Sender:
    def __init__(
        self,
        deliverers: Mapping[str, Deliverer],
        deliveries: Deliveries,
        clock: Clock,
        mark_gone: MarkGone,
        grace: timedelta,
        concurrency: int = 32,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._deliverers = deliverers
        self._deliveries = deliveries
        self._clock = clock
        self._mark_gone = mark_gone
        self._grace = grace
        self._gate = asyncio.Semaphore(concurrency)
        self._sleep = sleep
        self._finished: list[tuple[tuple[str, str, int, str, str], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.stopping = asyncio.Event()

    async def send(self, outgoing: Outgoing) -> str:
        async with self._gate:
            if self.stopping.is_set():
                return self._released(outgoing)
            status, attempts, detail = await self._attempt_all(outgoing)
        if status == RELEASED:
            return self._released(outgoing)
        if outgoing.key is not None:
            await self._record((outgoing.key, status, attempts, detail, iso(self._clock.now())))
        metrics.DELIVERIES.labels(status).inc()
        if status == "gone":
            await self._mark_gone(outgoing)
        if status != "sent":
            log.warning(
                "delivery %s: key=%s attempts=%d detail=%s", status, outgoing.key, attempts, detail
            )
        return status

    async def _record(self, outcome: tuple[str, str, int, str, str]) -> None:
        """Outcomes are written together: those that end while one write is on its way go in
        the next, one statement for all. Returns once this outcome is stored."""
        done = asyncio.get_running_loop().create_future()
        self._finished.append((outcome, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await asyncio.shield(done)

    async def _write(self) -> None:
        while self._finished:
            batch, self._finished = self._finished, []
            try:
                await self._deliveries.finish([outcome for outcome, _ in batch])
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    def _released(self, outgoing: Outgoing) -> str:
        metrics.DELIVERIES.labels(RELEASED).inc()
        log.info("delivery released for the next start: key=%s", outgoing.key)
        return RELEASED

    async def _deadline(self, outgoing: Outgoing) -> datetime:
        """The end of the occurrence's grace: retries stop there."""
        at = await self._deliveries.occurrence_of(outgoing.key) if outgoing.key else None
        start = parse_iso(at) if at else self._clock.now()
        return start + self._grace

    async def _attempt_all(self, outgoing: Outgoing) -> tuple[str, int, str]:
        deliverer = self._deliverers.get(outgoing.target.platform)
        if deliverer is None:
            return "failed", 0, f"geen verbinding met {outgoing.target.platform}"
        deadline: datetime | None = None  # read only when a retry is considered
        timeouts = 0
        attempt = 0
        while True:
            if self.stopping.is_set():
                return RELEASED, attempt, "gestopt"
            attempt += 1
            try:
                result = await deliverer.deliver(outgoing)
            except Released:  # stopped while it waited for its turn in the pace: not sent
                return RELEASED, attempt - 1, "gestopt"
            except Exception as exc:  # an adapter bug must not lose the record
                result = Result(Outcome.FAILED, detail=type(exc).__name__)
            if result.outcome is Outcome.SENT:
                return "sent", attempt, result.detail
            if result.outcome is Outcome.GONE:
                return "gone", attempt, result.detail
            if result.outcome is Outcome.FAILED:
                return "failed", attempt, result.detail
            if result.outcome is Outcome.UNSURE:
                timeouts += 1
                if timeouts > 1:
                    return "failed", attempt, f"{result.detail} (twee keer; mogelijk verstuurd)"
            pause = max(result.retry_after, min(2.0 ** (attempt - 1), MAX_BACKOFF))
            deadline = deadline or await self._deadline(outgoing)
            if self._clock.now() + timedelta(seconds=pause) > deadline:
                return "failed", attempt, f"{result.detail} (te laat na herhalen)"
            if not await self._wait(pause):
                return RELEASED, attempt, "gestopt"

    async def _wait(self, seconds: float) -> bool:
        """Sleep, unless the process stops first (then False: release, do not send)."""
        if self.stopping.is_set():
            return False
        if seconds <= 0:
            return True
        sleeper = asyncio.ensure_future(self._sleep(seconds))
        stopper = asyncio.ensure_future(self.stopping.wait())
        try:
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopper.cancel()
        return not self.stopping.is_set()
