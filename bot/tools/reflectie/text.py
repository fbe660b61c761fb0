"""How a reflection reads in the chat: questions, typed answers, the summary and what changed.

Source texts are shown as they are, with the source named; the bot adds only the words that
make a form work in a chat (which question, how to answer).
"""

from __future__ import annotations

import re

from bot.core.replies import Span, b, i
from bot.text.dutch import count, fold, is_number
from bot.text.markdown import clean
from bot.tools.reflectie.store.reflecties import Step, Value
from content.schemas.reflectoren import Antwoord, Keuze, Reflector, Reflectoren, Schaal

ANSWER_MAX = 2000
"""A written answer longer than this is a paste, not an answer."""
SHOWN_MAX = 300
"""How much of a written answer a comparison quotes."""

Parts = list[str | Span]


def where(tool: Reflector) -> str:
    return f"§{tool.paragraaf}" if is_number(tool.paragraaf[:1]) else tool.paragraaf


def source(tool: Reflector) -> str:
    return tool.bron.cite(where(tool)) + "."


def short_code(answer: Keuze) -> bool:
    """The form prints letters (A, B, C) before its options; slugs are ours and stay hidden."""
    return all(len(o.code) <= 2 for o in answer.opties)


def show(answer: Antwoord, value: Value) -> str:
    if value is None:
        return "overgeslagen"
    if isinstance(answer, Keuze):
        labels = {o.code: o.label for o in answer.opties}
        if isinstance(value, list):
            return ", ".join(labels.get(c, c) for c in value) or "niets aangeduid"
        label = labels.get(str(value), str(value))
        return f"{value} ({label})" if short_code(answer) else label
    if isinstance(answer, Schaal) and isinstance(value, int):
        meaning = answer.labels.get(value)
        return f"{value} ({meaning})" if meaning else str(value)
    return str(value)


