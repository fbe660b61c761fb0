"""`reflectie` and `reflecties`: the workbook's reflectors and instruments, privately in a DM.

One question at a time, every answer saved at once. The progress lives in `reflections`
(bot.tools.reflectie.store.reflecties), so a command in between or a restart never loses it: `reflectie`
offers to continue. Several tools may be open at the same time, one run per tool.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from bot.core import flows, steering
from bot.core.buttons import is_id
from bot.core.context import Ctx, Deps
from bot.core.privately import note, privately
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Flow, Router
from bot.core.storage import Read, Statement
from bot.text.achtergrond import tekst_parts
from bot.text.dutch import is_number
from bot.text.moments import say_day
from bot.tools.reflectie import beelden, plan
from bot.tools.reflectie import text as text
from bot.tools.reflectie.store.reflecties import Answered, Reflecties, Run, Step, Value, steps
from content.schemas.reflectoren import Keuze, Reflector, Schaal

log = logging.getLogger(__name__)

FLOW = "reflectie"
NOT_FOUND = "Die reflectie vind ik niet bij jou. Typ reflecties voor je eigen lijst."
LIST_MAX = 20


@dataclass(frozen=True)
class Known:
    """What an answer's event read already with its run, so that the next question is asked
    without reading it again: the run's answers and the open question of this tool."""

    answers: dict[tuple[str, int], Value]
    flow: Flow | None
    earlier: list[Answered] | None = None
    """At the tool's last question, its finished runs with their answers (`_earlier_of`)."""


def disclaimer() -> list[str | Span]:
    return [
        "Kletspot is geen therapie en geen hulpdienst: dit zijn oefeningen uit een werkboek. "
        "Gaat het nu niet goed met je? Typ ",
        cmd("hulp nu"),
        " voor wie je meteen kan bellen.",
    ]


def _tool(ctx: Ctx | Deps, tool_id: object) -> Reflector | None:
    try:
        return ctx.content.reflectoren.get(str(tool_id))
    except KeyError:
        return None


def _earlier_of(ctx: Ctx, run_id: int, at: dict[str, Any]) -> Read[list[Answered]] | None:
    """At a tool's last question (a button or the question names the tool, `t`, and the
    position, `p`), the tool's finished runs with their answers, to read with the run: what
    its summary compares and draws once the last answer is in. None elsewhere."""
    tool = _tool(ctx, at.get("t"))
    if tool is None or at.get("p") != len(steps(tool)) - 1:
        return None
    return Reflecties.finished_of(ctx.user_id, tool.id, run_id)


async def _read_run(
    ctx: Ctx, run_id: int, at: dict[str, Any], flow: Flow | None = None
) -> tuple[Run | None, Known]:
    """The user's run with its answers and its open question (`flow`: read already), and at
    its last question the tool's finished runs, in one read."""
    reads: list[Read[Any]] = [Reflecties.run_of(run_id, ctx.user_id), Reflecties.answers_of(run_id)]
    if flow is None:
        reads.append(flows.open_of(ctx, FLOW))
    earlier = _earlier_of(ctx, run_id, at)
    if earlier is not None:
        reads.append(earlier)
    run, answers, *more = await ctx.db.together(*reads)
    found = flow if flow is not None else more.pop(0)
    finished = more[0] if more and run is not None and run.tool == at.get("t") else None
    return run, Known(answers, found, finished)


