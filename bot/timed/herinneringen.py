"""Personal reminders: the one service every feature uses to come back to someone in their DM."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core import buttons, identity
from bot.core.clock import iso, parse_iso
from bot.core.context import Deps
from bot.core.replies import Button, Reply
from bot.core.storage import Database, Read, Row, Statement
from bot.core.storage.base import guarded
from bot.text.moments import say_weekly
from bot.timed.deliveries import Deliveries
from bot.timed.due import Occurrence, TimedWork
from bot.timed.schedule import Weekly, next_weekly


@dataclass(frozen=True)
class Herinnering:
    id: int
    user_id: int
    conversation_id: int | None
    kind: str
    text: str
    payload: dict[str, Any]
    due_at: datetime
    recurrence: str | None
    timezone: str
    status: str

    def next_after(self, moment: datetime) -> datetime | None:
        if self.recurrence is None:
            return None
        return next_weekly(Weekly.decode(self.recurrence, self.timezone), moment)


_COLUMNS = "id, user_id, conversation_id, kind, text, payload, due_at, recurrence, timezone, status"


def _reminder(r: Row) -> Herinnering:
    return Herinnering(
        r["id"],
        r["user_id"],
        r["conversation_id"],
        r["kind"],
        r["text"],
        json.loads(r["payload"]),
        parse_iso(r["due_at"]),
        r["recurrence"],
        r["timezone"],
        r["status"],
    )


STATUS_WORDS = {"active": "actief", "done": "verstuurd", "cancelled": "gestopt"}

ReminderRenderer = Callable[[Deps, "Herinnering"], Awaitable[Reply]]


class Herinneringen:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        user_id: int,
        conversation_id: int | None,
        kind: str,
        text: str,
        due_at: datetime,
        now: datetime,
        recurrence: Weekly | None = None,
        timezone: str = "Europe/Brussels",
        payload: dict[str, Any] | None = None,
        only: Statement | None = None,
    ) -> int:
        """`conversation_id` is the user's DM conversation where known (for its buttons).
        Held back (`db.later`) with an id the process makes, so it travels with what refers to
        it (the record or plan that names the reminder). `only`: a condition (`flows.still_at`)
        without which it is not written."""
        reminder_id = self._db.new_id()
        values = (
            reminder_id,
            user_id,
            conversation_id,
            kind,
            text,
            json.dumps(payload or {}),
            iso(due_at),
            recurrence.encode() if recurrence else None,
            timezone,
            iso(now),
        )
        columns = (
            "INSERT INTO herinneringen (id, user_id, conversation_id, kind, text, payload,"
            " due_at, recurrence, timezone, created_at)"
        )
        if only is None:
            await self._db.later(f"{columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        else:
            condition, params = only
            await self._db.later(
                f"{columns} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE {condition}",
                (*values, *params),
            )
        return reminder_id

    async def get(self, reminder_id: int) -> Herinnering | None:
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM herinneringen WHERE id = ?", (reminder_id,)
        )
        return None if row is None else _reminder(row)

    async def of_user(self, user_id: int) -> list[Herinnering]:
        return await self._db.read(self.active_of(user_id))

    @staticmethod
    def active_of(user_id: int) -> Read[list[Herinnering]]:
        """A person's active reminders, soonest first (`of_user`), to read with something else."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM herinneringen WHERE user_id = ? AND status = 'active'"
            " ORDER BY due_at",
            (user_id,),
            _reminder,
        )

    async def snooze(self, reminder: Herinnering, delta: timedelta) -> datetime:
        due = reminder.due_at + delta
        await self._db.execute(
            "UPDATE herinneringen SET due_at = ? WHERE id = ? AND status = 'active'",
            (iso(due), reminder.id),
        )
        return due

    async def reactivate(self, reminder: Herinnering, due: datetime) -> datetime:
        await self._db.execute(
            "UPDATE herinneringen SET due_at = ?, status = 'active' WHERE id = ? AND status = 'done'",
            (iso(due), reminder.id),
        )
        return due

    async def set_status(self, reminder_id: int, status: str) -> None:
        await self._db.execute(
            "UPDATE herinneringen SET status = ? WHERE id = ?", (status, reminder_id)
        )

    async def cancel_where(
        self,
        user_id: int,
        kind: str,
        payload_key: str,
        value: Any,
        only: Statement | None = None,
    ) -> None:
        """Cancel a feature's reminders for one of its objects (a thought, an action, a
        record), made with that one key as their payload (`create`'s `payload={payload_key:
        value}`): without a read, so also one made since the event began, held back
        (`db.later`) to go with the next statement. `only` as for `create`."""
        guard, params = guarded(only)
        await self._db.later(
            "UPDATE herinneringen SET status = 'cancelled' WHERE user_id = ? AND status = 'active'"
            f" AND kind = ? AND payload = ?{guard}",
            (user_id, kind, json.dumps({payload_key: value}), *params),
        )

    async def cancel_among(
        self,
        reminders: list[Herinnering],
        kind: str,
        payload_key: str,
        value: Any,
        only: Statement | None = None,
    ) -> int:
        """Cancel a feature's reminders for one of its objects among a person's reminders read
        already (`active_of`, with what the event reads anyway), whatever else their payload
        holds; how many. `only` as for `create`."""
        hits = [r.id for r in reminders if r.kind == kind and r.payload.get(payload_key) == value]
        if hits:
            guard, params = guarded(only)
            await self._db.later(
                "UPDATE herinneringen SET status = 'cancelled' WHERE status = 'active'"
                f" AND id IN ({', '.join('?' * len(hits))}){guard}",
                (*hits, *params),
            )
        return len(hits)

    async def advance(self, reminder: Herinnering) -> None:
        """After an occurrence: the next one of a recurring reminder, or done."""
        following = reminder.next_after(reminder.due_at)
        if following is None:
            await self.set_status(reminder.id, "done")
        else:
            await self._db.execute(
                "UPDATE herinneringen SET due_at = ? WHERE id = ?", (iso(following), reminder.id)
            )

    async def due(self, now: datetime, limit: int = 5000) -> list[Herinnering]:
        """Locked for the claiming transaction, skipping what another process is claiming."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM herinneringen WHERE status = 'active' AND due_at <= ?"
            f" ORDER BY due_at LIMIT ?{self._db.skip_locked}",
            (iso(now), limit),
        )
        return [_reminder(r) for r in rows]

    @staticmethod
    def export_of(user_id: int) -> Read[list[dict[str, Any]]]:
        """A person's reminders, for `mijngegevens`, to read with the rest."""
        return Read.each(
            "SELECT kind, text, due_at, recurrence, timezone, status, created_at FROM herinneringen"
            " WHERE user_id = ? ORDER BY id",
            (user_id,),
            lambda r: {
                "tekst": r["text"],
                "soort": r["kind"],
                "wanneer": r["due_at"],
                "herhaling": say_weekly(Weekly.decode(r["recurrence"], r["timezone"]))
                if r["recurrence"]
                else "eenmalig",
                "tijdzone": r["timezone"],
                "status": STATUS_WORDS.get(r["status"], r["status"]),
                "gemaakt op": r["created_at"],
            },
        )

    async def erase_of(self, user_id: int) -> None:
        """Every reminder of the person, whatever feature made it, and the record of their
        sending (which holds the rendered message): held back, nothing read, for an erasure's
        transaction. The sends are found by their kind as `timed_work` names it, written out
        (an erasure's values are whole numbers only: `Database.transaction`)."""
        await Deliveries(self._db).forget_where(
            ("SELECT 'reminder', id FROM herinneringen WHERE user_id = ?", (user_id,))
        )
        await self._db.later("DELETE FROM herinneringen WHERE user_id = ?", (user_id,))


