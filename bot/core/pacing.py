"""The one pace of each platform account (a bot token, a Slack workspace), kept by every send of
every process: replies, edits, files and scheduled posts alike.

Who owns pacing: this module. A platform's send path asks its account's `Pace` before each
message (Telegram through python-telegram-bot's `BaseRateLimiter`, `adapters/telegram/pacing.py`;
Slack in its `Poster`, `adapters/slack/outbound.py`); the scheduler's sender paces nothing
itself, so no message is paced twice.

- **The account** (30 a second for Telegram) is shared through the `pacing` table: a process
  takes a *window* of slots with one upsert that moves the account's next free slot on, and
  hands the slots out in memory, one by one as they come: a reply's turn before any waiting
  post's. A window holds what surely comes (up to `BLOCK` slots), so a fan-out writes a few times
  a second, not thirty; a quiet process takes one slot per statement.
- **Alone** (no other process's heartbeat for `ALONE_AFTER`): the process *holds* the account:
  its window reaches `HOLD` seconds ahead and each heartbeat extends it with a compare-and-set
  (`slot = ? WHERE slot = <my end>`), so replies cost no database write at all. A process that
  starts beside it takes its first slot after the held window (it waits at most `HOLD`), which
  makes the next compare-and-set fail: the holder stops holding at once, the heartbeat also
  tells it, and both share slot windows from then on. Nothing a holder hands out can meet a
  slot another process takes.
- **A group** (Telegram: 20 a minute) is a GCRA (a next-free time with a burst) kept in
  the same table under `<account>:<chat>` while other processes live, so updates of one group
  answered by two processes keep the group's limit together; when alone it is kept in memory,
  and on leaving that state the process writes what it knows first (before the held window ends,
  so before another process can send). Half the limit may go at once, the other half is spread
  over the minute (`GROUP_BURST`, `GROUP_SHARE`).
- **A private chat** (Telegram: about one a second, "short bursts allowed") is not paced: what
  goes there is answers to what the person types and the odd reminder, and a pace there would
  hold back a reply of several parts.

Slots are Unix times (`time.time`): processes on one machine share that clock; on several
machines it is as good as their NTP, a few milliseconds, which `HEADROOM` covers.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

from bot.core.delivery import SendLimits
from bot.core.logsafe import failure
from bot.core.storage import Database

log = logging.getLogger(__name__)

HEADROOM = 0.96
"""Slots are reserved at 96% of a declared rate: a send that leaves a few milliseconds late must
not make two arrive inside the platform's window (a 429 costs far more than 4%). 30 slots span
1.04 s: 40 ms of delay between a slot and the platform (a late wake, a busy loop, the network)
are covered."""
LATE = 0.01
"""Seconds a send may leave after its slot; later (a busy loop), it takes another, so no burst
of late sends can crowd into one of the platform's one-second windows."""
EPSILON = 1e-4
"""Seconds of rounding a window's last slot may show: a Unix time in a double is exact to about
a microsecond, and slots added up drift by a few of those."""
BLOCK = 10
"""The most account slots one window takes when other processes share the account."""
HOLD = 8.0
"""Seconds a lone process holds its account ahead; renewed at each heartbeat (every 5 s)."""
ALONE_AFTER = 60.0
"""Seconds without another process's heartbeat before a process paces alone: longer than a
group's minute, so nothing another process sent to a group can still count."""
KEEP_USED = 60.0
"""A held account is renewed only while it sent within this many seconds."""
GROUP_BURST = 0.5
"""A group takes half its per-minute limit at once (10 of Telegram's 20) ..."""
GROUP_SHARE = 0.9
"""... and the other half spread over the minute at 90% (one per 6.7 s): a send may leave a few
seconds after its reservation (waiting for the account), so any sixty seconds still hold at most
10 + 9 + one late one."""


class Released(Exception):
    """The process stops: a scheduled post still waiting for its turn is not sent; its claim is
    released for any process to send (a reply still goes)."""


