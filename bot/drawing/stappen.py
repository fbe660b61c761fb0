"""The seven steps of the stappenplan as a path, with where the team stands."""

from __future__ import annotations

from dataclasses import dataclass

from bot.drawing.canvas import INK, LINE, MUTED, PAPER, Canvas, Picture

WIDTH, HEIGHT = 1080, 1350
MARGIN = 40
COLOURS = {"klaar": "#2e7d32", "bezig": "#ef6c00", "open": "#9e9e9e"}
WORDS = {"klaar": "klaar", "bezig": "bezig", "open": "nog niet gestart"}


@dataclass(frozen=True)
class Stand:
    number: int
    title: str
    status: str
    """open, bezig or klaar."""


def current(stands: list[Stand]) -> int | None:
    """The step the team is at: the first one in progress, else the first not started."""
    for wanted in ("bezig", "open"):
        for stand in stands:
            if stand.status == wanted:
                return stand.number
    return None


def draw(stands: list[Stand], title: str, subtitle: str, source: str) -> Picture:
    canvas = Canvas(WIDTH, HEIGHT)
    d = canvas.draw
    canvas.text((MARGIN, 36), canvas.fit(title, 42, WIDTH - 2 * MARGIN, True), 42, heavy=True)
    canvas.text((MARGIN, 96), canvas.fit(subtitle, 28, WIDTH - 2 * MARGIN), 28, MUTED)
    top, bottom = 180, HEIGHT - 190
    step = (bottom - top) / max(len(stands), 1)
    x, radius = MARGIN + 60, 44
    here = current(stands)
    if len(stands) > 1:
        d.line([(x, top + step / 2), (x, top + step * (len(stands) - 0.5))], fill=LINE, width=10)
    for n, stand in enumerate(stands):
        y = top + step * (n + 0.5)
        colour = COLOURS.get(stand.status, COLOURS["open"])
        if stand.status == "open":
            d.ellipse(
                [x - radius, y - radius, x + radius, y + radius],
                fill=PAPER,
                outline=colour,
                width=6,
            )
            number_colour = INK
        else:
            d.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
            number_colour = PAPER
        canvas.text((x, y), str(stand.number), 40, number_colour, heavy=True, anchor="mm")
        tx = x + radius + 30
        width = WIDTH - tx - MARGIN
        lines = canvas.wrap(stand.title, 32, width, 2, heavy=stand.number == here)
        ty = y - 20 - 20 * (len(lines) - 1)
        for line in lines:
            canvas.text((tx, ty), line, 32, INK, heavy=stand.number == here, anchor="lm")
            ty += 40
        word = WORDS.get(stand.status, stand.status)
        if stand.number == here:
            word += "  ◀ hier staat het team"
        canvas.text((tx, ty), word, 26, colour if stand.status != "open" else MUTED, anchor="lm")
    ly = HEIGHT - 150
    lx: float = MARGIN
    for status in ("klaar", "bezig", "open"):
        colour = COLOURS[status]
        fill = PAPER if status == "open" else colour
        d.ellipse([lx, ly, lx + 30, ly + 30], fill=fill, outline=colour, width=4)
        canvas.text((lx + 42, ly + 15), WORDS[status], 26, INK, anchor="lm")
        lx += 60 + canvas.text_width(WORDS[status], 26)
    canvas.text((MARGIN, HEIGHT - 80), canvas.fit(source, 22, WIDTH - 2 * MARGIN), 22, MUTED)
    return canvas.finish()


def describe(stands: list[Stand]) -> str:
    here = current(stands)
    done = [s.number for s in stands if s.status == "klaar"]
    busy = [s.number for s in stands if s.status == "bezig"]
    parts = [f"Het stappenplan in {len(stands)} stappen, van boven naar onder."]
    parts.append(f"Klaar: stap {', '.join(map(str, done))}." if done else "Nog geen stap klaar.")
    if busy:
        parts.append(f"Bezig: stap {', '.join(map(str, busy))}.")
    if here is not None:
        title = next(s.title for s in stands if s.number == here)
        parts.append(f"Het team staat bij stap {here}: {title}.")
    else:
        parts.append("Alle stappen zijn klaar.")
    return " ".join(parts)
