"""Personal commands typed in a group: a short answer there, the real start in the user's DM.

Buttons and flows are bound to a conversation, so the start is built for the user's DM
conversation when the bot already knows it; otherwise the DM only says what to type there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.context import Ctx
from bot.events import Place
from bot.replies import Audience, Reply, Span, cmd, say

Start = Callable[[Ctx], Awaitable[list[Reply]]]


async def dm_ctx(ctx: Ctx) -> Ctx | None:
    """The same user in their direct messages with the bot, if that conversation is known.

    On Telegram a private chat has the user's own id, which is preferred over any other
    one-to-one conversation the platform may report."""
    row = await ctx.db.one(
        "SELECT c.id, c.external_id, c.timezone FROM conversations c"
        " JOIN members m ON m.conversation_id = c.id JOIN users u ON u.id = m.user_id"
        " WHERE m.user_id = ? AND c.is_group = 0 AND c.active = 1"
        " AND c.platform = u.platform AND c.workspace_id = u.workspace_id"
        " ORDER BY c.external_id = u.external_id DESC, m.last_seen DESC LIMIT 1",
        (ctx.user_id,))
    if row is None:
        return None
    event = replace(ctx.event, place=Place(row["external_id"], is_group=False))
    return replace(ctx, event=event, conversation_id=int(row["id"]), timezone=row["timezone"],
                   is_coordinator=True)


async def privately(ctx: Ctx, command: str, what: str, start: Start,
                    here: Reply | None = None) -> list[Reply]:
    """`what` is done privately: say so here, and send the start to the DM."""
    here = here or say(f"{what} doe je privé, in je gesprek met mij: ik stuur je daar een "
                       "bericht.")
    dm = await dm_ctx(ctx)
    if dm is None:
        invite: list[str | Span] = [f"Je vroeg in een groep naar {command}. {what} doe je hier, "
                                    "privé. Typ ", cmd(command), " om te beginnen."]
        return [here, say(*invite, audience=Audience.DM)]
    return [here, *(replace(r, audience=Audience.DM) for r in await start(dm))]
