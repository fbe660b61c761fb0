"""`planning`: a conversation's weekly nudge, set by its coordinators, in the group or from a DM."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from bot.core import flows, identity
from bot.core.clock import iso, parse_iso
from bot.core.context import Ctx, Deps
from bot.core.replies import Audience, Reply, Span, b, i, say
from bot.core.router import CommandInfo, Router
from bot.text.dutch import fold, weekday_name, when
from bot.text.moments import read_date, read_weekly
from bot.text.refused import Refused
from bot.timed.deliveries import Deliveries
from bot.timed.due import Occurrence, TimedWork, in_conversation
from bot.timed.schedule import HOLIDAY_COUNTRIES
from bot.tools.algemeen.store.planningen import Planning, Planningen, default_planning

HOLIDAY_WORDS = {"be": "Belgische feestdagen", "nl": "Nederlandse feestdagen"}
STATUS_WORDS = {"sent": "verstuurd", "failed": "mislukt", "skipped": "overgeslagen",
                "gone": "niet bezorgd: de bot is uit dit gesprek verwijderd",
                "claimed": "wordt verstuurd"}
TARGET_FLOW = "planning.doel"
USAGE = ("planning maandag,donderdag 12:00 · planning uit · planning pauze tot 15-01 · "
         "planning pauze uit · planning feestdagen be|nl|geen · planning tijdzone Europe/Amsterdam"
         " · planning wat vraag · planning nu")


async def _target(ctx: Ctx) -> tuple[int, str] | None:
    """The conversation a `planning` command is about: here in a group, the chosen one in a DM."""
    if ctx.is_group:
        return ctx.conversation_id, ctx.event.place.title or "dit gesprek"
    flow = await flows.open_flow(ctx, TARGET_FLOW)
    if flow is None:
        return None
    conversation_id = int(flow.data["c"])
    if not await _may_plan(ctx, conversation_id):
        return None
    title = await identity.title(ctx.db, conversation_id)
    return conversation_id, title or "de gekozen groep"


async def _may_plan(ctx: Ctx, conversation_id: int) -> bool:
    if conversation_id == ctx.conversation_id:
        return ctx.is_coordinator
    return await identity.coordinates(ctx.db, conversation_id, ctx.user_id)


async def _choose(ctx: Ctx) -> Reply:
    groups = await identity.coordinated_groups(ctx.db, ctx.user_id)
    if not groups:
        return say("Ik ken nog geen groep waar jij coördinator bent. Typ eerst iets aan de bot in "
                   "die groep (bv. vraag), en kom dan terug met planning.")
    buttons = [await ctx.button(group.title or f"Groep {n}", "planning.choose",
                                {"c": group.conversation_id}, personal=True)
               for n, group in enumerate(groups, start=1)]
    return say("Voor welke groep wil je de wekelijkse planning bekijken of instellen?",
               buttons=buttons)


async def show(ctx: Ctx, conversation_id: int, title: str, router: Router) -> Reply:
    plan = await Planningen(ctx.db).get(conversation_id)
    parts: list[str | Span] = [b(f"Wekelijkse planning voor {title}\n")]
    if plan is None or not plan.enabled:
        parts.append("Er is geen wekelijkse planning actief.")
    else:
        days = " en ".join(weekday_name(d) for d in plan.weekdays)
        kind = router.nudges.get(plan.content)
        parts += [f"Wanneer: elke {days} om {plan.at:%H:%M} ({plan.timezone})",
                  f"\nWat: {kind.label if kind else plan.content}",
                  "\nFeestdagen: " + (f"{HOLIDAY_WORDS[plan.holidays]} worden overgeslagen"
                                      if plan.holidays in HOLIDAY_WORDS else "niet overgeslagen")]
        if plan.paused_until and plan.paused_until >= ctx.now().date():
            parts.append(f"\nGepauzeerd tot en met {day_of(plan)}")
        parts.append("\nVolgende keer: " + (when(plan.next_at, plan.timezone) if plan.next_at
                                            else "geen (alles valt in een pauze of op feestdagen)"))
    last = await Deliveries(ctx.db).last("nudge", conversation_id)
    if last is not None:
        tz = plan.timezone if plan else ctx.timezone
        word = STATUS_WORDS.get(last.status, last.status)
        extra = f" ({last.detail})" if last.detail and last.status in ("failed", "skipped") else ""
        parts.append(f"\nLaatste keer: {when(parse_iso(last.occurrence), tz)}, {word}{extra}")
    parts += ["\n\n", i("Aanpassen (coördinatoren): " + USAGE)]
    return say(*parts)


def day_of(plan: Planning) -> str:
    assert plan.paused_until is not None
    return f"{plan.paused_until.day}-{plan.paused_until.month}-{plan.paused_until.year}"


async def change(ctx: Ctx, conversation_id: int, words: list[str], router: Router) -> str | None:
    """Apply one `planning ...` change; a Dutch error text when it cannot be read."""
    plans = Planningen(ctx.db)
    plan = await plans.get(conversation_id) or default_planning(conversation_id, ctx.timezone)
    head = fold(words[0])
    rest = words[1:]
    if head == "uit":
        plan = replace(plan, enabled=False)
    elif head == "pauze":
        if rest and fold(rest[0]) == "uit":
            plan = replace(plan, paused_until=None)
        else:
            text = " ".join(rest[1:] if rest and fold(rest[0]) == "tot" else rest)
            try:
                until = read_date(text, ctx.now().astimezone(ZoneInfo(plan.timezone)).date())
            except Refused as refused:
                return str(refused)
            plan = replace(plan, paused_until=until)
    elif head == "feestdagen":
        choice = fold(rest[0]) if rest else ""
        if choice not in (*HOLIDAY_COUNTRIES, "geen"):
            return "Kies planning feestdagen be, planning feestdagen nl of planning feestdagen geen."
        plan = replace(plan, holidays=choice)
    elif head == "tijdzone":
        zone = rest[0] if rest else ""
        if zone not in available_timezones():
            return "Die tijdzone ken ik niet. Gebruik bv. Europe/Brussels of Europe/Amsterdam."
        plan = replace(plan, timezone=zone)
    elif head in ("wat", "inhoud"):
        kind = fold(rest[0]) if rest else ""
        if kind not in router.nudges:
            options = ", ".join(router.nudges)
            return f"Kies wat de planning post: {options}."
        plan = replace(plan, content=kind)
    else:
        try:
            rule = read_weekly(" ".join(words), plan.timezone)
        except Refused:
            return ("Dat begrijp ik niet. Schrijf de dagen en het uur, bv. planning "
                    "maandag,donderdag 12:00 of planning elke maandag om 9 uur.")
        plan = replace(plan, weekdays=rule.weekdays, at=rule.at, enabled=True)
    async with ctx.db.transaction():
        await plans.save(plan, ctx.user_id, ctx.now())
        await identity.set_timezone(ctx.db, conversation_id, plan.timezone)
    return None


def timed_work(router: Router) -> TimedWork[Planning]:
    """Each weekly post goes to its conversation, rendered by the kind the team chose."""

    async def due(deps: Deps, now: datetime, limit: int) -> list[Occurrence[Planning]]:
        return [await in_conversation(deps.db, f"nudge:{plan.conversation_id}:{iso(plan.next_at)}",
                                      plan.conversation_id, plan.next_at, plan.conversation_id,
                                      plan)
                for plan in await Planningen(deps.db).due(now, limit) if plan.next_at is not None]

    async def advance(deps: Deps, occurrence: Occurrence[Planning], skipped: str) -> bool:
        await Planningen(deps.db).advance(occurrence.item, occurrence.at)
        return True

    async def render(deps: Deps, occurrence: Occurrence[Planning]) -> Reply:
        kind = router.nudges.get(occurrence.item.content) or router.nudges["vraag"]
        return await kind.render(deps, occurrence.item.conversation_id)

    return TimedWork("nudge", due, advance, render)


def register(router: Router) -> None:
    async def planning(ctx: Ctx, args: str) -> list[Reply]:
        words = args.split()
        target = await _target(ctx)
        if target is None:
            return [await _choose(ctx)]
        conversation_id, title = target
        if not words:
            return [await show(ctx, conversation_id, title, router)]
        may = ctx.is_coordinator if ctx.is_group else await _may_plan(ctx, conversation_id)
        if not may:
            return [say("Alleen coördinatoren kunnen de planning aanpassen: de beheerders van dit "
                        "gesprek en wie zij aanduiden met coordinator @naam.")]
        if fold(words[0]) == "nu":
            if not ctx.is_group:
                return [say("Probeer planning nu in de groep zelf: daar komt het bericht terecht.")]
            plan = await Planningen(ctx.db).get(conversation_id)
            kind = router.nudges.get(plan.content if plan else "vraag") or router.nudges["vraag"]
            return [await kind.render(ctx.deps, conversation_id)]
        if fold(words[0]) == "andere" and not ctx.is_group:
            await flows.close_kind(ctx, TARGET_FLOW)
            return [await _choose(ctx)]
        problem = await change(ctx, conversation_id, words, router)
        if problem is not None:
            return [say(problem, "\n", i(USAGE))]
        return [await show(ctx, conversation_id, title, router)]

    async def on_choose(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        conversation_id = payload.get("c")
        if not isinstance(conversation_id, int) or not await _may_plan(ctx, conversation_id):
            return [say("Die groep kan je niet plannen: je bent er geen coördinator (meer).")]
        await flows.start(ctx, TARGET_FLOW, "chosen", {"c": conversation_id})
        title = await identity.title(ctx.db, conversation_id)
        reply = await show(ctx, conversation_id, title or "de gekozen groep", router)
        return [reply, say("Wat je hier nu met planning instelt, geldt voor deze groep. "
                           "Een andere groep kiezen: planning andere.")]

    router.timed(timed_work(router))
    router.command(CommandInfo("planning", "Toon of stel de wekelijkse vraag van dit gesprek in "
                               "(coördinatoren; kan ook in een privégesprek).",
                               "planning maandag,donderdag 12:00", coordinators_only=True, in_group=Audience.QUIET),
                   planning)
    router.button("planning.choose", on_choose)
