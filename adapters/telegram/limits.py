"""Telegram's limits in one place: message and caption sizes, buttons, uploads, send rates.
Source: the Bot API documentation (core.telegram.org/bots/api, /bots/faq)."""

from __future__ import annotations

from bot.core.delivery import SendLimits

TEXT_LIMIT = 4096
"""Telegram's maximum message length (after entity parsing), counted in UTF-16 code units."""
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
"""Bytes; the engine's tokens are ~12 characters, this is only a guard."""
ROW_MAX = 3
NAMED_ROW_MAX = 8
"""Telegram shows up to eight buttons side by side: enough for the seven weekdays."""
PHOTO_MAX = 10 * 1024 * 1024
"""Bytes: the largest photo the Bot API accepts by upload."""
DOCUMENT_MAX = 50 * 1024 * 1024
"""Bytes: the largest document the Bot API accepts by upload."""
LIMITS = SendLimits(per_second=30, per_group_per_minute=20, per_private_per_second=1)
"""Send rates: 30 messages a second in all, 20 a minute per group, about one a second per chat."""
