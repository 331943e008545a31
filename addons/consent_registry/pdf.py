# This file is part of the insurance intermediary platform.
"""PDF documents of the consent registry, drawn with reportlab."""
import io
import os
import re

import logging
from functools import cache, lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import (
    CondPageBreak, Flowable, KeepTogether, Paragraph, SimpleDocTemplate,
    Spacer)

from .fonts import CachedTTFont

try:
    import arabic_reshaper
    from bidi import get_display
except ImportError:
    arabic_reshaper = get_display = None

logger = logging.getLogger(__name__)
ARABIC_SCRIPT = re.compile('[\u0600-\u06ff]')
FONT_FOLDER = '/usr/share/fonts/truetype/dejavu'
TEXT_WIDTH = 170 * mm
MAX_HEIGHT = 2 ** 30


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
        pdfmetrics.registerFont(CachedTTFont('DejaVuSans', regular))
        pdfmetrics.registerFont(CachedTTFont('DejaVuSans-Bold', bold))
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


class Text(Flowable):
    """Lines of plain text in a paragraph style, laid out and drawn as a
    Paragraph of them is, without its markup machinery: each line is
    broken as a Paragraph breaks it (once a text, style and width: the form
    texts and the labels come back in every document), then drawn as a
    Paragraph draws the lines it broke. Left, centred or right aligned."""

    def __init__(self, lines, style, broken=None):
        super().__init__()
        self.lines = lines
        self.style = style
        self._broken = broken

    def wrap(self, availWidth, availHeight):
        if self._broken is None or self._broken[0] != availWidth:
            self._broken = (availWidth, [b for line in self.lines
                    for b in _broken(line, self.style, availWidth)])
        self.width = availWidth
        self.height = len(self._broken[1]) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        "Split between lines; a first part of one line alone moves on."
        self.wrap(availWidth, availHeight)
        lines = self._broken[1]
        count = int(availHeight / self.style.leading)
        if count <= 1:
            return []
        if count >= len(lines):
            return [self]
        return [self._part(lines[:count]), self._part(lines[count:])]

    def _part(self, broken):
        return Text([line for _, line, _ in broken], self.style,
            (self._broken[0], broken))

    def draw(self):
        if not self._broken[1]:
            return
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.style.textColor)
        canvas.drawText(self.text_object(canvas, 0, 0))
        canvas.restoreState()

    def text_object(self, canvas, x, y):
        "Return a text object of the lines, the flowable's origin at x, y."
        style = self.style
        text = canvas.beginText(
            x + style.leftIndent, y + self.height - style.fontSize)
        text.setFont(style.fontName, style.fontSize, style.leading)
        shift = ALIGNMENTS[style.alignment]
        offset = style.firstLineIndent
        for extra, line, spaces in self._broken[1]:
            if extra > -1e-8 or spaces <= 0:
                _line_out(text, offset + shift * extra, line)
            else:
                # a line a little too long: its spaces shrink to fit
                text.setWordSpace(extra / spaces)
                _line_out(text, offset, line)
                text.setWordSpace(0)
            offset = 0
        return text


ALIGNMENTS = {TA_LEFT: 0, TA_CENTER: 0.5, TA_RIGHT: 1}


def _line_out(text, offset, line):
    "Write a line offset from the start of lines, as Paragraph does."
    if abs(offset) > 1e-6:
        text.setXPos(offset)
    text.textLine(line)
    if abs(offset) > 1e-6:
        text.setXPos(-offset)


@lru_cache(maxsize=4096)
def _broken(line, style, width):
    """Return the lines a Paragraph of one line of text breaks into, for
    the width: (extra space, text, number of spaces)."""
    line = ' '.join(line.split())
    if not line:
        return ((width, '', 0),)
    paragraph = Paragraph(
        '', style, frags=[_fragment(style).clone(text=line)])
    paragraph.wrap(width, MAX_HEIGHT)
    return tuple((extra, ' '.join(words),
            len(words) + sum(w.count('\xa0') for w in words) - 1)
        for extra, words in paragraph.blPara.lines)


@cache
def _fragment(style):
    "Return the fragment the markup parser makes of a text in the style."
    return Paragraph('-', style).frags[0]


