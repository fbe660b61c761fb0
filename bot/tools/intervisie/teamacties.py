"""`acties team`: the actions a team agreed (Actie / Actie-eigenaar / Tijdsplanning), the
owner's reminder before the date, and the revisit at the next meeting (reflectieve integratie)
with a button per action, so agreements come back instead of fading."""

from __future__ import annotations

from dataclasses import replace
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
    Reply,
    Span,
    b,
    cmd,
    i,
    say,
)
from bot.core.router import Flow, Router
from bot.core.storage import Database
from bot.text.dutch import count, date_text, day, fold, is_number, when
from bot.text.markdown import escape
from bot.timed.due import Occurrence, TimedWork, in_conversation
from bot.timed.herinneringen import Herinnering, Herinneringen
from bot.tools.intervisie import afdruk
from bot.tools.intervisie.shared import (
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
REMINDER_KIND = "teamactie"
REMIND_AT = time(9, 0)
"""Owners hear about their action the day before, at this local time (or on the day itself)."""
"""A revisit the bot missed (it was down) is still posted within this time; later it is skipped."""
STATUS_WORDS = {"open": "nog open", "bezig": "nog bezig", "gedaan": "gedaan",
                "geschrapt": "geschrapt"}
ICONS = {"open": "⬜", "bezig": "⏳", "gedaan": "✅", "geschrapt": "✖️"}
MARK_WORDS = {"gedaan": "gedaan", "klaar": "gedaan", "bezig": "bezig", "geschrapt": "geschrapt",
              "schrap": "geschrapt", "open": "open"}
MARK_BUTTONS = (("gedaan", "gedaan"), ("bezig", "nog bezig"), ("geschrapt", "geschrapt"))
USAGE = ("acties team · acties team export · acties team nieuw <actie> @naam <datum> · "
         "acties team gedaan|bezig|geschrapt <nr> · acties team uitkomst <nr> <tekst> · "
         "acties team weg <nr>")
EDIT_RIGHTS = "de actielijst van het team aanpassen"




def owner_of(action: Teamactie) -> str:
    return action.owner_name or "geen eigenaar meer"


async def group_title(db: Database, conversation_id: int) -> str:
    title = await identity.title(db, conversation_id)
    return title or "het team"


def remind_at(due: date, tz: str, now: datetime) -> datetime | None:
    zone = ZoneInfo(tz)
    for moment in (datetime.combine(due - timedelta(days=1), REMIND_AT, zone),
                   datetime.combine(due, REMIND_AT, zone)):
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
        return say("Deze dialoogsessie is al afgerond; de actie is niet bewaard. Een coördinator "
                   "voegt ze toe met ", cmd("acties team nieuw"), ".")
    if dialogue.step != "acties":
        return say("De acties komen pas na het meenemen van de inbrenger aan bod.")
    if not (ctx.is_coordinator or ctx.user_id == dialogue.leercoach_id):
        return say(f"Alleen de leercoach ({dialogue.leercoach}) of een coördinator legt de "
                   "acties vast.")
    return None


async def store(ctx: Ctx, text: str, owner_id: int, due: date,
                dialogue_id: int | None) -> tuple[Teamactie, datetime | None, bool]:
    """The action and its owner's reminder, together or not at all."""
    title = ctx.event.place.title or await group_title(ctx.db, ctx.conversation_id)
    async with ctx.db.transaction():
        action = await Teamacties(ctx.db).add(ctx.conversation_id, text, owner_id, due,
                                               dialogue_id, ctx.user_id, ctx.now())
        moment = remind_at(due, ctx.timezone, ctx.now())
        known = await identity.dm_of(ctx.db, owner_id)
        dm = known.conversation_id if known else None
        if moment is not None:
            await Herinneringen(ctx.db).create(
                owner_id, dm, REMINDER_KIND,
                f"Actie voor {title}: {text} (tijdsplanning: {date_text(due)})",
                moment, ctx.now(), timezone=ctx.timezone, payload={"actie": action.id})
    return action, moment, dm is not None


async def stored_reply(ctx: Ctx, action: Teamactie, moment: datetime | None, has_dm: bool,
                       dialogue_id: int | None) -> Reply:
    parts: list[str | Span] = [f"📌 Actie {action.number} vastgelegd: ", b(action.text),
                               f"\nActie-eigenaar: {owner_of(action)} · tijdsplanning: "
                               f"{date_text(action.due_date)}"]
    if moment is not None:
        parts.append(f"\n{owner_of(action)} krijgt op {when(moment, ctx.timezone)} een herinnering "
                     "in een privébericht.")
        if not has_dm:
            parts.append(f" (Dat lukt alleen als {owner_of(action)} de bot ooit een privébericht "
                         "stuurde.)")
    if dialogue_id is not None:
        row = [await ctx.button("Nog een actie", "dialoog.actie", {"s": dialogue_id}),
               await ctx.button("Sessie afronden", "dialoog.afronden", {"s": dialogue_id})]
    else:
        row = [await ctx.button("Checklist (stappenplan)", "stappenplan.checklist",
                                {"a": action.id})]
    return say(*parts, buttons=row)


async def ask_new(ctx: Ctx, dialogue_id: int | None) -> Reply:
    await flows.start(ctx, FLOW_NEW, "ask_tekst", {"s": dialogue_id})
    return say("Welke actie spreken jullie af? Acties zijn realistisch en haalbaar, en worden "
               f"geplaatst in het hier en nu. Typ ze als antwoord op dit bericht (max. "
               f"{ACTION_MAX} tekens).", expects_text=True)


async def on_new_text(ctx: Ctx, flow: Flow, text: str) -> list[Reply]:
    data = dict(flow.data)
    if flow.step == "ask_tekst":
        got = read_text(text, ACTION_MAX, "actie")
        if isinstance(got, Reply):
            return [replace(got, expects_text=True)]
        data["tekst"] = got
        await flows.advance(ctx, flow, "ask_eigenaar", data)
        return [say("Wie is de actie-eigenaar uit het lokale netwerk? Noem een lid van dit "
                    "gesprek met @naam.", expects_text=True)]
    if flow.step == "ask_eigenaar":
        found = await read_member(ctx, text)
        if isinstance(found, Reply):
            return [replace(found, expects_text=True)]
        data["eigenaar"], data["naam"] = found
        await flows.advance(ctx, flow, "ask_datum", data)
        return [say(f"Tegen wanneer (tijdsplanning) doet {found[1]} dit? Typ een datum, bv. "
                    "15-04 of volgende dinsdag.", expects_text=True)]
    due = read_date(ctx, text)
    if isinstance(due, Reply):
        return [replace(due, expects_text=True)]
    dialogue_id = data.get("s")
    problem = await may_add(ctx, dialogue_id)
    if problem is not None:
        await flows.finish(ctx, flow, "refused")
        return [problem]
    async with ctx.db.transaction():
        action, moment, has_dm = await store(ctx, data["tekst"], int(data["eigenaar"]), due,
                                             dialogue_id)
        await flows.finish(ctx, flow)
    return [await stored_reply(ctx, action, moment, has_dm, dialogue_id)]


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
        return say("Zo voeg je een actie toe: ",
                   cmd("acties team nieuw Buurthuis bellen @sam 15-04"),
                   ", of typ alleen ", cmd("acties team nieuw"), " en ik vraag het stap voor stap.")
    checked = read_text(text, ACTION_MAX, "actie")
    if isinstance(checked, Reply):
        return checked
    owner = await read_member(ctx, mention)
    if isinstance(owner, Reply):
        return owner
    due = read_date(ctx, when_text)
    if isinstance(due, Reply):
        return due
    action, moment, has_dm = await store(ctx, checked, owner[0], due, None)
    return await stored_reply(ctx, action, moment, has_dm, None)


# --- marking and outcomes ----------------------------------------------------------------------

def may_mark(ctx: Ctx, action: Teamactie) -> bool:
    """Owners mark their own action anywhere (also from their reminder); coordinators, any action
    of their own group."""
    if action.owner_id == ctx.user_id:
        return True
    return ctx.is_group and ctx.is_coordinator and ctx.conversation_id == action.conversation_id


async def mark(ctx: Ctx, action: Teamactie, status: str) -> Reply:
    if not may_mark(ctx, action):
        return say(f"Alleen de actie-eigenaar ({owner_of(action)}) of een coördinator van de groep "
                   f"kan actie {action.number} aanduiden.")
    async with ctx.db.transaction():
        await Teamacties(ctx.db).set_status(action.id, status, ctx.user_id, ctx.now())
        if status in ("gedaan", "geschrapt") and action.owner_id is not None:
            await Herinneringen(ctx.db).cancel_where(action.owner_id, REMINDER_KIND, "actie", action.id)
    question = ctx.content.intervisie.dialoogsessie.reflectieve_integratie.vragen[-1]
    row = [await ctx.button("Noteer wat het opleverde", "teamactie.uitkomst.vraag",
                            {"a": action.id}, personal=True)]
    return say(f"{ICONS[status]} Actie {action.number} staat op {STATUS_WORDS[status]}: ",
               i(action.text), f"\n{question}", buttons=row)


async def action_from(ctx: Ctx, payload: dict[str, Any]) -> Teamactie | None:
    action_id = payload.get("a")
    return await Teamacties(ctx.db).get(action_id) if isinstance(action_id, int) else None


async def on_mark(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    action = await action_from(ctx, payload)
    status = str(payload.get("st"))
    if action is None or status not in STATUS_WORDS:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    return [await mark(ctx, action, status)]


async def ask_outcome(ctx: Ctx, action: Teamactie) -> Reply:
    if not may_mark(ctx, action):
        return say(f"Alleen de actie-eigenaar ({owner_of(action)}) of een coördinator noteert wat "
                   f"actie {action.number} opleverde.")
    await flows.start(ctx, FLOW_OUTCOME, "ask", {"a": action.id})
    return say(f"Wat heeft actie {action.number} opgeleverd? Typ het als antwoord op dit bericht.",
               expects_text=True)


async def on_outcome_button(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    action = await action_from(ctx, payload)
    if action is None:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    return [await ask_outcome(ctx, action)]


async def save_outcome(ctx: Ctx, action: Teamactie, text: str) -> tuple[Reply, bool]:
    if not may_mark(ctx, action):
        return say(f"Alleen de actie-eigenaar ({owner_of(action)}) of een coördinator noteert wat "
                   f"actie {action.number} opleverde."), False
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
        parts += ["\n\n", b(f"{action.number}. "), action.text,
                  i(f"\n{owner_of(action)} · tijdsplanning {date_text(action.due_date)} · "
                    f"{STATUS_WORDS[action.status]}")]
        for status, label in MARK_BUTTONS:
            row.append(await buttons.make(deps.db, conversation_id, f"{action.number}: {label}",
                                          "teamactie.status", {"a": action.id, "st": status}, now))
    parts += ["\n\n", ri.kennisbron_tekst, " ", " ".join(ri.kennisbron_vragen),
              f" (kennisbron {ri.uit_kennisbron.paragraaf} {ri.uit_kennisbron.titel})",
              "\n\nActie-eigenaars duiden hun eigen actie aan, coördinatoren elke actie. "
              "Wat een aanpak opleverde, vertel je in de draad van dit bericht.\n",
              source(deps.content.intervisie.bron, f"§{dialoog.opdracht} Dialoogsessie")]
    return say(*parts, buttons=row)


async def _due_revisits(deps: Deps, now: datetime,
                        limit: int) -> list[Occurrence[GeplandeBijeenkomst]]:
    return [await in_conversation(deps.db, f"terugblik:{meeting.id}", meeting.conversation_id,
                                  meeting.at, meeting.conversation_id, meeting)
            for meeting in await Bijeenkomsten(deps.db).due(now, limit)]


async def _close_meeting(deps: Deps, occurrence: Occurrence[GeplandeBijeenkomst],
                         skipped: str) -> bool:
    return await Bijeenkomsten(deps.db).close(occurrence.item.id,
                                              "skipped" if skipped else "posted")


async def _render_revisit(deps: Deps, occurrence: Occurrence[GeplandeBijeenkomst]) -> Reply:
    return await revisit(deps, occurrence.item.conversation_id)


REVISITS = TimedWork("terugblik", _due_revisits, _close_meeting, _render_revisit)
"""On a planned meeting's moment the actions of last time come back to the group, once."""


async def render_reminder(deps: Deps, reminder: Herinnering) -> Reply:
    """The owner's DM: the action, and buttons to say how it stands when the DM is known."""
    action = await Teamacties(deps.db).get(int(reminder.payload.get("actie", 0)))
    parts: list[str | Span] = [b("⏰ Actie van het team\n"), reminder.text]
    row: list[Button] = []
    if action is not None and action.still_open and reminder.conversation_id is not None:
        now = iso(deps.clock.now())
        for status, label in MARK_BUTTONS:
            row.append(await buttons.make(deps.db, reminder.conversation_id, label.capitalize(),
                                          "teamactie.status", {"a": action.id, "st": status}, now,
                                          reminder.user_id))
        parts.append("\n\nHoe staat het ermee? Duid het hier aan, of in de groep met acties team.")
    else:
        parts.append("\n\nDuid in de groep aan hoe het ermee staat, met acties team.")
    return say(*parts, buttons=row)


# --- listing and export ------------------------------------------------------------------------

def line(action: Teamactie) -> list[str | Span]:
    parts: list[str | Span] = [f"\n{ICONS[action.status]} ", b(f"{action.number}. "), action.text,
                               i(f" ({owner_of(action)}, tegen {date_text(action.due_date)}, "
                                 f"{STATUS_WORDS[action.status]})")]
    if action.outcome:
        parts += ["\n    Opgeleverd: ", action.outcome]
    return parts


async def listing(ctx: Ctx) -> Reply:
    actions = await Teamacties(ctx.db).of_conversation(ctx.conversation_id)
    if not actions:
        return say("Het team heeft nog geen acties afgesproken. Ze ontstaan in een dialoogsessie (",
                   cmd("intervisie sessie @leercoach @inbrenger"), ") of met ",
                   cmd("acties team nieuw"), ".")
    parts: list[str | Span] = [b(f"Acties van het team ({len(actions)})")]
    for action in actions:
        parts += line(action)
    meeting = await Bijeenkomsten(ctx.db).planned(ctx.conversation_id)
    if meeting is not None:
        parts.append(f"\n\nVolgende bijeenkomst: {when(meeting.at, ctx.timezone)}; dan komen de "
                     "open acties terug.")
    parts += ["\n\n", i(USAGE)]
    return say(*parts)


async def own_listing(ctx: Ctx) -> Reply:
    actions = await Teamacties(ctx.db).of_owner(ctx.user_id)
    if not actions:
        return say("Je bent van geen enkele teamactie de eigenaar.")
    parts: list[str | Span] = [b("Jouw acties in teams")]
    for action in actions:
        parts += [f"\n{await group_title(ctx.db, action.conversation_id)}:", *line(action)]
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
    lines = [f"# Acties van het team: {escape(title)}", "",
             f"Opgemaakt op {day(ctx.now(), ctx.timezone)}. {tabel.titel}: de afspraken uit de "
             f"dialoogsessies (§{dialoog.opdracht}, {ctx.content.intervisie.bron.titel}) en het "
             f"stappenplan ({ctx.content.stappenplan.bron.titel}).", ""]
    if not actions:
        lines += ["Er zijn nog geen acties afgesproken.", ""]
    else:
        heads = [k.kop for k in tabel.kolommen]
        lines += [f"| Nr. | {' | '.join(heads)} | Stand |", "|---|---|---|---|---|"]
        for a in actions:
            lines.append(f"| {a.number} | {markdown_cell(a.text)} | {markdown_cell(owner_of(a))} | "
                         f"{date_text(a.due_date)} | {STATUS_WORDS[a.status]} |")
        lines.append("")
    dialogues = Dialoogsessies(ctx.db)
    for a in actions:
        lines += [f"## {a.number}. {escape(a.text)}", "",
                  f"- Actie-eigenaar: {escape(owner_of(a))}",
                  f"- Tijdsplanning: {date_text(a.due_date)}",
                  f"- Stand: {STATUS_WORDS[a.status]}"]
        if a.outcome:
            lines.append(f"- Wat het opleverde: {markdown_cell(a.outcome)}")
        dialogue = await dialogues.get(a.dialogue_id) if a.dialogue_id else None
        if dialogue is not None:
            lines.append(f"- Uit de dialoogsessie van {day(dialogue.started_at, ctx.timezone)}"
                         + (f", vraag: {markdown_cell(dialogue.vraag)}" if dialogue.vraag else ""))
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
    return say(f"Het overzicht van {count(len(actions), 'actie', 'acties')} van het team.",
               attachment=Attachment(name, "\n".join(lines)))


def table_rows(actions: list[Teamactie]) -> list[afdruk.Rij]:
    return [(str(a.number), a.text, owner_of(a), date_text(a.due_date), STATUS_WORDS[a.status])
            for a in actions]


async def export_pdf(ctx: Ctx) -> Reply:
    """The same actions as the workbook's table on A4, for a meeting or a report."""
    actions = await Teamacties(ctx.db).of_conversation(ctx.conversation_id)
    team = ctx.event.place.title or await group_title(ctx.db, ctx.conversation_id)
    outcomes = [f"{a.number}. Wat het opleverde: {a.outcome}" for a in actions if a.outcome]
    return await afdruk.actions_pdf(ctx, table_rows(actions), outcomes, team,
                                    "Acties van het team",
                                    f"acties-team-{ctx.now().date().isoformat()}.pdf")


# --- the command -------------------------------------------------------------------------------

async def numbered(ctx: Ctx, text: str) -> Teamactie | Reply:
    word = text.split(maxsplit=1)[0].lstrip("#") if text.strip() else ""
    action = await Teamacties(ctx.db).by_number(ctx.conversation_id, int(word)) if (
        is_number(word)) else None
    if action is None:
        return say("Welke actie? Geef het nummer uit ", cmd("acties team"), ", bv. ",
                   cmd("acties team gedaan 2"), ".")
    return action


async def remove(ctx: Ctx, rest: str) -> Reply:
    if not ctx.is_coordinator:
        return coordinators_only(EDIT_RIGHTS)
    action = await numbered(ctx, rest)
    if isinstance(action, Reply):
        return action
    async with ctx.db.transaction():
        if action.owner_id is not None:
            await Herinneringen(ctx.db).cancel_where(action.owner_id, REMINDER_KIND, "actie", action.id)
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
        "acties": [{"groep": await group_title(deps.db, a.conversation_id), "nummer": a.number,
                    "actie": a.text, "tijdsplanning": a.due_date.isoformat(),
                    "stand": STATUS_WORDS[a.status], "opgeleverd": a.outcome} for a in actions],
        "casussen": [{"groep": await group_title(deps.db, d.conversation_id),
                      "datum": iso(d.started_at), "casus": d.casus, "vraag": d.vraag,
                      "meenemen": d.meenemen} for d in dialogues],
    }


async def personal_erase(deps: Deps, user_id: int) -> None:
    """The team keeps its actions and cases; the links to this person go."""
    await Teamacties(deps.db).forget_user(user_id)
    await Dialoogsessies(deps.db).forget_user(user_id)
    await Bijeenkomsten(deps.db).forget_user(user_id)
    await Voortgang(deps.db).forget_user(user_id)


async def home_section(ctx: Ctx) -> list[str | Span]:
    actions = [a for a in await Teamacties(ctx.db).of_owner(ctx.user_id) if a.still_open]
    if not actions:
        return []
    return [b("Je teamacties: "), f"{count(len(actions), 'open actie', 'open acties')}, de eerste "
            f"tegen {date_text(actions[0].due_date)}. Bekijk ze met ", cmd("acties team"), "."]


def register(router: Router) -> None:
    router.subcommand("acties", "team", acties_team, in_group=Audience.HERE)
    router.text_flow(FLOW_NEW, on_new_text)
    router.text_flow(FLOW_OUTCOME, on_outcome_text)
    router.button("teamactie.status", on_mark)
    router.button("teamactie.uitkomst.vraag", on_outcome_button)
    router.reminder(REMINDER_KIND, render_reminder)
    router.timed(REVISITS)
    router.personal("teamacties", personal_export, personal_erase)
    router.home(home_section)