Wall = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class SharedPace:
    """The statements on the `pacing` table; every row is a next-free time (Unix seconds)."""

    def __init__(self, db: Database, wall: Wall = time.time) -> None:
        self._db = db
        self._wall = wall

    async def advance(self, name: str, length: float) -> float:
        """Move `name`'s next free time on by `length` from where it stands (or from now, if it
        passed): the new next free time. What lies before it, `length` back, is the caller's."""
        now = self._wall()
        following = await self._db.scalar(
            "INSERT INTO pacing (name, slot) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
            " slot = CASE WHEN pacing.slot < ? THEN ? ELSE pacing.slot END + ?"
            " RETURNING slot",
            (name, now + length, now, now, length),
        )
        return float(following)

    async def extend(self, name: str, end: float, until: float) -> bool:
        """Move `name` from `end` to `until` only if nobody moved it since it stood at `end`."""
        return (
            await self._db.changes(
                "UPDATE pacing SET slot = ? WHERE name = ? AND slot = ?", (until, name, end)
            )
            == 1
        )

    async def raise_to(self, rows: list[tuple[str, float]]) -> None:
        """Next-free times known in memory, written where they are later than the stored ones."""
        await self._db.executemany(
            "INSERT INTO pacing (name, slot) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
            " slot = CASE WHEN pacing.slot < excluded.slot THEN excluded.slot"
            " ELSE pacing.slot END",
            rows,
        )


class Paces:
    """Every account's pace in this process, and whether the process is alone (heartbeats)."""

    def __init__(
        self,
        db: Database,
        wall: Wall = time.time,
        sleep: Sleep = asyncio.sleep,
        alone_after: float = ALONE_AFTER,
    ) -> None:
        self.shared = SharedPace(db, wall)
        self._wall = wall
        self._sleep = sleep
        self._alone_after = alone_after
        self._paces: dict[str, Pace] = {}
        self._others_since: float | None = 0.0
        """Wall time since when no other process was seen; None while others live."""
        self._known = False
        self.stopping = asyncio.Event()
        """Set when the process stops: posts waiting for their turn are `Released`."""

    def of(self, platform: str, workspace: str, limits: SendLimits) -> Pace:
        """The pace of one platform account: a bot token, a Slack workspace."""
        account = f"{platform}:{workspace}"
        pace = self._paces.get(account)
        if pace is None:
            pace = self._paces[account] = Pace(self, account, limits)
        return pace

    @property
    def alone(self) -> bool:
        """True once heartbeats have shown no other process for `ALONE_AFTER` seconds."""
        since = self._others_since
        return self._known and since is not None and self._wall() - since >= self._alone_after

    async def company(self, others: int) -> None:
        """What a heartbeat saw: how many other processes live. A lone process renews its
        holds; one that is not (or whose renewal found another's slot) gives them up."""
        now = self._wall()
        if not self._known:
            self._known, self._others_since = True, (now if others == 0 else None)
        elif others:
            self._others_since = None
        elif self._others_since is None:
            self._others_since = now
        alone = self.alone
        paces = list(self._paces.values())
        if alone:
            for pace in paces:
                if not await pace.renew():
                    self._others_since, alone = now, False  # someone is there after all
        if not alone:
            for pace in paces:
                await pace.share()

    async def contended(self) -> None:
        """Another process took slots although the heartbeats showed none (it just started):
        not alone until the heartbeats have shown nobody for `ALONE_AFTER` again."""
        self._others_since = self._wall()
        for pace in list(self._paces.values()):
            await pace.share()

    def release_posts(self) -> None:
        """The process stops: every post waiting for its turn, and any post that asks from now
        on, gets `Released`."""
        self.stopping.set()
        for pace in self._paces.values():
            pace.release_posts()


