# This file is part of the insurance intermediary platform.
"""The platform's seal, checked by tools no one here wrote: poppler's
pdfsig and pyHanko's command line, against the demo CA and its TSA."""
import io
import re
import unittest

from reportlab.pdfgen import canvas

from trytond import config
from trytond.modules.portal import seal

from .tools import configure_seal, flip_byte, pdfsig, pyhanko_validate


def page(text="Polizza"):
    output = io.BytesIO()
    document = canvas.Canvas(output)
    document.drawString(72, 720, text)
    document.save()
    return output.getvalue()


def _literal(text):
    "Return the bytes of a PDF literal string's escaped content."
    return re.sub(rb'\\([0-7]{1,3}|.)', lambda m: bytes([int(m.group(1), 8)])
        if m.group(1)[:1].isdigit() else m.group(1), text)


def stamp_texts(data):
    "Return the texts the stamp's appearance carries (its /ActualText)."
    texts = []
    for text in re.findall(rb'/ActualText \(((?:[^\\)]|\\.)*)\)', data):
        raw = _literal(text)
        texts.append(raw[2:].decode('utf-16-be')
            if raw.startswith(b'\xfe\xff') else raw.decode('latin-1'))
    for text in re.findall(rb'/ActualText <([0-9a-fA-F]+)>', data):
        texts.append(bytes.fromhex(text.decode())[2:].decode('utf-16-be'))
    return texts


class SealTestCase(unittest.TestCase):
    "The platform's seal on a PDF"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        configure_seal()

    def test_sealed_pdf_passes_the_tools(self):
        "A sealed PDF is valid for pdfsig and pyHanko, timestamped (B-T)"
        data = seal.seal(page(), reason="Prova", location="Roma",
            language='it')
        valid, report = pdfsig(data)
        self.assertTrue(valid, report)
        self.assertIn('ETSI.CAdES.detached', report)
        valid, report = pyhanko_validate(data)
        self.assertTrue(valid, report)
        result = seal.verify(data)
        self.assertTrue(result.ok, str(result))
        self.assertTrue(result.timestamped)
        self.assertIn('Sportello Assicurativo', result.signer)

    def test_one_byte_changed_fails(self):
        "One byte changed after sealing fails pdfsig, pyHanko and verify"
        data = flip_byte(seal.seal(page(), reason="Prova", location="Roma",
                language='it'))
        valid, report = pdfsig(data)
        self.assertFalse(valid, report)
        self.assertIn('Digest Mismatch', report)
        valid, report = pyhanko_validate(data)
        self.assertFalse(valid, report)
        result = seal.verify(data)
        self.assertFalse(result.ok)
        self.assertFalse(result.intact)

    def test_without_tsa_b_b(self):
        "Without a time-stamping authority the seal is B-B"
        url = config.get('seal', 'tsa_url')
        config.set('seal', 'tsa_url', '')
        try:
            data = seal.seal(page(), reason="Prova", location="Roma",
                language='it')
        finally:
            config.set('seal', 'tsa_url', url)
        self.assertTrue(pdfsig(data)[0])
        result = seal.verify(data)
        self.assertTrue(result.ok, str(result))
        self.assertFalse(result.timestamped)

    def test_stamp_names_platform_and_time(self):
        "The stamp names the platform and the local time, Persian too"
        italian = seal.seal(page(), reason="Prova", location="Roma",
            language='it')
        texts = ' '.join(stamp_texts(italian))
        self.assertIn('Sigillo elettronico di Sportello Assicurativo', texts)
        self.assertRegex(texts, r'Sigillato il \d\d/\d\d/\d{4} \d\d:\d\d:\d\d'
            r' Europe/Rome \(CES?T\)')
        persian = seal.seal(page(), reason="Prova", location="Roma",
            language='fa')
        texts = ' '.join(stamp_texts(persian))
        # shaped for display: the letters are Arabic presentation forms
        self.assertRegex(texts, '[\ufb50-\ufeff]')
        self.assertRegex(texts, '[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}')
        self.assertTrue(pdfsig(persian)[0])

    def test_unsealed_and_damaged(self):
        "An unsealed PDF is reported so; a damaged one fails"
        self.assertFalse(seal.verify(page()).sealed)
        self.assertFalse(seal.verify(page()).ok)
        result = seal.verify(b'%PDF-1.7 garbage')
        self.assertFalse(result.ok)
