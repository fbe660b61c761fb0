"""Adding an action: who may, storing it with its owner's reminder, and asking for it as a
form or step by step (the action, who owns it: someone of the team or outside the group, and
when), from the team's list or from a running dialoogsessie."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.core import flows, identity
from bot.core.buttons import is_id
from bot.core.context import Ctx
from bot.core.replies import (
    Button,
    Field,
    FieldKind,
    Form,
    Reply,
    Span,
    b,
    cmd,
    i,
    refused_fields,
    rich,
    say,
)
from bot.core.router import Flow
from bot.text.dutch import fold
from bot.text.markdown import clean
from bot.text.moments import say_date, say_moment
from bot.timed.herinneringen import Herinneringen
from bot.tools.intervisie.shared import coordinators_only, read_date, read_member, read_text
from bot.tools.intervisie.store.dialoogsessies import Dialoog, Dialoogsessies
from bot.tools.intervisie.store.teamacties import ACTION_MAX, Teamactie, Teamacties
from bot.tools.intervisie.teamacties.shared import (
    EDIT_RIGHTS,
    REMINDER_KIND,
    TEAM,
    owner_of,
    today,
)
from bot.tools.intervisie.teamacties.terugblik import remind_at

FLOW_NEW = "teamactie.nieuw"
FORM_NEW = "teamactie.formulier"
FORM_NEW_FIELDS = {"tekst": True, "eigenaar": False, "naam": False, "datum": True}
"""The owner is a member or a name outside the chat: the handler asks for exactly one."""
NAME_MAX = 80


@dataclass(frozen=True)
class Owner:
    """A member of the chat (`user_id`), or someone outside it named in words."""

    user_id: int | None
    name: str


def may_add(ctx: Ctx) -> Reply | None:
    """Coordinators change the list (in a running session its leercoach may add too:
    `may_add_in`)."""
    return None if ctx.is_coordinator else coordinators_only(EDIT_RIGHTS)


async def may_add_with_dms(
    ctx: Ctx, dialogue_id: int | None, user_id: int
) -> tuple[Reply | None, list[identity.Dm]]:
    """`may_add`, with the DMs of the person an action's reminder goes to (`store`'s `dms`)
    read in the same round trip."""
    if dialogue_id is None:
        refused = may_add(ctx)
        if refused is not None:
            return refused, []
        return None, await ctx.db.read(identity.dms_of(user_id))
    dialogue, dms = await ctx.db.together(
        Dialoogsessies.one_of(dialogue_id), identity.dms_of(user_id)
    )
    return may_add_in(ctx, dialogue), dms


def already_stored() -> Reply:
    """An entry whose action was stored already (a second submission, a form left open)."""
    return say(
        "Deze actie is intussen al vastgelegd of gestopt; ik bewaar ze niet nog eens. "
        "Alle acties: ",
        cmd("acties team"),
        ".",
    )


def may_add_in(ctx: Ctx, dialogue: Dialoog | None) -> Reply | None:
    """`may_add` for a session read already."""
    if dialogue is None or not dialogue.running or dialogue.conversation_id != ctx.conversation_id:
        return say(
            "Deze dialoogsessie is al afgerond; de actie is niet bewaard. Een coördinator "
            "voegt ze toe met ",
            cmd("acties team nieuw"),
            ".",
        )
    if dialogue.step != "acties":
        return say("De acties komen pas na het meenemen van de inbrenger aan bod.")
    if not (ctx.is_coordinator or ctx.user_id == dialogue.leercoach_id):
        return say(
            f"Alleen de leercoach ({dialogue.leercoach}) of een coördinator legt de acties vast."
        )
    return None


@dataclass(frozen=True)
class Stored:
    """A new action as `stored_reply` tells it."""

    action: Teamactie
    moment: datetime | None
    """When its owner's reminder comes (None: the date is too near for one)."""
    has_dm: bool
    buttons: list[Button]


def reminded(ctx: Ctx, owner: Owner) -> int:
    """Who gets an action's reminder: its owner in the chat, or for an owner outside it, the
    one who adds it (whose DM `store` needs, read with what the entry reads)."""
    return owner.user_id if owner.user_id is not None else ctx.user_id


