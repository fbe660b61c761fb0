"""PDFs parsed back: pages, text that can be selected, Dutch as the document language."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.drawing import document


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def test_a_team_with_500_points_paginates() -> None:
    blocks: list[document.Blok] = [document.Kop("Groen: Eenzaamheid bij jezelf", 1, "#43a047")]
    blocks += [
        document.Punt(f"Punt nummer {n}: het buurthuis betrekken", "Sam, 2 maart")
        for n in range(500)
    ]
    pdf = read(
        document.render(
            document.Document("Aanknopingspunten", "Team Zuid", "2 maart", "Bron: Resokit", blocks)
        )
    )
    assert len(pdf.pages) > 10
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for n in (0, 250, 499):
        assert f"Punt nummer {n}: het buurthuis betrekken" in text
    assert f"Pagina 1 van {len(pdf.pages)}" in pdf.pages[0].extract_text()
    assert f"Pagina {len(pdf.pages)} van {len(pdf.pages)}" in pdf.pages[-1].extract_text()
    assert "Bron: Resokit" in pdf.pages[-1].extract_text()
    assert pdf.trailer["/Root"]["/Lang"] == "nl"
    assert pdf.metadata is not None and pdf.metadata.title == "Aanknopingspunten: Team Zuid"
    assert (pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height) == (595.28, 841.89)


def test_tables_diacritics_and_emoji() -> None:
    table = document.Tabel(
        ("Nr.", "Actie", "Actie-eigenaar", "Tijdsplanning"),
        (("1", "Koffie met de buren ☕ en Zoë", "Sam", "maart"),),
    )
    pdf = read(
        document.render(
            document.Document(
                "Acties van het team", "Café ‘t Hoekje", "2 maart", "Bron: x", [table]
            )
        )
    )
    text = pdf.pages[0].extract_text()
    assert "Actie-eigenaar" in text and "Koffie met de buren" in text and "Zoë" in text
    assert "Café ‘t Hoekje" in text
    assert len(pdf.pages) == 1


def test_right_to_left_names_keep_their_reading_order() -> None:
    doc = document.Document(
        "Aanknopingspunten",
        "Team",
        "1 december 2026",
        "Bron",
        [
            document.Punt("Bellen met מרים כהן", "door Sam"),
            document.Punt("Koffie met مريم", "door An"),
        ],
    )
    text = PdfReader(io.BytesIO(document.render(doc))).pages[0].extract_text()
    assert "מרים כהן" in text and "مريم" in text
