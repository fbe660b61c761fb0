"""Reflection runs: one tool filled in by one person, saved answer by answer.

The run's position lives here, not in a flow: a command in between drops the bot's open
question (bot.core.flows.drop_questions), but never the person's progress. Every write checks the
position it was asked at, so a stale or doubled button press cannot store an answer twice or
in the wrong place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.core.buttons import is_id
from bot.core.clock import iso, parse_iso
from bot.core.storage import Database, Read, Row, Statement
from bot.core.storage.base import lands_with_next
from content.schemas.reflectoren import Antwoord, Item, Reflector

Value = str | int | list[str] | None
"""An option code, a scale number, written text, several codes, or None for 'overgeslagen'."""


@dataclass(frozen=True)
class Step:
    """One question in the chat: an item (part 0) or one of its follow-up columns."""

    item: Item
    part: int

    @property
    def answer(self) -> Antwoord:
        return self.item.antwoord if self.part == 0 else self.item.vervolg[self.part - 1].antwoord

    @property
    def is_rating(self) -> bool:
        """A follow-up that rates the item itself again (one's own assumption, A/B/C)."""
        return self.part > 0 and self.item.vervolg[self.part - 1].tekst is None

    @property
    def key(self) -> tuple[str, int]:
        return self.item.id, self.part


def steps(tool: Reflector) -> list[Step]:
    return [Step(item, part) for item in tool.items for part in range(1 + len(item.vervolg))]


@dataclass(frozen=True)
class Run:
    id: int
    user_id: int
    tool: str
    position: int
    status: str
    started_at: datetime
    finished_at: datetime | None

    @property
    def open(self) -> bool:
        return self.status == "open"

    def moved(self, step_by: int, total: int, now: datetime) -> Run:
        """The run as an answer at its position leaves it (`Reflecties.save`)."""
        done = self.position + step_by >= total
        return replace(
            self,
            position=self.position + step_by,
            status="done" if done else self.status,
            finished_at=parse_iso(iso(now)) if done else self.finished_at,
        )


Answered = tuple[Run, dict[tuple[str, int], Value]]
"""A run with its answers, by step key."""

_COLUMNS = "id, user_id, tool, position, status, started_at, finished_at"


def _run(row: Any) -> Run:
    return Run(
        row["id"],
        row["user_id"],
        row["tool"],
        row["position"],
        row["status"],
        parse_iso(row["started_at"]),
        parse_iso(row["finished_at"]) if row["finished_at"] else None,
    )


def _answered(where: str, params: tuple[Any, ...]) -> Read[list[Answered]]:
    run_columns = ", ".join(f"r.{c}" for c in _COLUMNS.split(", "))
    return Read(
        f"SELECT {run_columns}, a.item, a.part, a.value FROM reflecties r"
        f" LEFT JOIN reflectie_antwoorden a ON a.reflection_id = r.id WHERE {where} ORDER BY r.id",
        params,
        _with_answers,
    )


def _with_answers(rows: list[Row]) -> list[Answered]:
    """Rows of runs joined with their answers (a run without any: one row of NULLs) as each
    run with its answers."""
    runs: dict[int, Answered] = {}
    for row in rows:
        run, answers = runs.setdefault(row["id"], (_run(row), {}))
        if row["item"] is not None:
            answers[(row["item"], row["part"])] = json.loads(row["value"])
    return list(runs.values())


class Reflecties:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, run_id: object, user_id: int) -> Run | None:
        """Only the owner's own run; anything else (forged, foreign, gone) is None."""
        if not is_id(run_id):
            return None
        return await self._db.read(self.run_of(run_id, user_id))

    @staticmethod
    def run_of(run_id: int, user_id: int) -> Read[Run | None]:
        """The owner's own run (`get`), to read with something else."""
        return Read.one(
            f"SELECT {_COLUMNS} FROM reflecties WHERE id = ? AND user_id = ?",
            (run_id, user_id),
            _run,
        )

    async def open_runs(self, user_id: int) -> list[Run]:
        return await self._db.read(self.open_of(user_id))

    @staticmethod
    def open_of(user_id: int) -> Read[list[Run]]:
        """This person's unfinished runs, last touched first (`open_runs`), to read with
        something else."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM reflecties WHERE user_id = ? AND status = 'open'"
            " ORDER BY updated_at DESC, id DESC",
            (user_id,),
            _run,
        )

    async def history(self, user_id: int, limit: int = 30) -> list[Run]:
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM reflecties WHERE user_id = ?"
            " ORDER BY COALESCE(finished_at, updated_at) DESC, id DESC LIMIT ?",
            (user_id, limit),
        )
        return [_run(r) for r in rows]

    def new(self, user_id: int, tool: str, now: datetime) -> Run:
        """A run not stored yet, with an id the process made: what goes with it (its first
        question) can be held back before `start` and travel with it."""
        return Run(self._db.new_id(), user_id, tool, 0, "open", parse_iso(iso(now)), None)

    async def start(self, run: Run) -> Run | None:
        """`run` (from `new`) stored; None when one of its tool is already open (one open run
        per tool). Writes held back before it that belong to the run are guarded by
        `lands_with`."""
        stamp = iso(run.started_at)
        row = await self._db.one(
            "INSERT INTO reflecties (id, user_id, tool, started_at, updated_at)"
            f" VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING {_COLUMNS}",
            (run.id, run.user_id, run.tool, stamp, stamp),
        )
        return None if row is None else _run(row)

    @staticmethod
    def lands_with(run: Run) -> Statement:
        """A condition for another owner's write held back before `start`: it lands only where
        the run does (no other run of its tool open: on SQLite it runs just before the run's
        insert, in the same call)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM reflecties WHERE user_id = ?"
                " AND tool = ? AND status = 'open'))",
                (run.user_id, run.tool),
            )
        )

    @staticmethod
    def still_at(run: Run) -> Statement:
        """A condition for another owner's write held back before `save` or `step_back`: it
        lands only where the answer or the step back does (the run still open at its
        position)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 FROM reflecties WHERE id = ? AND user_id = ? AND position = ?"
                " AND status = 'open')",
                (run.id, run.user_id, run.position),
            )
        )

    async def discard(self, run_id: object, user_id: int, tools: list[str]) -> Run | None:
        """The owner's own open run of one of `tools`, deleted with its answers (to start
        over); None where there is none (forged, foreign, gone, finished: `get` tells which).
        No transaction: the fresh run that takes its place is a statement of its own
        (`start`), and between the two there is only nothing open, which the person wanted
        gone anyway; of two presses at once one deletes it and the other finds none."""
        if not is_id(run_id) or not tools:
            return None
        among = ", ".join("?" for _ in tools)
        row = await self._db.one(
            "DELETE FROM reflecties WHERE id = ? AND user_id = ? AND status = 'open'"
            f" AND tool IN ({among}) RETURNING {_COLUMNS}",
            (run_id, user_id, *tools),
        )
        return None if row is None else _run(row)

    async def answers(self, run_id: int) -> dict[tuple[str, int], Value]:
        return await self._db.read(self.answers_of(run_id))

    @staticmethod
    def answers_of(run_id: int) -> Read[dict[tuple[str, int], Value]]:
        """A run's answers, to read with something else."""
        return Read(
            "SELECT item, part, value FROM reflectie_antwoorden WHERE reflection_id = ?",
            (run_id,),
            lambda rows: {(r["item"], r["part"]): json.loads(r["value"]) for r in rows},
        )

    async def save(
        self, run: Run, after: Run, step: Step, value: Value, now: datetime
    ) -> Run | None:
        """Store the answer at the run's current position and the run as the answer leaves it
        (`after`, from `Run.moved`); None when the run is no longer at that position or no
        longer open: then nothing is stored.

        No transaction (two round trips more on PostgreSQL): in an event, the answer is written
        only while the run is still at that position, held back so that it goes with the move
        in one statement (one call into SQLite). A failure in between cannot store the move
        without the answer; an answer without the move is given again by the same press. Two
        different answers to one question at the very same moment on two processes: on
        PostgreSQL the one written last may be the one kept, while its sender hears the
        question was answered already (the guard of each sees the run as it was)."""
        stamp = iso(now)
        item, part = step.key
        await self._db.later(
            "INSERT INTO reflectie_antwoorden (reflection_id, item, part, value, answered_at)"
            " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM reflecties WHERE id = ?"
            " AND user_id = ? AND position = ? AND status = 'open')"
            " ON CONFLICT (reflection_id, item, part)"
            " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
            (run.id, item, part, json.dumps(value), stamp, run.id, run.user_id, run.position),
        )
        moved = await self._db.changes(
            "UPDATE reflecties SET position = ?, status = ?, finished_at = ?, updated_at = ?"
            " WHERE id = ? AND user_id = ? AND position = ? AND status = 'open'",
            (
                after.position,
                after.status,
                iso(after.finished_at) if after.finished_at else None,
                stamp,
                run.id,
                run.user_id,
                run.position,
            ),
        )
        return after if moved else None  # as the update left it, without reading it back

    async def step_back(self, run: Run, now: datetime) -> bool:
        """One question back in an open run (the answer stays until a new one is given), where
        it is still at its position; what was held back with `still_at` lands with it. The run
        is then `run` one position back: not read again."""
        return 1 == await self._db.changes(
            "UPDATE reflecties SET position = position - 1, updated_at = ? WHERE id = ?"
            " AND user_id = ? AND position = ? AND position > 0 AND status = 'open'",
            (iso(now), run.id, run.user_id, run.position),
        )

    @staticmethod
    def runs_of(user_id: int) -> Read[list[Answered]]:
        """A person's runs with their answers, oldest first: one read (not one per run), to
        read with something else."""
        return _answered("r.user_id = ?", (user_id,))

    @staticmethod
    def finished_of(user_id: int, tool: str, up_to: int) -> Read[list[Answered]]:
        """Every finished run of one tool up to and including run `up_to`, oldest first, with
        its answers, in one read: what a summary compares and draws."""
        return _answered(
            "r.user_id = ? AND r.tool = ? AND r.status = 'done' AND r.id <= ?",
            (user_id, tool, up_to),
        )

    async def erase(self, user_id: int) -> None:
        """Held back (`db.later`), for an erasure's transaction."""
        await self._db.later(
            "DELETE FROM reflectie_antwoorden WHERE reflection_id IN"
            " (SELECT id FROM reflecties WHERE user_id = ?)",
            (user_id,),
        )
        await self._db.later("DELETE FROM reflecties WHERE user_id = ?", (user_id,))