async def store(
    ctx: Ctx,
    text: str,
    owner: Owner,
    due: date,
    dialogue_id: int | None,
    dms: list[identity.Dm],
    entry: Flow | None = None,
) -> Stored | None:
    """The action and its owner's reminder, together or not at all, in one statement and no
    transaction: the reminder and the entry's end (guarded: they land only with the action)
    and the reply's buttons travel with the action. `dms`: those of whoever is `reminded`.
    `entry`: the flow that asked for it (typed, a form, the confirmation of an owner outside
    the chat), which adds one action: None where its action was stored already. For an
    owner outside the chat the reminder goes to the coordinator who adds it."""
    title = ctx.title or TEAM
    day = say_date(due, today(ctx, ctx.timezone))
    if owner.user_id is not None:
        reminder = f"Actie voor {title}: {text} (tijdsplanning: {day})"
    else:
        reminder = (
            f"Actie van {owner.name} voor {title}: {text} (tijdsplanning: {day}). Je "
            f"krijgt deze herinnering in de plaats van {owner.name}, omdat je de actie "
            "toevoegde."
        )
    moment = remind_at(due, ctx.timezone, ctx.now())
    dm = dms[0].conversation_id if dms else None
    row: list[Button] = []

    async def with_it(action_id: int) -> None:
        landed = Teamacties.lands_with(action_id, entry.id if entry is not None else None)
        if moment is not None:
            await Herinneringen(ctx.db).create(
                reminded(ctx, owner),
                dm,
                REMINDER_KIND,
                reminder,
                moment,
                ctx.now(),
                timezone=ctx.timezone,
                payload={"actie": action_id},
                only=landed,
            )
        if entry is not None:
            await flows.finish(ctx, entry, only=landed)
        # made again for each try; those of a try that lost are never shown
        row[:] = await reply_buttons(ctx, action_id, dialogue_id)

    action = await Teamacties(ctx.db).add(
        ctx.conversation_id,
        text,
        owner.user_id,
        due,
        dialogue_id,
        ctx.user_id,
        ctx.now(),
        owner_name=owner.name if owner.user_id is None else None,
        with_it=with_it,
        flow_id=entry.id if entry is not None else None,
    )
    return None if action is None else Stored(action, moment, dm is not None, row)


async def reply_buttons(ctx: Ctx, action_id: int, dialogue_id: int | None) -> list[Button]:
    if dialogue_id is not None:
        return [
            await ctx.button("Nog een actie", "dialoog.actie", {"s": dialogue_id}),
            await ctx.button("Sessie afronden", "dialoog.afronden", {"s": dialogue_id}),
        ]
    return [await ctx.button("Checklist (stappenplan)", "stappenplan.checklist", {"a": action_id})]


def stored_reply(ctx: Ctx, stored: Stored) -> Reply:
    action, moment, has_dm = stored.action, stored.moment, stored.has_dm
    day = say_date(action.due_date, today(ctx, ctx.timezone))
    outside = " (buiten de groep)" if action.outside else ""
    parts: list[str | Span] = [
        f"📌 Actie {action.number} vastgelegd: ",
        b(action.text),
        f"\nActie-eigenaar: {owner_of(action)}{outside} · tijdsplanning: {day}",
    ]
    who = action.reminder_name if action.outside else owner_of(action)
    if moment is not None:
        on = say_moment(moment, ctx.timezone, ctx.now())
        if action.outside:
            parts.append(
                f"\n{who}, je krijgt op {on} de herinnering in een privébericht, "
                f"in de plaats van {owner_of(action)}."
            )
            if not has_dm:
                parts.append(" (Dat lukt alleen als je de bot ooit een privébericht stuurde.)")
        else:
            parts.append(f"\n{who} krijgt op {on} een herinnering in een privébericht.")
            if not has_dm:
                parts.append(f" (Dat lukt alleen als {who} de bot ooit een privébericht stuurde.)")
    return say(*parts, buttons=stored.buttons)


async def ask_new(ctx: Ctx, dialogue_id: int | None) -> Reply:
    flow = await flows.start(ctx, FLOW_NEW, "ask_tekst", {"s": dialogue_id})
    return say(
        "Welke actie spreken jullie af? Acties zijn realistisch en haalbaar, en worden "
        f"geplaatst in het hier en nu. Typ ze als antwoord (max. "
        f"{ACTION_MAX} tekens).",
        expects_text=True,
        form=await new_form(ctx, flow, dialogue_id),
    )


