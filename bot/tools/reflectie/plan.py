"""`plan`: the workbook's persoonlijk plan (§9.2) for oneself, in a DM.

A goal in one's own words, the first steps, who can help, and a day to look back, which comes
back as a reminder through the reminder service. Each answer is saved as it comes; `plan`
again continues a draft.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import flows, steering
from bot.core.context import Ctx, Deps
from bot.core.privately import note, privately
from bot.core.replies import Audience, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Flow, Router
from bot.text.achtergrond import tekst_parts
from bot.text.dutch import local
from bot.text.markdown import clean
from bot.text.moments import example_day, local_today, read_date, say_date, say_day
from bot.text.refused import Refused
from bot.timed.herinneringen import Herinnering, Herinneringen
from bot.tools.algemeen.herinneringen import reminder_buttons
from bot.tools.reflectie.store.persoonlijke_plannen import (
    FIELDS,
    PersoonlijkePlannen,
    PersoonlijkPlan,
)
from bot.tools.reflectie.text import ANSWER_MAX, clip
from content.schemas.reflectoren import Reflector

log = logging.getLogger(__name__)

FLOW = "plan"
TOOL = "persoonlijk-plan"
LOOK_BACK_AT = time(10, 0)
SHOWN_PLANS = 3

QUESTIONS = {
    "goal": "Wat wil je bereiken? Schrijf je doel in je eigen woorden.",
    "steps": "Wat zijn je eerste stappen? Hoe zou je kunnen beginnen?",
    "helpers": "Wie kan je daarbij helpen?",
    "look_back": "Wanneer wil je terugkijken op je plan? Schrijf een datum, bv. {voorbeeld} "
    "of volgende maandag. Die dag om 10:00 stuur ik je een herinnering.",
}


def question(ctx: Ctx, field: str) -> str:
    """The question for a field; an example date lies ahead of today."""
    return QUESTIONS[field].format(voorbeeld=example_day(local_today(ctx.now(), ctx.timezone), 28))


def _tool(ctx: Ctx | Deps) -> Reflector:
    return ctx.content.reflectoren.get(TOOL)


def _quote(text: str) -> Span:
    return i(f"“{text}”")


def _source(tool: Reflector) -> Span:
    return i(f" ({tool.bron.reference('§' + tool.paragraaf)})")


def intro(ctx: Ctx) -> list[str | Span]:
    tool = _tool(ctx)
    small = next((item.toelichting for item in tool.items if item.id == "beginnen"), None)
    parts: list[str | Span] = [b("Je persoonlijk plan\n"), _quote(tool.waarschuwingen[0])]
    if small:
        parts += [" ", _quote(small)]
    return parts + [_source(tool), "\n\nJe antwoorden worden meteen bewaard en alleen jij ziet ze."]


async def ask(
    ctx: Ctx,
    plan: PersoonlijkPlan,
    lead: list[str | Span] | None = None,
    field: str | None = None,
    asking: Flow | None = None,
    new: bool = False,
) -> Reply:
    """The plan's next question (or `field`); `asking`: the plan's open question, when the
    event has it already (a typed answer, a step back), so it is moved on without reading it; `new`: a
    new plan's first question, whose flow replaces any other (`flows.start`), unread."""
    field = field or plan.next_field or "look_back"
    data = {"p": plan.id}
    flow = asking or (None if new else await flows.open_flow(ctx, FLOW))
    if flow is None:
        await flows.start(ctx, FLOW, f"ask-{field}", data)
    else:
        await flows.advance(ctx, flow, f"ask-{field}", data)
    parts = [*(lead or []), *(["\n\n"] if lead else []), question(ctx, field)]
    return say(*parts, expects_text=True)


def show(ctx: Ctx | Deps, plan: PersoonlijkPlan, timezone: str) -> list[str | Span]:
    parts: list[str | Span] = [
        b("Doel: "),
        plan.goal or "",
        "\n",
        b("Eerste stappen: "),
        plan.steps or "",
        "\n",
        b("Wie kan helpen: "),
        plan.helpers or "",
    ]
    if plan.look_back:
        moment = datetime.combine(plan.look_back, LOOK_BACK_AT, ZoneInfo(timezone))
        parts += ["\n", b("Terugkijken op: "), say_day(moment, timezone, ctx.clock.now())]
    return parts


