"""The five source documents for `bronnen`: title, publisher, year, address, citation."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints, model_validator

from content.schemas.common import Strict, Text, require_unique

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Bronbeschrijving(Strict):
    """One source as the document itself names it; what it does not print stays None."""

    id: Slug
    bestand: Text
    titel: Text
    uitgever: Text
    jaar: int | None = None
    adres: Text | None = None
    # The citation the document asks for, verbatim ("Wil je refereren naar deze tool?").
    citeerwijze: Text | None = None
    # Our commands that show this source's texts.
    tools: list[Text] = []


class Bronnen(Strict):
    bronnen: list[Bronbeschrijving]

    @model_validator(mode="after")
    def _uniek(self) -> Bronnen:
        require_unique((b.id for b in self.bronnen), "bron-ids")
        require_unique((b.bestand for b in self.bronnen), "bronbestanden")
        return self

    def by_file(self, bestand: str) -> Bronbeschrijving | None:
        return next((b for b in self.bronnen if b.bestand == bestand), None)
