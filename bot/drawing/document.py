"""Printable A4 documents beside the Markdown exports: real, selectable text in DejaVu Sans,
the document language set to Dutch, the title, the team, the date, the source line and page
numbers on every page, and the jar's colours on the clusters."""

from __future__ import annotations

from dataclasses import dataclass, field

FAMILY = "DejaVu"
LANGUAGE = "nl"
INK = (34, 34, 34)
MUTED = (95, 99, 104)


@dataclass(frozen=True)
class Kop:
    """A heading; `colour` (#rrggbb) draws a band in that colour before it (a jar cluster)."""

    text: str
    level: int = 1
    colour: str | None = None


@dataclass(frozen=True)
class Punt:
    """One bullet, with a quieter line after it (who, when)."""

    text: str
    meta: str = ""


@dataclass(frozen=True)
class Alinea:
    text: str
    muted: bool = False


@dataclass(frozen=True)
class Tabel:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()
    """Relative column widths; equal when empty."""


Blok = Kop | Punt | Alinea | Tabel


@dataclass(frozen=True)
class Document:
    title: str
    team: str
    date: str
    source: str
    blocks: list[Blok] = field(default_factory=list)


def render(doc: Document) -> bytes:
    """The PDF's bytes. fpdf2 is loaded with the first PDF, not at start: through fontTools it
    brings numpy along (some 20 MB and 0.2 s) that an idle bot does not need."""
    from bot.drawing import pdf

    return pdf.render(doc)
