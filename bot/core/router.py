"""Where features register their commands, buttons and text answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

from bot.core.context import Ctx, Deps
from bot.core.events import Command, TextReply
from bot.core.replies import Attachment, Audience, Reply
from bot.core.storage import Read, Reads

if TYPE_CHECKING:
    from bot.core.replies import Span
    from bot.timed.due import TimedWork
    from bot.timed.herinneringen import ReminderRenderer

T = TypeVar("T")
Replies = list[Reply]
CommandHandler = Callable[[Ctx, str], Awaitable[Replies]]
ButtonHandler = Callable[[Ctx, dict[str, Any]], Awaitable[Replies]]
TextHandler = Callable[[Ctx, "Flow", str], Awaitable[Replies]]
BackHandler = Callable[[Ctx, "Flow"], Awaitable["Replies | None"]]
NudgeRenderer = Callable[[Deps, int], Awaitable[Reply]]
"""Renders what a weekly nudge posts in a conversation (by database id)."""
Watcher = Callable[[Ctx, "Command | TextReply", "Flow | None"], Awaitable["Replies | None"]]
"""Sees every text and command a user writes, with the question of the bot that waits for their
answer, before that question or the command does; what it returns is the whole answer and the
text goes no further (the crisis signposting, `hulp nu` and `stop` inside a flow)."""
FreeText = Callable[[Ctx, str], Awaitable[Replies]]
"""A text in a DM that is no command, no answer to an open question and not taken by a watcher."""
CommandRunner = Callable[[Ctx, Command], Awaitable[Replies]]
FormHandler = Callable[[Ctx, dict[str, Any], dict[str, tuple[str, ...]]], Awaitable[Replies]]
"""A submitted form: the token's payload and each field's values (stripped) by name."""
KeepHandler = Callable[[Ctx, str, "str | None"], Awaitable[Replies]]
"""A message someone picked to keep: its text and the name of who wrote it, if someone else."""
Tidy = Callable[[Deps, datetime], Awaitable[int]]
"""Deletes what is no longer needed as of `now`; returns how many rows went."""
HomePart: TypeAlias = "list[str | Span] | Reply | None"
"""What a feature shows on a user's start page: lines above the three paths, or a card with
buttons of its own below them (open team actions), or nothing."""
StartPageHandler = Callable[[Ctx], Awaitable[Replies]]
Ahead = Callable[[Deps, int], Read[Any]]
"""What a command reads first, for a conversation (by database id): `Router.command`."""
Erase = Callable[[Deps, int], Awaitable[None]]
"""Remove everything a feature stores about one user; runs inside the erasure's transaction.
Its writes are held back (`db.later`) and find their rows by conditions, with whole numbers as
their only values (no text: a kind or status is written in the SQL), and it reads nothing, so
the transaction stays one round trip (`Database.transaction`;
tests/tools/reflectie/test_privacy.py counts it)."""


@dataclass(frozen=True)
class Home(Generic[T]):
    """A feature's part of a user's start page (`overzicht`, Slack's App Home): what it reads,
    which goes with the other parts' reads in one round trip, and what it shows of that."""

    read: Callable[[Ctx], Read[T] | None]
    """None: nothing to show here (a group)."""
    show: Callable[[Ctx, T], Awaitable[HomePart]]


@dataclass(frozen=True)
class PersonalData(Generic[T]):
    """A feature's part of everything the bot keeps about one person: what it reads, which goes
    with the other parts' reads in one round trip (`mijngegevens`, and the question of
    `vergeetmij`), what it hands over of that, how it is erased, and what it draws from it."""

    name: str
    read: Callable[[int], Read[T] | Reads[T]]
    """Its rows of one user (database id)."""
    export: Callable[[Deps, T], dict[str, Any]]
    """Those rows as plain JSON-able data, by section name."""
    erase: Erase
    files: Callable[[Ctx, T], Awaitable[list[Attachment]]] | None = None
    """Pictures drawn from those rows, handed over too (never stored: erasing the rows is
    what erases them)."""


@dataclass(frozen=True)
class NudgeKind:
    name: str
    label: str
    render: NudgeRenderer


@dataclass(frozen=True)
class Flow:
    id: int
    kind: str
    step: str
    data: dict[str, Any]


@dataclass(frozen=True)
class FlowLabel:
    """How a text flow is named to the person: 'je persoonlijk plan', and the command that
    picks it up again later ('plan'), when there is one."""

    label: str
    resume: str = ""
    keeps_answers: bool = True
    """False for a flow that stores everything at its end (the checklist): stopping keeps
    nothing of it, and says so."""


@dataclass(frozen=True)
class CommandInfo:
    name: str
    summary: str
    example: str
    coordinators_only: bool = False
    group_menu: bool = True
    dm_menu: bool = True
    answers: bool = False
    """The command answers the bot's open question, so it must not withdraw it first."""
    in_group: Audience = field(kw_only=True)
    """Who sees its answers when typed in a group: HERE for what the team shares (a question,
    a note), QUIET for look-ups and settings. Every command says it; adapters only render it."""
    arguments: Mapping[str, Audience] = field(default_factory=dict, kw_only=True)
    """A first argument word that changes that (`punten export` is for everyone)."""

    def audience(self, args: str) -> Audience:
        first = args.split(maxsplit=1)[0].lower() if args.split() else ""
        return self.arguments.get(first, self.in_group)


@dataclass(frozen=True)
class Subcommand:
    handler: CommandHandler
    in_group: Audience


@dataclass
class Router:
    commands: dict[str, CommandHandler] = field(default_factory=dict)
    ahead: dict[str, Ahead] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    buttons: dict[str, ButtonHandler] = field(default_factory=dict)
    forms: dict[str, FormHandler] = field(default_factory=dict)
    form_fields: dict[str, dict[str, bool] | None] = field(default_factory=dict)
    """Per form kind: its field names and whether each is required (None: whatever was
    submitted, nothing required; for forms whose fields come from the content)."""
    text_flows: dict[str, TextHandler] = field(default_factory=dict)
    flow_labels: dict[str, FlowLabel] = field(default_factory=dict)
    flow_backs: dict[str, BackHandler] = field(default_factory=dict)
    flow_firsts: dict[str, Callable[[Flow], bool]] = field(default_factory=dict)
    flow_own_stop: set[str] = field(default_factory=set)
    """Flows whose questions carry their own way to end (the terugblik's "Stop hier")."""
    flows_answered_once: set[str] = field(default_factory=set)
    """Flows whose handler stores one text given twice for one question once (`text_flow`'s
    `answers_once`)."""
    help: list[CommandInfo] = field(default_factory=list)
    infos: dict[str, CommandInfo] = field(default_factory=dict)
    nudges: dict[str, NudgeKind] = field(default_factory=dict)
    reminders: dict[str, ReminderRenderer] = field(default_factory=dict)
    subcommands: dict[tuple[str, str], Subcommand] = field(default_factory=dict)
    topics: dict[str, CommandInfo] = field(default_factory=dict)
    """What `hulp <naam>` says about a subcommand (`acties team`, `hulp nu`)."""
    watchers: list[Watcher] = field(default_factory=list)
    personal_data: list[PersonalData[Any]] = field(default_factory=list)
    homes: list[Home[Any]] = field(default_factory=list)
    start_page: StartPageHandler | None = None
    """What a `StartPage` event shows (`overzicht`)."""
    timed_work: list[TimedWork[Any]] = field(default_factory=list)
    tidiers: list[Tidy] = field(default_factory=list)
    free_text: FreeText | None = None
    first_text: FreeText | None = None
    """The first text someone writes in a DM that is no command nor answer: the introduction."""
    answer: FreeText | None = None
    """An answer given in a platform's form to the bot's open question (`Answer`)."""
    keep: KeepHandler | None = None
    """A message picked to keep (`Keep`): the jar's notes."""
    run_command: CommandRunner | None = None
    """Set by the engine: a command as if typed (for buttons that stand for a command)."""

    def command(
        self,
        info: CommandInfo,
        handler: CommandHandler,
        *aliases: str,
        ahead: Ahead | None = None,
    ) -> None:
        """`ahead`: what the command reads first whatever its arguments (the jar a `vraag`
        draws from), sent with the event's first read where it reads one anyway (a command in
        a DM reads the person's open flows with who is who): the handler finds it in
        `ctx.ahead`, or None where it was not read."""
        self.commands[info.name] = handler
        self.infos[info.name] = info
        self.help.append(info)
        for alias in aliases:
            self.aliases[alias] = info.name
        if ahead is not None:
            self.ahead[info.name] = ahead

    def button(self, kind: str, handler: ButtonHandler) -> None:
        self.buttons[kind] = handler

    def form(self, kind: str, handler: FormHandler, fields: dict[str, bool] | None = None) -> None:
        """A form's submission (`FormSubmitted`), like a button: `kind` is what its token was
        made with; `fields` names each field and whether it must be filled in."""
        self.forms[kind] = handler
        self.form_fields[kind] = None if fields is None else dict(fields)

    def on_answer(self, handler: FreeText) -> None:
        self.answer = handler

    def on_keep(self, handler: KeepHandler) -> None:
        self.keep = handler

    def text_flow(
        self,
        kind: str,
        handler: TextHandler,
        *,
        label: str = "",
        resume: str = "",
        back: BackHandler | None = None,
        first: Callable[[Flow], bool] | None = None,
        own_stop: bool = False,
        keeps_answers: bool = True,
        answers_once: bool = False,
    ) -> None:
        """`label` names the flow to the person ('je persoonlijk plan') when it is paused or
        stopped; `resume` is the command that continues it later; `back` asks the previous
        question again (None from it: this is the first).

        `answers_once`: the handler stores an answer only for the question of the flow it is
        given, and the same text given twice for it at the same moment once: its writes land
        only while that question still waits (`flows.still_at`, `flows.move`), or write the
        same again in the same place. A text paused after words of distress then goes to the
        handler with the press that continues it, its pause deleted in the handler's first
        statement rather than taken before (`veiligheid`): one round trip less."""
        self.text_flows[kind] = handler
        if label:
            self.flow_labels[kind] = FlowLabel(label, resume, keeps_answers)
        if back is not None:
            self.flow_backs[kind] = back
        if first is not None:
            self.flow_firsts[kind] = first
        if own_stop:
            self.flow_own_stop.add(kind)
        if answers_once:
            self.flows_answered_once.add(kind)

    def subcommand(
        self, command: str, word: str, handler: CommandHandler, *, in_group: Audience
    ) -> None:
        """`acties team ...` handled by another feature than `acties`: the first argument word
        picks the handler, which gets the remaining arguments."""
        self.subcommands[(command, word)] = Subcommand(handler, in_group)

    def explain(self, info: CommandInfo) -> None:
        """Help for a subcommand (`reflectie team`): `hulp reflectie team` shows it."""
        self.topics[info.name] = info

    def home(
        self, read: Callable[[Ctx], Read[T] | None], show: Callable[[Ctx, T], Awaitable[HomePart]]
    ) -> None:
        self.homes.append(Home(read, show))

    def on_start_page(self, handler: StartPageHandler) -> None:
        self.start_page = handler

    def watch(self, watcher: Watcher) -> None:
        self.watchers.append(watcher)

    def on_free_text(self, handler: FreeText) -> None:
        self.free_text = handler

    def on_first_text(self, handler: FreeText) -> None:
        self.first_text = handler

    def personal(
        self,
        name: str,
        read: Callable[[int], Read[T] | Reads[T]],
        export: Callable[[Deps, T], dict[str, Any]],
        erase: Erase,
        files: Callable[[Ctx, T], Awaitable[list[Attachment]]] | None = None,
    ) -> None:
        """Every feature that stores something about a person registers how to hand it over
        (`mijngegevens`) and how to erase it (`vergeetmij`)."""
        self.personal_data.append(PersonalData(name, read, export, erase, files))

    def nudge(self, name: str, label: str, render: NudgeRenderer) -> None:
        self.nudges[name] = NudgeKind(name, label, render)

    def reminder(self, kind: str, render: ReminderRenderer) -> None:
        self.reminders[kind] = render

    def tidy(self, tidier: Tidy) -> None:
        """Housekeeping the scheduler runs every few minutes: delete what is no longer needed
        (held texts, old tokens). Sends nothing; returns how many rows it removed."""
        self.tidiers.append(tidier)

    def timed(self, work: TimedWork[Any]) -> None:
        """Everything that happens at a moment rather than on an event goes through here."""
        self.timed_work.append(work)

    def name_of(self, typed: str) -> str:
        """The command a typed name stands for (its own name, or the one of its alias)."""
        name = typed.lower().lstrip("/")
        return self.aliases.get(name, name)

    def resolve(self, name: str) -> CommandHandler | None:
        return self.commands.get(self.name_of(name))