async def _finish(ctx: Ctx, flow: Flow, plan: PersoonlijkPlan, typed: str) -> list[Reply]:
    today = local(ctx.now(), ctx.timezone).date()
    try:
        wanted = read_date(typed, today, today_ok=False)
    except Refused as refused:
        return [say(str(refused), " Wat je eerder antwoordde, blijft bewaard.", expects_text=True)]
    due = datetime.combine(wanted, LOOK_BACK_AT, ZoneInfo(ctx.timezone))
    # no transaction: the reminder is written only while the plan is still a draft, with the
    # question's end, in the statement that completes the plan
    plans = PersoonlijkePlannen(ctx.db)
    reminder_id = await Herinneringen(ctx.db).create(
        ctx.user_id,
        ctx.conversation_id,
        "plan",
        f"Terugkijken op je plan: {clip(plan.goal or '', 100)}",
        due,
        ctx.now(),
        timezone=ctx.timezone,
        payload={"plan": plan.id},
        only=plans.still_draft(plan),
    )
    await flows.finish(ctx, flow)
    if not await plans.complete(plan, wanted, reminder_id, ctx.now()):
        raise _Gone
    log.info("personal plan done: plan=%d reminder=%d", plan.id, reminder_id)
    done = replace(plan, look_back=wanted, reminder_id=reminder_id, status="done")
    tool = _tool(ctx)
    look_back = say_date(wanted, today)
    return [
        say(
            b("Je persoonlijk plan staat klaar\n"),
            *show(ctx, done, ctx.timezone),
            "\n\n",
            "💡 Een tip uit het werkboek: ",
            _quote(tool.waarschuwingen[1]),
            _source(tool),
            "\nLoopt iets anders dan gepland? Dat mag: bij het terugkijken stel je je plan "
            "gewoon bij.\n\n",
            b(f"📅 Op {look_back} kijk je terug op je plan."),
            f" Die dag om {LOOK_BACK_AT:%H:%M} stuur ik je een herinnering (je ziet ze in ",
            cmd("herinneringen"),
            "); je plannen herlees je met ",
            cmd("plan"),
            ".\n\n",
            "Een plan maken is al een mooie eerste stap. Veel succes! 🌱",
        )
    ]


class _Gone(Exception):
    """The draft was finished or replaced meanwhile: nothing of this answer is kept."""


async def on_text(ctx: Ctx, flow: Flow, typed: str) -> list[Reply]:
    service = PersoonlijkePlannen(ctx.db)
    plan = await service.get(flow.data.get("p"), ctx.user_id)
    if plan is None or plan.status != "draft" or plan.next_field is None:
        await flows.finish(ctx, flow, "closed")
        return [say("Dat plan loopt niet meer. Typ ", cmd("plan"), " om verder te gaan.")]
    asked = flow.step.removeprefix("ask-")
    field = asked if asked in FIELDS[:3] and getattr(plan, asked) is not None else plan.next_field
    if field == "look_back":
        try:
            return await _finish(ctx, flow, plan, typed)
        except _Gone:
            return [say("Dat plan is intussen al afgerond. Typ ", cmd("plan"), " om het te zien.")]
    value = clean(typed)
    if not value:
        return [say("Een leeg antwoord bewaar ik niet. ", question(ctx, field))]
    if len(value) > ANSWER_MAX:
        return [
            say(
                f"Dat is te lang ({len(value)} tekens); hoogstens {ANSWER_MAX}. Dit antwoord "
                "heb ik nog niet bewaard (je eerdere antwoorden wel); kort het in."
            )
        ]
    again = field != plan.next_field
    # The next question first, for the draft as the answer leaves it: its move is held back
    # and goes with the answer's statement. An answer that does not land was mostly given
    # already, at the same moment, and that question comes next anyway.
    answered: dict[str, Any] = {field: value}
    following = await ask(ctx, replace(plan, **answered), asking=flow)
    saved = await (service.refill if again else service.fill)(plan, field, value, ctx.now())
    if not saved:
        return [say("Die vraag is al beantwoord. Typ ", cmd("plan"), " om verder te gaan.")]
    log.info("personal plan answer saved: plan=%d field=%s", plan.id, field)
    return [following]


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """The previous question of the draft again, with the answer given."""
    plan = await PersoonlijkePlannen(ctx.db).get(flow.data.get("p"), ctx.user_id)
    asked = flow.step.removeprefix("ask-")
    if plan is None or asked not in FIELDS or FIELDS.index(asked) == 0:
        return None
    previous = FIELDS[FIELDS.index(asked) - 1]
    given = getattr(plan, previous)
    lead: list[str | Span] = (
        [*steering.given(str(given)), "Typ een nieuw antwoord, of hetzelfde om het te houden."]
        if given
        else []
    )
    return [await ask(ctx, plan, lead, previous, asking=flow)]


async def overview(ctx: Ctx, plans: list[PersoonlijkPlan]) -> Reply:
    parts: list[str | Span] = [b("Je persoonlijke plannen"), i(" (alleen voor jou)")]
    for plan in plans[-SHOWN_PLANS:][::-1]:
        parts += ["\n\n", *show(ctx, plan, ctx.timezone)]
    return say(*parts, buttons=[await ctx.button("Nieuw plan maken", "plan.new", personal=True)])


async def start(ctx: Ctx, goal: str = "", replacing: bool = True) -> list[Reply]:
    """A new plan, its goal already where it came with the command; `replacing`: a draft may
    be there to give way (none was found: False). The plan, its question and its buttons are
    one statement."""
    goal = clean(goal)
    kept = goal if goal and len(goal) <= ANSWER_MAX else None
    plan = await PersoonlijkePlannen(ctx.db).start(ctx.user_id, ctx.now(), kept, replacing)
    log.info("personal plan started: plan=%d", plan.id)
    first = await ask(ctx, plan, lead=intro(ctx), new=True)
    together = await ctx.button("Samen met iemand? Vragen uit §9.2", "plan.samen", personal=True)
    return [replace(first, buttons=(*first.buttons, together))]


async def plan(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.is_group:

        async def offer(dm: Ctx) -> list[Reply]:
            return [
                say(
                    "Hier maak je je persoonlijk plan: typ ",
                    cmd("plan"),
                    " of kies de knop.",
                    buttons=[await dm.button("Begin je plan", "plan.new", personal=True)],
                )
            ]

        return await privately(
            ctx,
            "plan",
            "Een persoonlijk plan maken",
            offer,
            here=note("plan", "Een persoonlijk plan maak je privé."),
        )
    if args.strip().lower() == "nieuw":
        return await start(ctx)
    if args.strip().lower() == "vragen":
        return [questions(ctx)]
    plans = await PersoonlijkePlannen(ctx.db).of_user(ctx.user_id)
    draft = next((p for p in plans if p.status == "draft"), None)
    if draft is not None:
        return [
            await ask(
                ctx,
                draft,
                lead=[
                    "Je was bezig met een plan; we gaan verder. Opnieuw beginnen? Typ ",
                    cmd("plan nieuw"),
                    ".",
                ],
            )
        ]
    done = [p for p in plans if p.status == "done"]
    if done and not args.strip():
        return [await overview(ctx, done)]
    return await start(ctx, args, replacing=False)


async def on_open(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """From the `reflectie` menu: the same plan as `plan`."""
    return await plan(ctx, "")


async def on_together(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The workbook's §9.2 questions, for whoever makes a plan together with someone."""
    tool = _tool(ctx)
    parts: list[str | Span] = [b("Samen een plan maken\n"), _quote(tool.doel)]
    for line in tool.intro:
        parts += ["\n", _quote(line)]
    heading = None
    for item in tool.items:
        if item.kop and item.kop != heading:
            heading = item.kop
            parts += ["\n\n", b(item.kop)]
        parts += ["\n• ", _quote(item.tekst)]
        if item.toelichting:
            parts += [" ", i(item.toelichting)]
    parts += ["\n\n", _quote(tool.waarschuwingen[0]), _source(tool)]
    return [say(*parts), questions(ctx)]


def questions(ctx: Ctx) -> Reply:
    """Kennisbron 12.4, which the workbook offers as the aid for making a plan (§9.2): questions
    about action, goals, reality and options."""
    return say(*tekst_parts(ctx.content, ctx.content.achtergrond.tekst("vragen_stellen")))


async def on_new(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    if ctx.is_group:
        return [say("Een plan maak je in ons privégesprek: typ daar ", cmd("plan"), ".")]
    return await start(ctx)


async def render(deps: Deps, reminder: Herinnering) -> Reply:
    found = await PersoonlijkePlannen(deps.db).get(reminder.payload.get("plan"), reminder.user_id)
    buttons = await reminder_buttons(deps, reminder)
    if found is None:
        return say(b("⏰ Herinnering\n"), reminder.text, buttons=buttons)
    tool = _tool(deps)
    return say(
        b("⏰ Tijd om terug te kijken op je persoonlijk plan\n"),
        *show(deps, found, reminder.timezone),
        "\n\nHoe is het gegaan? Wat lukte, wat niet, en wat wil je nu? ",
        _quote(tool.waarschuwingen[1]),
        _source(tool),
        "\nEen nieuw plan maken: ",
        cmd("plan nieuw"),
        ".",
        buttons=buttons,
    )


def export(deps: Deps, plans: list[PersoonlijkPlan]) -> dict[str, Any]:
    return {
        "plannen": [
            {
                "doel": p.goal,
                "eerste stappen": p.steps,
                "wie kan helpen": p.helpers,
                "terugkijken op": p.look_back.isoformat() if p.look_back else None,
                "status": "klaar" if p.status == "done" else "bezig",
                "gemaakt op": p.created_at,
            }
            for p in plans
        ]
    }


async def erase(deps: Deps, user_id: int) -> None:
    await PersoonlijkePlannen(deps.db).erase(user_id)


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "plan",
            "Maak privé je persoonlijk plan: doel, eerste stappen, wie "
            "helpt en wanneer je terugkijkt.",
            "plan nieuw",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        plan,
    )
    router.button("plan.new", on_new)
    router.button("plan.open", on_open)
    router.button("plan.samen", on_together)
    router.text_flow(
        FLOW,
        on_text,
        label="je persoonlijk plan",
        resume="plan",
        back=on_back,
        first=lambda flow: flow.step == f"ask-{FIELDS[0]}",
    )
    router.reminder("plan", render)
    router.personal("plannen", PersoonlijkePlannen.plans_of, export, erase)
