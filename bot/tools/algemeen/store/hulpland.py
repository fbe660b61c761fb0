"""Which country's help lines someone gets: asked once, default Belgium."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import iso
from bot.core.storage import Database


class HulpLand:
    """Which country's numbers someone gets; asked once, default Belgium."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> str | None:
        found = await self._db.scalar("SELECT country FROM hulp_land WHERE user_id = ?",
                                      (user_id,))
        return None if found is None else str(found)

    async def set(self, user_id: int, country: str, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO hulp_land (user_id, country, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET country = excluded.country,"
            " updated_at = excluded.updated_at", (user_id, country, iso(now)))

    async def erase(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM hulp_land WHERE user_id = ?", (user_id,))
