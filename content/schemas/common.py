"""Building blocks shared by every content file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    """Base for content models: unknown keys are typos, and typos must stop the bot."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Bron(Strict):
    """Where a content file's text comes from; shown to users whenever the content is."""

    titel: Text
    uitgever: Text
    url: str | None = None
    bestand: Text

    def reference(self, where: str = "") -> str:
        """'uitgever, titel[, where]', e.g. for an export's field."""
        return f"{self.uitgever}, {self.titel}" + (f", {where}" if where else "")

    def cite(self, where: str = "") -> str:
        """The source line under every quoted text."""
        return f"Bron: {self.reference(where)}"


class Misplaced(ValueError):
    """A check across entries (a reference to an undeclared name, a double) that knows which entry
    is wrong; the loader names that entry instead of the whole file."""

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.where = where


def require_unique(values: Iterable[str], what: str) -> None:
    """Ids and codes must be unique: a button or a reference naming one must find exactly one."""
    seen = list(values)
    double = sorted({v for v in seen if seen.count(v) > 1})
    if double:
        raise ValueError(f"dubbele {what}: {', '.join(double)}")
