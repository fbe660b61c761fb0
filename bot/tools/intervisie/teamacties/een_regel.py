"""`acties team nieuw Buurthuis bellen @sam 15-04`: an action in one line, and the one button
that confirms an @naam no member answers to as an owner outside the group."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.core import flows, identity
from bot.core.context import Ctx
from bot.core.replies import Reply, cmd, say
from bot.text.moments import read_date as read_day
from bot.text.moments import say_date
from bot.text.refused import Refused
from bot.tools.intervisie.shared import read_date, read_text
from bot.tools.intervisie.store.teamacties import ACTION_MAX
from bot.tools.intervisie.teamacties.nieuw import (
    Owner,
    ask_new,
    may_add,
    read_name,
    store,
    stored_reply,
)
from bot.tools.intervisie.teamacties.shared import today

OUTSIDE_FLOW = "teamactie.buiten"
"""A one-line action whose @naam matched no member, held until its adder confirms it."""


def split_owner(tail: str) -> list[tuple[str, str]]:
    """'de wijkagent 15 april' as every (name, date text) split, shortest name first."""
    words = tail.split()
    return [(" ".join(words[:n]), " ".join(words[n:])) for n in range(1, len(words) + 1)]


async def add_in_one_line(ctx: Ctx, rest: str) -> Reply:
    """`acties team nieuw Buurthuis bellen @sam 15-04`: the last @word is the owner, the rest
    after it the date."""
    problem = may_add(ctx)
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
        dms = await ctx.db.read(identity.dms_of(member[0]))
        stored = await store(ctx, checked, Owner(*member), due, None, dms)
        assert stored is not None  # no entry: nothing to have stored it already
        return stored_reply(ctx, stored)
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
    problem = may_add(ctx)
    if problem is not None:
        return [problem]
    found = await flows.find(ctx, payload.get("f"), OUTSIDE_FLOW)
    gone = say(
        "Deze actie is al toegevoegd (of niet meer te bevestigen). Bekijk de lijst met ",
        cmd("acties team"),
        ".",
    )
    if found is None or found.status != "open":
        return [gone]
    flow = found.flow
    try:
        due = date.fromisoformat(str(flow.data.get("datum")))
    except ValueError:
        return [say("Deze knop werkt niet meer. Typ de actie opnieuw.")]
    dms = await ctx.db.read(identity.dms_of(ctx.user_id))
    owner = Owner(None, str(flow.data.get("naam")))
    stored = await store(ctx, str(flow.data.get("tekst")), owner, due, None, dms, flow)
    if stored is None:
        return [gone]
    return [replace(stored_reply(ctx, stored), replaces=True)]
