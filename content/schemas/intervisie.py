"""Intervision content from the workbook "Eenzaam ben je niet alleen" (seed 003).

The bot uses this file for group work between volunteers and professionals: the dialoogsessie
(a case, ideas, actions with an owner and a timing, revisited next time), every training and
practice assignment of the workbook, the two stories the assignments discuss, and the five
meetings of the trainer's manual. All texts are quoted from the workbook; the codes and ids are
ours and only tie the parts together, so the validators below check that every reference exists.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from content.schemas.common import Bron, Strict, Text, require_unique

# "6.7", "10.3": the workbook numbers assignments, instruments and kennisbronnen per chapter.
Paragraaf = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}\.[0-9]{1,2}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]

Soort = Literal["training", "praktijk"]
RolId = Literal["leercoach", "inbrenger", "groepsleden"]
KolomId = Literal["actie", "actie_eigenaar", "tijdsplanning"]


# --- catalogues the assignments point into ---------------------------------------------------


class Hoofdstuk(Strict):
    """A chapter; from chapter 4 on each stands for a phase of the workbook's phase model."""

    nummer: int
    titel: Text
    # The phase as labelled in the circular model ("Bespreekbaar maken"); None for chapter 3.
    fase: Text | None = None


class Verwijzing(Strict):
    """An instrument or kennisbron by § number and title, so a reference can be named to users."""

    paragraaf: Paragraaf
    titel: Text


class Verhaal(Strict):
    """A first-person story (Simone, Hein) that several assignments ask the group to discuss."""

    id: Slug
    naam: Text
    leeftijd: int
    titel: Text
    # The paragraph that prints the story (Hein's story sits inside assignment 6.4).
    paragraaf: Paragraaf
    alineas: list[Text] = Field(min_length=1)


# --- the assignments -------------------------------------------------------------------------


class Vraag(Strict):
    """A question of an assignment; the bot may post it on its own and wait for answers."""

    vraag: Text


class Kop(Strict):
    """A sub-heading inside an instruction ("Mijn wensen", "Stap 2 (45 minuten)").

    The lines that follow belong to it, up to the next heading.
    """

    kop: Text


# An instruction is replayed in the workbook's order: plain strings are instruction text,
# `{vraag: ...}` a question, `{kop: ...}` a sub-heading.
Regel = Text | Vraag | Kop


class Opdracht(Strict):
    """A trainingsopdracht (group work in a meeting) or praktijkopdracht (in one's own work)."""

    code: Paragraaf
    soort: Soort
    titel: Text
    hoofdstuk: int
    # Paragraphs the workbook prints between the heading and "Instructie".
    inleiding: list[Text] = []
    instructie: list[Regel] = Field(min_length=1)
    # Quotes of participants the assignment explicitly asks to use (4.3).
    citaten: list[Text] = []
    # Sentence starters printed to be completed (4.3).
    aanvulzinnen: list[Text] = []
    instrumenten: list[Paragraaf] = []
    kennisbronnen: list[Paragraaf] = []
    verhaal: Slug | None = None
    # 4.2 is run with the dialoogsessie protocol below.
    protocol: Literal["dialoogsessie"] | None = None

    @property
    def vragen(self) -> list[str]:
        return [r.vraag for r in self.instructie if isinstance(r, Vraag)]

    def teksten(self) -> list[str]:
        """Every quoted text of the assignment, for posting or checking against the source."""
        return [
            self.titel,
            *self.inleiding,
            *map(regeltekst, self.instructie),
            *self.citaten,
            *self.aanvulzinnen,
        ]


def regeltekst(regel: Regel) -> str:
    """The text of one instruction line, whatever its kind."""
    if isinstance(regel, Vraag):
        return regel.vraag
    if isinstance(regel, Kop):
        return regel.kop
    return regel


# --- the dialoogsessie -----------------------------------------------------------------------


class Rol(Strict):
    """A role in the session; the bot names who does what before the session starts."""

    id: RolId
    naam: Text
    ook_genoemd: list[Text] = []
    omschrijving: list[Text] = Field(min_length=1)


class SessieStap(Strict):
    """One step of the session in order; `door` is the role that carries it (None: everyone)."""

    nummer: int
    id: Slug
    door: RolId | None = None
    minuten: int | None = None
    instructie: list[Text] = Field(min_length=1)


class Kolom(Strict):
    """A column of the action overview; `id` is stable so stored actions survive rewording."""

    id: KolomId
    kop: Text


class Actietabel(Strict):
    """The "Concreet vervolg" overview: what will be done, by whom in the local network, when."""

    titel: Text
    instructie: Text
    kolommen: list[Kolom]
    # The workbook prints five numbered empty rows.
    rijen: int

    @model_validator(mode="after")
    def _drie_kolommen(self) -> Actietabel:
        ids = [k.id for k in self.kolommen]
        if ids != ["actie", "actie_eigenaar", "tijdsplanning"]:
            raise ValueError(f"kolommen actie, actie_eigenaar, tijdsplanning verwacht: {ids}")
        return self


