"""What a chat platform offers the process: whether the environment asks for it, and a way to
serve until told to stop. Each package under `adapters/` exposes one `PLATFORM`; the registry
in `adapters/__init__.py` lists them, so adding a platform changes nothing in `bot/`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.delivery import Deliverer

if TYPE_CHECKING:
    from bot.core.engine import Engine

OnReady = Callable[[Deliverer], Awaitable[None] | None]
"""Called once the platform takes updates; the deliverer is what the scheduler sends through."""


Serve = Callable[["Engine", Mapping[str, str], asyncio.Event, OnReady | None], Awaitable[None]]
"""Start, take updates until the event is set, then stop cleanly."""


@dataclass(frozen=True)
class Platform:
    name: str
    configured: Callable[[Mapping[str, str]], bool]
    """Whether the environment asks for this platform (its token is set)."""
    serve: Serve


class StartupError(Exception):
    """The process cannot start. `str(error)` is one Dutch line for whoever runs the bot (no
    secrets, no stack); `code` is the exit status, one per cause (README, "Als de start
    mislukt")."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


EXIT_CONTENT = 2
EXIT_SETTINGS = 3
"""A variable is missing or malformed (a token without its secret, a port that is no number)."""
EXIT_REFUSED = 4
"""The platform refuses the credentials (a wrong or revoked token)."""
EXIT_UNREACHABLE = 5
"""The platform cannot be reached (network, DNS, a wrong API URL)."""
EXIT_DATABASE = 6
"""The database is corrupt, read-only, full or cannot be opened."""
