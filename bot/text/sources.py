"""The source line shown under every quote from the card or the workbook."""

from __future__ import annotations

from content import Content


def kaart(content: Content) -> str:
    return content.gesprek.bron(content.gesprek.kaart.bron).cite()


def werkboek(content: Content, *paragrafen: str) -> str:
    where = f"§{' en §'.join(paragrafen)}" if paragrafen else ""
    return content.gesprek.bron(content.gesprek.werkboek.bron).cite(where)


def gedachten(content: Content) -> str:
    return content.gedachten.bron.cite()


def short(text: str, limit: int = 58) -> str:
    """A button label short enough to read on a phone; the full text stands in the message."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
