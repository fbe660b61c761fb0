"""One scheduler per database: a lease row with a heartbeat, taken over only when it goes stale."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from bot.core.clock import iso, parse_iso
from bot.core.storage import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)


class Lease:
    def __init__(self, db: Database, owner: str | None = None) -> None:
        self._db = db
        self.owner = owner or uuid.uuid4().hex
        self._held = False
        self._told = False

    async def hold(self, now: datetime) -> bool:
        """Take or refresh the lease; False while another live process holds it."""
        async with self._db.transaction():
            row = await self._db.one("SELECT owner, heartbeat FROM scheduler_lock WHERE id = 1")
            free = row is None or row["owner"] == self.owner or (
                now - parse_iso(row["heartbeat"]) > LEASE)
            if free:
                await self._db.execute(
                    "INSERT INTO scheduler_lock (id, owner, heartbeat) VALUES (1, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner,"
                    " heartbeat = excluded.heartbeat", (self.owner, iso(now)))
        if free and not self._held:
            log.info("scheduler lease taken: this process schedules")
        if not free and not self._told:
            log.warning("another bot process schedules on this database; this one does not "
                        "until that one is gone")
        self._told = not free
        self._held = free
        return free

    async def release(self) -> None:
        if self._held:
            await self._db.execute("DELETE FROM scheduler_lock WHERE id = 1 AND owner = ?",
                                   (self.owner,))
            self._held = False
