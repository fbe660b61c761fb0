"""SQLite, the embedded default: one aiosqlite connection in WAL mode with versioned migrations.

All statements go through here, parametrised. Writes that touch more than one row run inside
`transaction()`, which also serialises them against other coroutines sharing the connection.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, closing
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.migrations import migrations
from bot.core.storage.base import (
    Database,
    Params,
    Row,
    Statement,
    StorageError,
    Unit,
    joined_inserts,
)
from bot.core.storage.ids import TAG_TABLE, take_tag

log = logging.getLogger(__name__)

logging.getLogger("aiosqlite").setLevel(logging.INFO)
"""aiosqlite logs every statement with its parameters at DEBUG: people's notes must never reach a log."""


def _unusable(exc: BaseException, path: str) -> StorageError:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        why = "het bestand is beschadigd of is geen Kletspot-database"
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        why = "er mag niet in geschreven worden (alleen-lezen of geen rechten)"
    elif "full" in text or "disk i/o" in text or "no space" in text:
        why = "de schijf is vol (of het bestand mag niet groter worden)"
    elif "unable to open" in text:
        why = "het bestand kan niet geopend worden (bestaat de map, mag de bot erin?)"
    else:
        why = f"onbekende fout ({type(exc).__name__})"
    return StorageError(f"De database {path} is niet bruikbaar: {why}.")


