"""Settings from the environment; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Config:
    database: str
    """A SQLite file path (`KLETSPOT_DB`), or a PostgreSQL address (`KLETSPOT_DATABASE_URL`),
    which wins when both are set."""
    log_level: str
    grace: timedelta
    """How late a missed nudge or reminder may still go out after the bot was down."""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Config:
        e = dict(os.environ) if env is None else env
        return cls(
            database=(e.get("KLETSPOT_DATABASE_URL") or e.get("KLETSPOT_DB") or "./kletspot.db"),
            log_level=e.get("KLETSPOT_LOG", "INFO").upper(),
            grace=timedelta(hours=float(e.get("KLETSPOT_GRACE_HOURS") or 12)),
        )
