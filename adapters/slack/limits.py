"""Slack's limits in one place: Block Kit sizes, how long texts are split, send rates, retries.

Sources: Block Kit reference (50 blocks per message, 100 in a Home tab, 3,000 characters per
section text, 25 elements per actions block, 75 characters per button label, 2,000 per button
value; an input's label 2,000; option text 75 and value 150; 100 options in a select, 10 in
checkboxes; block_id 255), chat.postMessage ("about 1 message per second per channel, short bursts allowed") and the
Web API rate-limit guide (HTTP 429 with a `Retry-After` header in seconds).
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
"""What the scheduler keeps to: ~1 message/s per channel (60 a minute), one per second to a DM,
and a modest total so bursts to many channels stay well under the workspace-wide limits."""

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
