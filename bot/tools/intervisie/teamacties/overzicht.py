"""Looking at the actions: the team's list with its buttons, one's own actions, the Markdown and
PDF export for a meeting or a report, and the card on one's start page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.core import buttons
from bot.core.clock import iso
from bot.core.context import Ctx
from bot.core.replies import Attachment, Button, Reply, Span, b, cmd, i, say
from bot.core.storage import Read
from bot.text.dutch import count
from bot.text.markdown import escape
from bot.text.moments import local_today, say_date, say_day, say_moment
from bot.tools.intervisie import afdruk
from bot.tools.intervisie.store.bijeenkomsten import Bijeenkomsten
from bot.tools.intervisie.store.dialoogsessies import Dialoogsessies
from bot.tools.intervisie.store.teamacties import Teamactie, Teamacties
from bot.tools.intervisie.teamacties.shared import (
    ICONS,
    STATUS_WORDS,
    TEAM,
    USAGE,
    owner_of,
    owner_said,
    status_buttons,
    today,
)

OUTCOME_LABEL = "uitkomst"
LISTED_WITH_BUTTONS = 10
"""The list carries buttons for this many actions (the first open ones); the rest by number."""


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


async def listing(ctx: Ctx, note: str = "", actions: list[Teamactie] | None = None) -> Reply:
    """The team's actions (`actions`, where they were read already), with buttons for the open
    ones (and an outcome for the closed ones that have none yet); pressing one shows this list
    again in its place."""
    if actions is None:
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
    """Read with their groups' titles: one read."""
    actions = await ctx.db.read(Teamacties.owned_by(ctx.user_id))
    if not actions:
        return say("Je bent van geen enkele teamactie de eigenaar.")
    parts: list[str | Span] = [b("Jouw acties in teams")]
    for action, title in actions:
        parts += [f"\n{title or TEAM}:", *line(action, today(ctx, ctx.timezone))]
    return say(*parts)


def markdown_cell(text: str) -> str:
    return escape(text).replace("\n", " ")


async def export(ctx: Ctx) -> Reply:
    """Markdown for a meeting or a report: the table of the workbook, then each action's story."""
    actions = await Teamacties(ctx.db).of_conversation(ctx.conversation_id)
    dialoog = ctx.content.intervisie.dialoogsessie
    tabel = dialoog.actietabel
    checklist = ctx.content.stappenplan.checklist
    title = ctx.title or TEAM
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
    team = ctx.title or TEAM
    outcomes = [f"{a.number}. Wat het opleverde: {a.outcome}" for a in actions if a.outcome]
    return await afdruk.actions_pdf(
        ctx,
        table_rows(actions, today(ctx, ctx.timezone)),
        outcomes,
        team,
        "Acties van het team",
        f"acties-team-{ctx.now().date().isoformat()}.pdf",
    )


HOME_MAX = 5
"""Open team actions shown with their buttons on one's start page; the rest by `acties team`."""


def home_read(ctx: Ctx) -> Read[list[tuple[Teamactie, str | None]]] | None:
    """On one's own start page: the open team actions one owns (or is reminded of for someone
    outside the chat), each with the buttons its reminder carries; pressed there, they count
    as pressed on the reminder."""
    return None if ctx.is_group else Teamacties.owned_by(ctx.user_id)


async def home_card(ctx: Ctx, owned: list[tuple[Teamactie, str | None]]) -> Reply | None:
    actions = [(action, title) for action, title in owned if action.still_open]
    if not actions:
        return None
    now = local_today(ctx.now(), ctx.timezone)
    parts: list[str | Span] = [b(f"Je open teamacties ({len(actions)})")]
    row: list[Button] = []
    stamp = iso(ctx.now())
    for action, title in actions[:HOME_MAX]:
        parts += [
            f"\n{ICONS[action.status]} {title or TEAM}, actie {action.number}: ",
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
