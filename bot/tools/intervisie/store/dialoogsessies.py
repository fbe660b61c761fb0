"""Dialoogsessies: one running session per conversation, advanced one step at a time.

Every move names the step it comes from, so a button pressed twice (or an old one) moves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.core.clock import iso, parse_iso
from bot.core.storage import Database, Read, Statement
from bot.core.storage.base import lands_with_next

STEPS = ("casus", "vraag", "stil_opschrijven", "ideeenronde", "dialoog", "meenemen", "acties")
ANSWERS = {"casus": "casus", "vraag": "vraag", "meenemen": "meenemen"}
"""The steps that wait for the case-bringer's text, and the column that keeps it."""
TEXT_MAX = 2000


@dataclass(frozen=True)
class Dialoog:
    id: int
    conversation_id: int
    leercoach_id: int | None
    leercoach: str
    inbrenger_id: int | None
    inbrenger: str
    step: str
    casus: str | None
    vraag: str | None
    meenemen: str | None
    status: str
    started_at: datetime
    silent_until: datetime | None = None
    """While the minute of silent writing runs (and until its end is announced)."""

    @property
    def running(self) -> bool:
        return self.status == "open"


_SELECT = (
    "SELECT d.id, d.conversation_id, d.leercoach_id, l.display_name AS leercoach, d.inbrenger_id,"
    " i.display_name AS inbrenger, d.step, d.casus, d.vraag, d.meenemen, d.status, d.started_at,"
    " d.stil_tot FROM dialoogsessies d LEFT JOIN users l ON l.id = d.leercoach_id"
    " LEFT JOIN users i ON i.id = d.inbrenger_id"
)


def moved(
    dialogue: Dialoog,
    step: str,
    answer: str | None = None,
    silent_until: datetime | None = None,
) -> Dialoog:
    """The session as a move to `step` leaves it, before it is written (`Dialoogsessies.move`):
    the case-bringer's `answer` kept in the column of the step it leaves, and the end of the
    minute of silent writing where it comes to that step (None elsewhere)."""
    column = ANSWERS.get(dialogue.step)
    answered: dict[str, Any] = {column: answer} if column and answer is not None else {}
    return replace(dialogue, step=step, silent_until=silent_until, **answered)


def _dialogue(row: Any) -> Dialoog:
    return Dialoog(
        row["id"],
        row["conversation_id"],
        row["leercoach_id"],
        row["leercoach"] or "de leercoach",
        row["inbrenger_id"],
        row["inbrenger"] or "de inbrenger",
        row["step"],
        row["casus"],
        row["vraag"],
        row["meenemen"],
        row["status"],
        parse_iso(row["started_at"]),
        parse_iso(row["stil_tot"]) if row["stil_tot"] else None,
    )


