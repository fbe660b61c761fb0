"""The account's pace plugged into python-telegram-bot: its official extension point for rate
limiting (`telegram.ext.BaseRateLimiter`), through which every request of the bot passes.

It decides nothing: which messages count and where they go is read from the request, and
`bot/core/pacing.py` (the one pace of the bot token, shared by every process) says when each may
leave. Replies, edits, files and the scheduler's posts all pass here, and only here. It never
retries: a RetryAfter reaches `sending.py`, which waits it out (replies) or hands it to the
scheduler (posts).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.ext import BaseRateLimiter

from bot.core.pacing import Pace

POST = "post"
"""`rate_limit_args` of a scheduled post: replies (anything else) take their turn first."""
COUNTED = ("send", "edit", "copy", "forward")
"""Methods that post or change a message: they count towards Telegram's limits."""
UNCOUNTED = frozenset({"sendChatAction"})


def counts(endpoint: str) -> bool:
    return endpoint.startswith(COUNTED) and endpoint not in UNCOUNTED


def conversation_of(chat_id: object) -> tuple[str | None, bool]:
    """The chat a request goes to, and whether it is a group (a negative id, or a
    `@channelusername`); (None, False) for a request without a chat."""
    if chat_id is None:
        return None, False
    with contextlib.suppress(ValueError, TypeError):
        number = int(chat_id)  # type: ignore[call-overload]
        return str(number), number < 0
    return str(chat_id), True


class PacedLimiter(BaseRateLimiter[str]):
    """Every counted request waits for its turn in the bot token's `Pace`, then goes; a reply
    (someone waits for it) before the scheduler's posts (`rate_limit_args=POST`)."""

    __slots__ = ("_pace",)

    def __init__(self, pace: Pace) -> None:
        self._pace = pace

    async def initialize(self) -> None:
        """Nothing to open: the pace lives with the engine."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if counts(endpoint):
            conversation, group = conversation_of(data.get("chat_id"))
            await self._pace.wait(conversation, group, urgent=rate_limit_args != POST)
        return await callback(*args, **kwargs)
