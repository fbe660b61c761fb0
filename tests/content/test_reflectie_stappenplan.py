"""reflectievragen.yaml (seed 001) and stappenplan.yaml (seed 002): load, count, and faithfulness.

Faithfulness: every text in the YAML must occur in its seed once both are normalised for the
artefacts of PDF extraction (case, line breaks, hyphenation, bullets), so a typo or a paraphrase
in the content fails here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from content.loader import CONTENT_DIR, load_yaml
from content.schemas.reflectievragen import Reflectievragen
from content.schemas.stappenplan import Alinea, Citaat, Lijst, Stap, Stappenplan, flat_text
from tests.conftest import SEEDS

SEED_REFLECTIE = SEEDS / "001_a4547c1de1ea5492.txt"
SEED_STAPPENPLAN = SEEDS / "002_fd08699c6c9338bd.txt"

# Keys whose values are ours, not the source's.
NIET_UIT_BRON = {"id", "bron", "stap"}

BULLETS = "⬛⬜•*"


def normaliseer(tekst: str) -> str:
    """Undo PDF-extraction artefacts, identically for seed and YAML text."""
    tekst = unicodedata.normalize("NFC", tekst)
    # Stray combining marks (e.g. U+035B in "Persona͛’s"); accents are precomposed after NFC.
    tekst = "".join(c for c in tekst if unicodedata.category(c) != "Mn")
    tekst = tekst.lower()
    tekst = tekst.translate({ord(b): " " for b in BULLETS})
    # Hyphenation: "eenzaam-\n\nheid". A real hyphen can also fall at a line end
    # ("eenzaamheids-\n\nsensitief"), so every hyphen between letters is dropped on both sides.
    tekst = re.sub(r"(?<=\w)-\s*(?=\w)", "", tekst)
    # "Doelgroepen/ \n\nrisicogroepen" in a table header.
    tekst = re.sub(r"/\s+", "/", tekst)
    # Footnote numbers glued to a word ("zou helpen21.", "werkgelegenheid1."): left out in YAML.
    tekst = re.sub(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)]|$)", "", tekst)
    return " ".join(tekst.split())


def teksten(waarde: object, pad: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a dumped model, with its path, except keys that are not source text."""
    if isinstance(waarde, str):
        yield pad, waarde
    elif isinstance(waarde, dict):
        for sleutel, sub in waarde.items():
            if sleutel not in NIET_UIT_BRON:
                yield from teksten(sub, f"{pad}.{sleutel}" if pad else sleutel)
    elif isinstance(waarde, list):
        for i, sub in enumerate(waarde):
            yield from teksten(sub, f"{pad}[{i}]")


def niet_in_bron(model: Reflectievragen | Stappenplan, seed: Path) -> list[str]:
    bron = normaliseer(seed.read_text(encoding="utf-8"))
    return [
        f"{pad}: {tekst!r}"
        for pad, tekst in teksten(model.model_dump())
        if normaliseer(tekst) not in bron
    ]


@pytest.fixture(scope="module")
def reflectie() -> Reflectievragen:
    return load_yaml(CONTENT_DIR / "reflectievragen.yaml", Reflectievragen)


@pytest.fixture(scope="module")
def plan() -> Stappenplan:
    return load_yaml(CONTENT_DIR / "stappenplan.yaml", Stappenplan)


def _seed(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"bronbestand ontbreekt: {path}")
    return path


# --- normalisation itself -------------------------------------------------------------------


def test_normaliseer_herstelt_pdf_artefacten() -> None:
    assert normaliseer("deskundigheids-\n\nbevordering van het  personeel?") == normaliseer(
        "deskundigheidsbevordering van het personeel?"
    )
    assert normaliseer("⬛ Kennen zij de\n\nproblematiek") == "kennen zij de problematiek"
    assert normaliseer("Persona\u035b’s") == "persona’s"
    assert normaliseer("Doelgroepen/ \n\nrisicogroepen") == "doelgroepen/risicogroepen"
    assert normaliseer("zou helpen21. Denk aan") == "zou helpen. denk aan"
    assert normaliseer("18-24-jarigen") == "1824jarigen"  # not a footnote: digits stay


