"""One pace per bot token and per Slack workspace, kept in the database for every process.

Each send first takes the next free slot of its token or workspace with one statement (an
upsert that moves the slot on and returns it), so two processes sending for the same token
together keep its rate as one would. Chosen over "one sender per token": every process keeps
sending what it claimed, no process is a bottleneck or a single point of failure for a token,
and the cost is one small write per send at a rate that is limited anyway (30 a second for
Telegram); an unlimited platform (the console) never touches the table.

Slots are Unix times (`time.time`): processes on one machine share that clock; on several
machines it is as good as their NTP, a few milliseconds, which the headroom covers.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.core.storage import Database

LATE = 0.01
"""Seconds a slot may lie in the past when it comes back and still be used."""
TRIES = 5


class SharedPace:
    def __init__(self, db: Database, wall: Callable[[], float] = time.time) -> None:
        self._db = db
        self._wall = wall

    async def take(self, name: str, interval: float) -> float:
        """Take the next slot of `name` (slots `interval` seconds apart); seconds to wait.

        A statement that waited for the database (another process's write) may come back with
        a slot that already passed: sent now, it would crowd the next one, so another is
        taken."""
        for _ in range(TRIES):
            now = self._wall()
            following = await self._db.scalar(
                "INSERT INTO pacing (name, slot) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
                " slot = CASE WHEN pacing.slot < ? THEN ? ELSE pacing.slot END + ?"
                " RETURNING slot",
                (name, now + interval, now, now, interval),
            )
            slot = float(following) - interval
            after = self._wall()
            if after - slot <= LATE:
                return max(0.0, slot - after)
        return 0.0
