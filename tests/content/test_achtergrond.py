"""achtergrond.yaml: the workbook's background paragraphs (seed 003), verbatim and complete."""

from __future__ import annotations

import pytest

from content.loader import CONTENT_DIR, load_yaml
from content.schemas.achtergrond import Achtergrond
from tests.conftest import SEEDS
from tests.content.test_reflectie_stappenplan import normaliseer, teksten

SEED = SEEDS / "003_cdbb5d6da5aa80d7.txt"
# Our own words: ids, the assignment codes, the button labels of the card.
NOT_QUOTED = {"id", "bij", "kort", "bestand", "uitgever", "titel", "genummerd", "paragraaf"}


@pytest.fixture(scope="module")
def data() -> Achtergrond:
    return load_yaml(CONTENT_DIR / "achtergrond.yaml", Achtergrond)


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.is_file():
        pytest.skip(f"bron ontbreekt: {SEED}")
    return normaliseer(SEED.read_text(encoding="utf-8"))


def test_every_text_is_in_the_workbook(data: Achtergrond, seed: str) -> None:
    dumped = data.model_dump()
    missing = []
    for path, text in teksten({k: v for k, v in dumped.items() if k != "bron"}):
        if path.rsplit(".", 1)[-1] in NOT_QUOTED:
            continue
        if normaliseer(text) not in seed:
            missing.append(f"{path}: {text[:80]}")
    assert not missing, "niet letterlijk in de bron:\n" + "\n".join(missing)


def test_titles_are_the_workbooks_headings(data: Achtergrond, seed: str) -> None:
    for tekst in data.teksten:
        heading = (
            f"{tekst.paragraaf} {tekst.titel}"
            if tekst.paragraaf[:2] != "12"
            else f"kennisbron {tekst.paragraaf} {tekst.titel}"
        )
        assert normaliseer(heading) in seed, heading


def test_what_the_issue_asked_for(data: Achtergrond) -> None:
    assert [t.paragraaf for t in data.teksten] == [
        "3.2",
        "3.3",
        "6.3",
        "6.5",
        "11.1",
        "12.4",
        "12.5",
        "11.5",
    ]
    assert len(data.tekst("weerstand").blok("tips").punten) == 7
    vragen = data.tekst("vragen_stellen")
    assert sum(len(vragen.blok(k).punten) for k in ("actie", "doel", "realiteit", "optie")) == 23
    assert [len(b.punten) for b in data.tekst("feedback").blokken if b.punten] == [5, 5]
    assert len(data.verwijskaart.vakken) == 6
    assert {t.id for t in data.bij("3.5")} == {"definities", "oorzaken"}
    assert [t.id for t in data.bij("6.4")] == ["schroom"]
    assert [t.id for t in data.bij("11.3")] == ["verwijskaart"]
    for code in ("8.2", "9.1", "9.2"):
        assert [t.id for t in data.bij(code)] == ["vragen_stellen"]


def test_a_block_holds_one_kind() -> None:
    from pydantic import ValidationError

    from content.schemas.achtergrond import Blok

    with pytest.raises(ValidationError):
        Blok(alinea="a", punten=["b"])
    with pytest.raises(ValidationError):
        Blok(kop="alleen een kop")
