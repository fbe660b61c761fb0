"""`acties team`: the actions a team agreed (Actie / Actie-eigenaar / Tijdsplanning), the
owner's reminder before the date, and the revisit at the next meeting (reflectieve integratie)
with a button per action, so agreements come back instead of fading."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core import buttons, flows, identity
from bot.core.clock import iso
from bot.core.context import Ctx, Deps
from bot.core.replies import (
    Attachment,
    Audience,
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
from bot.core.router import Flow, Router
from bot.core.storage import Database
from bot.text.dutch import count, fold
from bot.text.markdown import clean, escape
from bot.text.moments import local_today, say_date, say_day, say_moment
from bot.text.moments import read_date as read_day
from bot.text.refused import Refused
from bot.timed.due import Occurrence, TimedWork, in_conversation
from bot.timed.herinneringen import Herinnering, Herinneringen
from bot.tools.intervisie import afdruk
from bot.tools.intervisie.shared import (
    action_by_number,
    coordinators_only,
    in_group_only,
    read_date,
    read_member,
    read_text,
    source,
)
from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten, GeplandeBijeenkomst
from bot.tools.intervisie.store.dialoogsessies import Dialoogsessies
from bot.tools.intervisie.store.teamacties import ACTION_MAX, OUTCOME_MAX, Teamactie, Teamacties
from bot.tools.intervisie.store.voortgang import Voortgang

FLOW_NEW = "teamactie.nieuw"
FLOW_OUTCOME = "teamactie.uitkomst"
FORM_NEW = "teamactie.formulier"
FORM_NEW_FIELDS = {"tekst": True, "eigenaar": False, "naam": False, "datum": True}
"""The owner is a member or a name outside the chat: the handler asks for exactly one."""
FORM_OUTCOME = "teamactie.uitkomst.formulier"
REMINDER_KIND = "teamactie"
REMIND_AT = time(9, 0)
"""Owners hear about their action the day before, at this local time (or on the day itself)."""
"""A revisit the bot missed (it was down) is still posted within this time; later it is skipped."""
STATUS_WORDS = {
    "open": "nog open",
    "bezig": "nog bezig",
    "gedaan": "gedaan",
    "geschrapt": "geschrapt",
}
ICONS = {"open": "⬜", "bezig": "⏳", "gedaan": "✅", "geschrapt": "✖️"}
MARK_WORDS = {
    "gedaan": "gedaan",
    "klaar": "gedaan",
    "bezig": "bezig",
    "geschrapt": "geschrapt",
    "schrap": "geschrapt",
    "open": "open",
}
MARK_BUTTONS = (("gedaan", "gedaan"), ("bezig", "nog bezig"), ("geschrapt", "geschrapt"))
OUTCOME_LABEL = "uitkomst"
OUTSIDE_FLOW = "teamactie.buiten"
"""A one-line action whose @naam matched no member, held until its adder confirms it."""
NAME_MAX = 80
LISTED_WITH_BUTTONS = 10
"""The list carries buttons for this many actions (the first open ones); the rest by number."""
USAGE = (
    "acties team · acties team export · acties team nieuw <actie> @naam <datum> · "
    "acties team gedaan|bezig|geschrapt <nr> · acties team uitkomst <nr> <tekst> · "
    "acties team weg <nr>"
)
EDIT_RIGHTS = "de actielijst van het team aanpassen"


@dataclass(frozen=True)
class Owner:
    """A member of the chat (`user_id`), or someone outside it named in words."""

    user_id: int | None
    name: str


def owner_of(action: Teamactie) -> str:
    return action.owner_name or "geen eigenaar meer"


def owner_said(action: Teamactie) -> str:
    """'de wijkagent (herinnering naar An)' for an owner outside the chat."""
    if not action.outside:
        return owner_of(action)
    return f"{owner_of(action)} (herinnering naar {action.reminder_name or 'niemand meer'})"


def today(ctx: Ctx | Deps, tz: str) -> date:
    return ctx.clock.now().astimezone(ZoneInfo(tz)).date()


async def group_title(db: Database, conversation_id: int) -> str:
    title = await identity.title(db, conversation_id)
    return title or "het team"


def remind_at(due: date, tz: str, now: datetime) -> datetime | None:
    zone = ZoneInfo(tz)
    for moment in (
        datetime.combine(due - timedelta(days=1), REMIND_AT, zone),
        datetime.combine(due, REMIND_AT, zone),
    ):
        if moment > now:
            return moment
    return None


# --- adding ------------------------------------------------------------------------------------


async def may_add(ctx: Ctx, dialogue_id: int | None) -> Reply | None:
    """Coordinators change the list; in a running session its leercoach may add too."""
    if dialogue_id is None:
        return None if ctx.is_coordinator else coordinators_only(EDIT_RIGHTS)
    dialogue = await Dialoogsessies(ctx.db).get(dialogue_id)
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


async def store(
    ctx: Ctx, text: str, owner: Owner, due: date, dialogue_id: int | None
) -> tuple[Teamactie, datetime | None, bool]:
    """The action and its owner's reminder, together or not at all. For an owner outside the
    chat the reminder goes to the coordinator who adds it."""
    title = ctx.event.place.title or await group_title(ctx.db, ctx.conversation_id)
    reminded = owner.user_id if owner.user_id is not None else ctx.user_id
    day = say_date(due, today(ctx, ctx.timezone))
    if owner.user_id is not None:
        reminder = f"Actie voor {title}: {text} (tijdsplanning: {day})"
    else:
        reminder = (
            f"Actie van {owner.name} voor {title}: {text} (tijdsplanning: {day}). Je "
            f"krijgt deze herinnering in de plaats van {owner.name}, omdat je de actie "
            "toevoegde."
        )
    async with ctx.db.transaction():
        action = await Teamacties(ctx.db).add(
            ctx.conversation_id,
            text,
            owner.user_id,
            due,
            dialogue_id,
            ctx.user_id,
            ctx.now(),
            owner_name=owner.name if owner.user_id is None else None,
        )
        moment = remind_at(due, ctx.timezone, ctx.now())
        known = await identity.dm_of(ctx.db, reminded)
        dm = known.conversation_id if known else None
        if moment is not None:
            await Herinneringen(ctx.db).create(
                reminded,
                dm,
                REMINDER_KIND,
                reminder,
                moment,
                ctx.now(),
                timezone=ctx.timezone,
                payload={"actie": action.id},
            )
    return action, moment, dm is not None


async def stored_reply(
    ctx: Ctx, action: Teamactie, moment: datetime | None, has_dm: bool, dialogue_id: int | None
) -> Reply:
    day = say_date(action.due_date, today(ctx, ctx.timezone))
    outside = " (buiten de groep)" if action.outside else ""
    parts: list[str | Span] = [
        f"📌 Actie {action.number} vastgelegd: ",
        b(action.text),
        f"\nActie-eigenaar: {owner_of(action)}{outside} · tijdsplanning: {day}",
    ]
    reminded = action.reminder_name if action.outside else owner_of(action)
    if moment is not None:
        on = say_moment(moment, ctx.timezone, ctx.now())
        if action.outside:
            parts.append(
                f"\n{reminded}, je krijgt op {on} de herinnering in een privébericht, "
                f"in de plaats van {owner_of(action)}."
            )
            if not has_dm:
                parts.append(" (Dat lukt alleen als je de bot ooit een privébericht stuurde.)")
        else:
            parts.append(f"\n{reminded} krijgt op {on} een herinnering in een privébericht.")
            if not has_dm:
                parts.append(
                    f" (Dat lukt alleen als {reminded} de bot ooit een privébericht stuurde.)"
                )
    if dialogue_id is not None:
        row = [
            await ctx.button("Nog een actie", "dialoog.actie", {"s": dialogue_id}),
            await ctx.button("Sessie afronden", "dialoog.afronden", {"s": dialogue_id}),
        ]
    else:
        row = [
            await ctx.button("Checklist (stappenplan)", "stappenplan.checklist", {"a": action.id})
        ]
    return say(*parts, buttons=row)


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
        return [
            say(
                "Deze actie is intussen al vastgelegd of gestopt; ik bewaar ze niet nog eens. "
                "Alle acties: ",
                cmd("acties team"),
                ".",
            )
        ]
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
    dialogue_id = payload.get("s") if isinstance(payload.get("s"), int) else None
    problem = await may_add(ctx, dialogue_id)
    if problem is not None:
        return [problem]
    async with ctx.db.transaction():
        action, moment, has_dm = await store(ctx, text, owner, due, dialogue_id)
        if found_flow is not None and found_flow.status == "open":
            await flows.finish(ctx, found_flow.flow)
    return [await stored_reply(ctx, action, moment, has_dm, dialogue_id)]


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
    dialogue_id = data.get("s")
    problem = await may_add(ctx, dialogue_id)
    if problem is not None:
        await flows.finish(ctx, flow, "refused")
        return [problem]
    owner_id = data.get("eigenaar")
    owner = Owner(owner_id if isinstance(owner_id, int) else None, str(data.get("naam")))
    async with ctx.db.transaction():
        action, moment, has_dm = await store(ctx, data["tekst"], owner, due, dialogue_id)
        await flows.finish(ctx, flow)
    return [await stored_reply(ctx, action, moment, has_dm, dialogue_id)]


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


def split_owner(tail: str) -> list[tuple[str, str]]:
    """'de wijkagent 15 april' as every (name, date text) split, shortest name first."""
    words = tail.split()
    return [(" ".join(words[:n]), " ".join(words[n:])) for n in range(1, len(words) + 1)]


async def add_in_one_line(ctx: Ctx, rest: str) -> Reply:
    """`acties team nieuw Buurthuis bellen @sam 15-04`: the last @word is the owner, the rest
    after it the date."""
    problem = await may_add(ctx, None)
    if problem is not None:
        return problem
    if not rest.strip():
        return await ask_new(ctx, None)
    text, at, tail = rest.rpartition("@")
    mention, _, when_text = tail.partition(" ")
    if not at or not mention:
        return say(
            "Zo voeg je een actie toe: ",
            cmd("acties team nieuw Buurthuis bellen @sam 15-04"),
            ", of typ alleen ",
            cmd("acties team nieuw"),
            " en ik vraag het stap voor stap.",
        )
    checked = read_text(text, ACTION_MAX, "actie")
    if isinstance(checked, Reply):
        return checked
    member = await identity.find_member(ctx.db, ctx.conversation_id, mention)
    if member is not None:
        due = read_date(ctx, when_text)
        if isinstance(due, Reply):
            return due
        action, moment, has_dm = await store(ctx, checked, Owner(*member), due, None)
        return await stored_reply(ctx, action, moment, has_dm, None)
    return await offer_outside(ctx, checked, tail)


async def offer_outside(ctx: Ctx, text: str, tail: str) -> Reply:
    """An @naam that is no member: perhaps someone outside the chat. Nothing is stored until
    the coordinator confirms with one button."""
    problem: Refused | None = None
    for name_text, date_text_ in split_owner(tail):
        try:
            due = read_day(date_text_, today(ctx, ctx.timezone))
        except Refused as refused:
            problem = problem or refused
            continue
        name = read_name(name_text)
        if isinstance(name, Reply):
            return name
        flow = await flows.start(
            ctx, OUTSIDE_FLOW, "bevestig", {"tekst": text, "naam": name, "datum": due.isoformat()}
        )
        row = [
            await ctx.button(
                f"Ja, {name} (buiten de groep)", "teamactie.buiten", {"f": flow.id}, personal=True
            )
        ]
        return say(
            "Ik ken ",
            f"@{name_text}"[:60],
            " niet als lid van dit gesprek. "
            f"Is {name} iemand buiten de groep (uit het lokale netwerk)? Dan voeg ik de "
            f"actie toe met {name} als eigenaar en krijg jij de herinnering in de plaats "
            f"van {name}; tijdsplanning: {say_date(due, today(ctx, ctx.timezone))}. Bedoel "
            "je iemand van het team, noem die dan met @naam zoals die hier bekend is; "
            "wie nog nooit iets aan de bot vroeg, typt hier eerst ",
            cmd("hulp"),
            ".",
            buttons=row,
        )
    if problem is not None and len(tail.split()) > 1:
        return say(str(problem))
    return say(
        "Ik ken ",
        f"@{tail.strip()}"[:60],
        " niet als lid van dit gesprek, en ik mis de datum. Zo voeg je een actie toe: ",
        cmd("acties team nieuw Buurthuis bellen @sam 15-04"),
        ", of voor iemand buiten de groep: ",
        cmd("acties team nieuw Buurt verkennen @de_wijkagent 15-04"),
        ".",
    )


async def on_outside(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """The one press that confirms an owner outside the chat; a second press adds nothing."""
    problem = await may_add(ctx, None)
    if problem is not None:
        return [problem]
    flow = await flows.take(ctx, payload.get("f"), OUTSIDE_FLOW)
    if flow is None:
        return [
            say(
                "Deze actie is al toegevoegd (of niet meer te bevestigen). Bekijk de lijst met ",
                cmd("acties team"),
                ".",
            )
        ]
    try:
        due = date.fromisoformat(str(flow.data.get("datum")))
    except ValueError:
        return [say("Deze knop werkt niet meer. Typ de actie opnieuw.")]
    action, moment, has_dm = await store(
        ctx, str(flow.data.get("tekst")), Owner(None, str(flow.data.get("naam"))), due, None
    )
    return [replace(await stored_reply(ctx, action, moment, has_dm, None), replaces=True)]


# --- marking and outcomes ----------------------------------------------------------------------


def may_mark(ctx: Ctx, action: Teamactie) -> bool:
    """Owners mark their own action anywhere (also from their reminder), and so does whoever is
    reminded for an owner outside the chat; coordinators, any action of their own group."""
    if action.reminded == ctx.user_id:
        return True
    return ctx.is_group and ctx.is_coordinator and ctx.conversation_id == action.conversation_id


def not_yours(action: Teamactie, what: str) -> Reply:
    who = f"de actie-eigenaar ({owner_of(action)})"
    if action.outside:
        who = f"wie de herinnering krijgt voor {owner_of(action)} ({action.reminder_name or 'niemand meer'})"
    return say(
        f"Alleen {who} of een coördinator van de groep {what} actie {action.number}.",
        audience=Audience.QUIET,
    )


async def mark(ctx: Ctx, action: Teamactie, status: str) -> Reply:
    if not may_mark(ctx, action):
        return not_yours(action, "duidt aan hoe het staat met")
    if action.status == status:
        return say(
            f"Actie {action.number} stond al op {STATUS_WORDS[status]}: ",
            i(action.text),
            ". Er is niets veranderd.",
        )
    await set_status(ctx, action, status)
    question = ctx.content.intervisie.dialoogsessie.reflectieve_integratie.vragen[-1]
    row = [
        await ctx.button(
            "Noteer wat het opleverde", "teamactie.uitkomst.vraag", {"a": action.id}, personal=True
        )
    ]
    return say(
        f"{ICONS[status]} Actie {action.number} staat op {STATUS_WORDS[status]}: ",
        i(action.text),
        f"\n{question}",
        buttons=row,
    )


async def set_status(ctx: Ctx, action: Teamactie, status: str) -> None:
    async with ctx.db.transaction():
        await Teamacties(ctx.db).set_status(action.id, status, ctx.user_id, ctx.now())
        if status in ("gedaan", "geschrapt") and action.reminded is not None:
            await Herinneringen(ctx.db).cancel_where(
                action.reminded, REMINDER_KIND, "actie", action.id
            )


async def action_from(ctx: Ctx, payload: dict[str, Any]) -> Teamactie | None:
    action_id = payload.get("a")
    return await Teamacties(ctx.db).get(action_id) if isinstance(action_id, int) else None


async def on_mark(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """A status button: on the revisit (a new message), on the list (the list again, in its
    place) or on the reminder (the reminder again, in its place, with what was chosen)."""
    action = await action_from(ctx, payload)
    status = str(payload.get("st"))
    if action is None or status not in STATUS_WORDS:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    where = payload.get("op")
    if where not in ("lijst", "herinnering") or not may_mark(ctx, action):
        return [await mark(ctx, action, status)]
    if action.status == status:
        said = f"Actie {action.number} stond al op {STATUS_WORDS[status]}: er is niets veranderd."
    else:
        await set_status(ctx, action, status)
        said = f"{ICONS[status]} Actie {action.number} staat op {STATUS_WORDS[status]}."
    if where == "lijst":
        return [replace(await listing(ctx, said), replaces=True)]
    fresh = await Teamacties(ctx.db).get(action.id)
    assert fresh is not None
    question = ctx.content.intervisie.dialoogsessie.reflectieve_integratie.vragen[-1]
    row = [
        await ctx.button(
            "Noteer wat het opleverde", "teamactie.uitkomst.vraag", {"a": action.id}, personal=True
        )
    ]
    if fresh.still_open:
        row = [
            *await status_buttons(
                ctx.db, ctx.conversation_id, fresh, ctx.user_id, iso(ctx.now()), "herinnering"
            ),
            *row,
        ]
    title = await group_title(ctx.db, action.conversation_id)
    return [
        say(
            b(f"⏰ Actie {action.number} van {title}: "),
            action.text,
            i(f"\n{owner_said(fresh)}"),
            "\n\n",
            b(said),
            f"\n{question}",
            buttons=row,
            replaces=True,
        )
    ]


async def status_buttons(
    db: Database,
    conversation_id: int,
    action: Teamactie,
    user_id: int | None,
    now: str,
    where: str,
    numbered: bool = False,
) -> list[Button]:
    """gedaan, nog bezig, geschrapt (and uitkomst on the list) for one action."""
    prefix = f"{action.number}: " if numbered else ""
    out: list[Button] = []
    for status, label in MARK_BUTTONS:
        if status == action.status:
            continue
        made = await buttons.make(
            db,
            conversation_id,
            prefix + (label if numbered else label.capitalize()),
            "teamactie.status",
            {"a": action.id, "st": status, "op": where},
            now,
            user_id,
        )
        out.append(replace(made, row=f"actie{action.number}"))
    return out


async def ask_outcome(ctx: Ctx, action: Teamactie) -> Reply:
    if not may_mark(ctx, action):
        return say(
            f"Alleen de actie-eigenaar ({owner_of(action)}) of een coördinator noteert wat "
            f"actie {action.number} opleverde."
        )
    flow = await flows.start(ctx, FLOW_OUTCOME, "ask", {"a": action.id})
    token = await ctx.button(
        "uitkomst", FORM_OUTCOME, {"a": action.id, "f": flow.id}, personal=True
    )
    form = Form(
        title=f"Actie {action.number}"[:24],
        submit="Noteren",
        token=token.action_id,
        intro=rich(b(f"Actie {action.number}: "), action.text),
        fields=(
            Field(
                "uitkomst",
                f"Wat heeft actie {action.number} opgeleverd?",
                max_length=OUTCOME_MAX,
                multiline=True,
            ),
        ),
    )
    return say(
        f"Wat heeft actie {action.number} opgeleverd? Typ het als antwoord.",
        expects_text=True,
        form=form,
    )


async def on_outcome_form(
    ctx: Ctx, payload: dict[str, Any], values: dict[str, tuple[str, ...]]
) -> list[Reply]:
    action = await action_from(ctx, payload)
    if action is None:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    reply, saved = await save_outcome(ctx, action, values["uitkomst"][0])
    if not saved:
        return [refused_fields(("uitkomst", reply.plain))]
    found = await flows.find(ctx, payload.get("f"), FLOW_OUTCOME)
    if found is not None and found.status == "open":
        await flows.finish(ctx, found.flow)
    return [reply]


async def on_outcome_button(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    action = await action_from(ctx, payload)
    if action is None:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    return [await ask_outcome(ctx, action)]


async def save_outcome(ctx: Ctx, action: Teamactie, text: str) -> tuple[Reply, bool]:
    if not may_mark(ctx, action):
        return say(
            f"Alleen de actie-eigenaar ({owner_of(action)}) of een coördinator noteert wat "
            f"actie {action.number} opleverde."
        ), False
    got = read_text(text, OUTCOME_MAX, "uitkomst")
    if isinstance(got, Reply):
        return got, False
    await Teamacties(ctx.db).set_outcome(action.id, got, ctx.user_id, ctx.now())
    return say(f"📝 Genoteerd bij actie {action.number}: ", i(got)), True


async def on_outcome_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    action = await Teamacties(ctx.db).get(int(flow.data.get("a", 0)))
    if action is None:
        await flows.finish(ctx, flow, "gone")
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    reply, saved = await save_outcome(ctx, action, text)
    if saved:
        await flows.finish(ctx, flow)
        return [reply]
    return [replace(reply, expects_text=True)]


# --- the revisit at the next meeting ----------------------------------------------------------


async def revisit(deps: Deps, conversation_id: int) -> Reply:
    """Reflectieve integratie: every action still open, with a button per outcome."""
    dialoog = deps.content.intervisie.dialoogsessie
    ri = dialoog.reflectieve_integratie
    actions = await Teamacties(deps.db).still_open(conversation_id)
    parts: list[str | Span] = [b("🔁 Terug naar de acties van vorige keer\n"), ri.instructie]
    for question in ri.vragen:
        parts += ["\n• ", question]
    if not actions:
        parts.append("\n\nEr staan geen open acties op de lijst van het team.")
    now = iso(deps.clock.now())
    row: list[Button] = []
    for action in actions:
        parts += [
            "\n\n",
            b(f"{action.number}. "),
            action.text,
            i(
                f"\n{owner_of(action)} · tijdsplanning {say_date(action.due_date, deps.clock.now().date())} · "
                f"{STATUS_WORDS[action.status]}"
            ),
        ]
        for status, label in MARK_BUTTONS:
            row.append(
                await buttons.make(
                    deps.db,
                    conversation_id,
                    f"{action.number}: {label}",
                    "teamactie.status",
                    {"a": action.id, "st": status},
                    now,
                )
            )
    parts += [
        "\n\n",
        ri.kennisbron_tekst,
        " ",
        " ".join(ri.kennisbron_vragen),
        f" (kennisbron {ri.uit_kennisbron.paragraaf} {ri.uit_kennisbron.titel})",
        "\n\nActie-eigenaars duiden hun eigen actie aan, coördinatoren elke actie. "
        "Wat een aanpak opleverde, vertel je in de draad van dit bericht.\n",
        source(deps.content.intervisie.bron, f"§{dialoog.opdracht} Dialoogsessie"),
    ]
    return say(*parts, buttons=row)


async def _due_revisits(
    deps: Deps, now: datetime, limit: int
) -> list[Occurrence[GeplandeBijeenkomst]]:
    return [
        await in_conversation(
            deps.db,
            f"terugblik:{meeting.id}",
            meeting.conversation_id,
            meeting.at,
            meeting.conversation_id,
            meeting,
        )
        for meeting in await Bijeenkomsten(deps.db).due(now, limit)
    ]


async def _close_meeting(
    deps: Deps, occurrence: Occurrence[GeplandeBijeenkomst], skipped: str
) -> bool:
    return await Bijeenkomsten(deps.db).close(
        occurrence.item.id, "skipped" if skipped else "posted"
    )


async def _render_revisit(deps: Deps, occurrence: Occurrence[GeplandeBijeenkomst]) -> Reply:
    return await revisit(deps, occurrence.item.conversation_id)


REVISITS = TimedWork("terugblik", _due_revisits, _close_meeting, _render_revisit)
"""On a planned meeting's moment the actions of last time come back to the group, once."""


