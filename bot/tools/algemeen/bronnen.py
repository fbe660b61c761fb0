"""`bronnen`: where every text of the bot comes from, and how the source asks to be cited.

A coordinator who posts an assignment or a question can name its source; `bronnen <tool>`
answers for one tool (by command or by the source's own name)."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Audience, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Router
from bot.text.dutch import fold
from content import Content
from content.schemas.bronnen import Bronbeschrijving

NOT_PRINTED = "niet vermeld in de bron"


def describe(bron: Bronbeschrijving) -> list[str | Span]:
    parts: list[str | Span] = [
        b(bron.titel),
        "\nUitgever: ",
        bron.uitgever,
        "\nJaar: ",
        str(bron.jaar) if bron.jaar else i(NOT_PRINTED),
        "\nAdres: ",
        bron.adres or i(NOT_PRINTED),
    ]
    if bron.citeerwijze:
        parts += ["\nZo vraagt de bron geciteerd te worden: ", i(bron.citeerwijze)]
    else:
        parts += ["\nCiteren: de bron vraagt geen vaste verwijzing; noem titel en uitgever."]
    if bron.tools:
        parts.append("\nIn de bot: ")
        for n, tool in enumerate(bron.tools):
            parts += [", " if n else "", cmd(tool)]
    return parts


def find(content: Content, word: str) -> list[Bronbeschrijving]:
    """By the source's id or a command that uses it (`gesprek` uses two), else by a word of its
    title or publisher."""
    wanted = fold(word)
    found = [
        bron
        for bron in content.bronnen.bronnen
        if wanted == bron.id or wanted in (fold(t) for t in bron.tools)
    ]
    return found or [
        bron
        for bron in content.bronnen.bronnen
        if wanted in fold(bron.titel) or wanted in fold(bron.uitgever)
    ]


async def bronnen(ctx: Ctx, args: str) -> list[Reply]:
    word = args.strip()
    if word:
        found = find(ctx.content, word[:60])
        if not found:
            return [
                say(
                    "Die tool of bron ken ik niet: ",
                    word[:40],
                    ". Typ ",
                    cmd("bronnen"),
                    " voor alle bronnen, of bv. ",
                    cmd("bronnen stappenplan"),
                    ".",
                )
            ]
        parts: list[str | Span] = []
        for bron in found:
            parts += ["\n\n" if parts else "", *describe(bron)]
        return [say(*parts)]
    parts = [
        b("Waar de teksten van Kletspot vandaan komen\n"),
        "Alle vragen, tips en instrumenten staan er letterlijk in, met hun bron erbij.",
    ]
    for bron in ctx.content.bronnen.bronnen:
        parts += ["\n\n", *describe(bron)]
    parts += ["\n\nEén bron: ", cmd("bronnen kletspot"), "."]
    return [say(*parts)]


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "bronnen",
            "Waar de teksten vandaan komen: titel, uitgever, jaar, adres en hoe je ze citeert.",
            "bronnen stappenplan",
            in_group=Audience.QUIET,
        ),
        bronnen,
    )
