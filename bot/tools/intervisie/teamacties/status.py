"""How an action stands: marked gedaan, nog bezig or geschrapt (typed, or with a button on the
revisit, the list or the reminder), what it brought noted, or taken off the list."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core import flows
from bot.core.buttons import is_id
from bot.core.clock import iso
from bot.core.context import Ctx
from bot.core.replies import Audience, Field, Form, Reply, b, i, refused_fields, rich, say
from bot.core.router import Flow
from bot.timed.herinneringen import Herinneringen
from bot.tools.intervisie.shared import action_by_number, coordinators_only, read_text
from bot.tools.intervisie.store.teamacties import OUTCOME_MAX, Teamactie, Teamacties
from bot.tools.intervisie.teamacties.overzicht import listing
from bot.tools.intervisie.teamacties.shared import (
    EDIT_RIGHTS,
    ICONS,
    REMINDER_KIND,
    STATUS_WORDS,
    TEAM,
    owner_of,
    owner_said,
    status_buttons,
)

FLOW_OUTCOME = "teamactie.uitkomst"
FORM_OUTCOME = "teamactie.uitkomst.formulier"


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
    """No transaction: the status and the end of the owner's reminder (found by its payload,
    not read) travel with the reply's buttons, in one statement."""
    await Teamacties(ctx.db).set_status(action.id, status, ctx.user_id, ctx.now())
    if status in ("gedaan", "geschrapt") and action.reminded is not None:
        await Herinneringen(ctx.db).cancel_where(action.reminded, REMINDER_KIND, "actie", action.id)


async def action_from(ctx: Ctx, payload: dict[str, Any]) -> Teamactie | None:
    action_id = payload.get("a")
    return await Teamacties(ctx.db).get(action_id) if isinstance(action_id, int) else None


async def on_mark(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
    """A status button: on the revisit (a new message), on the list (the list again, in its
    place) or on the reminder (the reminder again, in its place, with what was chosen). The
    action is read with its group's title (on the list, with the list); its new status is
    not read back."""
    action_id = payload.get("a")
    listed: list[Teamactie] | None = None
    found: list[tuple[Teamactie, str | None]] = []
    if is_id(action_id) and payload.get("op") == "lijst":
        found, listed = await ctx.db.together(
            Teamacties.titled(action_id), Teamacties.listed(ctx.conversation_id)
        )
    elif is_id(action_id):
        found = await ctx.db.read(Teamacties.titled(action_id))
    status = str(payload.get("st"))
    if not found or status not in STATUS_WORDS:
        return [say("Deze actie staat niet meer op de lijst van het team.")]
    action, title = found[0]
    where = payload.get("op")
    if where not in ("lijst", "herinnering") or not may_mark(ctx, action):
        return [await mark(ctx, action, status)]
    if action.status == status:
        said = f"Actie {action.number} stond al op {STATUS_WORDS[status]}: er is niets veranderd."
    else:
        await set_status(ctx, action, status)
        said = f"{ICONS[status]} Actie {action.number} staat op {STATUS_WORDS[status]}."
    if where == "lijst":
        shown = [replace(a, status=status) if a.id == action.id else a for a in listed or []]
        return [replace(await listing(ctx, said, shown if listed else None), replaces=True)]
    fresh = replace(action, status=status)
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
    return [
        say(
            b(f"⏰ Actie {action.number} van {title or TEAM}: "),
            action.text,
            i(f"\n{owner_said(fresh)}"),
            "\n\n",
            b(said),
            f"\n{question}",
            buttons=row,
            replaces=True,
        )
    ]


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


async def numbered(ctx: Ctx, text: str) -> Teamactie | Reply:
    return await action_by_number(ctx, text, "Welke actie?", "acties team gedaan 2")


async def remove(ctx: Ctx, rest: str) -> Reply:
    if not ctx.is_coordinator:
        return coordinators_only(EDIT_RIGHTS)
    action = await numbered(ctx, rest)
    if isinstance(action, Reply):
        return action
    # no transaction: the end of the owner's reminder is held back and goes in the statement
    # that takes the action off the list
    if action.reminded is not None:
        await Herinneringen(ctx.db).cancel_where(action.reminded, REMINDER_KIND, "actie", action.id)
    await Teamacties(ctx.db).remove(action.id)
    return say(f"Actie {action.number} is van de lijst gehaald: ", i(action.text))
