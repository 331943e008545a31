# This file is part of the insurance intermediary platform.
"""PDF documents of the consent registry, drawn with reportlab."""
import io
import os
import re

import logging
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import (
    CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
    TableStyle)
from xml.sax.saxutils import escape

try:
    import arabic_reshaper
    from bidi import get_display
except ImportError:
    arabic_reshaper = get_display = None

logger = logging.getLogger(__name__)
ARABIC_SCRIPT = re.compile('[\u0600-\u06ff]')
FONT_FOLDER = '/usr/share/fonts/truetype/dejavu'
TEXT_WIDTH = 170 * mm


def is_rtl(text):
    """Tell whether the text is written in the Arabic script (Persian) and
    can be shaped: without arabic-reshaper and python-bidi it is printed
    as it is stored, and a warning says so."""
    if not ARABIC_SCRIPT.search(text):
        return False
    if arabic_reshaper is None:
        logger.warning("install arabic-reshaper and python-bidi to print "
            "Persian text right to left")
        return False
    return True


def visual(text):
    "Return right-to-left text shaped and in display order."
    return get_display(arabic_reshaper.reshape(text))


def _fonts():
    "Return the regular and bold fonts, Unicode ones when installed."
    regular = os.path.join(FONT_FOLDER, 'DejaVuSans.ttf')
    bold = os.path.join(FONT_FOLDER, 'DejaVuSans-Bold.ttf')
    if not (os.path.exists(regular) and os.path.exists(bold)):
        return 'Helvetica', 'Helvetica-Bold'
    if 'DejaVuSans' not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont('DejaVuSans', regular))
        pdfmetrics.registerFont(TTFont('DejaVuSans-Bold', bold))
    return 'DejaVuSans', 'DejaVuSans-Bold'


@cache
def _styles():
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        'title': ParagraphStyle(
            'title', parent=base['Title'], fontName=bold, fontSize=15),
        'heading': ParagraphStyle(
            'heading', parent=base['Heading2'], fontName=bold, fontSize=12),
        'body': ParagraphStyle(
            'body', parent=base['BodyText'], fontName=regular, fontSize=9.5,
            leading=13),
        'small': ParagraphStyle(
            'small', parent=base['BodyText'], fontName=regular, fontSize=7.5,
            leading=9.5),
        'cell': ParagraphStyle(
            'cell', parent=base['BodyText'], fontName=regular, fontSize=8.5,
            leading=11),
        'label': ParagraphStyle(
            'label', parent=base['BodyText'], fontName=bold, fontSize=8.5,
            leading=11),
        }


def _paragraphs(text, style):
    "Return one paragraph per block of the text, line breaks kept."
    if is_rtl(text):
        return _rtl_paragraphs(text, style)
    return [Paragraph(escape(block).replace('\n', '<br/>'), style)
        for block in text.split('\n\n') if block.strip()]


def _rtl_paragraphs(text, style):
    """Return right-aligned paragraphs of right-to-left text: the lines are
    wrapped in logical order, then each is put in display order."""
    style = ParagraphStyle(style.name + '-rtl', parent=style,
        alignment=TA_RIGHT)
    result = []
    for block in text.split('\n\n'):
        lines = []
        for line in block.split('\n'):
            lines += simpleSplit(arabic_reshaper.reshape(line),
                style.fontName, style.fontSize, TEXT_WIDTH)
        if lines:
            result.append(Paragraph('<br/>'.join(
                        escape(get_display(line)) for line in lines), style))
    return result


def _cell(text, style):
    text = str(text or '-')
    if is_rtl(text):
        return Paragraph(escape(visual(text)), ParagraphStyle(
                style.name + '-rtl', parent=style, alignment=TA_RIGHT))
    return Paragraph(escape(text), style)


def _table(rows, styles):
    data = [[_cell(label, styles['label']), _cell(value, styles['cell'])]
        for label, value in rows]
    table = Table(data, colWidths=[45 * mm, 125 * mm])
    table.setStyle(TableStyle([
                ('GRID', (0, 0), (-1, -1), 0.25, colors.grey),
                ('VALIGN', (0, 0), (-1, -1), 'TOP'),
                ('BACKGROUND', (0, 0), (0, -1), colors.whitesmoke),
                ]))
    return table


def _build(story, title, on_page=None):
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, invariant=True,
        leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=22 * mm if on_page else 18 * mm, bottomMargin=18 * mm)
    if on_page:
        document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    else:
        document.build(story)
    return buffer.getvalue()


def _letterhead(text, page):
    """Return the page callback drawing the letterhead above and the page
    number (page: its label with %(number)s) below."""
    def draw(canvas, document):
        regular, _ = _fonts()
        width, height = document.pagesize
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.grey)
        left, right = document.leftMargin, width - document.rightMargin
        for line_text, y in [(text, height - 12 * mm),
                (page % {'number': document.page}, 10 * mm)]:
            if is_rtl(line_text):
                canvas.drawRightString(right, y, visual(line_text))
            else:
                canvas.drawString(left, y, line_text)
        canvas.line(left, height - 14 * mm, right, height - 14 * mm)
        canvas.restoreState()
    return draw


def letter_pdf(title, rows, paragraphs=(), heading=None):
    """Return a document of one table under its title, then the paragraphs
    under their heading; any script, Persian right to left."""
    styles = _styles()
    story = [_cell(title, styles['title']), _table(rows, styles)]
    if paragraphs and heading:
        story += [Spacer(0, 6 * mm), _cell(heading, styles['heading'])]
    for text in paragraphs:
        story += [Spacer(0, 3 * mm)] + _paragraphs(text, styles['body'])
    return _build(story, title)


def consent_pdf(title, text, party_rows, evidence_rows):
    """Return the PDF of one consent: the form text, the party's data and
    the evidence (validation string, hashes)."""
    styles = _styles()
    story = [_cell(title, styles['title'])]
    story += _paragraphs(text, styles['body'])
    story += [Spacer(0, 6 * mm), _table(party_rows, styles),
        Spacer(0, 4 * mm), _table(evidence_rows, styles)]
    return _build(story, title)


def dossier_pdf(title, party_rows, entries, conclusion, letterhead='',
        page='%(number)s'):
    """Return the dossier: the party's card followed by each consent with
    its form text ("stapled"), ending with the chain check result, each
    page under the letterhead and numbered.

    ``entries`` are (heading, text, evidence rows) tuples; an entry starts
    a page only when little of the page is left."""
    styles = _styles()
    story = [_cell(title, styles['title']), _table(party_rows, styles)]
    for heading, text, rows in entries:
        story += [Spacer(0, 6 * mm), CondPageBreak(80 * mm),
            _cell(heading, styles['heading'])]
        story += _paragraphs(text, styles['body'])
        story += [Spacer(0, 4 * mm), KeepTogether(_table(rows, styles))]
    story += [Spacer(0, 8 * mm)]
    story += _paragraphs(conclusion, styles['heading'])
    return _build(story, title, _letterhead(letterhead, page))
