"""Personal commands typed in a group: a short answer there, the real start in the user's DM.

The one way every private feature (thoughts, records, reflections, plans, one's own data) moves
to the DM. Buttons and flows are bound to a conversation, so the start is built for the user's
DM conversation when the bot already knows it; otherwise the DM only says what to type there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.core import identity
from bot.core.context import Ctx
from bot.core.events import Place
from bot.core.replies import Audience, Reply, Span, cmd, say

Start = Callable[[Ctx], Awaitable[list[Reply]]]


async def dm_ctx(ctx: Ctx) -> Ctx | None:
    """The same user in their direct messages with the bot, if that conversation is known."""
    dm = await identity.dm_of(ctx.db, ctx.user_id)
    if dm is None:
        return None
    event = replace(ctx.event, place=Place(dm.external_id, is_group=False))
    return replace(
        ctx,
        event=event,
        conversation_id=dm.conversation_id,
        timezone=dm.timezone,
        is_coordinator=True,
        title=None,  # the group's name stays in the group
    )


async def privately(
    ctx: Ctx, command: str, what: str, start: Start, here: Reply | None = None
) -> list[Reply]:
    """`what` is done privately: say so here, and send the start to the DM."""
    here = here or say(f"{what} doe je privé, in je gesprek met mij: ik stuur je daar een bericht.")
    dm = await dm_ctx(ctx)
    if dm is None:
        invite: list[str | Span] = [
            f"Je vroeg in een groep naar {command}. {what} doe je hier, privé. Typ ",
            cmd(command),
            " om te beginnen, hier in ons privégesprek.",
        ]
        return [here, say(*invite, audience=Audience.DM)]
    return [here, *(replace(r, audience=Audience.DM) for r in await start(dm))]


def note(command: str, sentence: str) -> Reply:
    """A short answer in the group that only the person sees (Slack: ephemeral)."""
    return say(
        sentence,
        " Ik stuur je het vervolg in ons privégesprek. Komt er niets aan, open "
        "dan een privégesprek met mij en typ daar ",
        cmd(command),
        ".",
        audience=Audience.PRIVATE,
    )
