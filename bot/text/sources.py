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


def full(content: Content, bestand: str) -> str:
    """One line naming a source fully, for the foot of an export or a summary."""
    bron = content.bronnen.by_file(bestand)
    if bron is None:
        return ""
    parts = [f"Bron: {bron.uitgever}, {bron.titel}"]
    if bron.jaar:
        parts.append(str(bron.jaar))
    if bron.adres:
        parts.append(bron.adres)
    return ", ".join(parts) + "."


def short(text: str, limit: int = 58) -> str:
    """A button label short enough to read on a phone; the full text stands in the message."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
