"""`gedachte`: recognise a blocking thought, pick a helping one, and carry it as a reminder.

The card's exercise (stap 1, oefening 2) ends with "maak er een mooie reminder van voor
jezelf": once before a planned conversation, or every week. Herinneringen go through the
scheduler's reminder service; the thought itself lives in `gedachten`, only for its author.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bot.core import flows, steering
from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.privately import privately
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import CommandInfo, Flow, Router
from bot.core.storage import Reads, Statement
from bot.text import sources
from bot.text.dutch import fold
from bot.text.moments import example_day, local_today, say_moment, say_weekly
from bot.text.readers import free_text, moment, weekly
from bot.text.refused import Refused
from bot.timed.herinneringen import Herinnering, Herinneringen, dm_buttons
from bot.timed.schedule import Weekly, next_weekly
from bot.tools.algemeen.herinneringen import describe
from bot.tools.gesprek.store.gedachten import (
    OWN_MAX,
    GekozenGedachte,
    GekozenGedachten,
    text_of,
)
from content.schemas.gedachten import Gedachtenlijst

CHOOSE = "gedachte"
WHEN = "gedachte.moment"
REMINDER = "gedachte"
MONDAY, NINE = (0,), time(9, 0)
"""The issue's example of a recurring reminder: every Monday at 9:00."""

GONE = "Deze gedachte bestaat niet meer. Typ gedachte voor je lijst."

BLOCKING_LIST, BLOCKING_OWN = "ask_kies_belemmerend", "ask_belemmerend"
HELPING_LIST, HELPING_OWN = "ask_kies_helpend", "ask_helpend"
"""The steps of choosing, in order. The lists wait too, so "terug" and "stop" work there; the
older names ("belemmerend", "helpend") are read for flows started before they waited."""
BLOCKING_STEPS = (BLOCKING_LIST, BLOCKING_OWN, "belemmerend")
HELPING_STEPS = (HELPING_LIST, HELPING_OWN, "helpend")
MODES = {
    "eenmalig": "Eén keer, voor een gesprek",
    "maandag": "Elke maandag om 9:00",
    "wekelijks": "Elke week, zelf kiezen",
    "geen": "Geen herinnering",
}


async def gedachte(ctx: Ctx, args: str) -> list[Reply]:
    if ctx.is_group:
        return await privately(
            ctx, "gedachte", "Een helpende gedachte kiezen", lambda dm: start(dm, args)
        )
    return await start(ctx, args)


async def start(ctx: Ctx, args: str) -> list[Reply]:
    """The list of thoughts and their reminders, read together; a first thought to choose
    where there is none (or `gedachte nieuw`)."""
    thoughts, reminders = await ctx.db.together(
        GekozenGedachten.active_of(ctx.user_id), Herinneringen.active_of(ctx.user_id)
    )
    if fold(args) in ("nieuw", "kies") or not thoughts:
        return [await choose_blocking(ctx)]
    return [await listing(ctx, thoughts, _by_thought(reminders))]


def _list_text(lijst: Gedachtenlijst, ctx: Ctx) -> list[str | Span]:
    parts: list[str | Span] = [b(f"{lijst.titel}\n"), lijst.instructie, "\n"]
    for n, thought in enumerate(lijst.gedachten, start=1):
        parts += [f"\n{n}. ", thought.tekst]
    return parts + ["\n\n", i(sources.gedachten(ctx.content))]


async def _list_buttons(ctx: Ctx, lijst: Gedachtenlijst, kind: str, flow_id: int) -> list[Button]:
    out = [
        await ctx.button(
            sources.short(f"{n}. {g.tekst}"), kind, {"f": flow_id, "k": g.id}, personal=True
        )
        for n, g in enumerate(lijst.gedachten, start=1)
    ]
    out.append(
        await ctx.button(
            "Zelf een gedachte schrijven", kind, {"f": flow_id, "eigen": True}, personal=True
        )
    )
    return out


async def choose_blocking(ctx: Ctx) -> Reply:
    flow = await flows.start(ctx, CHOOSE, BLOCKING_LIST, {})
    return await blocking_list(ctx, flow)


