"""Multi-step interactions, written to the database at every step so a restart loses nothing."""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.core.buttons import Joined, Stored, is_id
from bot.core.clock import iso, parse_iso
from bot.core.context import Ctx
from bot.core.router import Flow
from bot.core.storage import Database, NamedRow, Read, Row, Statement
from bot.core.storage.base import guarded, lands_with_next

TEXT_WAIT = timedelta(minutes=30)
"""How long a question the bot asked in a conversation keeps waiting for its answer."""

_left: ContextVar[tuple[int, int, Flow | None] | None] = ContextVar(
    "kletspot_flow_left", default=None
)
"""The question that waits as this event last read it or left it (its conversation, its user
and its flow; no flow: none waits, as a command's `drop_questions` leaves it, or the end of
the flow the event answered), so that the steering after the answer need not read it again;
None: not known, read it. Every write to flows sets it (`_leave`)."""

_open: ContextVar[tuple[int, int, frozenset[str]] | None] = ContextVar(
    "kletspot_flows_open", default=None
)
"""The kinds of this person's open flows here as this event read them (`waiting_for_text`) and
started them since: a `forget` of a kind not among them has nothing to close. None: not read."""


_seen: ContextVar[tuple[int, int, list[Row]] | None] = ContextVar(
    "kletspot_flows_seen", default=None
)
"""This person's open flows here as read with who is who (`seen`) or by `waiting_for_text`,
for it and `open_flow` to use instead of reading them; gone at the event's first write to
flows, except `drop_questions`, which leaves the ones that ask nothing, and the start of a
flow that asks nothing, which takes the place of its kind's."""


_pressed: ContextVar[dict[int, tuple[tuple[int, int] | None, Found | None]] | None] = ContextVar(
    "kletspot_flow_pressed", default=None
)
"""The flows a pressed button names (the one it belongs to, the one whose text it uses), as
read with the button (`pressed`): by id, whose each is where (None: gone) and what `find`
makes of it, for `find` to use instead of reading it; gone at the event's first write to
flows."""


def new_event() -> None:
    """What an earlier event left waiting is not known to this one (`Engine.handle`)."""
    _left.set(None)
    _open.set(None)
    _seen.set(None)
    _pressed.set(None)


_JOINED = ("flow", "held")
"""How `WITH_BUTTON` names the flow a button belongs to and the one whose text it uses."""

WITH_BUTTON = Joined(
    "f.id AS flow, f.conversation_id AS flow_conversation, f.user_id AS flow_user,"
    " f.kind AS flow_kind, f.step AS flow_step, f.data AS flow_data, f.status AS flow_status,"
    " h.id AS held, h.conversation_id AS held_conversation, h.user_id AS held_user,"
    " h.kind AS held_kind, h.step AS held_step, h.data AS held_data, h.status AS held_status",
    "LEFT JOIN flows f ON f.id = b.flow_id LEFT JOIN flows h ON h.id = b.held_id",
    _JOINED,
)
"""The flow a button belongs to and the one whose text it uses (a paused answer), read with
the button (`buttons.stored_of`)."""


def pressed(stored: Stored) -> None:
    """The flows a pressed button names were read with it (`WITH_BUTTON`): `find` need not read
    them again in this event."""
    known: dict[int, tuple[tuple[int, int] | None, Found | None]] = {}
    row = stored.flow
    for name, flow_id in zip(_JOINED, (stored.flow_id, stored.held_id), strict=True):
        if flow_id is None:
            continue
        if row is None or row[name] is None:
            known[flow_id] = (None, None)
            continue
        flow = Flow(
            row[name], row[f"{name}_kind"], row[f"{name}_step"], json.loads(row[f"{name}_data"])
        )
        known[flow_id] = (
            (row[f"{name}_conversation"], row[f"{name}_user"]),
            Found(flow, row[f"{name}_status"]),
        )
    if known:
        _pressed.set(known)


def open_rows(here: tuple[int, int] | None) -> Read[list[Row]] | None:
    """A person's open flows in a conversation (`here`: its id and theirs), newest first: what
    `waiting_for_text` reads, to read with who is who (`identity.register_with`); None
    without the ids."""
    return None if here is None else Read(_OPEN_ROWS, here, lambda rows: rows)


def seen(ctx: Ctx, rows: list[Row]) -> None:
    """`open_rows` read for this event: `waiting_for_text` need not read them again."""
    _seen.set((*_here(ctx), rows))


