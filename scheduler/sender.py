"""The one sender for scheduled messages: bounded concurrency, each platform's declared limits,
retries with backoff, and every outcome recorded. Nothing is silently dropped."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping

from bot.core.clock import Clock, iso
from bot.core.delivery import Deliverer, Outcome, Result, SendLimits
from bot.core.replies import Outgoing
from bot.timed.deliveries import Deliveries

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
MarkGone = Callable[[Outgoing], Awaitable[None]]


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
        per = self._limits.per_private_per_second if is_private else (
            self._limits.per_group_per_minute / 60.0)
        if math.isfinite(per) and per > 0:
            self._next_by_target[target_key] = slot + 1.0 / (per * HEADROOM)
        return slot - now


class Sender:
    def __init__(self, deliverers: Mapping[str, Deliverer], deliveries: Deliveries, clock: Clock,
                 mark_gone: MarkGone, concurrency: int = 32, attempts: int = 4,
                 sleep: Sleep = asyncio.sleep) -> None:
        self._deliverers = deliverers
        self._deliveries = deliveries
        self._clock = clock
        self._mark_gone = mark_gone
        self._gate = asyncio.Semaphore(concurrency)
        self._attempts = attempts
        self._sleep = sleep
        self._pacers: dict[str, Pacer] = {}

    async def send(self, outgoing: Outgoing) -> str:
        async with self._gate:
            status, attempts, detail = await self._attempt_all(outgoing)
        if outgoing.key is not None:
            await self._deliveries.finish(outgoing.key, status, attempts, detail,
                                          iso(self._clock.now()))
        if status == "gone":
            await self._mark_gone(outgoing)
        if status != "sent":
            log.warning("delivery %s: key=%s attempts=%d detail=%s", status, outgoing.key,
                        attempts, detail)
        return status

    async def _attempt_all(self, outgoing: Outgoing) -> tuple[str, int, str]:
        deliverer = self._deliverers.get(outgoing.target.platform)
        if deliverer is None:
            return "failed", 0, f"geen verbinding met {outgoing.target.platform}"
        target = outgoing.target
        key = f"{target.workspace_id}:{target.conversation_id or 'dm:' + str(target.user_id)}"
        private = target.conversation_id is None or target.user_id is not None
        result = Result(Outcome.FAILED, detail="niet geprobeerd")
        for attempt in range(1, self._attempts + 1):
            pacer = self._pacers.setdefault(target.platform, Pacer(deliverer.limits))
            await self._sleep(pacer.reserve(key, private))
            try:
                result = await deliverer.deliver(outgoing)
            except Exception as exc:  # an adapter bug must not lose the record
                result = Result(Outcome.FAILED, detail=type(exc).__name__)
            if result.outcome is not Outcome.RETRY:
                break
            if attempt < self._attempts:
                await self._sleep(max(result.retry_after, 2.0 ** (attempt - 1)))
        status = {Outcome.SENT: "sent", Outcome.GONE: "gone"}.get(result.outcome, "failed")
        return status, attempt, result.detail
