"""What the distress watcher recognises: tests/distress_corpus.yaml is the specification, plus
the bad input of issue 12 (very long, only emoji, only '112', other scripts) and the rules of
content/signalen.yaml (typos only on long key words, clear errors for a broken file)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.replies import plain_text, rich
from bot.tools.algemeen.signalen import LIMIT, Detector, Signal, detector, help_lines
from content.loader import ContentError, load_yaml
from content.schemas.signalen import Signalen
from tests.conftest import CONTENT, ROOT

CORPUS_FILE = ROOT / "tests" / "distress_corpus.yaml"
SIGNALEN_FILE = ROOT / "content" / "signalen.yaml"


def corpus() -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(CORPUS_FILE.read_text("utf-8"))
    return data


def cases() -> list[Any]:
    return [
        pytest.param(entry, id=f"{group}-{n}")
        for group, entries in corpus().items()
        for n, entry in enumerate(entries)
    ]


def watcher() -> Detector:
    return detector(CONTENT.signalen)


def test_the_corpus_is_as_large_as_the_issue_asks() -> None:
    entries = [e for entries in corpus().values() for e in entries]
    crisis = [e for e in entries if e["expect"] == "crisis"]
    none = [e for e in entries if e["expect"] == "none"]
    assert len(crisis) >= 160 and len(none) >= 160
    assert len({e["text"] for e in entries}) == len(entries), "a sentence is in the corpus twice"
    assert sum(1 for e in crisis if e.get("other")) >= 20
    for entry in entries:
        assert set(entry) <= {"text", "expect", "other"} and entry["expect"] in ("crisis", "none")
        assert not (entry.get("other") and entry["expect"] == "none")


@pytest.mark.parametrize("entry", cases())
def test_every_corpus_sentence_is_classified_right(entry: dict[str, Any]) -> None:
    text = entry["text"]
    found = watcher().check(text)
    why = "\n".join(watcher().explain(text))
    if entry["expect"] == "none":
        assert found is None, why
    else:
        assert found is not None, why
        assert found.kind == ("other" if entry.get("other") else "self"), why


def test_every_text_of_the_tools_themselves_is_not_distress() -> None:
    """The bot's topic is loneliness: none of its own questions and statements may trigger."""

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    texts = [
        text
        for path in sorted(SIGNALEN_FILE.parent.glob("*.yaml"))
        if path.name != "signalen.yaml"
        for text in strings(yaml.safe_load(path.read_text("utf-8")))
    ]
    assert len(texts) > 1000
    assert [t for t in texts if watcher().hits(t)] == []


# --- bad input -----------------------------------------------------------------------------


def test_a_message_of_only_an_emergency_number_gets_the_numbers() -> None:
    assert watcher().check("112") == Signal("self", "noodnummer")
    assert watcher().check("  113? ") is not None
    assert watcher().check("Het noodnummer is 112, toch?") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😭" * 4000,
        "🫠🏳️‍🌈👨‍👩‍👧" * 500,
        "!?." * 3000,
        "a" * 10_000,
        "\n" * 10_000,
        "\u200d\ufe0f" * 3000,
    ],
)
def test_only_emoji_punctuation_or_nothing_is_no_crash_and_no_signal(text: str) -> None:
    assert watcher().check(text) is None


def test_mixed_languages_and_scripts() -> None:
    assert watcher().check("Я устал. ik wil dood. 我很累") == Signal("self", "doodswens")
    assert watcher().check("Я устал, 我很累, ik voel me alleen") is None
    assert watcher().check("honestly I want to die") is not None


def test_the_whole_text_is_read_up_to_the_limit() -> None:
    filler = "Vandaag hebben we een kletspot gedaan over buren en vriendschap. "
    head = filler * (LIMIT // len(filler) - 1)
    assert watcher().check(head + "Ik wil dood.") == Signal("self", "doodswens")
    assert len(head + "Ik wil dood.") <= LIMIT
    # longer texts are refused by the engine; the watcher itself reads no further than the limit
    assert watcher().check(filler * 200 + "Ik wil dood.") is None


@pytest.mark.parametrize(
    "text",
    [
        "ik wil " * 1500,
        "denk " * 2500,
        "zelfmoord training " * 600,
        "ik zie het " * 1000,
        "mijn cliënt zegt dat hij zelfmoord in de film " * 250,
        "zelmord selfmoord zelfmorod " * 400,
        " ".join(f"zelf{n}moord{n}" for n in range(1000)),
        "~ … ^ $ | * " * 900,
    ],
)
def test_long_adversarial_texts_stay_fast(text: str) -> None:
    """No quadratic blow-up: a 10,000-character text takes milliseconds, not seconds."""
    started = time.perf_counter()
    watcher().check(text[:LIMIT])
    assert time.perf_counter() - started < 1.0


# --- the rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("zelfmord", "zelfmoord"),
        ("selfmoord", "zelfmoord"),
        ("zelfmorod", "zelfmoord"),
        ("zelmoord", "zelfmoord"),
        ("zelfmordgedachten", "zelfmoordgedachten"),
        ("suecidaal", "suicidaal"),
        ("afscheidsbief", "afscheidsbrief"),
    ],
)
def test_key_words_are_recognised_with_a_typo(typed: str, meant: str) -> None:
    assert watcher().normaliser.typo(typed) == meant


