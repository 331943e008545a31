# This file is part of the insurance intermediary platform.
"""The platform's secret key: it signs the portal's cookies and the tokens
the platform hands out (reply addresses). ``[portal] secret_key``, or a key
made once and kept beside the databases (readable by the server only)."""
import hashlib
import hmac
import os
import secrets
from functools import cache

from trytond import config


@cache
def secret_key():
    "Return the configured key, or the one kept beside the databases."
    key = config.get('portal', 'secret_key')
    if key:
        return key
    path = os.path.join(config.get('database', 'path'), 'portal-secret.key')
    if not os.path.exists(path):
        try:
            descriptor = os.open(
                path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, 'w') as file:
                file.write(secrets.token_hex(32))
    with open(path) as file:
        return file.read().strip()


def signature(purpose, *values, length=20):
    "Return a short keyed digest of the values for the purpose."
    message = '\x1f'.join([purpose, *map(str, values)]).encode()
    digest = hmac.new(secret_key().encode(), message, hashlib.sha256)
    return digest.hexdigest()[:length]
