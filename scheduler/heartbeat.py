"""Every process schedules and sends; each keeps a heartbeat so the others know it is alive.

A claim names the process that holds it (`deliveries.claimed_by`). A process that stops
releases its claims; one that dies (kill -9, a lost machine) stops beating, and the first other
process that has seen its heartbeat unchanged for `LEASE` seconds of its *own* monotonic clock
takes its claims over and sends them. The heartbeat is a counter, not a time: setting a wall
clock back or forward (NTP, a wrong BIOS clock) can neither keep a dead process's claims
stranded nor end a live one's early. Takeover comes at most `LEASE + BEAT` seconds (25 s) after
a death; only the claims the dead process held wait that long.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from bot.core.storage import Database

log = logging.getLogger(__name__)

BEAT = 5.0
"""Seconds between two heartbeats (and two looks at the others')."""
LEASE = 20.0
"""Seconds another process's heartbeat may stay unchanged before it is taken to be gone."""


class Heartbeat:
    def __init__(
        self,
        db: Database,
        owner: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self.owner = owner or uuid.uuid4().hex
        self._monotonic = monotonic
        self._beat = 0
        self._seen: dict[str, tuple[int, float]] = {}
        """Another owner's last heartbeat value and when (our monotonic time) it changed."""
        self.others = 0
        """How many other processes beat at the last look (the silent ones not counted)."""

    async def beat(self) -> list[str]:
        """Say this process is alive; the owners that went silent since (their claims are to
        be taken over, then `forget` them)."""
        self._beat += 1
        await self._db.execute(
            "INSERT INTO senders (owner, heartbeat) VALUES (?, ?)"
            " ON CONFLICT (owner) DO UPDATE SET heartbeat = excluded.heartbeat",
            (self.owner, self._beat),
        )
        rows = await self._db.all(
            "SELECT owner, heartbeat FROM senders WHERE owner <> ?", (self.owner,)
        )
        now = self._monotonic()
        silent: list[str] = []
        present = set()
        for row in rows:
            owner, value = str(row["owner"]), int(row["heartbeat"])
            present.add(owner)
            seen = self._seen.get(owner)
            if seen is None or seen[0] != value:
                self._seen[owner] = (value, now)
            elif now - seen[1] >= LEASE:
                silent.append(owner)
        for gone in set(self._seen) - present:
            del self._seen[gone]
        self.others = len(present) - len(silent)
        return silent

    async def forget(self, owner: str) -> None:
        """After its claims were taken over: a silent process is no longer looked at."""
        value = self._seen.pop(owner, (None, 0.0))[0]
        if value is not None:
            await self._db.execute(
                "DELETE FROM senders WHERE owner = ? AND heartbeat = ?", (owner, value)
            )
            log.warning("a bot process went silent; its unsent claims are sent by this one")

    async def stop(self) -> None:
        await self._db.execute("DELETE FROM senders WHERE owner = ?", (self.owner,))
