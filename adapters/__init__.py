"""The platforms Kletspot runs on. The console is the embedded default (`adapters/console.py`);
each chat platform is a package here with a `PLATFORM`, listed once below."""

from __future__ import annotations

from bot.core.platform import Platform


def platforms() -> tuple[Platform, ...]:
    """Imported on use, so the console starts without loading the platform libraries."""
    from adapters import slack, telegram

    return (telegram.PLATFORM, slack.PLATFORM)
