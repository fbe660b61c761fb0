"""Settings from the environment; nothing else reads os.environ."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    db_path: str
    log_level: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Config":
        e = dict(os.environ) if env is None else env
        return cls(
            db_path=e.get("KLETSPOT_DB") or "./kletspot.db",
            log_level=e.get("KLETSPOT_LOG", "INFO").upper(),
        )
