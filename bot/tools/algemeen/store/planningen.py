"""A conversation's weekly nudge: when, in which time zone, what to post, and what to skip."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from bot.core import identity
from bot.core.clock import iso, parse_iso
from bot.core.storage import Database, Read, Row
from bot.timed.schedule import Weekly, next_weekly


@dataclass(frozen=True)
class Planning:
    conversation_id: int
    weekdays: tuple[int, ...]
    at: time
    timezone: str
    content: str
    holidays: str
    paused_until: date | None
    enabled: bool
    next_at: datetime | None

    @property
    def rule(self) -> Weekly:
        return Weekly(self.weekdays, self.at, self.timezone, self.holidays, self.paused_until)

    def rescheduled(self, after: datetime) -> Planning:
        return replace(self, next_at=next_weekly(self.rule, after) if self.enabled else None)


def default_planning(conversation_id: int, timezone: str) -> Planning:
    return Planning(
        conversation_id, (0,), time(12, 0), timezone, "vraag", "geen", None, False, None
    )


_COLUMNS = (
    "conversation_id, weekdays, local_time, timezone, content, holidays, paused_until,"
    " enabled, next_at"
)


def _plan(r: Row) -> Planning:
    hours, minutes = r["local_time"].split(":")
    return Planning(
        r["conversation_id"],
        tuple(int(d) for d in r["weekdays"].split(",")),
        time(int(hours), int(minutes)),
        r["timezone"],
        r["content"],
        r["holidays"],
        date.fromisoformat(r["paused_until"]) if r["paused_until"] else None,
        bool(r["enabled"]),
        parse_iso(r["next_at"]) if r["next_at"] else None,
    )


class Planningen:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, conversation_id: int) -> Planning | None:
        return await self._db.read(self.of(conversation_id))

    @staticmethod
    def of(conversation_id: int) -> Read[Planning | None]:
        """A conversation's planning (`get`), to read with something else."""
        return Read.one(
            f"SELECT {_COLUMNS} FROM planningen WHERE conversation_id = ?",
            (conversation_id,),
            _plan,
        )

    @staticmethod
    def of_member(user_id: int) -> Read[list[tuple[str | None, Planning]]]:
        """The plannings of the active groups this person is in, each with its group's title,
        by that title: to read with something else (one's start page)."""
        columns = ", ".join(f"p.{column.strip()}" for column in _COLUMNS.split(","))
        return Read(
            f"SELECT g.title AS group_title, {columns} FROM ({identity.GROUPS_OF}) g"
            " JOIN planningen p ON p.conversation_id = g.id ORDER BY g.title, g.id",
            (user_id,),
            lambda rows: [(r["group_title"], _plan(r)) for r in rows],
        )

    async def save(self, plan: Planning, user_id: int | None, now: datetime) -> Planning:
        """Store the plan with its next moment computed from now; held back (`db.later`), as
        nothing this event does waits for it: it travels with the event's next statement."""
        plan = plan.rescheduled(now)
        await self._db.later(
            f"INSERT INTO planningen ({_COLUMNS}, updated_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET"
            " weekdays = excluded.weekdays, local_time = excluded.local_time,"
            " timezone = excluded.timezone, content = excluded.content,"
            " holidays = excluded.holidays, paused_until = excluded.paused_until,"
            " enabled = excluded.enabled, next_at = excluded.next_at,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (
                plan.conversation_id,
                ",".join(map(str, plan.weekdays)),
                f"{plan.at:%H:%M}",
                plan.timezone,
                plan.content,
                plan.holidays,
                plan.paused_until.isoformat() if plan.paused_until else None,
                int(plan.enabled),
                iso(plan.next_at) if plan.next_at else None,
                user_id,
                iso(now),
            ),
        )
        return plan

    async def advance(self, plan: Planning, after: datetime) -> Planning:
        moved = plan.rescheduled(after)
        await self._db.execute(
            "UPDATE planningen SET next_at = ? WHERE conversation_id = ?",
            (iso(moved.next_at) if moved.next_at else None, plan.conversation_id),
        )
        return moved

    async def due(self, now: datetime, limit: int = 5000) -> list[Planning]:
        """Locked for the claiming transaction, skipping what another process is claiming."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM planningen WHERE enabled = 1 AND next_at IS NOT NULL"
            f" AND next_at <= ? ORDER BY next_at LIMIT ?{self._db.skip_locked}",
            (iso(now), limit),
        )
        return [_plan(r) for r in rows]