class SqliteDatabase(Database):
    kind = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._in_tx: asyncio.Task[Any] | None = None
        self._opening: list[Statement] = []
        self._calls = 0
        self._checkpoint_after = False
        self._checkpointing: asyncio.Future[None] | None = None
        self._checkpointer: ThreadPoolExecutor | None = None
        self.path = path
        self.target = path

    @classmethod
    async def open(cls, path: str | Path) -> SqliteDatabase:
        """Open, migrate and prove the file can be written. Any failure closes the connection
        (its thread would otherwise keep the process alive) and raises `StorageError`."""
        if str(path) != ":memory:" and not Path(path).parent.is_dir():
            # checked here: aiosqlite's failed connect leaves its thread to a closed loop
            raise _unusable(sqlite3.OperationalError("unable to open database file"), str(path))
        try:
            # statements run on the loop as well as on aiosqlite's thread, never both at once
            # (one lock), so the connection may be used from both
            conn = await aiosqlite.connect(str(path), isolation_level=None, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise _unusable(exc, str(path)) from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await _write_ahead(conn)
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA secure_delete=ON")  # erased personal data is overwritten too
            db = cls(conn, str(path))
            await db._migrate()
            # a write: a read-only file or a full disk shows itself at start, not at the first note
            db.ids = await take_tag(db)
            await conn.execute("PRAGMA wal_autocheckpoint=0")  # see _checkpoint_soon
            await conn.execute("PRAGMA busy_timeout=0")  # waiting happens on the thread only
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise _unusable(exc, str(path)) from exc
            raise
        return db

    async def close(self) -> None:
        if self._checkpointing is not None:
            await self._checkpointing
        if self._checkpointer is not None:
            self._checkpointer.shutdown()
        await self._conn.close()

    async def _version(self) -> int:
        row = await (await self._conn.execute("PRAGMA user_version")).fetchone()
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self._version()
        for version, script in migrations("sqlite"):
            if version <= current:
                continue
            try:
                await self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={version};\nCOMMIT;"
                )
            except sqlite3.OperationalError:
                await self._rollback()
                current = await self._version()
                if current >= version:
                    continue  # another process starting at the same moment applied it
                raise
            log.info("database migrated to version %d", version)

    def _owns_tx(self) -> bool:
        return self._in_tx is not None and self._in_tx is asyncio.current_task()

    @property
    def in_transaction(self) -> bool:
        return self._owns_tx()

    @asynccontextmanager
    async def transaction(
        self, rows_only: bool = False, checkpoint: bool = False
    ) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception. Nested use joins the outer one.

        BEGIN travels with the first statement and COMMIT with the last held-back writes, so a
        transaction costs no round trips of its own; the unit's writes held back before it are
        committed on their own first (a rollback here must not take them along). With
        `checkpoint` the WAL is truncated after the COMMIT in that same call, made on the
        connection's thread (`_hop`'s `on_thread`): a checkpoint syncs the disk, which must
        not happen on the event loop, and there it may wait for another process's readers
        as any statement there may."""
        if self._owns_tx():
            self._checkpoint_after = self._checkpoint_after or checkpoint
            yield self
            return
        async with self._lock:
            before = self.take_pending()
            self._opening = [*_committed(before), _OPEN]
            self._in_tx = asyncio.current_task()
            self._checkpoint_after = checkpoint
            try:
                yield self
                steps = self._steps()
                if steps[-1:] != [_OPEN]:
                    steps.append(("COMMIT", ()))
                else:  # an empty transaction: only what was held back before it
                    steps.pop()
                if self._checkpoint_after:
                    await self._checkpoint_with(steps)
                elif steps:
                    await self._hop(steps)
            except BaseException:
                self.take_pending()  # made inside the failed transaction: never sent
                if self._opening:  # nothing was sent: no transaction to roll back
                    self.give_back(before)
                else:
                    await self._rollback()
                raise
            finally:
                self._opening = []
                self._in_tx = None
                self._checkpoint_after = False

    async def _checkpoint_with(self, steps: list[Statement]) -> None:
        """The steps, then the WAL copied into the database and truncated to zero bytes: after
        an erasure no erased text stays readable in the -wal file (secure_delete overwrites it
        in the file itself). One call, on the connection's thread."""
        found = await self._hop(steps, _CHECKPOINT, (), "rows", on_thread=True)
        if found and found[0][0]:
            log.warning("WAL checkpoint could not finish (busy); it is retried at the next one")

    def _steps(self) -> list[Statement]:
        """What has to run before the next statement: a lazy BEGIN, then held-back writes
        (outside a transaction those commit together with the statement, as one)."""
        if self._owns_tx():
            opening, self._opening = self._opening, []
            return [*opening, *joined_inserts(self.take_pending())]
        writes = joined_inserts(self.take_pending())
        return [_BEGIN, *writes] if writes else []

    async def _rollback(self) -> None:
        """Also after a cancellation that hit while BEGIN was on its way: aiosqlite runs the
        queued BEGIN anyway, so ROLLBACK follows it; with no transaction open it is a no-op."""
        try:
            await asyncio.shield(self._conn.execute("ROLLBACK"))
        except sqlite3.OperationalError:
            pass

    @asynccontextmanager
    async def _statement(self) -> AsyncIterator[None]:
        if self._owns_tx():
            yield
        else:
            async with self._lock:
                yield

    async def _hop(
        self,
        steps: list[Statement],
        sql: str | None = None,
        params: Params | Iterable[Params] = (),
        result: str = "none",
        on_thread: bool = False,
    ) -> Any:
        """The steps and the statement together, in one call into SQLite. Held-back writes
        outside a transaction open one of their own (`_BEGIN`) that the statement joins: one
        commit for all, and all or nothing (as on PostgreSQL where they share its statement).

        Run right here on the event loop when SQLite can answer at once: a statement on a local
        file takes microseconds, far less than handing it to the connection's thread and back
        (about 80 µs on a small VM). Waiting is what must not happen here, so the connection's
        busy timeout is 0 and checkpoints (the one write that syncs the disk) are done on the
        thread (`_checkpoint_soon`). When another process holds the write lock, SQLite answers
        "busy" before changing anything, and the rest goes to the thread, where it may wait
        (aiosqlite's `_execute` runs a function there; a test pins it). `on_thread`: all of it
        goes there at once (a call that syncs the disk: an erasure's checkpoint)."""
        done = 0  # steps that have run (kept when "busy" sends the rest to the thread)
        answered: list[Any] = []  # the statement's answer, once it has run
        grouped = steps[:1] == [_BEGIN]
        # where the held-back writes' own transaction ends within the steps (before a
        # transaction's BEGIN); None: after the statement, here
        closed = steps.index(_END) if grouped and _END in steps else None

        def run(patient: bool = False) -> Any:
            nonlocal done
            conn = self._conn._conn
            if patient:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            try:
                while done < len(steps):
                    step_sql, step_params = steps[done]
                    conn.execute(step_sql, step_params)
                    done += 1
                if not answered:
                    answered.append(_answer(conn, sql, params, result))
                if grouped and closed is None:
                    conn.execute(_END[0])
                return answered[0]
            except BaseException as exc:
                at_commit = bool(answered) and done == len(steps)
                if at_commit and _busy(exc):
                    raise  # only the COMMIT is left: it is repeated where it may wait
                if grouped and (closed is None or done < closed) and conn.in_transaction:
                    conn.execute("ROLLBACK")  # held-back writes: all or none
                    done = 0
                    answered.clear()
                raise
            finally:
                if patient:
                    conn.execute("PRAGMA busy_timeout=0")

        self.round_trips += 1
        self._calls += 1
        if self._calls % CHECKPOINT_EVERY == 0:
            self._checkpoint_soon()
        if not on_thread:
            try:
                return run()
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
        return await self._conn._execute(partial(run, True))  # type: ignore[no-untyped-call]

    def _checkpoint_soon(self) -> None:
        """Copy the WAL into the database on a thread of its own with a connection of its own,
        started at once. RESTART holds the write lock for that moment, so the next write starts
        the WAL afresh; a statement meanwhile hears "busy" and waits on the thread, not here."""
        if self._checkpointing is not None and not self._checkpointing.done():
            return
        if self._checkpointer is None:
            self._checkpointer = ThreadPoolExecutor(1, thread_name_prefix="sqlite-checkpoint")
        self._checkpointing = asyncio.get_running_loop().run_in_executor(
            self._checkpointer, _checkpoint, self.path
        )

    async def end_unit(self, unit: Unit) -> None:
        """Nothing to give back: the one connection stays open."""

    async def flush(self) -> None:
        async with self._statement():
            steps = self._steps()
            if steps:
                await self._hop(steps)

    async def execute(self, sql: str, params: Params = ()) -> None:
        async with self._statement():
            await self._hop(self._steps(), sql, params)

    async def changes(self, sql: str, params: Params = ()) -> int:
        async with self._statement():
            return int(await self._hop(self._steps(), sql, params, "count"))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self._statement():
            await self._hop(self._steps(), sql, list(rows), "many")

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._statement():
            return list(await self._hop(self._steps(), sql, params, "rows"))

    async def rows_of(self, reads: list[Statement]) -> list[list[Row]]:
        async with self._statement():
            return list(await self._hop(self._steps(), None, reads, "reads"))

    async def tables(self) -> list[str]:
        rows = await self.all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            f" AND name NOT LIKE 'sqlite_%' AND name <> '{TAG_TABLE}' ORDER BY name"
        )
        return [r["name"] for r in rows]

    async def backup(self, destination: Path) -> None:
        """SQLite's online backup: a consistent copy while the bot keeps writing."""
        target = await aiosqlite.connect(str(destination))
        try:
            await self._conn.backup(target)
        finally:
            await target.close()


