"""APScheduler only says "look now"; what is due is read from the database by the engine."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.engine import Engine
from bot.replies import Outgoing

log = logging.getLogger(__name__)

Deliver = Callable[[Outgoing], Awaitable[bool]]


async def run_once(engine: Engine, deliver: Deliver) -> int:
    """Deliver everything due now; returns how many went out."""
    sent = 0
    for outgoing in await engine.tick():
        try:
            if await deliver(outgoing):
                sent += 1
        except Exception:
            log.exception("delivery failed: key=%s", outgoing.key)
    return sent


def start(engine: Engine, deliver: Deliver, every_seconds: int = 30) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(run_once, "interval", seconds=every_seconds, args=(engine, deliver),
                      id="tick", max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler
