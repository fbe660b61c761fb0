"""PostgreSQL for a network: several processes on one database through an asyncpg pool.

Stores keep writing `?` parameters; `translate` turns them into `$1, $2, ...` once per statement
text. A transaction takes one transaction-scoped advisory lock first, so writes of several rows
are serialised across every process exactly as SQLite's BEGIN IMMEDIATE serialises them: a
read-then-write inside a transaction (a group moved to a new id by Telegram: the row the new
id may have gives way to the old one, which holds the history) stays correct without each store knowing it may run on two machines. The fan-out's claiming transactions do not take
it (`rows_only`): they lock the rows they claim with FOR UPDATE SKIP LOCKED, so several
processes claim beside each other and never the same occurrence.

A round trip is the cost that counts (asyncpg answers one statement per exchange), so an
event runs on one connection and its held-back writes share the trip of the next statement
wherever that cannot change an answer (`_trips`). A transaction whose writes were all held back
(an erasure) goes as one message, BEGIN, lock and COMMIT included, where their values are whole
numbers only (`one_message`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.core.logsafe import failure
from bot.core.migrations import migrations
from bot.core.storage.base import (
    LANDS_WITH_NEXT,
    Database,
    NamedRow,
    Params,
    Row,
    Statement,
    StorageError,
    Unit,
    current_unit,
    joined_inserts,
)
from bot.core.storage.ids import OWN_IDS, TAG_TABLE, take_tag

log = logging.getLogger(__name__)

WRITE_LOCK = 0x6B6C6574
"""The advisory lock every transaction holds ("klet"): one writer of several rows at a time."""
MIGRATE_LOCK = 0x6B6C6D69
"""Held while migrating, so two processes starting together migrate once."""
VERSION_TABLE = "schema_version"


def is_address(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


@lru_cache(maxsize=2048)
def _markers(sql: str) -> tuple[int, ...]:
    """Where the `?` parameter markers are: outside quoted text, quoted names and comments."""
    found: list[int] = []
    i = 0
    quote: str | None = None
    while i < len(sql):
        c = sql[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif c == "?":
            found.append(i)
        i += 1
    return tuple(found)


def _filled(sql: str, texts: Iterable[str]) -> str:
    """`sql` with its `?` markers (`_markers`) replaced by `texts`, in order."""
    out: list[str] = []
    done = 0
    for at, text in zip(_markers(sql), texts, strict=True):
        out += [sql[done:at], text]
        done = at + 1
    return "".join(out) + sql[done:]


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """`?` to `$n`, outside quoted text, quoted names and comments (`_markers`)."""
    return _filled(sql, (f"${n}" for n in range(1, len(_markers(sql)) + 1)))


BIGINT = range(-(2**63), 2**63)
"""The whole numbers a column of PostgreSQL's widest integer type holds."""


def written_out(sql: str, params: Params) -> str | None:
    """`sql` with each `?` written out as its value, for a message that cannot carry
    parameters (`one_message`), where every value is a whole number: a Python `int` (not a
    `bool`, not a subclass) within `BIGINT`, written as its digits in parentheses (`(-5)`: a
    minus after another one never makes a comment). None for anything else (text above all:
    nothing a person wrote is ever written into SQL), for a statement whose markers and
    values do not match, and for one with a `;` (it would end the statement early)."""
    if (
        ";" in sql
        or len(_markers(sql)) != len(params)
        or not all(type(value) is int and value in BIGINT for value in params)
    ):
        return None
    return _filled(sql, (f"({value})" for value in params))


