"""The team's action list: what was agreed, who owns it, by when, and how it turned out.

Owners are a link to a user that erasure removes; the text stays, because it is the team's.
An owner may also be someone outside the chat (the workbook's "Actie-eigenaar uit lokaal
netwerk": de wijkagent, de huisarts): then only their name is kept, and `reminder_to` is the
coordinator who added the action and gets the reminder on the owner's behalf.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.storage import Database, Read, Statement
from bot.core.storage.base import lands_with_next

STATUSES = ("open", "bezig", "gedaan", "geschrapt")
STILL_OPEN = ("open", "bezig")
ACTION_MAX = 300
OUTCOME_MAX = 1000


@dataclass(frozen=True)
class Teamactie:
    id: int
    conversation_id: int
    number: int
    dialogue_id: int | None
    text: str
    owner_id: int | None
    owner_name: str | None
    """The owner as shown: the member's name, or the name of someone outside the chat."""
    due_date: date
    status: str
    outcome: str | None
    checklist: dict[str, Any] = field(default_factory=dict)
    """{"keuzes": {dimension id: [option texts]}, "open": {column id: text}}"""
    impact: list[dict[str, str]] = field(default_factory=list)
    """[{"vraag": ..., "antwoord": ...}]: the question is kept, so a reworded content file
    cannot shift the answers."""
    outside: bool = False
    """The owner is someone outside the chat, named in words."""
    reminder_to: int | None = None
    reminder_name: str | None = None

    @property
    def still_open(self) -> bool:
        return self.status in STILL_OPEN

    @property
    def reminded(self) -> int | None:
        """Who gets the reminder and may mark the action as its owner would: the owner in the
        chat, or for an owner outside it, the coordinator who added it."""
        return self.reminder_to if self.outside else self.owner_id


def _columns(t: str) -> str:
    """What is read of an action (`t`: the table's name or alias), by a SELECT or by a new
    row's RETURNING alike."""
    return (
        f"{t}.id, {t}.conversation_id, {t}.number, {t}.dialogue_id, {t}.text, {t}.owner_id,"
        f" COALESCE({t}.owner_name, (SELECT display_name FROM users"
        f" WHERE users.id = {t}.owner_id)) AS shown_owner, {t}.owner_name IS NOT NULL AS outside,"
        f" {t}.reminder_to, (SELECT display_name FROM users WHERE users.id = {t}.reminder_to)"
        f" AS reminder_name, {t}.due_date, {t}.status, {t}.outcome, {t}.checklist, {t}.impact"
    )


_SELECT = f"SELECT {_columns('a')} FROM teamacties a"
_RETURNED = _columns("teamacties")
ATTEMPTS = 10
"""How often `add` may lose the next number to an action added at the same moment."""


class NumberTaken(Exception):
    """Another action took the next number at every try (`ATTEMPTS`): the event fails with the
    engine's plain apology and stores nothing of the action."""


def _titled(where: str, params: tuple[Any, ...]) -> Read[list[tuple[Teamactie, str | None]]]:
    return Read(
        f"SELECT g.title AS group_title, t.* FROM ({_SELECT} WHERE {where}) t"
        " LEFT JOIN conversations g ON g.id = t.conversation_id ORDER BY t.due_date, t.id",
        params,
        lambda rows: [(_action(r), r["group_title"]) for r in rows],
    )


def _action(row: Any) -> Teamactie:
    return Teamactie(
        row["id"],
        row["conversation_id"],
        row["number"],
        row["dialogue_id"],
        row["text"],
        row["owner_id"],
        row["shown_owner"],
        date.fromisoformat(row["due_date"]),
        row["status"],
        row["outcome"],
        json.loads(row["checklist"]) if row["checklist"] else {},
        json.loads(row["impact"]) if row["impact"] else [],
        bool(row["outside"]),
        row["reminder_to"],
        row["reminder_name"],
    )


