"""What the Slack adapter keeps in Kletspot's database: requests already handled and the modals
it opened. Owner of `slack_seen` and `slack_modals` (bot/core/schema/0009_slack.sql).

In the database rather than in memory, so a retry that arrives after a restart, or at a second
process, is still recognised.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.storage import Database

SEEN_KEEP = 3 * 3600.0
"""Slack retries an event three times within about an hour and a half, and refuses a signed
request older than five minutes; three hours covers both."""
MODAL_KEEP = 24 * 3600.0
"""A modal left open longer than a day is stale: its submission gets a clear message."""


@dataclass(frozen=True)
class Modal:
    """A modal the app opened: for whom, answering where."""

    token: str
    purpose: str
    team_id: str
    user_id: str
    channel_id: str
    thread_ts: str | None
    author_id: str | None
    created_at: float
    used_at: float | None


class SlackStore:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    async def first_time(self, key: str) -> bool:
        """True once per key (an event_id, a trigger_id); every later call says False."""
        changed = await self.db.changes(
            "INSERT INTO slack_seen (key, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (key[:300], self.clock()),
        )
        return changed == 1

    async def prune(self, now: float) -> int:
        """Housekeeping (registered with `router.tidy`, run by `Engine.tidy` on the one
        housekeeping path): request ids past their retries, modals long closed."""
        seen = await self.db.changes("DELETE FROM slack_seen WHERE seen_at < ?", (now - SEEN_KEEP,))
        modals = await self.db.changes(
            "DELETE FROM slack_modals WHERE created_at < ?", (now - 2 * MODAL_KEEP,)
        )
        return seen + modals

    async def open_modal(
        self,
        purpose: str,
        team_id: str,
        user_id: str,
        channel_id: str,
        thread_ts: str | None = None,
        author_id: str | None = None,
    ) -> str:
        """Record a modal about to be opened; its token goes in the view's private_metadata."""
        token = secrets.token_urlsafe(18)
        await self.db.execute(
            "INSERT INTO slack_modals (token, purpose, team_id, user_id, channel_id, thread_ts,"
            " author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (token, purpose, team_id, user_id, channel_id, thread_ts, author_id, self.clock()),
        )
        return token

    async def modal(self, token: str) -> Modal | None:
        row = await self.db.one(
            "SELECT token, purpose, team_id, user_id, channel_id, thread_ts, author_id,"
            " created_at, used_at FROM slack_modals WHERE token = ?",
            (token[:100],),
        )
        return None if row is None else Modal(*tuple(row))

    def stale(self, modal: Modal) -> bool:
        return self.clock() - modal.created_at > MODAL_KEEP

    async def use_modal(self, token: str) -> bool:
        """Mark a modal submitted; False when it already was (a replayed submission)."""
        changed = await self.db.changes(
            "UPDATE slack_modals SET used_at = ? WHERE token = ? AND used_at IS NULL",
            (self.clock(), token),
        )
        return changed == 1

    async def reopen_modal(self, token: str) -> None:
        """The engine refused a field: the same modal may be sent again, corrected."""
        await self.db.execute("UPDATE slack_modals SET used_at = NULL WHERE token = ?", (token,))

    async def forget_modal(self, token: str) -> None:
        """views.open failed: the modal never existed."""
        await self.db.execute("DELETE FROM slack_modals WHERE token = ?", (token,))