async def menu(ctx: Ctx) -> Reply:
    parts: list[str | Span] = [
        b("Reflecteren, privé en op je eigen tempo\n"),
        "Kies een reflector of instrument. Ik stel de vragen één voor één; je antwoorden worden "
        "meteen bewaard en alleen jij ziet ze.",
    ]
    specs: list[tuple[str, str, dict[str, Any]]] = []
    open_runs = [
        (run, tool)
        for run in await Reflecties(ctx.db).open_runs(ctx.user_id)
        if (tool := _tool(ctx, run.tool)) is not None
    ]
    if open_runs:
        parts += ["\n\n", b("Nog bezig")]
        for run, tool in open_runs:
            parts.append(f"\n• {tool.titel} ({run.position} van {len(steps(tool))} beantwoord)")
            specs.append((f"Verder: {tool.titel}", "reflect.continue", {"r": run.id}))
    for n, tool in enumerate(ctx.content.reflectoren.reflectoren, start=1):
        parts += [
            "\n\n",
            b(f"{n}. {tool.titel}"),
            i(f" ({text.where(tool)})"),
            "\n",
            i(f"“{tool.doel}”"),
        ]
        # the persoonlijk plan exists once: its own flow, with a goal and a look-back date
        kind = "plan.open" if tool.id == plan.TOOL else "reflect.tool"
        specs.append((f"{n}. {tool.titel}", kind, {"t": tool.id}))
    parts += [
        "\n\nTerugkijken op wat je invulde: ",
        cmd("reflecties"),
        ". Een eigen plan maken: ",
        cmd("plan"),
        ".\n\n",
        *disclaimer(),
    ]
    return say(
        *parts,
        buttons=[
            await ctx.button(label, kind, payload, personal=True) for label, kind, payload in specs
        ],
    )


def intro(tool: Reflector, others: list[Reflector]) -> Reply:
    parts: list[str | Span] = [
        b(tool.titel),
        i(f" ({text.where(tool)})"),
        "\n",
        i(f"“{tool.doel}”"),
    ]
    for line in tool.intro:
        parts += ["\n", i(f"“{line}”")]
    for caution in tool.waarschuwingen:
        parts += ["\n⚠️ ", i(f"“{caution}”")]
    parts += text.origin(tool)
    parts += [
        "\n",
        i(text.source(tool)),
        "\n\nJe antwoorden worden meteen bewaard en alleen jij ziet ze. Stoppen mag altijd: typ ",
        cmd("reflectie"),
        " om later verder te gaan.",
    ]
    if others:
        titles = ", ".join(t.titel for t in others)
        parts += [f"\nOok {titles} blijft bewaard; daar kan je later mee verder."]
    return say(*parts)


async def _wait_for_text(
    ctx: Ctx, run: Run, flow: Flow | None, only: Statement | None = None
) -> None:
    """Keep the open question (`flow`, read already) pointing at this run, so a typed answer
    lands here."""
    data = {"r": run.id, "p": run.position, "t": run.tool}
    if flow is None:
        await flows.start(ctx, FLOW, "ask", data, only)
    else:
        await flows.advance(ctx, flow, "ask", data, only)


async def _answer_buttons(
    ctx: Ctx, run: Run, step: Step, answers: dict[tuple[str, int], Value]
) -> list[Button]:
    at = {"r": run.id, "p": run.position, "t": run.tool}
    answer = step.answer
    specs: list[tuple[str, str, dict[str, Any]]] = []
    if isinstance(answer, Keuze) and answer.meerdere:
        chosen = answers.get(step.key) or []
        for option in answer.opties:
            mark = "✓ " if isinstance(chosen, list) and option.code in chosen else ""
            specs.append((mark + option.label, "reflect.toggle", {**at, "v": option.code}))
        specs.append(("Klaar", "reflect.next", {**at, "s": "klaar"}))
    else:
        if isinstance(answer, Keuze):
            for option in answer.opties:
                label = (
                    f"{option.code}: {option.label}" if text.short_code(answer) else option.label
                )
                specs.append((label, "reflect.answer", {**at, "v": option.code}))
        elif isinstance(answer, Schaal):
            for n in range(answer.min, answer.max + 1):
                label = f"{n}: {answer.labels[n]}" if n in answer.labels else str(n)
                specs.append((label, "reflect.answer", {**at, "v": n}))
        specs.append(("Overslaan", "reflect.next", {**at, "s": "over"}))
    return [await ctx.button(label, kind, payload, personal=True) for label, kind, payload in specs]


