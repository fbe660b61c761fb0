"""Engine replies in Telegram's terms: HTML text, message splitting, inline keyboards, menus.

Pure functions only (no network), so they are easy to test and cheap to run.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import replace

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.limits import (
    CALLBACK_DATA_LIMIT,
    NAMED_ROW_MAX,
    ROW_MAX,
    TEXT_LIMIT,
)
from bot.core.replies import Button, Span
from bot.core.router import CommandInfo

log = logging.getLogger(__name__)

SHORT_LABEL = 14
"""Buttons with labels up to this length share a row (colours, `groen-2 uit`); longer ones get their own."""

_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def to_html(spans: Iterable[Span]) -> str:
    """Every span escaped, so user text (a noted point, an own question) can never break markup.

    Colour has no Telegram equivalent; the engine keeps the colour emoji next to it.
    """
    out: list[str] = []
    for span in spans:
        if not span.text:
            continue
        text = html.escape(("/" if span.command else "") + span.text, quote=False)
        if span.italic:
            text = f"<i>{text}</i>"
        if span.bold:
            text = f"<b>{text}</b>"
        out.append(text)
    return "".join(out)


def mention(user_id: int, name: str) -> str:
    """An HTML mention that works without a @username; the name is escaped."""
    return f'<a href="tg://user?id={int(user_id)}">{html.escape(name or "jij", quote=False)}</a>'


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where the chunk starting at `start` ends: the last paragraph break that fits, else the last
    line break, else the last space, else as much as fits."""
    units, end = 0, start
    while end < len(text):
        units += 2 if ord(text[end]) > 0xFFFF else 1
        if units > limit:
            break
        end += 1
    if end >= len(text):
        return len(text)
    window = text[start:end]
    for separator in ("\n\n", "\n", " "):
        at = window.rfind(separator)
        if at > 0:
            return start + at + len(separator)
    return end


def split(spans: tuple[Span, ...], limit: int = TEXT_LIMIT) -> list[tuple[Span, ...]]:
    """Split a reply's spans into messages of at most `limit` characters, at paragraph boundaries
    where possible. Formatting is kept: a span that straddles a cut continues in the next part."""
    text = "".join(s.text for s in spans)
    if utf16_len(text) <= limit:
        return [spans]
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = _cut_point(text, start, limit)
        bounds.append((start, end))
        start = end
    parts: list[tuple[Span, ...]] = []
    for lo, hi in bounds:
        chunk: list[Span] = []
        offset = 0
        for span in spans:
            s_lo, s_hi = offset, offset + len(span.text)
            offset = s_hi
            a, b = max(lo, s_lo), min(hi, s_hi)
            if a < b:
                chunk.append(replace(span, text=span.text[a - s_lo : b - s_lo]))
        chunk = _trim(chunk)
        if chunk:
            parts.append(tuple(chunk))
    return parts


def _trim(chunk: list[Span]) -> list[Span]:
    """Drop the blank lines a cut leaves at either end (Telegram trims them anyway)."""
    while chunk and not chunk[0].text.strip():
        chunk.pop(0)
    while chunk and not chunk[-1].text.strip():
        chunk.pop()
    if chunk:
        first, last = chunk[0], chunk[-1]
        chunk[0] = replace(first, text=first.text.lstrip("\n"))
        last = chunk[-1]
        chunk[-1] = replace(last, text=last.text.rstrip())
    return chunk


def keyboard(buttons: Iterable[Button]) -> InlineKeyboardMarkup | None:
    """An inline keyboard; callback_data is the engine's opaque token, nothing else."""
    rows: list[list[InlineKeyboardButton]] = []
    short_row = False
    named = ""
    for button in buttons:
        if len(button.action_id.encode("utf-8")) > CALLBACK_DATA_LIMIT or not button.action_id:
            log.warning(
                "button dropped: callback data of %d bytes", len(button.action_id.encode("utf-8"))
            )
            continue
        item = InlineKeyboardButton(button.label[:64] or "?", callback_data=button.action_id)
        short = len(button.label) <= SHORT_LABEL
        if button.row:  # the engine named the row (a planning card's weekdays)
            if rows and button.row == named and len(rows[-1]) < NAMED_ROW_MAX:
                rows[-1].append(item)
            else:
                rows.append([item])
            named, short_row = button.row, False
            continue
        named = ""
        if rows and short and short_row and len(rows[-1]) < ROW_MAX:
            rows[-1].append(item)
        else:
            rows.append([item])
            short_row = short
    return InlineKeyboardMarkup(rows) if rows else None


def menu(help_entries: Iterable[CommandInfo], group: bool) -> list[BotCommand]:
    """The command menu for private chats or for groups, from the engine's own help list."""
    commands: list[BotCommand] = []
    seen: set[str] = set()
    for info in help_entries:
        if not (info.group_menu if group else info.dm_menu):
            continue
        name = info.name.lower()
        if not _COMMAND_NAME.match(name) or name in seen:
            log.warning("command left out of the Telegram menu: invalid name")
            continue
        description = " ".join(info.summary.split())
        if len(description) > 256:
            description = description[:255].rstrip() + "…"
        if not description:
            description = name
        seen.add(name)
        commands.append(BotCommand(name, description))
    return commands[:100]
