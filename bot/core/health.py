"""What `/healthz` answers: the database answers and every configured platform is connected.

Platforms report their state here (`connected`); the HTTP side lives in `adapters/health.py`
because serving HTTP is a platform library's job (aiohttp)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.core.storage import Database

DB_TIMEOUT = 2.0
"""A database that does not answer within this is reported as not healthy."""


@dataclass
class Health:
    db: Database | None = None
    platforms: dict[str, bool] = field(default_factory=dict)
    """Configured platforms and whether each takes updates now."""

    def expect(self, platform: str) -> None:
        self.platforms.setdefault(platform, False)

    def connected(self, platform: str, up: bool = True) -> None:
        self.platforms[platform] = up

    async def check(self) -> tuple[bool, dict[str, str]]:
        """(healthy, one word per part) — nothing that identifies a person."""
        parts: dict[str, str] = {}
        try:
            if self.db is None:
                raise RuntimeError("no database")
            await asyncio.wait_for(self.db.scalar("SELECT 1"), DB_TIMEOUT)
            parts["database"] = "ok"
        except Exception:
            parts["database"] = "fout"
        for name, up in sorted(self.platforms.items()):
            parts[name] = "verbonden" if up else "niet verbonden"
        ok = parts["database"] == "ok" and all(self.platforms.values())
        return ok, parts


HEALTH = Health()
"""The process's one health record; app.py sets the database, platforms report themselves."""
