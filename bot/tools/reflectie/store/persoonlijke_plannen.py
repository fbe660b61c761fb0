"""A persoonlijk plan: a goal in the person's own words, first steps, who can help, and the day
to look back. A draft is saved field by field, so a command in between never loses it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.storage import Database, Read, Statement
from bot.core.storage.base import lands_with_next

FIELDS = ("goal", "steps", "helpers", "look_back")
"""In the order they are asked."""


@dataclass(frozen=True)
class PersoonlijkPlan:
    id: int
    user_id: int
    goal: str | None
    steps: str | None
    helpers: str | None
    look_back: date | None
    reminder_id: int | None
    status: str
    created_at: str

    @property
    def next_field(self) -> str | None:
        for name in FIELDS:
            if getattr(self, name) is None:
                return name
        return None


_FILL = {
    name: f"UPDATE persoonlijke_plannen SET {name} = ?, updated_at = ? WHERE id = ? AND user_id = ?"
    f" AND status = 'draft' AND {name} IS NULL"
    for name in FIELDS[:3]
}
"""One fixed statement per text field; the column is never taken from input."""

_COLUMNS = "id, user_id, goal, steps, helpers, look_back, reminder_id, status, created_at"


def _plan(row: Any) -> PersoonlijkPlan:
    return PersoonlijkPlan(
        row["id"],
        row["user_id"],
        row["goal"],
        row["steps"],
        row["helpers"],
        date.fromisoformat(row["look_back"]) if row["look_back"] else None,
        row["reminder_id"],
        row["status"],
        row["created_at"],
    )


class PersoonlijkePlannen:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, plan_id: object, user_id: int) -> PersoonlijkPlan | None:
        if not is_id(plan_id):
            return None
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM persoonlijke_plannen WHERE id = ? AND user_id = ?",
            (plan_id, user_id),
        )
        return None if row is None else _plan(row)

    async def start(
        self, user_id: int, now: datetime, goal: str | None = None, replacing: bool = True
    ) -> PersoonlijkPlan:
        """A fresh draft (with `goal` where it was given at once), with an id the process makes
        (storage/ids.py), held back so that it travels with its first question. `replacing`:
        an earlier unfinished draft is discarded first; without it (none was found), a draft
        another event started at the very same moment keeps its place and this one is not
        written (one draft per person), and its answers find no plan."""
        plan = PersoonlijkPlan(
            self._db.new_id(), user_id, goal, None, None, None, None, "draft", iso(now)
        )
        if replacing:
            await self._db.later(
                "DELETE FROM persoonlijke_plannen WHERE user_id = ? AND status = 'draft'",
                (user_id,),
            )
        await self._db.later(
            "INSERT INTO persoonlijke_plannen (id, user_id, goal, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (plan.id, user_id, goal, iso(now), iso(now)),
        )
        return plan

    async def fill(self, plan: PersoonlijkPlan, name: str, value: str, now: datetime) -> bool:
        """Set one text field of a draft, only if it is still the one being asked."""
        sql = _FILL.get(name)
        if sql is None or plan.next_field != name:
            return False
        return 1 == await self._db.changes(sql, (value, iso(now), plan.id, plan.user_id))

    async def refill(self, plan: PersoonlijkPlan, name: str, value: str, now: datetime) -> bool:
        """Change an answer given earlier in a draft (the person went back to it)."""
        if name not in FIELDS[:3]:
            return False
        return 1 == await self._db.changes(
            f"UPDATE persoonlijke_plannen SET {name} = ?, updated_at = ? WHERE id = ?"
            " AND user_id = ? AND status = 'draft'",
            (value, iso(now), plan.id, plan.user_id),
        )

    @staticmethod
    def still_draft(plan: PersoonlijkPlan) -> Statement:
        """A condition for another owner's write that goes with `complete`: the plan is still
        the draft (written before it, in its statement)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 FROM persoonlijke_plannen WHERE id = ? AND user_id = ?"
                " AND status = 'draft')",
                (plan.id, plan.user_id),
            )
        )

    async def complete(
        self, plan: PersoonlijkPlan, look_back: date, reminder_id: int, now: datetime
    ) -> bool:
        return 1 == await self._db.changes(
            "UPDATE persoonlijke_plannen SET look_back = ?, reminder_id = ?, status = 'done',"
            " updated_at = ? WHERE id = ? AND user_id = ? AND status = 'draft'",
            (look_back.isoformat(), reminder_id, iso(now), plan.id, plan.user_id),
        )

    async def of_user(self, user_id: int) -> list[PersoonlijkPlan]:
        return await self._db.read(self.plans_of(user_id))

    @staticmethod
    def plans_of(user_id: int) -> Read[list[PersoonlijkPlan]]:
        """A person's plans, oldest first, to read with something else."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM persoonlijke_plannen WHERE user_id = ? ORDER BY id",
            (user_id,),
            _plan,
        )

    async def erase(self, user_id: int) -> None:
        """Held back (`db.later`), for an erasure's transaction; the plan's reminder goes with
        every other reminder of the person (`Herinneringen.erase_of`)."""
        await self._db.later("DELETE FROM persoonlijke_plannen WHERE user_id = ?", (user_id,))