async def new_form(ctx: Ctx, flow: Flow, dialogue_id: int | None) -> Form:
    """The three questions of the entry as one form: the action, its owner (someone of the
    team, or a name outside the chat) and the date."""
    token = await ctx.button("actie", FORM_NEW, {"f": flow.id, "s": dialogue_id}, personal=True)
    return Form(
        title="Nieuwe teamactie",
        submit="Vastleggen",
        token=token.action_id,
        intro=rich("Acties zijn realistisch en haalbaar, en worden geplaatst in het hier en nu."),
        fields=(
            Field("tekst", "Welke actie spreken jullie af?", max_length=ACTION_MAX, multiline=True),
            Field(
                "eigenaar",
                "Actie-eigenaar uit het team",
                FieldKind.MEMBER,
                required=False,
                hint="Of vul hieronder iemand buiten de groep in.",
            ),
            Field(
                "naam",
                "Of: iemand buiten de groep",
                required=False,
                max_length=NAME_MAX,
                hint="Bv. de wijkagent of de huisarts. Dan krijg jij de herinnering in hun plaats.",
            ),
            Field("datum", "Tijdsplanning: tegen wanneer?", FieldKind.DATE),
        ),
    )


async def on_new_form(
    ctx: Ctx, payload: dict[str, Any], values: dict[str, tuple[str, ...]]
) -> list[Reply]:
    """The form filled in: stored as the step-by-step entry stores it, the entry closed. A
    form whose entry was already finished or stopped (typed meanwhile, a modal left open)
    stores nothing: it would be the same action twice."""
    found_flow = await flows.find(ctx, payload.get("f"), FLOW_NEW)
    if payload.get("f") is not None and (found_flow is None or found_flow.status != "open"):
        return [already_stored()]
    problems: list[tuple[str, str]] = []
    text = read_text(values["tekst"][0], ACTION_MAX, "actie")
    if isinstance(text, Reply):
        problems.append(("tekst", text.plain))
    member, name = values.get("eigenaar", ()), values.get("naam", ())
    owner: Owner | None = None
    if member and name:
        problems.append(("naam", "Kies iemand van het team óf vul een naam in, niet allebei."))
    elif member:
        found = await read_member(ctx, member[0])
        if isinstance(found, Reply):
            problems.append(("eigenaar", found.plain))
        else:
            owner = Owner(*found)
    elif name:
        outside = read_name(name[0])
        if isinstance(outside, Reply):
            problems.append(("naam", outside.plain))
        else:
            owner = Owner(None, outside)
    else:
        problems.append(
            ("eigenaar", "Kies wie het doet, of vul hieronder iemand buiten de groep in.")
        )
    now = today(ctx, ctx.timezone)
    try:
        due: date | None = date.fromisoformat(values["datum"][0])
    except ValueError:
        due = None
        problems.append(("datum", "Die datum kan ik niet lezen. Kies een dag in de kalender."))
    if due is not None and due < now:
        problems.append(
            ("datum", f"Die dag, {say_date(due, now)}, is al voorbij. Kies een dag vanaf vandaag.")
        )
    if problems:
        return [refused_fields(*problems)]
    assert isinstance(text, str) and owner is not None and due is not None
    dialogue_id = payload.get("s") if is_id(payload.get("s")) else None
    problem, dms = await may_add_with_dms(ctx, dialogue_id, reminded(ctx, owner))
    if problem is not None:
        return [problem]
    entry = found_flow.flow if found_flow is not None else None
    stored = await store(ctx, text, owner, due, dialogue_id, dms, entry)
    return [already_stored() if stored is None else stored_reply(ctx, stored)]


async def on_new_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    data = dict(flow.data)
    if flow.step == "ask_tekst":
        got = read_text(text, ACTION_MAX, "actie")
        if isinstance(got, Reply):
            return [replace(got, expects_text=True)]
        data["tekst"] = got
        flow = await flows.advance(ctx, flow, "ask_wie", data)
        return [await ask_who(ctx, flow)]
    if flow.step in ("ask_wie", "ask_eigenaar"):
        typed = WHO_TYPED.get(fold(text).strip(" ."))
        if flow.step == "ask_wie" and typed is not None:  # the button's number or its words
            return await on_who(ctx, {"f": flow.id, "s": flow.step, "w": typed})
        if flow.step == "ask_wie" and not text.strip().startswith("@"):
            return [
                await ask_who(
                    ctx,
                    flow,
                    "Kies eerst met een knop: iemand van het team of iemand buiten de groep. ",
                )
            ]
        found = await read_member(ctx, text)
        if isinstance(found, Reply):
            return [replace(found, expects_text=True)]
        data["eigenaar"], data["naam"] = found
        await flows.advance(ctx, flow, "ask_datum", data)
        return [ask_due(ctx, found[1])]
    if flow.step == "ask_buiten":
        name = read_name(text)
        if isinstance(name, Reply):
            return [replace(name, expects_text=True)]
        data["eigenaar"], data["naam"] = None, name
        await flows.advance(ctx, flow, "ask_datum", data)
        return [ask_due(ctx, name)]
    due = read_date(ctx, text)
    if isinstance(due, Reply):
        return [replace(due, expects_text=True)]
    dialogue_id = data.get("s") if is_id(data.get("s")) else None
    owner_id = data.get("eigenaar")
    owner = Owner(owner_id if is_id(owner_id) else None, str(data.get("naam")))
    problem, dms = await may_add_with_dms(ctx, dialogue_id, reminded(ctx, owner))
    if problem is not None:
        await flows.finish(ctx, flow, "refused")
        return [problem]
    stored = await store(ctx, data["tekst"], owner, due, dialogue_id, dms, flow)
    return [already_stored() if stored is None else stored_reply(ctx, stored)]


