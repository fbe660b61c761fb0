"""The one-to-one conversation guide: the 5-step card (seed 004) plus workbook tools (seed 003).

The card "In gesprek over eenzaamheid" gives the structure of the conversation; the workbook
"Eenzaam ben je niet alleen" adds tips for opening it, example questions and the look-back
used to follow up on agreed actions. Every section names the source file it quotes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

Bestand = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}_[0-9a-f]{16}\.txt$")]


# --- de gesprekskaart (seed 004) -------------------------------------------------------------


class KaartTip(Strict):
    """A short tip from the card's margin; `notitie` records why it sits under this step."""

    tekst: Text
    notitie: str | None = None


class Vraag(Strict):
    """A suggested question; some carry the card's own advice on how to ask it."""

    tekst: Text
    toelichting: Text | None = None


class Levensgebied(Strict):
    """One quadrant of the "gesprek van waarde" scheme, with its questions."""

    naam: Literal["Hart", "Ziel", "Lichaam", "Hoofd"]
    vragen: list[Text]


class Schaalvraag(Strict):
    """A 0-10 scale question; the card asks to probe the number someone gives."""

    onderwerp: Literal["motivatie", "vertrouwen"]
    vraag: Text
    minimum: int = 0
    maximum: int = 10


Soort = Literal["oefening", "fase", "ideeen"]


class Onderdeel(Strict):
    """A numbered (or titled) part inside a step: an exercise, a phase, or a list of ideas.

    `tekst` holds the paragraphs before the questions, `afsluiting` the line the card prints
    after them, so the bot can replay the part in the card's order.
    """

    nummer: int | None = None
    titel: Text
    soort: Soort
    tekst: list[Text] = []
    vragen: list[Vraag] = []
    suggesties: list[Text] = []
    levensgebieden: list[Levensgebied] = []
    schaalvragen: list[Schaalvraag] = []
    tip: Text | None = None
    afsluiting: Text | None = None
    url: str | None = None
    notitie: str | None = None


class Ondersteuningsvorm(Strict):
    """One of the seven forms of support (Bouwman en Van Tilburg, 2020) listed on the card."""

    nummer: int
    titel: Text
    tekst: Text


class Ondersteuningsvormen(Strict):
    """The card's overview of support forms, with its caveat that it is not exhaustive."""

    inleiding: Text
    vormen: list[Ondersteuningsvorm]


class Begrip(Strict):
    """A term with its explanation, as the card prints it beside a box (e.g. "Naar de kern")."""

    term: Text
    uitleg: Text


class MeerWetenDeel(Strict):
    """One part of a "Meer weten?" box: a titled paragraph, terms, reading, a link."""

    titel: Text | None = None
    tekst: list[Text] = []
    begrippen: list[Begrip] = []
    # The card's reading suggestions, each as printed ("Miller, W.R & S. Rollnick (2014). ...").
    literatuur: list[Text] = []
    url: str | None = None

    @model_validator(mode="after")
    def _niet_leeg(self) -> MeerWetenDeel:
        if not (self.tekst or self.begrippen or self.literatuur):
            raise ValueError("een deel van 'Meer weten?' zonder tekst, begrippen of literatuur")
        return self


class MeerWeten(Strict):
    """The card's "Meer weten?" box of a step: for whoever wants to go deeper, behind a button."""

    kop: Text | None = None
    onderdelen: list[MeerWetenDeel] = Field(min_length=1)


class Stap(Strict):
    """One of the card's five steps."""

    nummer: int
    titel: Text
    uitleg: Text
    tips: list[KaartTip]
    onderdelen: list[Onderdeel] = []
    vragen: list[Vraag] = []
    ondersteuningsvormen: Ondersteuningsvormen | None = None
    meer_weten: MeerWeten | None = None


