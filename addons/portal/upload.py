# This file is part of the insurance intermediary platform.
"""The checks of every file people upload: its type comes from its bytes,
never from its name, and the document must be what it says it is.

A PDF must open as a PDF with pages; an image must decode as an image; a
DOCX or XLSX must be an Office archive holding its main part, within
bounds of size and expansion (a small archive that unpacks to gigabytes is
refused). ``[portal] max_upload_size`` bounds every file (20 MB).

The checks read a file where it lies (the temporary file the request was
spooled to): its type from its head, then only what the structure check
needs (a PDF's cross-reference and page tree, an archive's directory),
never the whole file into memory.
"""
import io
import os
import zipfile

import puremagic
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from trytond import config
from trytond.exceptions import UserError
from trytond.i18n import gettext

MIME_TYPES = {
    'application/pdf': 'pdf',
    'image/jpeg': 'jpg',
    'image/png': 'png',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
        'docx',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
        'xlsx',
    }
# the part each Office Open XML document must hold
OOXML_PARTS = {
    'docx': 'word/document.xml',
    'xlsx': 'xl/workbook.xml',
    }
DEFAULT_MAX_SIZE = 20 * 1024 * 1024
# an archive may unpack to this many times its size, and this much at most
MAX_EXPANSION = 100
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 10000
# the bytes the type is sniffed from
HEAD_BYTES = 64 * 1024
PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError)


class UploadRefused(UserError):
    pass


def max_size():
    return config.getint('portal', 'max_upload_size', default=config.getint(
            'insurance_ticket', 'max_attachment_size',
            default=DEFAULT_MAX_SIZE))


def check(name, data, types=None):
    """Return the MIME type of the uploaded bytes and a safe name for them,
    or raise UploadRefused with a message naming the file; ``types`` limits
    the accepted MIME types."""
    return check_file(name, io.BytesIO(data), types)


def check_file(name, file, types=None):
    """Return the MIME type and a safe name of an uploaded file (a seekable
    binary file), as ``check`` does for bytes; the file is left at its
    start."""
    limit = max_size()
    if size_of(file) > limit:
        raise UploadRefused(gettext('portal.msg_upload_too_large',
                name=name, size=limit // (1024 * 1024)))
    mime_type = sniff_file(file)
    if not mime_type or (types and mime_type not in types):
        raise UploadRefused(gettext('portal.msg_upload_type', name=name))
    if not sound_file(mime_type, file):
        raise UploadRefused(gettext('portal.msg_upload_damaged', name=name))
    file.seek(0)
    return mime_type, safe_name(name, MIME_TYPES[mime_type])


def size_of(file):
    return file.seek(0, os.SEEK_END)


def sniff_file(file):
    "Return the accepted MIME type the file's head says, or None."
    file.seek(0)
    head = file.read(HEAD_BYTES)
    try:
        mime_type = puremagic.from_string(head, mime=True)
    except (puremagic.PureError, ValueError):
        return None
    if MIME_TYPES.get(mime_type) in OOXML_PARTS or head[:4] == b'PK\x03\x04':
        return office_type_of(file)
    return mime_type if mime_type in MIME_TYPES else None


def office_type_of(file):
    "Return the MIME type of an Office archive file by its main part."
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    for extension, part in OOXML_PARTS.items():
        if part in names:
            return next(m for m, e in MIME_TYPES.items() if e == extension)
    return None


def sound_file(mime_type, file):
    "Tell whether the document file opens as its type says, within bounds."
    extension = MIME_TYPES[mime_type]
    try:
        file.seek(0)
        if extension == 'pdf':
            return sound_pdf(file)
        if extension in {'jpg', 'png'}:
            with Image.open(file) as image:
                image.verify()
            return True
        return sound_archive(file)
    except (PyPdfError, UnidentifiedImageError, zipfile.BadZipFile,
            OSError, ValueError, KeyError, TypeError, AttributeError,
            SyntaxError):
        return False


def sound_pdf(file):
    """Tell whether the PDF has pages: read strictly first (quick), then as
    lenient readers do when it is not quite right."""
    try:
        return has_pages(PdfReader(file, strict=True))
    except PDF_ERRORS:
        file.seek(0)
        return has_pages(PdfReader(file, strict=False))


def has_pages(reader):
    """Tell whether the PDF's page tree counts pages and its first page
    resolves (from the cross-reference, without reading every page)."""
    pages = reader.trailer['/Root']['/Pages']
    kids = pages['/Kids']
    return (int(pages['/Count']) > 0 and len(kids) > 0
        and hasattr(kids[0].get_object(), 'keys'))


def sound_archive(file):
    "Tell whether the archive unpacks within bounds, every member sound."
    size = size_of(file)
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        if (len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED
                or unpacked > MAX_EXPANSION * max(size, 1)):
            return False
        return archive.testzip() is None


def safe_name(name, extension):
    "Return the name without paths or odd characters, with its type."
    name = name.replace('\\', '/').rsplit('/', 1)[-1]
    stem = name.rsplit('.', 1)[0] if '.' in name else name
    stem = ''.join(
        c if c.isalnum() or c in '-_ ' else '_' for c in stem).strip()
    stem = ' '.join(stem.split())[:80] or 'file'
    return f'{stem}.{extension}'
