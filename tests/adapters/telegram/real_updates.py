"""Update shapes captured from the real Bot API by other projects, each with its source, and
malformed variants of them. They are replayed as they are; python-telegram-bot 22 cannot parse
some of them, which is the point."""

from __future__ import annotations

import copy
from typing import Any

_BOT = {"id": 7172552019, "is_bot": True, "first_name": "☄MeteorBot", "username": "meteorcorp_bot"}
_FROM = {
    "id": 5342492667,
    "is_bot": False,
    "first_name": "Nelson",
    "last_name": "II",
    "username": "drui909",
    "language_code": "en",
}

PERMISSIONS_CHANGED: dict[str, Any] = {
    # Source: github.com/drui9/autogram, api.md, "Permissions changed" (captured 19 January 2025,
    # date 1737279204). python-telegram-bot 22.8 raises TypeError on it: ChatMemberRestricted
    # requires `can_edit_tag`, which this real update does not carry.
    "my_chat_member": {
        "chat": {
            "id": -1002162095988,
            "title": "Meteor Corp.",
            "username": "meteorCorp",
            "is_forum": True,
            "type": "supergroup",
        },
        "from": _FROM,
        "date": 1737279204,
        "old_chat_member": {"user": _BOT, "status": "member"},
        "new_chat_member": {
            "user": _BOT,
            "status": "restricted",
            "until_date": 0,
            "can_send_messages": True,
            "can_send_media_messages": True,
            "can_send_audios": False,
            "can_send_documents": True,
            "can_send_photos": True,
            "can_send_videos": False,
            "can_send_video_notes": False,
            "can_send_voice_notes": True,
            "can_send_polls": False,
            "can_send_other_messages": False,
            "can_add_web_page_previews": False,
            "can_change_info": False,
            "can_invite_users": False,
            "can_pin_messages": False,
            "can_manage_topics": False,
            "is_member": True,
        },
    },
}

PRIVATE_KICK: dict[str, Any] = {
    # Source: github.com/drui9/autogram, api.md, "Private chat / Kick" (19 January 2025): the
    # user blocked the bot. Parses; the bot marks the conversation inactive.
    "my_chat_member": {
        "chat": {
            "id": 5342492667,
            "first_name": "Nelson",
            "last_name": "II",
            "username": "drui909",
            "type": "private",
        },
        "from": _FROM,
        "date": 1737277000,
        "old_chat_member": {"user": _BOT, "status": "member"},
        "new_chat_member": {"user": _BOT, "status": "kicked", "until_date": 0},
    },
}


def with_id(update: dict[str, Any], update_id: object) -> dict[str, Any]:
    out = copy.deepcopy(update)
    out["update_id"] = update_id
    return out


def malformed(update_id: int) -> list[dict[str, Any]]:
    """Variants no real server sends but a broken proxy or a bug might."""
    return [
        {
            "update_id": update_id,
            "message": {
                "message_id": 1,
                "date": "gisteren",
                "chat": {"id": 1, "type": "private"},
                "text": "geheim verhaal",
            },
        },
        {"update_id": update_id + 1, "message": []},
        {"update_id": update_id + 2, "onbekend_veld": {"x": 1}},
    ]