# --- reflectievragen (seed 001) ---------------------------------------------------------------


def test_reflectie_telling(reflectie: Reflectievragen) -> None:
    assert len(reflectie.beleid.fronten) == 8
    assert len(reflectie.werking.fronten) == 10
    assert [len(f.vragen) for f in reflectie.beleid.fronten] == [3, 3, 3, 4, 5, 2, 3, 3]
    assert [len(f.vragen) for f in reflectie.werking.fronten] == [3, 6, 2, 5, 4, 3, 4, 2, 1, 3]
    assert sum(len(f.vragen) for f in reflectie.fronten()) == 59
    assert len(reflectie.inleiding) == 5


def test_reflectie_ids_uniek(reflectie: Reflectievragen) -> None:
    ids = [f.id for f in reflectie.fronten()]
    assert len(ids) == len(set(ids))
    # "Buurtvervlechting" is a front in both halves, each with its own id.
    beleid = reflectie.front("buurtvervlechting-beleid")
    assert beleid.titel == reflectie.front("buurtvervlechting-werking").titel


def test_reflectie_advies_een_front_tegelijk(reflectie: Reflectievragen) -> None:
    advies = normaliseer(reflectie.advies)
    assert advies.startswith("begin klein en concreet.")
    assert "start op één front" in advies


def test_reflectie_toelichtingen(reflectie: Reflectievragen) -> None:
    met_toelichting = {f.id for f in reflectie.fronten() if f.toelichting}
    assert met_toelichting == {
        "sociaal-inclusief-beleid",
        "sociaal-inclusieve-werking",
        "safe-space",
        "buurtvervlechting-werking",
    }
    gradueel = reflectie.front("gradueel-aanbod")
    assert gradueel.vragen[1].voorbeeld is not None


def test_reflectie_inspiratie_en_referentie(reflectie: Reflectievragen) -> None:
    """The list the tool was inspired by and the citation it asks for, in the file itself."""
    assert [b.titel for b in reflectie.inspiratie.bronnen][0].startswith("Aanbevelingen")
    assert len(reflectie.inspiratie.bronnen) == 7
    assert all(b.url for b in reflectie.inspiratie.bronnen)
    assert reflectie.referentie.startswith("Verhaegen, I., Claeys, J. Deleu, H.")
    bron = normaliseer(_seed(SEED_REFLECTIE).read_text(encoding="utf-8"))
    for tekst in [
        reflectie.referentie,
        reflectie.referentie_kop,
        *(b.titel for b in reflectie.inspiratie.bronnen),
    ]:
        assert normaliseer(tekst) in bron
        woorden = tekst.split()
        midden = len(woorden) // 2
        anders = " ".join([*woorden[:midden], "kletspot", *woorden[midden + 1 :]])
        assert normaliseer(anders) not in bron, tekst


def test_reflectie_letterlijk_uit_bron(reflectie: Reflectievragen) -> None:
    seed = _seed(SEED_REFLECTIE)
    assert niet_in_bron(reflectie, seed) == []


# --- stappenplan (seed 002) -------------------------------------------------------------------


def test_stappenplan_zeven_stappen(plan: Stappenplan) -> None:
    assert [s.nummer for s in plan.stappen] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.id for s in plan.stappen] == [
        "draagvlak",
        "deskundigheidsbevordering",
        "waar-ben-je-al-mee-bezig",
        "noden-van-de-buurt",
        "personas",
        "onderbouwing-en-impact",
        "ga-aan-de-slag",
    ]
    for stap in plan.stappen:
        assert stap.vragen or stap.tips or stap.onderdelen, stap.id


def test_stappenplan_onderdelen(plan: Stappenplan) -> None:
    deskundigheid = plan.stap("deskundigheidsbevordering")
    assert [o.id for o in deskundigheid.onderdelen] == ["intervisietraject", "vorming"]
    assert len(deskundigheid.onderdelen[1].vragen) == 3
    bezig = plan.stap("waar-ben-je-al-mee-bezig")
    assert len(bezig.vragen) == 4
    assert len(bezig.onderdelen[0].vragen) == 3
    personas = plan.stap("personas")
    assert [o.id for o in personas.onderdelen] == [
        "personas-als-methodiek",
        "droomfase",
        "doefase",
        "voordelen",
        "waarderend-bevragen",
    ]
    assert [len(d.punten) for d in personas.onderdelen[0].doelstellingen] == [4, 2]