class ReflectieveIntegratie(Strict):
    """Coming back to the agreed actions next meeting; the questions the bot asks then."""

    instructie: Text
    vragen: list[Text] = Field(min_length=1)
    # Kennisbron 12.7 names reflectieve integratie as a reflection moment, with its own questions.
    uit_kennisbron: Verwijzing
    kennisbron_tekst: Text
    kennisbron_vragen: list[Text] = []


class DialoogOfDiscussie(Strict):
    """Kennisbron 12.3, which the leercoach uses to keep the group in dialogue."""

    kennisbron: Verwijzing
    uitleg: list[Text]
    # The workbook's source line under the table ("Bron: Biene (2005)"), shown with it.
    bronregel: Text
    dialoog_kop: Text
    dialoog: list[Text]
    discussie_kop: Text
    discussie: list[Text]


class Dialoogsessie(Strict):
    """The intervision protocol of assignment 4.2: a case with an open question, a round of
    ideas, dialogue, what the case-bringer takes along, and actions revisited next time."""

    opdracht: Paragraaf
    rollen: list[Rol]
    # The question printed above the steps: "Hoe gaan we nu samenwerken rond deze vraag?"
    werkvraag: Text
    stappen: list[SessieStap] = Field(min_length=1)
    actietabel: Actietabel
    reflectieve_integratie: ReflectieveIntegratie
    dialoog_en_discussie: DialoogOfDiscussie
    # Other places where the workbook mentions the sessions (11.1, 12.8).
    elders: list[Text] = []

    @model_validator(mode="after")
    def _volgorde(self) -> Dialoogsessie:
        nummers = [s.nummer for s in self.stappen]
        if nummers != list(range(1, len(nummers) + 1)):
            raise ValueError(f"stappen 1..n in volgorde verwacht, gevonden: {nummers}")
        require_unique((s.id for s in self.stappen), "stap-ids in de dialoogsessie")
        if {r.id for r in self.rollen} != {"leercoach", "inbrenger", "groepsleden"}:
            raise ValueError("rollen leercoach, inbrenger en groepsleden verwacht")
        return self

    def stap(self, id: str) -> SessieStap:
        return next(s for s in self.stappen if s.id == id)


# --- the trainer's manual --------------------------------------------------------------------


# "0.35", "1", "2 uur": the manual's Totale tijd, hours and minutes since the start.
Totaal = Annotated[str, StringConstraints(pattern=r"^[0-9](\.[0-5][0-9])?( uur)?$")]


def minutes_since_start(totaal: str) -> int:
    """'1.05' is 65 minutes, '2 uur' 120: so the validator can check the column runs forward."""
    hours, _, minutes = totaal.removesuffix(" uur").partition(".")
    return int(hours) * 60 + int(minutes or 0)


class Programmaonderdeel(Strict):
    """One row of a meeting's table (Wat, Tijd, Totale tijd, Bijzonderheden), as printed:
    assignments, but also the opening, the breaks, an introduction and the closing."""

    # The "Wat" cell as printed, e.g. "6.6 Trainingsopdracht: In de weerstand" or "Pauze".
    wat: Text
    # The workbook assignments the row works on (ours, for the buttons); empty for a break.
    codes: list[Paragraaf] = []
    # True when the trainer picks one of the codes ("Kies voor 8.2 of 8.3").
    keuze: bool = False
    # Tijd and Totale tijd as printed ("10 min.", "5 – 10 min"; "1.05", "3 uur"); two of each
    # where the row has two parts (3.5: in pairs, then plenary).
    tijd: list[Text] = Field(min_length=1)
    totaal: list[Totaal] = Field(min_length=1)
    voorbereiding: list[Text] = []
    # The trainer notes (Bijzonderheden); `punten` are the bullets printed after them and
    # `slot` the sentence that follows the bullets.
    bijzonderheden: list[Text] = []
    punten: list[Text] = []
    slot: list[Text] = []

    @model_validator(mode="after")
    def _tijden(self) -> Programmaonderdeel:
        if len(self.tijd) != len(self.totaal):
            raise ValueError(f"{self.wat}: evenveel tijden als totale tijden verwacht")
        return self


class Huiswerk(Strict):
    """ "Opdrachten voor bijeenkomst N": reading and practice to do before the next meeting."""

    voor_bijeenkomst: int
    # The heading as printed: "Opdracht voor bijeenkomst 2:" or "Opdrachten voor ...".
    kop: Text
    leesopdracht: Text
    teksten: list[Text] = []
    opdrachten: list[Paragraaf] = []
    instrumenten: list[Paragraaf] = []


