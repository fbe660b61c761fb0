"""Blocking and helping thoughts from the Movisie card "In gesprek over eenzaamheid" (seed 004).

The bot offers these as a small self-reflection: recognise one blocking thought, pick a
helping thought, and keep that as a reminder. The texts are quoted verbatim from the card.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

GedachteId = Annotated[str, StringConstraints(pattern=r"^[bh][0-9]+$")]


class Gedachte(Strict):
    """One thought with a stable id, so a user's chosen reminder survives content edits."""

    id: GedachteId
    tekst: Text


class Gedachtenlijst(Strict):
    """One of the card's two lists, with the instruction the card prints beside it."""

    titel: Text
    instructie: Text
    gedachten: list[Gedachte]
    # The card ends each list with "• ...": people may add a thought of their own.
    aanvulbaar: bool

    @model_validator(mode="after")
    def _niet_leeg(self) -> Gedachtenlijst:
        if not self.gedachten:
            raise ValueError(f"{self.titel}: een lijst zonder gedachten")
        return self


class Gedachten(Strict):
    """Root of gedachten.yaml: the exercise "Zicht krijgen op belemmerende en helpende gedachten"."""

    bron: Bron
    oefening: Text
    belemmerend: Gedachtenlijst
    helpend: Gedachtenlijst
    # "Schrijf de gedachte op en maak er een mooie reminder van voor jezelf."
    reminder: Text

    @model_validator(mode="after")
    def _ids(self) -> Gedachten:
        for lijst, prefix in ((self.belemmerend, "b"), (self.helpend, "h")):
            for gedachte in lijst.gedachten:
                if not gedachte.id.startswith(prefix):
                    raise ValueError(
                        f"{gedachte.id}: id in {lijst.titel!r} moet met {prefix!r} beginnen"
                    )
        require_unique((g.id for g in self.alle()), "ids")
        return self

    def alle(self) -> list[Gedachte]:
        return [*self.belemmerend.gedachten, *self.helpend.gedachten]

    def gedachte(self, gedachte_id: str) -> Gedachte:
        return next(g for g in self.alle() if g.id == gedachte_id)
