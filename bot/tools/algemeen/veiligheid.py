"""Crisis signposting: where to get help now, when a DM shows signs of acute distress, and on
`hulp nu` at any time.

Kletspot is no crisis service and says so; it points to the people who are. The watcher only
reads the text in memory: nothing of it is stored or logged, only that a signal was shown.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Reply, Rich, Span, cmd, rich, say
from bot.core.router import Router
from bot.tools.algemeen.signalen import detector, help_lines
from bot.tools.algemeen.store.hulpland import HulpLand

log = logging.getLogger(__name__)

NOT_A_SERVICE = "Kletspot is een chatbot, geen hulpdienst en geen therapie."


async def watch(ctx: Ctx, text: str) -> Rich | None:
    signal = detector(ctx.content.signalen).check(text)
    if signal is None:
        return None
    country = await HulpLand(ctx.db).get(ctx.user_id)
    log.info("safety signposting shown: user=%d", ctx.user_id)
    bystander = signal.kind == "other"
    opening = (
        "💛 Wat je vertelt over iemand anders, klinkt ernstig. Goed dat je het niet voor je "
        "houdt. Je hoeft dit niet alleen te dragen: je kan nu zelf iemand bellen die meedenkt.\n\n"
        if bystander else
        "💛 Wat je schrijft, klinkt alsof het nu heel zwaar is. Je hoeft dat niet alleen te "
        "dragen: praat er nu over met iemand die kan helpen.\n\n")
    parts: list[str | Span] = [opening, *help_lines(ctx.content.signalen, country, bystander),
                               f"\n\n{NOT_A_SERVICE}"]
    if country is None:
        parts += [" Typ ", cmd("hulp nu"), " om je land te kiezen."]
    return rich(*parts)


async def hulp_nu(ctx: Ctx, args: str) -> list[Reply]:
    country = await HulpLand(ctx.db).get(ctx.user_id)
    parts: list[str | Span] = [f"{NOT_A_SERVICE} Wil je nu met iemand praten? Zij zijn er dag en "
                               "nacht:\n\n", *help_lines(ctx.content.signalen, country)]
    if ctx.is_group:
        return [say(*parts, audience=Audience.PRIVATE)]
    landen = ctx.content.signalen.landen
    if country is None:
        parts.append("\n\nWaar woon je? Dan toon ik voortaan de nummers van jouw land.")
        choices = landen
    else:
        choices = [land for land in landen if land.code != country]
    buttons = [await ctx.button(f"Ik woon in {land.naam}", "safety.country", {"c": land.code},
                                personal=True) for land in choices]
    return [say(*parts, buttons=buttons)]


async def on_country(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    code = payload.get("c")
    landen = {land.code: land for land in ctx.content.signalen.landen}
    if not isinstance(code, str) or code not in landen:
        return [say("Dat land ken ik niet. Typ ", cmd("hulp nu"), " om opnieuw te kiezen.")]
    await HulpLand(ctx.db).set(ctx.user_id, code, ctx.now())
    return [say(f"Genoteerd: {landen[code].naam}. Dit zijn voortaan je nummers.\n\n",
                *help_lines(ctx.content.signalen, code))]


async def export(deps: Deps, user_id: int) -> dict[str, Any]:
    code = await HulpLand(deps.db).get(user_id)
    return {"land voor hulpnummers": deps.content.signalen.land(code).naam if code else None}


async def erase(deps: Deps, user_id: int) -> None:
    await HulpLand(deps.db).erase(user_id)


def register(router: Router) -> None:
    router.watch(watch)
    router.subcommand("hulp", "nu", hulp_nu, in_group=Audience.QUIET)
    router.button("safety.country", on_country)
    router.personal("hulpnummers", export, erase)
