"""The team's work on paper and as a picture: the action table (`acties team export`, the end
of a dialoogsessie) as an A4 PDF, and the seven steps of the stappenplan as a path."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.replies import Reply, picture, say
from bot.drawing import document, off_loop, pdf_reply, stappen
from bot.text.dutch import count
from bot.text.moments import say_day
from bot.tools.intervisie.store.voortgang import Voortgang

Rij = tuple[str, str, str, str, str]
"""One action as the table prints it: number, action, owner, timing, status."""


async def actions_pdf(
    ctx: Ctx,
    rows: list[Rij],
    outcomes: list[str],
    team: str,
    title: str,
    filename: str,
    intro: str = "",
) -> Reply:
    """The workbook's action table (§4.2) for the team, one row per action, on A4."""
    dialoog = ctx.content.intervisie.dialoogsessie
    blocks: list[document.Blok] = []
    if intro:
        blocks.append(document.Alinea(intro))
    blocks.append(document.Kop(dialoog.actietabel.titel, 1))
    if rows:
        heads = ("Nr.", *(k.kop for k in dialoog.actietabel.kolommen), "Stand")
        blocks.append(document.Tabel(heads, tuple(rows), (1, 7, 3, 3, 2)))
    else:
        blocks.append(document.Alinea("Er zijn nog geen acties afgesproken."))
    blocks += [document.Punt(outcome) for outcome in outcomes]
    source = f"Bron: {ctx.content.intervisie.bron.reference(f'§{dialoog.opdracht}')}"
    doc = document.Document(
        title, team, say_day(ctx.now(), ctx.timezone, ctx.now()), source, blocks
    )
    return await pdf_reply(
        doc,
        "Om af te drukken (PDF, A4).",
        filename,
        f"PDF met de actietabel: {count(len(rows), 'actie', 'acties')}.",
    )


async def steps_picture(ctx: Ctx, team: str) -> Reply:
    """Where the team stands on the seven steps, drawn."""
    states = await Voortgang(ctx.db).steps(ctx.conversation_id)
    plan = ctx.content.stappenplan
    stands = [
        stappen.Stand(s.nummer, s.titel, states[s.id].status if s.id in states else "open")
        for s in plan.stappen
    ]
    drawn = await off_loop(
        stappen.draw,
        stands,
        "Stappenplan voor een lokale aanpak",
        f"{team} · {say_day(ctx.now(), ctx.timezone, ctx.now())}",
        plan.bron.cite(),
    )
    return say(
        "Waar het team staat, als tekening.",
        attachment=picture("stappenplan.png", drawn.png, stappen.describe(stands)),
    )
