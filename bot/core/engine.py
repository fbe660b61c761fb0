"""The platform-neutral conversation engine: an `Event` in, a list of `Reply` out."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from random import Random, SystemRandom
from typing import Any

from bot import tools
from bot.core import buttons, flows, identity, inbox, steering
from bot.core.clock import Clock, SystemClock, iso
from bot.core.context import Ctx, Deps
from bot.core.events import (
    Answer,
    ButtonPress,
    Command,
    Event,
    FormSubmitted,
    Keep,
    Membership,
    StartPage,
    TextReply,
)
from bot.core.logsafe import failure
from bot.core.pacing import Paces
from bot.core.replies import Audience, Outgoing, Reply, Span, b, cmd, refused_fields, say
from bot.core.router import Ahead, Flow, Router
from bot.core.storage import Database, Read, Reads, Row, open_database
from bot.timed import due
from content import Content, load_content

log = logging.getLogger(__name__)

MAX_FIELDS = 100
"""A submitted form has at most this many fields (a Slack modal holds 100 blocks)."""
MAX_INPUT = 10_000
"""Anything longer is not a chat message but a paste accident; refused before touching storage."""


class Engine:
    def __init__(
        self, db: Database, content: Content, clock: Clock | None = None, rng: Random | None = None
    ) -> None:
        self.deps = Deps(db, content, clock or SystemClock(), rng or SystemRandom())
        self.paces = Paces(db)
        """Every platform account's send pace in this process (bot/core/pacing.py)."""
        self.router = Router()
        tools.register(self.router)
        steering.register(self.router)
        self.router.tidy(lambda deps, now: buttons.prune(deps.db, now))
        self.router.tidy(lambda deps, now: inbox.prune(deps.db, now))
        self.router.run_command = self._command

    @classmethod
    async def open(
        cls,
        database: str | Path,
        content: Content | None = None,
        clock: Clock | None = None,
        rng: Random | None = None,
    ) -> Engine:
        """`database`: a SQLite file path or a `postgresql://` address."""
        db = await open_database(database)
        try:
            return cls(db, content or load_content(), clock, rng)
        except BaseException:
            await db.close()
            raise

    @property
    def db(self) -> Database:
        return self.deps.db

    async def close(self) -> None:
        await self.deps.db.close()

    async def handle(self, event: Event) -> list[Reply]:
        """Never raises: a failure is logged by kind and id and answered with a plain apology."""
        flows.new_event()
        steering.new_event()
        identity.new_event()
        try:
            async with self.db.unit():
                replies = await self._handle(event)
        except Exception as exc:
            identity.forget(self.db, ids=True)  # a row erased elsewhere may be why: read afresh
            log.error(
                "event failed: kind=%s platform=%s conversation=%s error=%s",
                self._log_kind(event),
                event.actor.platform,
                event.place.conversation_id,
                failure(exc),
            )
            replies = [
                say(
                    "Er ging iets mis bij het verwerken van je bericht. Probeer het zo "
                    "meteen opnieuw."
                )
            ]
        if log.isEnabledFor(logging.DEBUG):  # its kind takes a lookup or two: only when shown
            log.debug("event handled: kind=%s replies=%d", self._log_kind(event), len(replies))
        return [r.in_thread(event.place.thread_id) for r in replies]

    def _log_kind(self, event: Event) -> str:
        if isinstance(event.what, Command):
            known = self.router.name_of(event.what.name)
            return f"command:{known if known in self.router.commands else 'onbekend'}"
        return event.kind

    async def _handle(self, event: Event) -> list[Reply]:
        what = event.what
        if isinstance(what, (Command, TextReply, Answer, Keep, FormSubmitted)):
            size = (
                len(what.args)
                if isinstance(what, Command)
                else what.size
                if isinstance(what, FormSubmitted)
                else len(what.text)
            )
            if size > MAX_INPUT:
                return [
                    say(
                        f"Dat bericht is te lang ({size} tekens). Houd het onder "
                        f"{MAX_INPUT} tekens."
                    )
                ]
        if isinstance(what, Membership):
            return await self._membership(event, what)
        token = (
            what.action_id
            if isinstance(what, ButtonPress)
            else what.token
            if isinstance(what, FormSubmitted)
            else None
        )
        ctx, pressed = await self._context(event, token, self._reads_flows(event))
        if isinstance(what, StartPage):
            return [] if self.router.start_page is None else await self.router.start_page(ctx)
        replies, watched = await self._dispatch(ctx, what, pressed)
        if not watched:  # a watcher's answer brings its own choices (a crisis: go on or stop)
            replies = await self._with_a_way_out(ctx, replies)
        if not isinstance(what, ButtonPress):  # only a press has a message to take the place of
            replies = [replace(r, replaces=False) if r.replaces else r for r in replies]
        return replies

    async def _dispatch(
        self,
        ctx: Ctx,
        what: Command | ButtonPress | TextReply | Answer | Keep | FormSubmitted,
        pressed: buttons.Stored | None,
    ) -> tuple[list[Reply], bool]:
        """The replies, and whether a watcher gave them. `pressed`: what the token of a press
        or a form does, read with who is who (`_context`)."""
        if isinstance(what, ButtonPress):
            return await self._button(ctx, pressed), False
        if isinstance(what, FormSubmitted):
            return await self._form(ctx, what, pressed), False
        if isinstance(what, Keep):
            return await self._keep(ctx, what), False
        if isinstance(what, Command) and self._answers(what):
            # `antwoord <tekst>` is an answer like a form's: "stop" and "terug" steer it too,
            # also in a group, where other commands never reach the waiting question
            what = Answer(what.args.strip())
        waiting = (
            await flows.waiting_for_text(ctx, set(self.router.text_flows))
            if self._reads_flows(ctx.event)
            else None
        )
        seen = TextReply(what.text) if isinstance(what, Answer) else what
        for watcher in self.router.watchers:  # first: a watcher's answer is the whole answer
            taken = await watcher(ctx, seen, waiting)
            if taken is not None:
                return taken, True
        if isinstance(what, Command):
            return await self._command(ctx, what), False
        if isinstance(what, Answer):
            if self.router.answer is None:
                return [], False
            return await self.router.answer(ctx, what.text), False
        return await self._text(ctx, what, waiting), False

    def _ahead(self, what: object) -> Ahead | None:
        return (
            self.router.ahead.get(self.router.name_of(what.name))
            if isinstance(what, Command)
            else None
        )

    def _answers(self, command: Command) -> bool:
        info = self.router.infos.get(self.router.name_of(command.name))
        return info is not None and info.answers

    async def _keep(self, ctx: Ctx, keep: Keep) -> list[Reply]:
        if self.router.keep is None or not keep.text.strip():
            return []
        return _shown(ctx, Audience.HERE, await self.router.keep(ctx, keep.text, keep.author))

    async def _form(
        self, ctx: Ctx, submitted: FormSubmitted, pressed: buttons.Stored | None
    ) -> list[Reply]:
        """Like a button press: the token says what it does and for whom; a required field left
        empty is refused on that field before the tool sees it."""
        stored = await self._stored(ctx, pressed, self.router.forms, "formulier")
        if not isinstance(stored, buttons.Stored):
            return stored
        spec = self.router.form_fields.get(stored.kind)
        names = list(submitted.values)[:MAX_FIELDS] if spec is None else list(spec)
        values = {name: tuple(v.strip() for v in submitted.values.get(name, ())) for name in names}
        spec = spec or {}
        empty = [
            (name, "Vul dit in.")
            for name, required in spec.items()
            if required and not any(values[name])
        ]
        if empty:
            return [refused_fields(*empty)]
        assert isinstance(stored.payload, dict)
        return await self.router.forms[stored.kind](ctx, stored.payload, values)

    async def _with_a_way_out(self, ctx: Ctx, replies: list[Reply]) -> list[Reply]:
        return await steering.with_a_way_out(ctx, self.router, replies)

    def _reads_flows(self, event: Event) -> bool:
        """The event looks for a question that waits (`_dispatch`): any text, and a command in
        a DM or one that answers (`antwoord`); a command in a group reaches no question."""
        what = event.what
        if isinstance(what, Command):
            return not event.place.is_group or self._answers(what)
        return isinstance(what, (TextReply, Answer))

    async def _context(
        self, event: Event, token: str | None, reads_flows: bool = False
    ) -> tuple[Ctx, buttons.Stored | None]:
        """Who is who here, with what the event reads first where that can go along when who
        is who must be read (one round trip): what a pressed token does, or the person's open
        flows here."""
        d = self.deps
        now = iso(d.clock.now())
        open_rows: list[Row] | None = None
        read_ahead = None
        pressed = None
        if token is not None:
            known, pressed = await identity.register_with(
                d.db,
                event.actor,
                event.place,
                now,
                lambda _: buttons.stored_of(token, flows.WITH_BUTTON),
            )
        elif reads_flows:
            ahead = self._ahead(event.what)

            def first(ids: tuple[int, int] | None) -> Read[Any] | Reads[Any] | None:
                rows = flows.open_rows(ids)
                if rows is None or ids is None or ahead is None:
                    return rows
                return Reads.pair(rows, ahead(d, ids[0]))

            known, found = await identity.register_with(d.db, event.actor, event.place, now, first)
            if ahead is not None and found is not None:
                open_rows, read_ahead = found
            else:
                open_rows = found
        else:
            known = await identity.register(d.db, event.actor, event.place, now)
        coordinator = await identity.is_coordinator(d.db, known, event.actor, event.place)
        ctx = Ctx(
            event,
            d.db,
            d.content,
            d.clock,
            d.rng,
            known.user_id,
            known.conversation_id,
            coordinator,
            known.timezone,
            known.first_visit,
            self._asking,
            read_ahead,
            known.title,
        )
        if open_rows is not None:
            flows.seen(ctx, open_rows)
        if pressed is not None:
            flows.pressed(pressed)
        return ctx, pressed

    async def _asking(self, ctx: Ctx, flow: Flow) -> None:
        await steering.prepare(ctx, self.router, flow)

    async def _command(self, ctx: Ctx, command: Command) -> list[Reply]:
        name = command.name.lower().lstrip("/")
        handler = self.router.resolve(name)
        if handler is None:
            return _shown(
                ctx,
                Audience.QUIET,
                [
                    say(
                        "Dat commando ken ik niet: ",
                        Span(name[:60], command=True),
                        ". Typ ",
                        cmd("hulp"),
                        " voor een overzicht van wat ik kan.",
                    )
                ],
            )
        info = self.router.infos[self.router.name_of(name)]
        if not info.answers:
            await flows.drop_questions(ctx)
        args = command.args.strip()
        word, _, rest = args.partition(" ")
        sub = self.router.subcommands.get((info.name, word.lower()))
        if sub is not None:
            return _shown(ctx, sub.in_group, await sub.handler(ctx, rest.strip()))
        return _shown(ctx, info.audience(args), await handler(ctx, args))

    async def _button(self, ctx: Ctx, pressed: buttons.Stored | None) -> list[Reply]:
        stored = await self._stored(ctx, pressed, self.router.buttons)
        if not isinstance(stored, buttons.Stored):
            return stored
        assert isinstance(stored.payload, dict)
        return await self.router.buttons[stored.kind](ctx, stored.payload)

    async def _stored(
        self,
        ctx: Ctx,
        stored: buttons.Stored | None,
        kinds: Mapping[str, object],
        what: str = "knop",
    ) -> buttons.Stored | list[Reply]:
        """What a pressed or submitted token does (`stored`, None for a token never made), or
        the Dutch reason it does nothing (`what`: "knop" for a button, "formulier" for a
        form)."""
        this = f"Deze {what}" if what == "knop" else f"Dit {what}"
        if stored is None or stored.kind not in kinds or not isinstance(stored.payload, dict):
            return [
                say(f"{this} werkt niet meer. Typ ", cmd("hulp"), " om te zien wat je kan doen.")
            ]
        personal_in_own_dm = stored.user_id == ctx.user_id and not ctx.is_group
        if stored.conversation_id != ctx.conversation_id and not personal_in_own_dm:
            return [say(f"{this} hoort bij een ander gesprek.")]
        if stored.user_id is not None and stored.user_id != ctx.user_id:
            return [say(f"{this} is voor iemand anders bedoeld.")]
        return stored

    async def _text(self, ctx: Ctx, reply: TextReply, flow: Flow | None) -> list[Reply]:
        """An answer to the bot's open question first; in a DM, a message that starts with a
        command word is that command ("vraag groen" in Slack's Messages tab, a private chat)."""
        if flow is not None:
            return await self.router.text_flows[flow.kind](ctx, flow, reply.text)
        if ctx.is_group:
            return []
        word, _, rest = reply.text.strip().partition(" ")
        name = word.lower().lstrip("/")
        if self.router.resolve(name) is not None:
            return await self._command(ctx, Command(name, rest))
        if ctx.first_visit and self.router.first_text is not None:
            return await self.router.first_text(ctx, reply.text)
        if self.router.free_text is not None:
            return await self.router.free_text(ctx, reply.text)
        return [
            say(
                "Ik reageer op commando's. Typ ",
                cmd("hulp"),
                " voor een overzicht, of trek een vraag uit de kletspot met ",
                cmd("vraag"),
                ".",
            )
        ]

    async def _membership(self, event: Event, what: Membership) -> list[Reply]:
        if not what.joined:
            await self.set_active(
                event.actor.platform, event.actor.workspace_id, event.place.conversation_id, False
            )
            return []
        await identity.register(self.db, event.actor, event.place, iso(self.deps.clock.now()))
        await self.set_active(
            event.actor.platform, event.actor.workspace_id, event.place.conversation_id, True
        )
        if not event.place.is_group:
            return []
        return [
            say(
                b("Hallo! Ik ben Kletspot."),
                " Ik breng open vragen over eenzaamheid en "
                "sociaal isolement in jullie gesprek, uit de kletspot van Resokit. Trek een "
                "vraag met ",
                cmd("vraag"),
                ", start een kletspot voor de lunch met ",
                cmd("kletspot"),
                ", en noteer wat de moeite waard is met ",
                cmd("noteer"),
                ". Alles op een rij: ",
                cmd("hulp"),
                ".",
            )
        ]

    async def set_active(
        self, platform: str, workspace_id: str, conversation_id: str | None, active: bool
    ) -> None:
        """Removed, blocked or uninstalled (`conversation_id` None: the whole workspace)."""
        await identity.set_active(self.db, platform, workspace_id, conversation_id, active)

    async def move_conversation(
        self, platform: str, workspace_id: str, old_id: str, new_id: str
    ) -> None:
        await identity.move_conversation(self.db, platform, workspace_id, old_id, new_id)

    async def tidy(self) -> int:
        """Run every registered housekeeping once; a failing one is logged and skipped."""
        removed = 0
        for tidier in self.router.tidiers:
            try:
                removed += await tidier(self.deps, self.deps.clock.now())
            except Exception as exc:
                log.error("tidying failed: error=%s", failure(exc))
        return removed

    def claim_due(self, grace: timedelta, owner: str = "") -> AsyncIterator[Outgoing]:
        """Claim every occurrence of timed work due now; each comes back rendered, once."""
        return due.claim_due(self.deps, self.router.timed_work, grace, owner)


def _shown(ctx: Ctx, audience: Audience, replies: list[Reply]) -> list[Reply]:
    """The engine decides who sees a command's answers in a group; a reply that chose its own
    audience (a DM, only for you) keeps it."""
    if not ctx.is_group or audience is Audience.HERE:
        return replies
    return [replace(r, audience=audience) if r.audience is Audience.HERE else r for r in replies]
