"""What the scheduler needs from a platform adapter to deliver messages nobody asked for just now.

Each adapter declares its platform's send limits here once; the scheduler's sender keeps to them,
retries what can be retried and records the rest. An adapter's `deliver` makes one attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.core.replies import Outgoing


@dataclass(frozen=True)
class SendLimits:
    per_second: float
    """All messages of the bot together."""
    per_group_per_minute: float
    per_private_per_second: float


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    """Rate-limited, a server error (5xx) or a network error before the platform answered: try
    again after `retry_after` seconds, for as long as the message is within its grace."""
    UNSURE = "unsure"
    """Timed out after the request left: it may have arrived. Repeated at most once."""
    GONE = "gone"
    """The bot was removed, blocked or uninstalled: stop sending there, no retry."""
    FAILED = "failed"
    """Refused for good (a definite no such as a bad request): recorded, not retried."""


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    retry_after: float = 0.0
    detail: str = ""
    """A log-safe reason (an error class or API error code), never message text."""


PARTIALLY_SENT = "partially_sent"
"""A message of several parts of which some went and then one could not: FAILED, not retried,
since a retry would send the parts that went once more."""


class Deliverer(Protocol):
    platform: str
    limits: SendLimits

    async def deliver(self, outgoing: Outgoing) -> Result: ...
