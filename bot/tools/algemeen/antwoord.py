"""`antwoord <tekst>`: answers the bot's open question where free text cannot reach the bot
(Slack channels, Telegram groups without a reply)."""

from __future__ import annotations

from bot.core import flows
from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, cmd, say
from bot.core.router import CommandInfo, Router


def register(router: Router) -> None:
    """Also the engine's `Answer` (a platform's form for the open question) lands here."""

    async def antwoord(ctx: Ctx, args: str) -> list[Reply]:
        flow = await flows.waiting_for_text(ctx, set(router.text_flows))
        if flow is None:
            return [
                say(
                    "Er staat hier geen vraag van mij voor jou open. Typ ",
                    cmd("hulp"),
                    " voor wat je kan doen.",
                )
            ]
        if not args.strip():
            return [say("Schrijf je antwoord erachter, bv. ", cmd("antwoord mijn antwoord"), ".")]
        return await router.text_flows[flow.kind](ctx, flow, args)

    router.command(
        CommandInfo(
            "antwoord",
            "Beantwoord de vraag die ik je net stelde.",
            "antwoord koffie met de buren",
            answers=True,
            in_group=Audience.HERE,
        ),
        antwoord,
    )
    router.on_answer(antwoord)
