"""What people type, made safe to store and to put in a Markdown document."""

from __future__ import annotations

import unicodedata

_MARKDOWN = "\\`*_[]<>#|"


def clean(text: str) -> str:
    """Control characters out, line breaks kept (notes may have a few lines), and the joiners
    that make up emoji kept too."""
    kept = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return "\n".join(line.strip() for line in kept.strip().splitlines()).strip()


def escape(text: str) -> str:
    """A note cannot become a heading, a link or a list in an export."""
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in text)
