"""The kletspot on paper and as a picture: the aanknopingspunten as an A4 PDF per cluster, and a
finished session as a card with the colours discussed (and as a PDF after `stop`)."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import parse_iso
from bot.core.replies import Reply
from bot.drawing import document, kaart, off_loop, pdf_reply
from bot.text.dutch import count
from bot.text.moments import say_day
from bot.tools.kletspot.store.aanknopingspunten import Aanknopingspunt
from content import Content


def jar_colours(content: Content) -> list[kaart.Kleur]:
    """The jar's colours in their order, each with the display colour content gives it."""
    return [
        kaart.Kleur(k.naam, k.hex, content.kletspot.cluster(k.naam).titel)
        for k in content.kletspot.kleuren
    ]


def _source(content: Content) -> str:
    return content.kletspot.bron.cite()


def points_document(
    content: Content,
    points: list[Aanknopingspunt],
    team: str,
    today: str,
    timezone: str,
    now: datetime,
) -> document.Document:
    blocks: list[document.Blok] = []
    for colour in jar_colours(content):
        members = [p for p in points if p.colour == colour.name]
        if members:
            blocks.append(
                document.Kop(f"{colour.name.capitalize()}: {colour.title}", 1, colour.hex)
            )
            blocks += _by_question(members, timezone, now)
    loose = [p for p in points if p.colour not in {c.name for c in jar_colours(content)}]
    for topic in dict.fromkeys(p.topic for p in loose if p.topic):  # a reflectie team front
        blocks.append(document.Kop(topic, 1))
        blocks += _by_question([p for p in loose if p.topic == topic], timezone, now)
    loose = [p for p in loose if not p.topic]
    if loose:
        blocks.append(document.Kop("Zonder vraag", 1))
        blocks += _by_question(loose, timezone, now)
    if not points:
        blocks.append(document.Alinea("Er zijn nog geen aanknopingspunten genoteerd."))
    return document.Document(
        "Aanknopingspunten uit de kletspot", team, today, _source(content), blocks
    )


def _by_question(
    points: list[Aanknopingspunt], timezone: str, now: datetime
) -> list[document.Blok]:
    by_question: dict[str, list[Aanknopingspunt]] = {}
    for point in points:
        by_question.setdefault(point.question_text or "", []).append(point)
    blocks: list[document.Blok] = []
    for question, notes in by_question.items():
        if question:
            blocks.append(document.Kop(question, 2))
        blocks += [
            document.Punt(
                p.text,
                f"{p.author or 'onbekend'}, {say_day(parse_iso(p.created_at), timezone, now, weekday=False)}",
            )
            for p in notes
        ]
    return blocks


async def points_pdf(
    content: Content,
    points: list[Aanknopingspunt],
    team: str,
    today: str,
    stamp: str,
    timezone: str,
    now: datetime,
) -> Reply:
    doc = points_document(content, points, team, today, timezone, now)
    return await pdf_reply(
        doc,
        "Hetzelfde om af te drukken (PDF, A4).",
        f"aanknopingspunten-{stamp}.pdf",
        f"PDF met {count(len(points), 'aanknopingspunt', 'aanknopingspunten')} per cluster.",
    )


async def session_card(
    content: Content,
    team: str,
    ended: str,
    questions: list[tuple[str, str]],
    points: int,
) -> tuple[bytes, str]:
    """The card's PNG and what it shows in words."""
    colours = jar_colours(content)
    drawn = await off_loop(
        kaart.draw,
        colours,
        questions,
        points,
        "Kletspot afgerond",
        f"{team} · {ended}",
        _source(content),
    )
    return drawn.png, kaart.describe(colours, questions, points)


async def session_pdf(
    content: Content,
    team: str,
    ended: str,
    questions: list[tuple[str, str]],
    points: list[Aanknopingspunt],
    timezone: str,
    stamp: str,
    now: datetime,
) -> Reply:
    colours = {c.name: c for c in jar_colours(content)}
    blocks: list[document.Blok] = [document.Kop(f"Besproken vragen ({len(questions)})", 1)]
    for colour_name, question in questions:
        colour = colours.get(colour_name)
        blocks.append(document.Kop(f"{colour_name}: {question}", 3, colour.hex if colour else None))
    if not questions:
        blocks.append(document.Alinea("Er werden geen vragen getrokken."))
    blocks.append(document.Kop(f"Aanknopingspunten ({len(points)})", 1))
    blocks += (
        _by_question(points, timezone, now)
        if points
        else [document.Alinea("Er werden geen aanknopingspunten genoteerd.")]
    )
    doc = document.Document("Kletspot: overzicht", team, ended, _source(content), blocks)
    return await pdf_reply(
        doc,
        "Het overzicht om af te drukken (PDF, A4).",
        f"kletspot-{stamp}.pdf",
        f"PDF met {count(len(questions), 'besproken vraag', 'besproken vragen')} en "
        f"{count(len(points), 'aanknopingspunt', 'aanknopingspunten')}.",
    )
