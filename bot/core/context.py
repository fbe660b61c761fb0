"""What a handler gets: the event, who and where in database terms, and the shared services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from random import Random
from typing import TYPE_CHECKING, Any

from bot.core import buttons
from bot.core.clock import Clock, iso
from bot.core.events import Event
from bot.core.replies import Button
from bot.core.storage import Database
from content import Content

if TYPE_CHECKING:
    from bot.core.router import Flow


@dataclass(frozen=True)
class Deps:
    """What background work (timers, the scheduler) needs, without an event."""

    db: Database
    content: Content
    clock: Clock
    rng: Random


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
    first_visit: bool = False
    """The person's first message in this conversation."""
    asking: Callable[[Ctx, Flow], Awaitable[None]] | None = None
    """What the engine makes for a question as a flow moves to it (`flows.advance`): its way
    back and out (`steering.prepare`), held back so that it travels with the move."""
    ahead: object = None
    """What the command's read ahead found (`Router.command`'s `ahead`), read with the
    event's first read; None where it was not read (the command reads it itself)."""
    title: str | None = None
    """The conversation's name: the event's, else as stored (`identity.Known.title`); None in
    a DM reached from a group (`privately.dm_ctx`)."""

    @property
    def deps(self) -> Deps:
        return Deps(self.db, self.content, self.clock, self.rng)

    @property
    def is_group(self) -> bool:
        return self.event.place.is_group

    @property
    def name(self) -> str:
        return self.event.actor.display_name

    def now(self) -> datetime:
        return self.clock.now()

    async def button(
        self,
        label: str,
        kind: str,
        payload: dict[str, Any] | None = None,
        personal: bool = False,
        held: int | None = None,
    ) -> Button:
        """`personal` buttons work only for the user they were shown to; `held`: a flow row
        whose text the press uses, read with it (`buttons.make`)."""
        return await buttons.make(
            self.db,
            self.conversation_id,
            label,
            kind,
            payload,
            iso(self.now()),
            self.user_id if personal else None,
            held,
        )