class Pace:
    """One account's slots and its conversations' reservations, in this process."""

    def __init__(self, paces: Paces, account: str, limits: SendLimits) -> None:
        self._paces = paces
        self._shared = paces.shared
        self._wall = paces._wall
        self._sleep = paces._sleep
        self.account = account
        self.limits = limits
        rate = limits.per_second
        self._interval = 1.0 / (rate * HEADROOM) if math.isfinite(rate) and rate > 0 else 0.0
        self._next = 0.0
        self._end = 0.0
        """This process's window of account slots: [_next, _end)."""
        self._held = False
        """The window reaches `HOLD` ahead and is renewed (alone)."""
        self._replies: deque[asyncio.Future[float]] = deque()
        self._posts: deque[asyncio.Future[float]] = deque()
        """Sends waiting for their turn in this process: replies first."""
        self._dispatcher: asyncio.Task[None] | None = None
        self._recent: deque[float] = deque(maxlen=BLOCK)
        """When the last slots were handed out: this process's rate over the last second."""
        self._lead = 0.0
        """How far ahead of the asking the last window started (other processes' slots)."""
        self._unshared = False
        """Group reservations were made in memory only (alone) since the last `share`."""
        self._used = -math.inf
        self._groups: dict[str, float] = {}
        """A group's next-free time as this process knows it (all of it while alone)."""
        self.writes = 0
        """Statements on the pacing table made for this account (benchmarks, tests)."""
        self._away = False
        """The last window could not be taken from the database (logged once until it can)."""
        self.missed = 0
        """Slots not used because the send (or the dispatcher) woke more than `LATE` after them."""
        self.unused = 0.0
        """Slots of this process's windows that no send took (benchmarks)."""

    async def wait(self, conversation: str | None, group: bool, urgent: bool = True) -> None:
        """Return when one message to `conversation` may leave: a group's pace first (it may
        be long), then the account's turn (short). A private chat has no pace of its own.
        `urgent`: someone waits for it (a reply); a scheduled post (False) lets replies go
        first."""
        if conversation is not None and group:
            moment = await self._group(conversation)
            if urgent:
                await self._sleep_until(moment)
            else:
                await self._post_sleep_until(moment)
        if self._interval:
            await self._account(urgent)

    async def _group(self, conversation: str) -> float:
        """Reserve a send time in this group (GCRA: a next-free time and a burst)."""
        now = self._wall()
        per_minute = self.limits.per_group_per_minute
        if not (math.isfinite(per_minute) and per_minute > 0):
            return now
        burst = max(1, int(per_minute * GROUP_BURST))
        interval = 60.0 / (max(1.0, per_minute - burst) * GROUP_SHARE)
        tolerance = (burst - 1) * interval
        key = f"{self.account}:{conversation}"
        if not self._paces.alone:
            self.writes += 1
            following = await self._shared.advance(key, interval)
            self._groups[key] = following
            return max(self._wall(), following - interval - tolerance)
        self._unshared = True
        free = self._groups.get(key, 0.0)
        self._groups[key] = max(free, now) + interval
        if len(self._groups) > 10_000:  # forget what lies in the past
            for old in [k for k, t in self._groups.items() if t < now]:
                del self._groups[old]
        return max(now, free - tolerance)

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._wall()
        if delay > 0:
            await self._sleep(delay)

    async def _post_sleep_until(self, moment: float) -> None:
        """A post's wait for its group: cut short by the process stopping (`Released`)."""
        if self._paces.stopping.is_set():
            raise Released
        delay = moment - self._wall()
        if delay <= 0:
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        stopper = asyncio.ensure_future(self._paces.stopping.wait())
        try:
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopper.cancel()
        if self._paces.stopping.is_set():
            raise Released

    def release_posts(self) -> None:
        for turn in self._posts:
            if not turn.done():
                turn.set_exception(Released())
        self._posts.clear()

    async def _account(self, urgent: bool) -> None:
        """Wait for this send's turn: the slots of this process's windows are handed out one
        by one as they come, a reply's turn before any waiting post's."""
        if not urgent and self._paces.stopping.is_set():
            raise Released
        self._used = time.monotonic()
        now = self._wall()
        free = self._next <= now and now + self._interval <= self._end + EPSILON
        if free and not self._waiting():
            self._next = now + self._interval  # nobody waits and a slot is free: no queue
            self._recent.append(now)
            return
        loop = asyncio.get_running_loop()
        queue = self._replies if urgent else self._posts
        turn: asyncio.Future[float] = loop.create_future()
        queue.append(turn)
        while True:
            if self._dispatcher is None or self._dispatcher.done():
                self._dispatcher = asyncio.create_task(self._dispatch())
            slot = await turn
            # checked where the send goes on, not only where its turn was given: the loop may
            # have run other work in between (a batch claimed, a post rendered)
            if self._wall() - slot <= LATE:
                return
            self.missed += 1
            if not urgent and self._paces.stopping.is_set():
                raise Released
            turn = loop.create_future()
            queue.appendleft(turn)  # it keeps its place

    def _waiting(self) -> int:
        for queue in (self._replies, self._posts):
            while queue and queue[0].done():  # given up meanwhile (cancelled)
                queue.popleft()
        return len(self._replies) + len(self._posts)

    async def _dispatch(self) -> None:
        """While sends wait: the next slot (a new window from the database when this one is
        used up), sleep until it, and give it to the first reply, else the first post. A slot
        missed by more than `LATE` (a busy loop) is given to nobody."""
        try:
            while self._waiting():
                now = self._wall()
                # the next slot, also when it passed less than `LATE` ago (the statement that
                # took this window took a moment); else now
                slot = self._next if now - self._next <= LATE else now
                # a slot is the whole interval after it: the next window may start at our end
                if slot + self._interval > self._end + EPSILON:
                    await self._window()
                    continue
                self._next = slot + self._interval
                self._recent.append(now)
                await self._sleep_until(slot)
                if self._wall() - slot > LATE:
                    self.missed += 1
                    continue
                if self._waiting():
                    (self._replies or self._posts).popleft().set_result(slot)
                    await asyncio.sleep(0)  # the send goes on (and checks its slot) first
        except BaseException as exc:
            for turn in (*self._replies, *self._posts):
                if turn.done():
                    continue
                if isinstance(exc, asyncio.CancelledError):
                    turn.cancel()
                else:
                    turn.set_exception(exc)
            self._replies.clear()
            self._posts.clear()
            raise

    async def _window(self) -> None:
        """A new window of slots: as many as sends wait (up to `BLOCK`), `HOLD` seconds when
        alone."""
        asked = self._wall()
        self.unused += max(0.0, self._end - max(self._next, asked) - EPSILON) / self._interval
        alone = self._paces.alone
        length = HOLD if alone else self._demand(asked) * self._interval
        self.writes += 1
        try:
            end = await self._shared.advance(self.account, length)
        except Exception as exc:  # the database is away: keep the pace in this process
            if not self._away:  # once per outage, not once per message
                log.warning(
                    "pacing without the database: account=%s error=%s", self.account, failure(exc)
                )
            self._away = True
            start = max(self._next, self._wall())  # never back: the rate holds in memory
            self._next, self._end, self._held = start, start + self._interval, False
            return
        if self._away:
            log.info("pacing with the database again: account=%s", self.account)
            self._away = False
        start = end - length
        self._lead = max(0.0, start - asked)
        if alone and start > max(self._end, asked) + LATE:
            await self._paces.contended()  # another process holds slots before ours
            alone = False
        self._next, self._end, self._held = start, end, alone

    def _demand(self, now: float) -> int:
        """How many slots the next window takes: what waits now, or what this process will
        surely send before the window even starts (its rate over the last second times how far
        ahead its last window lay), at most `BLOCK`. A window that starts now gets one slot per
        waiting send: a slot taken for a send that does not come is lost to every process."""
        rate = sum(1 for t in self._recent if now - t < 1.0)
        return min(BLOCK, max(1, self._waiting(), int(rate * self._lead)))

    async def renew(self) -> bool:
        """A lone process extends its held window by compare-and-set; False when that fails
        because another process took a slot after it. A hold not used for `KEEP_USED` lapses."""
        if not self._held:
            return True
        now = self._wall()
        if self._end <= now or time.monotonic() - self._used >= KEEP_USED:
            self._held = False
            return True
        self.writes += 1
        if await self._shared.extend(self.account, self._end, now + HOLD):
            self._end = now + HOLD
            return True
        self._held = False
        return False

    async def share(self) -> None:
        """Not alone (any more): the held window runs out unrenewed, and the groups'
        reservations made in memory are written for the others to see."""
        self._held = False
        if not self._unshared:
            return
        self._unshared = False
        now = self._wall()
        known = [(k, t) for k, t in self._groups.items() if t > now]
        if known:
            self.writes += 1
            await self._shared.raise_to(known)
