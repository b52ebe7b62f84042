"""The award certificate: one A4 landscape page, in the holder's language, that carries the
verification address as text and as a QR code, so anyone holding a copy can check it.

Drawn with fpdf2 (pure Python) in the bundled DejaVu Sans, which has every Welsh letter
(ŵ, ŷ and the rest); the PDF core fonts do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import segno
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from lms.assessment.models import AWARD_TITLE, ISSUER_NAME, Award
from lms.i18n import LOCALES
from lms.privacy.names import award_holder_name

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"

NHS_BLUE = (0, 94, 184)  # #005EB8
BLACK = (33, 43, 50)  # NHS text colour #212B32
WHITE = (255, 255, 255)

PAGE_W, PAGE_H = 297, 210  # A4 landscape, mm
MARGIN = 10  # from the page edge to the border
TEXT_W = 237  # the width the centred text wraps at

# The QR code is drawn as a PNG: this many pixels a module, with the standard quiet zone.
QR_SCALE = 10
QR_BORDER = 4
QR_SIZE = 38  # mm on the page

BAND_H = 24  # the blue band across the top
FOOT_TOP = PAGE_H - MARGIN - QR_SIZE - 8  # the verification block: QR code and address
# The body is centred between the band and the rule above the verification block.
BODY_TOP = MARGIN + BAND_H + 8
BODY_BOTTOM = FOOT_TOP - 10


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` as printed on the certificate (error correction M, so a
    scuffed printout still scans)."""
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_png(url: str) -> bytes:
    buffer = BytesIO()
    qr_code(url).save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def certificate_pdf(award: Award) -> bytes:
    """The award's certificate as PDF bytes, written in the holder's language.

    The same award gives the same text and layout each time; the creation date is the
    date of issue, not the moment the file was drawn.
    """
    language = award.user.language if award.user.language in LOCALES else "en"
    with force_locale(LOCALES[language]):
        pdf = _new_document(award, language)
        _draw_frame(pdf)
        _draw_body(pdf, award)
        _draw_verification(pdf, award)
        return bytes(pdf.output())


def _new_document(award: Award, language: str) -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_lang("cy" if language == "cy" else "en-GB")
    pdf.set_title(_("%(award)s: %(name)s", award=str(AWARD_TITLE), name=award_holder_name(award)))
    pdf.set_author(str(ISSUER_NAME))
    pdf.set_creator(str(ISSUER_NAME))
    pdf.set_subject(_("Award certificate"))
    pdf.set_creation_date(award.issued_at)
    pdf.add_page()
    return pdf


def _draw_frame(pdf: FPDF) -> None:
    """A blue border round the page and a blue band across the top with the issuer."""
    pdf.set_draw_color(*NHS_BLUE)
    pdf.set_line_width(1.5)
    pdf.rect(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN)
    pdf.set_fill_color(*NHS_BLUE)
    pdf.rect(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, BAND_H, style="F")
    pdf.set_text_color(*WHITE)
    pdf.set_font(FONT, "B", 16)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(PAGE_W - 2 * MARGIN, BAND_H, str(ISSUER_NAME), align=Align.C)


@dataclass(frozen=True)
class Line:
    """A centred paragraph of the body, and the space after it."""

    text: str
    size: float
    style: str = ""
    gap: float = 0


def _write(pdf: FPDF, line: Line, dry_run: bool = False) -> float:
    """Write ``line`` centred at the current position; returns its height in mm."""
    pdf.set_font(FONT, line.style, line.size)
    pdf.set_x((PAGE_W - TEXT_W) / 2)
    height = pdf.multi_cell(
        TEXT_W,
        line.size * 0.45,
        line.text,
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        dry_run=dry_run,
        output=MethodReturnValue.HEIGHT,
    )
    if not dry_run:
        pdf.ln(line.gap)
    return height + line.gap


def _name_size(pdf: FPDF, name: str) -> float:
    """The largest size at which the holder's name fits on one line, down to 20pt; past
    that, the largest at which it fits on two lines, down to 12pt."""
    for size in range(34, 19, -2):
        pdf.set_font(FONT, "B", size)
        if pdf.get_string_width(name) <= TEXT_W:
            return size
    for size in range(18, 11, -2):
        pdf.set_font(FONT, "B", size)
        if pdf.get_string_width(name) <= 2 * TEXT_W * 0.9:  # words do not wrap exactly
            return size
    return 12


def _draw_body(pdf: FPDF, award: Award) -> None:
    holder = award_holder_name(award)
    lines = [
        Line(_("This is to certify that"), 16, gap=5),
        Line(holder, _name_size(pdf, holder), "B", gap=5),
        Line(_("has been awarded the"), 16, gap=4),
        Line(str(AWARD_TITLE), 22, "B", gap=6),
        Line(_("Intake: %(intake)s", intake=award.intake.name), 13, gap=2),
        Line(_("Issued on %(date)s", date=format_date(award.issued_at, "long")), 13, gap=1),
    ]
    if award.expires_at is not None:
        lines.append(
            Line(_("Valid until %(date)s", date=format_date(award.expires_at, "long")), 13)
        )
    height = sum(_write(pdf, line, dry_run=True) for line in lines)
    pdf.set_text_color(*BLACK)
    pdf.set_y(BODY_TOP + max(0, (BODY_BOTTOM - BODY_TOP - height) / 2))
    for line in lines:
        _write(pdf, line)


def _draw_verification(pdf: FPDF, award: Award) -> None:
    """The bottom of the page: how to check the award, the address, the code and the QR."""
    url = award.verification_url
    top = FOOT_TOP
    pdf.set_draw_color(*NHS_BLUE)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN + 10, top - 6, PAGE_W - MARGIN - 10, top - 6)
    qr_x = PAGE_W - MARGIN - QR_SIZE - 8
    pdf.image(
        BytesIO(qr_png(url)),
        x=qr_x,
        y=top,
        w=QR_SIZE,
        h=QR_SIZE,
        alt_text=_("QR code of the verification address"),
    )
    left = MARGIN + 10
    width = qr_x - left - 8
    pdf.set_text_color(*BLACK)
    pdf.set_xy(left, top + 6)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        width,
        6,
        _("Scan the code or visit the address to check this award"),
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(left)
    pdf.set_text_color(*NHS_BLUE)
    pdf.multi_cell(width, 6, url, align=Align.L, link=url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(left)
    pdf.set_text_color(*BLACK)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(
        width,
        6,
        _("Verification code: %(code)s", code=award.display_code),
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
