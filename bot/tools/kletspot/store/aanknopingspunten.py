"""Aanknopingspunten: what a team noted to keep for a more formal moment."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.storage import Database

POINT_MAX = 2000


@dataclass(frozen=True)
class Aanknopingspunt:
    id: int
    text: str
    author: str | None
    colour: str | None
    question_text: str | None
    session_id: int | None
    created_at: str


_SELECT = (
    "SELECT p.id, p.text, u.display_name AS author, p.colour, p.question_text, p.session_id,"
    " p.created_at FROM aanknopingspunten p LEFT JOIN users u ON u.id = p.author_id"
)


def _point(row: object) -> Aanknopingspunt:
    r = row  # aiosqlite.Row
    return Aanknopingspunt(r["id"], r["text"], r["author"], r["colour"], r["question_text"],  # type: ignore[index]
                 r["session_id"], r["created_at"])  # type: ignore[index]


class Aanknopingspunten:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, conversation_id: int, author_id: int, text: str, history_id: int | None,
        session_id: int | None, now: str,
    ) -> Aanknopingspunt:
        colour = question_text = None
        if history_id is not None:
            row = await self._db.one(
                "SELECT colour, question_text FROM trekkingen WHERE id = ? AND conversation_id = ?",
                (history_id, conversation_id),
            )
            if row is None:
                history_id = None
            else:
                colour, question_text = row["colour"], row["question_text"]
        point_id = await self._db.execute(
            "INSERT INTO aanknopingspunten (conversation_id, author_id, text, history_id, colour, question_text,"
            " session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, author_id, text, history_id, colour, question_text, session_id, now),
        )
        row = await self._db.one(_SELECT + " WHERE p.id = ?", (point_id,))
        return _point(row)

    async def of_conversation(self, conversation_id: int) -> list[Aanknopingspunt]:
        rows = await self._db.all(_SELECT + " WHERE p.conversation_id = ? ORDER BY p.id", (conversation_id,))
        return [_point(r) for r in rows]

    async def of_session(self, session_id: int) -> list[Aanknopingspunt]:
        rows = await self._db.all(_SELECT + " WHERE p.session_id = ? ORDER BY p.id", (session_id,))
        return [_point(r) for r in rows]

    async def latest_question(self, conversation_id: int, since: str) -> int | None:
        """The question a `noteer` without button belongs to: the last one drawn here lately."""
        return await self._db.scalar(
            "SELECT id FROM trekkingen WHERE conversation_id = ? AND drawn_at >= ?"
            " ORDER BY id DESC LIMIT 1",
            (conversation_id, since),
        )
