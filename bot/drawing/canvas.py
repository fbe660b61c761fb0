"""A Pillow canvas that keeps a list of every text it drew, so tests (and the alt text) can
check what a picture says without reading pixels."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from bot.drawing.fonts import drawable, pillow

INK = "#222222"
MUTED = "#5f6368"
PAPER = "#ffffff"
LINE = "#c4c7c5"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Picture:
    """A finished PNG and the texts drawn in it (as drawn: shortened, emoji replaced)."""

    png: bytes
    width: int
    height: int
    labels: tuple[str, ...]


@dataclass
class Canvas:
    width: int
    height: int
    background: str = PAPER
    labels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.width, self.height), self.background)
        self.draw = ImageDraw.Draw(self.image)

    def text_width(self, text: str, size: int, heavy: bool = False) -> float:
        return pillow(size, heavy).getlength(text)

    def fit(self, text: str, size: int, width: float, heavy: bool = False) -> str:
        """One line of at most `width` pixels: shortened with an ellipsis when it is longer."""
        shown = " ".join(drawable(text).split())
        if self.text_width(shown, size, heavy) <= width:
            return shown
        lo, hi = 0, len(shown)
        while lo < hi:  # the longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.text_width(shown[:mid].rstrip() + ELLIPSIS, size, heavy) <= width:
                lo = mid
            else:
                hi = mid - 1
        return shown[:lo].rstrip() + ELLIPSIS

    def wrap(
        self, text: str, size: int, width: float, lines: int, heavy: bool = False
    ) -> list[str]:
        """Up to `lines` lines of at most `width` pixels, broken between words."""
        words = drawable(text).split()
        out: list[str] = []
        current = ""
        for n, word in enumerate(words):
            candidate = f"{current} {word}".strip()
            if self.text_width(candidate, size, heavy) <= width or not current:
                current = candidate
                continue
            out.append(current)
            current = word
            if len(out) == lines - 1:
                current = " ".join(words[n:])
                break
        if current:
            out.append(current)
        return [self.fit(line, size, width, heavy) for line in out[:lines]]

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        size: int,
        fill: str = INK,
        heavy: bool = False,
        anchor: str = "la",
    ) -> None:
        if not text:
            return
        self.draw.text(xy, text, font=pillow(size, heavy), fill=fill, anchor=anchor)
        self.labels.append(text)

    def finish(self) -> Picture:
        out = io.BytesIO()
        self.image.save(out, "PNG", optimize=False, compress_level=6)
        return Picture(out.getvalue(), self.width, self.height, tuple(self.labels))


def side_by_side(left: Picture, right: Picture, gap: int = 24) -> Picture:
    """Two pictures next to each other on one canvas (a first and a latest fill-in)."""
    with Image.open(io.BytesIO(left.png)) as a, Image.open(io.BytesIO(right.png)) as b:
        width, height = a.width + gap + b.width, max(a.height, b.height)
        both = Image.new("RGB", (width, height), LINE)
        both.paste(a, (0, 0))
        both.paste(b, (a.width + gap, 0))
    out = io.BytesIO()
    both.save(out, "PNG", compress_level=6)
    return Picture(out.getvalue(), width, height, left.labels + right.labels)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def tint(hex_colour: str, amount: float) -> str:
    """The colour mixed with white: 0 is the colour, 1 is white."""
    r, g, b = (round(c + (255 - c) * amount) for c in rgb(hex_colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def shade(hex_colour: str, amount: float) -> str:
    """The colour mixed with black: dark enough for text on a light tint of itself."""
    r, g, b = (round(c * (1 - amount)) for c in rgb(hex_colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def readable_on(hex_colour: str) -> str:
    """Dark or white text, whichever reads better on this background."""
    r, g, b = rgb(hex_colour)
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 150 else PAPER
