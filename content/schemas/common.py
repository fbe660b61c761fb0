"""Building blocks shared by every content file."""

from __future__ import annotations

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
