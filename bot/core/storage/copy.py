"""Copying an organisation's SQLite file into an empty PostgreSQL database (`migreer-naar`).

Both sides are first brought to the newest schema by their own migrations, so the tables and
columns match; rows go over in the order of the foreign keys, in one transaction on the target,
and the copy counts for itself: every table must hold as many rows on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.storage.postgres import PostgresDatabase
from bot.core.storage.sqlite import SqliteDatabase

BATCH = 2000


@dataclass(frozen=True)
class Count:
    table: str
    source: int
    target: int

    @property
    def same(self) -> bool:
        return self.source == self.target


class NotEmpty(Exception):
    """The target already holds rows: copying would mix two organisations' data."""


async def _order(source: SqliteDatabase) -> list[str]:
    """Tables so that every table comes after the tables its foreign keys point to."""
    tables = await source.tables()
    needs: dict[str, set[str]] = {}
    for table in tables:
        rows = await source.all('SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)', (table,))
        needs[table] = {r[0] for r in rows if r[0] != table}
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if deps <= set(ordered))
        if not ready:
            raise RuntimeError(f"foreign keys form a cycle among {sorted(needs)}")
        ordered += ready
        for table in ready:
            del needs[table]
    return ordered


async def counts(source: SqliteDatabase, target: PostgresDatabase) -> list[Count]:
    out = []
    for table in await source.tables():
        out.append(
            Count(
                table,
                int(await source.scalar(f"SELECT COUNT(*) FROM {table}")),
                int(await target.scalar(f"SELECT COUNT(*) FROM {table}")),
            )
        )
    return out


async def copy_database(source: SqliteDatabase, target: PostgresDatabase) -> list[Count]:
    """Every row of `source` into the empty `target`; returns the count per table."""
    tables = await _order(source)
    missing = sorted(set(tables) - set(await target.tables()))
    if missing:
        raise RuntimeError(f"tables missing on the target: {missing}")
    for table in tables:
        if await target.scalar(f"SELECT COUNT(*) FROM {table}"):
            raise NotEmpty(table)
    async with target.transaction():
        for table in tables:
            last = 0
            while True:
                rows = await source.all(
                    f"SELECT rowid AS _rowid, * FROM {table}"
                    " WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (last, BATCH),
                )
                if not rows:
                    break
                columns = [c for c in rows[0].keys() if c != "_rowid"]
                marks = ", ".join("?" for _ in columns)
                await target.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    [tuple(r[c] for c in columns) for r in rows],
                )
                last = rows[-1]["_rowid"]
        numbered = await target.all(
            "SELECT table_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND column_name = 'id' AND is_identity = 'YES'"
        )
        for table in sorted(r[0] for r in numbered):
            # ids copied as they were: the identity counts on from the highest one
            await target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )
    return await counts(source, target)
