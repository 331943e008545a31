# This file is part of the insurance intermediary platform.
"""The checks of every file people upload: its type comes from its bytes,
never from its name, and the document must be what it says it is.

A PDF must open as a PDF with pages; an image must decode as an image; a
DOCX or XLSX must be an Office archive holding its main part, within
bounds of size and expansion (a small archive that unpacks to gigabytes is
refused). ``[portal] max_upload_size`` bounds every file (20 MB).
"""
import io
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
    limit = max_size()
    if len(data) > limit:
        raise UploadRefused(gettext('portal.msg_upload_too_large',
                name=name, size=limit // (1024 * 1024)))
    mime_type = sniff(data)
    if not mime_type or (types and mime_type not in types):
        raise UploadRefused(gettext('portal.msg_upload_type', name=name))
    if not sound(mime_type, data):
        raise UploadRefused(gettext('portal.msg_upload_damaged', name=name))
    return mime_type, safe_name(name, MIME_TYPES[mime_type])


def sniff(data):
    "Return the accepted MIME type the bytes begin as, or None."
    try:
        mime_type = puremagic.from_string(data, mime=True)
    except (puremagic.PureError, ValueError):
        return None
    if MIME_TYPES.get(mime_type) in OOXML_PARTS or data[:4] == b'PK\x03\x04':
        return office_type(data)
    return mime_type if mime_type in MIME_TYPES else None


def office_type(data):
    "Return the MIME type of an Office archive by its main part, or None."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    for extension, part in OOXML_PARTS.items():
        if part in names:
            return next(m for m, e in MIME_TYPES.items() if e == extension)
    return None


def sound(mime_type, data):
    "Tell whether the document opens as its type says, within bounds."
    extension = MIME_TYPES[mime_type]
    try:
        if extension == 'pdf':
            reader = PdfReader(io.BytesIO(data), strict=False)
            return len(reader.pages) > 0
        if extension in {'jpg', 'png'}:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            return True
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if (len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED
                    or unpacked > MAX_EXPANSION * max(len(data), 1)):
                return False
            return archive.testzip() is None
    except (PyPdfError, UnidentifiedImageError, zipfile.BadZipFile,
            OSError, ValueError, KeyError, TypeError, SyntaxError):
        return False


def safe_name(name, extension):
    "Return the name without paths or odd characters, with its type."
    name = name.replace('\\', '/').rsplit('/', 1)[-1]
    stem = name.rsplit('.', 1)[0] if '.' in name else name
    stem = ''.join(
        c if c.isalnum() or c in '-_ ' else '_' for c in stem).strip()
    stem = ' '.join(stem.split())[:80] or 'file'
    return f'{stem}.{extension}'
