"""`planning`: a conversation's weekly nudge, set by its coordinators, in the group or from a DM.

One card shows the planning in words and carries every setting as a button: weekdays that
toggle, a row of usual times (and "ander uur", typed), what to post, a pause, holidays, on and
off. Each press changes one thing, says what was understood and re-renders the same card. The
one-line syntax (`planning ma,do 12:00`, `planning pauze tot 15 januari`, ...) keeps working.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import available_timezones

from bot.core import flows, identity
from bot.core.buttons import is_id
from bot.core.clock import iso, parse_iso
from bot.core.context import Ctx, Deps
from bot.core.replies import (
    Audience,
    Button,
    Choice,
    Field,
    FieldKind,
    Form,
    Reply,
    Span,
    b,
    cmd,
    i,
    refused_fields,
    say,
)
from bot.core.router import CommandInfo, Flow, Router
from bot.core.storage import Read, Reads
from bot.text.dutch import WEEKDAYS, fold, local
from bot.text.moments import (
    example_day,
    read_date,
    read_time,
    read_weekly,
    say_date,
    say_moment,
    say_weekly,
)
from bot.text.refused import Refused
from bot.timed.deliveries import Deliveries, Last
from bot.timed.due import Occurrence, TimedWork, in_conversations
from bot.timed.schedule import HOLIDAY_COUNTRIES
from bot.tools.algemeen.store.planningen import Planning, Planningen, default_planning

HOLIDAY_WORDS = {"be": "Belgische feestdagen", "nl": "Nederlandse feestdagen"}
STATUS_WORDS = {
    "sent": "verstuurd",
    "failed": "mislukt",
    "skipped": "overgeslagen",
    "gone": "niet bezorgd: de bot is uit dit gesprek verwijderd",
    "claimed": "wordt verstuurd",
}
TARGET_FLOW = "planning.doel"
TIME_FLOW = "planning.uur"
PAUSE_FLOW = "planning.pauze"
HOME_ZONE = "Europe/Brussels"
USAGE = (
    "planning maandag,donderdag 12:00 · planning elke maandag om 9 uur · planning uit · "
    "planning pauze tot 15 januari · planning pauze uit · planning feestdagen be|nl|geen · "
    "planning tijdzone Europe/Amsterdam · planning wat vraag · planning nu"
)
SHORT_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
TIMES = (time(9, 0), time(10, 0), time(12, 0), time(12, 30), time(16, 0))
"""The usual moments offered as buttons; any other is typed after "ander uur"."""
PAUSES = (("1 week", 7), ("2 weken", 14))
"""A pause by button covers that many days from today on (1 week: through next Sunday when
pressed on a Monday); the card says the last day. "Tot na de vakantie" is not offered: school
holidays differ by region and year, so a typed date ("Pauze tot…") says it plainly."""
ON = "✓ "
FORM = "planning.formulier"
FORM_FIELDS = {
    "dagen": False,
    "uur": True,
    "wat": True,
    "feestdagen": True,
    "pauze": False,
    "aan": True,
}
"""The planning as one form (Slack's modal); the days are checked by the handler, with its
own sentence, rather than as a plain required field."""


# --- who and which group ------------------------------------------------------------------------


async def _target(ctx: Ctx) -> tuple[int, str, Shown | None] | None:
    """The conversation a `planning` command is about: here in a group, the chosen one in a DM
    (its planning read with the rule and its title)."""
    if ctx.is_group:
        return ctx.conversation_id, ctx.title or "dit gesprek", None
    flow = await flows.open_flow(ctx, TARGET_FLOW)
    if flow is None:
        return None
    conversation_id = int(flow.data["c"])
    shown = await shown_of(ctx, conversation_id)
    may, title = await identity.coordinated(ctx.db, conversation_id, ctx.user_id)
    if not may:
        return None
    return conversation_id, title or "de gekozen groep", shown


async def _plannable(ctx: Ctx, conversation_id: object) -> tuple[int, Shown] | None:
    """The group a button, a form or a question names, with its planning (from a DM read with
    the rule and its title); None where it is no group this person may plan."""
    if not is_id(conversation_id):
        return None
    shown = await shown_of(ctx, conversation_id)
    return (conversation_id, shown) if await _may_plan(ctx, conversation_id) else None


async def _may_plan(ctx: Ctx, conversation_id: int) -> bool:
    """The one coordinator rule (bot/core/identity.py), for this group or one chosen in a DM."""
    if conversation_id == ctx.conversation_id:
        return ctx.is_group and ctx.is_coordinator
    return await identity.coordinates(ctx.db, conversation_id, ctx.user_id)


def _named(ctx: Ctx, conversation_id: object) -> int:
    """The group a refusal names: the one asked for, or here for a payload that names none."""
    return conversation_id if is_id(conversation_id) else ctx.conversation_id


async def refused(ctx: Ctx, conversation_id: int) -> Reply:
    """Who may change it, by name where people were named."""
    named = await identity.named_coordinators(ctx.db, conversation_id)
    who = "de beheerders van dit gesprek en wie zij aanduiden met coordinator @naam"
    if named:
        who += " (nu: " + ", ".join(named) + ")"
    return say(
        f"Alleen coördinatoren kunnen de planning aanpassen: {who}.", audience=Audience.QUIET
    )


async def _choose(ctx: Ctx) -> Reply:
    groups = await identity.coordinated_groups(ctx.db, ctx.user_id)
    if not groups:
        return say(
            "Ik ken nog geen groep waar jij coördinator bent. Typ eerst iets aan de bot in "
            "die groep (bv. vraag), en kom dan terug met planning."
        )
    buttons = [
        await ctx.button(
            group.title or f"Groep {n}",
            "planning.choose",
            {"c": group.conversation_id},
            personal=True,
        )
        for n, group in enumerate(groups, start=1)
    ]
    return say(
        "Voor welke groep wil je de wekelijkse planning bekijken of instellen?", buttons=buttons
    )


# --- the card -----------------------------------------------------------------------------------


def fingerprint(plan: Planning) -> str:
    """What the card showed: a press from a card that no longer matches the planning is stale."""
    shown = (
        plan.weekdays,
        f"{plan.at:%H:%M}",
        plan.timezone,
        plan.content,
        plan.holidays,
        plan.paused_until,
        plan.enabled,
    )
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:10]


def today_of(ctx: Ctx, plan: Planning) -> date:
    return local(ctx.now(), plan.timezone).date()


def in_words(ctx: Ctx, plan: Planning, router: Router) -> list[str | Span]:
    """The planning as a sentence per setting."""
    kind = router.nudges.get(plan.content)
    zone = "" if plan.timezone == HOME_ZONE else f" (tijdzone {plan.timezone})"
    today = today_of(ctx, plan)
    parts: list[str | Span] = []
    if plan.enabled:
        parts.append(f"Aan: {say_weekly(plan.rule)}{zone}")
    else:
        parts.append(
            f"Er is geen wekelijkse planning actief. Ingesteld: {say_weekly(plan.rule)}{zone}"
        )
    parts += [
        f"\nWat: {kind.label if kind else plan.content}",
        "\nFeestdagen: "
        + (
            f"{HOLIDAY_WORDS[plan.holidays]} worden overgeslagen"
            if plan.holidays in HOLIDAY_WORDS
            else "niet overgeslagen"
        ),
    ]
    if plan.paused_until and plan.paused_until >= today:
        parts.append(f"\nGepauzeerd tot en met {say_date(plan.paused_until, today)}")
    if plan.enabled:
        parts.append(
            "\nVolgende keer: "
            + (
                say_moment(plan.next_at, plan.timezone, ctx.now())
                if plan.next_at
                else "geen (alles valt in een pauze of op feestdagen)"
            )
        )
    return parts


async def card(
    ctx: Ctx,
    conversation_id: int,
    title: str,
    router: Router,
    *,
    note: str = "",
    replaces: bool = False,
    with_form: bool = False,
    shown: Shown | None = None,
) -> Reply:
    """The planning in words, with its buttons for whoever may change it (and, `with_form`,
    the same settings as one form for platforms that have forms). `shown`: what a change
    read before it saved, with the plan as saved, so that the card reads nothing again."""
    shown = shown or await shown_of(ctx, conversation_id)
    plan, last = shown.plan, shown.last
    parts: list[str | Span] = []
    if note:
        parts += [b(note), "\n\n"]
    parts += [b(f"Wekelijkse planning voor {title}\n"), *in_words(ctx, plan, router)]
    if last is not None:
        word = STATUS_WORDS.get(last.status, last.status)
        extra = f" ({last.detail})" if last.detail and last.status in ("failed", "skipped") else ""
        moment = say_moment(parse_iso(last.occurrence), plan.timezone, ctx.now())
        parts.append(f"\nLaatste keer: {moment}, {word}{extra}")
    if not await _may_plan(ctx, conversation_id):
        parts += ["\n\n", i("Alleen coördinatoren passen de planning aan.")]
        return say(*parts, replaces=replaces)
    parts += [
        "\n\n",
        i("Tik om aan te passen: de dagen gaan aan of uit, de rest kies je. Typen kan ook, bv. "),
        cmd("planning elke maandag om 9 uur"),
        i("."),
    ]
    form = await planning_form(ctx, plan, title, router) if with_form else None
    return say(*parts, buttons=await card_buttons(ctx, plan, router), replaces=replaces, form=form)


async def planning_form(ctx: Ctx, plan: Planning, title: str, router: Router) -> Form:
    """Every setting of the card in one form: the days ticked, the hour, what, holidays, a pause
    and on or off, filled in as they are now."""
    today = today_of(ctx, plan)
    pause = (plan.paused_until,) if plan.paused_until and plan.paused_until >= today else ()
    token = await ctx.button("planning", FORM, {"c": plan.conversation_id}, personal=True)
    return Form(
        title="Wekelijkse planning",
        submit="Bewaren",
        token=token.action_id,
        intro=(b(f"Wekelijkse planning voor {title}"),),
        fields=(
            Field(
                "dagen",
                "Op welke dagen?",
                FieldKind.CHECKS,
                tuple(Choice(str(d), WEEKDAYS[d].capitalize()) for d in range(7)),
                tuple(str(d) for d in plan.weekdays),
            ),
            Field("uur", "Om hoe laat?", FieldKind.TIME, initial=(f"{plan.at:%H:%M}",)),
            Field(
                "wat",
                "Wat post de planning?",
                FieldKind.CHOICE,
                tuple(Choice(name, kind.label) for name, kind in router.nudges.items()),
                (plan.content,),
            ),
            Field(
                "feestdagen",
                "Feestdagen overslaan?",
                FieldKind.CHOICE,
                (
                    Choice("be", "Belgische feestdagen"),
                    Choice("nl", "Nederlandse feestdagen"),
                    Choice("geen", "Niet overslaan"),
                ),
                (plan.holidays if plan.holidays in HOLIDAY_WORDS else "geen",),
            ),
            Field(
                "pauze",
                "Pauze tot en met",
                FieldKind.DATE,
                initial=tuple(d.isoformat() for d in pause),
                required=False,
                hint="Leeg laten: geen pauze.",
            ),
            Field(
                "aan",
                "Aan of uit?",
                FieldKind.CHOICE,
                (Choice("aan", "Aan"), Choice("uit", "Uit")),
                ("aan" if plan.enabled else "uit",),
            ),
        ),
    )


def from_form(
    ctx: Ctx, plan: Planning, values: dict[str, tuple[str, ...]], router: Router
) -> Changed | Reply:
    """A filled-in form as one change, stored as the buttons and typed lines store it; what
    cannot be used is refused on its field."""
    problems: list[tuple[str, str]] = []
    days = sorted({int(v) for v in values.get("dagen", ()) if v in {str(d) for d in range(7)}})
    if not days:
        problems.append(
            ("dagen", "Kies minstens één dag. Wil je geen wekelijks bericht, kies dan Uit.")
        )
    try:
        at = read_time(values["uur"][0])
    except (Refused, IndexError, KeyError):
        problems.append(("uur", "Dat uur kan ik niet lezen. Kies een uur, bv. 12:00."))
        at = plan.at
    content = values.get("wat", ("",))[0]
    if content not in router.nudges:
        problems.append(("wat", f"Kies wat de planning post: {', '.join(router.nudges)}."))
    holidays = values.get("feestdagen", ("",))[0]
    if holidays not in (*HOLIDAY_COUNTRIES, "geen"):
        problems.append(("feestdagen", "Kies Belgische, Nederlandse of geen feestdagen."))
    until: date | None = None
    if values.get("pauze"):
        today = today_of(ctx, plan)
        try:
            until = date.fromisoformat(values["pauze"][0])
        except ValueError:
            problems.append(("pauze", "Die datum kan ik niet lezen. Kies een dag in de kalender."))
        else:
            if until < today:
                problems.append(
                    (
                        "pauze",
                        f"Die dag, {say_date(until, today)}, is al voorbij. Kies een dag vanaf "
                        "vandaag, of laat het leeg voor geen pauze.",
                    )
                )
    on = values.get("aan", ("",))[0]
    if on not in ("aan", "uit"):
        problems.append(("aan", "Kies Aan of Uit."))
    if problems:
        return refused_fields(*problems)
    plan = replace(
        plan,
        weekdays=tuple(days),
        at=at,
        content=content,
        holidays=holidays,
        paused_until=until,
        enabled=on == "aan",
    )
    said = (
        f"Bewaard: {say_weekly(plan.rule)}."
        if plan.enabled
        else f"Bewaard; de planning staat uit ({say_weekly(plan.rule)})."
    )
    return Changed(plan, said)


async def card_buttons(ctx: Ctx, plan: Planning, router: Router) -> list[Button]:
    key = fingerprint(plan)
    personal = not ctx.is_group  # from a DM: only this coordinator's presses count

    async def button(label: str, do: str, value: Any, row: str) -> Button:
        made = await ctx.button(
            label,
            "planning.set",
            {"c": plan.conversation_id, "do": do, "v": value, "k": key},
            personal=personal,
        )
        return replace(made, row=row)

    out = [
        await button((ON if d in plan.weekdays else "") + SHORT_DAYS[d], "dag", d, "dagen")
        for d in range(7)
    ]
    for at in TIMES:
        label = f"{at:%H:%M}"
        out.append(await button((ON if at == plan.at else "") + label, "uur", label, "uren"))
    out.append(await button("ander uur…", "ander_uur", None, "uren"))
    for name in router.nudges:
        out.append(
            await button(
                (ON if name == plan.content else "") + name.capitalize(), "wat", name, "wat"
            )
        )
    for label, days in PAUSES:
        out.append(await button(f"Pauze {label}", "pauze", days, "pauze"))
    out.append(await button("Pauze tot…", "pauze_tot", None, "pauze"))
    if plan.paused_until and plan.paused_until >= today_of(ctx, plan):
        out.append(await button("Pauze uit", "pauze", 0, "pauze"))
    for value, label in (
        ("be", "Feestdagen BE"),
        ("nl", "Feestdagen NL"),
        ("geen", "Geen feestdagen"),
    ):
        out.append(
            await button(
                (ON if plan.holidays == value else "") + label, "feestdagen", value, "feestdagen"
            )
        )
    out.append(
        await button("Zet uit" if plan.enabled else "Zet aan", "aan", not plan.enabled, "aan")
    )
    return out


# --- changing it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    plan: Planning
    said: str
    """What was understood, in words, to confirm."""


def _pause(ctx: Ctx, plan: Planning, until: date | None) -> Changed:
    plan = replace(plan, paused_until=until)
    if until is None:
        return Changed(plan, "De pauze is opgeheven.")
    return Changed(plan, f"Gepauzeerd tot en met {say_date(until, today_of(ctx, plan))}.")


def apply_words(ctx: Ctx, plan: Planning, words: list[str], router: Router) -> Changed | str:
    """One `planning ...` line as a change; a Dutch error text when it cannot be read."""
    head = fold(words[0])
    rest = words[1:]
    if head == "uit":
        return Changed(replace(plan, enabled=False), "De wekelijkse planning staat uit.")
    if head == "aan":
        return Changed(replace(plan, enabled=True), "De wekelijkse planning staat aan.")
    if head == "pauze":
        if rest and fold(rest[0]) == "uit":
            return _pause(ctx, plan, None)
        text = " ".join(rest[1:] if rest and fold(rest[0]) == "tot" else rest)
        try:
            return _pause(ctx, plan, read_date(text, today_of(ctx, plan)))
        except Refused as problem:
            return str(problem)
    if head == "feestdagen":
        choice = fold(rest[0]) if rest else ""
        if choice not in (*HOLIDAY_COUNTRIES, "geen"):
            return (
                "Kies planning feestdagen be, planning feestdagen nl of planning feestdagen geen."
            )
        return holidays(plan, choice)
    if head == "tijdzone":
        zone = rest[0] if rest else ""
        if zone not in available_timezones():
            return "Die tijdzone ken ik niet. Gebruik bv. Europe/Brussels of Europe/Amsterdam."
        return Changed(replace(plan, timezone=zone), f"De tijdzone is nu {zone}.")
    if head in ("wat", "inhoud"):
        kind = fold(rest[0]) if rest else ""
        if kind not in router.nudges:
            return f"Kies wat de planning post: {', '.join(router.nudges)}."
        return what(plan, kind, router)
    try:
        rule = read_weekly(" ".join(words), plan.timezone)
    except Refused:
        return (
            "Dat begrijp ik niet. Schrijf de dagen en het uur, bv. planning "
            "maandag,donderdag 12:00 of planning elke maandag om 9 uur."
        )
    plan = replace(plan, weekdays=rule.weekdays, at=rule.at, enabled=True)
    return Changed(plan, f"Begrepen: {say_weekly(plan.rule)}.")


def holidays(plan: Planning, choice: str) -> Changed:
    said = (
        f"{HOLIDAY_WORDS[choice]} worden overgeslagen."
        if choice in HOLIDAY_WORDS
        else "Feestdagen worden niet overgeslagen."
    )
    return Changed(replace(plan, holidays=choice), said)


def what(plan: Planning, kind: str, router: Router) -> Changed:
    return Changed(replace(plan, content=kind), f"De planning post nu {router.nudges[kind].label}.")


def days_toggled(plan: Planning, day: int) -> Changed | str:
    if day in plan.weekdays and len(plan.weekdays) == 1:
        return (
            "Er moet minstens één dag overblijven. Wil je helemaal geen wekelijks bericht, "
            "tik dan op Zet uit."
        )
    weekdays = tuple(sorted(set(plan.weekdays) ^ {day}))
    plan = replace(plan, weekdays=weekdays)
    verb = "erbij" if day in weekdays else "eraf"
    return Changed(
        plan, f"{WEEKDAYS[day].capitalize()} {verb}: {say_weekly(plan.rule)}{still_off(plan)}."
    )


async def save(ctx: Ctx, changed: Changed) -> Planning:
    """The plan and its conversation's zone, held back together: they travel with the card's
    buttons. The plan as saved (with its next moment) comes back for the card. What this
    process remembers of who is who is forgotten where the zone may be new to it (another
    zone than this conversation's, or a group's planning saved from a DM), once written
    (`after_writes`: a read in between would be remembered old): no trip of its own."""
    plan = changed.plan
    await identity.set_timezone(ctx.db, plan.conversation_id, plan.timezone)
    saved = await Planningen(ctx.db).save(plan, ctx.user_id, ctx.now())
    if plan.conversation_id != ctx.conversation_id or plan.timezone != ctx.timezone:
        ctx.db.after_writes(lambda: identity.forget(ctx.db))
    return saved


@dataclass(frozen=True)
class Shown:
    """What the card shows: the plan (as stored, or the default one) and its last post."""

    plan: Planning
    last: Last | None


async def shown_of(ctx: Ctx, conversation_id: int) -> Shown:
    """Read together: a change reads them before it saves, and the card shows them after. A
    group planned from elsewhere: with the rule and its title, where this event did not read
    them yet (`identity.coordinated_with`), so that a DM's change reads once before it saves."""
    reads = Reads.pair(Planningen.of(conversation_id), Deliveries.last_of("nudge", conversation_id))
    if conversation_id == ctx.conversation_id:
        stored, last = await ctx.db.read(reads)
    else:
        stored, last = await identity.coordinated_with(ctx.db, conversation_id, ctx.user_id, reads)
    return Shown(stored or default_planning(conversation_id, ctx.timezone), last)


async def title_of(ctx: Ctx, conversation_id: int) -> str:
    if conversation_id == ctx.conversation_id and ctx.is_group:
        return ctx.title or "dit gesprek"
    _, title = await identity.coordinated(ctx.db, conversation_id, ctx.user_id)  # with the rule
    return title or "de gekozen groep"


# --- timed work ---------------------------------------------------------------------------------


def timed_work(router: Router) -> TimedWork[Planning]:
    """Each weekly post goes to its conversation, rendered by the kind the team chose."""

    async def due(deps: Deps, now: datetime, limit: int) -> list[Occurrence[Planning]]:
        return await in_conversations(
            deps.db,
            [
                (
                    f"nudge:{plan.conversation_id}:{iso(plan.next_at)}",
                    plan.conversation_id,
                    plan.next_at,
                    plan.conversation_id,
                    plan,
                )
                for plan in await Planningen(deps.db).due(now, limit)
                if plan.next_at is not None
            ],
        )

    async def advance(deps: Deps, occurrence: Occurrence[Planning], skipped: str) -> bool:
        await Planningen(deps.db).advance(occurrence.item, occurrence.at)
        return True

    async def render(deps: Deps, occurrence: Occurrence[Planning]) -> Reply:
        kind = router.nudges.get(occurrence.item.content) or router.nudges["vraag"]
        return await kind.render(deps, occurrence.item.conversation_id)

    return TimedWork("nudge", due, advance, render)


def home_read(ctx: Ctx) -> Read[list[tuple[str | None, Planning]]] | None:
    """On one's own start page: when each of one's teams gets its next weekly post, and what."""
    return None if ctx.is_group else Planningen.of_member(ctx.user_id)


def home_lines(
    ctx: Ctx, router: Router, plans: list[tuple[str | None, Planning]]
) -> list[str | Span]:
    parts: list[str | Span] = []
    for title, plan in plans:
        if not plan.enabled or plan.next_at is None:
            continue
        kind = router.nudges.get(plan.content)
        what = kind.label if kind else plan.content
        parts += [
            "\n• ",
            f"{title or 'je team'}: {say_moment(plan.next_at, plan.timezone, ctx.now())}, ",
            what,
        ]
    return [b("De volgende wekelijkse post van je teams"), *parts] if parts else []


def register(router: Router) -> None:
    async def planning(ctx: Ctx, args: str) -> list[Reply]:
        words = args.split()
        target = await _target(ctx)
        if target is None:
            return [await _choose(ctx)]
        conversation_id, title, read = target
        if not words:
            return [await card(ctx, conversation_id, title, router, with_form=True, shown=read)]
        if not await _may_plan(ctx, conversation_id):
            return [await refused(ctx, conversation_id)]
        if fold(words[0]) == "nu":
            if not ctx.is_group:
                return [say("Probeer planning nu in de groep zelf: daar komt het bericht terecht.")]
            plan = await Planningen(ctx.db).get(conversation_id)
            kind = router.nudges.get(plan.content if plan else "vraag") or router.nudges["vraag"]
            return [await kind.render(ctx.deps, conversation_id)]
        if fold(words[0]) == "andere" and not ctx.is_group:
            await flows.close_kind(ctx, TARGET_FLOW)
            return [await _choose(ctx)]
        shown = read or await shown_of(ctx, conversation_id)
        changed = apply_words(ctx, shown.plan, words, router)
        if isinstance(changed, str):
            return [say(changed, "\n", i(USAGE))]
        shown = replace(shown, plan=await save(ctx, changed))
        return [await card(ctx, conversation_id, title, router, note=changed.said, shown=shown)]

    async def on_choose(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        chosen = await _plannable(ctx, payload.get("c"))
        if chosen is None:
            return [say("Die groep kan je niet plannen: je bent er geen coördinator (meer).")]
        conversation_id, shown = chosen
        await flows.start(ctx, TARGET_FLOW, "chosen", {"c": conversation_id})
        title = await title_of(ctx, conversation_id)
        reply = await card(ctx, conversation_id, title, router, with_form=True, shown=shown)
        return [
            reply,
            say(
                "Wat je hier nu met planning instelt, geldt voor deze groep. "
                "Een andere groep kiezen: planning andere."
            ),
        ]

    async def on_set(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        conversation_id, do, value = payload.get("c"), payload.get("do"), payload.get("v")
        if not is_id(conversation_id) or not isinstance(do, str):
            return [say("Deze knop werkt niet meer. Typ ", cmd("planning"), " voor de kaart.")]
        chosen = await _plannable(ctx, conversation_id)
        if chosen is None:
            return [await refused(ctx, conversation_id)]
        shown = chosen[1]
        title = await title_of(ctx, conversation_id)
        if payload.get("k") != fingerprint(shown.plan):
            return [
                await card(
                    ctx,
                    conversation_id,
                    title,
                    router,
                    replaces=True,
                    note="Deze kaart was niet meer actueel: iemand paste de planning "
                    "intussen aan. Zo staat ze nu; kies opnieuw.",
                    shown=shown,
                )
            ]
        if do in ("ander_uur", "pauze_tot"):
            return [await ask(ctx, conversation_id, do, shown.plan)]
        changed = from_button(ctx, shown.plan, do, value, router)
        if isinstance(changed, str):
            note = changed
        else:
            note, shown = changed.said, replace(shown, plan=await save(ctx, changed))
        return [
            await card(ctx, conversation_id, title, router, note=note, replaces=True, shown=shown)
        ]

    async def ask(ctx: Ctx, conversation_id: int, do: str, plan: Planning) -> Reply:
        today = today_of(ctx, plan)
        if do == "ander_uur":
            await flows.start(ctx, TIME_FLOW, "ask", {"c": conversation_id})
            return say(
                f"Op welk uur? Nu is het {say_weekly(plan.rule)}. Typ een uur (bv. 8:45, "
                "14u30 of half drie), of de dagen erbij (bv. ma en do 12u30).",
                expects_text=True,
            )
        await flows.start(ctx, PAUSE_FLOW, "ask", {"c": conversation_id})
        return say(
            f"Tot en met welke dag pauzeert de planning? Typ een datum, bv. "
            f"{example_day(today, 21)} of over 3 weken.",
            expects_text=True,
        )

    async def on_typed(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
        chosen = await _plannable(ctx, flow.data.get("c"))
        if chosen is None:
            await flows.finish(ctx, flow, "refused")
            return [await refused(ctx, _named(ctx, flow.data.get("c")))]
        conversation_id, shown = chosen
        try:
            changed = typed(ctx, shown.plan, flow.kind, text)
        except Refused as problem:
            return [say(str(problem), " Of typ stop.", expects_text=True)]
        shown = replace(shown, plan=await save(ctx, changed))
        await flows.finish(ctx, flow)
        return [
            await card(
                ctx,
                conversation_id,
                await title_of(ctx, conversation_id),
                router,
                note=changed.said,
                shown=shown,
            )
        ]

    router.timed(timed_work(router))
    router.command(
        CommandInfo(
            "planning",
            "Toon of stel de wekelijkse vraag van dit gesprek in "
            "(coördinatoren; kan ook in een privégesprek).",
            "planning maandag,donderdag 12:00",
            coordinators_only=True,
            in_group=Audience.QUIET,
        ),
        planning,
    )

    async def on_form(
        ctx: Ctx, payload: dict[str, Any], values: dict[str, tuple[str, ...]]
    ) -> list[Reply]:
        chosen = await _plannable(ctx, payload.get("c"))
        if chosen is None:
            return [await refused(ctx, _named(ctx, payload.get("c")))]
        conversation_id, shown = chosen
        changed = from_form(ctx, shown.plan, values, router)
        if isinstance(changed, Reply):
            return [changed]
        shown = replace(shown, plan=await save(ctx, changed))
        title = await title_of(ctx, conversation_id)
        made = await card(ctx, conversation_id, title, router, note=changed.said, shown=shown)
        return [replace(made, audience=Audience.QUIET)]

    async def home(ctx: Ctx, plans: list[tuple[str | None, Planning]]) -> list[str | Span]:
        return home_lines(ctx, router, plans)

    router.form(FORM, on_form, FORM_FIELDS)
    router.home(home_read, home)
    router.button("planning.choose", on_choose)
    router.button("planning.set", on_set)
    router.text_flow(TIME_FLOW, on_typed, label="het uur van de planning", resume="planning")
    router.text_flow(PAUSE_FLOW, on_typed, label="de pauze van de planning", resume="planning")


def from_button(ctx: Ctx, plan: Planning, do: str, value: Any, router: Router) -> Changed | str:
    """A press as a change; a Dutch sentence for a value no card of ours carries (forged)."""
    if do == "dag" and isinstance(value, int) and 0 <= value < 7:
        return days_toggled(plan, value)
    if do == "uur" and isinstance(value, str) and value in {f"{t:%H:%M}" for t in TIMES}:
        plan = replace(plan, at=time.fromisoformat(value))
        return Changed(plan, f"Het uur is nu {value}: {say_weekly(plan.rule)}{still_off(plan)}.")
    if do == "wat" and value in router.nudges:
        return what(plan, str(value), router)
    if do == "pauze" and isinstance(value, int) and value in (0, *(d for _, d in PAUSES)):
        return _pause(ctx, plan, today_of(ctx, plan) + timedelta(days=value - 1) if value else None)
    if do == "feestdagen" and value in (*HOLIDAY_COUNTRIES, "geen"):
        return holidays(plan, str(value))
    if do == "aan" and isinstance(value, bool):
        if value:
            return Changed(
                replace(plan, enabled=True),
                f"De wekelijkse planning staat aan: {say_weekly(plan.rule)}.",
            )
        return Changed(replace(plan, enabled=False), "De wekelijkse planning staat uit.")
    return "Die keuze ken ik niet. Kies een knop op deze kaart."


def typed(ctx: Ctx, plan: Planning, kind: str, text: str) -> Changed:
    """What was typed after "ander uur" or "Pauze tot…"; raises Refused with the reason."""
    if kind == PAUSE_FLOW:
        return _pause(ctx, plan, read_date(text, today_of(ctx, plan)))
    try:
        at = read_time(text)
    except Refused as not_a_time:
        try:
            rule = read_weekly(text, plan.timezone)
        except Refused:
            raise not_a_time from None
        plan = replace(plan, weekdays=rule.weekdays, at=rule.at, enabled=True)
        return Changed(plan, f"Begrepen: {say_weekly(plan.rule)}.")
    plan = replace(plan, at=at)
    return Changed(plan, f"Het uur is nu {at:%H:%M}: {say_weekly(plan.rule)}{still_off(plan)}.")


def still_off(plan: Planning) -> str:
    return "" if plan.enabled else " (de planning staat nog uit: tik op Zet aan)"