class Teamacties:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        conversation_id: int,
        text: str,
        owner_id: int | None,
        due: date,
        dialogue_id: int | None,
        user_id: int,
        now: datetime,
        *,
        owner_name: str | None = None,
        with_it: Callable[[int], Awaitable[None]] | None = None,
        flow_id: int | None = None,
    ) -> Teamactie | None:
        """Numbered per conversation, in one statement: the highest number here plus one. Of
        two actions added at the very same moment on two processes one takes the number (it is
        unique per conversation) and the other tries again. `with_it(action_id)` holds back
        what goes with the action before each try (its owner's reminder and the entry's end,
        guarded by `lands_with`; the reply's buttons), so it travels in the action's statement.
        `owner_name`: an owner outside the chat, whose reminder goes to `user_id`, who added
        the action. `flow_id`: the entry that adds it, which adds one action (unique): None
        where that entry's action was stored already."""
        stamp = iso(now)
        async with self._db.unit():  # what goes with it must travel with it, not before
            # writes held before are sent first: one the INSERT reads (a changed name) would
            # keep its guarded companions out of its statement
            await self._db.flush()
            for _ in range(ATTEMPTS):
                action_id = self._db.new_id()
                if with_it is not None:
                    await with_it(action_id)
                row = await self._db.one(
                    "INSERT INTO teamacties (id, conversation_id, number, dialogue_id, text,"
                    " owner_id, owner_name, reminder_to, due_date, created_by, created_at,"
                    " updated_by, updated_at, flow_id) SELECT ?, ?, COALESCE(MAX(number), 0) + 1,"
                    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM teamacties WHERE conversation_id = ?"
                    f" ON CONFLICT DO NOTHING RETURNING {_RETURNED}",
                    (
                        action_id,
                        conversation_id,
                        dialogue_id,
                        text,
                        None if owner_name else owner_id,
                        owner_name,
                        user_id if owner_name else None,
                        due.isoformat(),
                        user_id,
                        stamp,
                        user_id,
                        stamp,
                        flow_id,
                        conversation_id,
                    ),
                )
                if row is not None:
                    return _action(row)
                if flow_id is not None and await self._db.scalar(
                    "SELECT 1 FROM teamacties WHERE flow_id = ?", (flow_id,)
                ):
                    return None
        raise NumberTaken(conversation_id)

    @staticmethod
    def lands_with(action_id: int, flow_id: int | None = None) -> Statement:
        """A condition for another owner's write held back before `add` (`with_it`): it lands
        only with the action (on SQLite it runs just before it, in the same call, where the
        only action that can keep it out is one its entry `flow_id` added already)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM teamacties WHERE id = ?"
                " OR flow_id = ?))",
                (action_id, flow_id),
            )
        )

    @staticmethod
    def listed_still(action_id: int) -> Statement:
        """A condition for another owner's change: the action is still on the list."""
        return "EXISTS (SELECT 1 FROM teamacties WHERE id = ?)", (action_id,)

    async def get(self, action_id: int) -> Teamactie | None:
        row = await self._db.one(f"{_SELECT} WHERE a.id = ?", (action_id,))
        return None if row is None else _action(row)

    async def by_number(self, conversation_id: int, number: int) -> Teamactie | None:
        row = await self._db.one(
            f"{_SELECT} WHERE a.conversation_id = ? AND a.number = ?", (conversation_id, number)
        )
        return None if row is None else _action(row)

    async def of_conversation(self, conversation_id: int) -> list[Teamactie]:
        return await self._db.read(self.listed(conversation_id))

    @staticmethod
    def listed(conversation_id: int) -> Read[list[Teamactie]]:
        """`of_conversation`, to read with something else (the action a list's button names)."""
        return Read.each(
            f"{_SELECT} WHERE a.conversation_id = ? ORDER BY a.number", (conversation_id,), _action
        )

    async def still_open(self, conversation_id: int) -> list[Teamactie]:
        rows = await self._db.all(
            f"{_SELECT} WHERE a.conversation_id = ? AND a.status IN (?, ?) ORDER BY a.number",
            (conversation_id, *STILL_OPEN),
        )
        return [_action(r) for r in rows]

    async def of_dialogue(self, dialogue_id: int) -> list[Teamactie]:
        return await self._db.read(self.agreed_in(dialogue_id))

    @staticmethod
    def agreed_in(dialogue_id: object) -> Read[list[Teamactie]]:
        """`of_dialogue`, to read with the session (an id that is none finds none)."""
        return Read.each(
            f"{_SELECT} WHERE a.dialogue_id = ? ORDER BY a.number",
            (dialogue_id if is_id(dialogue_id) else None,),
            _action,
        )

    @staticmethod
    def owned_by(user_id: int) -> Read[list[tuple[Teamactie, str | None]]]:
        """The actions this person owns, and those they are reminded of for an owner outside,
        each with its group's title (`acties team` in a DM, one's start page, one's data)."""
        return _titled("a.owner_id = ? OR a.reminder_to = ?", (user_id, user_id))

    @staticmethod
    def titled(action_id: int) -> Read[list[tuple[Teamactie, str | None]]]:
        """One action (or none) with its group's title, in one read."""
        return _titled("a.id = ?", (action_id,))

    async def set_status(self, action_id: int, status: str, user_id: int, now: datetime) -> None:
        """Held back (`db.later`): it goes with the event's next statement."""
        assert status in STATUSES
        await self._db.later(
            "UPDATE teamacties SET status = ?, updated_by = ?, updated_at = ? WHERE id = ?",
            (status, user_id, iso(now), action_id),
        )

    async def set_outcome(self, action_id: int, text: str, user_id: int, now: datetime) -> None:
        """Held back (`db.later`): it goes with the end of the question that asked it."""
        await self._db.later(
            "UPDATE teamacties SET outcome = ?, updated_by = ?, updated_at = ? WHERE id = ?",
            (text, user_id, iso(now), action_id),
        )

    async def set_checklist(
        self,
        action_id: int,
        checklist: dict[str, Any],
        impact: list[dict[str, str]],
        user_id: int,
        now: datetime,
        only: Statement,
    ) -> None:
        """One write for the whole checklist (an abandoned checklist leaves nothing behind),
        held back and written only where `only` holds: with the end of the question that asked
        for it (`flows.still_at`), so a second submission stores nothing."""
        condition, params = only
        await self._db.later(
            "UPDATE teamacties SET checklist = ?, impact = ?, updated_by = ?, updated_at = ?"
            f" WHERE id = ? AND {condition}",
            (
                json.dumps(checklist, ensure_ascii=False),
                json.dumps(impact, ensure_ascii=False),
                user_id,
                iso(now),
                action_id,
                *params,
            ),
        )

    async def remove(self, action_id: int) -> None:
        await self._db.execute("DELETE FROM teamacties WHERE id = ?", (action_id,))

    async def forget_user(self, user_id: int) -> None:
        """Erasure: the actions stay with the team, without the person (held back, for its
        transaction)."""
        for column in ("owner_id", "reminder_to", "created_by", "updated_by"):
            await self._db.later(
                f"UPDATE teamacties SET {column} = NULL WHERE {column} = ?", (user_id,)
            )
