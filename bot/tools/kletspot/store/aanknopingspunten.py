"""Aanknopingspunten: what a team noted to keep for a more formal moment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.storage import Database, Read, Row
from bot.tools.kletspot.store.pot import Trekking, Trekkingen

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
    topic: str | None = None
    """What it belongs to when that is no drawn question (a front of `reflectie team`)."""
    author_id: int | None = None


@dataclass(frozen=True)
class Topic:
    """What the team talks about now, when it is not a question from the jar."""

    heading: str
    set_at: str
    after_draw: int
    """The newest draw when it was set: a later draw takes over."""


_SELECT = (
    "SELECT p.id, p.text, u.display_name AS author, p.colour, p.question_text, p.session_id,"
    " p.created_at, p.onderwerp, p.author_id"
    " FROM aanknopingspunten p LEFT JOIN users u ON u.id = p.author_id"
)


def _point(r: Row) -> Aanknopingspunt:
    return Aanknopingspunt(
        r["id"],
        r["text"],
        r["author"],
        r["colour"],
        r["question_text"],
        r["session_id"],
        r["created_at"],
        r["onderwerp"],
        r["author_id"],
    )


class Aanknopingspunten:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        conversation_id: int,
        author: tuple[int, str],
        text: str,
        draw: Trekking | None,
        session_id: int | None,
        now: str,
        topic: str | None = None,
    ) -> Aanknopingspunt:
        """`author`: their id and name as they wrote it. `draw`: the question it belongs to,
        copied so the note keeps it as it was asked; else `topic`, what the team was talking
        about (a front of the reflection questions)."""
        author_id, name = author
        history_id = draw.id if draw else None
        colour = draw.colour if draw else None
        question_text = draw.question_text if draw else None
        onderwerp = None if draw else topic
        point_id = self._db.new_id()  # held back: it travels with its undo button
        await self._db.later(
            "INSERT INTO aanknopingspunten (id, conversation_id, author_id, text, history_id,"
            " colour, question_text, session_id, created_at, onderwerp)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                point_id,
                conversation_id,
                author_id,
                text,
                history_id,
                colour,
                question_text,
                session_id,
                now,
                onderwerp,
            ),
        )
        return Aanknopingspunt(
            point_id,
            text,
            name,
            colour,
            question_text,
            session_id,
            now,
            onderwerp,
            author_id,
        )

    async def of_conversation(self, conversation_id: int) -> list[Aanknopingspunt]:
        rows = await self._db.all(
            _SELECT + " WHERE p.conversation_id = ? ORDER BY p.id", (conversation_id,)
        )
        return [_point(r) for r in rows]

    def of_session(self, session_id: int) -> Read[list[Aanknopingspunt]]:
        return Read.each(_SELECT + " WHERE p.session_id = ? ORDER BY p.id", (session_id,), _point)

    @staticmethod
    def export_of(user_id: int) -> Read[list[dict[str, Any]]]:
        """What a person noted, for `mijngegevens`, to read with the rest."""
        return Read.each(
            "SELECT p.text, p.question_text, p.created_at, c.title, c.is_group"
            " FROM aanknopingspunten p JOIN conversations c ON c.id = p.conversation_id"
            " WHERE p.author_id = ? ORDER BY p.id",
            (user_id,),
            lambda r: {
                "tekst": r["text"],
                "bij de vraag": r["question_text"],
                "genoteerd op": r["created_at"],
                "gesprek": r["title"] or ("groep" if r["is_group"] else "privégesprek"),
            },
        )

    async def remove(self, point_id: int, conversation_id: int) -> str | None:
        """The removed note's text, in one statement; None when it was already gone (a second
        press, someone else was first)."""
        text = await self._db.scalar(
            "DELETE FROM aanknopingspunten WHERE id = ? AND conversation_id = ? RETURNING text",
            (point_id, conversation_id),
        )
        return None if text is None else str(text)

    async def set_topic(self, conversation_id: int, heading: str, now: str) -> None:
        """The team now talks about this (a front just posted): notes typed soon after
        belong to it, unless a question is drawn after it."""
        newest = await Trekkingen(self._db).newest(conversation_id)
        await self._db.execute(
            "INSERT INTO gespreksonderwerpen (conversation_id, onderwerp, na_trekking, gezet_op)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET"
            " onderwerp = excluded.onderwerp, na_trekking = excluded.na_trekking,"
            " gezet_op = excluded.gezet_op",
            (conversation_id, heading, newest, now),
        )

    def topic(self, conversation_id: int, since: str) -> Read[Topic | None]:
        return Read.one(
            "SELECT onderwerp, gezet_op, na_trekking FROM gespreksonderwerpen"
            " WHERE conversation_id = ? AND gezet_op >= ?",
            (conversation_id, since),
            lambda row: Topic(row["onderwerp"], row["gezet_op"], row["na_trekking"]),
        )

    async def forget_author(self, user_id: int) -> None:
        """What someone noted in a team belongs to the team: the text stays, the author goes.
        Held back, for an erasure's transaction."""
        await self._db.later(
            "UPDATE aanknopingspunten SET author_id = NULL WHERE author_id = ?", (user_id,)
        )
