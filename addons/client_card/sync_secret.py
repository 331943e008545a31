# This file is part of the insurance intermediary platform.
"""The credentials of the synchronisation targets, encrypted at rest.

A target's secret (the webhook's signing key, the CardDAV password) is
stored encrypted with AES-GCM under a key derived from the platform's
secret key, or is not stored at all and read from the configuration
(``[client_card] <reference>``). No group reads either."""
import base64
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from trytond import config
from trytond.modules.portal.keys import secret_key

PURPOSE = b'client_card.sync.target'


def _key():
    return hashlib.sha256(PURPOSE + b'\x1f' + secret_key().encode()).digest()


def encrypt(text):
    "Return the text encrypted, as ASCII."
    if not text:
        return None
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, text.encode(), PURPOSE)
    return base64.b64encode(nonce + sealed).decode()


def decrypt(token):
    "Return the text of an encrypted token."
    if not token:
        return None
    raw = base64.b64decode(token)
    return AESGCM(_key()).decrypt(raw[:12], raw[12:], PURPOSE).decode()


def configured(reference):
    "Return the secret the configuration names reference."
    if not reference:
        return None
    return config.get('client_card', reference)
