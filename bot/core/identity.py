"""Users, conversations and who coordinates them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text.dutch import fold
from bot.core.events import Actor, Place
from bot.core.replies import Target
from bot.core.storage import Database


@dataclass(frozen=True)
class Known:
    user_id: int
    conversation_id: int
    timezone: str
    active: bool


async def register(db: Database, actor: Actor, place: Place, now: str) -> Known:
    """Record who spoke where; only names and ids, never what was said. Three statements, each
    atomic on its own: a crash between them leaves rows the next event completes.

    Someone writing in a conversation means the bot is there again (unblocked, reinstalled):
    the conversation is active."""
    user = await db.one(
        "INSERT INTO users (platform, workspace_id, external_id, display_name, handle, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace_id, external_id)"
        " DO UPDATE SET display_name = excluded.display_name, handle = excluded.handle"
        " RETURNING id",
        (actor.platform, actor.workspace_id, actor.user_id, actor.display_name[:200],
         actor.handle, now),
    )
    conversation = await db.one(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, title, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace_id, external_id)"
        " DO UPDATE SET title = COALESCE(excluded.title, conversations.title), active = 1"
        " RETURNING id, timezone, active",
        (actor.platform, actor.workspace_id, place.conversation_id, int(place.is_group),
         place.title, now),
    )
    assert user is not None and conversation is not None
    await db.execute(
        "INSERT INTO members (conversation_id, user_id, last_seen, is_admin) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (conversation_id, user_id) DO UPDATE SET last_seen = excluded.last_seen,"
        " is_admin = excluded.is_admin",
        (conversation["id"], user["id"], now, int(actor.is_platform_admin)),
    )
    return Known(int(user["id"]), int(conversation["id"]), conversation["timezone"],
                 bool(conversation["active"]))


async def is_coordinator(db: Database, known: Known, actor: Actor, place: Place) -> bool:
    """Platform admins, people a coordinator named, and everyone in their own DM."""
    if actor.is_platform_admin or not place.is_group:
        return True
    named = await db.scalar(
        "SELECT 1 FROM coordinatoren WHERE conversation_id = ? AND user_id = ?",
        (known.conversation_id, known.user_id),
    )
    return bool(named)


async def find_member(db: Database, conversation_id: int, mention: str) -> tuple[int, str] | None:
    """Resolve '@naam' to a member of this conversation by handle, id or display name."""
    wanted = fold(mention.lstrip("@"))
    if not wanted:
        return None
    rows = await db.all(
        "SELECT u.id, u.display_name, u.handle, u.external_id FROM members m"
        " JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?",
        (conversation_id,),
    )
    for field in ("handle", "external_id", "display_name"):
        hits = [r for r in rows if r[field] and fold(r[field]) == wanted]
        if len(hits) == 1:
            return int(hits[0]["id"]), hits[0]["display_name"]
    return None


@dataclass(frozen=True)
class Dm:
    conversation_id: int
    external_id: str
    timezone: str


async def own_dms(db: Database, user_id: int, active_only: bool = True) -> list[Dm]:
    """The user's direct-message conversations with the bot: non-group conversations they are
    the only member of, best first (a Telegram private chat has the user's own id)."""
    rows = await db.all(
        "SELECT c.id, c.external_id, c.timezone FROM conversations c"
        " JOIN members m ON m.conversation_id = c.id JOIN users u ON u.id = m.user_id"
        " WHERE m.user_id = ? AND c.is_group = 0 AND (c.active = 1 OR NOT ?)"
        " AND c.platform = u.platform AND c.workspace_id = u.workspace_id"
        " AND NOT EXISTS (SELECT 1 FROM members o WHERE o.conversation_id = c.id"
        " AND o.user_id <> m.user_id)"
        " ORDER BY c.external_id = u.external_id DESC, m.last_seen DESC",
        (user_id, active_only))
    return [Dm(int(r["id"]), r["external_id"], r["timezone"]) for r in rows]


async def dm_of(db: Database, user_id: int) -> Dm | None:
    """The DM to send something to now, where the bot knows one."""
    found = await own_dms(db, user_id)
    return found[0] if found else None


@dataclass(frozen=True)
class Destination:
    target: Target
    active: bool


async def conversation_target(db: Database, conversation_id: int,
                              thread_id: str | None = None) -> Destination | None:
    """Where a message for a conversation goes, and whether the bot is still welcome there."""
    row = await db.one(
        "SELECT platform, workspace_id, external_id, active FROM conversations WHERE id = ?",
        (conversation_id,))
    if row is None:
        return None
    return Destination(Target(row["platform"], row["workspace_id"],
                              conversation_id=row["external_id"], thread_id=thread_id),
                       bool(row["active"]))


async def user_target(db: Database, user_id: int, dm_id: int | None) -> Destination | None:
    """A person's DM by its conversation id where known, else by the user's own platform id."""
    user = await db.one("SELECT platform, workspace_id, external_id FROM users WHERE id = ?",
                        (user_id,))
    if user is None:
        return None
    dm, active = None, True
    if dm_id is not None:
        row = await db.one("SELECT external_id, active FROM conversations WHERE id = ?", (dm_id,))
        if row is not None:
            dm, active = row["external_id"], bool(row["active"])
    return Destination(Target(user["platform"], user["workspace_id"], conversation_id=dm,
                              user_id=user["external_id"]), active)


async def set_active(db: Database, platform: str, workspace_id: str,
                     conversation_id: str | None, active: bool) -> None:
    """Removed, blocked or uninstalled (`conversation_id` None: the whole workspace): scheduled
    sends there stop until the bot is back."""
    if conversation_id is None:
        await db.execute("UPDATE conversations SET active = ? WHERE platform = ?"
                         " AND workspace_id = ?", (int(active), platform, workspace_id))
        return
    await db.execute(
        "UPDATE conversations SET active = ? WHERE platform = ? AND workspace_id = ?"
        " AND external_id = ?", (int(active), platform, workspace_id, conversation_id))


async def move_conversation(db: Database, platform: str, workspace_id: str, old_id: str,
                            new_id: str) -> None:
    """A Telegram group became a supergroup: its jar, points and plans carry over.

    A conversation row the new id may already have (a message that raced the migration)
    gives way to the old one, which holds the history.
    """
    async with db.transaction():
        old = await db.scalar(
            "SELECT id FROM conversations WHERE platform = ? AND workspace_id = ?"
            " AND external_id = ?", (platform, workspace_id, old_id))
        if old is None:
            return
        await db.execute(
            "DELETE FROM conversations WHERE platform = ? AND workspace_id = ?"
            " AND external_id = ?", (platform, workspace_id, new_id))
        await db.execute("UPDATE conversations SET external_id = ? WHERE id = ?", (new_id, old))