class Gesprekskaart(Strict):
    """The card as a whole; helpers give direct access to the parts the bot uses most."""

    bron: Bestand
    titel: Text
    stappen: list[Stap]

    @model_validator(mode="after")
    def _vijf_stappen(self) -> Gesprekskaart:
        nummers = [s.nummer for s in self.stappen]
        if nummers != [1, 2, 3, 4, 5]:
            raise ValueError(f"stappen 1 t/m 5 in volgorde verwacht, gevonden: {nummers}")
        return self

    def stap(self, nummer: int) -> Stap:
        return next(s for s in self.stappen if s.nummer == nummer)

    def oefeningen(self) -> list[Onderdeel]:
        return [o for s in self.stappen for o in s.onderdelen if o.soort == "oefening"]

    def levensgebieden(self) -> list[Levensgebied]:
        return [g for o in self.stap(3).onderdelen for g in o.levensgebieden]

    def wensen(self) -> list[Text]:
        """The wish examples of step 4 ("Een paar suggesties" under "Wat zou je het liefste willen?")."""
        return [w for o in self.stap(4).onderdelen if o.nummer == 1 for w in o.suggesties]

    def schaalvragen(self) -> list[Schaalvraag]:
        return [v for o in self.stap(4).onderdelen for v in o.schaalvragen]

    def terugblikvragen(self) -> list[Vraag]:
        return list(self.stap(5).vragen)


# --- het werkboek (seed 003) -----------------------------------------------------------------


class BespreekbaarMaken(Strict):
    """§6.9: tips for a first conversation, split into doen / niet doen as the workbook has it."""

    paragraaf: Text
    titel: Text
    instructie: list[Text]
    doen: list[Text]
    niet_doen: list[Text]
    notitie: str | None = None


class Deelvraag(Strict):
    """A sub-question (a, b) of an example question, optionally with the question behind it."""

    letter: Literal["a", "b", "c", "d"]
    tekst: Text
    achterliggende_vraag: Text | None = None


class Voorbeeldvraag(Strict):
    """A numbered example question of §7.6; `toelichting` is the hint the workbook adds."""

    nummer: int
    tekst: Text
    toelichting: Text | None = None
    deelvragen: list[Deelvraag] = []


class Voorbeeldvragen(Strict):
    """§7.6: example questions, explicitly "geen vragenlijst"."""

    paragraaf: Text
    titel: Text
    instructie: list[Text]
    vragen: list[Voorbeeldvraag]


class TerugblikVraag(Strict):
    """A look-back question with a stable id, so follow-ups can record which was answered."""

    id: Annotated[str, StringConstraints(pattern=r"^t[0-9]+$")]
    tekst: Text


class Terugblikken(Strict):
    """§10.1: asking the person to report back after an agreed period, and what to do if not."""

    paragraaf: Text
    titel: Text
    instructie: Text
    inleiding_vragen: Text
    vragen: list[TerugblikVraag]
    # "Heeft u niets vernomen na de afgesproken termijn? Ga dan nogmaals open een gesprek aan."
    niets_vernomen: Text
    reflector_opnieuw: Text


class NogmaalsAangaan(Strict):
    """§6.7: when someone does not recognise the signals but the concern remains."""

    paragraaf: Text
    tekst: Text


class Werkboek(Strict):
    """The workbook sections the conversation guide quotes."""

    bron: Bestand
    bespreekbaar_maken: BespreekbaarMaken
    voorbeeldvragen: Voorbeeldvragen
    terugblikken: Terugblikken
    nogmaals_aangaan: NogmaalsAangaan


class Gesprek(Strict):
    """Root of gesprek.yaml: two sources, each section naming which one it quotes."""

    bronnen: list[Bron]
    kaart: Gesprekskaart
    werkboek: Werkboek

    @model_validator(mode="after")
    def _bronnen_bekend(self) -> Gesprek:
        bekend = {b.bestand for b in self.bronnen}
        for naam, bestand in (("kaart", self.kaart.bron), ("werkboek", self.werkboek.bron)):
            if bestand not in bekend:
                raise ValueError(f"{naam}: bron {bestand} staat niet onder bronnen")
        require_unique((v.id for v in self.werkboek.terugblikken.vragen), "ids in terugblikken")
        return self

    def bron(self, bestand: str) -> Bron:
        return next(b for b in self.bronnen if b.bestand == bestand)
