"""Drawing from the jar in tests: dice that pick the question a test wants, and a card of
nothing for draws made straight on the store."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import Any


class Pick(Random):
    """Dice that pick the wanted questions in turn where they can (else the first candidate);
    the last one stays wanted, for a draw that has to try again and for later draws."""

    def __init__(self, *wanted: str) -> None:
        super().__init__(0)
        self.wanted = list(wanted)

    def choice(self, candidates: Sequence[Any]) -> Any:
        want = self.wanted.pop(0) if len(self.wanted) > 1 else next(iter(self.wanted), None)
        return next((c for c in candidates if c.id == want), candidates[0])


async def no_card(follows: int, session: int | None) -> None:
    return None
