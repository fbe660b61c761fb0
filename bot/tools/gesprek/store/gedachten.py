"""A user's blocking and helping thoughts: a card id, or the user's own words.

The card's ids are stored, not its text, so a chosen thought survives edits of the content; a
thought is saved as a concept as soon as the blocking thought is picked, and becomes active
when the helping thought is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.storage import Database, Read, Statement
from bot.core.storage.base import lands_with_next
from content.schemas.gedachten import Gedachten

OWN_MAX = 300
"""A thought is one sentence to carry along, not a diary entry."""

_COLUMNS = (
    "id, user_id, belemmerend_id, belemmerend_eigen, helpend_id, helpend_eigen, status, created_at,"
    " reminder_version"
)


def text_of(content: Gedachten, card_id: str | None, own: str | None) -> str:
    """A chosen thought's words: the card's, or the person's own."""
    return content.gedachte(card_id).tekst if card_id is not None else own or ""


_CHOOSE = {
    "belemmerend": "UPDATE gedachten SET belemmerend_id = ?, belemmerend_eigen = ?, updated_at = ?",
    "helpend": "UPDATE gedachten SET helpend_id = ?, helpend_eigen = ?, status = 'actief',"
    " updated_at = ?",
}
"""One fixed statement per side of a thought; values are always parameters."""


@dataclass(frozen=True)
class GekozenGedachte:
    id: int
    user_id: int
    belemmerend_id: str | None
    belemmerend_eigen: str | None
    helpend_id: str | None
    helpend_eigen: str | None
    status: str
    created_at: str
    reminder_version: int = 0
    """Counted up by a change of its reminder that no question guards (`reminder_changed`)."""

    def belemmerend(self, content: Gedachten) -> str:
        return text_of(content, self.belemmerend_id, self.belemmerend_eigen)

    def helpend(self, content: Gedachten) -> str:
        return text_of(content, self.helpend_id, self.helpend_eigen)

    def as_export(self, content: Gedachten) -> dict[str, Any]:
        return {
            "id": str(self.id),  # above 2^53: text, or JavaScript rounds it
            "belemmerende_gedachte": self.belemmerend(content),
            "eigen_belemmerende_gedachte": self.belemmerend_eigen is not None,
            "helpende_gedachte": self.helpend(content) or None,
            "eigen_helpende_gedachte": self.helpend_eigen is not None,
            "status": self.status,
            "aangemaakt": self.created_at,
        }


def _thought(row: Any) -> GekozenGedachte:
    return GekozenGedachte(
        row["id"],
        row["user_id"],
        row["belemmerend_id"],
        row["belemmerend_eigen"],
        row["helpend_id"],
        row["helpend_eigen"],
        row["status"],
        row["created_at"],
        row["reminder_version"],
    )


class GekozenGedachten:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def start(
        self, user_id: int, card_id: str | None, own: str | None, now: str, only: Statement
    ) -> int:
        """A new concept, with an id the process makes (storage/ids.py), held back and written
        only where `only` holds (the question that asked for it still waits,
        `flows.still_at`): with that question's move, which already names it."""
        thought_id = self._db.new_id()
        condition, params = only
        await self._db.later(
            "INSERT INTO gedachten (id, user_id, belemmerend_id, belemmerend_eigen, created_at,"
            f" updated_at) SELECT ?, ?, ?, ?, ?, ? WHERE {condition}",
            (thought_id, user_id, card_id, own, now, now, *params),
        )
        return thought_id

    async def choose(
        self,
        side: str,
        user_id: int,
        thought_id: int,
        card: tuple[str | None, str | None],
        now: str,
        only: Statement,
    ) -> None:
        """A thought's blocking or helping side (`side`), as a card id or own words (`card`),
        held back and written only where `only` holds, so it goes with the question's move: the
        list still waiting is the guard, not the thought's status. (On PostgreSQL a ◀ Terug that
        lands while a helping choice's statement waits for the flow's row leaves the move undone
        but the choice written, and the thought active; the choices then made on the list the
        person went back to must still be stored.) The helping side makes the thought one to
        carry along."""
        condition, params = only
        await self._db.later(
            f"{_CHOOSE[side]} WHERE id = ? AND user_id = ? AND {condition}",
            (*card, now, thought_id, user_id, *params),
        )

    async def get(self, user_id: int, thought_id: object) -> GekozenGedachte | None:
        return await self._db.read(self.one_of(user_id, thought_id))

    @staticmethod
    def one_of(user_id: int, thought_id: object) -> Read[GekozenGedachte | None]:
        """One of a person's thoughts, to read with something else. `thought_id` may come from
        a payload: anything but an int is no thought."""
        return Read.one(
            f"SELECT {_COLUMNS} FROM gedachten WHERE id = ? AND user_id = ?",
            (thought_id if type(thought_id) is int else None, user_id),
            _thought,
        )

    @staticmethod
    def active_of(user_id: int) -> Read[list[GekozenGedachte]]:
        """A person's thoughts to carry along, oldest first, to read with their reminders."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM gedachten WHERE user_id = ? AND status = 'actief' ORDER BY id",
            (user_id,),
            _thought,
        )

    @staticmethod
    def all_of(user_id: int) -> Read[list[GekozenGedachte]]:
        """A person's chosen thoughts, oldest first, to read with something else."""
        return Read.each(
            f"SELECT {_COLUMNS} FROM gedachten WHERE user_id = ? ORDER BY id", (user_id,), _thought
        )

    @staticmethod
    def unchanged(thought: GekozenGedachte) -> Statement:
        """A condition for a reminder's writes held back before `reminder_changed`: they land
        in its statement, and only where it counts up (`storage.lands_with_next`)."""
        return lands_with_next(
            (
                "EXISTS (SELECT 1 FROM gedachten WHERE id = ? AND reminder_version = ?)",
                (thought.id, thought.reminder_version),
            )
        )

    async def reminder_changed(self, thought: GekozenGedachte) -> bool:
        """The thought's reminders changed from how they were read: False where another change
        (a second press on another process) came first, and then what waited on it is not
        written."""
        return 1 == await self._db.changes(
            "UPDATE gedachten SET reminder_version = reminder_version + 1"
            " WHERE id = ? AND reminder_version = ?",
            (thought.id, thought.reminder_version),
        )

    async def delete(self, user_id: int, thought_id: int) -> bool:
        return 1 == await self._db.changes(
            "DELETE FROM gedachten WHERE id = ? AND user_id = ?", (thought_id, user_id)
        )

    async def erase(self, user_id: int) -> None:
        """Held back, for an erasure's transaction; the thoughts' reminders go with every other
        reminder of the person (`Herinneringen.erase_of`)."""
        await self._db.later("DELETE FROM gedachten WHERE user_id = ?", (user_id,))
