"""Kletspot on Telegram (python-telegram-bot 22): groups, forum topics and private chats."""

from .adapter import DEFAULT_BASE_URL, TelegramAdapter
from .runner import PLATFORM, SettingsError, TelegramSettings, serve

__all__ = [
    "DEFAULT_BASE_URL",
    "PLATFORM",
    "SettingsError",
    "TelegramAdapter",
    "TelegramSettings",
    "serve",
]
