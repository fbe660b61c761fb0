"""Slack's limits in one place: Block Kit sizes, how long texts are split, send rates, retries.

Sources: Block Kit reference (50 blocks per message, 100 in a Home tab, 3,000 characters per
section text, 25 elements per actions block, 75 characters per button label, 2,000 per button
value; an input's label 2,000; option text 75 and value 150; 100 options in a select, 10 in
checkboxes; block_id 255); the Web API rate-limit guide (api.slack.com/apis/rate-limits: limits
apply "per API method per app per workspace"; Tier 3 50+ a minute, Tier 4 100+; chat.postMessage
is "Special": "one message per second per channel, while also maintaining a workspace-wide
limit"; "Posting messages: 1 per second, short bursts >1 allowed"; incoming webhooks the same;
HTTP 429 with a `Retry-After` header in seconds); the methods' reference pages for their tiers
(api.slack.com/methods/<method>: chat.postEphemeral, views.open, views.publish, users.info,
files.getUploadURLExternal and files.completeUploadExternal Tier 4; conversations.info and
conversations.open Tier 3).

What waits for the workspace's pace (`SEND_LIMITS`, kept by `outbound.Poster`): every message
that goes into a conversation, as it is what the posting limits count: chat.postMessage,
chat.postEphemeral, a file (files_upload_v2 waits once, before its files.completeUploadExternal
shares it), a response_url post and a response_url replacement (the message a button was on,
as chat.update would). What does not: views.open, views.publish (the Home tab), users.info,
conversations.info, conversations.open, auth.test. They are not messages, each has its own
per-method budget of 50 to 100+ a minute per workspace, one command or button causes at most
one of each (users.info and conversations.open are cached), and a 429 there is waited out by
the direct client's retry handler.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)

from bot.core.delivery import SendLimits

SECTION_MAX = 3000
BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_HOME = 100
BUTTONS_PER_ACTIONS = 25
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
MODAL_BLOCKS = 100
VIEW_TITLE_MAX = 24
"""A modal's title, submit and close labels."""
INPUT_MAX = 3000
"""plain_text_input max_length (Slack allows at most 3,000) and its initial_value."""
METADATA_MAX = 3000
"""A view's private_metadata."""
INPUT_LABEL_MAX = 2000
"""An input block's label and hint."""
PLACEHOLDER_MAX = 150
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_PER_SELECT = 100
"""static_select and multi_static_select."""
OPTIONS_PER_CHECKBOXES = 10
"""More choices than this are shown as a multi_static_select instead."""
BLOCK_ID_MAX = 255
FALLBACK_MAX = 3000
"""The plain `text` next to blocks (notifications, screen readers); Slack truncates at 40,000."""

SEND_LIMITS = SendLimits(per_second=4.0, per_group_per_minute=60, per_private_per_second=1)
"""The workspace's pace (`bot/core/pacing.py`), for replies and scheduled posts alike: 4 messages
a second in all (240 a minute: Slack names no number for chat.postMessage's workspace-wide
limit, and this stays modest while a fan-out to 100 channels takes half a minute; an ephemeral
message's Tier 4 is "100+" a minute, which only a hundred people asking at once would reach),
and per channel 60 a minute, which the pace spends as half at once and the rest spread over the
minute (30, then one per 2.2 s).

A channel counts as a group for replies too: chat.postMessage allows about one a second per
channel, so many people answering in one busy channel (a session, a meeting) must keep it, and
the burst of 30 means a reply of several parts (an export: two messages and a file) is never held
back by it, only by the workspace's turns (a quarter of a second each). Only what everyone in the
channel sees counts for it (chat.postMessage, a file, a visible response_url post): an ephemeral
message is chat.postEphemeral's (Tier 4, per workspace), and a DM, like Telegram's private chats,
has no pace of its own (what goes there answers what the person typed, and a pace there would
hold back a reply of several parts)."""

DIRECT_RETRIES = 2
"""Direct replies (answers to a command or button) retry a 429 after `Retry-After`, a 5xx and a
dropped connection this many times (slack_sdk's own retry handlers); scheduled deliveries make
one attempt and let the scheduler retry."""

CONNECTION_RETRY_AFTER = 5.0
"""Seconds the scheduler waits after a network error before trying a delivery again."""
RATE_LIMIT_RETRY_AFTER = 30.0
"""When a 429 carries no `Retry-After` header (it should)."""


class AnyServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's server-error handler retries 500 and 503 only; a proxy's 502 or 504 in front
    of the Web API is just as passing."""

    async def _can_retry_async(
        self, *, state: Any, request: Any, response: Any = None, error: Any = None
    ) -> bool:
        return response is not None and 500 <= int(response.status_code) < 600


def direct_retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=DIRECT_RETRIES),
        AnyServerErrorRetryHandler(max_retry_count=DIRECT_RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=DIRECT_RETRIES),
    ]


def single_attempt_handlers() -> list[AsyncRetryHandler]:
    """No retries inside the client (an empty list, not None: None means slack_sdk's default)."""
    return []


def safe_cut(text: str, limit: int) -> int:
    """Where to cut `text` to at most `limit` characters without splitting an `&amp;` entity;
    prefers the last space or line break in the second half."""
    if len(text) <= limit:
        return len(text)
    cut = limit
    amp = text.rfind("&", max(0, cut - 5), cut)
    if amp != -1 and ";" not in text[amp:cut]:
        cut = amp
    space = max(text.rfind(" ", 0, cut), text.rfind("\n", 0, cut))
    if space > limit // 2:
        cut = space + 1
    return max(cut, 1)


def split_text(text: str, limit: int = SECTION_MAX) -> list[str]:
    """Split mrkdwn into pieces of at most `limit` characters: at paragraphs first, then at line
    breaks, then at spaces, and only as a last resort inside a word."""
    text = text.strip("\n")
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    for sep in ("\n\n", "\n"):
        if sep in text:
            return _pack(text.split(sep), sep, limit)
    pieces: list[str] = []
    while text:
        cut = safe_cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [p for p in pieces if p]


def _pack(parts: list[str], sep: str, limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = part if not current else current + sep + part
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
            current = ""
        if len(part) <= limit:
            current = part
        else:
            out.extend(split_text(part, limit))
    if current.strip("\n"):
        out.append(current)
    return [p.strip("\n") for p in out if p.strip("\n")]


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: safe_cut(text, limit - 1)].rstrip() + "…"


FILE_MAX = 1024 * 1024 * 1024
"""Bytes: Slack's upload limit; larger files are not tried."""
