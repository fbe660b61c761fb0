"""Recorded conversations of a volunteer, their agreed step and the look-backs after the term.

These are notes about people who may be vulnerable: every query is scoped to the user who wrote
them, and nothing here is ever logged. A record is saved answer by answer (status `concept`)
and becomes `klaar` when the term is set; the terugblik reminder goes through `Herinneringen`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.core.clock import iso
from bot.core.storage import Database, Read, Row, Statement
from bot.core.storage.base import lands_with_next
from bot.timed.herinneringen import Herinnering, Herinneringen
from bot.timed.schedule import at_local

REMINDER_KIND = "terugblik"
LOOK_BACK_AT = time(9, 0)
"""A terugblik arrives in the morning of the agreed day, local time."""

FIELDS = ("datum", "met", "wens", "ideeen", "stap", "motivatie", "vertrouwen", "terugblik_op")
_SET = {
    name: f"UPDATE gesprekken SET {name} = ?, updated_at = ? WHERE id = ? AND user_id = ?"
    for name in FIELDS
}
"""One fixed statement per answer column; values are always parameters."""

_COLUMNS = (
    "id, user_id, datum, met, wens, ideeen, stap, motivatie, vertrouwen, terugblik_op,"
    " status, actie, created_at"
)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str


@dataclass(frozen=True)
class LookBack:
    id: int
    record_id: int
    term: date
    outcome: str
    answers: tuple[Answer, ...] = field(default=())


@dataclass(frozen=True)
class Verslag:
    id: int
    user_id: int
    datum: date
    met: str | None
    wens: str | None
    ideeen: str | None
    stap: str | None
    motivatie: int | None
    vertrouwen: int | None
    terugblik_op: date | None
    status: str
    actie: str
    created_at: str

    def missing(self) -> str | None:
        """The first answer not given yet, in the order the recording asks them."""
        for name in FIELDS:
            if getattr(self, name) is None:
                return name
        return None

    def as_export(self, lookbacks: list[LookBack]) -> dict[str, Any]:
        return {
            "id": str(self.id),  # above 2^53: text, or JavaScript rounds it
            "datum": self.datum.isoformat(),
            "met": self.met,
            "wens": self.wens,
            "ideeen": self.ideeen,
            "afgesproken_stap": self.stap,
            "motivatie": self.motivatie,
            "vertrouwen": self.vertrouwen,
            "terugblik_op": self.terugblik_op.isoformat() if self.terugblik_op else None,
            "status": self.status,
            "actie": self.actie,
            "aangemaakt": self.created_at,
            "terugblikken": [
                {
                    "termijn": lb.term.isoformat(),
                    "uitkomst": lb.outcome,
                    "antwoorden": [{"vraag": a.question, "antwoord": a.text} for a in lb.answers],
                }
                for lb in lookbacks
            ],
        }


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _record(row: Any) -> Verslag:
    return Verslag(
        row["id"],
        row["user_id"],
        date.fromisoformat(row["datum"]),
        row["met"],
        row["wens"],
        row["ideeen"],
        row["stap"],
        row["motivatie"],
        row["vertrouwen"],
        _date(row["terugblik_op"]),
        row["status"],
        row["actie"],
        row["created_at"],
    )


_LOOKBACKS = (
    "SELECT t.id, t.gesprek_id, t.termijn, t.uitkomst, a.vraag, a.antwoord FROM terugblikken t"
    " JOIN gesprekken g ON g.id = t.gesprek_id"
    " LEFT JOIN terugblik_antwoorden a ON a.terugblik_id = t.id"
    " WHERE {where} ORDER BY t.termijn, t.id, a.created_at, a.vraag"
)
"""Look-backs with their answers, one row per answer (or one without), in term order."""


def _lookbacks(rows: list[Row]) -> dict[int, list[LookBack]]:
    """Rows of `_LOOKBACKS` per record, each look-back with its answers in order."""
    made: dict[int, tuple[Row, list[Answer]]] = {}
    for row in rows:
        _, answers = made.setdefault(int(row["id"]), (row, []))
        if row["vraag"] is not None:
            answers.append(Answer(row["vraag"], row["antwoord"]))
    out: dict[int, list[LookBack]] = {}
    for row, answers in made.values():
        record_id = int(row["gesprek_id"])
        out.setdefault(record_id, []).append(
            LookBack(
                int(row["id"]),
                record_id,
                date.fromisoformat(row["termijn"]),
                row["uitkomst"],
                tuple(answers),
            )
        )
    return out


class Verslagen:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, user_id: int, day: date, now: str, only: Statement) -> int:
        """A new record, with an id the process makes (storage/ids.py), held back and written
        only where `only` holds (its first question still waits): in the statement of that
        question's move, whose next question already names it."""
        record_id = self._db.new_id()
        condition, params = only
        await self._db.later(
            "INSERT INTO gesprekken (id, user_id, datum, created_at, updated_at)"
            f" SELECT ?, ?, ?, ?, ? WHERE {condition}",
            (record_id, user_id, day.isoformat(), now, now, *params),
        )
        return record_id

    async def set(
        self, user_id: int, record_id: int, name: str, value: str | int, now: str, only: Statement
    ) -> None:
        """One answer, held back (`db.later`) and written only where `only` holds: the question
        that asked it still waits (`flows.still_at`), so it goes with that question's move."""
        condition, params = only
        await self._db.later(
            f"{_SET[name]} AND {condition}", (value, now, record_id, user_id, *params)
        )

    async def get(self, user_id: int, record_id: object) -> Verslag | None:
        return await self._db.read(self.one_of(user_id, record_id))

    @staticmethod
    def one_of(user_id: int, record_id: object) -> Read[Verslag | None]:
        """One of a person's records, to read with something else. `record_id` may come from a
        button or flow payload: anything but an int is no record."""
        return Read.one(
            f"SELECT {_COLUMNS} FROM gesprekken WHERE id = ? AND user_id = ?",
            (record_id if type(record_id) is int else None, user_id),
            _record,
        )

    @staticmethod
    def records_of(user_id: int) -> Read[list[Verslag]]:
        """A person's records, newest first, to read with their look-backs."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM gesprekken WHERE user_id = ? ORDER BY datum DESC, id DESC",
            (user_id,),
            _record,
        )

    @staticmethod
    def lookbacks_of(user_id: int) -> Read[dict[int, list[LookBack]]]:
        """The look-backs of all of a person's records, per record: one read, not one per
        record and one per look-back."""
        return Read(_LOOKBACKS.format(where="g.user_id = ?"), (user_id,), _lookbacks)

    async def latest_concept(self, user_id: int) -> Verslag | None:
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM gesprekken WHERE user_id = ? AND status = 'concept'"
            " ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return None if row is None else _record(row)

    async def open_actions(self, user_id: int) -> list[Verslag]:
        return await self._db.read(self.open_actions_of(user_id))

    @staticmethod
    def open_actions_of(user_id: int) -> Read[list[Verslag]]:
        """Records whose agreed step is still open, soonest look-back first (`open_actions`),
        to read with something else."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM gesprekken WHERE user_id = ? AND status = 'klaar'"
            " AND actie = 'open' ORDER BY terugblik_op, id",
            (user_id,),
            _record,
        )

    async def set_action(self, user_id: int, record_id: int, outcome: str, now: str) -> bool:
        """Done or dropped, once: a second press changes nothing."""
        return 1 == await self._db.changes(
            "UPDATE gesprekken SET actie = ?, updated_at = ? WHERE id = ? AND user_id = ?"
            " AND status = 'klaar' AND actie = 'open'",
            (outcome, now, record_id, user_id),
        )

    @staticmethod
    def action_open(user_id: int, record_id: int) -> Statement:
        """A condition for another owner's write that goes with `set_action`: the record's
        action is still open (written before it, in its statement)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 FROM gesprekken WHERE id = ? AND user_id = ?"
                " AND status = 'klaar' AND actie = 'open')",
                (record_id, user_id),
            )
        )

    async def set_term(
        self,
        record: Verslag,
        term: date,
        now: datetime,
        dm_conversation: int,
        tz: str,
        reminder_text: str,
        reminders: list[Herinnering],
        only: Statement,
    ) -> datetime:
        """The look-back date and its one reminder, held back without a transaction and
        written only where `only` holds (the question of the date still waits): the record's
        date, the stop of an earlier terugblik reminder of this conversation (among
        `reminders`, the person's, read with the record) and the new reminder go with that
        question's move, in its statement."""
        due = at_local(term, LOOK_BACK_AT, tz)
        store = Herinneringen(self._db)
        condition, params = only
        await self._db.later(
            "UPDATE gesprekken SET terugblik_op = ?, status = 'klaar', updated_at = ?"
            f" WHERE id = ? AND user_id = ? AND {condition}",
            (term.isoformat(), iso(now), record.id, record.user_id, *params),
        )
        await store.cancel_among(reminders, REMINDER_KIND, "v", record.id, only)
        await store.create(
            record.user_id,
            dm_conversation,
            REMINDER_KIND,
            reminder_text,
            due,
            now,
            timezone=tz,
            payload={"v": record.id},
            only=only,
        )
        return due

    async def delete(self, user_id: int, record_id: int) -> bool:
        """No transaction: its reminder ends first (only the person's own, about this record),
        then the record goes; a record that is not theirs or gone already ends nothing."""
        await Herinneringen(self._db).cancel_where(user_id, REMINDER_KIND, "v", record_id)
        return 1 == await self._db.changes(
            "DELETE FROM gesprekken WHERE id = ? AND user_id = ?", (record_id, user_id)
        )

    async def lookback(
        self, user_id: int, record_id: object, term: date, now: str, outcome: str | None = None
    ) -> int | None:
        """The look-back of one term of one of the person's records, made once however often
        its buttons are pressed: the one made before comes back from the same statement (an
        update that changes nothing, or only sets `outcome`). None when the record is not
        theirs, or gone: one statement, with the record as its condition."""
        columns, values = "gesprek_id, termijn, created_at, updated_at", "?, ?, ?, ?"
        params: list[object] = [record_id if type(record_id) is int else None, term.isoformat()]
        params += [now, now]
        change = "gesprek_id = excluded.gesprek_id"
        if outcome is not None:
            columns, values = f"{columns}, uitkomst", f"{values}, ?"
            params.append(outcome)
            change = "uitkomst = excluded.uitkomst, updated_at = excluded.updated_at"
        found = await self._db.scalar(
            f"INSERT INTO terugblikken ({columns}) SELECT {values} WHERE EXISTS"
            " (SELECT 1 FROM gesprekken WHERE id = ? AND user_id = ?)"
            f" ON CONFLICT (gesprek_id, termijn) DO UPDATE SET {change} RETURNING id",
            (*params, params[0], user_id),
        )
        return None if found is None else int(found)

    async def set_outcome(self, lookback_id: int, outcome: str, now: str, only: Statement) -> None:
        """Held back and written only where `only` holds (its question still waits), like
        `answer`: it goes with the look-back's end."""
        condition, params = only
        await self._db.later(
            f"UPDATE terugblikken SET uitkomst = ?, updated_at = ? WHERE id = ? AND {condition}",
            (outcome, now, lookback_id, *params),
        )

    async def answer(
        self, lookback_id: int, question: str, text: str, now: str, only: Statement
    ) -> None:
        """Held back and written only where `only` holds, like `set`."""
        condition, params = only
        await self._db.later(
            "INSERT INTO terugblik_antwoorden (terugblik_id, vraag, antwoord, created_at)"
            f" SELECT ?, ?, ?, ? WHERE {condition} ON CONFLICT (terugblik_id, vraag) DO UPDATE"
            " SET antwoord = excluded.antwoord",
            (lookback_id, question, text, now, *params),
        )

    async def lookbacks(self, record_id: int) -> list[LookBack]:
        rows = await self._db.all(_LOOKBACKS.format(where="t.gesprek_id = ?"), (record_id,))
        return _lookbacks(rows).get(record_id, [])

    async def erase(self, user_id: int) -> None:
        """Everything of this user (their look-backs and answers go with the records), held
        back for an erasure's transaction; their terugblik reminders go with every other
        reminder of theirs (`Herinneringen.erase_of`)."""
        await self._db.later("DELETE FROM gesprekken WHERE user_id = ?", (user_id,))
