"""Where a team stands: per step of the 7-step plan, and in the weekly rounds of reflection
fronts and intervision assignments (their order and the next one up)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import iso
from bot.core.storage import Database

STEP_STATUSES = ("open", "bezig", "klaar")
NOTE_MAX = 500


@dataclass(frozen=True)
class StapStand:
    status: str
    note: str | None


@dataclass(frozen=True)
class Ronde:
    items: tuple[str, ...] | None
    """The order a coordinator chose; None: the order of the source."""
    position: int
    """How many were taken since the order was set; read modulo the round's length."""

    def order(self, default: Sequence[str]) -> list[str]:
        """The round: the chosen order without ids a reworded content file no longer has, or
        the source's."""
        return [i for i in (self.items or ()) if i in default] or list(default)

    def up_next(self, default: Sequence[str]) -> str:
        items = self.order(default)
        return items[self.position % len(items)]


def _ronde(items: str | None, position: int) -> Ronde:
    return Ronde(tuple(items.split(",")) if items else None, position)


class Voortgang:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def steps(self, conversation_id: int) -> dict[str, StapStand]:
        rows = await self._db.all(
            "SELECT step_id, status, note FROM stappenplan_stand WHERE conversation_id = ?",
            (conversation_id,),
        )
        return {r["step_id"]: StapStand(r["status"], r["note"]) for r in rows}

    async def set_step(
        self,
        conversation_id: int,
        step_id: str,
        status: str,
        note: str | None,
        user_id: int,
        now: datetime,
    ) -> None:
        assert status in STEP_STATUSES
        await self._db.execute(
            "INSERT INTO stappenplan_stand (conversation_id, step_id, status, note, updated_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, step_id) DO UPDATE SET"
            " status = excluded.status, note = COALESCE(excluded.note, stappenplan_stand.note),"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (conversation_id, step_id, status, note, user_id, iso(now)),
        )

    async def round(self, conversation_id: int, track: str) -> Ronde:
        row = await self._db.one(
            "SELECT items, position FROM reflectie_rondes WHERE conversation_id = ? AND track = ?",
            (conversation_id, track),
        )
        return Ronde(None, 0) if row is None else _ronde(row["items"], row["position"])

    async def set_order(
        self,
        conversation_id: int,
        track: str,
        items: Sequence[str] | None,
        user_id: int,
        now: datetime,
    ) -> None:
        """A new order starts at its first item."""
        await self._db.execute(
            "INSERT INTO reflectie_rondes (conversation_id, track, items, position, updated_by,"
            " updated_at) VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (conversation_id, track) DO UPDATE"
            " SET items = excluded.items, position = 0, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            (conversation_id, track, ",".join(items) if items else None, user_id, iso(now)),
        )

    async def take_next(
        self, conversation_id: int, track: str, default: Sequence[str], now: datetime
    ) -> str:
        """The item up next, and move on; the round starts again after the last one.

        One statement, no transaction: the position counts up and comes back with the order
        (two takes at once get two items); it is read modulo the round's length, so ids a
        reworded content file no longer has are passed over.
        """
        row = await self._db.one(
            "INSERT INTO reflectie_rondes (conversation_id, track, items, position, updated_at)"
            " VALUES (?, ?, NULL, 1, ?) ON CONFLICT (conversation_id, track) DO UPDATE SET"
            " position = reflectie_rondes.position + 1, updated_at = excluded.updated_at"
            " RETURNING items, position",
            (conversation_id, track, iso(now)),
        )
        assert row is not None
        return _ronde(row["items"], int(row["position"]) - 1).up_next(default)

    async def forget_user(self, user_id: int) -> None:
        """Held back, for an erasure's transaction."""
        for table in ("stappenplan_stand", "reflectie_rondes"):
            await self._db.later(
                f"UPDATE {table} SET updated_by = NULL WHERE updated_by = ?", (user_id,)
            )
