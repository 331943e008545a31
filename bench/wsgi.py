"""The application bench/run.py serves: the platform's, plus the upload
floor at ``/bench/upload``.

The floor exists only here: deployments serve
``trytond.modules.portal.web.wsgi:app``, which has no such route. It parses
the multipart body as the portal does (werkzeug spools each file to a
temporary file), then streams each file to a file beside the database
folder while hashing it (SHA-256), syncs it to disk and removes it: the
least any upload of those bytes costs. It answers 200 with the hashes.
"""
import os
import uuid

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Request, Response

from trytond import config
from trytond.modules.portal.web.wsgi import app as platform
# after the platform: its file store is configured by then
from trytond.modules.portal.filestore import remove, write_stream  # noqa: E402,I001

MAX_BYTES = 100 * 1024 * 1024


def stream_to_disk(stream, folder):
    """Write the stream to a new file of the folder as the store writes an
    upload (by chunks, hashed, synced), then remove it; return its hash."""
    filename = os.path.join(folder, uuid.uuid4().hex)
    try:
        sha256, _ = write_stream(filename, stream)
    finally:
        remove(filename)
    return sha256


@Request.application
def upload_floor(request):
    if request.method != 'POST':
        return Response(status=405)
    request.max_content_length = MAX_BYTES
    folder = os.path.join(config.get('database', 'path'), 'bench-floor')
    os.makedirs(folder, exist_ok=True)
    digests = [stream_to_disk(file.stream, folder)
        for file in request.files.values()]
    return Response('\n'.join(digests), mimetype='text/plain')


app = DispatcherMiddleware(platform, {'/bench/upload': upload_floor})
