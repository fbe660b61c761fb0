"""Ids a process makes itself for new rows of some tables (`OWN_IDS`), so that a new row and
what refers to it (a flow and its question's buttons, a reminder and the record that names it)
travel to the database together, held back like any other write (`Database.later`), instead of
waiting one round trip for the id the database would give.

An id is the time in milliseconds, then the process's tag, then a count within the
millisecond: ids grow with time, as the database's own did (the newest open flow is the one
with the highest id), they fit a signed 64-bit integer on both backends, and two processes
never make the same one while their tags differ. A process takes its tag from the database at
start (`take_tag`): the next of `TAGS` in turn, so the processes running at once have
different tags as long as fewer than `TAGS` processes start while one of them runs.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.core.clock import iso

if TYPE_CHECKING:
    from bot.core.storage.base import Database

OWN_IDS = frozenset(
    {
        "flows",
        "herinneringen",
        "gesprekken",
        "gedachten",
        "aanknopingspunten",
        "persoonlijke_plannen",
        "reflecties",
        "teamacties",
    }
)
"""Tables whose new rows take their id from `Ids.new` and never from the database: a row
numbered by the database in between would sort among them by accident.
tests/core/test_ids.py holds every INSERT into them to this."""

TAG_TABLE = "id_tags"
"""Storage's own, like the schema's version: not copied by `migreer-naar` (each database's
processes take their own tags), holds nothing of anyone."""

EPOCH_MS = 1_767_225_600_000
"""2026-01-01 00:00 UTC: 41 bits of milliseconds from here last until 2095, beside a tag of
14 bits and a count of 8 (256 new rows in one millisecond of one process; more borrow the next
millisecond)."""
TAG_BITS = 14
COUNT_BITS = 8
TAGS = 1 << TAG_BITS
COUNTS = 1 << COUNT_BITS


class Ids:
    """The ids of one process (its tag); thread-safe, as SQLite's thread and the loop may both
    ask."""

    def __init__(self, tag: int) -> None:
        if not 0 <= tag < TAGS:
            raise ValueError(f"an id tag is 0..{TAGS - 1}, not {tag}")
        self.tag = tag
        self._lock = threading.Lock()
        self._ms = 0
        self._count = 0

    def new(self) -> int:
        """A new id, higher than every earlier one of this process, even when the system clock
        is set back (the count then runs on in the last millisecond, and on into the next)."""
        with self._lock:
            ms = time.time_ns() // 1_000_000 - EPOCH_MS
            if ms > self._ms:
                self._ms, self._count = ms, 0
            else:
                self._count += 1
                if self._count == COUNTS:
                    self._ms, self._count = self._ms + 1, 0
            return (self._ms << (TAG_BITS + COUNT_BITS)) | (self.tag << COUNT_BITS) | self._count


async def take_tag(db: Database) -> Ids:
    """This process's tag: a row of `id_tags` (numbered by the database), of which only the
    last `TAGS` are kept, since only the running processes' tags matter."""
    now = iso(datetime.now(UTC))
    taken = int(await db.scalar("INSERT INTO id_tags (taken_at) VALUES (?) RETURNING id", (now,)))
    await db.execute("DELETE FROM id_tags WHERE id <= ?", (taken - TAGS,))
    return Ids(taken % TAGS)
