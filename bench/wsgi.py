"""The application bench/run.py serves: the platform's, plus the upload
floor at ``/bench/upload``.

The floor exists only here: deployments serve
``trytond.modules.portal.web.wsgi:app``, which has no such route. It parses
the multipart body as the portal does (werkzeug spools each file to a
temporary file), then streams each file to a file beside the database
folder while hashing it (SHA-256), syncs it to disk and removes it: the
least any upload of those bytes costs. It answers 200 with the hashes.
"""
import hashlib
import os
import uuid

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Request, Response

from trytond import config
from trytond.modules.portal.web.wsgi import app as platform

CHUNK = 1024 * 1024
MAX_BYTES = 100 * 1024 * 1024


def stream_to_disk(stream, folder):
    "Copy the stream to a new file of the folder while hashing it."
    digest = hashlib.sha256()
    filename = os.path.join(folder, uuid.uuid4().hex)
    try:
        with open(filename, 'wb') as file:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
    finally:
        os.remove(filename)
    return digest.hexdigest()


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
