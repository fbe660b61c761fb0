"""Reflections drawn: the netwerkkaart (§8.7) as a map, and a reflector with fixed answers as a
chart of first and latest answers. Drawn from the stored answers each time and never stored,
so erasing the answers erases the pictures; they go only to the person's own DM."""

from __future__ import annotations

from bot.core.context import Ctx, Deps
from bot.core.replies import Attachment, Reply, picture, say
from bot.drawing import grafiek, netwerkkaart, off_loop
from bot.drawing.canvas import Picture, side_by_side
from bot.text.moments import say_day
from bot.tools.reflectie import text
from bot.tools.reflectie.store.reflecties import Answered, Value, steps
from content.schemas.reflectoren import Keuze, Reflector, Schaal

NETWERKKAART = "netwerkkaart"
RUNS_CHARTED = 12
"""The chart shows the first fill-in and the latest ones, at most this many in all."""


def _map(tool: Reflector, answers: dict[tuple[str, int], Value], when: str) -> Picture:
    vakken = [
        netwerkkaart.Vak(
            item.tekst,
            netwerkkaart.names_in(
                value if isinstance(value := answers.get((item.id, 0)), str) else ""
            ),
        )
        for item in tool.items
    ]
    return netwerkkaart.draw(vakken, tool.titel, f"ingevuld op {when}", text.source(tool))


def _map_words(tool: Reflector, answers: dict[tuple[str, int], Value]) -> str:
    return netwerkkaart.describe(
        [
            netwerkkaart.Vak(
                item.tekst,
                netwerkkaart.names_in(
                    value if isinstance(value := answers.get((item.id, 0)), str) else ""
                ),
            )
            for item in tool.items
        ]
    )


def _both(
    tool: Reflector,
    before: dict[tuple[str, int], Value],
    before_when: str,
    after: dict[tuple[str, int], Value],
    after_when: str,
) -> Picture:
    return side_by_side(_map(tool, before, before_when), _map(tool, after, after_when))


async def map_reply(
    deps: Deps | Ctx, tool: Reflector, now: Answered, before: Answered | None, timezone: str
) -> Reply:
    """The map of this fill-in; beside the previous one (`before`) when there is one."""
    run, answers = now
    when = say_day(run.finished_at or run.started_at, timezone, deps.clock.now(), weekday=False)
    words = _map_words(tool, answers)
    if before is None:
        drawn = await off_loop(_map, tool, answers, when)
        lead = "Je netwerkkaart als tekening. Alleen jij krijgt ze te zien."
    else:
        previous, before_answers = before
        before_when = say_day(
            previous.finished_at or previous.started_at, timezone, deps.clock.now(), weekday=False
        )
        drawn = await off_loop(_both, tool, before_answers, before_when, answers, when)
        lead = f"Je netwerkkaart van {before_when} (links) naast die van {when} (rechts)."
        words = f"Links je kaart van {before_when}, rechts die van {when}. Nu: {words}"
    return say(lead, attachment=picture(f"netwerkkaart-{run.id}.png", drawn.png, words[:1000]))


def _row(step_label: str, answer: Keuze | Schaal, values: list[Value]) -> grafiek.Rij | None:
    if isinstance(answer, Schaal):
        scale = tuple(str(n) for n in range(answer.min, answer.max + 1))
        positions = tuple(
            v - answer.min if isinstance(v, int) and not isinstance(v, bool) else None
            for v in values
        )
    elif not answer.meerdere:
        codes = [o.code for o in answer.opties]
        scale = tuple(o.code if text.short_code(answer) else o.label for o in answer.opties)
        positions = tuple(
            codes.index(v) if isinstance(v, str) and v in codes else None for v in values
        )
    else:
        return None
    return grafiek.Rij(step_label, scale, positions)


def charted(tool: Reflector) -> bool:
    """A reflector with at least one fixed answer (a scale or one choice) can be charted."""
    return any(
        isinstance(s.answer, Schaal) or (isinstance(s.answer, Keuze) and not s.answer.meerdere)
        for s in steps(tool)
    )


async def chart_reply(
    ctx: Ctx, tool: Reflector, finished: list[Answered], caution: str, caution_source: str
) -> Reply | None:
    """First and latest answers per statement (and those in between), with the caution:
    `finished`, the tool's finished runs with their answers, oldest first, up to this one."""
    if len(finished) < 2 or not charted(tool):
        return None
    finished = finished[:1] + finished[-(RUNS_CHARTED - 1) :]
    runs = [run for run, _ in finished]
    all_answers = [answers for _, answers in finished]
    dates = [
        say_day(r.finished_at or r.started_at, ctx.timezone, ctx.now(), weekday=False) for r in runs
    ]
    rows = [
        row
        for step in steps(tool)
        if isinstance(step.answer, (Keuze, Schaal))
        and (row := _row(text.label(step), step.answer, [a.get(step.key) for a in all_answers]))
        is not None
    ]
    drawn = await off_loop(
        grafiek.draw,
        rows,
        dates,
        f"{tool.titel}: je antwoorden door de tijd",
        f"{caution} ({caution_source})",
        text.source(tool),
    )
    changed = sum(1 for r in rows if r.values[0] != r.values[-1])
    words = (
        f"Grafiek van {tool.titel}: {len(rows)} uitspraken, je antwoorden van {dates[0]} "
        f"(open cirkel) en van {dates[-1]} (volle cirkel); bij {changed} is het anders. "
        "Het gesprek telt, niet de score."
    )
    return say(
        "Hetzelfde in een kleine grafiek.",
        attachment=picture(f"{tool.id}-grafiek-{runs[-1].id}.png", drawn.png, words),
    )


async def files(ctx: Ctx, runs: list[Answered]) -> list[Attachment]:
    """For mijngegevens: the latest netwerkkaart (beside the one before it), drawn from the
    runs and answers read for the export."""
    try:
        tool = ctx.content.reflectoren.get(NETWERKKAART)
    except KeyError:
        return []
    done = [(run, answers) for run, answers in runs if run.tool == tool.id and run.status == "done"]
    if not done:
        return []
    before = done[-2] if len(done) > 1 else None
    reply = await map_reply(ctx, tool, done[-1], before, ctx.timezone)
    return [reply.attachment] if reply.attachment is not None else []