class Dialoogsessies:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, dialogue_id: int) -> Dialoog | None:
        return await self._db.read(self.one_of(dialogue_id))

    @staticmethod
    def one_of(dialogue_id: int) -> Read[Dialoog | None]:
        """One session (`get`), to read with something else."""
        return Read.one(f"{_SELECT} WHERE d.id = ?", (dialogue_id,), _dialogue)

    async def running(self, conversation_id: int) -> Dialoog | None:
        return await self._db.read(self.running_of(conversation_id))

    @staticmethod
    def running_of(conversation_id: int) -> Read[Dialoog | None]:
        """The session running here, to read with something else."""
        return Read.one(
            f"{_SELECT} WHERE d.conversation_id = ? AND d.status = 'open'",
            (conversation_id,),
            _dialogue,
        )

    async def start(
        self,
        conversation_id: int,
        started_by: int,
        leercoach: tuple[int, str],
        inbrenger: tuple[int, str],
        now: datetime,
    ) -> Dialoog | None:
        """The new session, or None when one already runs here (the unique index decides, not
        a race); one statement, so whoever asks the case-bringer next has the id."""
        found = await self._db.scalar(
            "INSERT INTO dialoogsessies (conversation_id, started_by, leercoach_id,"
            " inbrenger_id, step, started_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING id",
            (conversation_id, started_by, leercoach[0], inbrenger[0], STEPS[0], iso(now)),
        )
        if found is None:
            return None
        return Dialoog(
            int(found),
            conversation_id,
            leercoach[0],
            leercoach[1] or "de leercoach",
            inbrenger[0],
            inbrenger[1] or "de inbrenger",
            STEPS[0],
            None,
            None,
            None,
            "open",
            parse_iso(iso(now)),
        )

    @staticmethod
    def still_at(dialogue: Dialoog) -> Statement:
        """A condition for another owner's write held back before `move`: it lands only where
        the move does (the session still open at its step)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 FROM dialoogsessies WHERE id = ? AND step = ?"
                " AND status = 'open')",
                (dialogue.id, dialogue.step),
            )
        )

    async def move(self, before: Dialoog, after: Dialoog) -> bool:
        """The session as `moved` left it, written only while it is still at `before`'s step;
        a caller that made its message first has the buttons of that message travel with
        this one statement."""
        column = ANSWERS.get(before.step)
        answered = f", {column} = ?" if column else ""
        return 1 == await self._db.changes(
            f"UPDATE dialoogsessies SET step = ?, stil_tot = ?{answered} WHERE id = ?"
            " AND step = ? AND status = 'open'",
            (
                after.step,
                iso(after.silent_until) if after.silent_until else None,
                *((getattr(after, column),) if column else ()),
                before.id,
                before.step,
            ),
        )

    async def finish(self, dialogue_id: int, status: str, now: datetime) -> bool:
        return 1 == await self._db.changes(
            "UPDATE dialoogsessies SET status = ?, finished_at = ? WHERE id = ?"
            " AND status = 'open'",
            (status, iso(now), dialogue_id),
        )

    async def silences_over(self, now: datetime, limit: int) -> list[Dialoog]:
        """Sessions whose minute of silent writing is over and that still wait in that step."""
        rows = await self._db.all(
            f"{_SELECT} WHERE d.stil_tot IS NOT NULL AND d.stil_tot <= ?"
            " AND d.step = 'stil_opschrijven' AND d.status = 'open' ORDER BY d.stil_tot LIMIT ?",
            (iso(now), limit),
        )
        return [_dialogue(r) for r in rows]

    async def end_silence(self, dialogue_id: int, until: datetime) -> bool:
        """False when it was already announced, or the session moved on meanwhile."""
        return 1 == await self._db.changes(
            "UPDATE dialoogsessies SET stil_tot = NULL WHERE id = ? AND stil_tot = ?"
            " AND step = 'stil_opschrijven' AND status = 'open'",
            (dialogue_id, iso(until)),
        )

    @staticmethod
    def brought_by(user_id: int) -> Read[list[tuple[Dialoog, str | None]]]:
        """The sessions a person brought their case to, each with its group's title: one read,
        to read with something else."""
        return Read(
            f"SELECT g.title AS group_title, t.* FROM ({_SELECT} WHERE d.inbrenger_id = ?) t"
            " LEFT JOIN conversations g ON g.id = t.conversation_id ORDER BY t.id",
            (user_id,),
            lambda rows: [(_dialogue(r), r["group_title"]) for r in rows],
        )

    async def forget_user(self, user_id: int) -> None:
        """The case, question and take-away are the case-bringer's own words: they go with them.
        Held back, for an erasure's transaction."""
        await self._db.later(
            "UPDATE dialoogsessies SET casus = NULL, vraag = NULL, meenemen = NULL"
            " WHERE inbrenger_id = ?",
            (user_id,),
        )
        for column in ("started_by", "leercoach_id", "inbrenger_id"):
            await self._db.later(
                f"UPDATE dialoogsessies SET {column} = NULL WHERE {column} = ?", (user_id,)
            )