async def render_reminder(deps: Deps, reminder: Herinnering) -> Reply:
    """The owner's DM (or, for an owner outside the chat, the DM of who added it): the action,
    with buttons to say how it stands. They are the reminded person's own buttons: bound to
    their DM where the bot knows it, else to the team's group, which the engine accepts from
    that person's own DM once it exists (a personal button works in its person's DM)."""
    action = await Teamacties(deps.db).get(int(reminder.payload.get("actie", 0)))
    parts: list[str | Span] = [b("⏰ Actie van het team\n"), reminder.text]
    if action is None or not action.still_open:
        parts.append("\n\nDeze actie staat intussen niet meer open.")
        return say(*parts)
    now = iso(deps.clock.now())
    bound = reminder.conversation_id
    if bound is None:
        known = await identity.dm_of(deps.db, reminder.user_id)
        bound = known.conversation_id if known else action.conversation_id
    row = await status_buttons(deps.db, bound, action, reminder.user_id, now, "herinnering")
    row.append(
        await buttons.make(
            deps.db,
            bound,
            "Uitkomst noteren",
            "teamactie.uitkomst.vraag",
            {"a": action.id},
            now,
            reminder.user_id,
        )
    )
    parts.append(
        "\n\nHoe staat het ermee? Tik hieronder, of duid het in de groep aan met acties team."
    )
    return say(*parts, buttons=row)