def clip(text: str, limit: int = SHOWN_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def scale_hint(answer: Schaal) -> str:
    return f"Kies een getal van {answer.min} tot {answer.max}"


def choice(answer: Keuze, typed: str) -> str | None:
    """The option someone typed: its code (a, 'B)'), its label, or its number in the list."""
    key = fold(typed).strip(" .)")
    for n, option in enumerate(answer.opties, start=1):
        if key in (fold(option.code), fold(option.label), str(n)):
            return option.code
    return None


def parse(answer: Antwoord, typed: str) -> tuple[Value, str | None]:
    """A typed answer as a stored value, or a Dutch message saying what fits instead."""
    text = clean(typed)
    if isinstance(answer, Schaal):
        number = text.strip(" .")
        if is_number(number.lstrip("-")) and answer.min <= int(number) <= answer.max:
            return int(number), None
        return (
            None,
            f"{scale_hint(answer)} (of gebruik de knoppen). Dit antwoord heb ik nog niet bewaard.",
        )
    if isinstance(answer, Keuze):
        if answer.meerdere:
            words = [w for w in re.split(r"[,;\n]|\s+en\s+", text) if w.strip()]
            codes = [choice(answer, w) for w in words]
            unknown = [w.strip() for w, c in zip(words, codes, strict=True) if c is None]
            if not words or unknown:
                return None, (
                    "Dat vind ik niet in de lijst"
                    + (f": {clip(', '.join(unknown), 80)}" if unknown else "")
                    + ". Kies met de knoppen en dan Klaar, of typ "
                    "de woorden uit de lijst met komma's ertussen. Dit antwoord heb ik nog niet bewaard."
                )
            return list(dict.fromkeys(c for c in codes if c is not None)), None
        code = choice(answer, text)
        if code is None:
            options = (
                ", ".join(o.code for o in answer.opties) if short_code(answer) else "een optie"
            )
            return (
                None,
                f"Kies {options} met de knoppen (of typ het). Dit antwoord heb ik nog niet bewaard.",
            )
        return code, None
    if not text:
        return None, "Een leeg antwoord bewaar ik niet. Typ je antwoord, of kies Overslaan."
    if len(text) > ANSWER_MAX:
        return None, (
            f"Dat is te lang ({len(text)} tekens); een antwoord mag hoogstens "
            f"{ANSWER_MAX} tekens zijn. Dit antwoord heb ik nog niet bewaard; kort het in."
        )
    return text, None


def prompt(step: Step) -> str:
    if step.part == 0:
        return step.item.tekst
    return step.item.vervolg[step.part - 1].tekst or step.item.tekst


def label(step: Step) -> str:
    """A question on its own, as a comparison lists it: follow-ups carry their item."""
    if step.part == 0:
        return step.item.tekst
    follow = step.item.vervolg[step.part - 1].tekst
    return f"{step.item.tekst} · {follow}" if follow else f"{step.item.tekst} (waardering)"


def question(
    tool: Reflector, all_steps: list[Step], position: int, answers: dict[tuple[str, int], Value]
) -> Parts:
    step = all_steps[position]
    item = step.item
    parts: Parts = [b(tool.titel), i(f" · {position + 1} van {len(all_steps)}"), "\n"]
    if item.kop:
        parts += [b(item.kop), "\n"]
    if step.part == 0:
        parts.append(item.tekst)
        if item.toelichting:
            parts += ["\n", i(item.toelichting)]
    else:
        own = answers.get((item.id, 0))
        parts.append(item.tekst if step.is_rating else i(item.tekst))
        if isinstance(own, str) and not isinstance(item.antwoord, Keuze):
            parts += [" ", i(clip(own))]
        if not step.is_rating:
            parts += ["\n", prompt(step)]
    answer = step.answer
    if isinstance(answer, Keuze) and answer.meerdere:
        hint = (
            "Duid aan wat past (meerdere mag) en kies dan Klaar; of typ de woorden met "
            "komma's ertussen."
        )
    elif isinstance(answer, Keuze):
        hint = "Kies een antwoord."
    elif isinstance(answer, Schaal):
        hint = scale_hint(answer) + "."
    else:
        hint = "Typ je antwoord hieronder, of kies Overslaan."
    return parts + ["\n\n", i(hint)]


def summary(
    tool: Reflector, all_steps: list[Step], answers: dict[tuple[str, int], Value], when: str
) -> Parts:
    """Every answer, then the source's own cautions: they belong with the answers."""
    parts: Parts = [b(f"{tool.titel}: je antwoorden"), i(f" (ingevuld op {when}, alleen voor jou)")]
    heading = None
    for step in all_steps:
        if step.key not in answers:
            continue
        if step.item.kop and step.item.kop != heading:
            heading = step.item.kop
            parts += ["\n\n", b(heading)]
        shown = "↳ waardering" if step.is_rating else prompt(step)
        parts += ["\n• ", shown, "\n   → ", show(step.answer, answers[step.key])]
    for caution in tool.waarschuwingen:
        parts += ["\n\n", i(f"“{caution}”")]
    parts += origin(tool)
    parts += ["\n", i(source(tool))]
    return parts


def origin(tool: Reflector) -> Parts:
    """What the instrument is based on and whose it is (its copyright line), as the workbook
    prints it under the instrument: it belongs wherever the instrument is shown."""
    return ["\n", i(f"Herkomst: “{tool.herkomst}”")] if tool.herkomst else []


def changes(
    tool: Reflector,
    all_steps: list[Step],
    before: dict[tuple[str, int], Value],
    after: dict[tuple[str, int], Value],
    before_when: str,
    caution: str,
    caution_source: str,
) -> Parts:
    """Per statement what is different from the last time; the scores themselves are not the
    point, the workbook says, the differences are worth talking about."""
    parts: Parts = [b(f"Wat is er anders dan de vorige keer ({before_when})?")]
    same = 0
    for step in all_steps:
        if before.get(step.key, _MISSING) == after.get(step.key, _MISSING):
            same += 1
            continue
        parts += [
            "\n• ",
            label(step),
            "\n   toen: ",
            clip(_shown(step, before)),
            "\n   nu: ",
            clip(_shown(step, after)),
        ]
    if same == len(all_steps):
        parts.append("\nJe antwoorden zijn dezelfde als de vorige keer.")
    elif same:
        parts.append(f"\n{count(same, 'antwoord is', 'antwoorden zijn')} hetzelfde gebleven.")
    parts += [
        "\n\n",
        i(f"“{caution}”"),
        i(f" ({caution_source})"),
        "\nWat merk je zelf aan die verschillen? Praat erover met iemand die je vertrouwt.",
    ]
    return parts


_MISSING = object()


def _shown(step: Step, answers: dict[tuple[str, int], Value]) -> str:
    return show(step.answer, answers[step.key]) if step.key in answers else "niet ingevuld"


def difference_caution(reflectoren: Reflectoren) -> tuple[str, str]:
    """The workbook's line on filling a reflector in a second time (§10.1), as content holds it."""
    for tool in reflectoren.reflectoren:
        for caution in tool.waarschuwingen:
            if "verschillen" in caution and "tweede keer" in caution:
                return caution, f"{tool.bron.uitgever}, {tool.bron.titel}"
    raise LookupError("reflectoren.yaml mist de waarschuwing over verschillen tussen twee keren")
