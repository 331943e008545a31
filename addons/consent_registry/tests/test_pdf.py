# This file is part of the insurance intermediary platform.
import io
import unittest
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.platypus import Paragraph

from trytond.modules.consent_registry import pdf

ITALIAN = ("Ai sensi del Regolamento (UE) 2016/679 i dati sono trattati per "
    "finalità assicurative: perché è così, città, più, però, Nicolò, "
    "ÀÈÌÒÙ, € 1.000,00.\nSeconda riga del primo blocco.\n\n"
    "Il consenso è facoltativo & revocabile <in qualsiasi momento>.")
PERSIAN = ("داده‌های شخصی شما برای اهداف بیمه‌ای پردازش می‌شود.\n\n"
    "شما می‌توانید حقوق خود را اعمال کنید.")
ROWS = [
    ('Nome', 'Nicolò Rossi'),
    ('Indirizzo', 'Via Roma 1, 00100 Roma; Via Milano 22, 20100 Milano'),
    ('Impronta', '2609b83bd4a017c0066c3348aff3fd069c3c349b5f607238eb8e54dd1d'
        '1e3547' * 2),
    ('Vuoto', ''),
    ]


def pages_text(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def font_names(data):
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page['/Resources']['/Font'].values():
            names.add(str(font.get_object()['/BaseFont']))
    return names


def flat(text):
    return ' '.join(text.split())


class PDFTestCase(unittest.TestCase):
    "Test the consent registry's documents"

    def test_italian_text(self):
        "An Italian consent's text extracts as written, in DejaVu Sans"
        data = pdf.consent_pdf("Informativa - v1", ITALIAN, ROWS, ROWS[:1])
        text = flat(' '.join(pages_text(data)))
        for expected in [flat(ITALIAN), 'Nome Nicolò Rossi', 'Vuoto -']:
            self.assertIn(expected, text)
        self.assertTrue({n.split('+')[-1] for n in font_names(data)} >= {
                'DejaVuSans', 'DejaVuSans-Bold'})

    def test_values_printed_as_written(self):
        "A value with markup or an ampersand is printed as typed"
        value = 'Rossi & <b>Figli</b> "S.n.c."'
        data = pdf.consent_pdf("Informativa", ITALIAN, [('Nome', value)], [])
        self.assertIn(flat('Nome ' + value), flat(' '.join(pages_text(data))))

    def test_persian_text(self):
        "A Persian consent is printed in DejaVu Sans, right to left"
        data = pdf.consent_pdf("رضایت‌نامه", PERSIAN, [('نام', 'علی')], ROWS)
        text, = pages_text(data)
        # shaped: the letters in their contextual forms
        self.assertTrue(any('\ufb50' <= c <= '\ufeff' for c in text))
        self.assertIn('DejaVuSans', {
                n.split('+')[-1] for n in font_names(data)})

    def test_subsets_of_each_document(self):
        """Documents meeting the same letters in another order each print
        their own text"""
        first = pdf.consent_pdf("A", "è ñ ü ß", ROWS, ROWS)
        second = pdf.consent_pdf("A", "ß ü ñ è", ROWS, ROWS)
        self.assertIn('è ñ ü ß', pages_text(first)[0])
        self.assertIn('ß ü ñ è', pages_text(second)[0])
        self.assertEqual(first, pdf.consent_pdf("A", "è ñ ü ß", ROWS, ROWS))

    def test_long_document(self):
        "A long text and its tables go on over pages, nothing lost"
        blocks = [f"Blocco {n}. " + ITALIAN for n in range(40)]
        rows = [(f"Voce {n}", f"Valore {n}") for n in range(80)]
        data = pdf.consent_pdf("Lungo", '\n\n'.join(blocks), rows, rows)
        pages = pages_text(data)
        self.assertGreater(len(pages), 4)
        text = flat(' '.join(pages))
        for block in blocks:
            self.assertIn(flat(block), text)
        positions = [text.index(f'Voce {n} Valore {n} ') for n in range(80)]
        self.assertEqual(positions, sorted(positions))

    def test_lines_broken_as_paragraph(self):
        "Text breaks lines where reportlab's Paragraph breaks them"
        styles = pdf._styles()
        for text in [ITALIAN.replace('\n', ' '), 'x' * 300, 'a b ' * 80,
                ROWS[2][1], 'Nicolò']:
            for style in ['body', 'cell', 'title']:
                for width in [40, 120.5, 339, 481.9]:
                    self.assertEqual(
                        pdf.Text([text], styles[style]).wrap(width, 1e6),
                        Paragraph(escape(text), styles[style]).wrap(
                            width, 1e6), (text, style, width))
