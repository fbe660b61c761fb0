"""Fill-in tools (reflectors, cards, forms) that a person works through privately in a chat.

Each tool comes from the werkboek "Eenzaam ben je niet alleen" (seed 003) or the card
"In gesprek over eenzaamheid" (seed 004) and is asked one item at a time. Texts are quoted
verbatim; answer types only offer what the source form offers (its options, its scale, or
room to write), so the bot never puts words in someone's mouth.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


# --- answer types ------------------------------------------------------------------------------


class Optie(Strict):
    """One printed option; `code` is what the form prints before it (A, B, C) or a slug."""

    code: Text
    label: Text


class Keuze(Strict):
    """Fixed options as on the source form; `meerdere` where the form lets you mark several."""

    soort: Literal["keuze"]
    opties: list[Optie] = Field(min_length=2)
    meerdere: bool = False

    @model_validator(mode="after")
    def _unique_codes(self) -> Keuze:
        require_unique((o.code for o in self.opties), "optiecodes")
        return self


class Schaal(Strict):
    """A numbered scale; `labels` carries the source's words for the numbers it names."""

    soort: Literal["schaal"]
    min: int
    max: int
    labels: dict[int, Text] = {}

    @model_validator(mode="after")
    def _range(self) -> Schaal:
        if self.min >= self.max:
            raise ValueError(f"schaal {self.min}-{self.max}: min moet kleiner zijn dan max")
        buiten = sorted(k for k in self.labels if not self.min <= k <= self.max)
        if buiten:
            raise ValueError(f"labels buiten de schaal: {buiten}")
        return self


class VrijeTekst(Strict):
    """Room to write, where the source leaves a blank box, column or dotted line."""

    soort: Literal["tekst"]


Antwoord = Annotated[Keuze | Schaal | VrijeTekst, Field(discriminator="soort")]


# --- items and tools ---------------------------------------------------------------------------


class Vervolg(Strict):
    """A further answer on the same item, where the form has another column for it.

    `tekst` is that column's own question; None means the item's text is answered again
    (e.g. rating one's own written-in assumption A/B/C).
    """

    tekst: Text | None = None
    antwoord: Antwoord


class Item(Strict):
    """One statement or question, shown on its own in the chat.

    `kop` is the heading it sits under on the form (e.g. "Hart", "Bekend"), `toelichting`
    a source sentence tied to this item (an example, what the column is for).
    `notitie` is our own remark on the reading of the PDF text; it is never shown as source text.
    """

    id: Slug
    tekst: Text
    antwoord: Antwoord
    kop: Text | None = None
    toelichting: Text | None = None
    vervolg: list[Vervolg] = []
    notitie: str | None = None


class Reflector(Strict):
    """One fill-in tool with its purpose, introduction and the source's own cautions.

    `waarschuwingen` are shown before the first item, because the source insists on them
    (e.g. that the conversation matters, not the score). `herkomst` is the source's note on
    what the tool is based on.
    """

    id: Slug
    titel: Text
    paragraaf: Text
    bron: Bron
    doel: Text
    intro: list[Text] = []
    waarschuwingen: list[Text] = []
    herkomst: Text | None = None
    items: list[Item] = Field(min_length=1)
    notitie: str | None = None

    @model_validator(mode="after")
    def _unique_item_ids(self) -> Reflector:
        require_unique((i.id for i in self.items), f"item-id's in {self.id}")
        return self


class Reflectoren(Strict):
    """The whole file: every tool once, so a chat can be resumed by tool id and item id."""

    reflectoren: list[Reflector] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Reflectoren:
        ids = [r.id for r in self.reflectoren]
        dubbel = sorted({i for i in ids if ids.count(i) > 1})
        if dubbel:
            raise ValueError(f"dubbele reflector-id's: {', '.join(dubbel)}")
        return self

    def get(self, reflector_id: str) -> Reflector:
        """The tool with this id; KeyError when it does not exist."""
        for reflector in self.reflectoren:
            if reflector.id == reflector_id:
                return reflector
        raise KeyError(reflector_id)
