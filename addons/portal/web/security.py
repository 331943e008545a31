# This file is part of the insurance intermediary platform.
"""HTTP hardening: security headers, cookies secure over HTTPS, the
client's address and scheme as the trusted reverse proxies forward them,
POSTs only from the portal's own pages, no invisible control characters in
what is typed, record ids within the database's range, and nothing a
logged-in page shows kept in a cache."""
import re
import unicodedata
from urllib.parse import urlsplit

from flask import abort, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from trytond import config

from . import auth

CONTENT_SECURITY_POLICY = '; '.join([
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        ])


class SessionInterface(SecureCookieSessionInterface):
    "Mark the session cookie secure whenever the request came over HTTPS."

    def get_cookie_secure(self, app):
        return bool(request and request.is_secure) or super(
            ).get_cookie_secure(app)


# characters that change how text shows without being seen: bidirectional
# overrides and isolates, the byte order mark, NUL and the other controls
# (tab and line breaks stay; the zero-width joiners Persian needs stay too)
INVISIBLE = re.compile(
    '[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f'
    '\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\ufff9-\ufffb]')
# the largest id a record may have (PostgreSQL's integer)
MAX_ID = 2 ** 31 - 1


class RecordIdConverter(IntegerConverter):
    "A record id in a path: beyond the database's range the page is missing."

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=MAX_ID)


def clean(value):
    "Return the text without invisible control characters."
    return INVISIBLE.sub('', unicodedata.normalize('NFC', value))


def clean_form():
    "Strip invisible control characters from every value posted."
    form = request.form
    if any(INVISIBLE.search(v) for v in form.values()):
        request._get_current_object().form = ImmutableMultiDict(
            [(k, clean(v)) for k, v in form.items(multi=True)])


def check_origin():
    """Refuse a POST another site's page sent: its Origin (or, without one,
    its Referer) must be the portal's own; the CSRF token is checked too."""
    if request.method != 'POST':
        return
    origin = request.headers.get('Origin')
    source = origin if origin and origin != 'null' else (
        request.headers.get('Referer'))
    if not source:
        return
    parts = urlsplit(source)
    if (parts.scheme, parts.netloc) != (request.scheme, request.host):
        abort(403)


def add_headers(response):
    headers = response.headers
    headers.setdefault('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.setdefault('X-Frame-Options', 'DENY')
    headers.setdefault('X-Content-Type-Options', 'nosniff')
    headers.setdefault('Referrer-Policy', 'same-origin')
    headers.setdefault(
        'Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
    if request.is_secure:
        headers.setdefault(
            'Strict-Transport-Security', 'max-age=31536000')
    if auth.is_logged_in() and request.endpoint and not (
            request.endpoint.endswith('static')):
        # a logged-in page is the person's own: kept by no cache
        headers['Cache-Control'] = 'private, no-store'
    return response


def init_app(app):
    app.session_interface = SessionInterface()
    app.url_map.converters['id'] = RecordIdConverter
    # the token and the Origin check together: no Referer is needed
    app.config['WTF_CSRF_SSL_STRICT'] = False
    app.before_request(check_origin)
    app.before_request(clean_form)
    app.after_request(add_headers)
    # as the Tryton server does: [web] num_proxies in front of the platform
    proxies = config.getint('web', 'num_proxies')
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app,
            x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
