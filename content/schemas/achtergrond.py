"""Background paragraphs of the workbook "Eenzaam ben je niet alleen" (seed 003).

The assignments send the team to these paragraphs ("Bekijk §11.5", "zie kennisbron 12.4"); the
bot shows them with the assignment, in `hulp eenzaamheid`, as cards in `gesprek` and in `plan`.
The Verwijskaart's blanks are the categories of each team's own card (`verwijskaart`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

Paragraaf = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}\.[0-9]{1,2}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class Term(Strict):
    """A defined word and its explanation ("Eenzaamheid: is een als onplezierig ...")."""

    term: Text
    uitleg: Text


class Blok(Strict):
    """One block of a paragraph in the workbook's order: a paragraph, a quote of a participant,
    or a (headed) list of points or terms. Exactly one kind of content per block."""

    id: Slug | None = None
    kop: Text | None = None
    alinea: Text | None = None
    citaat: Text | None = None
    punten: list[Text] = []
    termen: list[Term] = []
    # The workbook numbers these points (the feedback rules).
    genummerd: bool = False

    @model_validator(mode="after")
    def _een_soort(self) -> Blok:
        kinds = [
            k
            for k, v in (
                ("alinea", self.alinea),
                ("citaat", self.citaat),
                ("punten", self.punten),
                ("termen", self.termen),
            )
            if v
        ]
        if len(kinds) != 1:
            raise ValueError(
                f"een blok heeft precies één van alinea, citaat, punten, termen: {kinds}"
            )
        return self


class Tekst(Strict):
    """A paragraph of the workbook, and the assignments (or reflectors) it is shown with."""

    id: Slug
    paragraaf: Paragraaf
    titel: Text
    bij: list[Paragraaf] = []
    blokken: list[Blok] = Field(min_length=1)

    def blok(self, id: str) -> Blok:
        return next(b for b in self.blokken if b.id == id)


class Vak(Strict):
    """A blank of the Verwijskaart; `id` is stable so stored entries survive rewording."""

    id: Slug
    vak: Text
    # A button label ("Niet pluis"): ours, not the workbook's.
    kort: Text


class Verwijskaart(Strict):
    paragraaf: Paragraaf
    vakken: list[Vak] = Field(min_length=1)

    def vak(self, id: str) -> Vak | None:
        return next((v for v in self.vakken if v.id == id), None)


class Achtergrond(Strict):
    """Root of achtergrond.yaml."""

    bron: Bron
    teksten: list[Tekst]
    verwijskaart: Verwijskaart

    @model_validator(mode="after")
    def _uniek(self) -> Achtergrond:
        require_unique((t.id for t in self.teksten), "tekst-ids")
        require_unique((v.id for v in self.verwijskaart.vakken), "vakken van de verwijskaart")
        for t in self.teksten:
            require_unique((b.id for b in t.blokken if b.id), f"blok-ids in {t.id}")
        return self

    def tekst(self, id: str) -> Tekst:
        return next(t for t in self.teksten if t.id == id)

    def bij(self, code: str) -> list[Tekst]:
        """The paragraphs shown with assignment or reflector `code`, in the workbook's order."""
        return [t for t in self.teksten if code in t.bij]
