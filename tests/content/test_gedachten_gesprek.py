"""gedachten.yaml and gesprek.yaml: they load, have the source's counts, and quote it verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from content.loader import CONTENT_DIR, ContentError, load_yaml
from content.schemas.gedachten import Gedachten
from content.schemas.gesprek import Gesprek
from tests.conftest import SEEDS

KAART = "004_7f0666c99cddcd47.txt"
WERKBOEK = "003_cdbb5d6da5aa80d7.txt"

# Keys whose values are our own labels, not quotes from the source.
EIGEN_VELDEN = {"id", "notitie", "url", "soort", "bron", "onderwerp", "letter", "bestand"}

# Texts that legitimately differ from the PDF extraction at one spot; each fragment must be
# found verbatim. Keys are the texts exactly as in the YAML.
FRAGMENTEN: dict[str, list[str]] = {
    # PDF text has "omgeving.Start" (a lost line break) inside one bullet.
    "Zorg voor een vertrouwde, veilige omgeving. Start met een open vraag: Hoe gaat het met u?": [
        "Zorg voor een vertrouwde, veilige omgeving.",
        "Start met een open vraag: Hoe gaat het met u?",
    ],
    # PDF text has a stray hyphen: "erkent en -zelf graag".
    "Vervolgens is het de vraag of deze persoon de situatie ook erkent en zelf graag verandering "
    "zou willen zien. Zie onderstaande tips voor een eerste gesprek.": [
        "Vervolgens is het de vraag of deze persoon de situatie ook erkent en",
        "zelf graag verandering zou willen zien. Zie onderstaande tips voor een eerste gesprek.",
    ],
}

BULLETS = re.compile(r"[•−▪■●◦]")


def normaliseer(text: str) -> str:
    """Lowercase, drop bullets, collapse whitespace, undo "bemoei- zuchtig" line-break hyphens."""
    text = BULLETS.sub(" ", text.lower())
    text = " ".join(text.split())
    return " ".join(text.replace("- ", "").split())


@pytest.fixture(scope="module")
def gedachten() -> Gedachten:
    return load_yaml(CONTENT_DIR / "gedachten.yaml", Gedachten)


@pytest.fixture(scope="module")
def gesprek() -> Gesprek:
    return load_yaml(CONTENT_DIR / "gesprek.yaml", Gesprek)


def _seed(name: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"brondocumenten niet gevonden in {SEEDS}")
    return normaliseer((SEEDS / name).read_text(encoding="utf-8"))


def _teksten(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every quoted string in a dumped model, with the key it sits under."""
    if key in EIGEN_VELDEN:
        return
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _teksten(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _teksten(item, key)


def _ontbrekend(teksten: Iterator[tuple[str, str]], seed: str) -> list[str]:
    missing = []
    for key, text in teksten:
        for fragment in FRAGMENTEN.get(text, [text]):
            if normaliseer(fragment) not in seed:
                missing.append(f"{key}: {fragment}")
    return missing


# --- gedachten ----------------------------------------------------------------------------


def test_gedachten_counts(gedachten: Gedachten) -> None:
    assert len(gedachten.belemmerend.gedachten) == 9
    assert len(gedachten.helpend.gedachten) == 10
    assert gedachten.belemmerend.aanvulbaar and gedachten.helpend.aanvulbaar
    assert gedachten.belemmerend.instructie.endswith("Kies er één uit.")
    assert gedachten.helpend.instructie.startswith("Om schroom te overwinnen")
    assert "reminder" in gedachten.reminder


def test_gedachten_ids_unique_and_stable(gedachten: Gedachten) -> None:
    ids = [g.id for g in gedachten.alle()]
    assert len(ids) == len(set(ids))
    assert ids == [f"b{i}" for i in range(1, 10)] + [f"h{i}" for i in range(1, 11)]
    assert gedachten.gedachte("h2").tekst == "Ik hoef het niet op te lossen."


def test_gedachten_bron(gedachten: Gedachten) -> None:
    assert gedachten.bron.bestand == KAART


def test_gedachten_verbatim(gedachten: Gedachten) -> None:
    seed = _seed(KAART)
    dump = gedachten.model_dump()
    dump.pop("bron")
    assert _ontbrekend(_teksten(dump), seed) == []


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((CONTENT_DIR / "gedachten.yaml").read_text(encoding="utf-8"))
    raw["helpend"]["gedachten"][0]["tekts"] = "typo"
    broken = tmp_path / "gedachten.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="gedachten.yaml: helpend.gedachten"):
        load_yaml(broken, Gedachten)


def test_duplicate_gedachte_id_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load((CONTENT_DIR / "gedachten.yaml").read_text(encoding="utf-8"))
    raw["helpend"]["gedachten"][1]["id"] = "h1"
    broken = tmp_path / "gedachten.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="dubbele ids"):
        load_yaml(broken, Gedachten)


# --- gesprek: de kaart ---------------------------------------------------------------------


def test_kaart_stappen(gesprek: Gesprek) -> None:
    kaart = gesprek.kaart
    assert [s.nummer for s in kaart.stappen] == [1, 2, 3, 4, 5]
    assert [s.titel for s in kaart.stappen] == [
        "Essentiële basishouding",
        "Speelt eenzaamheid? En zo ja, hoe dan?",
        "Een gesprek van waarde",
        "Komen er wensen en ideeën op?",
        "Terugblik",
    ]
    assert [len(s.tips) for s in kaart.stappen] == [2, 2, 2, 2, 2]
    assert kaart.stap(1).tips[0].tekst == "Neem een rustige, open luisterhouding aan."
    assert kaart.stap(2).tips[1].tekst.startswith("Oordeel niet.")


def test_kaart_onderdelen(gesprek: Gesprek) -> None:
    kaart = gesprek.kaart
    assert [o.titel for o in kaart.oefeningen()] == [
        "Contact maken met jezelf",
        "Zicht krijgen op belemmerende en helpende gedachten",
        "Voer een gesprek van waarde",
    ]
    fasen = kaart.stap(2).onderdelen
    assert [o.nummer for o in fasen] == [1, 2, 3]
    assert [len(o.vragen) for o in fasen] == [3, 10, 2]
    assert [o.nummer for o in kaart.stap(4).onderdelen] == [1, 2, 3]
    ideeen = [o for o in kaart.stap(3).onderdelen if o.soort == "ideeen"]
    assert len(ideeen) == 1 and len(ideeen[0].suggesties) == 5


def test_kaart_gesprek_van_waarde(gesprek: Gesprek) -> None:
    gebieden = gesprek.kaart.levensgebieden()
    assert [g.naam for g in gebieden] == ["Hart", "Ziel", "Lichaam", "Hoofd"]
    assert all(len(g.vragen) == 3 for g in gebieden)
    assert "Wat geeft zin aan je leven?" in gebieden[1].vragen


def test_kaart_wensen_schaalvragen_ondersteuning(gesprek: Gesprek) -> None:
    kaart = gesprek.kaart
    assert len(kaart.wensen()) == 7
    schaal = kaart.schaalvragen()
    assert [s.onderwerp for s in schaal] == ["motivatie", "vertrouwen"]
    assert all((s.minimum, s.maximum) == (0, 10) for s in schaal)
    vormen = kaart.stap(4).ondersteuningsvormen
    assert vormen is not None
    assert [v.nummer for v in vormen.vormen] == list(range(1, 8))
    assert len(kaart.terugblikvragen()) == 5


def test_kaart_verbatim(gesprek: Gesprek) -> None:
    seed = _seed(KAART)
    dump = gesprek.kaart.model_dump()
    assert _ontbrekend(_teksten(dump), seed) == []


def test_kaart_meer_weten(gesprek: Gesprek) -> None:
    """The card's "Meer weten?" boxes of steps 1-3 (step 4's is the support forms), verbatim;
    and the check is not vacuous: one word changed and it fails."""
    seed = _seed(KAART)
    boxes = {s.nummer: s.meer_weten for s in gesprek.kaart.stappen if s.meer_weten}
    assert sorted(boxes) == [1, 2, 3]
    titels = [d.titel for d in boxes[2].onderdelen]
    assert titels == [
        "Van mens tot mens",
        "De kunst om aan te sluiten",
        "De werking van reflectief luisteren",
    ]
    assert boxes[2].kop == "Essentiele basishouding"
    assert [len(d.literatuur) for d in boxes[3].onderdelen] == [3]
    texts = [
        t
        for box in boxes.values()
        for d in box.onderdelen
        for t in [*d.tekst, *d.literatuur, *(b.uitleg for b in d.begrippen)]
    ]
    assert len(texts) == 10
    assert _ontbrekend(iter(("meer_weten", t) for t in texts), seed) == []
    for text in texts:
        words = text.split()
        changed = " ".join([*words[: len(words) // 2], "kletspot", *words[len(words) // 2 + 1 :]])
        assert _ontbrekend(iter([("meer_weten", changed)]), seed), text


# --- gesprek: het werkboek -----------------------------------------------------------------


def test_bronnen(gesprek: Gesprek) -> None:
    assert {b.bestand for b in gesprek.bronnen} == {KAART, WERKBOEK}
    assert gesprek.kaart.bron == KAART
    assert gesprek.werkboek.bron == WERKBOEK


def test_werkboek_counts(gesprek: Gesprek) -> None:
    wb = gesprek.werkboek
    assert (len(wb.bespreekbaar_maken.doen), len(wb.bespreekbaar_maken.niet_doen)) == (10, 4)
    assert [v.nummer for v in wb.voorbeeldvragen.vragen] == list(range(1, 9))
    assert len(wb.voorbeeldvragen.vragen[4].deelvragen) == 2
    ids = [v.id for v in wb.terugblikken.vragen]
    assert ids == ["t1", "t2", "t3", "t4", "t5"]
    assert len(ids) == len(set(ids))
    assert wb.terugblikken.niets_vernomen.startswith("Heeft u niets vernomen")


def test_werkboek_verbatim(gesprek: Gesprek) -> None:
    seed = _seed(WERKBOEK)
    dump = gesprek.werkboek.model_dump()
    assert _ontbrekend(_teksten(dump), seed) == []
