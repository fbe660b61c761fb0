"""`bronnen`, `hulp eenzaamheid` and the jar's source under an export and a summary."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.conftest import CONTENT, SEEDS, Chat, text_of
from tests.content.test_reflectie_stappenplan import normaliseer


async def test_bronnen_lists_all_five_with_what_they_print(engine: Engine) -> None:
    chat = Chat(engine)
    shown = text_of(await chat.cmd("bronnen"))
    for bron in CONTENT.bronnen.bronnen:
        assert bron.titel in shown and bron.uitgever in shown
    assert "Verhaegen, I., Claeys, J. Deleu, H." in shown and "Jaar: 2021" in shown
    assert "Jaar: niet vermeld in de bron" in shown


async def test_bronnen_for_one_tool(engine: Engine) -> None:
    chat = Chat(engine)
    one = text_of(await chat.cmd("bronnen stappenplan"))
    assert one.startswith("Eenzaamheid op het platteland (toolkit)") and "Resokit" not in one
    assert "https://thomasmore.be/nl/eenzaamheid-op-den-buiten" in one
    assert "Kletspot eenzaamheid" in text_of(await chat.cmd("bronnen kletspot"))
    both = text_of(await chat.cmd("bronnen gesprek"))
    assert "In gesprek over eenzaamheid" in both and "Eenzaam ben je niet alleen" in both
    assert "ken ik niet" in text_of(await chat.cmd("bronnen 🙂" + "x" * 500))


def test_every_content_file_names_a_listed_source() -> None:
    files = {b.bestand for b in CONTENT.bronnen.bronnen}
    assert files == {p.name for p in SEEDS.glob("0*.txt")}
    for name in (
        "kletspot",
        "gedachten",
        "intervisie",
        "reflectievragen",
        "stappenplan",
        "achtergrond",
    ):
        assert getattr(CONTENT, name).bron.bestand in files


def test_citations_are_verbatim() -> None:
    for bron in CONTENT.bronnen.bronnen:
        seed = SEEDS / bron.bestand
        if bron.citeerwijze and seed.exists():
            assert normaliseer(bron.citeerwijze) in normaliseer(seed.read_text(encoding="utf-8"))
        if bron.adres and seed.exists():
            assert bron.adres in seed.read_text(encoding="utf-8")


async def test_hulp_eenzaamheid_gives_3_2_and_3_3(engine: Engine) -> None:
    shown = text_of(await Chat(engine).cmd("hulp eenzaamheid"))
    for id in ("definities", "oorzaken"):
        tekst = CONTENT.achtergrond.tekst(id)
        for blok in tekst.blokken:
            for term in blok.termen:
                assert f"{term.term}: {term.uitleg}" in shown
    assert "§3.2" in shown and "§3.3" in shown
    assert "hulp eenzaamheid" in text_of(await Chat(engine).cmd("hulp"))
    assert "bronnen kletspot" in text_of(await Chat(engine).cmd("hulp kletspot"))


async def test_the_jar_source_under_export_and_summary(engine: Engine) -> None:
    chat = Chat(engine)
    export = (await chat.cmd("punten export"))[0]  # then the same as a PDF
    assert export.attachment is not None
    url = CONTENT.kletspot.bron.url
    assert url is not None
    assert (
        f"Bron: Resokit, Kletspot eenzaamheid (afprintbare kaartjes), {url}"
        in export.attachment.content
    )
    await chat.cmd("kletspot 30 groen")
    summary = text_of((await chat.cmd("stop"))[:1])  # then the PDF
    assert summary.rstrip().endswith(
        f"Bron: Resokit, Kletspot eenzaamheid (afprintbare kaartjes), {url}."
    )
    # Not under each draw.
    assert "Bron:" not in text_of(await chat.cmd("vraag"))