@pytest.mark.parametrize(
    "word",
    [
        "willen",
        "opvangen",
        "sterren",
        "zelfstandig",
        "zelfzorg",
        "zelfvoorzienend",
        "afscheidsdrankje",
        "overdoses",
        "verdwenen",
        "moord",
        "dood",
        "doos",
    ],
)
def test_other_words_are_not_corrected_into_key_words(word: str) -> None:
    assert watcher().normaliser.typo(word) in (word, "overdosis")  # overdoses: same meaning


def test_spoken_forms_repeated_letters_and_joins_are_normalised() -> None:
    explained = watcher().explain("'k zie 't NIEEEE meer zitten, k wil nimeer 😂 ZELF MOOORD")[0]
    assert explained == "ik zie het niet meer zitten, ik wil niet meer haha zelfmoord"


def test_a_strong_phrase_about_the_writer_is_not_cancelled_by_a_context_word() -> None:
    assert watcher().check("Na de training over suïcidepreventie: ik wil dood.") is not None
    assert watcher().check("We hadden een training over zelfmoord.") is None
    assert watcher().check("Mijn cliënt heeft het in de film over zelfmoord.") is None


def test_the_writer_wins_over_someone_else() -> None:
    found = watcher().check("Mijn broer wil dood. En ik eigenlijk ook, ik wil er niet meer zijn.")
    assert found == Signal("self", "doodswens")


def test_quoted_speech_of_someone_else_is_about_them() -> None:
    assert watcher().check("mijn buurman zei: ik wil dood") == Signal("other", "doodswens")
    assert watcher().check("mijn buurman zei dat ik moest eten, maar ik wil dood") == Signal(
        "self", "doodswens"
    )


# --- help lines ----------------------------------------------------------------------------


def test_help_lines_as_the_services_publish_them() -> None:
    be = plain_text(rich(*help_lines(CONTENT.signalen, "be")))
    assert (
        "Zelfmoordlijn 1813: bel 1813 (dag en nacht, gratis en anoniem; chatten kan 's avonds "
        "via zelfmoord1813.be)" in be
    )
    assert "Tele-Onthaal: bel 106 (dag en nacht" in be and "via tele-onthaal.be" in be
    assert "Noodnummer: bel 112 (bij direct levensgevaar)" in be
    nl = plain_text(rich(*help_lines(CONTENT.signalen, "nl")))
    assert (
        "113 Zelfmoordpreventie: bel 113 of 0800-0113 (dag en nacht, gratis en anoniem; "
        "chatten kan via 113.nl)" in nl
    )
    assert "De Luisterlijn: bel 088 0767 000 (dag en nacht" in nl and "deluisterlijn.nl" in nl
    assert "0800-0113 is gratis" not in nl  # 113 itself is free since October 2025
    assert "Noodnummer: bel 112" in nl and "1813" not in nl


def test_every_help_line_names_its_source_and_when_it_was_checked() -> None:
    for land in CONTENT.signalen.landen:
        assert {line.rol for line in land.hulplijnen} == {"crisis", "praten", "nood"}
        for line in land.hulplijnen:
            assert line.bron.startswith("https://")
            assert line.gecontroleerd.isoformat() == "2026-12-01"


def test_a_bystander_is_told_the_lines_are_for_them_too() -> None:
    be = plain_text(rich(*help_lines(CONTENT.signalen, "be", bystander=True)))
    nl = plain_text(rich(*help_lines(CONTENT.signalen, "nl", bystander=True)))
    assert "zorgen om iemand anders" in be and "Zelfmoordlijn 1813 bellen" in be
    assert "zorgen om iemand anders" in nl and "113 bellen" in nl


# --- a broken file stops the bot with a clear message ---------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("        - wil ~ dood\n", "        - Wil Dóód\n", "kleine letters zonder accenten"),
        ("        - wil ~ dood\n", "        - wil dood ~\n", "moet tussen twee woorden staan"),
        ("        - wil ~ dood\n", "        - wil $ dood\n", "mag alleen achteraan staan"),
        ("    - naam: engels\n", "    - naam: doodswens\n", "dubbele familienamen"),
        (
            "      geldt_voor: [hopeloosheid, afscheid]\n",
            "      geldt_voor: [hopeloos]\n",
            "onbekende families: hopeloos",
        ),
        ("    - suicide\n", "    - dood\n", "minstens 6 letters"),
        ("    nie: niet\n", "    'n ie': niet\n", "één woord"),
        ("        rol: praten\n", "        rol: crisis\n", "precies één hulplijn met rol"),
        ("        gecontroleerd: 2026-12-01\n", "        gecontroleerd: ooit\n", "gecontroleerd"),
        ("  - code: nl\n", "  - code: fr\n", "landen"),
    ],
)
def test_a_broken_signalen_file_is_refused_at_start_with_a_clear_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    source = SIGNALEN_FILE.read_text("utf-8")
    assert old in source
    broken = tmp_path / "signalen.yaml"
    broken.write_text(source.replace(old, new, 1), "utf-8")
    with pytest.raises(ContentError, match=message):
        load_yaml(broken, Signalen)