async def blocking_list(ctx: Ctx, flow: Flow, given: GekozenGedachte | None = None) -> Reply:
    """The list of blocking thoughts; after "terug", with the one chosen before and a button
    to keep it."""
    lijst = ctx.content.gedachten.belemmerend
    row = await _list_buttons(ctx, lijst, "gedachte.belemmerend", flow.id)
    if given is None:
        return say(*_list_text(lijst, ctx), buttons=row)
    chosen = given.belemmerend(ctx.content.gedachten)
    keep = await ctx.button(
        sources.short(f"Houden: {chosen}"),
        "gedachte.belemmerend",
        {"f": flow.id, "houden": True},
        personal=True,
    )
    return say(
        *steering.given(chosen),
        "Kies opnieuw, of houd ze.\n\n",
        *_list_text(lijst, ctx),
        buttons=[keep, *row],
    )


async def choose_helping(ctx: Ctx, flow_id: int, blocking: str) -> Reply:
    lijst = ctx.content.gedachten.helpend
    row = await _list_buttons(ctx, lijst, "gedachte.helpend", flow_id)
    return say(
        "Je herkent: ",
        i(blocking),
        "\n\n",
        *_list_text(lijst, ctx),
        buttons=row,
    )


def _card_id(ctx: Ctx, payload: dict[str, Any], prefix: str) -> str | None:
    wanted = payload.get("k")
    ids = {g.id for g in ctx.content.gedachten.alle() if g.id.startswith(prefix)}
    return wanted if wanted in ids else None


async def _chosen_flow(
    ctx: Ctx, payload: dict[str, Any], steps: tuple[str, ...], done: str
) -> Flow | Reply:
    found = await flows.find(ctx, payload.get("f"), CHOOSE)
    if found is None:
        return say(
            "Deze knop werkt niet meer. Typ ", cmd("gedachte nieuw"), " om opnieuw te kiezen."
        )
    if found.flow.step not in steps:
        return say(done, " Typ ", cmd("gedachte"), " voor je lijst.")
    if found.status not in ("open", "dropped"):
        return say("Deze keuze is gestopt. Typ ", cmd("gedachte nieuw"), " om opnieuw te kiezen.")
    if found.status == "dropped" and not await flows.reopen(ctx, found.flow):
        return say(done, " Typ ", cmd("gedachte"), " voor je lijst.")
    return found.flow


