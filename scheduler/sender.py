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
from scheduler.pacing import SharedPace

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


LATE = 0.01
"""Seconds a send may leave after its slot; later (a busy loop), it takes a new slot, so no
burst of late sends can crowd into one of the platform's one-second windows."""


class Pacer:
    """Send slots per platform account (bot token, Slack workspace) and per conversation
    (groups and DMs differ). The account's slots are shared by every process through the
    database (`SharedPace`); a conversation's are kept here, as each conversation gets a few
    messages at most in a fan-out."""

    def __init__(
        self,
        limits: SendLimits,
        name: str,
        shared: SharedPace | None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = limits
        self._name = name
        self._shared = shared
        self._now = monotonic
        self._next_global = 0.0
        self._next_by_target: dict[str, float] = {}

    def for_target(self, target_key: str, is_private: bool) -> float:
        """Seconds to wait for this conversation's own pace; the slot is taken immediately."""
        now = self._now()
        slot = max(now, self._next_by_target.get(target_key, 0.0))
        per = (
            self._limits.per_private_per_second
            if is_private
            else (self._limits.per_group_per_minute / 60.0)
        )
        if math.isfinite(per) and per > 0:
            self._next_by_target[target_key] = slot + 1.0 / (per * HEADROOM)
        return slot - now

    async def for_account(self) -> float:
        """Seconds to wait for the account's next slot, taken immediately."""
        rate = self._limits.per_second
        if not (math.isfinite(rate) and rate > 0):
            return 0.0
        interval = 1.0 / (rate * HEADROOM)
        if self._shared is not None:
            return await self._shared.take(self._name, interval)
        now = self._now()
        slot = max(now, self._next_global)
        self._next_global = slot + interval
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
        shared: SharedPace | None = None,
    ) -> None:
        self._deliverers = deliverers
        self._deliveries = deliveries
        self._clock = clock
        self._mark_gone = mark_gone
        self._grace = grace
        self._gate = asyncio.Semaphore(concurrency)
        self._sleep = sleep
        self._pacers: dict[str, Pacer] = {}
        self._shared = shared
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
        target = outgoing.target
        key = f"{target.workspace_id}:{target.conversation_id or 'dm:' + str(target.user_id)}"
        private = target.conversation_id is None or target.user_id is not None
        deadline: datetime | None = None  # read only when a retry is considered
        timeouts = 0
        attempt = 0
        account = f"{target.platform}:{target.workspace_id}"
        pacer = self._pacers.get(account)
        if pacer is None:
            pacer = self._pacers[account] = Pacer(deliverer.limits, account, self._shared)
        while True:
            if not await self._wait(pacer.for_target(key, private)):
                return RELEASED, attempt, "gestopt"
            while True:
                wait = await pacer.for_account()
                asked = time.monotonic()
                if not await self._wait(wait):
                    return RELEASED, attempt, "gestopt"
                if wait <= 0 or time.monotonic() - asked - wait <= LATE:
                    break
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
