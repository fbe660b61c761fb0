"""What a handler gets: the event, who and where in database terms, and the shared services."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import Any

from bot.clock import Clock, iso
from bot.events import Event
from bot.replies import Button
from bot.services.jar import Jar
from bot.services.points import Points
from bot.services.sessions import Sessions
from bot.storage import Database
from content import Content


@dataclass
class Ctx:
    event: Event
    db: Database
    content: Content
    clock: Clock
    rng: Random
    user_id: int
    conversation_id: int
    is_coordinator: bool
    timezone: str

    @property
    def jar(self) -> Jar:
        return Jar(self.db, self.content.kletspot, self.rng)

    @property
    def points(self) -> Points:
        return Points(self.db)

    @property
    def sessions(self) -> Sessions:
        return Sessions(self.db)

    @property
    def is_group(self) -> bool:
        return self.event.place.is_group

    @property
    def name(self) -> str:
        return self.event.actor.display_name

    def now(self) -> datetime:
        return self.clock.now()

    async def button(
        self, label: str, kind: str, payload: dict[str, Any] | None = None, personal: bool = False
    ) -> Button:
        """A button whose id is an opaque token; what it does lives in the database.

        `personal` buttons work only for the user they were shown to.
        """
        token = secrets.token_urlsafe(9)
        await self.db.execute(
            "INSERT INTO buttons (token, conversation_id, user_id, kind, payload, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                token,
                self.conversation_id,
                self.user_id if personal else None,
                kind,
                json.dumps(payload or {}),
                iso(self.now()),
            ),
        )
        return Button(label=label, action_id=token)
