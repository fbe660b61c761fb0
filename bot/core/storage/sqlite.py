"""SQLite, the embedded default: one aiosqlite connection in WAL mode with versioned migrations.

All statements go through here, parametrised. Writes that touch more than one row run inside
`transaction()`, which also serialises them against other coroutines sharing the connection.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.migrations import migrations
from bot.core.storage.base import Database, Params, Row, Statement, StorageError

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
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise _unusable(exc, str(path)) from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout=5000")
            await _write_ahead(conn)
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA secure_delete=ON")  # erased personal data is overwritten too
            db = cls(conn, str(path))
            await db._migrate()
            await db._prove_writable()
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise _unusable(exc, str(path)) from exc
            raise
        return db

    async def _prove_writable(self) -> None:
        """A read-only file or a full disk shows itself at start, not at the first note."""
        version = await self.scalar("PRAGMA user_version")
        await self._conn.execute("BEGIN IMMEDIATE")
        try:
            await self._conn.execute(f"PRAGMA user_version={int(version)}")
            await self._conn.execute("COMMIT")
        except BaseException:
            await self._rollback()
            raise

    async def close(self) -> None:
        await self._conn.close()

    async def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it to zero bytes: after an erasure no
        erased text stays readable in the -wal file (secure_delete overwrites it in the file)."""
        async with self._statement():
            row = await (await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")).fetchone()
        if row is not None and row[0]:
            log.warning("WAL checkpoint could not finish (busy); it is retried at the next one")

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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception. Nested use joins the outer one.

        BEGIN travels with the first statement and COMMIT with the last held-back writes, so a
        transaction costs no round trips of its own; the unit's writes held back before it are
        committed on their own first (a rollback here must not take them along)."""
        if self._owns_tx():
            yield self
            return
        async with self._lock:
            before = self.take_pending()
            self._opening = [*_atomic(before), ("BEGIN IMMEDIATE", ())]
            self._in_tx = asyncio.current_task()
            try:
                yield self
            except BaseException:
                self.take_pending()  # made inside the failed transaction: never sent
                if self._opening:  # nothing was sent: no transaction to roll back
                    self.give_back(before)
                else:
                    await self._rollback()
                raise
            else:
                steps = self._steps()
                if steps[-1:] != [("BEGIN IMMEDIATE", ())]:  # an empty transaction sends nothing
                    await self._hop([*steps, ("COMMIT", ())])
                elif len(steps) > 1:
                    await self._hop(steps[:-1])
            finally:
                self._opening = []
                self._in_tx = None

    def _steps(self) -> list[Statement]:
        """What has to run before the next statement: a lazy BEGIN, then held-back writes
        (outside a transaction those commit together, as one)."""
        if self._owns_tx():
            opening, self._opening = self._opening, []
            return [*opening, *self.take_pending()]
        return _atomic(self.take_pending())

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
    ) -> Any:
        """One trip to the connection's thread for the steps and the statement together.
        (aiosqlite's `_execute` runs a function on that thread: its own methods do one
        statement per trip; a test pins the behaviour this relies on.)"""

        def run() -> Any:
            conn = self._conn._conn
            atomic = bool(steps) and steps[0] == _BEGIN
            try:
                for step_sql, step_params in steps:
                    conn.execute(step_sql, step_params)
            except BaseException:
                if atomic and conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if sql is None:
                return None
            if result == "many":
                conn.executemany(sql, params)
                return None
            cursor = conn.execute(sql, params)  # type: ignore[arg-type]
            if result == "rows":
                return cursor.fetchall()
            return cursor.rowcount

        self.round_trips += 1
        return await self._conn._execute(run)  # type: ignore[no-untyped-call]

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

    async def tables(self) -> list[str]:
        rows = await self.all(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [r["name"] for r in rows]

    async def backup(self, destination: Path) -> None:
        """SQLite's online backup: a consistent copy while the bot keeps writing."""
        target = await aiosqlite.connect(str(destination))
        try:
            await self._conn.backup(target)
        finally:
            await target.close()


_BEGIN: Statement = ("BEGIN", ())


def _atomic(writes: list[Statement]) -> list[Statement]:
    """Held-back writes outside a transaction: all or nothing, and one commit for all."""
    if len(writes) < 2:
        return writes
    return [_BEGIN, *writes, ("COMMIT", ())]


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
