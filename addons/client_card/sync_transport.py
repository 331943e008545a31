# This file is part of the insurance intermediary platform.
"""How a delivery reaches each kind of target.

- file drop: one file per delivery in the target's folder, written aside
  and renamed, so the management software never reads half a file;
- webhook: a JSON POST signed with HMAC-SHA256 over the timestamp and the
  body (``X-Card-Signature: t=<unix time>,v1=<hex digest>``), with the
  delivery's idempotency key (``Idempotency-Key``), the same on each retry;
- CardDAV: the card as a vCard 3.0 at ``<address book>/<uid>.vcf``,
  created with ``If-None-Match: *``, updated and deleted with
  ``If-Match: <ETag>``; a server copy changed meanwhile is never
  overwritten blindly (the attempt fails and the next knows its ETag).
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request

from .export_columns import headers
from .export_formats import Card, card_uid, vcard, writer

TIMEOUT = 20
SIGNATURE_HEADER = 'X-Card-Signature'


class DeliveryError(Exception):
    pass


class Conflict(DeliveryError):
    "The server's copy is not the one the platform knows."

    def __init__(self, message, etag=None):
        super().__init__(message)
        self.etag = etag


def send(target, delivery, etag=None):
    "Send the delivery to the target; return the new ETag (CardDAV)."
    return SENDERS[target.kind](target, delivery, etag)


def _card(delivery):
    return Card(delivery.party_id)


def sign(secret, timestamp, body):
    "Return the signature of the body sent at timestamp."
    message = str(timestamp).encode() + b'.' + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret, header, body, tolerance=300, now=None):
    "Return whether the signature header is valid for the body."
    parts = dict(p.split('=', 1) for p in header.split(',') if '=' in p)
    try:
        timestamp = int(parts['t'])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get('v1', ''))


def webhook_body(target, delivery):
    values = delivery.values()
    return {
        'event': f'card.{delivery.operation}',
        'idempotency_key': delivery.idempotency_key,
        'delivery': delivery.id,
        'target': target.name,
        'profile': target.profile,
        'card': {
            'id': delivery.party_id,
            'uid': card_uid(_card(delivery)),
            'values': {h.header: values[h.key]
                for h in headers(target.profile) if h.key in values},
            },
        }


def send_webhook(target, delivery, etag):
    body = json.dumps(webhook_body(target, delivery), ensure_ascii=False,
        sort_keys=True).encode('utf-8')
    timestamp = int(time.time())
    request = urllib.request.Request(target.url, data=body, method='POST',
        headers={
            'Content-Type': 'application/json; charset=utf-8',
            'Idempotency-Key': delivery.idempotency_key,
            SIGNATURE_HEADER:
                f't={timestamp},v1={sign(target.credential() or "", timestamp, body)}',
            'User-Agent': 'insurance-platform-card-sync/1',
            })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f'HTTP {error.code} {error.reason}') from error


def _dav_request(target, method, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method,
        headers=dict(headers or {}))
    if target.username:
        token = base64.b64encode(
            f'{target.username}:{target.credential() or ""}'.encode())
        request.add_header('Authorization', 'Basic ' + token.decode())
    return urllib.request.urlopen(request, timeout=TIMEOUT)


def card_url(target, delivery):
    return target.url.rstrip('/') + f'/{card_uid(_card(delivery))}.vcf'


def current_etag(target, url):
    "Return the server's ETag of the card, None when it has none."
    try:
        with _dav_request(target, 'HEAD', url) as response:
            return response.headers.get('ETag')
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def send_carddav(target, delivery, etag):
    url = card_url(target, delivery)
    precondition = {'If-Match': etag} if etag else {'If-None-Match': '*'}
    try:
        if delivery.operation == 'delete':
            if not etag:
                etag = current_etag(target, url)
                if etag is None:
                    return None
            with _dav_request(target, 'DELETE', url,
                    headers={'If-Match': etag}) as response:
                response.read()
            return None
        text = vcard(_card(delivery), delivery.values(), '3.0').serialize()
        with _dav_request(target, 'PUT', url, data=text.encode('utf-8'),
                headers={'Content-Type': 'text/vcard; charset=utf-8',
                    **precondition}) as response:
            response.read()
            new_etag = response.headers.get('ETag')
    except urllib.error.HTTPError as error:
        if error.code == 404 and delivery.operation == 'delete':
            return None
        if error.code == 412:
            raise Conflict(
                f'HTTP 412: the server\'s copy of {url} changed',
                current_etag(target, url)) from error
        raise DeliveryError(f'HTTP {error.code} {error.reason}') from error
    return new_etag or current_etag(target, url)


def send_file(target, delivery, etag):
    out_format = target.format or 'csv'
    extension = out_format
    uid = card_uid(_card(delivery))
    stamp = dt.datetime.now().strftime('%Y%m%dT%H%M%S')
    suffix = '-eliminato' if delivery.operation == 'delete' else ''
    name = f'{stamp}-{delivery.id:08d}-{uid}{suffix}.{extension}'
    os.makedirs(target.folder, exist_ok=True)
    path = os.path.join(target.folder, name)
    part = os.path.join(target.folder, f'.{name}.part')
    values = delivery.values()
    row = {h.key: values.get(h.key, '') for h in headers(target.profile)}
    with open(part, 'wb') as output:
        out = writer(out_format, output, target.profile)
        out.open()
        out.write([_card(delivery)], [row if out_format != 'vcf' else values])
        out.close()
    os.replace(part, path)


SENDERS = {
    'webhook': send_webhook,
    'carddav': send_carddav,
    'file': send_file,
    }
