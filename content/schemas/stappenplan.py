"""The 7-step plan of the Thomas More toolkit "Eenzaamheid op het platteland" (seed 002).

A coordinator walks through the steps with the bot: each step's questions become prompts,
table 1 explains the potentially effective elements, table 2 is the checklist for one action
and the impact questions close the preparation. All texts are quoted verbatim from the source;
the models only add structure (ids, numbers, which column a table entry belongs to).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

# Stable ids: a coordinator's progress ("stap 'noden-van-de-buurt' gedaan") must survive edits.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class Lijst(Strict):
    """A bulleted (or numbered) list inside the running text, e.g. step 3's four questions."""

    lijst: list[Text] = Field(min_length=1)
    genummerd: bool = False


class Citaat(Strict):
    """A quote the source prints in a box, with who said it."""

    citaat: Text
    wie: Text


# One block of a step's running text: a paragraph, a list, or a quote.
Alinea = Text | Lijst | Citaat


def flat_text(tekst: list[Alinea]) -> str:
    """The running text as one string, blocks in order, whitespace collapsed."""
    pieces = [
        " ".join(b.lijst)
        if isinstance(b, Lijst)
        else f"{b.citaat} {b.wie}"
        if isinstance(b, Citaat)
        else b
        for b in tekst
    ]
    return " ".join(" ".join(pieces).split())


def check_excerpts(tekst: list[Alinea], excerpts: Iterable[str | None], where: str) -> None:
    """`uitleg`, `vragen` and `tips` are excerpts of the running text (the prompts the bot can
    put to a team): each must stand in it, so the two can never drift apart."""
    if not tekst:
        return
    whole = flat_text(tekst).casefold()
    for excerpt in excerpts:
        if excerpt is not None and " ".join(excerpt.casefold().split()) not in whole:
            raise ValueError(f"{where}: staat niet in de tekst: {excerpt[:60]!r}")


class Doelstelling(Strict):
    """A numbered goal with its sub-points (e.g. "1. Inzichten verwerven" for the persona's)."""

    titel: Text
    punten: list[Text]


class Rij(Strict):
    """A row of an example card: its heading cell and its text."""

    kop: Text
    tekst: Text


class Voorbeeld(Strict):
    """A filled-in example the source prints (Kortenaken's "Je staat niet alleen")."""

    inleiding: Text
    titel: Text
    rijen: list[Rij] = Field(min_length=1)


class Onderdeel(Strict):
    """A part of a step (intervisietraject, buurtanalyse, droomfase, ...) with its own prompts."""

    id: Slug
    # None where the source has no heading for the part, only a lead sentence (uitleg).
    titel: Text | None = None
    # The part's full running text, word for word; shown instead of uitleg, vragen and tips,
    # which are excerpts of it.
    tekst: list[Alinea] = []
    uitleg: Text | None = None
    vragen: list[Text] = []
    tips: list[Text] = []
    doelstellingen: list[Doelstelling] = []
    # Bullets the source prints as statements, not questions or tips (the persona method's
    # benefits, the "Wist je dat …" list); `genummerd` where the source numbers them.
    punten: list[Text] = []
    genummerd: bool = False
    slot: Text | None = None
    voorbeeld: Voorbeeld | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _uittreksels(self) -> Onderdeel:
        check_excerpts(self.tekst, [self.uitleg, *self.vragen, *self.tips], f"onderdeel {self.id}")
        return self


class Punt(Strict):
    """A bullet of a good practice, with the source's "o" sub-bullets where it has them."""

    tekst: Text
    details: list[Text] = []

    @model_validator(mode="before")
    @classmethod
    def _tekst_als_string(cls, data: Any) -> Any:
        # Most bullets have no sub-bullets; a bare string in YAML keeps the file readable.
        return {"tekst": data} if isinstance(data, str) else data


class Praktijk(Strict):
    """An example action from step 7 ("enkele goede praktijken")."""

    id: Slug
    titel: Text
    projectomschrijving: list[Text] = []
    doelstellingen: list[Punt] = []
    doelgroep: list[Text]
    werkzame_elementen: list[Punt]
    contact: Text | None = None


class Stap(Strict):
    """One of the seven steps: what it is for, what to ask, and the source's practical tips."""

    nummer: int
    id: Slug
    titel: Text
    # The step's own running text (before its parts), word for word; shown instead of uitleg,
    # vragen and tips, which are excerpts of it (the prompts).
    tekst: list[Alinea] = Field(min_length=1)
    uitleg: Text
    vragen: list[Text] = []
    tips: list[Text] = []
    onderdelen: list[Onderdeel] = []
    # Step 7 ("Ga aan de slag") lists the actions started during the trajectory as examples.
    praktijken: list[Praktijk] = []

    @model_validator(mode="after")
    def _onderdelen_uniek(self) -> Stap:
        require_unique((o.id for o in self.onderdelen), f"onderdeel-ids in stap {self.nummer}")
        check_excerpts(self.tekst, [self.uitleg, *self.vragen, *self.tips], f"stap {self.nummer}")
        return self


