"""The one storage interface every store talks to, whichever backend runs underneath.

Stores write SQLite-flavoured SQL with `?` parameters and ISO date strings, in the subset both
backends understand (`ON CONFLICT ... DO ...`, `RETURNING`, partial indexes). A backend
translates only what cannot be written once: the parameter markers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

Params = Sequence[Any]


class StorageError(Exception):
    """The database cannot be used; the message is one Dutch line for whoever runs the bot."""


class Row(Protocol):
    """A result row, read by column name (or position); sqlite3.Row and asyncpg.Record alike."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> Iterable[str]: ...


class Database(ABC):
    """execute/changes/executemany/one/all/scalar, and `transaction()` for writes of several rows.

    A transaction holds the database's write lock from its first statement (SQLite's BEGIN
    IMMEDIATE; a transaction-scoped advisory lock on PostgreSQL), so a read inside it sees what
    the write after it will change, on both backends and across processes.
    """

    kind: str
    """"sqlite" or "postgresql": for tests, tools and start-up logs, never for a store."""

    target: str
    """The file path or the address (without password) it was opened with."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Database]:
        """All or nothing, rolled back on any exception. Nested use joins the outer one."""

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

    async def one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.all(sql, params)
        return rows[0] if rows else None

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    async def checkpoint(self) -> None:
        """After an erasure: make sure no erased text lingers outside the tables (SQLite's WAL
        file)."""

    @abstractmethod
    async def tables(self) -> list[str]:
        """The application's tables, for copying and counting (not the version bookkeeping)."""


def _name(table: str) -> str:
    if not table.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {table!r}")
    return table
