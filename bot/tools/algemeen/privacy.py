"""`mijngegevens` and `vergeetmij`: a person's own data in hand, and gone on request.

The export reads every feature's `router.personal` part with the shared rows, in one round
trip. The erasure runs every feature's erase and then the shared rows in one transaction,
inside the button press that confirms it: their writes held back, nothing read, so the whole
transaction is one round trip on both backends (`Database.transaction`), and the press two
with the read of its button. Its reply makes no buttons, so nothing is written for that person
after it.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.core import personal_data
from bot.core.context import Ctx
from bot.core.privately import note, privately
from bot.core.replies import Attachment, Audience, Reply, Span, b, cmd, say
from bot.core.router import CommandInfo, Router
from bot.text.moments import say_day

log = logging.getLogger(__name__)


def register(router: Router) -> None:
    async def mijngegevens(ctx: Ctx, args: str) -> list[Reply]:
        """Two files and no buttons: they go to the DM whether or not the bot knows it yet."""
        audience = Audience.DM if ctx.is_group else Audience.HERE
        collected = await personal_data.collect(ctx.deps, ctx.user_id, router.personal_data)
        sections = collected.sections
        stamp = ctx.now().date().isoformat()
        log.info("personal export made: user=%d sections=%d", ctx.user_id, len(sections))
        files = [
            say(
                "Dit is alles wat Kletspot over jou bewaart, als leesbaar document. Wissen kan "
                "met ",
                cmd("vergeetmij"),
                ".",
                audience=audience,
                attachment=Attachment(
                    f"mijngegevens-{stamp}.md",
                    personal_data.to_markdown(
                        sections, say_day(ctx.now(), ctx.timezone, ctx.now()), ctx.timezone
                    ),
                ),
            ),
            say(
                "Hetzelfde als JSON, om zelf te bewaren of te verwerken.",
                audience=audience,
                attachment=Attachment(
                    f"mijngegevens-{stamp}.json",
                    personal_data.to_json(sections),
                    "application/json",
                ),
            ),
        ]
        for drawn in await collected.files(ctx):
            files.append(
                say(
                    "Ook als tekening, gemaakt uit je antwoorden.",
                    audience=audience,
                    attachment=drawn,
                )
            )
        if ctx.is_group:
            return [note("mijngegevens", "Je gegevens zijn privé."), *files]
        return files

    async def vergeetmij(ctx: Ctx, args: str) -> list[Reply]:
        if ctx.is_group:
            return await privately(
                ctx,
                "vergeetmij",
                "Je gegevens wissen",
                confirm,
                here=note("vergeetmij", "Je gegevens wissen regel je privé."),
            )
        return await confirm(ctx)

    async def confirm(ctx: Ctx) -> list[Reply]:
        # the buttons first: they travel with the writes held before the read (it reads the
        # person's flows, so those go apart), not in a trip of their own after it
        buttons = [
            await ctx.button("Ja, wis alles", "privacy.erase", {"u": ctx.user_id}, personal=True),
            await ctx.button("Nee, niets wissen", "privacy.keep", personal=True),
        ]
        sections = (
            await personal_data.collect(ctx.deps, ctx.user_id, router.personal_data)
        ).sections
        stored = [
            (name, n)
            for name, value in sections.items()
            if name not in personal_data.IDENTITY and (n := personal_data.size(value))
        ]
        if stored:
            parts: list[str | Span] = [b("Alles over jou wissen?\n"), "Dit wis ik: "]
            parts.append(", ".join(f"{name} ({n})" for name, n in stored))
            parts += [
                ", en ook je naam, je gesprekken met mij en wat nog openstond. "
                "Aanknopingspunten die je in een team noteerde, blijven daar staan, zonder "
                "je naam. Wil je eerst een kopie? Typ ",
                cmd("mijngegevens"),
                ".\n\n",
                "Wissen kan niet ongedaan gemaakt worden.",
            ]
        else:
            parts = [
                b("Er staat niets over jou bewaard.\n"),
                "Geen reflecties, plannen, herinneringen of andere gegevens: die zijn al "
                "gewist, of je vulde nog niets in. Alleen je naam en dit gesprek ken ik, omdat je me "
                "net schreef. Wil je ook dat wissen?",
            ]
        return [say(*parts, buttons=buttons)]

    async def on_erase(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        if payload.get("u") != ctx.user_id:
            return [say("Deze knop hoort bij iemand anders. Er is niets gewist.")]
        # every part holds its writes back and reads nothing: the transaction, with the WAL's
        # truncation after it (the erased rows leave the -wal file too), is one round trip
        async with ctx.db.transaction(checkpoint=True):
            for part in router.personal_data:
                await part.erase(ctx.deps, ctx.user_id)
            await personal_data.erase_core(ctx.db, ctx.user_id)
        log.info("personal data erased: user=%d", ctx.user_id)
        return [
            say(
                b("Alles is gewist.\n"),
                "Je reflecties, plannen, herinneringen, je naam en je gesprekken met mij zijn "
                "weg. Aanknopingspunten die je in een team noteerde, staan er nog, zonder je "
                "naam. Schrijf je me later opnieuw, dan begin je als nieuw.",
            )
        ]

    async def on_keep(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        return [say("Goed, ik wis niets.")]

    router.command(
        CommandInfo(
            "mijngegevens",
            "Alles wat Kletspot over jou bewaart, als document in je privégesprek.",
            "mijngegevens",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        mijngegevens,
    )
    router.command(
        CommandInfo(
            "vergeetmij",
            "Wis alles wat Kletspot over jou bewaart (na bevestiging).",
            "vergeetmij",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        vergeetmij,
    )
    router.button("privacy.erase", on_erase)
    router.button("privacy.keep", on_keep)
