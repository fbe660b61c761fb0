"""Reflection questions per front from the Resokit tool (seed 001).

The tool asks a team to look at its policy (beleid) and its practice (werking) through an
"eenzaamheids-sensitieve bril", one front (sleutelbegrip) at a time. The source splits the
fronts into a policy half and a practice half; "Buurtvervlechting" appears in both, so each
half keeps its own front with its own id. All texts are quoted verbatim from the source.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

# Stable ids: a team's progress ("we zijn met 'safe-space' bezig") must survive text edits.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Vraag(Strict):
    """One ⬛ question; some carry the source's ⬜ example or a link printed beside them."""

    tekst: Text
    # The ⬜ sub-bullet under a question ("Bijvoorbeeld eerst van thuis uit, ...").
    voorbeeld: Text | None = None
    url: str | None = None


class Toelichting(Strict):
    """An explanatory note (the source's "*" notes), optionally with the link it points to."""

    tekst: Text
    url: str | None = None


class Front(Strict):
    """One sleutelbegrip: the bot offers a team its questions as one reflection round."""

    id: Slug
    titel: Text
    vragen: list[Vraag]
    toelichting: list[Toelichting] = []

    @model_validator(mode="after")
    def _vragen(self) -> Front:
        if not self.vragen:
            raise ValueError(f"{self.id}: een front zonder vragen")
        return self


class Deel(Strict):
    """The policy or the practice half: the source's overview sentence and its fronts."""

    # "Bij het beleid wordt er ingezoomd op: ..." / "Bij de werking wordt er ingezoomd op: ..."
    overzicht: Text
    fronten: list[Front]


class Inspiratiebron(Strict):
    """One item of the list the tool was inspired by, with the link the source gives it."""

    titel: Text
    url: str | None = None


class Inspiratie(Strict):
    """ "Wij hebben ons voor deze tool laten inspireren door :" and the list that follows."""

    kop: Text
    bronnen: list[Inspiratiebron] = Field(min_length=1)


class Reflectievragen(Strict):
    """Root of reflectievragen.yaml."""

    bron: Bron
    inleiding: list[Text]
    # "Begin klein en concreet ... Start op één front ...": the bot's reason to offer one
    # front at a time instead of the whole list.
    advies: Text
    beleid: Deel
    werking: Deel
    inspiratie: Inspiratie
    # "Wil je refereren naar deze tool? ...": the citation the source asks for, with its lead.
    referentie_kop: Text
    referentie: Text

    @model_validator(mode="after")
    def _unieke_ids(self) -> Reflectievragen:
        require_unique((f.id for f in self.fronten()), "ids")
        return self

    def fronten(self) -> list[Front]:
        return [*self.beleid.fronten, *self.werking.fronten]

    def front(self, front_id: str) -> Front:
        return next(f for f in self.fronten() if f.id == front_id)