# --- listing and export ------------------------------------------------------------------------


def line(action: Teamactie, now: date) -> list[str | Span]:
    parts: list[str | Span] = [
        f"\n{ICONS[action.status]} ",
        b(f"{action.number}. "),
        action.text,
        i(
            f" (eigenaar: {owner_said(action)}, tegen "
            f"{say_date(action.due_date, now, weekday=False)}, "
            f"{STATUS_WORDS[action.status]})"
        ),
    ]
    if action.outcome:
        parts += ["\n    Opgeleverd: ", action.outcome]
    return parts


async def listing(ctx: Ctx, note: str = "") -> Reply:
    """The team's actions, with buttons for the open ones (and an outcome for the closed ones
    that have none yet); pressing one shows this list again in its place."""
    actions = await Teamacties(ctx.db).of_conversation(ctx.conversation_id)
    if not actions:
        return say(
            "Het team heeft nog geen acties afgesproken. Ze ontstaan in een dialoogsessie (",
            cmd("intervisie sessie @leercoach @inbrenger"),
            ") of met ",
            cmd("acties team nieuw"),
            ".",
        )
    parts: list[str | Span] = [b(note), "\n\n"] if note else []
    parts.append(b(f"Acties van het team ({len(actions)})"))
    now = today(ctx, ctx.timezone)
    row: list[Button] = []
    stamp = iso(ctx.now())
    for action in actions:
        parts += line(action, now)
        with_buttons = sum(1 for r in row if r.label.endswith(OUTCOME_LABEL))
        if with_buttons >= LISTED_WITH_BUTTONS or (not action.still_open and action.outcome):
            continue
        if action.still_open:
            row += await status_buttons(
                ctx.db, ctx.conversation_id, action, None, stamp, "lijst", numbered=True
            )
        made = await buttons.make(
            ctx.db,
            ctx.conversation_id,
            f"{action.number}: {OUTCOME_LABEL}",
            "teamactie.uitkomst.vraag",
            {"a": action.id},
            stamp,
        )
        row.append(replace(made, row=f"actie{action.number}"))
    meeting = await Bijeenkomsten(ctx.db).planned(ctx.conversation_id)
    if meeting is not None:
        parts.append(
            f"\n\nVolgende bijeenkomst: {say_moment(meeting.at, ctx.timezone, ctx.now())}; dan komen de "
            "open acties terug."
        )
    if row:
        parts += ["\n\n", i("De eigenaar of een coördinator tikt aan hoe het met een actie staat.")]
    parts += ["\n\n", i(USAGE)]
    return say(*parts, buttons=row)


