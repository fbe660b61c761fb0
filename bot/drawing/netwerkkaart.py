"""The Persoonlijke netwerkkaart (werkboek §8.7) as a picture: the person in the middle, the
workbook's nine boxes ("vakken rond een middelpunt") around them, in each the people and places
they named. Portrait and large type, for a phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.drawing.canvas import INK, LINE, MUTED, Canvas, Picture, shade, tint
from bot.drawing.fonts import pillow

WIDTH, HEIGHT = 1080, 1500
MARGIN, GAP = 30, 18
TOP, FOOTER = 160, 150
HEADER_SIZE, NAME_SIZE = 22, 28
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#8c6d31",
    "#6a3d9a",
    "#b15928",
)
"""One colour per box, told apart also by people who do not see all colours (Okabe-Ito first)."""
NAMES_MAX = 200
"""Names per box the parser keeps; the drawing shows what fits and says how many more."""
_SPLIT = re.compile(r"[\n,;•·]|\s[-–/]\s|^\s*[-–*]\s", re.MULTILINE)


@dataclass(frozen=True)
class Vak:
    """One box of the map: the workbook's question and what the person wrote, split in names."""

    question: str
    names: tuple[str, ...]


def names_in(answer: str) -> tuple[str, ...]:
    """The people and places in a written answer: one per line, comma, semicolon or bullet."""
    parts = (" ".join(p.split()) for p in _SPLIT.split(answer or ""))
    return tuple(p for p in parts if p and p not in {"-", "–"})[:NAMES_MAX]


def _slots() -> list[tuple[float, float, float, float]]:
    """Nine boxes around a middle: three on top, then left and right of the middle three times."""
    col = (WIDTH - 2 * MARGIN - 2 * GAP) / 3
    row = (HEIGHT - TOP - FOOTER - 3 * GAP) / 4
    x = [MARGIN + n * (col + GAP) for n in range(3)]
    y = [TOP + n * (row + GAP) for n in range(4)]
    top = [(x[n], y[0], col, row) for n in range(3)]
    right = [(x[2], y[n], col, row) for n in (1, 2, 3)]
    left = [(x[0], y[n], col, row) for n in (3, 2, 1)]
    return top + right + left  # clockwise from the top left


def draw(vakken: list[Vak], title: str, subtitle: str, source: str, centre: str = "Ik") -> Picture:
    canvas = Canvas(WIDTH, HEIGHT)
    d = canvas.draw
    canvas.text((MARGIN, 36), canvas.fit(title, 44, WIDTH - 2 * MARGIN, True), 44, heavy=True)
    canvas.text((MARGIN, 98), canvas.fit(subtitle, 28, WIDTH - 2 * MARGIN), 28, MUTED)
    slots = _slots()
    col = slots[0][2]
    cx = WIDTH / 2
    cy = slots[3][1] + (slots[5][1] + slots[5][3] - slots[3][1]) / 2
    for x, y, w, h in slots[: len(vakken)]:
        d.line([(cx, cy), (x + w / 2, y + h / 2)], fill=LINE, width=4)
    radius = col / 2 - 10
    d.ellipse(
        [cx - radius, cy - radius, cx + radius, cy + radius],
        fill="#fff3c4",
        outline="#c99a00",
        width=6,
    )
    canvas.text(
        (cx, cy), canvas.fit(centre, 48, 2 * radius - 30, True), 48, heavy=True, anchor="mm"
    )
    for n, (vak, (x, y, w, h)) in enumerate(zip(vakken, slots, strict=False)):
        _box(canvas, vak, PALETTE[n % len(PALETTE)], x, y, w, h)
    footer = HEIGHT - FOOTER + 24
    canvas.text(
        (MARGIN, footer),
        "In het midden sta jij. Elk vak is een vraag van de netwerkkaart;",
        24,
        INK,
    )
    canvas.text(
        (MARGIN, footer + 34),
        "erin staan de mensen en plekken die je noemde. „+ 3 meer”: niet alles past.",
        24,
        INK,
    )
    canvas.text((MARGIN, footer + 80), canvas.fit(source, 22, WIDTH - 2 * MARGIN), 22, MUTED)
    return canvas.finish()


def _box(canvas: Canvas, vak: Vak, colour: str, x: float, y: float, w: float, h: float) -> None:
    d = canvas.draw
    d.rounded_rectangle(
        [x, y, x + w, y + h], radius=18, fill=tint(colour, 0.88), outline=colour, width=5
    )
    pad = 16
    header = canvas.wrap(vak.question, HEADER_SIZE, w - 2 * pad, 3, heavy=True)
    ty = y + pad
    for line in header:
        canvas.text((x + pad, ty), line, HEADER_SIZE, shade(colour, 0.4), heavy=True)
        ty += HEADER_SIZE + 6
    ty += 8
    line_height = NAME_SIZE + 8
    room = int((y + h - pad - ty) // line_height)
    if not vak.names:
        canvas.text((x + pad, ty), "(niets ingevuld)", NAME_SIZE - 4, MUTED)
        return
    shown = vak.names if len(vak.names) <= room else vak.names[: max(room - 1, 0)]
    for name in shown:
        d.text((x + pad, ty), "•", font=pillow(NAME_SIZE), fill=INK)  # apart: a right-to-left
        canvas.text(
            (x + pad + 24, ty),
            canvas.fit(name, NAME_SIZE, w - 2 * pad - 24),  # name
            NAME_SIZE,
            INK,
        )  # would otherwise carry the bullet to its end
        ty += line_height
    if len(shown) < len(vak.names):
        canvas.text(
            (x + pad, ty), f"+ {len(vak.names) - len(shown)} meer", NAME_SIZE, MUTED, heavy=True
        )


def describe(vakken: list[Vak], limit: int = 900) -> str:
    """The map in words (caption, alt text), shortened to `limit` characters."""
    named = [v for v in vakken if v.names]
    people = sum(len(v.names) for v in vakken)
    lines = [
        f"Je netwerkkaart: in het midden jij, rond je {len(vakken)} vakken met samen "
        f"{people} {'naam' if people == 1 else 'namen'}."
    ]
    for vak in named:
        shown = ", ".join(n[:40] for n in vak.names[:8])
        more = f" en nog {len(vak.names) - 8}" if len(vak.names) > 8 else ""
        lines.append(f"{vak.question} {shown}{more}.")
    if len(named) < len(vakken):
        lines.append(f"{len(vakken) - len(named)} vakken zijn nog leeg.")
    text = "\n".join(lines)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
