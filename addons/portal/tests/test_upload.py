# This file is part of the insurance intermediary platform.
"""Uploads are what their bytes say they are, within bounds."""
import io
import zipfile

from PIL import Image

from trytond.modules.portal import upload
from trytond.modules.portal.tests.tools import PlatformTestCase, pdf_bytes
from trytond.tests.test_tryton import with_transaction

HTML = b'<html><body><script>alert(document.cookie)</script></body></html>'


def png():
    output = io.BytesIO()
    Image.new('RGB', (8, 8), 'white').save(output, 'PNG')
    return output.getvalue()


def long_pdf(pages):
    "Return an uncompressed PDF of many pages of text."
    from reportlab.pdfgen import canvas
    output = io.BytesIO()
    document = canvas.Canvas(output, pageCompression=0)
    for page in range(pages):
        for line in range(50):
            document.drawString(40, 800 - line * 15, f"{page} {line} " * 12)
        document.showPage()
    document.save()
    return output.getvalue()


class CountedFile(io.BytesIO):
    "A file that counts the bytes read from it."
    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.read_bytes += len(data)
        return data


def docx(extra=()):
    output = io.BytesIO()
    with zipfile.ZipFile(output, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('[Content_Types].xml', '<Types/>')
        archive.writestr('word/document.xml', '<document/>')
        for name, data in extra:
            archive.writestr(name, data)
    return output.getvalue()


class UploadTestCase(PlatformTestCase):
    "Test the upload checks"
    module = 'portal'

    @with_transaction()
    def test_sound_documents_accepted(self):
        "Real documents pass, named by their type"
        for name, data, mime_type in [
                ('a.pdf', pdf_bytes("Polizza"), 'application/pdf'),
                ('b.bin', png(), 'image/png'),
                ('c.docx', docx(), upload.office_type_of(io.BytesIO(docx())))]:
            with self.subTest(name=name):
                self.assertEqual(upload.check(name, data)[0], mime_type)
        self.assertEqual(upload.check('../x/scan.bin', png())[1], 'scan.png')

    @with_transaction()
    def test_disguised_documents_refused(self):
        "HTML behind a PDF's or a JPEG's first bytes is refused"
        for name, data in [
                ('polizza.pdf', b'%PDF-1.4\n' + HTML),
                ('foto.jpg', b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + HTML),
                ('foto.png', b'\x89PNG\r\n\x1a\n' + HTML),
                ('x.docx', b'PK\x03\x04not a zip'),
                ('page.html', HTML)]:
            with self.subTest(name=name):
                with self.assertRaises(upload.UploadRefused):
                    upload.check(name, data)

    @with_transaction()
    def test_files_checked_where_they_lie(self):
        "A file is checked from its head and structure, not read whole"
        data = long_pdf(200)
        file = CountedFile(data)
        self.assertEqual(upload.check_file('polizza.pdf', file),
            ('application/pdf', 'polizza.pdf'))
        self.assertLess(file.read_bytes, len(data) // 8)
        self.assertEqual(file.tell(), 0)
        for name, data in [
                ('b.bin', png()), ('c.docx', docx())]:
            with self.subTest(name=name):
                self.assertEqual(
                    upload.check_file(name, io.BytesIO(data)),
                    upload.check(name, data))
        with self.assertRaises(upload.UploadRefused):
            upload.check_file('polizza.pdf', io.BytesIO(b'%PDF-1.4\n' + HTML))

    @with_transaction()
    def test_archive_bomb_refused(self):
        "An archive that unpacks to far more than its size is refused"
        bomb = docx([('word/media/zeros.bin', b'\0' * (60 * 1024 * 1024))])
        self.assertLess(len(bomb), 200 * 1024)
        with self.assertRaises(upload.UploadRefused):
            upload.check('relazione.docx', bomb)


del PlatformTestCase