class Waarom(Strict):
    """ "Waarom deze toolkit?": why the toolkit exists and the questions practice asks."""

    titel: Text
    uitleg: Text
    vragen: list[Text] = Field(min_length=1)


class Voorbereiding(Strict):
    """The source's step zero: choose where to start before step 1 ("bepaal waar je van start gaat")."""

    titel: Text
    uitleg: Text
    vragen: list[Text]
    tips: list[Text] = []


class Randvoorwaarde(Strict):
    """A condition the source says must be met before rolling out the method."""

    id: Slug
    titel: Text
    uitleg: Text


class Randvoorwaarden(Strict):
    """What must be in place before starting; the bot raises these before step 1."""

    inleiding: Text
    voorwaarden: list[Randvoorwaarde]


class WerkzaamElement(Strict):
    """A row of table 1: an intervention or element and what it means."""

    id: Slug
    naam: Text
    betekenis: Text
    # Marked "*" in the table: "Effectiviteit bewezen in meerdere reviews/meta-analyses".
    effectiviteit_bewezen: bool = False


class WerkzameElementen(Strict):
    """Table 1 "Overzicht van de potentieel werkzame interventies en elementen"."""

    titel: Text
    elementen: list[WerkzaamElement]
    voetnoot: Text


class Dimensie(Strict):
    """A column of the checklist (table 2) with the options the source lists in it."""

    id: Slug
    kolom: Text
    # The question printed above the column(s).
    vraag: Text
    opties: list[Text]

    @model_validator(mode="after")
    def _opties_uniek(self) -> Dimensie:
        require_unique(self.opties, f"opties in {self.id}")
        return self


class OpenKolom(Strict):
    """A checklist column without options: the coordinator answers it in own words."""

    id: Slug
    kop: Text
    vraag: Text


class Checklist(Strict):
    """Table 2: for one action, tick elements, action type, age and target groups, partners."""

    titel: Text
    uitleg: Text
    dimensies: list[Dimensie]
    open_kolommen: list[OpenKolom]

    def dimensie(self, dimensie_id: str) -> Dimensie:
        return next(d for d in self.dimensies if d.id == dimensie_id)


class Impactanalyse(Strict):
    """The questions that close step 6 ("Onderbouwing: waar naartoe? Impactanalyse")."""

    titel: Text
    inleiding: Text
    vragen: list[Text]
    # "De lijst met vragen op de volgende pagina …": the source's line that leads to table 2.
    slot: Text | None = None
    # The step whose text the analysis closes (step 6 in the source); shown at its end.
    stap: Slug


class Stappenplan(Strict):
    """Root of stappenplan.yaml."""

    bron: Bron
    inleiding: list[Text]
    waarom: Waarom
    voorbereiding: Voorbereiding
    stappen: list[Stap]
    werkzame_elementen: WerkzameElementen
    checklist: Checklist
    impactanalyse: Impactanalyse
    randvoorwaarden: Randvoorwaarden

    @model_validator(mode="after")
    def _samenhang(self) -> Stappenplan:
        nummers = [s.nummer for s in self.stappen]
        if nummers != list(range(1, len(nummers) + 1)):
            raise ValueError(f"stappen moeten 1..n in volgorde zijn, gevonden: {nummers}")
        for soort, ids in (
            ("stap", [s.id for s in self.stappen]),
            ("werkzaam element", [e.id for e in self.werkzame_elementen.elementen]),
            (
                "checklist-kolom",
                [d.id for d in self.checklist.dimensies]
                + [k.id for k in self.checklist.open_kolommen],
            ),
            ("praktijk", [p.id for p in self.praktijken()]),
            ("randvoorwaarde", [r.id for r in self.randvoorwaarden.voorwaarden]),
        ):
            require_unique(ids, f"{soort}-ids")
        if self.impactanalyse.stap not in {s.id for s in self.stappen}:
            raise ValueError(f"impactanalyse: onbekende stap {self.impactanalyse.stap}")
        return self

    def stap(self, stap_id: str) -> Stap:
        return next(s for s in self.stappen if s.id == stap_id)

    def praktijken(self) -> list[Praktijk]:
        return [p for s in self.stappen for p in s.praktijken]
