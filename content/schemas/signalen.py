"""Signs of acute distress in a DM and where to get help now, per country.

The bot is no crisis service: when someone writes something from these phrase families, it points
to the people who are (Zelfmoordlijn 1813, Tele-Onthaal 106, 113, De Luisterlijn, 112). The lists
are kept here, in content, so a trained reviewer can read and extend them without touching code;
tests/distress_corpus.yaml is the specification they are tested against.

Pattern language (see the head of content/signalen.yaml):
  woord          exactly this word (after normalising: lower case, no accents, spoken forms)
  woord*         a word that starts so        *woord   a word that ends so
  a|b|c*         one of these
  ~              up to three small words from `opvulwoorden` (echt, gewoon, eigenlijk, ...)
  …              up to three words, any        ……      up to twelve words, any
  ^              the start of a sentence or clause (first only)
  $              the end of a sentence or clause (last only); `$|en|want` also when one of
                 these words follows
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from content.schemas.common import Strict, Text, require_unique

GAP = "…"
"""Up to `MAX_GAP` words of any kind."""
LONG_GAP = "……"
"""Up to `MAX_LONG_GAP` words of any kind."""
FILL = "~"
"""Up to `MAX_GAP` words from the list `opvulwoorden`."""
START = "^"
END = "$"
MAX_GAP = 3
MAX_LONG_GAP = 12
MIN_TYPO_LENGTH = 6
"""Only words this long are matched with a typo (edit distance 1, from 9 letters on 2)."""

_ALTERNATIVE = re.compile(r"^\*?[a-z0-9]+\*?$")
_WORD = re.compile(r"^[a-z0-9]+$")
_WORDS = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")

Land = Literal["be", "nl"]


def check_pattern(pattern: str) -> str:
    """Raises ValueError with a Dutch message a reviewer can act on."""
    tokens = pattern.split()
    where = f"patroon {pattern!r}"
    if not tokens:
        raise ValueError(f"{where}: is leeg")
    gaps = (GAP, LONG_GAP, FILL)
    words = [t for t in tokens if t not in gaps and t != START and not t.startswith(END)]
    if not words:
        raise ValueError(f"{where}: bevat geen enkel woord")
    for i, token in enumerate(tokens):
        if token == START:
            if i != 0:
                raise ValueError(f"{where}: {START} mag alleen vooraan staan")
            continue
        if token.startswith(END):
            if i != len(tokens) - 1:
                raise ValueError(f"{where}: {END} mag alleen achteraan staan")
            followers = token.split("|")[1:]
            if token.split("|")[0] != END or not all(_WORD.match(f) for f in followers):
                raise ValueError(f"{where}: {token!r} moet {END} zijn, of {END}|woord|woord")
            continue
        if token in gaps:
            before = tokens[i - 1] if i else START
            after = tokens[i + 1] if i + 1 < len(tokens) else END
            if before in gaps or before == START or after in gaps or after.startswith(END):
                raise ValueError(f"{where}: {token} moet tussen twee woorden staan")
            continue
        for alternative in token.split("|"):
            if not _ALTERNATIVE.match(alternative) or alternative.strip("*") == "":
                raise ValueError(
                    f"{where}: {alternative!r} moet kleine letters zonder accenten "
                    "zijn, eventueel met * vooraan of achteraan"
                )
            if alternative.startswith("*") and alternative.endswith("*"):
                raise ValueError(f"{where}: {alternative!r}: * vooraan of achteraan, niet allebei")
    return pattern


def _check_word(word: str) -> str:
    if not _WORD.match(word):
        raise ValueError(f"{word!r} moet één woord in kleine letters zonder accenten zijn")
    return word


def _check_words(words: str) -> str:
    if not _WORDS.match(words):
        raise ValueError(f"{words!r} moet woorden in kleine letters zonder accenten zijn")
    return words


def _check_join(join: str) -> str:
    parts = join.split()
    if len(parts) != 2:
        raise ValueError(f"samenvoegen {join!r}: precies twee woorden, gescheiden door een spatie")
    for part in parts:
        check_pattern(part)
        if "|" in part or part.startswith("*"):
            raise ValueError(f"samenvoegen {join!r}: {part!r} mag alleen achteraan een * hebben")
    return join


def _check_key(word: str) -> str:
    _check_word(word)
    if len(word) < MIN_TYPO_LENGTH:
        raise ValueError(
            f"sleutelwoord {word!r}: minstens {MIN_TYPO_LENGTH} letters, anders "
            "lijkt te veel op elkaar (zet korte tikfouten in spreektaal)"
        )
    return word


Patroon = Annotated[str, AfterValidator(check_pattern)]
Woord = Annotated[str, AfterValidator(_check_word)]
Woorden = Annotated[str, AfterValidator(_check_words)]
Samenvoeging = Annotated[str, AfterValidator(_check_join)]
Sleutelwoord = Annotated[str, AfterValidator(_check_key)]
Naam = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Familie(Strict):
    """A family of phrasings that mean the same kind of distress."""

    naam: Naam
    uitleg: Text
    """In Dutch, for the reviewer: what the family catches and what it must not."""
    patronen: list[Patroon] = []
    """Strong phrases: an exception nearby does not cancel them when the person writes about
    themselves ('ik wil dood' after a training is still 'ik wil dood')."""
    zwak: list[Patroon] = []
    """Weaker hits (a single word like 'zelfmoord', a phrase that is also said about work): an
    `uitzondering` within a few words cancels them."""

    @model_validator(mode="after")
    def _has_patterns(self) -> Familie:
        if not self.patronen and not self.zwak:
            raise ValueError(f"familie {self.naam}: heeft geen patronen en geen zwak")
        require_unique([*self.patronen, *self.zwak], f"patronen in familie {self.naam}")
        return self


class Uitzondering(Strict):
    """A context that shows a text is about something else: prevention work, a film, workload."""

    naam: Naam
    uitleg: Text
    patronen: list[Patroon] = Field(min_length=1)
    geldt_voor: list[Naam] = []
    """The families it may cancel; empty: all."""


class Personen(Strict):
    """Who a text is about: the writer, someone else, or 'you' (a question, an example)."""

    ik: list[Woord] = Field(min_length=1)
    """The writer as subject ('ik')."""
    ik_in_zin: list[Woord] = Field(min_length=1)
    """The writer, inside the matched phrase ('zonder mij', 'mijn leven', 'mezelf')."""
    ander: list[Patroon] = Field(min_length=1)
    """Someone else: pronouns and people ('hij', 'mijn cliënt', 'buurvrouw', '*dochter')."""
    ander_in_zin: list[Woord] = []
    """Someone else, inside the matched phrase ('zichzelf', 'zonder hem')."""
    jij: list[Woord] = []
    """'You': a question or an example ('denk je aan zelfmoord?'), never the writer for sure."""
    spreken: list[Woord] = Field(min_length=1)
    """Verbs of saying: 'mijn dochter zei: ik wil dood' is about the daughter."""


class Herkenning(Strict):
    """How texts are normalised before matching, and the phrase families."""

    spreektaal: dict[Woord, Woorden]
    """Spoken, Flemish and chat forms and short typos, to their written form ('nie': 'niet')."""
    samenvoegen: list[Samenvoeging] = []
    """Two words written apart that are one ('zelf moord*' -> 'zelfmoord...')."""
    sleutelwoorden: list[Sleutelwoord] = []
    """The few long words that are also recognised with a typo ('zelfmord', 'selfmoord')."""
    samenstellingen: list[Woord] = []
    """Word endings a key word may carry when it has a typo ('gedachten' in 'zelfmordgedachten')."""
    opvulwoorden: list[Woord] = Field(min_length=1)
    """Small words `~` may skip: 'ik wil ~ dood' is also 'ik wil echt gewoon dood'."""
    personen: Personen
    families: list[Familie] = Field(min_length=1)
    uitzonderingen: list[Uitzondering] = []

    @model_validator(mode="after")
    def _valid(self) -> Herkenning:
        require_unique([f.naam for f in self.families], "familienamen")
        require_unique([u.naam for u in self.uitzonderingen], "namen van uitzonderingen")
        require_unique(self.sleutelwoorden, "sleutelwoorden")
        names = {f.naam for f in self.families}
        for uitzondering in self.uitzonderingen:
            unknown = sorted(set(uitzondering.geldt_voor) - names)
            if unknown:
                raise ValueError(
                    f"uitzondering {uitzondering.naam}: geldt_voor noemt onbekende "
                    f"families: {', '.join(unknown)}"
                )
        return self


Rol = Literal["crisis", "praten", "nood"]


class Hulplijn(Strict):
    naam: Text
    nummer: Text
    ook: Text | None = None
    """A second number for the same line (113's 0800-0113)."""
    wanneer: Text
    """When and how, in a few words: 'dag en nacht, gratis en anoniem'."""
    chat: Text | None = None
    """Where and when to chat: "'s avonds via zelfmoord1813.be"."""
    rol: Rol
    """crisis: for thoughts of suicide, also for who worries about someone; praten: to talk to
    someone (the answer to loneliness talk); nood: the emergency number."""
    bron: Annotated[str, Field(pattern=r"^https://")]
    """Where the organisation itself publishes this."""
    gecontroleerd: date
    """When the number and hours were last checked against the source."""


class LandHulp(Strict):
    code: Land
    naam: Text
    hulplijnen: list[Hulplijn] = Field(min_length=1)
    omstaanders: Text
    """For someone worried about another person: who they can call themselves."""

    @model_validator(mode="after")
    def _roles(self) -> LandHulp:
        roles = [line.rol for line in self.hulplijnen]
        for rol in ("crisis", "praten", "nood"):
            if roles.count(rol) != 1:
                raise ValueError(
                    f"land {self.code}: precies één hulplijn met rol {rol} nodig, "
                    f"gevonden: {roles.count(rol)}"
                )
        return self

    def lijn(self, rol: Rol) -> Hulplijn:
        return next(line for line in self.hulplijnen if line.rol == rol)


class Signalen(Strict):
    herkenning: Herkenning
    landen: list[LandHulp]
    standaard: Land = "be"

    @model_validator(mode="after")
    def _valid(self) -> Signalen:
        codes = [land.code for land in self.landen]
        if sorted(codes) != ["be", "nl"]:
            raise ValueError(f"landen moeten precies be en nl zijn, gevonden: {codes}")
        return self

    def land(self, code: str | None) -> LandHulp:
        """The country's help lines; the default country for an unknown or missing code."""
        for land in self.landen:
            if land.code == code:
                return land
        return self.land(self.standaard)
