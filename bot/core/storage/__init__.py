"""The one storage layer: SQLite (a file, the default) or PostgreSQL (an address), one interface.

`open_database` picks the backend from the target alone; no store or tool knows which one runs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg

from bot.core.storage.base import (
    Database,
    NamedRow,
    Params,
    Read,
    Reads,
    Row,
    Statement,
    StorageError,
)
from bot.core.storage.postgres import PostgresDatabase, is_address
from bot.core.storage.sqlite import SqliteDatabase

__all__ = [
    "Database",
    "IntegrityError",
    "NamedRow",
    "Params",
    "PostgresDatabase",
    "Read",
    "Reads",
    "Row",
    "SqliteDatabase",
    "Statement",
    "StorageError",
    "open_database",
]

IntegrityError = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)
"""A write a unique or foreign-key rule refused, on either backend; stores catch this name."""


async def open_database(target: str | Path) -> Database:
    """A `postgresql://` address opens PostgreSQL; anything else is a SQLite file path."""
    if isinstance(target, str) and is_address(target):
        return await PostgresDatabase.open(target)
    return await SqliteDatabase.open(target)
