"""The one path for timed work: weekly posts, reminders, the end of a timed kletspot and the
revisit of team actions are each a `TimedWork` registered on the router. For every occurrence
that is due, one transaction moves its source on, decides to skip or claim it, renders the
message and stores it with the claim; the scheduler's sender then delivers it once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from bot.core import identity
from bot.core.clock import iso
from bot.core.context import Deps
from bot.core.logsafe import failure
from bot.core.replies import Outgoing, Reply, Target
from bot.core.storage import Database
from bot.timed.deliveries import Deliveries

log = logging.getLogger(__name__)

BATCH = 100
"""Occurrences claimed in one transaction: few enough that the write lock (SQLite) or the row
locks (PostgreSQL) are held for tens of milliseconds, many enough that the claims, the rendered
messages and the targets each cost one statement per batch instead of one per post."""

LATE = "te laat (de bot stond uit)"
INACTIVE = "gesprek niet actief"

T = TypeVar("T")


@dataclass(frozen=True)
class Occurrence(Generic[T]):
    """One moment something is due, with where it goes (None: that conversation is gone)."""

    key: str
    """Unique per occurrence: the claim on it can be made once, by any process, ever."""
    ref_id: int
    at: datetime
    target: Target | None
    active: bool
    item: T


async def in_conversation(
    db: Database,
    key: str,
    ref_id: int,
    at: datetime,
    conversation_id: int,
    item: T,
    thread_id: str | None = None,
) -> Occurrence[T]:
    """An occurrence posted in a conversation (a group's weekly post, a session's summary)."""
    found = await identity.conversation_target(db, conversation_id, thread_id)
    return Occurrence(
        key, ref_id, at, found.target if found else None, bool(found and found.active), item
    )


async def in_conversations(
    db: Database, wanted: Sequence[tuple[str, int, datetime, int, T]]
) -> list[Occurrence[T]]:
    """`in_conversation` for a batch of (key, ref_id, at, conversation_id, item): one read of
    where they go."""
    found = await identity.conversation_targets(db, sorted({w[3] for w in wanted}))
    out: list[Occurrence[T]] = []
    for key, ref_id, at, conversation_id, item in wanted:
        there = found.get(conversation_id)
        out.append(
            Occurrence(
                key,
                ref_id,
                at,
                there.target if there else None,
                bool(there and there.active),
                item,
            )
        )
    return out


@dataclass(frozen=True)
class TimedWork(Generic[T]):
    """A source of timed messages. `advance` moves the source past an occurrence and returns
    False when someone else already did (a `stop` typed at the same moment): then nothing is
    sent; `skipped` is the reason it will not be sent, or "". `render` runs inside the claiming
    transaction."""

    kind: str
    due: Callable[[Deps, datetime, int], Awaitable[Sequence[Occurrence[T]]]]
    """Runs inside the claiming transaction; a source with many rows locks those it returns
    with `db.skip_locked`, so a second process claiming at the same time takes others."""
    advance: Callable[[Deps, Occurrence[T], str], Awaitable[bool]]
    render: Callable[[Deps, Occurrence[T]], Awaitable[Reply]]


async def claim_due(
    deps: Deps, works: Sequence[TimedWork[Any]], grace: timedelta, owner: str = ""
) -> AsyncIterator[Outgoing]:
    """Yields each batch as soon as it is claimed, so sending overlaps with claiming. `owner`
    names the process that holds the claims (taken over if it goes silent)."""
    now = deps.clock.now()
    for work in works:
        broken: set[str] = set()
        while True:
            try:
                claimed = await _claim_batch(deps, work, now, grace, owner, broken)
            except Exception as exc:
                # one occurrence broke the batch (rolled back): the same ones one at a time,
                # so only the broken one is given up
                log.info("%s batch fell back to one at a time: error=%s", work.kind, failure(exc))
                claimed = await _one_at_a_time(deps, work, now, grace, owner, broken)
            if claimed is None:
                break
            for outgoing in claimed:
                yield outgoing


def skip_reason(now: datetime, occurrence: Occurrence[Any], grace: timedelta) -> str:
    if now - occurrence.at > grace:
        return LATE
    if occurrence.target is None or not occurrence.active:
        return INACTIVE
    return ""


async def _due(
    deps: Deps, work: TimedWork[Any], now: datetime, broken: set[str]
) -> list[Occurrence[Any]]:
    found = await work.due(deps, now, BATCH + len(broken))
    return [o for o in found if o.key not in broken][:BATCH]


async def _claim_batch(
    deps: Deps,
    work: TimedWork[Any],
    now: datetime,
    grace: timedelta,
    owner: str,
    broken: set[str],
) -> list[Outgoing] | None:
    """One transaction: lock a batch of due rows, move each source on, record the skipped,
    claim the rest in one statement, render those and store them with their claims. None when
    nothing (this process may take) is due."""
    deliveries = Deliveries(deps.db)
    # one unit: the renders' writes nobody waits for (button tokens, a drawn question's mark)
    # travel with the next statement instead of one trip each
    async with deps.db.unit(), deps.db.transaction(rows_only=True):
        occurrences = await _due(deps, work, now, broken)
        if not occurrences:
            return None
        wanted: list[Occurrence[Any]] = []
        for occurrence in occurrences:
            # SQLite answers right on the event loop: without a turn of the loop now and then,
            # a batch holds the loop for tens of milliseconds (more on a busy machine), and a
            # message whose turn in the pace came just before leaves that much late, crowding
            # the next second at the platform
            await asyncio.sleep(0)
            skip = skip_reason(now, occurrence, grace)
            if not await work.advance(deps, occurrence, skip):
                continue
            if skip:
                await _record_skip(deliveries, work, occurrence, skip, now)
            elif occurrence.target is not None:
                wanted.append(occurrence)
        got = await deliveries.claim(
            [(o.key, work.kind, o.ref_id, iso(o.at)) for o in wanted], iso(now), owner
        )
        outgoing = []
        for o in wanted:
            if o.key in got and o.target is not None:
                await asyncio.sleep(0)
                outgoing.append(Outgoing(o.target, await work.render(deps, o), o.key))
        await deliveries.attach(outgoing)
    return outgoing


async def _one_at_a_time(
    deps: Deps,
    work: TimedWork[Any],
    now: datetime,
    grace: timedelta,
    owner: str,
    broken: set[str],
) -> list[Outgoing] | None:
    occurrences = await _due(deps, work, now, broken)
    if not occurrences:
        return None
    out: list[Outgoing] = []
    for occurrence in occurrences:
        try:
            outgoing = await _claim(deps, work, occurrence, now, grace, owner)
        except Exception as exc:
            broken.add(occurrence.key)
            await _give_up(deps, work, occurrence, now, exc)
            continue
        if outgoing is not None:
            out.append(outgoing)
    return out


async def _record_skip(
    deliveries: Deliveries,
    work: TimedWork[Any],
    occurrence: Occurrence[Any],
    skip: str,
    now: datetime,
) -> None:
    await deliveries.record(
        occurrence.key, work.kind, occurrence.ref_id, iso(occurrence.at), "skipped", skip, iso(now)
    )
    log.info("%s skipped: ref=%d reason=%s", work.kind, occurrence.ref_id, skip)


async def _claim(
    deps: Deps,
    work: TimedWork[Any],
    occurrence: Occurrence[Any],
    now: datetime,
    grace: timedelta,
    owner: str,
) -> Outgoing | None:
    deliveries = Deliveries(deps.db)
    async with deps.db.transaction():
        skip = skip_reason(now, occurrence, grace)
        if not await work.advance(deps, occurrence, skip):
            return None
        if skip:
            await _record_skip(deliveries, work, occurrence, skip, now)
            return None
        if occurrence.target is None or not await deliveries.claim(
            [(occurrence.key, work.kind, occurrence.ref_id, iso(occurrence.at))], iso(now), owner
        ):
            return None
        outgoing = Outgoing(occurrence.target, await work.render(deps, occurrence), occurrence.key)
        await deliveries.attach([outgoing])
    return outgoing


async def _give_up(
    deps: Deps, work: TimedWork[Any], occurrence: Occurrence[Any], now: datetime, exc: Exception
) -> None:
    """An occurrence that cannot even be rendered is recorded as failed (shown in `planning`)
    and leaves the others alone; the next occurrence is tried as usual."""
    log.error(
        "%s could not be prepared: ref=%d error=%s", work.kind, occurrence.ref_id, failure(exc)
    )
    try:
        async with deps.db.transaction():
            await Deliveries(deps.db).record(
                occurrence.key,
                work.kind,
                occurrence.ref_id,
                iso(occurrence.at),
                "failed",
                type(exc).__name__,
                iso(now),
            )
            await work.advance(deps, occurrence, "failed")
    except Exception as again:
        log.error(
            "%s could not be recorded as failed: ref=%d error=%s",
            work.kind,
            occurrence.ref_id,
            failure(again),
        )