def test_waarom_voordelen_kortenaken_en_wist_je_dat(plan: Stappenplan) -> None:
    """The five questions of "Waarom deze toolkit?", the persona method's three benefits, the
    example from Kortenaken and the "Wist je dat …" box; each verbatim, and a one-word change
    fails the check."""
    assert len(plan.waarom.vragen) == 5 and plan.waarom.titel == "Waarom deze toolkit?"
    voordelen = next(o for o in plan.stap("personas").onderdelen if o.id == "voordelen")
    assert voordelen.titel == "Wat zijn de voordelen van deze manier van werken?"
    assert len(voordelen.punten) == 3
    onderbouwing = plan.stap("onderbouwing-en-impact")
    voorbeeld = next(o.voorbeeld for o in onderbouwing.onderdelen if o.voorbeeld)
    assert voorbeeld.titel == "Je staat niet alleen"
    assert [r.kop for r in voorbeeld.rijen] == [
        "Werkzame elementen",
        "Opzet",
        "Doelgroep",
        "Primaire actor",
    ]
    wist = next(o for o in onderbouwing.onderdelen if o.id == "wist-je-dat")
    assert wist.genummerd and len(wist.punten) == 3 and wist.slot
    seed = normaliseer(_seed(SEED_STAPPENPLAN).read_text(encoding="utf-8"))
    teksten = [
        plan.waarom.uitleg,
        *plan.waarom.vragen,
        *voordelen.punten,
        voorbeeld.inleiding,
        *(r.tekst for r in voorbeeld.rijen),
        wist.uitleg or "",
        *wist.punten,
        wist.slot,
    ]
    for tekst in teksten:
        assert normaliseer(tekst) in seed, tekst
        woorden = tekst.split()
        midden = len(woorden) // 2
        anders = " ".join([*woorden[:midden], "kletspot", *woorden[midden + 1 :]])
        assert normaliseer(anders) not in seed, tekst


def test_werkzame_elementen_tabel_1(plan: Stappenplan) -> None:
    elementen = plan.werkzame_elementen.elementen
    assert len(elementen) == 20
    assert len({e.id for e in elementen}) == 20
    bewezen = [e.naam for e in elementen if e.effectiviteit_bewezen]
    assert bewezen == [
        "Sociaal cognitieve training (maladaptive social cognition)",
        "Sociale steun verhogen",
        "Psychologische interventie",
        "Sociale activiteiten stimuleren",
        "Sociale netwerken creëren",
        "Mindfulness",
    ]


def test_checklist_tabel_2(plan: Stappenplan) -> None:
    checklist = plan.checklist
    assert [d.id for d in checklist.dimensies] == [
        "werkzame-elementen",
        "actie",
        "leeftijdsgroepen",
        "doelgroepen",
        "partners",
    ]
    assert [len(d.opties) for d in checklist.dimensies] == [19, 3, 6, 11, 13]
    for dimensie in checklist.dimensies:
        assert len(dimensie.opties) == len(set(dimensie.opties)), dimensie.id
    # Table 2 repeats table 1's elements, except Mindfulness.
    tabel_1 = [e.naam for e in plan.werkzame_elementen.elementen]
    assert checklist.dimensie("werkzame-elementen").opties == [
        n for n in tabel_1 if n != "Mindfulness"
    ]
    assert [k.id for k in checklist.open_kolommen] == ["participatie", "waarom"]


def test_impactanalyse(plan: Stappenplan) -> None:
    vragen = plan.impactanalyse.vragen
    assert len(vragen) == 5
    assert vragen[0].startswith("Wat gaat er gebeuren?")
    assert vragen[-1].startswith("Welke verandering vindt er plaats? Hoe weten we dit?")


