"""One scheduler per database: a lease row with a heartbeat, taken over only when it goes stale.

The heartbeat is a counter, not a time: the holder changes it every `BEAT` seconds, and another
process takes over once it has seen the same value for `LEASE` seconds of its *own* monotonic
clock. Setting the wall clock back or forward (NTP, a wrong BIOS clock, DST by hand) can then
neither stretch the lease nor end it early; a second process takes over at most
`LEASE + BEAT` seconds after the holder died (25 s), and at once after a graceful stop.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from bot.core.storage import Database

log = logging.getLogger(__name__)

BEAT = 5.0
"""Seconds between two renewals by the holder (and two looks by a process that waits)."""
LEASE = 20.0
"""Seconds a heartbeat may stay unchanged before the holder is taken to be gone."""


class Lease:
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
        self._seen: tuple[str, str] | None = None
        self._seen_at = 0.0
        self.held = False
        self._told = False

    async def hold(self) -> bool:
        """Take or renew the lease; False while another live process holds it."""
        async with self._db.transaction():
            row = await self._db.one("SELECT owner, heartbeat FROM scheduler_lock WHERE id = 1")
            free = (
                row is None
                or row["owner"] == self.owner
                or self._stale((row["owner"], row["heartbeat"]))
            )
            if free:
                self._beat += 1
                await self._db.execute(
                    "INSERT INTO scheduler_lock (id, owner, heartbeat) VALUES (1, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner,"
                    " heartbeat = excluded.heartbeat",
                    (self.owner, f"{self.owner}:{self._beat}"),
                )
        if free and not self.held:
            log.info("scheduler lease taken: this process schedules")
        if not free and self.held:
            log.warning("scheduler lease lost: another process took over")
        elif not free and not self._told:
            log.warning(
                "another bot process schedules on this database; this one takes over "
                "when that one stops or stays silent for %d seconds",
                int(LEASE),
            )
        self._told = not free
        self.held = free
        return free

    def _stale(self, seen: tuple[str, str]) -> bool:
        now = self._monotonic()
        if seen != self._seen:
            self._seen, self._seen_at = seen, now
            return False
        return now - self._seen_at >= LEASE

    async def release(self) -> None:
        if self.held:
            await self._db.execute(
                "DELETE FROM scheduler_lock WHERE id = 1 AND owner = ?", (self.owner,)
            )
            self.held = False
            log.info("scheduler lease released")
