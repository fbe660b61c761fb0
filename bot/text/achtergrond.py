"""A background paragraph of the workbook as a message: verbatim, in its order, with its source.

Shown with the assignments that lean on it, in `hulp eenzaamheid`, in `gesprek` and in `plan`."""

from __future__ import annotations

from bot.core.replies import Span, b, i
from content import Content
from content.schemas.achtergrond import Blok, Tekst


def block_parts(blok: Blok) -> list[str | Span]:
    parts: list[str | Span] = []
    if blok.kop:
        parts += ["\n\n", b(blok.kop)]
    if blok.alinea:
        parts += ["\n\n", blok.alinea]
    if blok.citaat:
        parts += ["\n\n", i(blok.citaat)]
    for n, punt in enumerate(blok.punten, start=1):
        parts += [f"\n{n}. " if blok.genummerd else "\n• ", punt]
    for term in blok.termen:
        parts += ["\n\n" if not blok.kop else "\n", b(f"{term.term}: "), term.uitleg]
    return parts


def tekst_parts(content: Content, tekst: Tekst, heading: str = "📘 ") -> list[str | Span]:
    """The whole paragraph with its heading and source line."""
    kennisbron = "Kennisbron " if tekst.paragraaf.startswith("12.") else ""
    parts: list[str | Span] = [b(f"{heading}{kennisbron}{tekst.paragraaf} {tekst.titel}")]
    for blok in tekst.blokken:
        parts += block_parts(blok)
    parts += ["\n\n", cite(content, tekst.paragraaf)]
    return parts


def cite(content: Content, paragraaf: str) -> Span:
    return i(content.achtergrond.bron.cite(f"§{paragraaf}") + ".")
