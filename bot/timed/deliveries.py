"""Every scheduled occurrence has one row, keyed uniquely, claimed before it is sent.

The unique key makes a second claim of the same occurrence impossible, whichever process or
restart tries it. Claimed rows keep the rendered message until the outcome is known, so a crash
in between resends exactly those and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.replies import Outgoing, outgoing_from_json, outgoing_to_json
from bot.core.storage import Database


@dataclass(frozen=True)
class Last:
    occurrence: str
    status: str
    detail: str | None
    finished_at: str | None


class Deliveries:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, key: str, kind: str, ref_id: int, occurrence: str, now: str) -> bool:
        return 1 == await self._db.changes(
            "INSERT INTO deliveries (key, kind, ref_id, occurrence, status, claimed_at)"
            " VALUES (?, ?, ?, ?, 'claimed', ?) ON CONFLICT (key) DO NOTHING",
            (key, kind, ref_id, occurrence, now),
        )

    async def attach(self, key: str, outgoing: Outgoing) -> None:
        await self._db.execute(
            "UPDATE deliveries SET payload = ? WHERE key = ?", (outgoing_to_json(outgoing), key)
        )

    async def record(
        self, key: str, kind: str, ref_id: int, occurrence: str, status: str, detail: str, now: str
    ) -> None:
        """An occurrence that is not sent (too late, paused chat): kept so it is never retried."""
        await self._db.execute(
            "INSERT INTO deliveries (key, kind, ref_id, occurrence, status, detail, claimed_at,"
            " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            (key, kind, ref_id, occurrence, status, detail, now, now),
        )

    async def finish(self, key: str, status: str, attempts: int, detail: str, now: str) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = ?, attempts = ?, detail = ?, finished_at = ?,"
            " payload = NULL WHERE key = ?",
            (status, attempts, detail[:200], now, key),
        )

    async def occurrence_of(self, key: str) -> str | None:
        """When the claimed occurrence was due (ISO), to know how long it may still be retried."""
        value = await self._db.scalar("SELECT occurrence FROM deliveries WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def in_flight(self) -> list[Outgoing]:
        """Claimed but never finished: the process died between claim and outcome."""
        rows = await self._db.all(
            "SELECT payload FROM deliveries WHERE status = 'claimed' AND payload IS NOT NULL"
        )
        return [outgoing_from_json(r["payload"]) for r in rows]

    async def last(self, kind: str, ref_id: int) -> Last | None:
        row = await self._db.one(
            "SELECT occurrence, status, detail, finished_at FROM deliveries WHERE kind = ?"
            " AND ref_id = ? ORDER BY occurrence DESC LIMIT 1",
            (kind, ref_id),
        )
        return (
            None
            if row is None
            else Last(row["occurrence"], row["status"], row["detail"], row["finished_at"])
        )

    async def forget(self, kind: str, ref_ids: list[int]) -> None:
        """The record of sends to someone erased (a claimed row holds the rendered message)."""
        await self._db.executemany(
            "DELETE FROM deliveries WHERE kind = ? AND ref_id = ?", [(kind, ref) for ref in ref_ids]
        )
