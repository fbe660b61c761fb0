"""Telegram messages in engine terms: commands, places, conversation ids. No network, no state."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, Message, MessageEntity, User
from telegram.constants import ChatMemberStatus

from bot.core.events import Actor, Place

PLATFORM = "telegram"
WORKSPACE = "telegram"
"""Telegram has no workspaces: chat and user ids are global."""


PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    args: str


def parse_command(message: Message, bot_username: str | None) -> ParsedCommand | None:
    """`/vraag groen`, `/vraag@KletspotBot groen`; None for text and for another bot's command."""
    text = message.text or ""
    entity = message.entities[0] if message.entities else None
    if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    token = text[1 : entity.length]
    name, _, addressee = token.partition("@")
    if addressee and (not bot_username or addressee.lower() != bot_username.lower()):
        return None
    name = name.lower()
    if not name:
        return None
    args = text[entity.length :].strip()
    if name == "start":
        args = ""  # Telegram's /start carries a deep-link payload, not words for the engine
    return ParsedCommand(name, args)


def topic_of(message: Message) -> int | None:
    """The forum topic of a message; None in ordinary chats and in a forum's General topic."""
    if message.is_topic_message and message.message_thread_id is not None:
        return int(message.message_thread_id)
    return None


def conversation_id(chat_id: int, topic: int | None) -> str:
    return f"{chat_id}:{topic}" if topic is not None else str(chat_id)


def parse_conversation(conversation: str) -> tuple[int, int | None]:
    """Back from `conversation_id()`: the chat id and the topic, if any."""
    chat, _, topic = conversation.partition(":")
    return int(chat), (int(topic) if topic else None)


def is_group(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def place_of(chat: Chat, message: Message | None) -> Place:
    topic = topic_of(message) if message is not None and is_group(chat) else None
    title = chat.title
    if topic is not None and message is not None:
        # A topic's name is only known from its root message; without it the title stays None,
        # so the engine keeps the one it already has instead of the bare group name.
        root = message.reply_to_message
        created = root.forum_topic_created if root is not None else None
        title = f"{chat.title} · {created.name}" if created is not None and chat.title else None
    return Place(
        conversation_id(chat.id, topic),
        is_group=is_group(chat),
        thread_id=str(topic) if topic is not None else None,
        title=title,
    )


def actor_of(user: User, admin: bool) -> Actor:
    return Actor(
        PLATFORM,
        WORKSPACE,
        str(user.id),
        user.full_name or str(user.id),
        handle=user.username,
        is_platform_admin=admin,
    )


def is_reply_to_bot(message: Message, bot_id: int) -> bool:
    """A reply to one of our messages (our ForceReply question), not the topic's root message
    that every message in a forum topic formally replies to."""
    root = message.reply_to_message
    return (
        root is not None
        and root.from_user is not None
        and root.from_user.id == bot_id
        and root.forum_topic_created is None
    )
