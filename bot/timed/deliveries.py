"""Every scheduled occurrence has one row, keyed uniquely, claimed before it is sent.

The unique key makes a second claim of the same occurrence impossible, whichever process or
restart tries it. Claimed rows keep the rendered message and the process that holds them
(`claimed_by`) until the outcome is known: a process that stops releases its claims, one that
dies has them taken over (`scheduler/heartbeat.py`), and exactly those are sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.replies import Outgoing, outgoing_from_json, outgoing_to_json
from bot.core.storage import Database, Read, Statement


@dataclass(frozen=True)
class Last:
    occurrence: str
    status: str
    detail: str | None
    finished_at: str | None


class Deliveries:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self, wanted: Sequence[tuple[str, str, int, str]], now: str, owner: str
    ) -> set[str]:
        """Claim (key, kind, ref_id, occurrence) rows in one statement; the keys it got (a key
        claimed before, by anyone, is not among them)."""
        if not wanted:
            return set()
        values = ", ".join(["(?, ?, ?, ?, 'claimed', ?, ?)"] * len(wanted))
        params = [v for row in wanted for v in (*row, now, owner)]
        rows = await self._db.all(
            "INSERT INTO deliveries (key, kind, ref_id, occurrence, status, claimed_at,"
            f" claimed_by) VALUES {values} ON CONFLICT (key) DO NOTHING RETURNING key",
            params,
        )
        return {r["key"] for r in rows}

    async def attach(self, outgoing: Sequence[Outgoing]) -> None:
        """The rendered messages of claims made in the same transaction."""
        await self._db.executemany(
            "UPDATE deliveries SET payload = ? WHERE key = ?",
            [(outgoing_to_json(o), o.key) for o in outgoing],
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

    async def finish(self, outcomes: Sequence[tuple[str, str, int, str, str]]) -> None:
        """(key, status, attempts, detail, now) of sends that ended, written together;
        `claimed_by` stays: which process sent it."""
        await self._db.executemany(
            "UPDATE deliveries SET status = ?, attempts = ?, detail = ?, finished_at = ?,"
            " payload = NULL WHERE key = ?",
            [(status, tries, detail[:200], at, key) for key, status, tries, detail, at in outcomes],
        )

    async def occurrence_of(self, key: str) -> str | None:
        """When the claimed occurrence was due (ISO), to know how long it may still be retried."""
        value = await self._db.scalar("SELECT occurrence FROM deliveries WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def take(self, owner: str, from_owner: str | None = None) -> list[Outgoing]:
        """Claims nobody holds (released by a stop, or from before this version) or, with
        `from_owner`, those of a process that went silent, now held by `owner`. One statement:
        when two processes take at once, each row goes to one of them."""
        held = "claimed_by IS NULL" if from_owner is None else "claimed_by = ?"
        rows = await self._db.all(
            "UPDATE deliveries SET claimed_by = ? WHERE status = 'claimed'"
            f" AND payload IS NOT NULL AND {held} RETURNING payload",
            (owner,) if from_owner is None else (owner, from_owner),
        )
        return [outgoing_from_json(r["payload"]) for r in rows]

    async def release(self, owner: str) -> int:
        """A stop: what this process claimed and did not send goes to whoever looks next."""
        return await self._db.changes(
            "UPDATE deliveries SET claimed_by = NULL WHERE status = 'claimed' AND claimed_by = ?",
            (owner,),
        )

    async def last(self, kind: str, ref_id: int) -> Last | None:
        return await self._db.read(self.last_of(kind, ref_id))

    @staticmethod
    def last_of(kind: str, ref_id: int) -> Read[Last | None]:
        """The newest delivery of a source (`last`), to read with something else."""
        return Read.one(
            "SELECT occurrence, status, detail, finished_at FROM deliveries WHERE kind = ?"
            " AND ref_id = ? ORDER BY occurrence DESC LIMIT 1",
            (kind, ref_id),
            lambda row: Last(row["occurrence"], row["status"], row["detail"], row["finished_at"]),
        )

    async def forget_where(self, sent: Statement) -> None:
        """The record of sends to someone erased (a claimed row holds the rendered message):
        those whose (kind, ref_id) `sent` selects, a SELECT of its owner's rows with the kind
        written out (`Herinneringen.erase_of`), so nothing is read first. Held back
        (`db.later`) for the erasure's transaction."""
        sql, params = sent
        await self._db.later(f"DELETE FROM deliveries WHERE (kind, ref_id) IN ({sql})", params)
