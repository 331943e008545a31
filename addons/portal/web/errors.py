# This file is part of the insurance intermediary platform.
"""Translated error pages."""
from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .i18n import N_
from .i18n import gettext as _

TITLES = {
    400: N_("The request could not be understood"),
    403: N_("Access denied"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    413: N_("The upload is too large"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    }


def render_error(code, message=None):
    "Return the error page for an HTTP status code."
    title = _(TITLES.get(code, TITLES[500]))
    return render_template(
        'portal/error.html', code=code, title=title, message=message), code


def handle_http(error):
    "Show the server's own message (a Tryton user error), not werkzeug's."
    message = error.description
    if message == type(error).description:
        message = None
    return render_error(error.code or 500, message)


def handle_csrf(error):
    return render_error(400, _(
            "The form has expired. Reload the page and try again."))


def handle_internal(error):
    return render_error(500)


def init_app(app):
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(500, handle_internal)