async def own_listing(ctx: Ctx) -> Reply:
    actions = await Teamacties(ctx.db).of_owner(ctx.user_id)
    if not actions:
        return say("Je bent van geen enkele teamactie de eigenaar.")
    parts: list[str | Span] = [b("Jouw acties in teams")]
    for action in actions:
        parts += [
            f"\n{await group_title(ctx.db, action.conversation_id)}:",
            *line(action, today(ctx, ctx.timezone)),
        ]
    return say(*parts)


def markdown_cell(text: str) -> str:
    return escape(text).replace("\n", " ")


async def export(ctx: Ctx) -> Reply:
    """Markdown for a meeting or a report: the table of the workbook, then each action's story."""
    actions = await Teamacties(ctx.db).of_conversation(ctx.conversation_id)
    dialoog = ctx.content.intervisie.dialoogsessie
    tabel = dialoog.actietabel
    checklist = ctx.content.stappenplan.checklist
    title = ctx.event.place.title or await group_title(ctx.db, ctx.conversation_id)
    lines = [
        f"# Acties van het team: {escape(title)}",
        "",
        f"Opgemaakt op {say_day(ctx.now(), ctx.timezone, ctx.now())}. {tabel.titel}: de afspraken uit de "
        f"dialoogsessies (§{dialoog.opdracht}, {ctx.content.intervisie.bron.titel}) en het "
        f"stappenplan ({ctx.content.stappenplan.bron.titel}).",
        "",
    ]
    if not actions:
        lines += ["Er zijn nog geen acties afgesproken.", ""]
    else:
        heads = [k.kop for k in tabel.kolommen]
        lines += [f"| Nr. | {' | '.join(heads)} | Stand |", "|---|---|---|---|---|"]
        for a in actions:
            lines.append(
                f"| {a.number} | {markdown_cell(a.text)} | {markdown_cell(owner_of(a))} | "
                f"{say_date(a.due_date, local_today(ctx.now(), ctx.timezone), weekday=False)} | {STATUS_WORDS[a.status]} |"
            )
        lines.append("")
    dialogues = Dialoogsessies(ctx.db)
    for a in actions:
        lines += [
            f"## {a.number}. {escape(a.text)}",
            "",
            f"- Actie-eigenaar: {escape(owner_of(a))}",
            f"- Tijdsplanning: {say_date(a.due_date, local_today(ctx.now(), ctx.timezone))}",
            f"- Stand: {STATUS_WORDS[a.status]}",
        ]
        if a.outcome:
            lines.append(f"- Wat het opleverde: {markdown_cell(a.outcome)}")
        dialogue = await dialogues.get(a.dialogue_id) if a.dialogue_id else None
        if dialogue is not None:
            lines.append(
                f"- Uit de dialoogsessie van {say_day(dialogue.started_at, ctx.timezone, ctx.now())}"
                + (f", vraag: {markdown_cell(dialogue.vraag)}" if dialogue.vraag else "")
            )
        lines.append("")
        if a.checklist:
            lines += [f"### {checklist.titel}", ""]
            for dimensie in checklist.dimensies:
                chosen = a.checklist.get("keuzes", {}).get(dimensie.id) or []
                if chosen:
                    lines.append(f"- {dimensie.kolom}: {', '.join(escape(c) for c in chosen)}")
            for kolom in checklist.open_kolommen:
                answer = a.checklist.get("open", {}).get(kolom.id)
                if answer:
                    lines.append(f"- {kolom.kop}: {markdown_cell(answer)}")
            lines.append("")
        if a.impact:
            lines += [f"### {ctx.content.stappenplan.impactanalyse.titel}", ""]
            for item in a.impact:
                lines.append(f"- {escape(item['vraag'])} {markdown_cell(item['antwoord'])}")
            lines.append("")
    name = f"acties-team-{ctx.now().date().isoformat()}.md"
    return say(
        f"Het overzicht van {count(len(actions), 'actie', 'acties')} van het team.",
        attachment=Attachment(name, "\n".join(lines)),
    )


