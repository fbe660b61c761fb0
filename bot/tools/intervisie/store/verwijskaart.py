"""The team's Verwijskaart: local services per blank of the workbook's card (§11.5).

The entries are the team's; the link to who added one is personal and erasure removes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.identity import GROUPS_OF
from bot.core.storage import Database, Read

NAAM_MAX = 80
WAARVOOR_MAX = 200
BEREIK_MAX = 200
PER_VAK_MAX = 10
"""A card stays readable on a phone: at most this many services in one blank."""


@dataclass(frozen=True)
class Adres:
    """One service on the card: who, what for, how to reach them (as typed, any format)."""

    id: int
    vak: str
    naam: str
    waarvoor: str
    bereik: str
    added_by: str | None
    created_at: str


_SELECT = (
    "SELECT v.id, v.conversation_id AS team, v.vak, v.naam, v.waarvoor, v.bereik, v.created_at,"
    " u.display_name AS added_by FROM verwijskaart v LEFT JOIN users u ON u.id = v.added_by"
)


def _adres(row: Any) -> Adres:
    return Adres(
        row["id"],
        row["vak"],
        row["naam"],
        row["waarvoor"],
        row["bereik"],
        row["added_by"],
        row["created_at"],
    )


class Verwijskaart:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def of_groups_of(user_id: int) -> Read[dict[int, list[Adres]]]:
        """The cards of every team this person is in, by team: read with their teams, so that a
        DM shows the card without a read of its own once the team is known."""

        def by_team(rows: list[Any]) -> dict[int, list[Adres]]:
            cards: dict[int, list[Adres]] = {}
            for row in rows:
                cards.setdefault(int(row["team"]), []).append(_adres(row))
            return cards

        return Read(
            _SELECT
            + f" WHERE v.conversation_id IN (SELECT g.id FROM ({GROUPS_OF}) g) ORDER BY v.id",
            (user_id,),
            by_team,
        )

    async def of_team(self, conversation_id: int) -> list[Adres]:
        rows = await self._db.all(
            _SELECT + " WHERE v.conversation_id = ? ORDER BY v.id", (conversation_id,)
        )
        return [_adres(r) for r in rows]

    async def add(
        self,
        conversation_id: int,
        vak: str,
        naam: str,
        waarvoor: str,
        bereik: str,
        user_id: int,
        now: str,
    ) -> Adres | None:
        """None when the blank is full (PER_VAK_MAX): the count and the insert are one
        statement, no transaction (on PostgreSQL that is two trips more and the global write
        lock). Two services added to a blank with one place left at the very same moment on
        two processes may both land: eleven on a card meant to stay readable, never a lost
        one."""
        row = await self._db.one(
            "INSERT INTO verwijskaart (conversation_id, vak, naam, waarvoor, bereik, added_by,"
            " created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM verwijskaart"
            " WHERE conversation_id = ? AND vak = ?) < ? RETURNING id, vak, naam, waarvoor,"
            " bereik, created_at, (SELECT display_name FROM users"
            " WHERE users.id = verwijskaart.added_by) AS added_by",
            (conversation_id, vak, naam, waarvoor, bereik, user_id, now)
            + (conversation_id, vak, PER_VAK_MAX),
        )
        return None if row is None else _adres(row)

    async def remove(self, conversation_id: int, adres_id: int) -> bool:
        return 1 == await self._db.changes(
            "DELETE FROM verwijskaart WHERE id = ? AND conversation_id = ?",
            (adres_id, conversation_id),
        )

    @staticmethod
    def filled_for(user_id: int) -> Read[bool]:
        """Whether a team this person is in (an active group) has a card with entries, to
        read with something else."""
        return Read(
            "SELECT 1 AS filled FROM verwijskaart v"
            " JOIN members m ON m.conversation_id = v.conversation_id"
            " JOIN conversations c ON c.id = v.conversation_id"
            " WHERE m.user_id = ? AND c.is_group = 1 AND c.active = 1 LIMIT 1",
            (user_id,),
            bool,
        )

    @staticmethod
    def export_of(user_id: int) -> Read[list[dict[str, Any]]]:
        """What this person added to a team's card (the team, the blank, the service), for
        `mijngegevens`, to read with the rest."""
        return Read.each(
            "SELECT c.title, v.vak, v.naam, v.created_at FROM verwijskaart v"
            " JOIN conversations c ON c.id = v.conversation_id WHERE v.added_by = ?"
            " ORDER BY v.id",
            (user_id,),
            lambda r: {
                "gesprek": r["title"],
                "vak": r["vak"],
                "naam": r["naam"],
                "toegevoegd": r["created_at"],
            },
        )

    async def forget_author(self, user_id: int) -> None:
        """Held back, for an erasure's transaction."""
        await self._db.later(
            "UPDATE verwijskaart SET added_by = NULL WHERE added_by = ?", (user_id,)
        )
