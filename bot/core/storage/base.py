"""The one storage interface every store talks to, whichever backend runs underneath.

Stores write SQLite-flavoured SQL with `?` parameters and ISO date strings, in the subset both
backends understand (`ON CONFLICT ... DO ...`, `RETURNING`, partial indexes). A backend
translates only what cannot be written once: the parameter markers.
"""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, Protocol, TypeVar, overload

from bot.core.storage.ids import Ids

Params = Sequence[Any]
Statement = tuple[str, Params]


_VALUES = re.compile(
    r"(\s*INSERT\s+INTO\s+\w+\s*\([\w\s,]*\)\s*VALUES\s*)(\([?,\s]*\))"
    r"(\s*(?:ON\s+CONFLICT\s*(?:\([\w\s,]*\))?\s*DO\s+NOTHING)?\s*)",
    re.IGNORECASE,
)
"""An INSERT of one row of plain parameters, which may become an INSERT of several rows. Not
with DO UPDATE: PostgreSQL refuses a statement that meets one row twice."""
ROWS_PER_INSERT = 100
"""Rows in one INSERT at most; a longer run goes as several (PostgreSQL takes at most 32,767
parameters in one statement)."""


@lru_cache(maxsize=2048)
def several_rows(sql: str, count: int) -> str | None:
    """`count` rows of a plain INSERT as one statement (None when it is not a plain one): all or
    nothing, as a run is, but one statement (a card's buttons: one instead of three)."""
    found = _VALUES.fullmatch(sql)
    if found is None:
        return None
    head, row, tail = found.groups()
    return head + ", ".join([row] * count) + tail


def joined_inserts(statements: list[Statement]) -> list[Statement]:
    """Neighbouring rows of one plain INSERT as one INSERT of several rows; the rest as it is."""
    out: list[Statement] = []
    run: list[Params] = []
    for n, (sql, params) in enumerate(statements):
        run.append(params)
        if n + 1 < len(statements) and statements[n + 1][0] == sql and len(run) < ROWS_PER_INSERT:
            continue
        several = several_rows(sql, len(run)) if len(run) > 1 else None
        if several is None:
            out.extend((sql, p) for p in run)
        else:
            out.append((several, tuple(p for row in run for p in row)))
        run = []
    return out


LANDS_WITH_NEXT = "/* lands with the next change */ "
"""The mark of a condition that holds exactly where the unit's next change of the table it
reads changes a row (`lands_with_next`): an UPDATE guarded by the same state (`changes()`),
or a new row guarded by it (a draw, whose id comes back)."""


def guarded(only: Statement | None) -> tuple[str, tuple[Any, ...]]:
    """A write's optional condition (`only`, another owner's: `lands_with_next`, a flow still
    at its step) as the " AND ..." that closes its WHERE, with its parameters."""
    return (f" AND {only[0]}", tuple(only[1])) if only is not None else ("", ())


def lands_with_next(condition: Statement) -> Statement:
    """`condition` (an EXISTS (...) that reads the table of the next change: a flow still at
    the step its move moves it from, no draw yet after the one a draw follows) for writes held
    back before that change. On SQLite they run before it in the same
    call, which holds the one write lock, so the condition is the change's own. On PostgreSQL,
    where all parts of one statement read the rows as they were before it, two such events at
    the same moment on two processes would both find it true: there a held write in the
    change's statement waits on the change itself instead (`postgres._trips`), and lands only
    where it does. The change may read such a write's table only where that write's rows cannot
    change what it reads: on SQLite it sees them, on PostgreSQL it does not. On PostgreSQL the
    change must also be able to carry them: a held write before them that the change reads
    sends them apart as plain conditions, so a store whose guard holds only in that statement
    sends what was held before first (`Teamacties.add`)."""
    sql, params = condition
    return LANDS_WITH_NEXT + sql, params


