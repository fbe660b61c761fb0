"""Kletspot sessions: a lunch or meeting opener that walks through the chosen colours in turn."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.clock import iso, parse_iso
from bot.core.storage import Database, Read, Row

DEFAULT_MINUTES = 60
MAX_MINUTES = 8 * 60


@dataclass(frozen=True)
class KletspotSessie:
    id: int
    conversation_id: int
    colours: list[str]
    position: int
    started_at: datetime
    ends_at: datetime
    status: str
    thread_id: str | None


def _session(r: Row) -> KletspotSessie:
    return KletspotSessie(
        r["id"],
        r["conversation_id"],
        json.loads(r["colours"]),
        r["position"],
        parse_iso(r["started_at"]),
        parse_iso(r["ends_at"]),
        r["status"],
        r["thread_id"],
    )


_COLUMNS = "id, conversation_id, colours, position, started_at, ends_at, status, thread_id"

OPEN_ID = "SELECT id FROM kletspot_sessies WHERE conversation_id = ? AND status = 'open'"
"""The open kletspot's id (one parameter: the conversation), as a subquery another store may
put in its own statement: the draw reads it with the jar, in one round trip."""


class KletspotSessies:
    def __init__(self, db: Database) -> None:
        self._db = db

    def open_for(self, conversation_id: int) -> Read[KletspotSessie | None]:
        return Read.one(
            f"SELECT {_COLUMNS} FROM kletspot_sessies WHERE conversation_id = ? AND status = 'open'",
            (conversation_id,),
            _session,
        )

    def get(self, session_id: int) -> Read[KletspotSessie | None]:
        return Read.one(
            f"SELECT {_COLUMNS} FROM kletspot_sessies WHERE id = ?", (session_id,), _session
        )

    async def start(
        self,
        conversation_id: int,
        user_id: int,
        colours: list[str],
        start: datetime,
        end: datetime,
        thread_id: str | None,
    ) -> KletspotSessie | None:
        """None when one is already open here (the unique index makes that race-free)."""
        row = await self._db.one(
            "INSERT INTO kletspot_sessies (conversation_id, started_by, thread_id, colours,"
            " started_at, ends_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
            f" RETURNING {_COLUMNS}",
            (conversation_id, user_id, thread_id, json.dumps(colours), iso(start), iso(end)),
        )
        return None if row is None else _session(row)

    async def step(self, session: KletspotSessie, back: bool = False) -> KletspotSessie:
        """On to the next colour (`back`: undo a step whose question was not drawn after all).
        Held back: it travels with the draw that follows, or with the event's end."""
        by = -1 if back else 1
        await self._db.later(
            "UPDATE kletspot_sessies SET position = position + ? WHERE id = ?", (by, session.id)
        )
        return replace(session, position=session.position + by)

    async def close(self, session_id: int, now: datetime) -> bool:
        """True for the one caller that closes it; a second stop or the timer finds it closed."""
        changed = await self._db.changes(
            "UPDATE kletspot_sessies SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            (iso(now), session_id),
        )
        return changed == 1

    async def expired(self, now: datetime, limit: int) -> list[KletspotSessie]:
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM kletspot_sessies WHERE status = 'open' AND ends_at <= ?"
            " ORDER BY ends_at LIMIT ?",
            (iso(now), limit),
        )
        return [_session(r) for r in rows]
