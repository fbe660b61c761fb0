"""Long source texts over several messages: whole blocks (a row, a paragraph, a practice) stay
together, and no message grows past what reads well on a phone.

The adapters still split at the platform's hard limits (Telegram 4096, a Slack section 3000);
this keeps a single message well below both, so a split never falls inside a sentence."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.replies import Span

MESSAGE_BUDGET = 2500
"""Characters per message: a few screens on a phone, under Slack's 3000 per section."""

Parts = list[str | Span]


def length(parts: Sequence[str | Span]) -> int:
    return sum(len(p.text if isinstance(p, Span) else p) for p in parts)


def messages(
    head: Parts, blocks: Sequence[Parts], tail: Parts | None = None, budget: int = MESSAGE_BUDGET
) -> list[Parts]:
    """`head` opens the first message and `tail` (a source line) closes the last; each block
    joins the current message while it fits, otherwise it starts the next one. A block longer
    than the budget gets a message of its own (the adapter splits it further if it must)."""
    tail = tail or []
    budget -= length(tail)
    out: list[Parts] = [list(head)]
    for block in blocks:
        current = out[-1]
        if length(current) and length(current) + length(block) > budget:
            out.append(strip_leading_breaks(block))
        else:
            current.extend(block)
    out[-1].extend(tail)
    return out


def strip_leading_breaks(block: Parts) -> Parts:
    """A block that starts a new message does not start with empty lines."""
    parts = list(block)
    while parts and isinstance(parts[0], str) and not parts[0].strip():
        parts.pop(0)
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip("\n")
    return parts