class Unit:
    """One event's work: the writes `later` holds back, in the order they were made, and the
    task that runs the unit (a task started inside it inherits the context, not the unit)."""

    def __init__(self) -> None:
        self.task = asyncio.current_task()
        self.writes: list[Statement] = []
        self.connection: Any = None
        """A backend's connection kept for the whole unit (PostgreSQL's, from its pool)."""
        self.landed: list[Callable[[], None]] = []
        """What waits for the unit's writes to have landed (`after_writes`)."""


_unit: ContextVar[Unit | None] = ContextVar("kletspot_unit", default=None)


def current_unit() -> Unit | None:
    """The unit the running task runs, if any."""
    unit = _unit.get()
    return unit if unit is not None and unit.task is asyncio.current_task() else None


def _held() -> list[Statement] | None:
    unit = current_unit()
    return None if unit is None else unit.writes


class StorageError(Exception):
    """The database cannot be used; the message is one Dutch line for whoever runs the bot."""


class Row(Protocol):
    """A result row, read by column name (or position); sqlite3.Row and asyncpg.Record alike."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> Iterable[str]: ...


class NamedRow:
    """A row of named columns, read by name or position like sqlite3.Row and asyncpg.Record:
    a PostgreSQL `rows_of` row (its columns travel as JSON), or a row a store knows it wrote."""

    __slots__ = ("_columns", "_values")

    def __init__(self, columns: dict[str, Any]) -> None:
        self._columns = columns
        self._values = list(columns.values())

    def __getitem__(self, key: int | str, /) -> Any:
        return self._values[key] if isinstance(key, int) else self._columns[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> Iterable[str]:
        return self._columns.keys()


T = TypeVar("T")
R = TypeVar("R", covariant=True)
"""What a `Read` makes of its rows: a read of a `Flow` is a read of a `Flow | None` too."""
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Read(Generic[R]):
    """A read its table's owner wrote (the SQL) with what it makes of the rows, so that another
    module can send it together with reads of other owners (`Database.together`): one round
    trip for what an event needs to know, and the owner's SQL stays in the owner's store.
    Columns must have distinct names and be numbers, text or NULL (on PostgreSQL they travel
    as JSON)."""

    sql: str
    params: Params
    parse: Callable[[list[Row]], R]

    @staticmethod
    def one(sql: str, params: Params, make: Callable[[Row], U]) -> Read[U | None]:
        """The first row made into a `U`; None when there is none."""
        return Read(sql, params, lambda rows: make(rows[0]) if rows else None)

    @staticmethod
    def each(sql: str, params: Params, make: Callable[[Row], U]) -> Read[list[U]]:
        return Read(sql, params, lambda rows: [make(r) for r in rows])

    def plain(self) -> Iterator[Read[Any]]:
        """Itself, as `Reads.plain` gives its reads."""
        yield self

    def made(self, found: Iterator[list[Row]]) -> R:
        """What it makes of the next rows of `found` (`Reads.made`)."""
        return self.parse(next(found))


@dataclass(frozen=True, slots=True)
class Reads(Generic[R]):
    """Reads made into one thing (a person's records with their look-backs): sent by
    `Database.together` beside the others like one `Read`, in the same round trip."""

    reads: tuple[Read[Any] | Reads[Any], ...]
    make: Callable[..., R]
    """Takes what each read made, in order."""

    @staticmethod
    def pair(a: Read[A] | Reads[A], b: Read[B] | Reads[B]) -> Reads[tuple[A, B]]:
        """Two reads as one, made into the pair of what each made."""
        return Reads((a, b), lambda first, second: (first, second))

    @staticmethod
    def three(
        a: Read[A] | Reads[A],
        b: Read[B] | Reads[B],
        c: Read[C] | Reads[C],
        make: Callable[[A, B, C], U],
    ) -> Reads[U]:
        return Reads((a, b, c), make)

    def plain(self) -> Iterator[Read[Any]]:
        """Its reads one by one, as they travel."""
        for read in self.reads:
            yield from read.plain()

    def made(self, found: Iterator[list[Row]]) -> R:
        """What it makes of the rows of its reads, taken from `found` in order."""
        return self.make(*(read.made(found) for read in self.reads))


class Database(ABC):
    """execute/changes/executemany/one/all/scalar, and `transaction()` for writes of several rows.

    A transaction holds the database's write lock from its first statement (SQLite's BEGIN
    IMMEDIATE; a transaction-scoped advisory lock on PostgreSQL), so a read inside it sees what
    the write after it will change, on both backends and across processes. The fan-out's
    claims are the exception (`rows_only`): they lock only the rows they claim.
    """

    kind: str
    """"sqlite" or "postgresql": for tests, tools and start-up logs, never for a store."""

    target: str
    """The file path or the address (without password) it was opened with."""

    ids: Ids | None = None
    """The ids this process makes (`new_id`), with the tag it took at opening."""

    def new_id(self) -> int:
        """An id for a new row of a table that takes its ids from the process (`OWN_IDS` in
        storage/ids.py): known before the row is written, so the row can be held back."""
        if self.ids is None:
            raise RuntimeError("the database is not open")
        return self.ids.new()

    round_trips: int = 0
    """Trips to the database since opening (a hop to SQLite's thread, a message exchange with
    PostgreSQL): what bench/ counts per event."""

    @abstractmethod
    async def close(self) -> None: ...

    skip_locked: str = ""
    """Appended to a SELECT that picks work to claim: PostgreSQL's ` FOR UPDATE SKIP LOCKED`,
    so two processes claiming at once get different rows; nothing on SQLite, where the
    claiming transaction already holds the one write lock."""

    @abstractmethod
    def transaction(
        self, rows_only: bool = False, checkpoint: bool = False
    ) -> AbstractAsyncContextManager[Database]:
        """All or nothing, rolled back on any exception. Nested use joins the outer one.

        Its BEGIN (and the write lock) goes with the first statement sent inside it, its COMMIT
        with the writes still held back (`later`) at its end. Where every write inside it was
        held back and nothing else sent, the whole transaction is one round trip on both
        backends: one call into SQLite, one message to PostgreSQL (BEGIN, the lock, the writes
        in order, COMMIT), there only where the writes' values are whole numbers (`int`, no
        text: such a message cannot carry parameters, `postgres.one_message`); with other
        values it costs BEGIN, the writes' trips and COMMIT there. So a transaction that must
        be cheap holds its writes back, reads nothing inside, and finds rows by conditions
        (`IN (SELECT ...)`) rather than by ids read first (an erasure: `vergeetmij`). An empty
        transaction sends nothing.

        `rows_only`: the caller locks the rows it reads itself (`skip_locked`), so on
        PostgreSQL the transaction does not take the write lock every other one takes (the
        fan-out's claims run beside each other in several processes). SQLite ignores it.

        `checkpoint`: an erasure's; once it is committed no erased text may linger outside
        the tables. On SQLite the WAL is copied into the database and truncated to zero bytes
        right after the COMMIT, in the same call, on the connection's thread (it syncs the
        disk); secure_delete overwrites the rows in the file itself. On PostgreSQL nothing:
        the server's own checkpoints and (auto)vacuum see to it (docs/deploy.md). Nested, it
        asks it of the outer transaction."""

    @property
    @abstractmethod
    def in_transaction(self) -> bool:
        """This task is inside a `transaction`: what it holds back may still be rolled back."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> None:
        """Run one statement. An id comes back through `scalar("INSERT ... RETURNING id")`."""

    @abstractmethod
    async def changes(self, sql: str, params: Params = ()) -> int:
        """Run one write and return how many rows it changed (0 for a conflict that did nothing)."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...

    @abstractmethod
    async def all(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def read(self, read: Read[T] | Reads[T]) -> T:
        if isinstance(read, Reads):
            return await self._made(read)
        return read.parse(await self.all(read.sql, read.params))

    async def _made(self, reads: Reads[T]) -> T:
        """Reads in one round trip (`rows_of`), made into what they make."""
        return reads.made(iter(await self.rows_of([(r.sql, r.params) for r in reads.plain()])))

    @overload
    async def together(self, a: Read[A] | Reads[A], b: Read[B] | Reads[B], /) -> tuple[A, B]: ...

    @overload
    async def together(
        self, a: Read[A] | Reads[A], b: Read[B] | Reads[B], c: Read[C] | Reads[C], /
    ) -> tuple[A, B, C]: ...

    @overload
    async def together(self, *reads: Read[Any] | Reads[Any]) -> tuple[Any, ...]: ...

    async def together(self, *reads: Read[Any] | Reads[Any]) -> tuple[Any, ...]:
        """Several owners' reads in one round trip (with the writes held back before them), each
        as its owner makes it."""
        if not reads:
            return ()
        return await self._made(Reads(reads, lambda *made: made))

    @abstractmethod
    async def rows_of(self, reads: list[Statement]) -> list[list[Row]]:
        """The rows of each SELECT, in one round trip: one call into SQLite (each read sees the
        database as it is when it runs, microseconds apart), one statement on PostgreSQL (one
        snapshot; each read's rows aggregated as JSON, in the read's own order)."""

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.all(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[None]:
        """One event's work. Inside it, `later` holds writes back; they travel to the database
        with the next statement, or all together when the unit ends: one round trip instead of
        one each. On an exception the writes not yet sent are dropped with the event. Inside a
        unit of the same task it joins that one (a store whose writes must travel together
        says so, whether or not an event runs it)."""
        if current_unit() is not None:
            yield
            return
        unit = Unit()
        token = _unit.set(unit)
        try:
            yield
            if unit.writes:
                await self.flush()
            for landed in unit.landed:
                landed()
        finally:
            _unit.reset(token)
            await self.end_unit(unit)

    @staticmethod
    def after_writes(landed: Callable[[], None]) -> None:
        """`landed` once the writes held back so far are in the database: at the unit's end,
        after its last statement (not where the event fails); at once outside a unit, where
        nothing is held back. For what must not happen before them (a memory forgotten that a
        read in between would fill with what they change) without a round trip of its own."""
        unit = current_unit()
        if unit is None:
            landed()
        else:
            unit.landed.append(landed)

    @abstractmethod
    async def end_unit(self, unit: Unit) -> None:
        """What a backend gives back when a unit ends (PostgreSQL: its connection)."""

    async def later(self, sql: str, params: Params = ()) -> None:
        """A write nobody waits for (a button token, a withdrawn question, a last-seen time),
        sent with the next statement of this unit, in order, or at its end; at once outside a
        unit (and from a task the unit's task started). They run in the order they were made on
        both backends. Use it only for writes that stand on their own: SQLite sends those held
        back together all or nothing, PostgreSQL each trip all or nothing (one statement, or
        one pipelined run of the same statement), so a failing later trip leaves an earlier
        one done. Inside a transaction they are its writes, all or nothing with it, and go
        with its COMMIT where nothing sends them before (`transaction`)."""
        pending = _held()
        if pending is None:
            await self.execute(sql, params)
        else:
            pending.append((sql, tuple(params)))

    @staticmethod
    def take_pending() -> list[Statement]:
        """The held-back writes, handed to whoever sends them now (for the backends)."""
        pending = _held()
        if not pending:
            return []
        taken = list(pending)
        pending.clear()
        return taken

    @staticmethod
    def give_back(statements: list[Statement]) -> None:
        """Writes taken but not sent (their transaction failed before its first statement)."""
        pending = _held()
        if pending is not None:
            pending[:0] = statements

    @abstractmethod
    async def flush(self) -> None:
        """Send the held-back writes now, in one round trip."""

    @abstractmethod
    async def tables(self) -> list[str]:
        """The application's tables, for copying and counting (not storage's own bookkeeping:
        the schema's version, the processes' id tags)."""


def _name(table: str) -> str:
    if not table.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {table!r}")
    return table