def table_rows(actions: list[Teamactie], today: date) -> list[afdruk.Rij]:
    return [
        (
            str(a.number),
            a.text,
            owner_of(a),
            say_date(a.due_date, today, weekday=False),
            STATUS_WORDS[a.status],
        )
        for a in actions
    ]


async def export_pdf(ctx: Ctx) -> Reply:
    """The same actions as the workbook's table on A4, for a meeting or a report."""
    actions = await Teamacties(ctx.db).of_conversation(ctx.conversation_id)
    team = ctx.event.place.title or await group_title(ctx.db, ctx.conversation_id)
    outcomes = [f"{a.number}. Wat het opleverde: {a.outcome}" for a in actions if a.outcome]
    return await afdruk.actions_pdf(
        ctx,
        table_rows(actions, today(ctx, ctx.timezone)),
        outcomes,
        team,
        "Acties van het team",
        f"acties-team-{ctx.now().date().isoformat()}.pdf",
    )


# --- the command -------------------------------------------------------------------------------


async def numbered(ctx: Ctx, text: str) -> Teamactie | Reply:
    return await action_by_number(ctx, text, "Welke actie?", "acties team gedaan 2")


async def remove(ctx: Ctx, rest: str) -> Reply:
    if not ctx.is_coordinator:
        return coordinators_only(EDIT_RIGHTS)
    action = await numbered(ctx, rest)
    if isinstance(action, Reply):
        return action
    async with ctx.db.transaction():
        if action.reminded is not None:
            await Herinneringen(ctx.db).cancel_where(
                action.reminded, REMINDER_KIND, "actie", action.id
            )
        await Teamacties(ctx.db).remove(action.id)
    return say(f"Actie {action.number} is van de lijst gehaald: ", i(action.text))


