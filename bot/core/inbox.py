"""Updates kept from receipt until they are handled (table inbox).

A platform that delivers at-least-once (Telegram's getUpdates and webhook) is told "received" only
once the update is stored here. A graceful stop or a crash leaves the unhandled ones waiting for
the next start; an update delivered a second time (a retried webhook, a poll repeated after a
crash) finds its row and is not handled again. What an update holds (message text) stays only
until it is handled: then `body` is set to NULL (secure_delete overwrites it on disk) and the row
keeps only the platform's id, two days, to recognise a repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.clock import iso
from bot.core.storage import Database

KEEP_HANDLED = timedelta(days=2)
"""Telegram keeps an unconfirmed update 24 hours; a repeat after that cannot come."""


@dataclass(frozen=True)
class Waiting:
    update_id: str
    body: str


class Inbox:
    def __init__(self, db: Database, platform: str) -> None:
        self._db = db
        self._platform = platform

    async def add(self, updates: list[tuple[str, str]], now: datetime) -> int:
        """Store (update_id, body) pairs in one transaction; returns how many were new."""
        added = 0
        async with self._db.transaction():
            for update_id, body in updates:
                added += await self._db.changes(
                    "INSERT INTO inbox (platform, update_id, body, received_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (platform, update_id) DO NOTHING",
                    (self._platform, update_id, body, iso(now)),
                )
        return added

    async def waiting(self, skip: set[str], limit: int) -> list[Waiting]:
        """Unhandled updates in the order they were received, leaving out those in hand."""
        rows = await self._db.all(
            "SELECT update_id, body FROM inbox WHERE platform = ? AND body IS NOT NULL"
            # received order on both backends: the time, then the platform's own increasing
            # update id (numeric text, so shorter comes first)
            " ORDER BY received_at, length(update_id), update_id LIMIT ?",
            (self._platform, limit + len(skip)),
        )
        return [Waiting(r["update_id"], r["body"]) for r in rows if r["update_id"] not in skip][
            :limit
        ]

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
