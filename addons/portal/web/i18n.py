# This file is part of the insurance intermediary platform.
"""The visitor's language and the templates' translation functions."""
from flask import g, request, session

from .. import formats, i18n
from ..i18n import (  # noqa: F401 (the portal pages import them from here)
    DEFAULT_LANGUAGE, LANGUAGES, N_, RIGHT_TO_LEFT, direction)


def current_language():
    """Return the visitor's language: chosen, else from the browser; worked
    out once a request (a page asks it for each text), again when the
    visitor chooses another."""
    if not request:
        return DEFAULT_LANGUAGE
    chosen = session.get('language')
    known = g.get('language')
    if known and known[0] == chosen:
        return known[1]
    language = chosen if chosen in LANGUAGES else \
        request.accept_languages.best_match(
            LANGUAGES, default=DEFAULT_LANGUAGE)
    g.language = (chosen, language)
    return language


def gettext(message, language=None, **variables):
    "Translate the English message in the visitor's language."
    return i18n.gettext(
        message, language or current_language(), **variables)


def _in_language(function):
    "Return the format function bound to the visitor's language."
    def formatted(value, *args, **kwargs):
        return function(value, current_language(), *args, **kwargs)
    return formatted


def iso(value):
    "Return the stored (UTC) timestamp for a <time datetime> attribute."
    return formats.local(value, current_language()).isoformat(
        timespec='minutes') if value else ''


def init_app(app):
    app.jinja_env.globals.update(
        _=gettext,
        languages=LANGUAGES,
        current_language=current_language,
        text_direction=lambda: direction(current_language()),
        )
    app.jinja_env.filters.update(
        date=_in_language(formats.format_date),
        datetime=_in_language(formats.format_datetime),
        amount=_in_language(formats.format_amount),
        number=_in_language(formats.format_number),
        digits=_in_language(formats.localize_digits),
        iso=iso,
        )
