"""The one path for timed work: weekly posts, reminders, the end of a timed kletspot and the
revisit of team actions are each a `TimedWork` registered on the router. For every occurrence
that is due, one transaction moves its source on, decides to skip or claim it, renders the
message and stores it with the claim; the scheduler's sender then delivers it once.
"""

from __future__ import annotations

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

BATCH = 500
"""Due rows are read in batches; each handled one moves past now, so the next batch is fresh."""

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


@dataclass(frozen=True)
class TimedWork(Generic[T]):
    """A source of timed messages. `advance` moves the source past an occurrence and returns
    False when someone else already did (a `stop` typed at the same moment): then nothing is
    sent; `skipped` is the reason it will not be sent, or "". `render` runs inside the claiming
    transaction."""

    kind: str
    due: Callable[[Deps, datetime, int], Awaitable[Sequence[Occurrence[T]]]]
    advance: Callable[[Deps, Occurrence[T], str], Awaitable[bool]]
    render: Callable[[Deps, Occurrence[T]], Awaitable[Reply]]


async def claim_due(
    deps: Deps, works: Sequence[TimedWork[Any]], grace: timedelta
) -> AsyncIterator[Outgoing]:
    """Yields each occurrence as soon as it is claimed, so sending overlaps with claiming."""
    now = deps.clock.now()
    for work in works:
        broken: set[str] = set()
        while occurrences := [
            o for o in await work.due(deps, now, BATCH + len(broken)) if o.key not in broken
        ]:
            for occurrence in occurrences:
                try:
                    outgoing = await _claim(deps, work, occurrence, now, grace)
                except Exception as exc:
                    broken.add(occurrence.key)
                    await _give_up(deps, work, occurrence, now, exc)
                    continue
                if outgoing is not None:
                    yield outgoing


def skip_reason(now: datetime, occurrence: Occurrence[Any], grace: timedelta) -> str:
    if now - occurrence.at > grace:
        return LATE
    if occurrence.target is None or not occurrence.active:
        return INACTIVE
    return ""


async def _claim(
    deps: Deps, work: TimedWork[Any], occurrence: Occurrence[Any], now: datetime, grace: timedelta
) -> Outgoing | None:
    deliveries = Deliveries(deps.db)
    at = iso(occurrence.at)
    async with deps.db.transaction():
        skip = skip_reason(now, occurrence, grace)
        if not await work.advance(deps, occurrence, skip):
            return None
        if skip:
            await deliveries.record(
                occurrence.key, work.kind, occurrence.ref_id, at, "skipped", skip, iso(now)
            )
            log.info("%s skipped: ref=%d reason=%s", work.kind, occurrence.ref_id, skip)
            return None
        if occurrence.target is None or not await deliveries.claim(
            occurrence.key, work.kind, occurrence.ref_id, at, iso(now)
        ):
            return None
        outgoing = Outgoing(occurrence.target, await work.render(deps, occurrence), occurrence.key)
        await deliveries.attach(occurrence.key, outgoing)
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
