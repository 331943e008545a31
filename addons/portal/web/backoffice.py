# This file is part of the insurance intermediary platform.
"""The back office's security headers: the Tryton server answers without
them, so the web client could be framed by another site or a response
sniffed as another type. The web client's optional files the server does
not have (custom.css, custom.js, a regional catalog, the icon) answer as
files, not as a refused method."""
import base64
import hashlib
import os
import re

from trytond import config

INLINE_SCRIPT = re.compile(
    r'<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>', re.S)


def script_hashes(root):
    "Return the CSP hashes of the inline scripts of the web client's page."
    try:
        with open(os.path.join(root, 'index.html'), encoding='utf-8') as page:
            html = page.read()
    except (OSError, TypeError):
        return []
    return ["'sha256-%s'" % base64.b64encode(
            hashlib.sha256(script.encode()).digest()).decode()
        for script in INLINE_SCRIPT.findall(html)]


def policy(root):
    "Return the Content-Security-Policy of the web client."
    scripts = ' '.join(["'self'", *script_hashes(root)])
    return '; '.join([
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            ])


ICON = os.path.join(os.path.dirname(__file__), '..', 'static', 'favicon.svg')
LOCALE = re.compile(r'^/locale/([a-z]{2,3})_[A-Za-z0-9]+\.json$')


def optional_file(root, path):
    """Return (content type, bytes) for a web client file the root lacks,
    or None: the custom files are empty, a regional catalog is its
    language's, the icon is the platform's."""
    if root and os.path.isfile(os.path.join(root, path.lstrip('/'))):
        return None
    if path in {'/custom.css', '/custom.js'}:
        return ('text/css' if path.endswith('css')
            else 'text/javascript'), b''
    if path == '/favicon.ico':
        with open(ICON, 'rb') as icon:
            return 'image/svg+xml', icon.read()
    match = LOCALE.match(path)
    if match:
        fallback = os.path.join(root or '', 'locale', f'{match.group(1)}.json')
        if os.path.isfile(fallback):
            with open(fallback, 'rb') as catalog:
                return 'application/json', catalog.read()
        return 'application/json', b'{}'
    return None


def hardened(app):
    "Return the WSGI application answering with the security headers."
    root = config.get('web', 'root')
    headers = [
        ('Content-Security-Policy', policy(root)),
        ('X-Frame-Options', 'DENY'),
        ('X-Content-Type-Options', 'nosniff'),
        ('Referrer-Policy', 'same-origin'),
        ]
    proxies = config.getint('web', 'num_proxies') or 0

    def middleware(environ, start_response):
        secure = environ.get('wsgi.url_scheme') == 'https' or (proxies
            and environ.get('HTTP_X_FORWARDED_PROTO', '').split(',')[-1]
            .strip() == 'https')

        def start(status, response_headers, exc_info=None):
            present = {name.lower() for name, _ in response_headers}
            response_headers.extend(
                (n, v) for n, v in headers if n.lower() not in present)
            if secure and 'strict-transport-security' not in present:
                response_headers.append(
                    ('Strict-Transport-Security', 'max-age=31536000'))
            return start_response(status, response_headers, exc_info)

        if environ.get('REQUEST_METHOD') in {'GET', 'HEAD'}:
            found = optional_file(root, environ.get('PATH_INFO', ''))
            if found:
                content_type, data = found
                start('200 OK', [('Content-Type', content_type),
                        ('Content-Length', str(len(data))),
                        ('Cache-Control', 'public, max-age=86400')])
                return [data]
        return app(environ, start)
    return middleware