def _here(ctx: Ctx) -> tuple[int, int]:
    """Whose flows where: what `_left` and `_open` know holds for this pair only."""
    return ctx.conversation_id, ctx.user_id


def _flow(row: Row) -> Flow:
    return Flow(row["id"], row["kind"], row["step"], json.loads(row["data"]))


def moved(flow: Flow, step: str, data: dict[str, Any] | None = None) -> Flow:
    """The flow as a move to `step` leaves it (its data kept unless given): what `move` and
    `advance` return, and what a question asked before its move is made for."""
    return Flow(flow.id, flow.kind, step, flow.data if data is None else data)


def _opened(ctx: Ctx, kind: str) -> None:
    known = _open.get()
    if known is not None and known[:2] == _here(ctx):
        _open.set((*known[:2], known[2] | {kind}))


def _leave(ctx: Ctx, flow: Flow | None, none_waits: bool = False) -> None:
    """Note the open flow a write left asking (None: any other write, after which it is not
    known): the flow touched last, so the one `waiting_for_text` finds. `none_waits`: the
    write withdrew the questions (`drop_questions`) or closed the flow this event answered,
    whose reply is about that flow (a question that waited before it began is not this
    reply's to go back in)."""
    asks = flow is not None and flow.step.startswith("ask")
    _pressed.set(None)
    if asks or none_waits:
        _left.set((*_here(ctx), flow if asks else None))
        _seen.set(None)
    else:
        _not_known()


def _not_known() -> None:
    """After a write to flows this event cannot follow: what waits is read again."""
    _left.set(None)
    _seen.set(None)
    _pressed.set(None)


_REPLACE = (
    "UPDATE flows SET status = 'replaced', data = '{}', updated_at = ? WHERE conversation_id = ?"
    " AND user_id = ? AND kind = ? AND status = 'open'"
)
"""This person's open flows of a kind here give way to another one, keeping nothing they held."""