async def on_blocking(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    flow = await _chosen_flow(
        ctx, payload, BLOCKING_STEPS, "Je belemmerende gedachte is al gekozen."
    )
    if isinstance(flow, Reply):
        return [flow]
    if payload.get("houden"):
        kept = await GekozenGedachten(ctx.db).get(ctx.user_id, flow.data.get("g"))
        if kept is None or kept.status != "concept":
            return [say("Deze knop werkt niet meer. Typ gedachte nieuw om opnieuw te kiezen.")]
        return [await save_blocking(ctx, flow, kept.belemmerend_id, kept.belemmerend_eigen)]
    if payload.get("eigen"):
        if await flows.move(ctx, flow, BLOCKING_OWN) is None:
            return [say("Je belemmerende gedachte is al gekozen.")]
        return [
            say(
                "Typ de belemmerende gedachte die je bij jezelf herkent, in één zin "
                f"(hoogstens {OWN_MAX} tekens).",
                expects_text=True,
            )
        ]
    card_id = _card_id(ctx, payload, "b")
    if card_id is None:
        return [say("Deze knop werkt niet meer. Typ gedachte nieuw om opnieuw te kiezen.")]
    return [await save_blocking(ctx, flow, card_id, None)]


async def save_blocking(ctx: Ctx, flow: Flow, card_id: str | None, own: str | None) -> Reply:
    """A new thought, or the one being chosen when the person came back to this list. No
    transaction: the choice (a new thought with an id the process made) is written only while
    the list still waits (`flows.still_at`), and the helping list is made first, so that its
    buttons go with the move: one statement."""
    thoughts = GekozenGedachten(ctx.db)
    now, only = iso(ctx.now()), flows.still_at(flow)
    thought_id = flow.data.get("g")
    if is_id(thought_id):
        await thoughts.choose("belemmerend", ctx.user_id, thought_id, (card_id, own), now, only)
    else:
        thought_id = await thoughts.start(ctx.user_id, card_id, own, now, only)
    asked = flows.moved(flow, HELPING_LIST, {"g": thought_id})
    reply = await choose_helping(ctx, asked.id, text_of(ctx.content.gedachten, card_id, own))
    if await flows.move(ctx, flow, asked.step, asked.data) is None:
        if not is_id(flow.data.get("g")):  # chosen twice at once: the other one counts
            await thoughts.delete(ctx.user_id, thought_id)
        return say("Je belemmerende gedachte is al gekozen.")
    return reply


async def on_helping(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    flow = await _chosen_flow(ctx, payload, HELPING_STEPS, "Je helpende gedachte is al bewaard.")
    if isinstance(flow, Reply):
        return [flow]
    if payload.get("eigen"):
        if await flows.move(ctx, flow, HELPING_OWN) is None:
            return [say("Je helpende gedachte is al bewaard.")]
        return [
            say(
                "Typ de helpende gedachte die jou helpt om echt contact te maken, in één zin "
                f"(hoogstens {OWN_MAX} tekens).",
                expects_text=True,
            )
        ]
    card_id = _card_id(ctx, payload, "h")
    if card_id is None:
        return [say("Deze knop werkt niet meer. Typ gedachte nieuw om opnieuw te kiezen.")]
    return [await save_helping(ctx, flow, card_id, None)]


async def save_helping(ctx: Ctx, flow: Flow, card_id: str | None, own: str | None) -> Reply:
    """Written with the flow's end, in its statement, only while the list still waits; the
    choice of a reminder is made first, so that its buttons go along."""
    thought_id = flow.data.get("g")
    done = say("Je helpende gedachte is al bewaard. Typ ", cmd("gedachte"), " voor je lijst.")
    if not is_id(thought_id):
        return done
    await GekozenGedachten(ctx.db).choose(
        "helpend", ctx.user_id, thought_id, (card_id, own), iso(ctx.now()), flows.still_at(flow)
    )
    helping = text_of(ctx.content.gedachten, card_id, own)
    reply = await reminder_choice(ctx, thought_id, helping, heading=True)
    if await flows.move(ctx, flow, "bewaard", status="done") is None:
        return done
    return reply


async def on_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    if flow.step in (BLOCKING_LIST, HELPING_LIST):
        return [await typed_choice(ctx, flow, text)]
    try:
        own = free_text(text, OWN_MAX)
    except Refused as refused:
        return [say(str(refused), expects_text=True)]
    if flow.step == BLOCKING_OWN:
        return [await save_blocking(ctx, flow, None, own)]
    return [await save_helping(ctx, flow, None, own)]


async def typed_choice(ctx: Ctx, flow: Flow, text: str) -> Reply:
    """A number typed where the list waits picks that thought, as its button would."""
    blocking = flow.step == BLOCKING_LIST
    lijst = ctx.content.gedachten.belemmerend if blocking else ctx.content.gedachten.helpend
    number = text.strip().rstrip(".")
    if number.isdecimal() and 1 <= int(number) <= len(lijst.gedachten):
        card_id = lijst.gedachten[int(number) - 1].id
        if blocking:
            return await save_blocking(ctx, flow, card_id, None)
        return await save_helping(ctx, flow, card_id, None)
    return say(
        f"Kies een gedachte met een knop, of typ haar nummer (1 tot en met {len(lijst.gedachten)}). "
        "Een eigen gedachte schrijf je met de knop ‘Zelf een gedachte schrijven’.",
        expects_text=True,
    )


async def on_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """One step back in choosing: from typing your own to the list, from the helping list to
    the blocking one (with the thought chosen there)."""
    # the thought is read and the list made first, so that its buttons go with the move
    gone = [say("Deze vraag is al voorbij.")]
    if flow.step in (BLOCKING_OWN, HELPING_LIST, "helpend"):
        given = await GekozenGedachten(ctx.db).get(ctx.user_id, flow.data.get("g"))
        reply = await blocking_list(ctx, flows.moved(flow, BLOCKING_LIST), given)
        return gone if await flows.move(ctx, flow, BLOCKING_LIST) is None else [reply]
    if flow.step == HELPING_OWN:
        thought = await GekozenGedachten(ctx.db).get(ctx.user_id, flow.data.get("g"))
        if thought is None:
            return gone
        reply = await choose_helping(ctx, flow.id, thought.belemmerend(ctx.content.gedachten))
        return gone if await flows.move(ctx, flow, HELPING_LIST) is None else [reply]
    return None


async def on_moment_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """From the moment of the reminder back to the choice of how to be reminded. The choice
    is made first, so that its buttons go with the move."""
    gone = [say("Deze vraag is al voorbij.")]
    thought = await _own_thought(ctx, flow.data)
    if thought is None:
        return gone
    chosen = MODES.get(flow.step.removeprefix("ask_"), "")
    lead: list[str | Span] = [*steering.given(chosen), "Kies opnieuw.\n\n"]
    helping = thought.helpend(ctx.content.gedachten)
    reply = await reminder_choice(ctx, thought.id, helping, lead=lead)
    if await flows.move(ctx, flow, "terug", status="closed") is None:
        return gone
    return [reply]


# --- the reminder --------------------------------------------------------------------------


async def reminder_choice(
    ctx: Ctx,
    thought_id: int,
    helping: str,
    heading: bool = False,
    lead: list[str | Span] | None = None,
) -> Reply:
    parts: list[str | Span] = list(lead or [])
    if heading:
        parts += [
            b("Je helpende gedachte is bewaard\n"),
            i(helping),
            "\n\n",
            f"“{ctx.content.gedachten.reminder}”\n",
            i(sources.gedachten(ctx.content)),
            "\n\n",
        ]
    else:
        parts += [i(helping), "\n\n"]
    parts.append(
        "Hoe wil je eraan herinnerd worden? Eén keer, bv. vlak voor een gepland "
        "gesprek, of elke week."
    )
    row = [
        await ctx.button(label, "gedachte.wanneer", {"g": thought_id, "m": mode}, personal=True)
        for mode, label in MODES.items()
    ]
    return say(*parts, buttons=row)


async def _own_thought(ctx: Ctx, payload: dict[str, Any]) -> GekozenGedachte | None:
    thought = await GekozenGedachten(ctx.db).get(ctx.user_id, payload.get("g"))
    return thought if thought is not None and thought.status == "actief" else None


async def _with_reminders(
    ctx: Ctx, payload: dict[str, Any]
) -> tuple[GekozenGedachte | None, list[Herinnering]]:
    """`_own_thought` read with the person's reminders, for a change of its reminder: one
    trip, and the change is held back without a transaction (one statement)."""
    thought, reminders = await ctx.db.together(
        GekozenGedachten.one_of(ctx.user_id, payload.get("g")),
        Herinneringen.active_of(ctx.user_id),
    )
    return (thought if thought is not None and thought.status == "actief" else None), reminders


async def on_when(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    mode = payload.get("m")
    # only stopping says whether one ran: it reads the reminders with the thought
    reminders: list[Herinnering] = []
    if mode == "geen":
        thought, reminders = await _with_reminders(ctx, payload)
    else:
        thought = await _own_thought(ctx, payload)
    if thought is None:
        return [say(GONE)]
    if mode == "geen":
        stopped = await Herinneringen(ctx.db).cancel_among(reminders, REMINDER, "g", thought.id)
        extra = " De herinnering die liep, is gestopt." if stopped else ""
        return [
            say(
                f"Bewaard zonder herinnering.{extra} Je vindt je helpende gedachten terug met ",
                cmd("gedachte"),
                ".",
            )
        ]
    if mode == "maandag":
        rule = Weekly(MONDAY, NINE, ctx.timezone)
        due = next_weekly(rule, ctx.now())
        assert due is not None
        # no question guards a press: of two presses at once (on two processes) the thought's
        # count of changes lets one write its reminder
        store = GekozenGedachten(ctx.db)
        reply = await set_reminder(ctx, thought, due, rule, store.unchanged(thought))
        if not await store.reminder_changed(thought):
            return [
                say(
                    "Je herinnering is intussen al gewijzigd, of de gedachte bestaat niet meer. "
                    "Typ ",
                    cmd("gedachte"),
                    " voor je lijst.",
                )
            ]
        return [reply]
    if mode == "eenmalig":
        await flows.start(ctx, WHEN, "ask_eenmalig", {"g": thought.id})
        return [
            say(
                "Wanneer wil je eraan herinnerd worden? Typ een datum en een uur, bv. ",
                b("morgen 9:00"),
                " of ",
                b(f"{example_day(local_today(ctx.now(), ctx.timezone), 3)} 14:30"),
                ".",
                expects_text=True,
            )
        ]
    if mode == "wekelijks":
        await flows.start(ctx, WHEN, "ask_wekelijks", {"g": thought.id})
        return [
            say(
                "Op welke dag(en) en hoe laat? Bv. ",
                b("maandag 9:00"),
                " of ",
                b("ma,do 8u30"),
                ".",
                expects_text=True,
            )
        ]
    return [say(GONE)]


async def on_moment(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    thought = await _own_thought(ctx, flow.data)
    if thought is None:
        await flows.finish(ctx, flow, "closed")
        return [say(GONE)]
    try:
        if flow.step == "ask_eenmalig":
            due, rule = moment(text, ctx.now(), ctx.timezone), None
        else:
            rule = weekly(text, ctx.timezone)
            found = next_weekly(rule, ctx.now())
            assert found is not None
            due = found
    except Refused as refused:
        return [say(str(refused), expects_text=True)]
    # written only while the question still waits, in the statement of its end
    reply = await set_reminder(ctx, thought, due, rule, flows.still_at(flow))
    if await flows.move(ctx, flow, "bewaard", status="done") is None:
        return [say("Die herinnering is al ingesteld. Typ ", cmd("gedachte"), " voor je lijst.")]
    return [reply]


async def set_reminder(
    ctx: Ctx,
    thought: GekozenGedachte,
    due: datetime,
    rule: Weekly | None,
    only: Statement | None = None,
) -> Reply:
    """One reminder per thought: the earlier ones (by their payload, unread) are stopped in the
    statement that writes the new one (no transaction); `only`: a condition both wait on
    (`flows.still_at`, `GekozenGedachten.unchanged`)."""
    store = Herinneringen(ctx.db)
    await store.cancel_where(ctx.user_id, REMINDER, "g", thought.id, only)
    await store.create(
        ctx.user_id,
        ctx.conversation_id,
        REMINDER,
        f"Helpende gedachte: {thought.helpend(ctx.content.gedachten)}",
        due,
        ctx.now(),
        recurrence=rule,
        timezone=ctx.timezone,
        payload={"g": thought.id},
        only=only,
    )
    if rule is None:
        said = f"op {say_moment(due, ctx.timezone, ctx.now())}"
    else:
        days = describe_rule(rule)
        said = f"{days}; de eerste keer op {say_moment(due, ctx.timezone, ctx.now())}"
    return say(
        "⏰ Ik herinner je aan je helpende gedachte ",
        b(said),
        ".\nWijzigen of stoppen kan met ",
        cmd("gedachte"),
        ".",
    )


def describe_rule(rule: Weekly) -> str:
    return say_weekly(rule)


def describe_reminder(reminder: Herinnering | None, now: datetime) -> str:
    if reminder is None:
        return "geen herinnering"
    if reminder.recurrence is None:
        return f"eenmalig op {say_moment(reminder.due_at, reminder.timezone, now)}"
    return describe(reminder)


# --- the list ------------------------------------------------------------------------------


def _by_thought(reminders: list[Herinnering]) -> dict[int, Herinnering]:
    return {
        r.payload["g"]: r
        for r in reminders
        if r.kind == REMINDER and isinstance(r.payload.get("g"), int)
    }


async def listing(
    ctx: Ctx, thoughts: list[GekozenGedachte], reminders: dict[int, Herinnering]
) -> Reply:
    parts: list[str | Span] = [b(f"Je helpende gedachten ({len(thoughts)})")]
    row: list[Button] = []
    for n, thought in enumerate(thoughts, start=1):
        reminder = reminders.get(thought.id)
        parts += [
            f"\n\n{n}. ",
            i(thought.helpend(ctx.content.gedachten)),
            "\n    bij: ",
            thought.belemmerend(ctx.content.gedachten),
            f"\n    herinnering: {describe_reminder(reminder, ctx.now())}",
        ]
        g = {"g": thought.id}
        row.append(
            await ctx.button(f"{n}: herinnering wijzigen", "gedachte.wijzig", g, personal=True)
        )
        if reminder is not None:
            row.append(
                await ctx.button(f"{n}: herinnering stoppen", "gedachte.stop", g, personal=True)
            )
        row.append(await ctx.button(f"{n}: verwijderen", "gedachte.weg", g, personal=True))
    row.append(await ctx.button("Nieuwe gedachte kiezen", "gedachte.nieuw", personal=True))
    parts += ["\n\n", i(sources.gedachten(ctx.content))]
    return say(*parts, buttons=row)


async def on_change(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    thought = await _own_thought(ctx, payload)
    if thought is None:
        return [say(GONE)]
    return [await reminder_choice(ctx, thought.id, thought.helpend(ctx.content.gedachten))]


async def on_stop(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    thought, reminders = await _with_reminders(ctx, payload)
    if thought is None:
        return [say(GONE)]
    stopped = await Herinneringen(ctx.db).cancel_among(reminders, REMINDER, "g", thought.id)
    if not stopped:
        return [say("Voor deze gedachte loopt geen herinnering meer.")]
    return [
        say(
            "De herinnering is gestopt. Je helpende gedachte blijft bewaard: ",
            i(thought.helpend(ctx.content.gedachten)),
        )
    ]


async def on_delete(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    thought = await _own_thought(ctx, payload)
    if thought is None:
        return [say(GONE)]
    # its reminders by their payload, unread, in the statement that deletes it
    await Herinneringen(ctx.db).cancel_where(ctx.user_id, REMINDER, "g", thought.id)
    await GekozenGedachten(ctx.db).delete(ctx.user_id, thought.id)
    return [say("De gedachte en haar herinnering zijn verwijderd.")]


async def on_new(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    return [await choose_blocking(ctx)]


# --- what the scheduler sends --------------------------------------------------------------


async def render(deps: Deps, reminder: Herinnering) -> Reply:
    """The helping thought with a tip of step 1; a thought deleted since gets a plain note
    and its reminder is stopped."""
    thought = await GekozenGedachten(deps.db).get(reminder.user_id, reminder.payload.get("g"))
    if thought is None or thought.status != "actief":
        await Herinneringen(deps.db).set_status(reminder.id, "cancelled")
        return say(
            "Deze herinnering hoorde bij een helpende gedachte die niet meer bestaat; ik "
            "stuur ze niet meer. Een nieuwe kiezen kan met ",
            cmd("gedachte nieuw"),
            ".",
        )
    stap = deps.content.gesprek.kaart.stap(1)
    tip = stap.tips[reminder.due_at.isocalendar().week % len(stap.tips)].tekst
    row = await dm_buttons(
        deps,
        reminder,
        [
            ("Herinnering wijzigen", "gedachte.wijzig", {"g": thought.id}),
            ("Stop deze herinnering", "gedachte.stop", {"g": thought.id}),
        ],
    )
    return say(
        b("💡 Je helpende gedachte\n"),
        i(thought.helpend(deps.content.gedachten)),
        "\n\n",
        b(f"Tip bij stap 1, {stap.titel}: "),
        tip,
        "\n\n",
        i(sources.kaart(deps.content)),
        buttons=row,
    )


# --- the user's own data -------------------------------------------------------------------


def personal_read(user_id: int) -> Reads[tuple[list[GekozenGedachte], list[Herinnering]]]:
    """A person's thoughts with their active reminders."""
    return Reads.pair(GekozenGedachten.all_of(user_id), Herinneringen.active_of(user_id))


def export(deps: Deps, found: tuple[list[GekozenGedachte], list[Herinnering]]) -> dict[str, Any]:
    thoughts, active = found
    reminders = _by_thought(active)
    return {
        "gedachten": [
            {
                **t.as_export(deps.content.gedachten),
                "herinnering": describe_reminder(reminders.get(t.id), deps.clock.now()),
            }
            for t in thoughts
        ]
    }


async def erase(deps: Deps, user_id: int) -> None:
    """The person's thoughts; their reminders go with the herinneringen part's erase."""
    await GekozenGedachten(deps.db).erase(user_id)


def register(router: Router) -> None:
    router.command(
        CommandInfo(
            "gedachte",
            "Kies een helpende gedachte voor een gesprek over "
            "eenzaamheid en laat je eraan herinneren (privé).",
            "gedachte",
            group_menu=False,
            in_group=Audience.QUIET,
        ),
        gedachte,
    )
    router.button("gedachte.belemmerend", on_blocking)
    router.button("gedachte.helpend", on_helping)
    router.button("gedachte.wanneer", on_when)
    router.button("gedachte.wijzig", on_change)
    router.button("gedachte.stop", on_stop)
    router.button("gedachte.weg", on_delete)
    router.button("gedachte.nieuw", on_new)
    router.text_flow(
        CHOOSE,
        on_text,
        label="je gedachte",
        resume="gedachte nieuw",
        back=on_back,
        first=lambda flow: flow.step in (BLOCKING_LIST, "belemmerend"),
        answers_once=True,
    )
    router.text_flow(
        WHEN,
        on_moment,
        label="de herinnering voor je gedachte",
        resume="gedachte",
        back=on_moment_back,
        answers_once=True,
    )
    router.reminder(REMINDER, render)
    router.personal("gedachten", personal_read, export, erase)
