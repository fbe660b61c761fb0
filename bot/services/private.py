"""Replies that belong in someone's DM, also when they asked in a group.

A button is bound to the conversation it was made for (bot.buttons), so a button in a message
sent to the DM from a group must be bound to the DM conversation, not to the group. When the
bot does not know that DM yet (the person never wrote there), the message has no buttons and
says what to type instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import buttons, identity
from bot.clock import iso
from bot.context import Ctx
from bot.replies import Audience, Button, Reply, Span, cmd, say


async def dm_conversation(ctx: Ctx) -> int | None:
    """The user's own DM with the bot: a non-group conversation they are the only member of."""
    if not ctx.is_group:
        return ctx.conversation_id
    dm = await identity.dm_of(ctx.db, ctx.user_id)
    return None if dm is None else dm.conversation_id


@dataclass(frozen=True)
class Private:
    ctx: Ctx
    conversation_id: int | None

    @classmethod
    async def of(cls, ctx: Ctx) -> Private:
        return cls(ctx, await dm_conversation(ctx))

    @property
    def audience(self) -> Audience:
        return Audience.DM if self.ctx.is_group else Audience.HERE

    async def button(self, label: str, kind: str,
                     payload: dict[str, Any] | None = None) -> Button | None:
        if self.conversation_id is None:
            return None
        return await buttons.make(self.ctx.db, self.conversation_id, label, kind, payload,
                                  iso(self.ctx.now()), self.ctx.user_id)

    async def buttons(self, specs: list[tuple[str, str, dict[str, Any]]]) -> list[Button]:
        made = [await self.button(label, kind, payload) for label, kind, payload in specs]
        return [b for b in made if b is not None]

    def say(self, *parts: str | Span, buttons: list[Button] | tuple[Button, ...] = (),
            **kw: Any) -> Reply:
        return say(*parts, buttons=buttons, audience=self.audience, **kw)


def moved_to_dm(command: str, sentence: str) -> Reply:
    """The short answer in a group: the rest follows in the DM, seen only by the person."""
    return say(sentence, " Ik stuur je het vervolg in ons privégesprek. Komt er niets aan, open "
               "dan een privégesprek met mij en typ daar ", cmd(command), ".",
               audience=Audience.PRIVATE)