async def acties_team(ctx: Ctx, args: str) -> list[Reply]:
    head, _, rest = args.strip().partition(" ")
    head = fold(head)
    if not ctx.is_group:
        if head in ("", "mijn"):
            return [await own_listing(ctx)]
        return [in_group_only("De actielijst van het team bijhouden")]
    if not head:
        return [await listing(ctx)]
    if head == "export":
        return [await export(ctx), await export_pdf(ctx)]
    if head in ("nieuw", "toevoegen"):
        return [await add_in_one_line(ctx, rest)]
    if head in ("weg", "verwijder"):
        return [await remove(ctx, rest)]
    if head in MARK_WORDS or head == "uitkomst":
        action = await numbered(ctx, rest)
        if isinstance(action, Reply):
            return [action]
        if head in MARK_WORDS:
            return [await mark(ctx, action, MARK_WORDS[head])]
        text = rest.strip().partition(" ")[2]
        if not text.strip():
            return [await ask_outcome(ctx, action)]
        return [(await save_outcome(ctx, action, text))[0]]
    return [say("Dat begrijp ik niet. ", i(USAGE))]


# --- personal data -----------------------------------------------------------------------------


async def personal_export(deps: Deps, user_id: int) -> dict[str, Any]:
    actions = await Teamacties(deps.db).of_owner(user_id)
    dialogues = await Dialoogsessies(deps.db).of_inbrenger(user_id)
    return {
        "acties": [
            {
                "groep": await group_title(deps.db, a.conversation_id),
                "nummer": a.number,
                "actie": a.text,
                "tijdsplanning": a.due_date.isoformat(),
                "stand": STATUS_WORDS[a.status],
                "opgeleverd": a.outcome,
            }
            for a in actions
        ],
        "casussen": [
            {
                "groep": await group_title(deps.db, d.conversation_id),
                "datum": iso(d.started_at),
                "casus": d.casus,
                "vraag": d.vraag,
                "meenemen": d.meenemen,
            }
            for d in dialogues
        ],
    }


