"""Pictures and printable documents, made from plain data and never touching a platform.

Everything here is synchronous and CPU-bound: tools call it through `asyncio.to_thread`
(`bot.drawing.off_loop`) so a drawing never blocks the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from bot.core import replies
from bot.drawing.document import Document, render

P = ParamSpec("P")
T = TypeVar("T")


async def off_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a drawing in a worker thread; the event loop keeps answering meanwhile."""
    return await asyncio.to_thread(work, *args, **kwargs)


async def pdf_reply(doc: Document, lead: str, filename: str, alt: str) -> replies.Reply:
    """A document as an A4 PDF under one line of text; `alt` says in words what it holds."""
    data = await off_loop(render, doc)
    return replies.say(lead, attachment=replies.pdf(filename, data, alt))