async def ask(
    ctx: Ctx,
    tool: Reflector,
    run: Run,
    lead: list[str | Span] | None = None,
    known: Known | None = None,
    only: Statement | None = None,
) -> Reply:
    """`only`: the question's flow is written only where this holds (a run not stored yet,
    `Reflecties.lands_with`; a step back, `Reflecties.still_at`)."""
    all_steps = steps(tool)
    step = all_steps[run.position]
    if known is None:
        answers, flow = await ctx.db.together(
            Reflecties.answers_of(run.id), flows.open_of(ctx, FLOW)
        )
    else:
        answers, flow = known.answers, known.flow
    parts = ([*lead, "\n\n"] if lead else []) + text.question(
        tool, all_steps, run.position, answers
    )
    await _wait_for_text(ctx, run, flow, only)
    is_text = not isinstance(step.answer, Keuze)  # a score may be typed: 7 is 7, no button
    return say(*parts, buttons=await _answer_buttons(ctx, run, step, answers), expects_text=is_text)


async def reread(
    ctx: Ctx,
    tool: Reflector,
    run: Run,
    lead: str = "",
    known: tuple[list[Answered], dict[tuple[str, int], Value]] | None = None,
) -> list[Reply]:
    """The summary of a finished run and, when there is an earlier one, what changed: the
    tool's finished runs with their answers read once, for the summary, the changes, the
    chart and the map (`known`: the earlier ones and this run's answers, read already)."""
    all_steps = steps(tool)
    if known is not None:
        earlier, answers = known
    else:
        finished = await ctx.db.read(Reflecties.finished_of(ctx.user_id, tool.id, run.id))
        earlier = [done for done in finished if done[0].id != run.id]
        found = next((a for r, a in finished if r.id == run.id), None)
        # not finished after all: its answers alone
        answers = found if found is not None else await Reflecties(ctx.db).answers(run.id)
    when = say_day(run.finished_at or run.started_at, ctx.timezone, ctx.now())
    parts = ([lead, "\n\n"] if lead else []) + text.summary(tool, all_steps, answers, when)
    replies = [say(*parts)]
    if earlier:
        previous, before = earlier[-1]
        caution, caution_source = text.difference_caution(ctx.content.reflectoren)
        replies.append(
            say(
                *text.changes(
                    tool,
                    all_steps,
                    before,
                    answers,
                    say_day(previous.finished_at or previous.started_at, ctx.timezone, ctx.now()),
                    caution,
                    caution_source,
                )
            )
        )
        chart = await beelden.chart_reply(
            ctx, tool, [*earlier, (run, answers)], caution, caution_source
        )
        if chart is not None:
            replies.append(chart)
    if tool.id == beelden.NETWERKKAART:
        before_map = earlier[-1] if earlier else None
        replies.append(await beelden.map_reply(ctx, tool, (run, answers), before_map, ctx.timezone))
    return replies


async def offer_resume(ctx: Ctx, tool: Reflector, run: Run) -> Reply:
    total = len(steps(tool))
    return say(
        f"Je bent al bezig met {tool.titel}: {run.position} van {total} beantwoord. Verder "
        "waar je was, of opnieuw beginnen? Opnieuw beginnen wist de antwoorden van deze "
        "onafgewerkte keer.",
        buttons=[
            await ctx.button("Verder", "reflect.continue", {"r": run.id}, personal=True),
            await ctx.button("Opnieuw beginnen", "reflect.restart", {"r": run.id}, personal=True),
        ],
    )


