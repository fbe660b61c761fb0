"""The one outbound reply model. Text is a tuple of styled spans, so adapters escape user text
for their own markup and nothing a user typed can break formatting."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Colour:
    """How to paint a span, said in full so adapters need not know the jar's colours."""

    hex: str
    """'#rrggbb', for platforms that can colour text."""
    ansi: int | None = None
    """A 16-colour terminal code when the content gives one; else a terminal picks the nearest."""


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    colour: Colour | None = None
    command: bool = False
    """A command the user can type: each platform shows it as typed there (/vraag, /kletspot vraag)."""


def cmd(text: str) -> Span:
    return Span(text, bold=True, command=True)


def b(text: str) -> Span:
    return Span(text, bold=True)


def i(text: str) -> Span:
    return Span(text, italic=True)


def coloured(text: str, colour: Colour, bold: bool = True) -> Span:
    """Text in a jar colour; the console shows it in colour, chats keep the emoji next to it."""
    return Span(text, bold=bold, colour=colour)


Rich = tuple[Span, ...]


def rich(*parts: str | Span) -> Rich:
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts)


def plain_text(spans: Rich) -> str:
    return "".join(s.text for s in spans)


class Audience(StrEnum):
    HERE = "here"
    """Everyone in the conversation (or thread) the event came from."""
    PRIVATE = "private"
    """Only the acting user, in place where the platform can (Slack ephemeral), else their DM."""
    DM = "dm"
    """The acting user's direct-message conversation."""
    QUIET = "quiet"
    """A look-up rather than an announcement: only the acting user where the platform can show
    a message to one person in place (Slack's ephemeral messages); elsewhere like HERE."""


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    row: str = ""
    """Buttons next to each other with the same `row` name stay on one row where the platform
    lays out rows (the weekdays of a planning card); empty: the adapter decides."""


@dataclass(frozen=True)
class Attachment:
    """A file beside a reply: a text file (`content`) or a binary one (`data`: a picture, a PDF).

    `alt` says in words what a binary file shows: the caption, the alt text for screen readers,
    and what a person reads instead when a platform refuses the file.
    """

    filename: str
    content: str = ""
    mime: str = "text/markdown"
    data: bytes | None = None
    alt: str = ""

    @property
    def binary(self) -> bool:
        return self.data is not None

    @property
    def picture(self) -> bool:
        return self.data is not None and self.mime.startswith("image/")

    @property
    def payload(self) -> bytes:
        """The file's bytes, whatever its kind."""
        return self.data if self.data is not None else self.content.encode("utf-8")


def picture(filename: str, png: bytes, alt: str) -> Attachment:
    return Attachment(filename, mime="image/png", data=png, alt=alt)


def pdf(filename: str, data: bytes, alt: str) -> Attachment:
    return Attachment(filename, mime="application/pdf", data=data, alt=alt)


REFUSED = (
    "Het bestand {filename} kon hier niet mee (te groot, of ik mag hier geen bestanden sturen)."
)
"""What every platform says when it refused a file and sends the text version instead."""


