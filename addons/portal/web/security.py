# This file is part of the insurance intermediary platform.
"""HTTP hardening: security headers, cookies secure over HTTPS, and the
client's address and scheme as the trusted reverse proxies forward them."""
from flask import request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from trytond import config

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
    return response


def init_app(app):
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
    # as the Tryton server does: [web] num_proxies in front of the platform
    proxies = config.getint('web', 'num_proxies')
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app,
            x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