def test_praktijken_en_randvoorwaarden(plan: Stappenplan) -> None:
    praktijken = plan.stap("ga-aan-de-slag").praktijken
    assert len(praktijken) == 10
    assert plan.praktijken() == praktijken
    assert len({p.id for p in praktijken}) == 10
    for praktijk in praktijken:
        assert praktijk.doelgroep and praktijk.werkzame_elementen, praktijk.id
    assert [r.id for r in plan.randvoorwaarden.voorwaarden] == [
        "bestuur-of-directie",
        "tijd-ruimte-budget",
        "goede-samenwerking",
        "intervisie-en-begeleiding",
    ]


def test_stappenplan_ids_uniek(plan: Stappenplan) -> None:
    ids = [s.id for s in plan.stappen]
    ids += [o.id for s in plan.stappen for o in s.onderdelen]
    ids += [p.id for p in plan.praktijken()]
    ids += [r.id for r in plan.randvoorwaarden.voorwaarden]
    assert len(ids) == len(set(ids))


def test_stappenplan_letterlijk_uit_bron(plan: Stappenplan) -> None:
    seed = _seed(SEED_STAPPENPLAN)
    assert niet_in_bron(plan, seed) == []


def test_bouwels_buurthuis_fragmenten(plan: Stappenplan) -> None:
    """Two bullets the PDF printed behind one bullet sign: each fragment is in the seed, in order."""
    seed = normaliseer(_seed(SEED_STAPPENPLAN).read_text(encoding="utf-8"))
    buurthuis = next(p for p in plan.praktijken() if p.id == "bouwels-buurthuis")
    punten = [p.tekst for p in buurthuis.werkzame_elementen]
    samen = normaliseer(punten[2]) + " " + normaliseer(punten[3])
    assert samen in seed


# --- the full running text of the seven steps -------------------------------------------------


def _doorlopend(seed: Path) -> str:
    """The seed normalised, with what interrupts the running text in the PDF taken out: photo
    captions, the link addresses printed under a page, a footnote number after "…"."""
    tekst = normaliseer(seed.read_text(encoding="utf-8"))
    tekst = re.sub(r"\(foto:[^)]*\)|https?://\S+", " ", tekst)
    tekst = re.sub(r"… \d{1,2}\.", "…", tekst)
    return " ".join(tekst.split())


def _lopende_teksten(plan: Stappenplan) -> list[tuple[str, str | None, list[Alinea]]]:
    """(where, heading in the source, text) for each step and each part with running text."""
    out: list[tuple[str, str | None, list[Alinea]]] = []
    for stap in plan.stappen:
        out.append((f"stap {stap.nummer}", f"Stap {stap.nummer}: {stap.titel}", stap.tekst))
        out += [
            (f"stap {stap.nummer} {o.id}", o.titel, o.tekst) for o in stap.onderdelen if o.tekst
        ]
    return out


def _blokken(tekst: list[Alinea]) -> list[str]:
    out: list[str] = []
    for blok in tekst:
        if isinstance(blok, Lijst):
            out += blok.lijst
        elif isinstance(blok, Citaat):
            out += [blok.citaat, blok.wie]
        else:
            out.append(blok)
    return out


def test_elke_stap_heeft_zijn_volledige_tekst(plan: Stappenplan) -> None:
    """Each step's and each part's running text stands in the seed as one unbroken stretch, in
    the source's order: no sentence left out between two paragraphs, none moved."""
    seed = _doorlopend(_seed(SEED_STAPPENPLAN))
    for waar, _, tekst in _lopende_teksten(plan):
        assert normaliseer(flat_text(tekst)) in seed, waar


def test_de_tekst_begint_bij_zijn_kop(plan: Stappenplan) -> None:
    """The text of a step starts right under the step's heading in the source (nothing skipped
    at the start); likewise for each part whose title is the source's own heading."""
    seed = _doorlopend(_seed(SEED_STAPPENPLAN))
    for waar, kop, tekst in _lopende_teksten(plan):
        if waar.startswith("stap") and " " not in waar[5:]:
            assert f"{normaliseer(kop or '')} {normaliseer(flat_text(tekst))}" in seed, waar
    koppen = {o.id: o.titel for s in plan.stappen for o in s.onderdelen if o.tekst and o.titel}
    eigen_kop = {
        "buurtanalyse",
        "bouw-verder-op-wat-er-leeft",
        "personas-als-methodiek",
        "droomfase",
        "doefase",
        "waarderend-bevragen",
        "werkzame-elementen",
        "voor-wie",
        "hoe",
        "structurele-kijk",
    }
    assert eigen_kop <= set(koppen)
    for onderdeel_id in eigen_kop:
        deel = next(o for s in plan.stappen for o in s.onderdelen if o.id == onderdeel_id)
        begin = f"{normaliseer(deel.titel or '')} {normaliseer(flat_text(deel.tekst))}"
        assert begin in seed, onderdeel_id


