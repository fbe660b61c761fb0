"""Kletspot on Telegram (python-telegram-bot 22): groups, forum topics and private chats."""

from .adapter import DEFAULT_BASE_URL, TelegramAdapter
from .runner import SettingsError, TelegramSettings, serve

__all__ = ["DEFAULT_BASE_URL", "SettingsError", "TelegramAdapter", "TelegramSettings", "serve"]
