"""Logging a failure without what caused it: exception messages can quote user input (a time
zone someone typed, a number that would not parse), and user input never goes to a log."""

from __future__ import annotations

import traceback


def failure(exc: BaseException) -> str:
    """The error class and the code path (file, line, source line), never the message."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return f"{type(exc).__name__}\n{frames.rstrip()}"
