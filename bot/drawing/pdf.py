"""Writing a `Document` as an A4 PDF with fpdf2: real, selectable text in DejaVu Sans, the
document language Dutch, shaped text (right-to-left names read in order), page numbers."""

from __future__ import annotations

import logging

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from bot.drawing.canvas import rgb, shade
from bot.drawing.document import (
    FAMILY,
    INK,
    LANGUAGE,
    MUTED,
    Alinea,
    Blok,
    Document,
    Kop,
    Punt,
)
from bot.drawing.fonts import bold, drawable, regular

logging.getLogger("fontTools").setLevel(logging.WARNING)
"""fpdf2 subsets fonts with fontTools, which tells every table it touched at INFO."""


class _Pdf(FPDF):
    def __init__(self, doc: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        self.add_font(FAMILY, "", str(regular()))
        self.add_font(FAMILY, "B", str(bold()))
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages()
        self.set_text_shaping(True)  # right-to-left names (Hebrew, Arabic) in reading order

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(
            0,
            5,
            drawable(f"{self.doc.title} · {self.doc.team}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width * 0.75, 5, drawable(self.doc.source)[:140])
        self.cell(width * 0.25, 5, f"Pagina {self.page_no()} van {{nb}}", align="R")


def render(doc: Document) -> bytes:
    """The document as PDF bytes; long lists flow onto as many pages as they need."""
    pdf = _Pdf(doc)
    pdf.set_lang(LANGUAGE)
    pdf.set_title(drawable(f"{doc.title}: {doc.team}"))
    pdf.set_author("Kletspot")
    pdf.set_subject(drawable(doc.source))
    pdf.set_creator("Kletspot")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FAMILY, "B", 18)
    pdf.set_text_color(*INK)
    pdf.multi_cell(width, 8, drawable(doc.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 11)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        width, 6, drawable(f"{doc.team} · {doc.date}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.multi_cell(width, 5, drawable(doc.source), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for block in doc.blocks:
        _block(pdf, block, width)
    return bytes(pdf.output())


def _block(pdf: _Pdf, block: Blok, width: float) -> None:
    if isinstance(block, Kop):
        size = {1: 14, 2: 12}.get(block.level, 11)
        if pdf.will_page_break(size + 12):
            pdf.add_page()
        pdf.ln(3)
        if block.colour:
            y = pdf.get_y()
            pdf.set_fill_color(*rgb(block.colour))
            pdf.set_draw_color(*rgb(shade(block.colour, 0.35)))
            pdf.rect(pdf.l_margin, y + 0.5, 5, size * 0.45, style="DF")
            pdf.set_x(pdf.l_margin + 8)
        pdf.set_font(FAMILY, "B", size)
        pdf.set_text_color(*INK)
        pdf.multi_cell(
            width - (8 if block.colour else 0),
            size * 0.5,
            drawable(block.text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(1.5)
    elif isinstance(block, Punt):
        pdf.set_font(FAMILY, "", 10.5)
        pdf.set_text_color(*INK)
        pdf.cell(5, 5.5, "•")
        pdf.multi_cell(width - 5, 5.5, drawable(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if block.meta:
            pdf.set_x(pdf.l_margin + 5)
            pdf.set_font(FAMILY, "", 8.5)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(
                width - 5, 4.5, drawable(block.meta), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        pdf.ln(1)
    elif isinstance(block, Alinea):
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*(MUTED if block.muted else INK))
        pdf.multi_cell(width, 5, drawable(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    else:
        pdf.set_font(FAMILY, "", 9)
        pdf.set_text_color(*INK)
        widths = block.widths or tuple(1 for _ in block.headers)
        with pdf.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=5,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in block.headers:
                heading.cell(drawable(text))
            for values in block.rows:
                row = table.row()
                for text in values:
                    row.cell(drawable(text))
        pdf.ln(3)
