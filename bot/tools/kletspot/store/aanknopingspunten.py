"""Aanknopingspunten: what a team noted to keep for a more formal moment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.storage import Database, Row
from bot.tools.kletspot.store.pot import Trekking

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


def _point(r: Row) -> Aanknopingspunt:
    return Aanknopingspunt(r["id"], r["text"], r["author"], r["colour"], r["question_text"],
                 r["session_id"], r["created_at"])


class Aanknopingspunten:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, conversation_id: int, author_id: int, text: str, draw: Trekking | None,
        session_id: int | None, now: str,
    ) -> Aanknopingspunt:
        """`draw`: the question it belongs to, copied so the note keeps it as it was asked."""
        history_id = draw.id if draw else None
        colour = draw.colour if draw else None
        question_text = draw.question_text if draw else None
        point_id = await self._db.execute(
            "INSERT INTO aanknopingspunten (conversation_id, author_id, text, history_id, colour, question_text,"
            " session_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, author_id, text, history_id, colour, question_text, session_id, now),
        )
        row = await self._db.one(_SELECT + " WHERE p.id = ?", (point_id,))
        assert row is not None, "just inserted in this transaction"
        return _point(row)

    async def of_conversation(self, conversation_id: int) -> list[Aanknopingspunt]:
        rows = await self._db.all(_SELECT + " WHERE p.conversation_id = ? ORDER BY p.id", (conversation_id,))
        return [_point(r) for r in rows]

    async def of_session(self, session_id: int) -> list[Aanknopingspunt]:
        rows = await self._db.all(_SELECT + " WHERE p.session_id = ? ORDER BY p.id", (session_id,))
        return [_point(r) for r in rows]

    async def export_of(self, user_id: int) -> list[dict[str, Any]]:
        rows = await self._db.all(
            "SELECT p.text, p.question_text, p.created_at, c.title, c.is_group"
            " FROM aanknopingspunten p JOIN conversations c ON c.id = p.conversation_id"
            " WHERE p.author_id = ? ORDER BY p.id", (user_id,))
        return [{"tekst": r["text"], "bij de vraag": r["question_text"],
                 "genoteerd op": r["created_at"],
                 "gesprek": r["title"] or ("groep" if r["is_group"] else "privégesprek")}
                for r in rows]

    async def forget_author(self, user_id: int) -> None:
        """What someone noted in a team belongs to the team: the text stays, the author goes."""
        await self._db.execute("UPDATE aanknopingspunten SET author_id = NULL WHERE author_id = ?",
                               (user_id,))
