"""Users, conversations and who coordinates them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dutch import fold
from bot.events import Actor, Place
from bot.storage import Database


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
        "SELECT 1 FROM coordinators WHERE conversation_id = ? AND user_id = ?",
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
