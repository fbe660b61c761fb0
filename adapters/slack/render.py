"""Engine replies to Block Kit, and Slack's escaped text back to what the user typed.

Spans become mrkdwn with `&`, `<` and `>` escaped (the three characters Slack documents; the rest
of mrkdwn cannot be neutralised inside user text, so bold and italic markers are only put around
engine spans). Long texts are split with the limits in `limits.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.slack.limits import (
    BLOCKS_PER_HOME,
    BLOCKS_PER_MESSAGE,
    BUTTON_LABEL_MAX,
    BUTTON_VALUE_MAX,
    BUTTONS_PER_ACTIONS,
    FALLBACK_MAX,
    METADATA_MAX,
    SECTION_MAX,
    split_text,
    truncate,
)
from adapters.slack.presentation import ANSWER_BUTTON_LABEL, ATTACHMENT_HEADER
from bot.core.replies import Attachment, Button, Reply, Span

Block = dict[str, Any]

ANSWER_BUTTON = "kletspot.antwoorden"
"""action_id of the adapter's own "Antwoorden" button under a question in a channel: it opens
a modal (modals.py); every other button carries an engine token and is named k<n>."""


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def span_mrkdwn(span: Span) -> str:
    if span.command:
        return f"`/kletspot {escape(span.text)}`"
    text = escape(span.text)
    if not (span.bold or span.italic):
        return text
    lines = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            lines.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()) :]
        if span.italic:
            core = f"_{core}_"
        if span.bold:
            core = f"*{core}*"
        lines.append(lead + core + trail)
    return "\n".join(lines)


def mrkdwn(spans: Sequence[Span]) -> str:
    return "".join(span_mrkdwn(s) for s in spans)


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(text)}]}


def attachment_blocks(attachment: Attachment) -> list[Block]:
    """A document as a header and its content in code blocks (split when long); see README."""
    header = section(f"*{escape(ATTACHMENT_HEADER.format(filename=attachment.filename))}*")
    content = escape(attachment.content.rstrip("\n")).replace("```", "``\u200b`")
    chunks = split_text(content, SECTION_MAX - 8) or [" "]
    return [header, *(section(f"```\n{chunk}\n```") for chunk in chunks)]


def button(b: Button, index: int) -> Block:
    return {
        "type": "button",
        "action_id": f"k{index}",
        "text": {
            "type": "plain_text",
            "text": truncate(b.label, BUTTON_LABEL_MAX) or "…",
            "emoji": True,
        },
        "value": b.action_id[:BUTTON_VALUE_MAX],
    }


def actions(buttons: Sequence[Button], start: int = 0) -> list[Block]:
    """Actions blocks of at most BUTTONS_PER_ACTIONS; buttons the engine put on a named row
    (a planning card's weekdays, one team action's choices) get an actions block of their own."""
    out: list[Block] = []
    row_name: str | None = None
    for n, b in enumerate(buttons):
        element = button(b, start + n)
        if (
            not out
            or len(out[-1]["elements"]) >= BUTTONS_PER_ACTIONS
            or (b.row or row_name)
            and b.row != row_name
        ):
            out.append({"type": "actions", "elements": []})
        out[-1]["elements"].append(element)
        row_name = b.row
    return out


def answer_button() -> Block:
    return {
        "type": "button",
        "action_id": ANSWER_BUTTON,
        "style": "primary",
        "value": "1",
        "text": {"type": "plain_text", "text": ANSWER_BUTTON_LABEL, "emoji": True},
    }


def reply_blocks(
    reply: Reply, notes: Sequence[str] = (), start: int = 0, answer: bool = False
) -> list[Block]:
    """`answer`: the reply asks for text where Slack cannot send it to the bot (a channel), so
    an "Antwoorden" button opens a modal for it."""
    blocks = [section(chunk) for chunk in split_text(mrkdwn(reply.text))]
    if reply.attachment is not None:
        blocks += attachment_blocks(reply.attachment)
    blocks += [context(note) for note in notes]
    rows = actions(reply.buttons, start)
    if answer:
        if rows and len(rows[-1]["elements"]) < BUTTONS_PER_ACTIONS:
            rows[-1]["elements"].insert(0, answer_button())
        else:
            rows.append({"type": "actions", "elements": [answer_button()]})
    return blocks + rows


@dataclass
class Message:
    """One chat.postMessage / chat.postEphemeral / response_url payload."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _fallback(blocks: list[Block]) -> str:
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    if not texts:
        texts = [
            " · ".join(
                e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]
            )
        ]
    return truncate("\n\n".join(t for t in texts if t) or "Kletspot", FALLBACK_MAX)


def render(reply: Reply, notes: Sequence[str] = (), answer: bool = False) -> list[Message]:
    """One reply as one or more messages, each within Slack's block limit, each with a
    plain-text fallback; the buttons come with the last part."""
    blocks = reply_blocks(reply, notes, answer=answer)
    messages = []
    for first in range(0, len(blocks), BLOCKS_PER_MESSAGE):
        part = blocks[first : first + BLOCKS_PER_MESSAGE]
        messages.append(Message(_fallback(part), part))
    return messages


def home_view(replies: Sequence[Reply], private_metadata: str) -> dict[str, Any]:
    blocks: list[Block] = []
    index = 0
    for reply in replies:
        blocks += reply_blocks(reply, start=index)
        index += len(reply.buttons)
    if len(blocks) > BLOCKS_PER_HOME:
        blocks = blocks[:BLOCKS_PER_HOME]
    return {"type": "home", "blocks": blocks, "private_metadata": private_metadata[:METADATA_MAX]}


# --- inbound: Slack's escaped text to what the user typed ---------------------------------------

_MARKUP = re.compile(r"<([^<>]*)>")


def _token(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return target  # <@U123|anne> -> @U123 (the engine matches ids)
    if target.startswith("#"):
        return "#" + (label or target[1:])  # <#C123|general> -> #general
    if target.startswith("!"):
        special = target[1:]
        if special.startswith("subteam^"):
            return label or "@" + special.split("^", 1)[1]
        return label or "@" + special.split("^", 1)[0]  # <!here> -> @here
    if target.startswith("mailto:"):
        return label or target[len("mailto:") :]
    return target  # <https://x|x> -> https://x


def from_slack(text: str) -> str:
    """Undo Slack's escaping in slash-command and message text."""
    text = _MARKUP.sub(_token, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