async def personal_erase(deps: Deps, user_id: int) -> None:
    """The team keeps its actions and cases; the links to this person go."""
    await Teamacties(deps.db).forget_user(user_id)
    await Dialoogsessies(deps.db).forget_user(user_id)
    await Bijeenkomsten(deps.db).forget_user(user_id)
    await Voortgang(deps.db).forget_user(user_id)


HOME_MAX = 5
"""Open team actions shown with their buttons on one's start page; the rest by `acties team`."""


async def home_card(ctx: Ctx) -> Reply | None:
    """On one's own start page: the open team actions one owns (or is reminded of for someone
    outside the chat), each with the buttons its reminder carries; pressed there, they count
    as pressed on the reminder."""
    if ctx.is_group:
        return None
    actions = [a for a in await Teamacties(ctx.db).of_owner(ctx.user_id) if a.still_open]
    if not actions:
        return None
    now = local_today(ctx.now(), ctx.timezone)
    parts: list[str | Span] = [b(f"Je open teamacties ({len(actions)})")]
    row: list[Button] = []
    stamp = iso(ctx.now())
    for action in actions[:HOME_MAX]:
        title = await group_title(ctx.db, action.conversation_id)
        parts += [
            f"\n{ICONS[action.status]} {title}, actie {action.number}: ",
            action.text,
            i(f" (tegen {say_date(action.due_date, now)}; eigenaar: {owner_said(action)})"),
        ]
        for made in await status_buttons(
            ctx.db, ctx.conversation_id, action, ctx.user_id, stamp, "herinnering"
        ):
            row.append(replace(made, label=f"{action.number}: {made.label}", row=f"t{action.id}"))
    if len(actions) > HOME_MAX:
        parts += ["\n", i("De andere staan in "), cmd("acties team"), i(" in de groep.")]
    return say(*parts, buttons=row)


def register(router: Router) -> None:
    router.subcommand("acties", "team", acties_team, in_group=Audience.HERE)
    router.text_flow(
        FLOW_NEW,
        on_new_text,
        label="de nieuwe teamactie",
        resume="acties team nieuw",
        back=on_new_back,
    )
    router.text_flow(
        FLOW_OUTCOME,
        on_outcome_text,
        label="de uitkomst van de actie",
        resume="acties team",
        keeps_answers=False,
    )
    router.form(FORM_NEW, on_new_form, FORM_NEW_FIELDS)
    router.form(FORM_OUTCOME, on_outcome_form, {"uitkomst": True})
    router.button("teamactie.status", on_mark)
    router.button("teamactie.uitkomst.vraag", on_outcome_button)
    router.button("teamactie.wie", on_who)
    router.button("teamactie.buiten", on_outside)
    router.reminder(REMINDER_KIND, render_reminder)
    router.timed(REVISITS)
    router.personal("teamacties", personal_export, personal_erase)
    router.home_card(home_card)
