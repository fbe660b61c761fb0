"""Update JSON shaped exactly as Telegram sends it (Bot API 9.x field names)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.adapters.telegram.fake_api import BOT_USER

Json = dict[str, Any]

_update_ids = itertools.count(100_000)
_message_ids = itertools.count(1)


def user(uid: int, first: str, last: str | None = None, username: str | None = None) -> Json:
    u: Json = {"id": uid, "is_bot": False, "first_name": first, "language_code": "nl"}
    if last:
        u["last_name"] = last
    if username:
        u["username"] = username
    return u


AN = user(1001, "An", "Peeters", "an_p")
SAM = user(1002, "Sam", username="sam")
JO = user(1003, "Jo")


def group(
    cid: int = -1001234567890,
    title: str = "Team Zuid",
    kind: str = "supergroup",
    forum: bool = False,
) -> Json:
    chat: Json = {"id": cid, "title": title, "type": kind}
    if kind == "group":
        chat["all_members_are_administrators"] = False
    if forum:
        chat["is_forum"] = True
    return chat


def private(of: Json) -> Json:
    chat: Json = {"id": of["id"], "first_name": of["first_name"], "type": "private"}
    if of.get("last_name"):
        chat["last_name"] = of["last_name"]
    if of.get("username"):
        chat["username"] = of["username"]
    return chat


def _now() -> int:
    return int(time.time())


def _update(**body: Any) -> Json:
    return {"update_id": next(_update_ids), **body}


def topic_root(chat: Json, thread: int, name: str = "Lunch", by: Json = AN) -> Json:
    """The service message that opened a forum topic; every message in the topic replies to it."""
    return {
        "message_id": thread,
        "from": by,
        "chat": chat,
        "date": _now() - 3600,
        "message_thread_id": thread,
        "is_topic_message": True,
        "forum_topic_created": {"name": name, "icon_color": 7322096},
    }


def message_json(
    chat: Json, sender: Json, text: str, *, thread: int | None = None, reply_to: Json | None = None
) -> Json:
    message: Json = {
        "message_id": next(_message_ids),
        "from": sender,
        "chat": chat,
        "date": _now(),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    if thread is not None:
        message["message_thread_id"] = thread
        message["is_topic_message"] = True
        message["reply_to_message"] = topic_root(chat, thread)
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return message


def message(chat: Json, sender: Json, text: str, **kw: Any) -> Json:
    return _update(message=message_json(chat, sender, text, **kw))


def bot_message(chat: Json, text: str, message_id: int, thread: int | None = None) -> Json:
    """One of our own messages, as it appears inside reply_to_message or a callback query."""
    m: Json = {
        "message_id": message_id,
        "from": BOT_USER,
        "chat": chat,
        "date": _now(),
        "text": text,
    }
    if thread is not None:
        m["message_thread_id"] = thread
        m["is_topic_message"] = True
    return m


def reply_to_bot(
    chat: Json, sender: Json, text: str, bot_message_id: int, thread: int | None = None
) -> Json:
    m = message_json(chat, sender, text, thread=thread)
    m["reply_to_message"] = bot_message(chat, "Typ je aanknopingspunt", bot_message_id, thread)
    return _update(message=m)


def callback(
    chat: Json, sender: Json, data: str, *, message_id: int = 4999, thread: int | None = None
) -> Json:
    return _update(
        callback_query={
            "id": f"cq-{next(_update_ids)}",
            "from": sender,
            "chat_instance": "-8000000000001",
            "message": bot_message(chat, "Vraag", message_id, thread),
            "data": data,
        }
    )


def _member(who: Json, status: str) -> Json:
    m: Json = {"user": who, "status": status}
    if status == "kicked":
        m["until_date"] = 0
    if status == "administrator":
        m.update(
            {
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": False,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
        )
    return m


def my_chat_member(chat: Json, by: Json, old: str, new: str) -> Json:
    return _update(
        my_chat_member={
            "chat": chat,
            "from": by,
            "date": _now(),
            "old_chat_member": _member(BOT_USER, old),
            "new_chat_member": _member(BOT_USER, new),
        }
    )


def migrate(old_chat: Json, new_id: int, by: Json = AN) -> Json:
    return _update(
        message={
            "message_id": next(_message_ids),
            "from": by,
            "chat": old_chat,
            "date": _now(),
            "migrate_to_chat_id": new_id,
        }
    )


def edited(chat: Json, sender: Json, text: str) -> Json:
    m = message_json(chat, sender, text)
    m["edit_date"] = _now()
    return _update(edited_message=m)


def sticker(chat: Json, sender: Json) -> Json:
    return _update(
        message={
            "message_id": next(_message_ids),
            "from": sender,
            "chat": chat,
            "date": _now(),
            "sticker": {
                "file_id": "CAACAgIAAxk",
                "file_unique_id": "AgAD",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "🙂",
            },
        }
    )


def photo(chat: Json, sender: Json, caption: str | None = None) -> Json:
    m: Json = {
        "message_id": next(_message_ids),
        "from": sender,
        "chat": chat,
        "date": _now(),
        "photo": [
            {
                "file_id": "AgACAgQ",
                "file_unique_id": "AQAD",
                "width": 90,
                "height": 90,
                "file_size": 1200,
            }
        ],
    }
    if caption:
        m["caption"] = caption
    return _update(message=m)


def channel_post(text: str) -> Json:
    chat = {"id": -1009999, "title": "Kanaal", "type": "channel"}
    return _update(
        channel_post={
            "message_id": next(_message_ids),
            "chat": chat,
            "sender_chat": chat,
            "date": _now(),
            "text": text,
        }
    )
