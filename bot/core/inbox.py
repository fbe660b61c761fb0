"""Updates kept from receipt until they are handled (table inbox).

A platform that delivers at-least-once (Telegram's getUpdates and webhook) is told "received" only
once the update is stored here. A graceful stop or a crash leaves the unhandled ones waiting for
the next start; an update delivered a second time (a retried webhook, a poll repeated after a
crash) finds its row and is not handled again. What an update holds (message text) stays only
until it is handled: then `body` is set to NULL (secure_delete overwrites it on disk) and the row
keeps only the platform's id, two days, to recognise a repeat.

Several processes share one inbox (a webhook behind a load balancer): a process *takes* the
updates it hands to its handlers in one statement (`taken_by`; on PostgreSQL skipping rows
another process is taking at that moment), so each is handled by one. A stop gives back what it
did not start; what a dead process took is taken again after `TAKEN_FOR`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clock import iso
from bot.core.storage import Database
from bot.core.storage.base import ROWS_PER_INSERT, several_rows

KEEP_HANDLED = timedelta(days=2)
"""Telegram keeps an unconfirmed update 24 hours; a repeat after that cannot come."""
TAKEN_FOR = timedelta(minutes=2)
"""An update taken this long ago and still not handled was taken by a process that died."""


@dataclass(frozen=True)
class Waiting:
    update_id: str
    body: str


_ADD = (
    "INSERT INTO inbox (platform, update_id, body, received_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (platform, update_id) DO NOTHING"
)


class Inbox:
    def __init__(self, db: Database, platform: str, owner: str | None = None) -> None:
        self._db = db
        self._platform = platform
        self.owner = owner or uuid.uuid4().hex

    async def add(self, updates: list[tuple[str, str]], now: datetime) -> int:
        """Store (update_id, body) pairs; returns how many were new. One statement (for each
        hundred: Telegram sends at most that many at once), so all or none of them are stored
        without a transaction, whose BEGIN and COMMIT would be two round trips more on
        PostgreSQL and whose lock every process would wait for."""
        added = 0
        for start in range(0, len(updates), ROWS_PER_INSERT):
            batch = updates[start : start + ROWS_PER_INSERT]
            sql = several_rows(_ADD, len(batch))
            assert sql is not None  # a plain INSERT of parameters
            added += await self._db.changes(
                sql,
                [
                    p
                    for update_id, body in batch
                    for p in (self._platform, update_id, body, iso(now))
                ],
            )
        return added

    async def waiting(self, skip: set[str], limit: int, now: datetime) -> list[Waiting]:
        """Take up to `limit` unhandled updates nobody else holds, in the order they were
        received, leaving out those this process has in hand."""
        lapsed = iso(now - TAKEN_FOR)
        free = "body IS NOT NULL AND (taken_by IS NULL OR taken_at < ?)"
        # the pick in a CTE, run once: as `IN (subquery)` PostgreSQL may run a LIMIT ... FOR
        # UPDATE again for every row and take them all
        rows = await self._db.all(
            "WITH picked AS MATERIALIZED (SELECT update_id AS picked_id FROM inbox"
            f" WHERE platform = ? AND {free}"
            # received order on both backends: the time, then the platform's own increasing
            # update id (numeric text, so shorter comes first)
            " ORDER BY received_at, length(update_id), update_id"
            f" LIMIT ?{self._db.skip_locked})"
            " UPDATE inbox SET taken_by = ?, taken_at = ? FROM picked"
            " WHERE platform = ? AND update_id = picked_id RETURNING update_id, body, received_at",
            (self._platform, lapsed, limit, self.owner, iso(now), self._platform),
        )
        rows.sort(key=lambda r: (r["received_at"], len(r["update_id"]), r["update_id"]))
        return [Waiting(r["update_id"], r["body"]) for r in rows if r["update_id"] not in skip]

    async def give_back(self) -> None:
        """A stop: updates this process took and did not finish go to whoever looks next."""
        await self._db.execute(
            "UPDATE inbox SET taken_by = NULL WHERE platform = ? AND taken_by = ?"
            " AND body IS NOT NULL",
            (self._platform, self.owner),
        )

    async def count_waiting(self) -> int:
        return int(
            await self._db.scalar(
                "SELECT COUNT(*) FROM inbox WHERE platform = ? AND body IS NOT NULL",
                (self._platform,),
            )
        )

    async def handled(self, update_id: str, now: datetime) -> None:
        await self._db.execute(
            "UPDATE inbox SET body = NULL, handled_at = ? WHERE platform = ? AND update_id = ?",
            (iso(now), self._platform, update_id),
        )

    async def prune(self, now: datetime) -> int:
        return await prune(self._db, now)


async def prune(db: Database, now: datetime) -> int:
    """Handled update ids of every platform, once they can no longer come again."""
    return await db.changes("DELETE FROM inbox WHERE handled_at < ?", (iso(now - KEEP_HANDLED),))
