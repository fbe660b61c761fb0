"""The one sender for scheduled messages: bounded concurrency, each platform's declared limits,
retries while the message is within its grace, and every outcome recorded.

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
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.core import metrics
from bot.core.clock import Clock, iso, parse_iso
from bot.core.delivery import Deliverer, Outcome, Result, SendLimits
from bot.core.replies import Outgoing
from bot.timed.deliveries import Deliveries

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
MarkGone = Callable[[Outgoing], Awaitable[None]]

RELEASED = "released"
"""Not sent because the process stops; the claim stays and the next start sends it."""
MAX_BACKOFF = 60.0
"""The longest pause between two attempts during an outage."""

HEADROOM = 0.97
"""Slots are reserved at 97% of a declared rate: a send that leaves a few milliseconds late must
not make two arrive inside the platform's window (a 429 costs far more than 3%)."""


class Pacer:
    """Reserves send slots: globally per platform, and per conversation (groups and DMs differ)."""

    def __init__(self, limits: SendLimits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._limits = limits
        self._now = monotonic
        self._next_global = 0.0
        self._next_by_target: dict[str, float] = {}

    def reserve(self, target_key: str, is_private: bool) -> float:
        """Seconds to wait before this send may go out; the slot is taken immediately."""
        now = self._now()
        slot = max(now, self._next_global, self._next_by_target.get(target_key, 0.0))
        if math.isfinite(self._limits.per_second) and self._limits.per_second > 0:
            self._next_global = slot + 1.0 / (self._limits.per_second * HEADROOM)
        per = (
            self._limits.per_private_per_second
            if is_private
            else (self._limits.per_group_per_minute / 60.0)
        )
        if math.isfinite(per) and per > 0:
            self._next_by_target[target_key] = slot + 1.0 / (per * HEADROOM)
        return slot - now


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
        self._pacers: dict[str, Pacer] = {}
        self.stopping = asyncio.Event()

    async def send(self, outgoing: Outgoing) -> str:
        async with self._gate:
            if self.stopping.is_set():
                return self._released(outgoing)
            status, attempts, detail = await self._attempt_all(outgoing)
        if status == RELEASED:
            return self._released(outgoing)
        if outgoing.key is not None:
            await self._deliveries.finish(
                outgoing.key, status, attempts, detail, iso(self._clock.now())
            )
        metrics.DELIVERIES.labels(status).inc()
        if status == "gone":
            await self._mark_gone(outgoing)
        if status != "sent":
            log.warning(
                "delivery %s: key=%s attempts=%d detail=%s", status, outgoing.key, attempts, detail
            )
        return status

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
        target = outgoing.target
        key = f"{target.workspace_id}:{target.conversation_id or 'dm:' + str(target.user_id)}"
        private = target.conversation_id is None or target.user_id is not None
        deadline = await self._deadline(outgoing)
        timeouts = 0
        attempt = 0
        while True:
            pacer = self._pacers.setdefault(target.platform, Pacer(deliverer.limits))
            if not await self._wait(pacer.reserve(key, private)):
                return RELEASED, attempt, "gestopt"
            attempt += 1
            try:
                result = await deliverer.deliver(outgoing)
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
