"""Round trips to the database per event, for every kind of event the test suite sends.

An event may cost at most three round trips (issue 18). The suite sends every kind of event the
bot knows, so it is the widest map at hand: this runs it (on SQLite, or with `--postgres` on the
PostgreSQL server the tests start themselves) and counts each event's trips, by its kind (a
command with its first word, a button by what it does, a typed answer by the question it
answers), in a group or a DM.
Left out, so the figures are what an event costs on its own: a person's first event in a
conversation (who they are is written once). Trips are counted by the task that made them, so
an event that runs beside others (the adapter's intake storing the next updates meanwhile, a
second event of the same process) is charged only its own. Events that ran while another one of
the same conversation did (the tests that send 26 `/vraag` at once) are counted apart: they
meet each other's writes and retry. Each kind's median, highest count and events above three
are printed beside the target of three.

    python -m bench.round_trips [--postgres] [--all] [pytest arguments, e.g. tests/tools]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
from collections import defaultdict
from typing import Any
from weakref import WeakKeyDictionary

import pytest

from bot.core import flows
from bot.core.engine import Engine
from bot.core.events import ButtonPress, Command, Event, FormSubmitted
from bot.core.storage.base import Database

TARGET = 3


class Survey:
    """A pytest plugin: wraps `Engine.handle` for the session and counts trips per event."""

    def __init__(self) -> None:
        self.trips: dict[str, list[int]] = defaultdict(list)
        self.left_out = 0
        self._by_task: dict[asyncio.Task[Any], int] = defaultdict(int)
        self._running: dict[tuple[int, str], set[asyncio.Task[Any]]] = defaultdict(set)
        self._crowded: set[asyncio.Task[Any]] = set()
        self.crowded: list[int] = []
        self._seen: WeakKeyDictionary[Engine, set[tuple[str, str]]] = WeakKeyDictionary()
        """Who spoke where, per engine (held weakly: a later engine at the same address, on a
        fresh database, is not taken for one that saw them)."""
        self._kind: dict[asyncio.Task[Any] | None, str] = {}

    def pytest_sessionstart(self) -> None:
        self._handle = Engine.handle
        self._stored = Engine._stored
        self._waiting = flows.waiting_for_text
        survey = self

        async def handle(engine: Engine, event: Event) -> Any:
            return await survey.measure(engine, event)

        async def stored(engine: Engine, ctx: Any, pressed: Any, *args: Any, **kw: Any) -> Any:
            found = await survey._stored(engine, ctx, pressed, *args, **kw)
            survey._kind[asyncio.current_task()] = getattr(found, "kind", "onbekend")
            return found

        async def waiting(ctx: Any, kinds: set[str]) -> Any:
            flow = await survey._waiting(ctx, kinds)
            if flow is not None:
                survey._kind.setdefault(asyncio.current_task(), flow.kind)
            return flow

        Engine.handle = handle  # type: ignore[method-assign]
        Engine._stored = stored  # type: ignore[method-assign]
        flows.waiting_for_text = waiting  # type: ignore[assignment]
        Database.round_trips = property(self._total, self._count)  # type: ignore[assignment]

    def pytest_sessionfinish(self) -> None:
        Database.round_trips = 0
        Engine.handle = self._handle  # type: ignore[method-assign]
        Engine._stored = self._stored  # type: ignore[method-assign]
        flows.waiting_for_text = self._waiting  # type: ignore[assignment]

    @staticmethod
    def _total(db: Database) -> int:
        return int(db.__dict__.get("_survey_trips", 0))

    def _count(self, db: Database, value: int) -> None:
        """Every `round_trips += n` of the backends comes here: its n goes to the running task."""
        self._by_task[asyncio.current_task()] += value - self._total(db)  # type: ignore[index]
        db.__dict__["_survey_trips"] = value

    async def measure(self, engine: Engine, event: Event) -> Any:
        key = id(engine)
        seen = self._seen.setdefault(engine, set())
        first = (event.actor.user_id, event.place.conversation_id) not in seen
        seen.add((event.actor.user_id, event.place.conversation_id))
        task = asyncio.current_task()
        assert task is not None
        kind, before = self._kind.pop(task, None), self._by_task[task]
        running = self._running[(key, event.place.conversation_id)]
        if running:
            self._crowded.update((*running, task))
        running.add(task)
        try:
            return await self._handle(engine, event)
        finally:
            running.discard(task)
            trips = self._by_task[task] - before
            label = self._label(event, self._kind.pop(task, None))
            crowded = task in self._crowded
            if before == 0:  # not inside another event of this task
                del self._by_task[task]
                self._crowded.discard(task)
            if kind is not None:
                self._kind[task] = kind
            if first:
                self.left_out += 1
            elif crowded:
                self.crowded.append(trips)
            else:
                self.trips[label].append(trips)

    @staticmethod
    def _label(event: Event, kind: str | None) -> str:
        what = event.what
        if isinstance(what, Command):
            word = what.args.split()[0].lower() if what.args.split() else ""
            label = f"/{what.name.lower().lstrip('/')} {word}".strip()
        elif isinstance(what, (ButtonPress, FormSubmitted)):
            label = f"{'knop' if isinstance(what, ButtonPress) else 'formulier'} {kind}"
        else:
            label = f"{type(what).__name__} {kind or ''}".strip()
        return f"{label} ({'groep' if event.place.is_group else 'dm'})"

    def report(self, everything: bool) -> None:
        rows = sorted(
            (
                (statistics.median(t), max(t), len(t), sum(1 for n in t if n > TARGET), label)
                for label, t in self.trips.items()
            ),
            reverse=True,
        )
        events = sum(len(t) for t in self.trips.values())
        over = sum(1 for t in self.trips.values() for n in t if n > TARGET)
        kinds_over = sum(1 for median, *_ in rows if median > TARGET)
        print(
            f"{'median':>6} {'max':>4} {'events':>6} {'above':>5}  kind of event (target: {TARGET})"
        )
        for median, most, count, above, label in rows:
            if everything or most > TARGET:
                print(f"{median:6g} {most:4d} {count:6d} {above:5d}  {label}")
        print(
            f"events measured: {events} ({self.left_out} left out); above {TARGET}: {over}"
            f" ({over / max(events, 1):.0%}); kinds of event with a median above {TARGET}:"
            f" {kinds_over} of {len(rows)}"
        )
        if self.crowded:
            crowded_over = sum(1 for n in self.crowded if n > TARGET)
            print(
                f"apart, events beside another of their conversation: {len(self.crowded)},"
                f" median {statistics.median(self.crowded):g}, highest {max(self.crowded)};"
                f" above {TARGET}: {crowded_over}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, not SQLite")
    parser.add_argument("--all", action="store_true", help="every kind, not only those above 3")
    args, rest = parser.parse_known_args()
    if args.postgres:
        os.environ["KLETSPOT_TEST_BACKEND"] = "postgresql"
    survey = Survey()
    code = pytest.main(
        ["-q", "-p", "no:cacheprovider", "--no-header", *(rest or ["tests"])], [survey]
    )
    print(f"\ndatabase: {'postgresql' if args.postgres else 'sqlite'}")
    survey.report(args.all)
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
