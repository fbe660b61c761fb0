"""A way out of and back in every question the bot asks: typed ("stop", "annuleer", "terug",
"vorige") or pressed ("Stop", "◀ Terug"). These words are never stored as an answer.

Stopping says what was kept and how to continue; going back shows the previous question again
with the answer given, for the flows that register how (`router.text_flow(..., back=...)`).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from bot.core import flows
from bot.core.context import Ctx
from bot.core.events import Command, TextReply
from bot.core.replies import Audience, Button, Reply, Span, b, cmd, i, say
from bot.core.router import Flow, Router
from bot.text.dutch import fold

STOP_WORDS = frozenset({"stop", "stoppen", "annuleer", "annuleren", "afbreken", "stop maar"})
BACK_WORDS = frozenset({"terug", "vorige", "vorige vraag", "ga terug", "een stap terug"})
SOMETHING = "wat je aan het doen was"


def typed_line(text: str) -> str:
    """'/Stop!', ' STOP ' and 'hulp  nu' as 'stop' and 'hulp nu'."""
    return " ".join(fold(text).lstrip("/").strip(" .!?").split())


def given(answer: str) -> list[str | Span]:
    """The answer given before, when a question is asked again after "terug"."""
    end = "" if answer.rstrip().endswith((".", "!", "?", "…")) else "."
    return ["Je antwoordde: ", i(answer), f"{end} "]


def go_on_or_stop(ctx: Ctx) -> list[str | Span]:
    """How to answer or stop. In a group a command is never an answer (so /stop would reach
    the kletspot's stop): there the word is typed as the answer."""
    word = b("stop") if ctx.is_group else cmd("stop")
    return [" Typ je antwoord, of ", word, " om te stoppen."]


def said(what: Command | TextReply) -> str:
    return what.text if isinstance(what, TextReply) else f"{what.name} {what.args}"


def flow_name(router: Router, kind: str) -> str:
    label = router.flow_labels.get(kind)
    return label.label if label else SOMETHING


def stopped(router: Router, kind: str, just_written: bool) -> list[str | Span]:
    """What stopping says: what was kept, and how to go on later."""
    label = router.flow_labels.get(kind)
    if label is not None and not label.keeps_answers:
        nothing: list[str | Span] = [
            f"Oké, we stoppen hier voor nu met {label.label}. Er is nog niets van bewaard: "
            "dat gebeurt pas als alles is ingevuld."
        ]
        if label.resume:
            nothing += [" Opnieuw beginnen kan met ", cmd(label.resume), "."]
        return nothing
    parts: list[str | Span] = [
        f"Oké, we stoppen hier voor nu met {flow_name(router, kind)}. Wat je eerder al invulde, "
        "blijft bewaard" + ("; wat je net schreef, heb ik niet bewaard." if just_written else ".")
    ]
    if label and label.resume:
        parts += [" Verder gaan kan later met ", cmd(label.resume), "."]
    return parts


async def stop(ctx: Ctx, router: Router, flow: Flow) -> list[Reply]:
    await flows.finish(ctx, flow, "stopped")
    return [
        say(
            *stopped(router, flow.kind, False),
            audience=Audience.QUIET if ctx.is_group else Audience.HERE,
        )
    ]


async def back(ctx: Ctx, router: Router, flow: Flow) -> list[Reply]:
    handler = router.flow_backs.get(flow.kind)
    replies = await handler(ctx, flow) if handler is not None else None
    if replies is not None:
        return replies
    first = "Dit is de eerste vraag" if handler is not None else "Terug kan hier niet"
    return [say(f"{first}.", *go_on_or_stop(ctx), expects_text=True)]


async def buttons_for(ctx: Ctx, router: Router, flow: Flow) -> list[Button]:
    """'◀ Terug' where the flow knows its previous question, and 'Stop' always."""
    at = {"f": flow.id, "k": flow.kind, "s": flow.step}
    row = []
    first = router.flow_firsts.get(flow.kind)
    if flow.kind in router.flow_backs and not (first is not None and first(flow)):
        row.append(await ctx.button("◀ Terug", "steering.terug", at, personal=True))
    if flow.kind not in router.flow_own_stop:
        row.append(await ctx.button("Stop", "steering.stop", at, personal=True))
    return row


_prepared: ContextVar[tuple[int, str, list[Button]] | None] = ContextVar(
    "kletspot_way_out", default=None
)
"""The way out this event made for a question as its flow moved there: the flow, its step and
the buttons."""


def new_event() -> None:
    _prepared.set(None)


async def prepare(ctx: Ctx, router: Router, flow: Flow) -> None:
    """A DM's question gets its way out as its flow moves there (`Ctx.asking`): the buttons are
    held back with the move, so that they travel in its statement or the tool's next one, not
    in a round trip of their own after the answer. Unused when the reply turns out to be no
    question (a token more, pruned with the others). Not inside a transaction, whose
    rollback would take the buttons along: those are made afterwards, as before."""
    if not ctx.is_group and not ctx.db.in_transaction:
        _prepared.set((flow.id, flow.step, await buttons_for(ctx, router, flow)))


async def with_a_way_out(ctx: Ctx, router: Router, replies: list[Reply]) -> list[Reply]:
    """In a DM, the question the bot now waits on gets 'Terug' and 'Stop' buttons. (In a
    group the answer may have to come as a reply to the question, which buttons prevent
    on Telegram; there the typed words work.)"""
    if ctx.is_group or not replies or replies[-1].audience is not Audience.HERE:
        return replies
    if not (replies[-1].expects_text or replies[-1].buttons):
        return replies  # not a question: no need to look for one that waits
    waiting = await flows.waiting_for_text(ctx, set(router.text_flows))
    if waiting is None:
        return replies
    last = replies[-1]
    made = _prepared.get()
    if made is not None and made[:2] == (waiting.id, waiting.step):
        extra = made[2]
    else:
        extra = await buttons_for(ctx, router, waiting)
    return [*replies[:-1], replace(last, buttons=(*last.buttons, *extra))]


WHAT_CAN: tuple[str | Span, ...] = ("Typ ", cmd("hulp"), " om te zien wat kan.")


def nothing_to_stop() -> Reply:
    """A stop word in a DM where no question waits and nothing runs."""
    return say("Er loopt nu niets om te stoppen. ", *WHAT_CAN)


def register(router: Router) -> None:
    """Registered after the tools: a crisis is answered before anything else, then steering."""

    async def steer(
        ctx: Ctx, what: Command | TextReply, waiting: Flow | None
    ) -> list[Reply] | None:
        line = typed_line(said(what))
        if waiting is None:
            if ctx.is_group or router.resolve(line.split(" ")[0]) is not None:
                return None  # group chatter, or a command of its own ("stop": the kletspot's)
            if line in BACK_WORDS:
                return [say("Er is nu geen vraag om naar terug te gaan. ", *WHAT_CAN)]
            if line in STOP_WORDS:
                return [nothing_to_stop()]
            return None
        if line in STOP_WORDS:
            return await stop(ctx, router, waiting)
        if line in BACK_WORDS:  # a watcher's answer gets no buttons from the engine: added here
            return await with_a_way_out(ctx, router, await back(ctx, router, waiting))
        return None

    async def pressed(ctx: Ctx, payload: dict[str, Any]) -> Flow | None:
        found = await flows.find(ctx, payload.get("f"), str(payload.get("k", "")))
        if found is None or found.status != "open" or found.flow.step != payload.get("s"):
            return None
        return found.flow

    async def on_stop(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        flow = await pressed(ctx, payload)
        if flow is None:
            return [say("Deze vraag is al voorbij.")]
        return await stop(ctx, router, flow)

    async def on_back(ctx: Ctx, payload: dict[str, Any]) -> list[Reply]:
        flow = await pressed(ctx, payload)
        if flow is None:
            return [say("Deze vraag is al voorbij.")]
        return await back(ctx, router, flow)

    router.watch(steer)
    router.button("steering.stop", on_stop)
    router.button("steering.terug", on_back)
