"""A finished kletspot as a card: the colours that were discussed, the questions and how many
aanknopingspunten were noted. Colours are the jar's own, as content/kletspot.yaml gives them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.drawing.canvas import INK, LINE, MUTED, Canvas, Picture, readable_on, shade, tint

WIDTH, HEIGHT = 1080, 1350
MARGIN = 40
QUESTIONS_SHOWN = 12


@dataclass(frozen=True)
class Kleur:
    name: str
    hex: str
    title: str


def draw(
    colours: list[Kleur],
    questions: list[tuple[str, str]],
    points: int,
    title: str,
    subtitle: str,
    source: str,
) -> Picture:
    """`questions` are (colour name, question) in the order they were drawn."""
    canvas = Canvas(WIDTH, HEIGHT)
    d = canvas.draw
    by_name = {c.name: c for c in colours}
    canvas.text((MARGIN, 36), canvas.fit(title, 44, WIDTH - 2 * MARGIN, True), 44, heavy=True)
    canvas.text((MARGIN, 98), canvas.fit(subtitle, 28, WIDTH - 2 * MARGIN), 28, MUTED)
    used = [c for c in colours if any(q[0] == c.name for q in questions)]
    y = 170
    chip = (WIDTH - 2 * MARGIN) / max(len(used), 1)
    for n, colour in enumerate(used):
        cx = MARGIN + chip * (n + 0.5)
        many = sum(1 for q in questions if q[0] == colour.name)
        d.ellipse(
            [cx - 50, y, cx + 50, y + 100], fill=colour.hex, outline=shade(colour.hex, 0.3), width=4
        )
        canvas.text((cx, y + 50), str(many), 40, readable_on(colour.hex), heavy=True, anchor="mm")
        canvas.text((cx, y + 130), colour.name, 28, INK, heavy=True, anchor="mm")
    if not used:
        canvas.text((MARGIN, y + 30), "Er werden geen vragen getrokken.", 30, MUTED)
    y = 350
    d.line([(MARGIN, y), (WIDTH - MARGIN, y)], fill=LINE, width=3)
    y += 24
    canvas.text((MARGIN, y), f"Besproken vragen ({len(questions)})", 32, INK, heavy=True)
    y += 56
    for colour_name, question in questions[:QUESTIONS_SHOWN]:
        found = by_name.get(colour_name)
        fill = found.hex if found else LINE
        d.rounded_rectangle(
            [MARGIN, y, WIDTH - MARGIN, y + 60],
            radius=12,
            fill=tint(fill, 0.8),
            outline=shade(fill, 0.2),
            width=2,
        )
        d.ellipse(
            [MARGIN + 14, y + 16, MARGIN + 42, y + 44], fill=fill, outline=shade(fill, 0.3), width=2
        )
        canvas.text(
            (MARGIN + 58, y + 30),
            canvas.fit(question, 26, WIDTH - 2 * MARGIN - 76),
            26,
            INK,
            anchor="lm",
        )
        y += 70
    if len(questions) > QUESTIONS_SHOWN:
        canvas.text(
            (MARGIN, y + 4), f"+ {len(questions) - QUESTIONS_SHOWN} meer", 26, MUTED, heavy=True
        )
    noted = (
        "Geen aanknopingspunten genoteerd."
        if points == 0
        else f"{points} aanknopingspunt{'en' if points != 1 else ''} genoteerd: "
        "punten export maakt er een document van."
    )
    for n, line in enumerate(canvas.wrap(noted, 28, WIDTH - 2 * MARGIN, 2)):
        canvas.text((MARGIN, HEIGHT - 150 + 38 * n), line, 28, INK)
    canvas.text((MARGIN, HEIGHT - 70), canvas.fit(source, 22, WIDTH - 2 * MARGIN), 22, MUTED)
    return canvas.finish()


def describe(colours: list[Kleur], questions: list[tuple[str, str]], points: int) -> str:
    used = [(c.name, sum(1 for q in questions if q[0] == c.name)) for c in colours]
    said = ", ".join(f"{name} {n}" for name, n in used if n)
    text = (
        f"Kaart van de kletspot: {len(questions)} besproken "
        f"{'vraag' if len(questions) == 1 else 'vragen'}"
    )
    text += f" (per kleur: {said})" if said else ""
    return text + f", {points} aanknopingspunt{'en' if points != 1 else ''}."
