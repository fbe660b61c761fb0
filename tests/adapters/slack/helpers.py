"""Reading what the adapter sent: section texts and buttons of recorded posts."""

from __future__ import annotations

import json
from typing import Any


def blocks_of(post: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = post.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def text_of(post: dict[str, Any]) -> str:
    """The mrkdwn of every section and context block of one post."""
    parts = []
    for block in blocks_of(post):
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [e["text"] for e in block["elements"]]
    return "\n".join(parts)


def all_text(posts: list[dict[str, Any]]) -> str:
    return "\n".join(text_of(p) for p in posts)


def buttons_of(post: dict[str, Any]) -> dict[str, str]:
    """Button label -> value (the engine's token)."""
    out = {}
    for block in blocks_of(post):
        if block["type"] == "actions":
            for element in block["elements"]:
                out[element["text"]["text"]] = element["value"]
    return out


def button(posts: list[dict[str, Any]], label: str) -> str:
    for post in reversed(posts):
        found = buttons_of(post)
        if label in found:
            return found[label]
    raise AssertionError(f"no button {label!r}")