async def record(
    ctx: Ctx, tool: Reflector, run: Run, value: Value, known: Known, advance: bool = True
) -> list[Reply]:
    all_steps = steps(tool)
    step, now = all_steps[run.position], ctx.now()
    after = run.moved(1 if advance else 0, len(all_steps), now)
    # The next question first: its buttons and its wait are held back and go with the answer's
    # own statement, one round trip. Where the answer does not land (the same question
    # answered at the same moment), they are not shown, or lead where that answer went.
    answers = {**known.answers, step.key: value}
    following = (
        await ask(ctx, tool, after, known=Known(answers, known.flow)) if after.open else None
    )
    if following is None:  # the last answer: its question ends with it, in its statement
        await flows.close_kind(ctx, FLOW, Reflecties.still_at(run))
    saved = await Reflecties(ctx.db).save(run, after, step, value, now)
    if saved is None:
        return await _stale(ctx, tool, run.id)
    log.info("reflection answer saved: run=%d position=%d", run.id, run.position)
    if following is not None:
        return [following]
    log.info("reflection finished: run=%d tool=%s", saved.id, tool.id)
    lead = "Klaar, alles is bewaard. Dit is je overzicht."
    done = None if known.earlier is None else (known.earlier, answers)
    return await reread(ctx, tool, saved, lead=lead, known=done)


async def _stale(
    ctx: Ctx, tool: Reflector, run_id: int, read: tuple[Run, Known] | None = None
) -> list[Reply]:
    """Where the run is now (`read`: with its answers and open question, read already by this
    event after the run moved on; else read here)."""
    run, known = (
        read if read is not None else (await Reflecties(ctx.db).get(run_id, ctx.user_id), None)
    )
    if run is None or not run.open:
        return [
            say("Deze reflectie is al afgerond. Typ ", cmd("reflecties"), " om ze te herlezen.")
        ]
    lead: list[str | Span] = ["Die vraag is al beantwoord. Hier ben je gebleven:"]
    return [await ask(ctx, tool, run, lead=lead, known=known)]


async def _current(ctx: Ctx, payload: dict[str, Any]) -> tuple[Reflector, Run, Known] | list[Reply]:
    """The run a button is about, if it is the user's own, open, and at the button's question;
    read with its answers and its open question, for the next one."""
    run_id = payload.get("r")
    if not is_id(run_id):
        return [say(NOT_FOUND)]
    run, known = await _read_run(ctx, run_id, payload)
    tool = _tool(ctx, run.tool) if run else None
    if run is None or tool is None:
        return [say(NOT_FOUND)]
    if payload.get("p") != run.position or not run.open:
        return await _stale(ctx, tool, run.id, (run, known))
    return tool, run, known


def _from_button(step: Step, value: object) -> tuple[Value, str | None]:
    answer = step.answer
    if (
        isinstance(answer, Keuze)
        and not answer.meerdere
        and isinstance(value, str)
        and value in {o.code for o in answer.opties}
    ):
        return value, None
    if isinstance(answer, Schaal):
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and answer.min <= value <= answer.max
        ):
            return value, None
        return None, f"{text.scale_hint(answer)}. Dit antwoord heb ik nog niet bewaard."
    return None, "Dat antwoord past niet bij deze vraag. Dit antwoord heb ik nog niet bewaard."


