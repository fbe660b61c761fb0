"""A reflector filled in more than once, drawn: per statement its answer scale, the first
answer as an open circle, the latest as a filled one, those in between as small dots. The
source's caution goes in the picture too: the conversation matters, not the score."""

from __future__ import annotations

from dataclasses import dataclass

from bot.drawing.canvas import INK, LINE, MUTED, PAPER, Canvas, Picture

WIDTH = 1080
MARGIN = 40
ROW = 150
HEAD = 230
ROWS_MAX = 40
FIRST, LATEST, BETWEEN = "#0072b2", "#003f63", "#9e9e9e"


@dataclass(frozen=True)
class Rij:
    """One statement: its scale (labels in order) and per fill-in the position chosen."""

    statement: str
    scale: tuple[str, ...]
    values: tuple[int | None, ...]


def draw(rows: list[Rij], dates: list[str], title: str, caution: str, source: str) -> Picture:
    rows = rows[:ROWS_MAX]
    height = HEAD + ROW * max(len(rows), 1) + 230
    canvas = Canvas(WIDTH, height)
    d = canvas.draw
    canvas.text((MARGIN, 30), canvas.fit(title, 40, WIDTH - 2 * MARGIN, True), 40, heavy=True)
    ly = 100
    _marker(canvas, MARGIN + 14, ly + 14, "first")
    first = f"eerste keer ({dates[0]})" if dates else "eerste keer"
    canvas.text((MARGIN + 40, ly + 14), first, 26, anchor="lm")
    _marker(canvas, MARGIN + 14, ly + 58, "latest")
    latest = f"laatste keer ({dates[-1]})" if dates else "laatste keer"
    canvas.text((MARGIN + 40, ly + 58), latest, 26, anchor="lm")
    if len(dates) > 2:
        _marker(canvas, WIDTH / 2 + 34, ly + 14, "between")
        canvas.text(
            (WIDTH / 2 + 60, ly + 14), f"de {len(dates) - 2} keer ertussen", 26, anchor="lm"
        )
    y = HEAD
    for row in rows:
        _row(canvas, row, y)
        y += ROW
    if not rows:
        canvas.text((MARGIN, y + 40), "Geen vaste antwoorden om te tekenen.", 28, MUTED)
        y += ROW
    d.line([(MARGIN, y), (WIDTH - MARGIN, y)], fill=LINE, width=3)
    for n, line in enumerate(canvas.wrap(f"“{caution}”", 26, WIDTH - 2 * MARGIN, 4)):
        canvas.text((MARGIN, y + 24 + 36 * n), line, 26, INK)
    canvas.text((MARGIN, height - 50), canvas.fit(source, 22, WIDTH - 2 * MARGIN), 22, MUTED)
    return canvas.finish()


def _marker(canvas: Canvas, x: float, y: float, kind: str) -> None:
    d = canvas.draw
    if kind == "first":
        d.ellipse([x - 14, y - 14, x + 14, y + 14], fill=PAPER, outline=FIRST, width=5)
    elif kind == "latest":
        d.ellipse([x - 11, y - 11, x + 11, y + 11], fill=LATEST)
    else:
        d.ellipse([x - 6, y - 6, x + 6, y + 6], fill=BETWEEN)


def _row(canvas: Canvas, row: Rij, y: float) -> None:
    d = canvas.draw
    for n, line in enumerate(canvas.wrap(row.statement, 26, WIDTH - 2 * MARGIN, 2, heavy=True)):
        canvas.text((MARGIN, y + 32 * n), line, 26, INK, heavy=True)
    track = y + 88
    left, right = MARGIN + 40, WIDTH - MARGIN - 40
    slots = max(len(row.scale), 1)
    step = (right - left) / max(slots - 1, 1)
    d.line([(left, track), (right, track)], fill=LINE, width=4)
    for n, label in enumerate(row.scale):
        x = left + step * n if slots > 1 else (left + right) / 2
        d.line([(x, track - 10), (x, track + 10)], fill=MUTED, width=3)
        canvas.text(
            (x, track + 34), canvas.fit(label, 20, max(step - 8, 40)), 20, MUTED, anchor="mm"
        )
    last = len(row.values) - 1
    for n, value in enumerate(row.values):
        if value is None or not 0 <= value < slots:
            continue
        x = left + step * value if slots > 1 else (left + right) / 2
        kind = "first" if n == 0 else "latest" if n == last else "between"
        _marker(canvas, x, track, kind)
