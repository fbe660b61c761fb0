"""The jar's colours as `content/kletspot.yaml` declares them: reading what people type and
showing a colour. Nothing here names a colour, so a colour added to the content just works."""

from __future__ import annotations

from bot.core.replies import Colour, Span, coloured
from bot.text.dutch import fold
from content.schemas.kletspot import Kletspot, Kleur


def parse_colour(kletspot: Kletspot, word: str) -> str | None:
    """The colour a typed word means ('Roos', 'roze', 'roös' are all roos); None if none."""
    found = kletspot.find_colour(fold(word))
    return found.naam if found else None


def colour_list(kletspot: Kletspot) -> str:
    """'🟢 groen, 🌸 roos, ...': the choices, in content order, for help and error texts."""
    return ", ".join(f"{k.emoji} {k.naam}" for k in kletspot.kleuren)


def emoji(kletspot: Kletspot, colour: str | None, default: str = "") -> str:
    """The emoji of a stored colour; one since removed from the content gets `default`, so old
    notes and histories stay readable."""
    found = kletspot.find_colour(colour) if colour else None
    return found.emoji if found else default


def button_label(kleur: Kleur) -> str:
    """'🟢 Groen'."""
    return f"{kleur.emoji} {kleur.naam.capitalize()}"


def display(kleur: Kleur) -> Colour:
    return Colour(kleur.hex, kleur.ansi)


def colour_label(kletspot: Kletspot, colour: str) -> list[Span]:
    """'🟢 Groen · Eenzaamheid bij jezelf', the title painted in the colour where a platform can."""
    kleur, cluster = kletspot.colour(colour), kletspot.cluster(colour)
    return [
        Span(f"{kleur.emoji} "),
        coloured(f"{colour.capitalize()} · {cluster.titel}", display(kleur)),
    ]


def adjective(kletspot: Kletspot, colour: str) -> str | None:
    """'blauwe' for blauw, 'roze' for roos: the first alias that is the inflected form (ends in
    -e), as 'alle blauwe vragen' needs it; None when the content names none."""
    found = kletspot.find_colour(colour)
    return next((a for a in found.aliassen if a.endswith("e")), None) if found else None
