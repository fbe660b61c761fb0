"""Buttons carry only an opaque token; what a press does is stored here, bound to a conversation."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeGuard

from bot.core.clock import iso
from bot.core.replies import Button
from bot.core.storage import Database, Read, Row

KEEP = timedelta(days=60)
"""How long a token is kept. A button is made when its message is sent (a weekly post, a
reminder, a question in a flow) and people press it within minutes or days; the latest press that
still makes sense comes from someone back from a long holiday, so two months covers a summer
break. Telegram and Slack keep the message and its buttons forever, so no retention covers every
press: after this a press gets "Deze knop werkt niet meer" and the command itself still works."""


async def make(
    db: Database,
    conversation_id: int,
    label: str,
    kind: str,
    payload: dict[str, Any] | None,
    now: str,
    user_id: int | None = None,
    held: int | None = None,
) -> Button:
    """`user_id` set: the button works only for that user (personal flows, reminders). A
    payload's "f", where it is an id, names the flow the button belongs to: it is stored beside
    the payload too, so that a press reads that flow with the button (`stored_of`). `held`:
    another flow row whose text the press uses (a paused answer), read with it likewise."""
    token = secrets.token_urlsafe(9)
    flow = (payload or {}).get("f")
    await db.later(
        "INSERT INTO buttons (token, conversation_id, user_id, kind, payload, created_at, flow_id,"
        " held_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            token,
            conversation_id,
            user_id,
            kind,
            json.dumps(payload or {}),
            now,
            flow if is_id(flow) else None,
            held if is_id(held) else None,
        ),
    )
    return Button(label=label, action_id=token)


def is_id(value: object) -> TypeGuard[int]:
    """An id as a button's payload (or a flow's data) holds it: a forged payload may hold
    anything, and True is an int to Python."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Stored:
    conversation_id: int
    user_id: int | None
    kind: str
    payload: object
    flow_id: int | None = None
    """The flow the button belongs to, if it names one (`make`)."""
    flow: Row | None = field(default=None, repr=False)  # it holds a person's answers
    """That flow's row, and the held one's, as read with the button (`flows.pressed`); None
    where both are gone."""
    held_id: int | None = None
    """The flow row whose text the press uses, if it names one (`make`'s `held`)."""


@dataclass(frozen=True)
class Joined:
    """Another owner's table joined to a button's row: its columns (named apart from the
    button's), its JOINs on `b.flow_id` and `b.held_id`, and the columns that are NULL where
    they found nothing."""

    columns: str
    join: str
    present: tuple[str, ...]


def stored_of(token: str, joined: Joined) -> Read[Stored | None]:
    """What a pressed token does, with the flow it belongs to and the one whose text it uses
    (the columns `joined` adds, as the flows' owner joins them); None for a token that was
    never made (forged or pruned). A read to go with who pressed it
    (`identity.register_with`)."""
    return Read.one(
        "SELECT b.conversation_id, b.user_id, b.kind, b.payload, b.flow_id, b.held_id,"
        f" {joined.columns} FROM buttons b {joined.join} WHERE b.token = ?",
        (token[:64],),
        lambda row: Stored(
            row["conversation_id"],
            row["user_id"],
            row["kind"],
            json.loads(row["payload"]),
            row["flow_id"],
            row if any(row[column] is not None for column in joined.present) else None,
            row["held_id"],
        ),
    )


def export_of(user_id: int) -> Read[list[dict[str, Any]]]:
    """How many buttons were made for a person, for `mijngegevens`, to read with the rest."""
    return Read.each(
        "SELECT kind, COUNT(*) AS n, MAX(created_at) AS last FROM buttons WHERE user_id = ?"
        " GROUP BY kind ORDER BY kind",
        (user_id,),
        lambda r: {"soort": r["kind"], "aantal": r["n"], "laatste": r["last"]},
    )


async def erase_of(db: Database, user_id: int) -> None:
    """Held back, for an erasure's transaction."""
    await db.later("DELETE FROM buttons WHERE user_id = ?", (user_id,))


async def prune(db: Database, now: datetime) -> int:
    """Forget tokens older than KEEP; returns how many."""
    return await db.changes("DELETE FROM buttons WHERE created_at < ?", (iso(now - KEEP),))
