"""PostgreSQL for a network: several processes on one database through an asyncpg pool.

Stores keep writing `?` parameters; `translate` turns them into `$1, $2, ...` once per statement
text. A transaction takes one transaction-scoped advisory lock first, so writes of several rows
are serialised across every process exactly as SQLite's BEGIN IMMEDIATE serialises them: a
read-then-write inside a transaction (the next number of a team action) stays correct without
each store knowing it may run on two machines. The fan-out's claiming transactions do not take
it (`rows_only`): they lock the rows they claim with FOR UPDATE SKIP LOCKED, so several
processes claim beside each other and never the same occurrence.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import lru_cache
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.core.migrations import migrations
from bot.core.storage.base import Database, Params, Row, Statement, StorageError

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
def translate(sql: str) -> str:
    """`?` to `$n`, outside quoted text, quoted names and comments."""
    out: list[str] = []
    n = 0
    i = 0
    quote: str | None = None
    while i < len(sql):
        c = sql[i]
        if quote:
            out.append(c)
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            out.append(c)
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end < 0 else end
            out.append(sql[i:end])
            i = end
            continue
        elif c == "?":
            n += 1
            out.append(f"${n}")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _count(status: str) -> int:
    """asyncpg's command tag: 'UPDATE 3', 'INSERT 0 1', 'DELETE 0'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


async def _send(conn: PoolConnectionProxy[asyncpg.Record], writes: list[Statement]) -> int:
    """Held-back writes, in order; each run of the same statement as one pipelined
    `executemany` (one round trip, all or nothing). Returns the trips taken.

    (One statement of `WITH w1 AS (...), w2 AS (...)` would take one trip for all, but there
    every part sees the rows as they were before the statement: not the order SQLite keeps.)"""
    trips = 0
    for sql, group in groupby(writes, key=lambda write: write[0]):
        rows = [params for _, params in group]
        if len(rows) == 1:
            await conn.execute(translate(sql), *rows[0])
        else:
            await conn.executemany(translate(sql), rows)
        trips += 1
    return trips


class PostgresDatabase(Database):
    kind = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, pool: asyncpg.Pool, target: str) -> None:
        self._pool = pool
        self._tx: dict[asyncio.Task[Any], PoolConnectionProxy[asyncpg.Record]] = {}
        self.target = target

    @classmethod
    async def open(cls, url: str, pool_size: int = 10) -> PostgresDatabase:
        """Open the pool and migrate; a server that cannot be used raises `StorageError`."""
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, statement_cache_size=1024
            )
        except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
            raise StorageError(
                f"De database {without_password(url)} is niet bruikbaar: de "
                f"server is niet bereikbaar of weigert ({type(exc).__name__})."
            ) from exc
        db = cls(pool, without_password(url))
        try:
            await db._migrate()
        except BaseException:
            await pool.close()
            raise
        return db

    async def close(self) -> None:
        await self._pool.close()

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

    async def checkpoint(self) -> None:
        """Nothing to do from here: erased rows leave the WAL and the table files through the
        server's own checkpoints and (auto)vacuum, which the operator runs (docs/deploy.md)."""

    async def version(self) -> int:
        return int(await self.scalar(f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}"))

    @asynccontextmanager
    async def transaction(self, rows_only: bool = False) -> AsyncIterator[Database]:
        task = asyncio.current_task()
        assert task is not None
        if task in self._tx:
            yield self
            return
        async with self._pool.acquire() as conn:
            self.round_trips += 1 + await _send(conn, self.take_pending())  # before: not ours
            # BEGIN and the lock in one round trip (the simple query protocol runs both).
            await conn.execute(
                "BEGIN" if rows_only else f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
            )
            self._tx[task] = conn
            try:
                yield self
            except BaseException:
                self.take_pending()  # made inside the failed transaction: never sent
                self.round_trips += 1
                await asyncio.shield(conn.execute("ROLLBACK"))
                raise
            else:
                self.round_trips += 1 + await _send(conn, self.take_pending())
                await conn.execute("COMMIT")
            finally:
                del self._tx[task]

    @asynccontextmanager
    async def _conn(self) -> AsyncIterator[PoolConnectionProxy[asyncpg.Record]]:
        task = asyncio.current_task()
        conn = self._tx.get(task) if task is not None else None
        if conn is not None:
            self.round_trips += 1 + await _send(conn, self.take_pending())
            yield conn
        else:
            async with self._pool.acquire() as fresh:
                self.round_trips += 1 + await _send(fresh, self.take_pending())
                yield fresh

    async def flush(self) -> None:
        pending = self.take_pending()
        if pending:
            async with self._conn() as conn:
                self.round_trips += await _send(conn, pending) - 1

    async def execute(self, sql: str, params: Params = ()) -> None:
        async with self._conn() as conn:
            await conn.execute(translate(sql), *params)

    async def changes(self, sql: str, params: Params = ()) -> int:
        async with self._conn() as conn:
            return _count(await conn.execute(translate(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [tuple(r) for r in rows]
        if not batch:
            return
        async with self._conn() as conn:
            await conn.executemany(translate(sql), batch)

    async def all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._conn() as conn:
            return list(await conn.fetch(translate(sql), *params))

    async def tables(self) -> list[str]:
        rows = await self.all(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            f" AND tablename <> '{VERSION_TABLE}' ORDER BY tablename"
        )
        return [r["tablename"] for r in rows]
