"""Which country's help lines someone gets: their own choice (asked once), else the country a
team of theirs chose, else the default (Belgium)."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import iso
from bot.core.storage import Database, Read, Row


class HulpLand:
    """Which country's numbers someone chose themselves."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> str | None:
        return await self._db.read(self.of(user_id))

    @staticmethod
    def of(user_id: int) -> Read[str | None]:
        """The person's own choice (`get`), to read with something else."""
        return Read.one("SELECT country FROM hulp_land WHERE user_id = ?", (user_id,), _country)

    async def set(self, user_id: int, country: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO hulp_land (user_id, country, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET country = excluded.country,"
            " updated_at = excluded.updated_at",
            (user_id, country, iso(now)),
        )

    async def erase(self, user_id: int) -> None:
        """Held back, for an erasure's transaction."""
        await self._db.later("DELETE FROM hulp_land WHERE user_id = ?", (user_id,))


class TeamLand:
    """The country a team (a group conversation) chose for its members."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, conversation_id: int) -> str | None:
        found = await self._db.scalar(
            "SELECT country FROM team_land WHERE conversation_id = ?", (conversation_id,)
        )
        return None if found is None else str(found)

    async def set(self, conversation_id: int, country: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO team_land (conversation_id, country, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (conversation_id) DO UPDATE SET country = excluded.country,"
            " updated_at = excluded.updated_at",
            (conversation_id, country, iso(now)),
        )

    @staticmethod
    def of_member(user_id: int) -> Read[str | None]:
        """The country of the team this person was last active in, of those that chose one."""
        return Read.one(
            "SELECT t.country FROM team_land t JOIN members m"
            " ON m.conversation_id = t.conversation_id WHERE m.user_id = ?"
            " ORDER BY m.last_seen DESC LIMIT 1",
            (user_id,),
            _country,
        )


def _country(row: Row) -> str:
    return str(row["country"])
