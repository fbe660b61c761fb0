"""intervisie.yaml: loads, is complete, and quotes the workbook (seed 003) faithfully."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.loader import CONTENT_DIR, ContentError, load_yaml
from content.schemas.intervisie import Intervisie, Kop, Vraag
from tests.conftest import SEEDS

YAML_PATH = CONTENT_DIR / "intervisie.yaml"
SEED_DIR = SEEDS
SEED = SEED_DIR / "003_cdbb5d6da5aa80d7.txt"

TRAINING = [
    "3.1",
    "3.5",
    "4.2",
    "4.3",
    "5.1",
    "6.1",
    "6.2",
    "6.4",
    "6.6",
    "7.1",
    "7.2",
    "9.1",
    "10.2",
    "11.2",
    "11.4",
]
PRAKTIJK = ["5.2", "6.7", "7.3", "8.2", "8.3", "8.4", "9.2", "10.1", "11.3"]

# Keys whose values are our own identifiers, not quotes from the workbook.
ID_KEYS = {"bron", "id", "soort", "door", "protocol", "verhaal"}
CODE = re.compile(r"^[0-9]{1,2}\.[0-9]{1,2}$")


def normalise(text: str) -> str:
    """Undo PDF-extraction artefacts the same way on both sides before comparing."""
    text = text.lower()
    text = re.sub(r"[−•]", " ", text)
    # Hyphenation breaks ("eenzaam- heid"); real hyphens are dropped too, on both sides alike.
    text = re.sub(r"(\w)-\s*(\w)", r"\1\2", text)
    text = re.sub(r"/\s+", "/", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def data() -> Intervisie:
    return load_yaml(YAML_PATH, Intervisie)


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"bron ontbreekt: {SEED}")
    return SEED.read_text(encoding="utf-8")


def quoted_texts(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in the raw YAML except our ids and § codes, with where it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ID_KEYS:
                yield from quoted_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from quoted_texts(value, f"{path}[{i}]")
    elif isinstance(node, str) and not CODE.match(node):
        yield path, node


# --- structure -------------------------------------------------------------------------------


def test_counts(data: Intervisie) -> None:
    assert len(data.opdrachten) == 24
    assert sorted(o.code for o in data.opdrachten if o.soort == "training") == sorted(TRAINING)
    assert sorted(o.code for o in data.opdrachten if o.soort == "praktijk") == sorted(PRAKTIJK)
    assert len(data.trainershandleiding.bijeenkomsten) == 5
    assert [v.id for v in data.verhalen] == ["simone", "hein"]


def test_codes_unique_and_in_chapter_order(data: Intervisie) -> None:
    codes = [o.code for o in data.opdrachten]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes, key=lambda c: tuple(int(p) for p in c.split(".")))
    for o in data.opdrachten:
        assert o.code.split(".")[0] == str(o.hoofdstuk)
        assert data.hoofdstuk(o.hoofdstuk).titel


def test_meetings_reference_existing_opdrachten(data: Intervisie) -> None:
    codes = {o.code for o in data.opdrachten}
    gebruikt: set[str] = set()
    for b in data.trainershandleiding.bijeenkomsten:
        assert b.opdrachten, f"bijeenkomst {b.nummer} zonder opdrachten"
        huiswerk = b.huiswerk.opdrachten if b.huiswerk else []
        for code in [*b.opdrachten, *huiswerk]:
            assert code in codes, f"bijeenkomst {b.nummer}: {code} bestaat niet"
            gebruikt.add(code)
        if b.huiswerk:
            assert b.huiswerk.voor_bijeenkomst == b.nummer + 1
    # The manual schedules every assignment of the workbook somewhere.
    assert gebruikt == codes


def test_references_resolve(data: Intervisie) -> None:
    instrumenten = {i.paragraaf for i in data.instrumenten}
    kennisbronnen = {k.paragraaf for k in data.kennisbronnen}
    for o in data.opdrachten:
        assert set(o.instrumenten) <= instrumenten, o.code
        assert set(o.kennisbronnen) <= kennisbronnen, o.code


def test_stories_linked_where_named(data: Intervisie) -> None:
    for o in data.opdrachten:
        tekst = " ".join(o.teksten())
        for v in data.verhalen:
            if v.naam in tekst:
                assert o.verhaal == v.id, f"{o.code} noemt {v.naam} maar verwijst er niet naar"
    assert {o.code for o in data.opdrachten if o.verhaal == "simone"} == {"3.5", "5.1", "6.1"}
    assert {o.code for o in data.opdrachten if o.verhaal == "hein"} == {"6.4"}


def test_every_instruction_line_is_typed(data: Intervisie) -> None:
    for o in data.opdrachten:
        for regel in o.instructie:
            assert isinstance(regel, (str, Vraag, Kop)), o.code
    assert data.opdracht("4.3").vragen[0] == "Wat kunnen vrijwilligers en professionals samen doen?"
    assert len(data.opdracht("6.4").vragen) == 8


def test_dialoogsessie(data: Intervisie) -> None:
    sessie = data.dialoogsessie
    assert data.opdracht(sessie.opdracht).protocol == "dialoogsessie"
    kolommen = sessie.actietabel.kolommen
    assert [k.id for k in kolommen] == ["actie", "actie_eigenaar", "tijdsplanning"]
    koppen = [k.kop for k in kolommen]
    assert koppen[0].startswith("Actie") and koppen[1].startswith("Actie-eigenaar")
    assert koppen[2] == "Tijdsplanning"
    assert [s.id for s in sessie.stappen] == [
        "casus",
        "stil_opschrijven",
        "ideeenronde",
        "dialoog",
        "meenemen",
        "acties",
        "vastleggen",
    ]
    assert sessie.stap("stil_opschrijven").minuten == 1
    assert {r.id for r in sessie.rollen} == {"leercoach", "inbrenger", "groepsleden"}
    assert sessie.reflectieve_integratie.vragen == [
        "Zijn de ideeën toegepast?",
        "Wat heeft een nieuwe aanpak opgeleverd?",
    ]


# --- faithfulness ----------------------------------------------------------------------------


def test_every_quoted_text_is_in_the_seed(seed: str) -> None:
    bron = normalise(seed)
    raw = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    missing = [
        f"{path}: {text[:80]}" for path, text in quoted_texts(raw) if normalise(text) not in bron
    ]
    assert not missing, "niet letterlijk in de bron:\n" + "\n".join(missing)


def test_headings_match_the_workbook(data: Intervisie, seed: str) -> None:
    werkboek = seed.split("Trainershandleiding")[0]
    kop = re.compile(r"(\d{1,2}\.\d{1,2})\s+(Trainingsopdracht|Praktijkopdracht):")
    gevonden = {(m.group(1), m.group(2).lower()) for m in kop.finditer(werkboek)}
    ons = {
        (o.code, f"{o.soort}sopdracht" if o.soort == "training" else "praktijkopdracht")
        for o in data.opdrachten
    }
    assert ons == gevonden
    bron = normalise(werkboek)
    for o in data.opdrachten:
        soort = "Trainingsopdracht" if o.soort == "training" else "Praktijkopdracht"
        assert normalise(f"{o.code} {soort}: {o.titel}") in bron, o.code


# --- the trainer's manual, row by row ----------------------------------------------------------

# What the workbook prints as rows per meeting, counted in the seed: opening, breaks,
# introductions, assignments and the closing.
ROWS = {1: 11, 2: 8, 3: 11, 4: 8, 5: 6}


def meeting_section(seed: str, nummer: int) -> str:
    """The seed's text of one meeting's table, up to the next meeting (or bijlage 2)."""
    start = seed.index(f" Bijeenkomst {nummer}\n")
    end = seed.find(f" Bijeenkomst {nummer + 1}\n", start)
    return seed[start : end if end > 0 else seed.index("Bijlage 2")]


def test_every_row_of_every_meeting_with_its_times_in_order(data: Intervisie, seed: str) -> None:
    for b in data.trainershandleiding.bijeenkomsten:
        assert len(b.programma) == ROWS[b.nummer], b.nummer
        section = normalise(meeting_section(seed, b.nummer))
        at = 0
        for row in b.programma:
            printed = normalise(" ".join([row.wat, *row.tijd, *row.totaal]))
            found = section.find(printed, at)
            assert found >= at, f"bijeenkomst {b.nummer}: '{printed}' niet (op zijn plaats)"
            at = found + len(printed)
            for note in [*row.bijzonderheden, *row.punten, *row.slot]:
                assert normalise(note) in section, f"bijeenkomst {b.nummer}: {note[:60]}"
        assert b.programma[-1].totaal[-1] in ("3", "3 uur")
        assert [r.wat for r in b.programma].count("Pauze") >= 1
    kinds = {r.wat.split()[0] for b in data.trainershandleiding.bijeenkomsten for r in b.programma}
    assert {"Opening", "Pauze", "Afronding", "Afsluiting", "Introductie", "Plenair"} <= kinds


def test_a_one_word_change_fails_the_check(seed: str) -> None:
    """The verbatim check is not vacuous: change one word of a quoted row and it fails."""
    bron = normalise(seed)
    raw = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    texts = [t for p, t in quoted_texts(raw) if ".trainershandleiding." in p and len(t) > 40]
    assert len(texts) > 40
    for text in texts:
        assert normalise(text) in bron
        words = text.split()
        middle = len(words) // 2
        changed = " ".join([*words[:middle], "kletspot", *words[middle + 1 :]])
        assert normalise(changed) not in bron, text


def test_kennisbron_12_3_keeps_its_source_line(data: Intervisie, seed: str) -> None:
    """ "Bron: Biene (2005)" closes the dialogue/discussion table in the workbook, right after
    its last line; another name or year is not in the seed."""
    d = data.dialoogsessie.dialoog_en_discussie
    bron = normalise(seed)
    assert normalise(f"{d.discussie[-1]} {d.bronregel}") in bron
    assert normalise("Bron: Biene (2006)") not in bron
    assert normalise("Bron: Machielse (2005)") not in bron


def test_running_total_must_not_go_back(tmp_path: Path) -> None:
    raw = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    raw["trainershandleiding"]["bijeenkomsten"][0]["programma"][1]["totaal"] = ["0.05"]
    broken = tmp_path / "intervisie.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="totale tijd loopt terug"):
        load_yaml(broken, Intervisie)
