"""The team's next intervision meeting: on its moment the actions of last time come back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.clock import iso, parse_iso
from bot.core.storage import Database, Read


@dataclass(frozen=True)
class GeplandeBijeenkomst:
    id: int
    conversation_id: int
    at: datetime
    status: str


def _meeting(row: Any) -> GeplandeBijeenkomst:
    return GeplandeBijeenkomst(
        row["id"], row["conversation_id"], parse_iso(row["at"]), row["status"]
    )


class Bijeenkomsten:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def planned(self, conversation_id: int) -> GeplandeBijeenkomst | None:
        return await self._db.read(self.planned_of(conversation_id))

    @staticmethod
    def planned_of(conversation_id: int) -> Read[GeplandeBijeenkomst | None]:
        """`planned`, to read with something else (a session's summary with its actions)."""
        return Read.one(
            "SELECT id, conversation_id, at, status FROM bijeenkomsten WHERE conversation_id = ?"
            " AND status = 'planned'",
            (conversation_id,),
            _meeting,
        )

    async def plan(self, conversation_id: int, at: datetime, user_id: int, now: datetime) -> None:
        """A new date replaces the planned one: a team has one next meeting (its unique
        planned row), its date changed in place by one write, held back to go with the next
        statement. A date changed while its revisit was being posted keeps its new date
        (`close` checks the date it posts)."""
        await self._db.later(
            "INSERT INTO bijeenkomsten (conversation_id, at, set_by, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id) WHERE status = 'planned'"
            " DO UPDATE SET at = excluded.at, set_by = excluded.set_by,"
            " created_at = excluded.created_at",
            (conversation_id, iso(at), user_id, iso(now)),
        )

    async def cancel(self, conversation_id: int) -> bool:
        return 0 < await self._db.changes(
            "UPDATE bijeenkomsten SET status = 'cancelled' WHERE conversation_id = ?"
            " AND status = 'planned'",
            (conversation_id,),
        )

    async def due(self, now: datetime, limit: int) -> list[GeplandeBijeenkomst]:
        rows = await self._db.all(
            "SELECT id, conversation_id, at, status FROM bijeenkomsten WHERE status = 'planned'"
            " AND at <= ? ORDER BY at LIMIT ?",
            (iso(now), limit),
        )
        return [_meeting(r) for r in rows]

    async def close(self, meeting: GeplandeBijeenkomst, status: str) -> bool:
        """Only one caller gets True: the one that moves it out of 'planned', at the date it
        was read with (not one `plan` changed it to meanwhile)."""
        return 1 == await self._db.changes(
            "UPDATE bijeenkomsten SET status = ? WHERE id = ? AND status = 'planned' AND at = ?",
            (status, meeting.id, iso(meeting.at)),
        )

    async def forget_user(self, user_id: int) -> None:
        """Held back, for an erasure's transaction."""
        await self._db.later("UPDATE bijeenkomsten SET set_by = NULL WHERE set_by = ?", (user_id,))