class FieldKind(StrEnum):
    """What a form field asks for; each platform shows it its own way (Slack: a native element)."""

    TEXT = "text"
    DATE = "date"
    """A calendar day; the value is ISO (2027-01-15)."""
    TIME = "time"
    """A time of day; the value is HH:MM."""
    CHOICE = "choice"
    """One of `choices`; the value is the choice's `value`."""
    CHECKS = "checks"
    """Any of `choices` (weekdays, the steps of a checklist); each ticked value."""
    MEMBER = "member"
    """Someone in the conversation; the value is how the platform mentions them in text (@U123)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    choices: tuple[Choice, ...] = ()
    initial: tuple[str, ...] = ()
    """Values shown filled in (what is stored now)."""
    required: bool = True
    hint: str = ""
    max_length: int = 0
    """For text: at most this many characters (0: the platform's own limit)."""
    multiline: bool = False


@dataclass(frozen=True)
class Form:
    """The same question as the reply's text and buttons, as one form, for a platform with forms
    of its own (a Slack modal). Others ignore it and keep the buttons and typed answers.

    `token` is an engine button token (bound to a conversation, and to a person when personal);
    its submission comes back as a `FormSubmitted` event with every field's values."""

    title: str
    submit: str
    token: str
    fields: tuple[Field, ...]
    intro: Rich = ()


@dataclass(frozen=True)
class FieldError:
    """A submitted value that cannot be used: the field's name and the Dutch reason."""

    name: str
    message: str


@dataclass(frozen=True)
class Reply:
    text: Rich
    buttons: tuple[Button, ...] = ()
    thread_id: str | None = None
    audience: Audience = Audience.HERE
    attachment: Attachment | None = None
    expects_text: bool = False
    """The bot asked for text; platforms that hide group chatter from bots must let the answer through."""
    replaces: bool = False
    """The answer to a button press that takes the place of the message the button was on (a
    card re-rendered, a pressed choice shown as made, its buttons gone). Telegram edits that
    message, Slack replaces it through the press's response_url, the console prints it again;
    where that cannot be done it is sent as a new message. The engine keeps it only for presses."""
    form: Form | None = None
    """The question as a form, for platforms that have forms; never stored with a delivery."""
    field_errors: tuple[FieldError, ...] = ()
    """The answer to a form submission that cannot be used: a platform with forms shows each
    message on its field and keeps the form open; others show the text."""

    @property
    def plain(self) -> str:
        return plain_text(self.text)

    def without_file(self) -> Reply:
        """The text version, for a platform that refused the file: the reply, a short note and
        what the file shows in words."""
        attachment = self.attachment
        if attachment is None:
            return self
        note: list[Span] = [
            Span("\n\n" if self.text else ""),
            Span(REFUSED.format(filename=attachment.filename), italic=True),
        ]
        if attachment.alt:
            note.append(Span("\n" + attachment.alt))
        elif not attachment.binary:
            note.append(Span("\n" + attachment.content))
        return replace(self, text=self.text + tuple(note), attachment=None)

    def in_thread(self, thread_id: str | None) -> Reply:
        return self if self.thread_id or not thread_id else replace(self, thread_id=thread_id)


def say(
    *parts: str | Span,
    buttons: tuple[Button, ...] | list[Button] = (),
    thread_id: str | None = None,
    audience: Audience = Audience.HERE,
    attachment: Attachment | None = None,
    expects_text: bool = False,
    replaces: bool = False,
    form: Form | None = None,
) -> Reply:
    return Reply(
        text=rich(*parts),
        buttons=tuple(buttons),
        thread_id=thread_id,
        audience=audience,
        attachment=attachment,
        expects_text=expects_text,
        replaces=replaces,
        form=form,
    )


def refused_fields(*errors: tuple[str, str], audience: Audience = Audience.QUIET) -> Reply:
    """A form submission refused: each (field, reason), and the reasons as text for platforms
    that show them as a message."""
    return Reply(
        text=rich("\n".join(message for _, message in errors)),
        audience=audience,
        field_errors=tuple(FieldError(name, message) for name, message in errors),
    )


@dataclass(frozen=True)
class Target:
    """Where a message goes that no event asked for (nudges, reminders, session ends)."""

    platform: str
    workspace_id: str
    conversation_id: str | None = None
    user_id: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True)
class Outgoing:
    target: Target
    reply: Reply
    key: str | None = field(default=None)
    """The delivery's unique occurrence key, when the sender must record the outcome."""


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` without its deep copies: a fan-out stores thousands of these."""
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None and is_dataclass(value):
        names = _FIELDS[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if kind is tuple or kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    return value


def outgoing_to_json(outgoing: Outgoing) -> str:
    """A claimed delivery is stored rendered, so a crash before sending can resend the same thing."""
    data = _plain(replace(outgoing, reply=replace(outgoing.reply, form=None, field_errors=())))
    del data["reply"]["form"], data["reply"]["field_errors"]
    attachment = data["reply"]["attachment"]
    if attachment is not None and attachment["data"] is not None:
        attachment["data"] = base64.b64encode(attachment["data"]).decode("ascii")
    return json.dumps(data)


def outgoing_from_json(raw: str) -> Outgoing:
    data = json.loads(raw)
    r = data["reply"]
    reply = Reply(
        text=tuple(_span_from_json(s) for s in r["text"]),
        buttons=tuple(Button(**b) for b in r["buttons"]),
        thread_id=r["thread_id"],
        audience=Audience(r["audience"]),
        attachment=_attachment(r["attachment"]),
        expects_text=r["expects_text"],
        replaces=bool(r.get("replaces", False)),
    )
    return Outgoing(Target(**data["target"]), reply, data["key"])


def _span_from_json(raw: dict[str, Any]) -> Span:
    """Deliveries claimed by an older version named the colour ('groen'); that is left unpainted."""
    colour = raw.get("colour")
    rest = {k: v for k, v in raw.items() if k != "colour"}
    return Span(**rest, colour=Colour(**colour) if isinstance(colour, dict) else None)


def _attachment(raw: dict[str, object] | None) -> Attachment | None:
    if not raw:
        return None
    data = raw.get("data")
    return Attachment(
        str(raw["filename"]),
        str(raw.get("content") or ""),
        str(raw.get("mime") or "text/markdown"),
        base64.b64decode(data) if isinstance(data, str) else None,
        str(raw.get("alt") or ""),
    )
