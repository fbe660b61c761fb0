"""The one inbound event model: every adapter turns a platform update into an `Event`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """Who acts. `is_platform_admin` is the platform's word (chat admin, workspace owner);
    the engine adds the coordinators people named themselves."""

    platform: str
    workspace_id: str
    user_id: str
    display_name: str
    handle: str | None = None
    is_platform_admin: bool = False


@dataclass(frozen=True)
class Place:
    """Where it happens. `conversation_id` is what keeps jars apart (a Telegram forum topic
    is its own conversation); `thread_id` is only where replies go."""

    conversation_id: str
    is_group: bool
    thread_id: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Command:
    name: str
    args: str = ""


@dataclass(frozen=True)
class ButtonPress:
    action_id: str


@dataclass(frozen=True)
class TextReply:
    """Free text; only meaningful as the answer to a question the bot asked."""

    text: str


@dataclass(frozen=True)
class Answer:
    """Text written in the platform's own form for the bot's open question (a Slack modal):
    an answer, wherever it was asked, also in a group where plain text does not reach the bot."""

    text: str


@dataclass(frozen=True)
class Keep:
    """A message someone picked to keep (Slack's message shortcut): its text, possibly edited,
    and the name of whoever wrote it when that was someone else."""

    text: str
    author: str | None = None


@dataclass(frozen=True)
class FormSubmitted:
    """A form (`replies.Form`) filled in: its token and every field's values by name (a date as
    ISO, a time as HH:MM, a member as the platform mentions them, ticked choices by value)."""

    token: str
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(v) for values in self.values.values() for v in values)


@dataclass(frozen=True)
class StartPage:
    """The person opened their start page (Slack's App Home): what waits for them."""


@dataclass(frozen=True)
class Membership:
    """The bot itself was added to (`joined`) or removed from the conversation, or blocked."""

    joined: bool


@dataclass(frozen=True)
class Event:
    actor: Actor
    place: Place
    what: Command | ButtonPress | TextReply | Answer | Keep | FormSubmitted | StartPage | Membership

    @property
    def kind(self) -> str:
        """A log-safe name for the event: never anything the user typed (not even a command
        name, which for an unknown command is free text); the engine logs the resolved name."""
        if isinstance(self.what, Command):
            return "command"
        if isinstance(self.what, ButtonPress):
            return "button"
        if isinstance(self.what, Answer):
            return "answer"
        if isinstance(self.what, Keep):
            return "keep"
        if isinstance(self.what, FormSubmitted):
            return "form"
        if isinstance(self.what, StartPage):
            return "start_page"
        if isinstance(self.what, Membership):
            return "joined" if self.what.joined else "left"
        return "text"