def one_message(begin: str, statements: list[Statement]) -> str | None:
    """A whole transaction as one simple-query message (one round trip): `begin` (BEGIN, with
    the write lock), the statements in the order they were made, COMMIT. PostgreSQL runs them
    one after the other in that transaction, each seeing the ones before it (cascades
    included), exactly as they would run one trip each; a failing one fails the message and
    the transaction with it (the caller then sends ROLLBACK), so it is all or nothing. Such a
    message carries no parameters: only where every statement's values are whole numbers
    (`written_out`), else None (and the transaction goes as BEGIN, its statements with their
    parameters, and COMMIT). Statements are separated by a line break before each `;`, so a
    statement ending in a -- comment cannot hide what follows."""
    parts = [begin]
    for sql, params in statements:
        written = written_out(sql, params)
        if written is None:
            return None
        parts.append(written)
    return "\n;\n".join([*parts, "COMMIT"])


def _count(status: str) -> int:
    """asyncpg's command tag: 'UPDATE 3', 'INSERT 0 1', 'DELETE 0'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


MAX_PARAMETERS = 32_767
"""PostgreSQL's limit for one statement: statements that would share one stay apart beyond it."""
_WRITE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)
"""Writes that may share a trip (the schema has no triggers and no ON UPDATE rules, so an
INSERT or UPDATE touches only its own table). A DELETE only of a table in `DELETE_SHARES`."""
DELETE_SHARES = frozenset(
    {
        "flows",
        "gedachten",
        "persoonlijke_plannen",
        "pot_eigen_vragen",
        "pot_getrokken",
        "pot_uit",
        "teamacties",
    }
)
"""Tables no foreign key refers to: a DELETE of their rows changes no other table, so it may
share a statement like an UPDATE. Not others: a DELETE's cascades reach tables it does not
name. tests/core/test_storage.py holds this list to the schema."""
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_APPEND = re.compile(
    r"\s*INSERT\s+INTO\s+(\w+)\s*\([\w\s,]*\)\s*"
    r"(?:VALUES\s*\([?,\s]*\)(?:\s*,\s*\([?,\s]*\))*|SELECT\s+[?,\s]+\s+WHERE\s+(.*?))"
    r"\s*(?:RETURNING\s+[\w\s,]+)?",
    re.IGNORECASE | re.DOTALL,
)
"""New rows of parameters only, without ON CONFLICT: as they are (VALUES, one row or several),
or one where a condition holds that does not read its own table (a guard such as
`flows.still_at`)."""
APPEND_AFTER_APPEND = OWN_IDS | {"buttons"}
"""Tables whose new rows bring their own keys (an id the process made, a button's token), so
two new rows may share a statement: neither reads the other, and no id the database numbers
could come out in another order than they were written."""
_CONFLICT = re.compile(r"\bON\s+CONFLICT\b", re.IGNORECASE)
APPEND_AFTER_UPDATE = frozenset({"flows", "herinneringen"})
"""Tables whose only unique index is their id, so a new row may share a statement with an
UPDATE of the table before it. Not others: in one statement PostgreSQL checks the new row's
unique keys before the UPDATE in front of it has changed the old row, and refuses a row the
UPDATE would have made room for (a second open session where the first was just closed).
tests/core/test_postgres_trips.py holds this list to the schema."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Part:
    """One statement as a candidate for sharing a round trip with its neighbours."""

    sql: str
    params: tuple[Any, ...]
    writes: str | None
    """The table it writes; None for a read."""
    words: frozenset[str]
    updates: bool
    appends: bool
    """A new row of parameters, perhaps guarded by a condition on other tables (`_APPEND`)."""

    def clashes(self, earlier: _Part) -> bool:
        """True when this part, coming after `earlier`, might see what `earlier` writes, or
        both write one table. In one statement the parts run in no set order and each sees the
        rows as they were before the statement: the same as one after the other only where the
        later one would not have seen the earlier one's changes. An earlier part may read what
        a later one writes (one after the other it ran first, and did not see it either). A
        table's name anywhere in the later statement counts (a string or a column of that name
        too: a trip more, never a wrong answer). One exception: a new row after an UPDATE of
        its table (a flow that replaces the open ones), which the UPDATE could not meet either
        way, and which itself reads nothing of its table (a guard may read others'), in a table
        without unique keys of its own (`APPEND_AFTER_UPDATE`); and such a new row after another
        one of its table, where both bring their own keys (`APPEND_AFTER_APPEND`)."""
        if (
            self.appends
            and earlier.writes == self.writes
            and (
                (earlier.updates and self.writes in APPEND_AFTER_UPDATE)
                or (earlier.appends and self.writes in APPEND_AFTER_APPEND)
            )
        ):
            return False
        return (earlier.writes is not None and earlier.writes in self.words) or (
            self.writes is not None and self.writes == earlier.writes
        )


@lru_cache(maxsize=2048)
def _shape(sql: str) -> tuple[str | None, frozenset[str], bool, bool] | None:
    """What `_Part` needs to know of a statement; None when it cannot share a trip."""
    if sql.lstrip()[:4].upper() == "WITH" or ";" in sql:
        return None
    write = _WRITE.match(sql)
    if write is None and not _READ.match(sql):
        return None
    if write is not None and sql.lstrip()[:6].upper() == "DELETE":
        if write.group(1).lower() not in DELETE_SHARES:
            return None
    words = frozenset(w.lower() for w in _WORD.findall(sql))
    updates = sql.lstrip()[:6].upper() == "UPDATE"
    append = _APPEND.fullmatch(sql)
    condition = append.group(2) if append else None
    appends = append is not None and (
        condition is None
        or (
            append.group(1).lower() not in {w.lower() for w in _WORD.findall(condition)}
            and not _CONFLICT.search(condition)
        )
    )
    return (write.group(1).lower() if write else None), words, updates, appends


def _part(sql: str, params: Params) -> _Part | None:
    shape = _shape(sql)
    return None if shape is None else _Part(sql, tuple(params), *shape)


def _together(parts: list[_Part], answer: bool = False) -> Statement:
    """Parts as one statement: the earlier ones as data-modifying WITH queries (which run
    exactly once, whether or not the last one reads them), the last as the statement itself.
    Where earlier parts wait on the last (`_waiting`), the last runs first, as `m`, and they
    hold only where it changed a row; the statement then answers with m's rows (`changes()`
    counts them)."""
    if len(parts) == 1:
        return parts[0].sql, parts[0].params
    *earlier, last = parts
    if _waiting(earlier, last, answer):
        assert last.writes is not None
        returns = _RETURNING.search(last.sql) is not None
        heads = [f"m AS ({last.sql}{'' if returns else ' RETURNING 1'})"]
        params: list[Any] = list(last.params)
        for n, part in enumerate(earlier):
            sql, own = _waiting_on_m(part, last.writes)
            heads.append(f"w{n} AS ({sql})")
            params.extend(own)
        answered = "*" if returns else "1"
        return f"WITH {', '.join(heads)} SELECT {answered} FROM m", tuple(params)
    heads_sql = ", ".join(f"w{n} AS ({part.sql})" for n, part in enumerate(earlier))
    return f"WITH {heads_sql} {last.sql}", tuple(p for part in parts for p in part.params)


_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def _waiting(earlier: list[_Part], last: _Part, answer: bool) -> bool:
    """Some earlier part has a condition marked to land with `last` (`base.lands_with_next`):
    `last` is the change whose answer is wanted, and the marked condition reads the table it
    changes (a flow's move, a plan's completion, a draw)."""
    return (
        answer
        and last.writes is not None
        and any(_without_marks(part.sql, last.writes)[1] for part in earlier)
    )


def _in_order(group: list[_Part], last: _Part) -> bool:
    """The group and `last` keep their meaning as one statement in which the parts that wait
    on `last` run after it (`_together`'s `m`): no part comes after one whose rows it reads,
    in that order. On SQLite those parts run before `last`, which then sees their rows: a
    change may read the table of a write that waits on it only where that write's rows cannot
    change what it reads (a draw checks the marks of colours drawn through; its own mark is
    never of such a colour)."""
    return _in_order_of(tuple(part.sql for part in group), last.sql)


@lru_cache(maxsize=512)
def _in_order_of(group: tuple[str, ...], last: str) -> bool:
    """`_in_order` by the statements' texts (all it depends on), worked out once per event
    shape."""
    changed = _shape(last)
    assert changed is not None and changed[0] is not None
    table = changed[0]
    before = [sql for sql in group if not _without_marks(sql, table)[1]]
    after = [_without_marks(sql, table)[0] for sql in group if _without_marks(sql, table)[1]]
    order: list[_Part] = []
    for sql in [*before, last, *after]:
        part = _part(sql, ())
        if part is None:
            return False
        order.append(part)
    return not any(order[j].clashes(order[i]) for j in range(len(order)) for i in range(j))


def _marked(sql: str) -> Iterator[tuple[int, int]]:
    """Where each condition marked by `lands_with_next` is: from its mark to the closing
    parenthesis of its EXISTS (...)."""
    start = sql.find(LANDS_WITH_NEXT)
    while start >= 0:
        opened = start + len(LANDS_WITH_NEXT) + len("EXISTS ")
        if sql[start + len(LANDS_WITH_NEXT) : opened + 1] != "EXISTS (":
            raise ValueError(f"a marked condition is EXISTS (...): {sql[start:][:60]!r}")
        depth, quoted, end = 0, False, opened
        for end in range(opened, len(sql)):
            c = sql[end]
            if c == "'":
                quoted = not quoted
            elif quoted:
                continue
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
        yield start, end + 1
        start = sql.find(LANDS_WITH_NEXT, end + 1)


def _waiting_on_m(part: _Part, table: str) -> tuple[str, tuple[Any, ...]]:
    """A part with its conditions marked to land with a change of `table` replaced by 'the
    change `m` changed a row', and their parameters taken out."""
    sql, taken = _without_marks(part.sql, table)
    params = list(part.params)
    for start, count in reversed(taken):
        del params[start : start + count]
    return sql, tuple(params)


@lru_cache(maxsize=512)
def _without_marks(sql: str, table: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`sql` with each marked condition that reads `table` as 'm changed a row', and where
    each one's parameters were (the index of its first, counted by the `?` before it, and how
    many): worked out once per statement text. Marks about another table's change stay
    conditions as they are."""
    taken: list[tuple[int, int]] = []
    out: list[str] = []
    done = 0
    for start, end in _marked(sql):
        found = sql[start:end]
        if table not in (w.lower() for w in _WORD.findall(found)):
            continue
        taken.append((sql[:start].count("?"), found.count("?")))
        out += [sql[done:start], "EXISTS (SELECT 1 FROM m)"]
        done = end
    return "".join(out) + sql[done:], tuple(taken)


Trip = tuple[str, Params | list[Params]]
"""One message exchange: a statement with its parameters, or with a list of parameter rows
(a pipelined `executemany`)."""


def _trips(statements: list[Statement], answer: bool = False) -> list[Trip]:
    """The statements in order, in as few trips as keep their meaning (`_packed`). How they
    pack depends only on their texts and their number of parameters, never on the values,
    so it is worked out once per shape of event (`_plan`) and filled with each event's
    values: on the hot path a lookup and a few tuples, not the packing's regular expressions
    and comparisons."""
    if not statements:
        return []
    shape = tuple([(sql, len(params)) for sql, params in statements])
    values = [value for _, params in statements for value in params]
    return [(sql, fill(values)) for sql, fill in _plan(shape, answer)]


class _Slot:
    """A stand-in for the value at `at` among an event's values, packed in its place."""

    __slots__ = ("at",)

    def __init__(self, at: int) -> None:
        self.at = at


Fill = Callable[[list[Any]], "Params | list[Params]"]


def _picker(slots: Params) -> Callable[[list[Any]], tuple[Any, ...]]:
    """The values at the slots' places, as a tuple."""
    at = tuple(slot.at for slot in slots)
    if len(at) > 1:
        return itemgetter(*at)  # a tuple of those values
    if at:
        return lambda values: (values[at[0]],)
    return lambda values: ()


def _filler(params: Params | list[Params]) -> Fill:
    if isinstance(params, list):
        rows = [_picker(row) for row in params]
        return lambda values: [pick(values) for pick in rows]
    return _picker(params)


@lru_cache(maxsize=1024)
def _plan(shape: tuple[tuple[str, int], ...], answer: bool) -> tuple[tuple[str, Fill], ...]:
    """The trips of statements of this shape (texts and numbers of parameters), each with
    what picks its values: `_packed` run once on stand-ins (`_Slot`)."""
    statements: list[Statement] = []
    at = 0
    for sql, count in shape:
        statements.append((sql, tuple(_Slot(n) for n in range(at, at + count))))
        at += count
    return tuple((sql, _filler(params)) for sql, params in _packed(statements, answer))


def _packed(statements: list[Statement], answer: bool = False) -> list[Trip]:
    """The statements in order, in as few trips as keep their meaning: a run of one plain
    INSERT as one INSERT of several rows, a run of another statement as one pipelined
    `executemany` (all or nothing), and neighbours that cannot see each other's rows as one
    statement. `answer`: the last statement's answer is wanted, so it
    never joins a run. It reads the texts and counts the parameters, never their values."""
    held = statements[:-1] if answer else statements
    statements = [*joined_inserts(held), *statements[len(held) :]]
    runs: list[tuple[str, list[tuple[Any, ...]]]] = []
    for n, (sql, params) in enumerate(statements):
        alone = answer and n == len(statements) - 1
        if runs and runs[-1][0] == sql and not alone:
            runs[-1][1].append(tuple(params))
        else:
            runs.append((sql, [tuple(params)]))
    trips: list[Trip] = []
    group: list[_Part] = []
    grouped = 0  # the group's parameters
    for n, (sql, rows) in enumerate(runs):
        part = _part(sql, rows[0]) if len(rows) == 1 else None
        last = answer and n == len(runs) - 1
        if (
            part is not None
            and grouped + len(part.params) <= MAX_PARAMETERS
            and (
                _in_order(group, part)
                if last and _waiting(group, part, answer)
                else not any(part.clashes(other) for other in group)
            )
        ):
            group.append(part)
            grouped += len(part.params)
            continue
        if group:
            trips.append(_together(group))
        group = [part] if part is not None else []
        grouped = len(part.params) if part is not None else 0
        if part is None:
            trips.append((sql, rows if len(rows) > 1 else rows[0]))
    if group:
        trips.append(_together(group, answer))
    return trips


RELEASE_WAIT = 0.1
"""Seconds a unit waits for a connection on its way back before the pool may open another."""

LOCKED_BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
"""A transaction's start: BEGIN and the write lock, in one message (the simple query protocol
runs both)."""


@dataclass
class _Tx:
    """A task's open transaction: its connection, how it begins, and whether that went out."""

    conn: PoolConnectionProxy[asyncpg.Record]
    begin: str
    begun: bool = False


async def _keep_session(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    """A connection goes back to the pool as it is. asyncpg's default reset (unlisten, reset
    every setting, release advisory locks) is a round trip at every release; Kletspot sets no
    session state, and its one session-level lock (migrating) is released where it is taken."""


class PostgresDatabase(Database):
    kind = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, pool: asyncpg.Pool, target: str) -> None:
        self._pool = pool
        self._tx: dict[asyncio.Task[Any], _Tx] = {}
        self._releasing: set[asyncio.Task[None]] = set()
        self.target = target

    @classmethod
    async def open(cls, url: str, pool_size: int = 10) -> PostgresDatabase:
        """Open the pool and migrate; a server that cannot be used raises `StorageError`."""
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=pool_size,
                statement_cache_size=1024,
                reset=_keep_session,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
            raise StorageError(
                f"De database {without_password(url)} is niet bruikbaar: de "
                f"server is niet bereikbaar of weigert ({type(exc).__name__})."
            ) from exc
        db = cls(pool, without_password(url))
        try:
            await db._migrate()
            db.ids = await take_tag(db)
        except BaseException:
            await pool.close()
            raise
        return db

    async def close(self) -> None:
        await self._pool.close()  # after the releases on their way (`end_unit`)

    async def _migrate(self) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATE_LOCK)
            try:
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE}"
                    " (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ"
                    " NOT NULL DEFAULT now())"
                )
                current = await conn.fetchval(
                    f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}"
                )
                for version, script in migrations(self.kind):
                    if version <= current:
                        continue
                    async with conn.transaction():
                        await conn.execute(script)
                        await conn.execute(
                            f"INSERT INTO {VERSION_TABLE} (version) VALUES ($1)", version
                        )
                    log.info("database migrated to version %d", version)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATE_LOCK)

    async def version(self) -> int:
        return int(await self.scalar(f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}"))

    @property
    def in_transaction(self) -> bool:
        return asyncio.current_task() in self._tx

    @asynccontextmanager
    async def transaction(
        self, rows_only: bool = False, checkpoint: bool = False
    ) -> AsyncIterator[Database]:
        """BEGIN (with the write lock unless `rows_only`) goes with the first statement sent
        inside, as a trip of its own (asyncpg sends one statement per exchange), or, where
        every write was held back and nothing else sent, with them and COMMIT as one message
        (`one_message`). `checkpoint`: nothing to do from here; erased rows leave the WAL and
        the table files through the server's own checkpoints and (auto)vacuum, which the
        operator runs (docs/deploy.md)."""
        task = asyncio.current_task()
        assert task is not None
        if task in self._tx:
            yield self
            return
        async with self._connection() as conn:
            await self._send(conn, self.take_pending())  # held back before: not ours to undo
            tx = _Tx(conn, "BEGIN" if rows_only else LOCKED_BEGIN)
            self._tx[task] = tx
            try:
                yield self
                await self._commit(tx)
            except BaseException:
                self.take_pending()  # made inside the failed transaction: never sent
                if tx.begun:
                    self.round_trips += 1
                    await asyncio.shield(conn.execute("ROLLBACK"))
                raise
            finally:
                del self._tx[task]

    async def _begin(self, tx: _Tx) -> None:
        """BEGIN and the lock in one round trip (the simple query protocol runs both)."""
        tx.begun = True  # from here a failure rolls back
        self.round_trips += 1
        await tx.conn.execute(tx.begin)

    async def _commit(self, tx: _Tx) -> None:
        """What is left of a transaction: nothing where nothing was written; one message where
        nothing was sent yet and every held-back write's values are whole numbers; else the
        held-back writes (after a BEGIN, if none went yet) and COMMIT."""
        pending = self.take_pending()
        if not tx.begun:
            if not pending:
                return
            message = one_message(tx.begin, pending)
            if message is not None:
                tx.begun = True  # a statement of it that fails leaves the transaction open
                self.round_trips += 1
                await tx.conn.execute(message)
                return
            await self._begin(tx)
        await self._send(tx.conn, pending)
        self.round_trips += 1
        await tx.conn.execute("COMMIT")

    async def _send(
        self,
        conn: PoolConnectionProxy[asyncpg.Record],
        statements: list[Statement],
        rows: bool = False,
        answer: bool = False,
    ) -> Any:
        """The statements in order, in as few trips as `_trips` finds; with `answer` the last
        one's answer (its rows, or its command tag) comes back."""
        result: Any = None
        trips = _trips(statements, answer)
        self.round_trips += len(trips)
        for n, (sql, params) in enumerate(trips):
            if isinstance(params, list):
                await conn.executemany(translate(sql), params)
            elif rows and n == len(trips) - 1:
                result = await conn.fetch(translate(sql), *params)
            else:
                result = await conn.execute(translate(sql), *params)
        return result

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[PoolConnectionProxy[asyncpg.Record]]:
        """The connection of the task's transaction (its BEGIN sent first, where it has not
        gone yet), else the unit's (taken from the pool at
        its first statement and given back when it ends: one acquire per event, not one per
        statement), else one of the pool's for this call."""
        task = asyncio.current_task()
        tx = self._tx.get(task) if task is not None else None
        unit = current_unit()
        if tx is not None:
            if not tx.begun:
                await self._begin(tx)
            yield tx.conn
        elif unit is not None:
            if unit.connection is None:
                unit.connection = await self._acquire()
            yield unit.connection
        else:
            async with self._pool.acquire() as fresh:
                yield fresh

    async def _acquire(self) -> PoolConnectionProxy[asyncpg.Record]:
        """A connection of the pool for a unit. Where none is idle but one is on its way back
        (`end_unit`), the first of those, not a new connection: the way back is two turns of
        the loop, a new connection a TCP connect and a login (units back to back: the
        scheduler's claims, a burst of events). A release that takes longer (a cancelled
        query the server has not answered yet) is not waited for beyond `RELEASE_WAIT`."""
        if self._releasing and not self._pool.get_idle_size():
            await asyncio.wait(
                self._releasing, timeout=RELEASE_WAIT, return_when=asyncio.FIRST_COMPLETED
            )
        return await self._pool.acquire()

    async def end_unit(self, unit: Unit) -> None:
        """The unit's connection goes back to the pool in a task of its own, while the event's
        replies are sent: asyncpg's release is a task anyway (shielded), and its turns of the
        loop need not come before the replies. The pool's close waits for it."""
        if unit.connection is not None:
            conn, unit.connection = unit.connection, None
            task = asyncio.create_task(self._pool.release(conn))
            self._releasing.add(task)
            task.add_done_callback(self._released)

    def _released(self, task: asyncio.Task[None]) -> None:
        """A release that failed has closed its connection (asyncpg; the pool opens another
        when it needs one): logged once, by its class and code path."""
        self._releasing.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("connection closed at its release: error=%s", failure(exc))

    async def _run(self, sql: str, params: Params, rows: bool = False) -> Any:
        """One statement, with the writes held back before it (sharing its trip where they
        can)."""
        async with self._connection() as conn:
            return await self._send(
                conn, [*self.take_pending(), (sql, tuple(params))], rows, answer=True
            )

    async def flush(self) -> None:
        pending = self.take_pending()
        if pending:
            async with self._connection() as conn:
                await self._send(conn, pending)

    async def execute(self, sql: str, params: Params = ()) -> None:
        await self._run(sql, params)

    async def changes(self, sql: str, params: Params = ()) -> int:
        return _count(await self._run(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [tuple(r) for r in rows]
        if not batch:
            return
        async with self._connection() as conn:
            await self._send(conn, self.take_pending())
            self.round_trips += 1
            await conn.executemany(translate(sql), batch)

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(await self._run(sql, params, rows=True))

    async def rows_of(self, reads: list[Statement]) -> list[list[Row]]:
        """One statement: each read a column of its rows as JSON (asyncpg cannot pipeline
        different statements), in the read's own order."""
        columns = ", ".join(  # a line break: a read may end in a -- comment
            f"(SELECT COALESCE(json_agg(r{n}), '[]') FROM ({sql}\n) AS r{n})"
            for n, (sql, _) in enumerate(reads)
        )
        params = tuple(p for _, read_params in reads for p in read_params)
        [row] = await self._run(f"SELECT {columns}", params, rows=True)
        return [[NamedRow(found) for found in json.loads(column)] for column in row]

    async def tables(self) -> list[str]:
        rows = await self.all(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            f" AND tablename NOT IN ('{VERSION_TABLE}', '{TAG_TABLE}') ORDER BY tablename"
        )
        return [r["tablename"] for r in rows]
