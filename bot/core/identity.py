"""Users, conversations and who coordinates them."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, ParamSpec, TypeVar
from weakref import WeakKeyDictionary

from bot.core.clock import parse_iso
from bot.core.events import Actor, Place
from bot.core.replies import Target
from bot.core.storage import Database, Read, Reads, Row, Statement
from bot.text.dutch import fold


@dataclass(frozen=True)
class Known:
    user_id: int
    conversation_id: int
    timezone: str
    active: bool
    first_visit: bool = False
    """This person had never written in this conversation before (the first DM, a first look
    at Slack's App Home): the bot introduces itself."""
    title: str | None = None
    """The conversation's name: the event's, else as stored (a group's as the platform last
    gave it), so a reply that names the group reads nothing where the event carries none (a
    Slack form, a slash command in a private channel)."""


SEEN_EVERY = timedelta(minutes=5)
"""A member's last-seen time is written at most this often: it orders someone's conversations
(which DM is theirs now), for which minutes do not matter."""

TRUST_FOR = timedelta(seconds=60)
"""How long a process trusts what it remembers of a user, a conversation and a membership
before it reads them again. This process forgets at once whenever it changes them itself; a
change made by another process (a timezone, a block, an erasure) is seen within this time."""


@dataclass
class _Remembered:
    user: tuple[int, str, str | None]
    conversation: tuple[int, str, bool]
    is_admin: bool
    seen_written: datetime
    read_at: datetime
    coordinator: bool | None = None


P = ParamSpec("P")
T = TypeVar("T")

_remembered: WeakKeyDictionary[Database, dict[tuple[str, str, str, str], _Remembered]] = (
    WeakKeyDictionary()
)
"""Per database: who was last seen where, so that a busy group costs no identity writes."""


_titles: WeakKeyDictionary[Database, dict[int, str | None]] = WeakKeyDictionary()
"""Per database: each remembered conversation's name, once for all its members, so that a
rename any event brings is what the next event without a name shows."""

IDS_FOR = 3600.0
"""Seconds the row ids of who was seen where outlive a forgetting (`_ids`): the first event
after a change comes soon after it. Older ones go at the next forgetting, so someone erased by
another process is not kept much longer."""

_ids: WeakKeyDictionary[Database, dict[tuple[str, str, str, str], tuple[int, int, float]]] = (
    WeakKeyDictionary()
)
"""Per database: the row ids (conversation, user) of who was seen where, and when (monotonic),
kept when the rest is forgotten. They let the event's own first read go with the read of who
is who (`register_with`); where they turn out to be others, that read is made again."""

_generation: WeakKeyDictionary[Database, int] = WeakKeyDictionary()
"""Counts the forgettings: a read that overlapped one is not remembered (it may be older)."""


def forget(db: Database, *, ids: bool = False, erased: int | None = None) -> None:
    """After any change to users, conversations, members or coordinators made here. The row
    ids stay (`_ids`, for `IDS_FOR`), but not with `ids` (a failed event: a row another
    process erased may be why) nor those of `erased`, a person erased here (every key of
    their account: under another process's ids too)."""
    _remembered.pop(db, None)
    _titles.pop(db, None)
    _generation[db] = _generation.get(db, 0) + 1
    kept = _ids.get(db)
    if kept is None:
        return
    if ids:
        kept.clear()
        return
    now = time.monotonic()
    accounts = {key[:3] for key, (_, user, _) in kept.items() if user == erased}
    for key in [
        key for key, (_, _, seen) in kept.items() if key[:3] in accounts or now - seen > IDS_FOR
    ]:
        del kept[key]


def _changes_identity(
    change: Callable[P, Awaitable[None]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Forget what was remembered once the change is written (or failed), not before: a read
    between the two would be remembered old."""

    @wraps(change)
    async def changed(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await change(*args, **kwargs)
        finally:
            db = args[0]
            assert isinstance(db, Database)
            forget(db)

    return changed


async def register(db: Database, actor: Actor, place: Place, now: str) -> Known:
    """Record who spoke where; only names and ids, never what was said. Someone seen here
    before costs one read (`_facts`) when this process does not remember them; a first visit
    writes its rows in statements each atomic on its own (`_write`): a crash between them leaves
    rows the next event completes.

    Someone writing in a conversation means the bot is there again (unblocked, reinstalled):
    the conversation is active. What was written a moment ago is not written again: a name,
    title or admin right that changed, or a last-seen time older than SEEN_EVERY, is."""
    return (await register_with(db, actor, place, now, lambda _: None))[0]


async def register_with(
    db: Database,
    actor: Actor,
    place: Place,
    now: str,
    also: Callable[[tuple[int, int] | None], Read[T] | Reads[T] | None],
) -> tuple[Known, T | None]:
    """`register`, and the event's own first read, made by `also` from the ids this process
    remembers for this person here, also once the rest is forgotten (`_ids`; None when it
    remembers none; `also` returns None where it needs them: their open flows do, a pressed
    token does not). When who is who must be read, both go in one round trip; where the ids
    turn out to be others (erased and written again meanwhile), a read that depends on them is
    made again. None where it was not read: the caller reads it itself."""
    key = (actor.platform, actor.workspace_id, actor.user_id, place.conversation_id)
    at = parse_iso(now)
    known = _remembered.get(db, {}).get(key)
    if known is not None:
        ids: tuple[int, int] | None = (known.conversation[0], known.user[0])
    else:
        kept = _ids.get(db, {}).get(key)
        ids = None if kept is None else (kept[0], kept[1])
    extra = also(ids)
    titles = _titles.get(db, {})
    if (
        known is not None
        and at - known.read_at < TRUST_FOR
        and known.user[1:] == (actor.display_name[:200], actor.handle)
        and known.conversation[2]
        and known.conversation[0] in titles
        and (place.title is None or titles[known.conversation[0]] == place.title)
        and known.is_admin == actor.is_platform_admin
    ):
        if at - known.seen_written >= SEEN_EVERY:
            await db.later(
                "UPDATE members SET last_seen = ? WHERE conversation_id = ? AND user_id = ?",
                (now, known.conversation[0], known.user[0]),
            )
            known.seen_written = at
        found = None if extra is None else await db.read(extra)
        title = titles[known.conversation[0]]
        return Known(
            known.user[0], known.conversation[0], known.conversation[1], True, False, title
        ), found
    generation = _generation.get(db, 0)
    if extra is None:
        row, found = await db.read(_facts(actor, place)), None
    else:
        row, found = await db.together(_facts(actor, place), extra)
    if row is None:
        written, coordinator = await _write(db, actor, place, now), None
    else:
        written, coordinator = await _known(db, row, actor, place, now)
    if ids is not None and (written.conversation_id, written.user_id) != ids:
        again = also((written.conversation_id, written.user_id))
        if extra is None or again is None or _sent(again) != _sent(extra):
            found = None if again is None else await db.read(again)
    if _generation.get(db, 0) != generation:  # changed meanwhile: this read may be older
        return written, found
    remembered, ids_here = _remembered.setdefault(db, {}), _ids.setdefault(db, {})
    if len(remembered) > 10_000 or len(ids_here) > 10_000:  # a bound, not a policy
        remembered.clear()
        ids_here.clear()
        _titles.pop(db, None)
    ids_here[key] = (written.conversation_id, written.user_id, time.monotonic())
    _titles.setdefault(db, {})[written.conversation_id] = written.title
    remembered[key] = _Remembered(
        (written.user_id, actor.display_name[:200], actor.handle),
        (written.conversation_id, written.timezone, written.active),
        actor.is_platform_admin,
        at,
        at,
        coordinator,
    )
    return written, found


def _facts(actor: Actor, place: Place) -> Read[Row | None]:
    """Someone seen here before, as the rows say (None for a first visit, which `_write`
    makes), with whether a coordinator named them here."""
    return Read.one(
        "SELECT u.id AS user_id, u.display_name, u.handle, c.id AS conversation_id, c.timezone,"
        " c.title, c.active, m.is_admin, m.last_seen, CASE WHEN EXISTS (SELECT 1 FROM"
        " coordinatoren k WHERE k.conversation_id = c.id AND k.user_id = u.id) THEN 1 ELSE 0"
        " END AS named FROM users u"
        " JOIN conversations c ON c.platform = u.platform AND c.workspace_id = u.workspace_id"
        " JOIN members m ON m.conversation_id = c.id AND m.user_id = u.id"
        " WHERE u.platform = ? AND u.workspace_id = ? AND u.external_id = ? AND c.external_id = ?",
        (actor.platform, actor.workspace_id, actor.user_id, place.conversation_id),
        lambda row: row,
    )


async def _known(
    db: Database, row: Row, actor: Actor, place: Place, now: str
) -> tuple[Known, bool]:
    """Who is who as the rows say, and whether they coordinate here (the coordinator rule with
    the admin right as the platform says now); only what changed is written, held back with
    the event's next statement."""
    user_id, conversation_id = int(row["user_id"]), int(row["conversation_id"])
    name = actor.display_name[:200]
    if (row["display_name"], row["handle"]) != (name, actor.handle):
        await db.later(
            "UPDATE users SET display_name = ?, handle = ? WHERE id = ?",
            (name, actor.handle, user_id),
        )
    if not row["active"] or (place.title is not None and row["title"] != place.title):
        await db.later(
            "UPDATE conversations SET title = COALESCE(?, title), active = 1 WHERE id = ?",
            (place.title, conversation_id),
        )
    if (
        bool(row["is_admin"]) != actor.is_platform_admin
        or parse_iso(now) - parse_iso(row["last_seen"]) >= SEEN_EVERY
    ):
        await db.later(
            "UPDATE members SET last_seen = ?, is_admin = ? WHERE conversation_id = ?"
            " AND user_id = ?",
            (now, int(actor.is_platform_admin), conversation_id, user_id),
        )
    title = place.title if place.title is not None else row["title"]
    known = Known(user_id, conversation_id, row["timezone"], True, title=title)
    return known, actor.is_platform_admin or bool(row["named"])


async def _write(db: Database, actor: Actor, place: Place, now: str) -> Known:
    user = await db.one(
        "INSERT INTO users (platform, workspace_id, external_id, display_name, handle, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace_id, external_id)"
        " DO UPDATE SET display_name = excluded.display_name, handle = excluded.handle"
        " RETURNING id",
        (
            actor.platform,
            actor.workspace_id,
            actor.user_id,
            actor.display_name[:200],
            actor.handle,
            now,
        ),
    )
    conversation = await db.one(
        "INSERT INTO conversations (platform, workspace_id, external_id, is_group, title, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace_id, external_id)"
        " DO UPDATE SET title = COALESCE(excluded.title, conversations.title), active = 1"
        " RETURNING id, timezone, active, title",
        (
            actor.platform,
            actor.workspace_id,
            place.conversation_id,
            int(place.is_group),
            place.title,
            now,
        ),
    )
    assert user is not None and conversation is not None
    seen = await db.scalar(
        "SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?",
        (conversation["id"], user["id"]),
    )
    await db.execute(
        "INSERT INTO members (conversation_id, user_id, last_seen, is_admin) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (conversation_id, user_id) DO UPDATE SET last_seen = excluded.last_seen,"
        " is_admin = excluded.is_admin",
        (conversation["id"], user["id"], now, int(actor.is_platform_admin)),
    )
    return Known(
        int(user["id"]),
        int(conversation["id"]),
        conversation["timezone"],
        bool(conversation["active"]),
        first_visit=seen is None,
        title=conversation["title"],
    )


_COORDINATES = (
    "(m.is_admin = 1 OR EXISTS (SELECT 1 FROM coordinatoren k"
    " WHERE k.conversation_id = m.conversation_id AND k.user_id = m.user_id))"
)
"""The one coordinator rule, for a member row `m`: an admin of the group on the platform (as
last seen), or named with `coordinator @naam`. (`_known` applies it as it reads who is who:
the platform's answer of now, or the `named` that `_facts` reads.)"""


async def is_coordinator(db: Database, known: Known, actor: Actor, place: Place) -> bool:
    """Platform admins (as the platform says now), people a coordinator named, and everyone in
    their own DM. Remembered with the membership (`register`), and forgotten with it."""
    if actor.is_platform_admin or not place.is_group:
        return True
    key = (actor.platform, actor.workspace_id, actor.user_id, place.conversation_id)
    remembered = _remembered.get(db, {}).get(key)
    if remembered is not None and remembered.coordinator is not None:
        return remembered.coordinator
    answer = await coordinates(db, known.conversation_id, known.user_id)
    if remembered is not None:
        remembered.coordinator = answer
    return answer


_elsewhere: ContextVar[dict[tuple[int, int], tuple[bool, str | None]] | None] = ContextVar(
    "kletspot_rule_elsewhere", default=None
)
"""What `coordinated` read in this event, by group and person: a DM that plans a group asks
for its card, its buttons and its title (`new_event` forgets it)."""


def new_event() -> None:
    """What an earlier event read of the rule elsewhere is not this one's (`Engine.handle`)."""
    _elsewhere.set(None)


async def coordinates(db: Database, conversation_id: int, user_id: int) -> bool:
    """The rule from elsewhere (a DM acting on a group): by the member row of that group."""
    return (await coordinated(db, conversation_id, user_id))[0]


async def coordinated(db: Database, conversation_id: int, user_id: int) -> tuple[bool, str | None]:
    """`coordinates`, with the group's title (None where the person is no member of it): read
    once in an event (or with another read, `coordinated_with`)."""
    known = _rules()
    key = (conversation_id, user_id)
    if key not in known:
        known[key] = await db.read(_coordinated_of(conversation_id, user_id))
    return known[key]


async def coordinated_with(
    db: Database, conversation_id: int, user_id: int, also: Read[T] | Reads[T]
) -> T:
    """`also`, with `coordinated` in the same round trip where this event did not read it yet:
    what a DM that plans a group reads of it comes with the rule and its title."""
    known = _rules()
    key = (conversation_id, user_id)
    if key in known:
        return await db.read(also)
    known[key], found = await db.together(_coordinated_of(conversation_id, user_id), also)
    return found


def _rules() -> dict[tuple[int, int], tuple[bool, str | None]]:
    known = _elsewhere.get()
    if known is None:
        known = {}
        _elsewhere.set(known)
    return known


def _coordinated_of(conversation_id: int, user_id: int) -> Read[tuple[bool, str | None]]:
    return Read(
        f"SELECT {_COORDINATES} AS coordinates, c.title FROM members m"
        " JOIN conversations c ON c.id = m.conversation_id"
        " WHERE m.conversation_id = ? AND m.user_id = ? AND c.is_group = 1",
        (conversation_id, user_id),
        lambda rows: (
            (False, None) if not rows else (bool(rows[0]["coordinates"]), rows[0]["title"])
        ),
    )


@dataclass(frozen=True)
class Group:
    conversation_id: int
    title: str | None


async def coordinated_groups(db: Database, user_id: int) -> list[Group]:
    """Active groups this person coordinates, by title."""
    rows = await db.all(
        "SELECT c.id, c.title FROM members m JOIN conversations c ON c.id = m.conversation_id"
        f" WHERE m.user_id = ? AND c.is_group = 1 AND c.active = 1 AND {_COORDINATES}"
        " ORDER BY c.title",
        (user_id,),
    )
    return [Group(int(r["id"]), r["title"]) for r in rows]


GROUPS_OF = (
    "SELECT c.id, c.title FROM members m JOIN conversations c ON c.id = m.conversation_id"
    " WHERE m.user_id = ? AND c.is_group = 1 AND c.active = 1"
)
"""The active groups a person was seen in (one parameter: the person's id): for another
owner's read of what belongs to them (`Planningen.of_member`)."""


async def member_groups(db: Database, user_id: int) -> list[Group]:
    """Active groups this person was seen in, by title: the teams a DM can ask about."""
    return await db.read(member_groups_of(user_id))


def member_groups_of(user_id: int) -> Read[list[Group]]:
    """`member_groups`, to read with what belongs to them (a team's verwijskaart)."""
    return Read.each(
        f"{GROUPS_OF} ORDER BY c.title, c.id",
        (user_id,),
        lambda r: Group(int(r["id"]), r["title"]),
    )


@_changes_identity
async def name_coordinator(
    db: Database, conversation_id: int, user_id: int, named_by: int, now: str
) -> None:
    await db.execute(
        "INSERT INTO coordinatoren (conversation_id, user_id, named_by, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (conversation_id, user_id, named_by, now),
    )


@_changes_identity
async def unname_coordinator(db: Database, conversation_id: int, user_id: int) -> None:
    await db.execute(
        "DELETE FROM coordinatoren WHERE conversation_id = ? AND user_id = ?",
        (conversation_id, user_id),
    )


async def named_coordinators(db: Database, conversation_id: int) -> list[str]:
    """Display names of the people named here (platform admins are not listed: they always are)."""
    return await db.read(named_of(conversation_id))


def named_of(conversation_id: int) -> Read[list[str]]:
    """`named_coordinators`, to read with something else (the rule, `coordinated_with`)."""
    return Read(
        "SELECT u.display_name FROM coordinatoren c JOIN users u ON u.id = c.user_id"
        " WHERE c.conversation_id = ? ORDER BY u.display_name",
        (conversation_id,),
        lambda rows: [r["display_name"] for r in rows],
    )


async def title(db: Database, conversation_id: int) -> str | None:
    found = await db.scalar("SELECT title FROM conversations WHERE id = ?", (conversation_id,))
    return None if found is None else str(found)


async def set_timezone(db: Database, conversation_id: int, timezone: str) -> None:
    """The conversation's zone, written only where it differs, held back (it travels with the
    caller's next statement: a planning's own write). The caller forgets what this process
    remembers (`forget`) once that is written, when the zone is new to it: a read between the
    two would be remembered old."""
    await db.later(
        "UPDATE conversations SET timezone = ? WHERE id = ? AND timezone <> ?",
        (timezone, conversation_id, timezone),
    )


async def find_member(db: Database, conversation_id: int, mention: str) -> tuple[int, str] | None:
    """Resolve '@naam' to a member of this conversation by handle, id or display name."""
    return member_named(await db.read(members_of(conversation_id)), mention)


@dataclass(frozen=True)
class Member:
    """A member as `member_named` needs them."""

    id: int
    display_name: str
    handle: str | None
    external_id: str


def members_of(conversation_id: int) -> Read[list[Member]]:
    """The members of a conversation, to read with something else when several are named."""
    return Read.each(
        "SELECT u.id, u.display_name, u.handle, u.external_id FROM members m"
        " JOIN users u ON u.id = m.user_id WHERE m.conversation_id = ?",
        (conversation_id,),
        lambda r: Member(int(r["id"]), r["display_name"], r["handle"], r["external_id"]),
    )


def member_named(members: list[Member], mention: str) -> tuple[int, str] | None:
    """The one member '@naam' names (by handle, then the platform's id, then the display
    name), or None when no one or more than one."""
    wanted = fold(mention.strip().lstrip("@"))
    if not wanted:
        return None
    for field in ("handle", "external_id", "display_name"):
        hits = [m for m in members if (name := getattr(m, field)) and fold(name) == wanted]
        if len(hits) == 1:
            return hits[0].id, hits[0].display_name
    return None


@dataclass(frozen=True)
class Dm:
    conversation_id: int
    external_id: str
    timezone: str


async def own_dms(db: Database, user_id: int) -> list[Dm]:
    """The user's active direct-message conversations with the bot: non-group conversations
    they are the only member of, best first (a Telegram private chat has the user's own id)."""
    return await db.read(dms_of(user_id))


_OWN_DMS = (
    " FROM conversations c"
    " JOIN members m ON m.conversation_id = c.id JOIN users u ON u.id = m.user_id"
    " WHERE m.user_id = ? AND c.is_group = 0"
    " AND c.platform = u.platform AND c.workspace_id = u.workspace_id"
    " AND NOT EXISTS (SELECT 1 FROM members o WHERE o.conversation_id = c.id"
    " AND o.user_id <> m.user_id)"
)
"""A user's direct-message conversations with the bot, as `own_dms` describes them."""


def dms_of(user_id: int) -> Read[list[Dm]]:
    """`own_dms`, to read with something else."""
    return Read(
        f"SELECT c.id, c.external_id, c.timezone{_OWN_DMS} AND c.active = 1"
        " ORDER BY c.external_id = u.external_id DESC, m.last_seen DESC",
        (user_id,),
        lambda rows: [Dm(int(r["id"]), r["external_id"], r["timezone"]) for r in rows],
    )


def dm_ids_of(user_id: int) -> Statement:
    """The ids of all the user's DMs (`own_dms`, active or not), as a SELECT to go inside
    another statement (an erasure finds what belongs to them without reading them first)."""
    return f"SELECT c.id{_OWN_DMS}", (user_id,)


async def dm_of(db: Database, user_id: int) -> Dm | None:
    """The DM to send something to now, where the bot knows one."""
    found = await own_dms(db, user_id)
    return found[0] if found else None


@dataclass(frozen=True)
class Destination:
    target: Target
    active: bool


async def conversation_target(
    db: Database, conversation_id: int, thread_id: str | None = None
) -> Destination | None:
    """Where a message for a conversation goes, and whether the bot is still welcome there."""
    found = (await conversation_targets(db, [conversation_id])).get(conversation_id)
    if found is None or thread_id is None:
        return found
    return Destination(replace(found.target, thread_id=thread_id), found.active)


async def conversation_targets(
    db: Database, conversation_ids: Sequence[int]
) -> dict[int, Destination]:
    """`conversation_target` for many at once (a fan-out's batch): one query, not one each."""
    if not conversation_ids:
        return {}
    marks = ", ".join("?" * len(conversation_ids))
    rows = await db.all(
        "SELECT id, platform, workspace_id, external_id, active FROM conversations"
        f" WHERE id IN ({marks})",
        list(conversation_ids),
    )
    return {
        int(r["id"]): Destination(
            Target(r["platform"], r["workspace_id"], conversation_id=r["external_id"]),
            bool(r["active"]),
        )
        for r in rows
    }


async def user_target(db: Database, user_id: int, dm_id: int | None) -> Destination | None:
    """A person's DM by its conversation id where known, else by the user's own platform id."""
    user = await db.one(
        "SELECT platform, workspace_id, external_id FROM users WHERE id = ?", (user_id,)
    )
    if user is None:
        return None
    dm, active = None, True
    if dm_id is not None:
        row = await db.one("SELECT external_id, active FROM conversations WHERE id = ?", (dm_id,))
        if row is not None:
            dm, active = row["external_id"], bool(row["active"])
    return Destination(
        Target(
            user["platform"], user["workspace_id"], conversation_id=dm, user_id=user["external_id"]
        ),
        active,
    )


@_changes_identity
async def set_active(
    db: Database, platform: str, workspace_id: str, conversation_id: str | None, active: bool
) -> None:
    """Removed, blocked or uninstalled (`conversation_id` None: the whole workspace): scheduled
    sends there stop until the bot is back."""
    if conversation_id is None:
        await db.execute(
            "UPDATE conversations SET active = ? WHERE platform = ? AND workspace_id = ?",
            (int(active), platform, workspace_id),
        )
        return
    await db.execute(
        "UPDATE conversations SET active = ? WHERE platform = ? AND workspace_id = ?"
        " AND external_id = ?",
        (int(active), platform, workspace_id, conversation_id),
    )


@_changes_identity
async def move_conversation(
    db: Database, platform: str, workspace_id: str, old_id: str, new_id: str
) -> None:
    """A Telegram group became a supergroup: its jar, points and plans carry over.

    A conversation row the new id may already have (a message that raced the migration)
    gives way to the old one, which holds the history.
    """
    async with db.transaction():
        old = await db.scalar(
            "SELECT id FROM conversations WHERE platform = ? AND workspace_id = ?"
            " AND external_id = ?",
            (platform, workspace_id, old_id),
        )
        if old is None:
            return
        await db.execute(
            "DELETE FROM conversations WHERE platform = ? AND workspace_id = ? AND external_id = ?",
            (platform, workspace_id, new_id),
        )
        await db.execute("UPDATE conversations SET external_id = ? WHERE id = ?", (new_id, old))


def person_of(user_id: int) -> Reads[dict[str, Any]]:
    """Who someone is to the bot (the user row, memberships and coordinator roles), for
    `mijngegevens`: to read with the features' parts."""
    return Reads.three(
        Read.one(
            "SELECT platform, workspace_id, external_id, display_name, handle, created_at"
            " FROM users WHERE id = ?",
            (user_id,),
            lambda row: row,
        ),
        Read(
            "SELECT c.title, c.is_group, c.platform, c.external_id, m.is_admin, m.last_seen"
            " FROM members m JOIN conversations c ON c.id = m.conversation_id"
            " WHERE m.user_id = ? ORDER BY m.last_seen",
            (user_id,),
            lambda rows: rows,
        ),
        Read(
            "SELECT c.title, k.created_at FROM coordinatoren k JOIN conversations c"
            " ON c.id = k.conversation_id WHERE k.user_id = ? ORDER BY k.created_at",
            (user_id,),
            lambda rows: rows,
        ),
        _person,
    )


def _person(user: Row | None, members: list[Row], roles: list[Row]) -> dict[str, Any]:
    return {
        "gebruiker": None
        if user is None
        else {
            "platform": user["platform"],
            "werkruimte": user["workspace_id"],
            "id op het platform": user["external_id"],
            "naam": user["display_name"],
            "gebruikersnaam": user["handle"],
            "eerste bericht": user["created_at"],
        },
        "lidmaatschappen": [
            {
                "gesprek": r["title"] or ("groep" if r["is_group"] else "privégesprek"),
                "soort": "groep" if r["is_group"] else "privé",
                "id op het platform": r["external_id"],
                "beheerder": bool(r["is_admin"]),
                "laatst gezien": r["last_seen"],
            }
            for r in members
        ],
        "coördinator in": [{"gesprek": r["title"], "sinds": r["created_at"]} for r in roles],
    }


async def erase_person(db: Database, user_id: int) -> None:
    """The person's own rows and DM conversations (`dm_ids_of`, found in the statement that
    deletes them), last of an erasure (inside its transaction): held back (`db.later`). What
    this process remembers is forgotten at once (their ids too, whatever becomes of the
    event) and again once the writes landed (`after_writes`): a read in between may have
    remembered the rows as they were."""
    dms, params = dm_ids_of(user_id)
    await db.later(f"DELETE FROM conversations WHERE id IN ({dms})", params)
    await db.later("DELETE FROM coordinatoren WHERE user_id = ?", (user_id,))
    await db.later("UPDATE coordinatoren SET named_by = NULL WHERE named_by = ?", (user_id,))
    await db.later("DELETE FROM members WHERE user_id = ?", (user_id,))
    await db.later("DELETE FROM users WHERE id = ?", (user_id,))
    forget(db, erased=user_id)
    db.after_writes(lambda: forget(db, erased=user_id))


def _sent(read: Read[Any] | Reads[Any]) -> list[tuple[str, Any]]:
    """What a read sends: two reads alike send the same."""
    return [(r.sql, r.params) for r in read.plain()]
