# This file is part of the insurance intermediary platform.
"""Files sent to the browser: any name, in any script, and never run."""
import unicodedata
from urllib.parse import quote

from flask import Response

# what a file opened in the browser may do: show itself, in the portal's
# own pages at most; an image also runs in a sandbox (the PDF viewer cannot)
INLINE_POLICY = ("default-src 'none'; img-src 'self' data:; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'")
INLINE_TYPES = {'application/pdf', 'image/png', 'image/jpeg'}


def content_disposition(name, inline=False):
    """Return the Content-Disposition of the file name (RFC 6266): an ASCII
    fallback and the name itself encoded in UTF-8 (RFC 5987)."""
    stem, dot, extension = name.rpartition('.')
    if not dot:
        stem, extension = name, ''
    stem = ''.join(c if c.isalnum() or c in '-_ ()' else '_' for c in
        unicodedata.normalize('NFKD', stem).encode('ascii', 'ignore').decode())
    stem = ' '.join(stem.split()).strip('_') or 'file'
    fallback = f'{stem}.{extension}' if extension.isascii() and extension \
        else stem
    kind = 'inline' if inline else 'attachment'
    return (f'{kind}; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(name, safe='')}")


def file_response(data, name, mime_type, inline=False):
    "Return the file, to download or opened in the page when it is safe."
    inline = inline and mime_type in INLINE_TYPES
    response = Response(bytes(data), mimetype=mime_type)
    response.headers['Content-Disposition'] = content_disposition(
        name, inline)
    response.headers['Cache-Control'] = 'private, no-store'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    if inline:
        response.headers['Content-Security-Policy'] = INLINE_POLICY + (
            '' if mime_type == 'application/pdf' else '; sandbox')
        response.headers['X-Frame-Options'] = 'SAMEORIGIN'
    return response