_CHECKPOINT = "PRAGMA wal_checkpoint(TRUNCATE)"
"""After an erasure (`transaction(checkpoint=True)`): the WAL into the database, then empty."""
_OPEN: Statement = ("BEGIN IMMEDIATE", ())
"""A transaction's own BEGIN, sent with its first statement."""
_BEGIN: Statement = ("BEGIN IMMEDIATE TRANSACTION", ())
_END: Statement = ("COMMIT TRANSACTION", ())
"""Around held-back writes sent together outside a transaction (worded apart from a
transaction's own, so a failure among them is rolled back here)."""

BUSY_TIMEOUT_MS = 5000
"""How long a statement on the connection's thread waits for another process's write lock."""

CHECKPOINT_EVERY = 500
"""Calls into SQLite between two WAL checkpoints (SQLite's own, every 1000 pages, would sync the
disk on the event loop, so it is off)."""


def _checkpoint(path: str) -> None:
    """On the checkpoint thread; a failure is logged and the next one tries again."""
    try:
        with closing(sqlite3.connect(path, isolation_level=None, timeout=5)) as conn:
            conn.execute("PRAGMA wal_checkpoint(RESTART)")
    except sqlite3.Error as exc:
        log.warning("WAL checkpoint failed: error=%s", type(exc).__name__)


def _busy(exc: BaseException) -> bool:
    """Another process holds the write lock: nothing was changed, it may be tried again."""
    return isinstance(exc, sqlite3.OperationalError) and exc.sqlite_errorcode == sqlite3.SQLITE_BUSY


def _committed(writes: list[Statement]) -> list[Statement]:
    """Writes held back before a transaction: committed on their own first, all or none (a
    rollback of the transaction must not take them along)."""
    return [_BEGIN, *writes, _END] if writes else []


def _answer(
    conn: sqlite3.Connection, sql: str | None, params: Params | Iterable[Params], result: str
) -> Any:
    """The statement of a call into SQLite, as `_hop` was asked to answer it (`reads`: each
    of several SELECTs, `Database.rows_of`)."""
    if result == "reads":
        return [conn.execute(s, p).fetchall() for s, p in params]
    if sql is None:
        return None
    if result == "many":
        conn.executemany(sql, params)
        return None
    cursor = conn.execute(sql, params)  # type: ignore[arg-type]
    if result == "rows":
        return cursor.fetchall()
    return cursor.rowcount


async def _write_ahead(conn: aiosqlite.Connection) -> None:
    """WAL mode. Turning a new file to WAL needs it to itself, and SQLite answers "locked" at
    once (no busy wait) when a second process opens it at that moment: try again, briefly."""
    for attempt in range(50):
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            await asyncio.sleep(0.05 * (1 + attempt % 5))