def _paragraphs(text, style):
    "Return one paragraph per block of the text, line breaks kept."
    if is_rtl(text):
        return _rtl_paragraphs(text, style)
    return [Text(block.split('\n'), style)
        for block in text.split('\n\n') if block.strip()]


def _rtl_paragraphs(text, style):
    """Return right-aligned paragraphs of right-to-left text: the lines are
    wrapped in logical order, then each is put in display order."""
    style = _rtl_style(style)
    result = []
    for block in text.split('\n\n'):
        lines = []
        for line in block.split('\n'):
            lines += simpleSplit(arabic_reshaper.reshape(line),
                style.fontName, style.fontSize, TEXT_WIDTH)
        if lines:
            result.append(Text([get_display(l) for l in lines], style))
    return result


@cache
def _rtl_style(style):
    return ParagraphStyle(style.name + '-rtl', parent=style,
        alignment=TA_RIGHT)


def _cell(text, style):
    text = str(text or '-')
    if is_rtl(text):
        return Text([visual(text)], _rtl_style(style))
    return Text([text], style)


def _table(rows, styles):
    return Fields([
            (_cell(label, styles['label']), _cell(value, styles['cell']))
            for label, value in rows], [45 * mm, 125 * mm])


class Fields(Flowable):
    """Labels and their values in rows: the labels shaded, the cells in a
    grey grid, each text at the top of its cell. Laid out, split between
    rows and drawn as reportlab's Table of them is (its default paddings),
    without its general machinery."""
    PADDING = 6, 3  # each side of a cell: horizontal, vertical
    GRID = 0.25, colors.grey
    SHADE = colors.whitesmoke

    def __init__(self, rows, widths):
        super().__init__()
        self.rows = rows
        self.widths = widths
        self.hAlign = 'CENTER'

    def wrap(self, availWidth, availHeight):
        across, down = self.PADDING
        self._heights = [max(
                cell.wrap(width - 2 * across, MAX_HEIGHT)[1]
                for cell, width in zip(row, self.widths)) + 2 * down
            for row in self.rows]
        self.width = sum(self.widths)
        self.height = sum(self._heights)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        count, height = 0, 0
        for row_height in self._heights:
            if height + row_height > availHeight:
                break
            count, height = count + 1, height + row_height
        if not count:
            return []
        if count == len(self.rows):
            return [self]
        return [Fields(self.rows[:count], self.widths),
            Fields(self.rows[count:], self.widths)]

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.SHADE)
        canvas.rect(0, self.height, self.widths[0], -self.height,
            stroke=0, fill=1)
        self._draw_cells()
        self._draw_grid()
        canvas.restoreState()

    def _draw_cells(self):
        "Draw the text of each cell, a text object each."
        canvas = self.canv
        color = None
        across, down = self.PADDING
        top = self.height
        for row, row_height in zip(self.rows, self._heights):
            left = 0
            for cell, width in zip(row, self.widths):
                if cell.style.textColor != color:
                    color = cell.style.textColor
                    canvas.setFillColor(color)
                canvas.drawText(cell.text_object(
                        canvas, left + across, top - down - cell.height))
                left += width
            top -= row_height

    def _draw_grid(self):
        "Draw the grid as Table draws its GRID: box, then inner lines."
        canvas = self.canv
        canvas.saveState()
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        canvas.setStrokeColor(self.GRID[1])
        canvas.setLineWidth(self.GRID[0])
        xs = [sum(self.widths[:n]) for n in range(len(self.widths) + 1)]
        ys = [self.height - sum(self._heights[:n])
            for n in range(len(self._heights) + 1)]
        for y in [ys[0], ys[-1]]:
            canvas.line(xs[0], y, xs[-1], y)
        for x in [xs[0], xs[-1]]:
            canvas.line(x, ys[-1], x, ys[0])
        for y in ys[1:-1]:
            canvas.line(xs[0], y, xs[-1], y)
        for x in xs[1:-1]:
            canvas.line(x, ys[-1], x, ys[0])
        canvas.restoreState()


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
    # The template names itself in its own namespace: without this cycle
    # the document is freed when done, not by the garbage collector, whose
    # full passes over a server's objects cost more than the document.
    document._nameSpace.clear()
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