class Bijeenkomst(Strict):
    """One of the five three-hour meetings: what it covers, what to bring, every row of its
    table with times, and the assignments for the next meeting."""

    nummer: int
    omschrijving: Text
    # "Uitdelen in de bijeenkomst" or "Meenemen/uitdelen in de training", as printed.
    meenemen_kop: Text
    meenemen: list[Text] = []
    programma: list[Programmaonderdeel] = Field(min_length=1)
    huiswerk: Huiswerk | None = None

    @model_validator(mode="after")
    def _totale_tijd(self) -> Bijeenkomst:
        totals = [minutes_since_start(t) for o in self.programma for t in o.totaal]
        if totals != sorted(totals):
            raise ValueError(f"bijeenkomst {self.nummer}: de totale tijd loopt terug: {totals}")
        if not any(o.codes for o in self.programma):
            raise ValueError(f"bijeenkomst {self.nummer}: geen enkele opdracht")
        return self

    @property
    def opdrachten(self) -> list[str]:
        codes: list[str] = []
        for onderdeel in self.programma:
            codes.extend(c for c in onderdeel.codes if c not in codes)
        return codes


class Trainershandleiding(Strict):
    """Bijlage 1: how a group of 10-15 works through the workbook in five meetings."""

    algemeen: list[Text]
    planning: list[Text]
    opdrachten: list[Text]
    # "Elke bijeenkomst behandelt enkele fases van de gefaseerde benadering:"
    bijeenkomsten_inleiding: Text
    bijeenkomsten: list[Bijeenkomst]

    @model_validator(mode="after")
    def _vijf_bijeenkomsten(self) -> Trainershandleiding:
        nummers = [b.nummer for b in self.bijeenkomsten]
        if nummers != [1, 2, 3, 4, 5]:
            raise ValueError(f"bijeenkomsten 1 t/m 5 in volgorde verwacht, gevonden: {nummers}")
        return self


# --- root ------------------------------------------------------------------------------------


class Intervisie(Strict):
    """Root of intervisie.yaml; checks that every code, § and story reference resolves."""

    bron: Bron
    hoofdstukken: list[Hoofdstuk]
    instrumenten: list[Verwijzing]
    kennisbronnen: list[Verwijzing]
    verhalen: list[Verhaal]
    dialoogsessie: Dialoogsessie
    opdrachten: list[Opdracht]
    trainershandleiding: Trainershandleiding

    @model_validator(mode="after")
    def _verwijzingen(self) -> Intervisie:
        codes = [o.code for o in self.opdrachten]
        require_unique(codes, "opdrachtcodes")
        hoofdstukken = {h.nummer for h in self.hoofdstukken}
        instrumenten = {i.paragraaf for i in self.instrumenten}
        kennisbronnen = {k.paragraaf for k in self.kennisbronnen}
        verhalen = {v.id for v in self.verhalen}
        for o in self.opdrachten:
            if o.hoofdstuk not in hoofdstukken:
                raise ValueError(f"opdracht {o.code}: onbekend hoofdstuk {o.hoofdstuk}")
            if not o.code.startswith(f"{o.hoofdstuk}."):
                raise ValueError(f"opdracht {o.code}: hoort niet bij hoofdstuk {o.hoofdstuk}")
            for p in o.instrumenten:
                if p not in instrumenten:
                    raise ValueError(f"opdracht {o.code}: onbekend instrument §{p}")
            for p in o.kennisbronnen:
                if p not in kennisbronnen:
                    raise ValueError(f"opdracht {o.code}: onbekende kennisbron {p}")
            if o.verhaal is not None and o.verhaal not in verhalen:
                raise ValueError(f"opdracht {o.code}: onbekend verhaal {o.verhaal}")
        if self.dialoogsessie.opdracht not in codes:
            raise ValueError(f"dialoogsessie: onbekende opdracht {self.dialoogsessie.opdracht}")
        for b in self.trainershandleiding.bijeenkomsten:
            huiswerk = b.huiswerk.opdrachten if b.huiswerk else []
            for c in [*b.opdrachten, *huiswerk]:
                if c not in codes:
                    raise ValueError(f"bijeenkomst {b.nummer}: onbekende opdracht {c}")
            for p in b.huiswerk.instrumenten if b.huiswerk else []:
                if p not in instrumenten:
                    raise ValueError(f"bijeenkomst {b.nummer}: onbekend instrument §{p}")
        return self

    def opdracht(self, code: str) -> Opdracht:
        return next(o for o in self.opdrachten if o.code == code)

    def hoofdstuk(self, nummer: int) -> Hoofdstuk:
        return next(h for h in self.hoofdstukken if h.nummer == nummer)

    def verhaal(self, id: str) -> Verhaal:
        return next(v for v in self.verhalen if v.id == id)

    def bijeenkomst(self, nummer: int) -> Bijeenkomst:
        return next(b for b in self.trainershandleiding.bijeenkomsten if b.nummer == nummer)