WHO_TYPED = {
    "1": "team",
    "team": "team",
    "iemand van het team": "team",
    "2": "buiten",
    "buiten": "buiten",
    "buiten de groep": "buiten",
    "iemand buiten de groep": "buiten",
}
"""The owner choice typed instead of pressed (the console numbers its buttons; a typed word)."""


async def ask_who(ctx: Ctx, flow: Flow, first: str = "") -> Reply:
    row = [
        await ctx.button(
            "Iemand van het team",
            "teamactie.wie",
            {"f": flow.id, "s": flow.step, "w": "team"},
            personal=True,
        ),
        await ctx.button(
            "Iemand buiten de groep",
            "teamactie.wie",
            {"f": flow.id, "s": flow.step, "w": "buiten"},
            personal=True,
        ),
    ]
    return say(
        f"{first}Wie is de actie-eigenaar uit het lokale netwerk? Iemand van het team "
        "(je noemt die met @naam), of iemand buiten de groep, zoals de wijkagent of de "
        "huisarts (dan krijg jij de herinnering in hun plaats).",
        buttons=row,
        expects_text=True,
    )


def ask_due(ctx: Ctx, name: str) -> Reply:
    example = say_date(
        today(ctx, ctx.timezone) + timedelta(days=14), today(ctx, ctx.timezone), weekday=False
    )
    return say(
        f"Tegen wanneer (tijdsplanning) doet {name} dit? Typ een datum, bv. {example} "
        "of volgende dinsdag.",
        expects_text=True,
    )


def read_name(text: str) -> str | Reply:
    """The name of an owner outside the chat, as people write it ('de wijkagent')."""
    name = " ".join(clean(text).lstrip("@").replace("_", " ").split())
    if not name:
        return say("Een lege naam bewaar ik niet. Typ wie het doet, bv. de wijkagent.")
    if len(name) > NAME_MAX:
        return say(
            f"Dat is te lang voor een naam ({len(name)} tekens, hoogstens {NAME_MAX}). "
            "Typ wie het doet, bv. de wijkagent."
        )
    return name


async def on_who(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The choice in the step-by-step entry: a member by @naam, or a name outside the chat."""
    found = await flows.find(ctx, payload.get("f"), FLOW_NEW)
    if found is None or found.status != "open" or found.flow.step != payload.get("s"):
        return [say("Deze vraag is al voorbij.")]
    outside = payload.get("w") == "buiten"
    moved = await flows.move(ctx, found.flow, "ask_buiten" if outside else "ask_eigenaar")
    if moved is None:
        return [say("Deze vraag is al voorbij.")]
    if outside:
        question = say(
            "Wie buiten de groep doet het? Typ de naam of de rol, bv. de wijkagent of de huisarts.",
            expects_text=True,
        )
    else:
        question = say("Wie van het team doet het? Noem die met @naam.", expects_text=True)
    return [replace(question, replaces=not ctx.is_group)]


async def on_new_back(ctx: Ctx, flow: Flow) -> list[Reply] | None:
    """One question back in the entry, with the answer given."""
    data = dict(flow.data)
    if flow.step == "ask_tekst":
        return None
    if flow.step == "ask_wie":
        moved = await flows.advance(ctx, flow, "ask_tekst", data)
        assert moved is not None
        return [
            say(
                "Welke actie spreken jullie af? Je schreef: ",
                i(str(data.get("tekst", ""))),
                ". Typ ze opnieuw.",
                expects_text=True,
            )
        ]
    flow = await flows.advance(ctx, flow, "ask_wie", data)
    return [await ask_who(ctx, flow)]