def test_de_volledige_tekst_per_stap(plan: Stappenplan) -> None:
    """What was only partly quoted before is there now, in the steps' own words."""

    def tekst_van(stap_id: str, deel_id: str | None = None) -> str:
        stap = plan.stap(stap_id)
        if deel_id is None:
            return flat_text(stap.tekst)
        return flat_text(next(o for o in stap.onderdelen if o.id == deel_id).tekst)

    assert "De rol van een professionele netwerkregisseur is hierin belangrijk." in tekst_van(
        "draagvlak"
    )
    assert len(plan.stap("draagvlak").tekst) == 4
    assert "In beide wordt de wetenschappelijke kennis" in tekst_van("deskundigheidsbevordering")
    vorming = next(
        o for o in plan.stap("deskundigheidsbevordering").onderdelen if o.id == "vorming"
    )
    citaat = next(b for b in vorming.tekst if isinstance(b, Citaat))
    assert citaat.wie == "Birgit De Cnodder, Centrumleider De Schoor"
    lijst = next(b for b in plan.stap("waar-ben-je-al-mee-bezig").tekst if isinstance(b, Lijst))
    assert lijst.lijst == plan.stap("waar-ben-je-al-mee-bezig").vragen
    assert "Het is een participatieproces dat" in tekst_van("noden-van-de-buurt", "buurtanalyse")
    assert "Het idee van de “vroemvrijwilligers” ontstond." in tekst_van("personas", "doefase")
    assert "pagina 222." in tekst_van("personas", "personas-als-methodiek")
    assert "In een recente studie halen 18-plussers" in tekst_van(
        "onderbouwing-en-impact", "werkzame-elementen"
    )
    assert tekst_van("onderbouwing-en-impact", "hoe").endswith(
        "Kortom, persoonlijk contact rendeert."
    )
    assert "2024-2025 werden opgestart" in tekst_van("ga-aan-de-slag")
    assert plan.impactanalyse.slot and plan.impactanalyse.stap == "onderbouwing-en-impact"


def test_een_woord_anders_in_de_stappen_faalt(plan: Stappenplan) -> None:
    """The verbatim check can fail: one word changed in any paragraph, list item or quote of the
    steps' running text is no longer in the seed, and neither is a text with a sentence cut out."""
    seed = normaliseer(_seed(SEED_STAPPENPLAN).read_text(encoding="utf-8"))
    doorlopend = _doorlopend(SEED_STAPPENPLAN)
    for waar, _, tekst in _lopende_teksten(plan):
        for blok in _blokken(tekst):
            woorden = blok.split()
            midden = len(woorden) // 2
            anders = " ".join([*woorden[:midden], "kletspot", *woorden[midden + 1 :]])
            assert normaliseer(anders) not in seed, (waar, blok)
        zinnen = re.split(r"(?<=[.?!]) ", flat_text(tekst))
        if len(zinnen) > 2:
            zonder = " ".join(zinnen[:1] + zinnen[2:])
            assert normaliseer(zonder) not in doorlopend, waar


def test_uittreksels_moeten_in_de_tekst_staan(plan: Stappenplan) -> None:
    """A tip or question that is not in its step's text stops the bot at start."""
    ruw = plan.stap("draagvlak").model_dump()
    ruw["tips"] = [*ruw["tips"], "Maak onderscheid tussen alle partners."]
    with pytest.raises(ValidationError, match="staat niet in de tekst"):
        Stap.model_validate(ruw)
    ruw = plan.stap("draagvlak").model_dump()
    ruw["tekst"] = []
    with pytest.raises(ValidationError):
        Stap.model_validate(ruw)