def timed_work(renderers: Mapping[str, ReminderRenderer]) -> TimedWork[Herinnering]:
    """Reminders come back in the person's DM; each feature renders its own kind (`renderers`
    is the router's table, filled as the tools register)."""

    async def due(deps: Deps, now: datetime, limit: int) -> list[Occurrence[Herinnering]]:
        out: list[Occurrence[Herinnering]] = []
        for reminder in await Herinneringen(deps.db).due(now, limit):
            found = await identity.user_target(deps.db, reminder.user_id, reminder.conversation_id)
            out.append(
                Occurrence(
                    f"reminder:{reminder.id}:{iso(reminder.due_at)}",
                    reminder.id,
                    reminder.due_at,
                    found.target if found else None,
                    bool(found and found.active),
                    reminder,
                )
            )
        return out

    async def advance(deps: Deps, occurrence: Occurrence[Herinnering], skipped: str) -> bool:
        await Herinneringen(deps.db).advance(occurrence.item)
        return True

    async def render(deps: Deps, occurrence: Occurrence[Herinnering]) -> Reply:
        reminder = occurrence.item
        return await (renderers.get(reminder.kind) or renderers["tekst"])(deps, reminder)

    return TimedWork("reminder", due, advance, render)


async def dm_buttons(
    deps: Deps, reminder: Herinnering, choices: Sequence[tuple[str, str, dict[str, Any]]]
) -> list[Button]:
    """Buttons (label, kind, payload) under a reminder, bound to the person's DM and to them;
    none while that DM is not known yet."""
    if reminder.conversation_id is None:
        return []
    now = iso(deps.clock.now())
    return [
        await buttons.make(
            deps.db, reminder.conversation_id, label, kind, payload, now, reminder.user_id
        )
        for label, kind, payload in choices
    ]