async def on_tool(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    tool = _tool(ctx, payload.get("t"))
    if tool is None:
        return [say("Dat hulpmiddel ken ik niet. Typ ", cmd("reflectie"), " voor de lijst.")]
    if tool.id == plan.TOOL:
        return await plan.plan(ctx, "")
    service = Reflecties(ctx.db)
    open_runs = await service.open_runs(ctx.user_id)
    run = next((r for r in open_runs if r.tool == tool.id), None)
    if run is not None:
        return [await offer_resume(ctx, tool, run)]
    others = [t for r in open_runs if (t := _tool(ctx, r.tool))]
    # a new run has no answers yet, and its question replaces any other one of the tool: made
    # first, it travels with the run's start and lands only with it
    run = service.new(ctx.user_id, tool.id, ctx.now())
    first = await ask(ctx, tool, run, known=Known({}, None), only=Reflecties.lands_with(run))
    if await service.start(run) is None:
        return [
            say("Die reflectie is net al begonnen. Typ ", cmd("reflectie"), " om verder te gaan.")
        ]
    log.info("reflection started: run=%d tool=%s", run.id, tool.id)
    # The workbook paragraph the instrument leans on (the feedback rules of 12.5 with 7.4).
    background = [
        say(*tekst_parts(ctx.content, t)) for t in ctx.content.achtergrond.bij(tool.paragraaf)
    ]
    return [intro(tool, others), *background, first]


async def on_continue(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The run read with its answers and its open question: where it was, asked again."""
    run_id = payload.get("r")
    run, known = await _read_run(ctx, run_id, payload) if is_id(run_id) else (None, None)
    tool = _tool(ctx, run.tool) if run else None
    if run is None or tool is None:
        return [say(NOT_FOUND)]
    if not run.open:
        return await reread(ctx, tool, run, lead="Deze reflectie is al afgerond.")
    return [await ask(ctx, tool, run, lead=["We gaan verder waar je was."], known=known)]


async def on_restart(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The unfinished run goes with its answers, and a fresh one of its tool takes its place:
    the delete tells whether there was one to start over (only where there was not does a read
    say why), and the fresh run's question travels with its start and lands only with it."""
    service = Reflecties(ctx.db)
    tools = [t.id for t in ctx.content.reflectoren.reflectoren]
    old = await service.discard(payload.get("r"), ctx.user_id, tools)
    tool = _tool(ctx, old.tool) if old else None
    if old is None or tool is None:
        run = await service.get(payload.get("r"), ctx.user_id)
        if run is None or _tool(ctx, run.tool) is None:
            return [say(NOT_FOUND)]
        return [
            say(
                "Die keer is al afgerond en blijft bewaard. Kies het hulpmiddel opnieuw in ",
                cmd("reflectie"),
                " om het nog eens in te vullen.",
            )
        ]
    fresh = service.new(ctx.user_id, tool.id, ctx.now())
    first = await ask(ctx, tool, fresh, known=Known({}, None), only=Reflecties.lands_with(fresh))
    if await service.start(fresh) is None:
        return [say("Dat lukte niet: er loopt al een nieuwe keer. Typ ", cmd("reflectie"), ".")]
    log.info("reflection restarted: run=%d replaces=%d", fresh.id, old.id)
    return [intro(tool, []), first]


async def on_answer(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    found = await _current(ctx, payload)
    if isinstance(found, list):
        return found
    tool, run, known = found
    value, error = _from_button(steps(tool)[run.position], payload.get("v"))
    if error:
        return [say(error)]
    return await record(ctx, tool, run, value, known)


async def on_toggle(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """One option of a 'mark several' question on or off; saved, then shown again."""
    found = await _current(ctx, payload)
    if isinstance(found, list):
        return found
    tool, run, known = found
    step = steps(tool)[run.position]
    code = payload.get("v")
    if not isinstance(step.answer, Keuze) or code not in {o.code for o in step.answer.opties}:
        return [say("Dat antwoord past niet bij deze vraag. Dit antwoord heb ik nog niet bewaard.")]
    stored = known.answers.get(step.key)
    marked = set(stored) if isinstance(stored, list) else set()
    marked ^= {code}
    chosen = [o.code for o in step.answer.opties if o.code in marked]
    return await record(ctx, tool, run, chosen, known, advance=False)


async def on_next(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """Klaar (keep what is marked) or Overslaan (store that it was skipped)."""
    found = await _current(ctx, payload)
    if isinstance(found, list):
        return found
    tool, run, known = found
    step = steps(tool)[run.position]
    value: Value = None
    if payload.get("s") == "klaar":
        marked = known.answers.get(step.key)
        value = marked if isinstance(marked, list) else []
    return await record(ctx, tool, run, value, known)


async def on_text(ctx: Ctx, flow: Flow, typed: str) -> list[Reply]:
    run_id = flow.data.get("r")
    run, known = await _read_run(ctx, run_id, flow.data, flow) if is_id(run_id) else (None, None)
    tool = _tool(ctx, run.tool) if run else None
    if run is None or tool is None or not run.open:
        await flows.finish(ctx, flow, "closed")
        return [
            say(
                "Die reflectie loopt niet meer. Typ ",
                cmd("reflectie"),
                " om verder te gaan of een nieuwe te kiezen.",
            )
        ]
    assert known is not None
    if flow.data.get("p", run.position) != run.position:
        # the run moved on since this question was asked (answered at the same moment): the
        # text answers the question it was written for, or none
        return await _stale(ctx, tool, run.id, (run, known))
    value, error = text.parse(steps(tool)[run.position].answer, typed)
    if error:
        await flows.advance(ctx, flow, flow.step, flow.data)
        return [say(error)]
    return await record(ctx, tool, run, value, known)


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """The previous question of this reflection again, with the answer given: the run read
    with its answers, the question asked for the run as the step back leaves it, and the step
    back written with it, the question's move only where the step back lands."""
    run_id = flow.data.get("r")
    if not is_id(run_id):
        return None
    run, known = await _read_run(ctx, run_id, {}, flow)  # {}: no summary follows a step back
    tool = _tool(ctx, run.tool) if run else None
    if run is None or tool is None or not run.open or run.position == 0:
        return None
    earlier = replace(run, position=run.position - 1)
    step = steps(tool)[earlier.position]
    given = known.answers.get(step.key)
    lead = (
        [
            *steering.given(text.show(step.answer, given)),
            "Kies of typ een nieuw antwoord, of hetzelfde om het te houden.",
        ]
        if given is not None
        else None
    )
    # where the step back does not land, the question this event leaves waiting is not the
    # one it asked; the reply that says so has no buttons nor a question to steer
    asked = await ask(ctx, tool, earlier, lead, known, Reflecties.still_at(run))
    if not await Reflecties(ctx.db).step_back(run, ctx.now()):
        return [say("Deze vraag is al voorbij.")]
    return [asked]


async def listing(ctx: Ctx, args: str) -> list[Reply]:
    runs = [
        (run, tool)
        for run in await Reflecties(ctx.db).history(ctx.user_id, LIST_MAX)
        if (tool := _tool(ctx, run.tool)) is not None
    ]
    if not runs:
        return [say("Je hebt nog niets ingevuld. Begin met ", cmd("reflectie"), ".")]
    wanted = args.strip()
    if wanted:
        if not is_number(wanted) or not 1 <= int(wanted) <= len(runs):
            return [
                say(
                    f"Kies een nummer van 1 tot {len(runs)} uit je eigen lijst, bv. ",
                    cmd("reflecties 1"),
                    ".",
                )
            ]
        run, tool = runs[int(wanted) - 1]
        return [await offer_resume(ctx, tool, run)] if run.open else await reread(ctx, tool, run)
    parts: list[str | Span] = [b("Je reflecties"), i(" (alleen voor jou)")]
    specs: list[tuple[str, str, dict[str, Any]]] = []
    for n, (run, tool) in enumerate(runs, start=1):
        state = (
            f"ingevuld op {say_day(run.finished_at, ctx.timezone, ctx.now())}"
            if run.finished_at
            else f"nog bezig, {run.position} van {len(steps(tool))} beantwoord"
        )
        parts.append(f"\n{n}. {tool.titel} ({state})")
        specs.append((f"{n}. {tool.titel}", "reflect.open", {"r": run.id}))
    parts += ["\n\nKies er een om te herlezen, of typ ", cmd("reflecties 1"), "."]
    return [
        say(
            *parts,
            buttons=[
                await ctx.button(label, kind, payload, personal=True)
                for label, kind, payload in specs
            ],
        )
    ]


async def on_open(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    run = await Reflecties(ctx.db).get(payload.get("r"), ctx.user_id)
    tool = _tool(ctx, run.tool) if run else None
    if run is None or tool is None:
        return [say(NOT_FOUND)]
    if run.open:
        return [await offer_resume(ctx, tool, run)]
    return await reread(ctx, tool, run)


async def reflectie(ctx: Ctx, args: str) -> list[Reply]:
    async def start(dm: Ctx) -> list[Reply]:
        return [await menu(dm)]

    if ctx.is_group:
        return await privately(
            ctx,
            "reflectie",
            "Reflecteren",
            start,
            here=note("reflectie", "Reflecteren doe je privé."),
        )
    return await start(ctx)


async def reflecties(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.is_group:
        return await privately(
            ctx,
            "reflecties",
            "Je reflecties herlezen",
            lambda dm: listing(dm, ""),
            here=note("reflecties", "Je reflecties zijn privé."),
        )
    return await listing(ctx, args)


async def about(ctx: Ctx, args: str) -> list[Reply]:
    return [
        say(
            b("Over reflectie\n"),
            "Met ",
            cmd("reflectie"),
            " vul je privé een reflector of instrument in uit het "
            "werkboek ‘Eenzaam ben je niet alleen’ (Movisie/HAN) of het gesprek van waarde "
            "uit ‘In gesprek over eenzaamheid’ (Movisie). Alleen jij ziet je antwoorden; "
            "vul je iets een tweede keer in, dan zie je wat er veranderd is. ",
            cmd("reflecties"),
            " toont wat je invulde, ",
            cmd("plan"),
            " helpt je een persoonlijk plan te maken.\n\n",
            *disclaimer(),
        )
    ]


def home_read(ctx: Ctx) -> Read[list[Run]] | None:
    """Unfinished reflections on one's own start page, never on a group's."""
    return None if ctx.is_group else Reflecties.open_of(ctx.user_id)


async def home_lines(ctx: Ctx, runs: list[Run]) -> list[str | Span]:
    titles = [tool.titel for run in runs if (tool := _tool(ctx, run.tool)) is not None]
    if not titles:
        return []
    return ["Nog bezig met ", ", ".join(titles), ": verder met ", cmd("reflectie"), "."]


def export(deps: Deps, runs: list[Answered]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for run, answers in runs:
        tool = _tool(deps, run.tool)
        if tool is None:
            out.append(
                {
                    "hulpmiddel": run.tool,
                    "antwoorden": {f"{k[0]}/{k[1]}": v for k, v in answers.items()},
                }
            )
            continue
        out.append(
            {
                "hulpmiddel": tool.titel,
                "bron": tool.bron.reference(text.where(tool)),
                "status": "afgerond" if run.finished_at else "bezig",
                "begonnen": run.started_at.isoformat(),
                "afgerond": run.finished_at.isoformat() if run.finished_at else None,
                "antwoorden": [
                    {"vraag": text.label(s), "antwoord": text.show(s.answer, answers[s.key])}
                    for s in steps(tool)
                    if s.key in answers
                ],
            }
        )
    return {"reflecties": out}


async def erase(deps: Deps, user_id: int) -> None:
    await Reflecties(deps.db).erase(user_id)


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "reflectie",
            "Vul privé een reflector of instrument uit het werkboek "
            "in, vraag per vraag. Geen therapie of hulpdienst: bij nood typ je "
            "hulp nu.",
            "reflectie",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        reflectie,
    )
    router.command(
        CommandInfo(
            "reflecties",
            "Herlees wat je met reflectie invulde.",
            "reflecties",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        reflecties,
    )
    router.subcommand("hulp", "reflectie", about, in_group=Audience.QUIET)
    router.button("reflect.tool", on_tool)
    router.button("reflect.continue", on_continue)
    router.button("reflect.restart", on_restart)
    router.button("reflect.answer", on_answer)
    router.button("reflect.toggle", on_toggle)
    router.button("reflect.next", on_next)
    router.button("reflect.open", on_open)
    router.text_flow(
        FLOW,
        on_text,
        label="je reflectie",
        resume="reflectie",
        back=on_back,
        first=lambda flow: flow.data.get("p") == 0,
    )
    router.personal("reflecties", Reflecties.runs_of, export, erase, beelden.files)
    router.home(home_read, home_lines)