async def start(
    ctx: Ctx, kind: str, step: str, data: dict[str, Any], only: Statement | None = None
) -> Flow:
    """Open a flow for this user here; an earlier open flow of the same kind gives way to it,
    and what it held is blanked.

    Held back (`db.later`), with an id the process makes (storage/ids.py): the earlier flows
    are closed and the new one written with the event's next statement or its last one, the
    buttons of the question it asks, in one statement on PostgreSQL and one call into SQLite.
    No transaction (on PostgreSQL its BEGIN and COMMIT are two round trips more): an event that
    fails between the two leaves none of them open. Two starts of one person's flow of a kind
    at the very same moment on two processes may leave both open; the newest counts
    (`open_flow`, `waiting_for_text`). `only`: a condition without which neither is written
    (the flow of a run that lands only with its start, `Reflecties.lands_with`)."""
    now = iso(ctx.now())
    flow = Flow(ctx.db.new_id(), kind, step, data)
    held = json.dumps(data)
    values = (flow.id, ctx.conversation_id, ctx.user_id, kind, step, held, now, now)
    columns = (
        "INSERT INTO flows (id, conversation_id, user_id, kind, step, data, created_at, updated_at)"
    )
    if only is None:
        await ctx.db.later(_REPLACE, (now, ctx.conversation_id, ctx.user_id, kind))
        await ctx.db.later(f"{columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
    else:
        condition, params = only
        await ctx.db.later(
            f"{_REPLACE} AND {condition}", (now, ctx.conversation_id, ctx.user_id, kind, *params)
        )
        await ctx.db.later(
            f"{columns} SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE {condition}", (*values, *params)
        )
    # known to this event as written: with `only`, the caller answers without a question
    # where the guard did not hold (a run another process started first)
    known = _seen.get()
    _leave(ctx, flow)
    if (
        only is None
        and known is not None
        and known[:2] == _here(ctx)
        and not step.startswith("ask")
    ):
        # what is open now is known: this one, and the other kinds' flows as read
        written = NamedRow(
            {"id": flow.id, "kind": kind, "step": step, "data": held, "updated_at": now}
        )
        _seen.set((*known[:2], [written, *(row for row in known[2] if row["kind"] != kind)]))
    _opened(ctx, kind)
    await _asking(ctx, flow)
    return flow


async def advance(
    ctx: Ctx, flow: Flow, step: str, data: dict[str, Any], only: Statement | None = None
) -> Flow:
    """The flow's next step, held back (`db.later`): it travels with the event's next statement
    or its last one, the buttons of the question it asks. The flow is then taken for the one
    this event left asking; had another event closed it in between, the write changes nothing
    and a button of this question meets a closed flow (`find`). `only`: a condition without
    which it is not written (another owner's `lands_with_next`)."""
    guard, params = guarded(only)
    await ctx.db.later(
        "UPDATE flows SET step = ?, data = ?, updated_at = ? WHERE id = ? AND status = 'open'"
        + guard,
        (step, json.dumps(data), iso(ctx.now()), flow.id, *params),
    )
    after = moved(flow, step, data)
    _leave(ctx, after)
    await _asking(ctx, after)
    return after


async def _asking(ctx: Ctx, flow: Flow) -> None:
    """What goes with a question the flow moves to (`Ctx.asking`), made before the move is
    written so that it travels with it."""
    if ctx.asking is not None and flow.step.startswith("ask"):
        await ctx.asking(ctx, flow)


async def finish(ctx: Ctx, flow: Flow, status: str = "done", only: Statement | None = None) -> None:
    """Held back like `advance`: nothing waits for it. `only` as for `advance`."""
    _leave(ctx, None, none_waits=True)
    guard, params = guarded(only)
    await ctx.db.later(
        "UPDATE flows SET status = ?, updated_at = ? WHERE id = ?" + guard,
        (status, iso(ctx.now()), flow.id, *params),
    )


async def open_flow(ctx: Ctx, kind: str) -> Flow | None:
    """`open_of`, from the open flows this event read already (`seen`), if it did."""
    known = _seen.get()
    if known is not None and known[:2] == _here(ctx):
        rows = [row for row in known[2] if row["kind"] == kind]
        return _flow(max(rows, key=lambda row: int(row["id"]))) if rows else None
    return await ctx.db.read(open_of(ctx, kind))


def open_of(ctx: Ctx, kind: str) -> Read[Flow | None]:
    """The newest open flow of `kind` of this user here, to read with something else."""
    return Read.one(
        "SELECT id, kind, step, data FROM flows WHERE conversation_id = ? AND user_id = ?"
        " AND kind = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
        (ctx.conversation_id, ctx.user_id, kind),
        _flow,
    )


_OPEN_ROWS = (
    "SELECT id, kind, step, data, updated_at FROM flows WHERE conversation_id = ? AND user_id = ?"
    " AND status = 'open' ORDER BY updated_at DESC, id DESC"
)


async def waiting_for_text(ctx: Ctx, kinds: set[str]) -> Flow | None:
    """The most recent flow of this user here that asked a question and is still within its wait.
    Later in the same event, what it read or left asking (`_left`), without reading again."""
    left = _left.get()
    if left is not None and left[:2] == _here(ctx):
        if left[2] is None:
            return None
        if left[2].kind in kinds:
            return left[2]
    seeded = _seen.get()
    if seeded is not None and seeded[:2] == _here(ctx):
        rows = seeded[2]
    else:
        rows = await ctx.db.all(_OPEN_ROWS, (ctx.conversation_id, ctx.user_id))
        _seen.set((*_here(ctx), rows))
    _open.set((*_here(ctx), frozenset(row["kind"] for row in rows)))
    found = next(
        (
            _flow(row)
            for row in rows
            if row["kind"] in kinds
            and row["step"].startswith("ask")
            and ctx.now() - parse_iso(row["updated_at"]) <= TEXT_WAIT
        ),
        None,
    )
    # what waits now is what waits later in this event, until it writes a flow (`_leave`)
    _left.set((*_here(ctx), found))
    return found


async def drop_questions(ctx: Ctx) -> None:
    """A new command means the user moved on: an unanswered question of the bot is withdrawn,
    and none waits any more (`waiting_for_text` need not read it, until another is asked).
    Nothing is written where the open flows read with who is who (`seen`) ask nothing."""
    known = _seen.get()
    rows = known[2] if known is not None and known[:2] == _here(ctx) else None
    _leave(ctx, None, none_waits=True)
    if rows is not None:  # what stays open is known: the flows that ask nothing
        staying = [row for row in rows if not str(row["step"]).startswith("ask")]
        _seen.set((*_here(ctx), staying))
        if len(staying) == len(rows):
            return
    await ctx.db.later(
        "UPDATE flows SET status = 'dropped', updated_at = ? WHERE conversation_id = ?"
        " AND user_id = ? AND status = 'open' AND step LIKE 'ask%'",
        (iso(ctx.now()), ctx.conversation_id, ctx.user_id),
    )


async def reopen(ctx: Ctx, flow: Flow) -> bool:
    """A question withdrawn by a later command (`drop_questions`) is taken up again when its
    own button is pressed after all; another open flow of the kind gives way to it."""
    _leave(ctx, None)
    _opened(ctx, flow.kind)
    # one statement, all or nothing: only while it is still withdrawn (of two presses at once,
    # the second finds it open and changes nothing); True where it was taken up
    rows = await ctx.db.all(
        "UPDATE flows SET status = CASE WHEN id = ? THEN 'open' ELSE 'replaced' END,"
        " data = CASE WHEN id = ? THEN data ELSE '{}' END, updated_at = ?"
        " WHERE conversation_id = ? AND user_id = ? AND kind = ?"
        " AND ((id = ? AND status = 'dropped') OR (id <> ? AND status = 'open'))"
        " AND EXISTS (SELECT 1 FROM flows w WHERE w.id = ? AND w.status = 'dropped')"
        " RETURNING id",
        (flow.id, flow.id, iso(ctx.now()), ctx.conversation_id, ctx.user_id, flow.kind)
        + (flow.id,) * 3,
    )
    return any(row["id"] == flow.id for row in rows)


async def close_kind(ctx: Ctx, kind: str, only: Statement | None = None) -> None:
    """Held back: it goes with the event's next statement, and where `only` holds (a
    reflection's last answer lands, `Reflecties.still_at`)."""
    _leave(ctx, None)
    guard, params = guarded(only)
    await ctx.db.later(
        "UPDATE flows SET status = 'closed', updated_at = ? WHERE conversation_id = ?"
        f" AND user_id = ? AND kind = ? AND status = 'open'{guard}",
        (iso(ctx.now()), ctx.conversation_id, ctx.user_id, kind, *params),
    )


# --- moving a flow on exactly once: a button pressed twice, or pressed after the answer was
# typed, finds the flow already moved and changes nothing.


@dataclass(frozen=True)
class Found:
    flow: Flow
    status: str


async def find(ctx: Ctx, flow_id: Any, kind: str) -> Found | None:
    """A flow of this user here by id (from a button's payload), whatever its status; one the
    pressed button names as read with it (`pressed`)."""
    if not is_id(flow_id):
        return None
    known = _pressed.get()
    if known is not None and flow_id in known:
        here, found = known[flow_id]
        mine = found is not None and here == _here(ctx) and found.flow.kind == kind
        return found if mine else None
    return await ctx.db.read(found_of(ctx, flow_id, kind))


def found_of(ctx: Ctx, flow_id: Any, kind: str) -> Read[Found | None]:
    """`find` as a read, to read with something else (anything but an id finds nothing)."""
    return Read.one(
        "SELECT id, kind, step, data, status FROM flows WHERE id = ? AND user_id = ?"
        " AND conversation_id = ? AND kind = ?",
        (
            flow_id if is_id(flow_id) else None,
            ctx.user_id,
            ctx.conversation_id,
            kind,
        ),
        lambda row: Found(_flow(row), row["status"]),
    )


async def move(
    ctx: Ctx,
    flow: Flow,
    step: str,
    data: dict[str, Any] | None = None,
    status: str = "open",
    only: Statement | None = None,
    as_read: bool = False,
) -> Flow | None:
    """From `flow.step` to `step` (or closed with `status`); None when it had already moved,
    or where `only` (a plain condition: what the answer is written to still exists) fails.
    `as_read`: only while it still holds the data it was read with too (a flow that asks its
    next question at the same step, a reflection's, moves on by its data)."""
    after = moved(flow, step, data)
    if status == "open":
        await _asking(ctx, after)
    guard, params = guarded(only)
    if as_read:
        guard, params = f" AND data = ?{guard}", (json.dumps(flow.data), *params)
    changed = await ctx.db.changes(
        "UPDATE flows SET step = ?, data = ?, status = ?, updated_at = ? WHERE id = ?"
        " AND step = ? AND status = 'open'" + guard,
        (step, json.dumps(after.data), status, iso(ctx.now()), flow.id, flow.step, *params),
    )
    landed = changed == 1
    _leave(ctx, after if landed and status == "open" else None, landed and status != "open")
    return after if landed else None


def still_at(flow: Flow) -> Statement:
    """A condition for another owner's write that goes with this flow's `move`: the flow is
    still open at its step. Held back before the move, the write lands in the move's statement
    (one call into SQLite) and only where the move does (`storage.lands_with_next`, also for
    two answers at the very same moment on two processes); a second answer to the same
    question stores nothing."""
    return lands_with_next(
        (
            "EXISTS (SELECT 1 FROM flows WHERE id = ? AND step = ? AND status = 'open')",
            (flow.id, flow.step),
        )
    )


class Moved(Exception):
    """The flow had already moved on: the surrounding transaction is rolled back."""


async def must_move(
    ctx: Ctx, flow: Flow, step: str, data: dict[str, Any] | None = None, status: str = "open"
) -> Flow:
    after = await move(ctx, flow, step, data, status)
    if after is None:
        raise Moved
    return after


def export_of(user_id: int) -> Read[list[dict[str, Any]]]:
    """A person's flows for `mijngegevens`, to read with the rest."""
    return Read.each(
        "SELECT kind, step, status, data, created_at, updated_at FROM flows WHERE user_id = ?"
        " ORDER BY id",
        (user_id,),
        lambda r: {
            "soort": r["kind"],
            "stap": r["step"],
            "status": r["status"],
            "gegevens": json.loads(r["data"]),
            "begonnen": r["created_at"],
            "bijgewerkt": r["updated_at"],
        },
    )


async def erase_of(db: Database, user_id: int) -> None:
    """Held back, for an erasure's transaction."""
    _not_known()
    await db.later("DELETE FROM flows WHERE user_id = ?", (user_id,))


# --- held text: a flow row may hold a person's text for a moment (a paused answer); it is
# blanked or deleted as soon as it is used, replaced or old, so it is never kept longer than
# needed. A button that uses it names it (`buttons.make`'s `held`): read with the press.


async def forget(ctx: Ctx, kind: str) -> None:
    """This person's open flows of `kind` here are closed and what they held is blanked (a held
    text is kept no longer than it is needed): held back, with the event's next statement.
    Nothing to write when this event read the person's open flows here and none was of `kind`."""
    known = _open.get()
    if known is not None and known[:2] == _here(ctx):
        if kind not in known[2]:
            return
    _leave(ctx, None)
    await ctx.db.later(
        "UPDATE flows SET status = 'closed', data = '{}', updated_at = ? WHERE conversation_id = ?"
        " AND user_id = ? AND kind = ? AND status = 'open'",
        (iso(ctx.now()), ctx.conversation_id, ctx.user_id, kind),
    )


async def take(ctx: Ctx, flow_id: Any, kind: str) -> Flow | None:
    """An open flow of `kind` of this person by id, deleted as it is taken, in one statement:
    its data is returned once, and a second press of the same button finds nothing."""
    _leave(ctx, None)
    if not is_id(flow_id):
        return None
    row = await ctx.db.one(
        "DELETE FROM flows WHERE id = ? AND user_id = ? AND conversation_id = ? AND kind = ?"
        " AND status = 'open' RETURNING id, kind, step, data",
        (flow_id, ctx.user_id, ctx.conversation_id, kind),
    )
    return None if row is None else _flow(row)


async def release(ctx: Ctx, held: Flow) -> None:
    """A flow this event found already (read with the press, `find`), deleted with the event's
    next statement (held back): what it held is gone without a round trip of its own. Unlike
    `take` it tells nobody whether it was still there: for a held text whose use lands once by
    a guard of its own (a question's answer, `Router.text_flow`'s `answers_once`), or that is
    not used at all."""
    _leave(ctx, None)
    await ctx.db.later(
        "DELETE FROM flows WHERE id = ? AND user_id = ? AND conversation_id = ? AND kind = ?",
        (held.id, ctx.user_id, ctx.conversation_id, held.kind),
    )


async def forget_older(db: Database, kind: str, before: str) -> int:
    """Open flows of `kind` last touched before `before`, everywhere: deleted."""
    _not_known()
    return await db.changes(
        "DELETE FROM flows WHERE kind = ? AND status = 'open' AND updated_at < ?", (kind, before)
    )
