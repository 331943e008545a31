# This file is part of the insurance intermediary platform.
"""Languages of the portal: Italian first, English and Persian.

Template strings are English message ids translated by the Babel catalogs
``portal_locale/<lang>.po`` that each module carries beside its templates.
"""
import importlib.util
import os
from functools import cache

from babel.messages.pofile import read_po
from flask import request, session

LANGUAGES = {
    'it': 'Italiano',
    'en': 'English',
    'fa': 'فارسی',
    }
DEFAULT_LANGUAGE = 'it'
RIGHT_TO_LEFT = {'fa'}
MODULES = (
    'portal', 'consent_registry', 'client_card', 'insurance_ticket',
    'agent_marketplace')


def current_language():
    "Return the visitor's language: chosen, else from the browser."
    if not request:
        return DEFAULT_LANGUAGE
    language = session.get('language')
    if language in LANGUAGES:
        return language
    return request.accept_languages.best_match(
        LANGUAGES, default=DEFAULT_LANGUAGE)


@cache
def catalog(language):
    "Return the merged message catalog of all modules for the language."
    messages = {}
    for module in MODULES:
        spec = importlib.util.find_spec(f'trytond.modules.{module}')
        if not spec:
            continue
        path = os.path.join(
            spec.submodule_search_locations[0], 'portal_locale',
            f'{language}.po')
        if not os.path.exists(path):
            continue
        with open(path, 'rb') as file:
            for message in read_po(file, locale=language):
                if message.id and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


def gettext(message, language=None, **variables):
    "Translate the English message; variables fill %(name)s places."
    language = language or current_language()
    text = catalog(language).get(message, message)
    if variables:
        text = text % variables
    return text


def N_(message):
    "Mark a message for translation where it is defined; translate later."
    return message


def init_app(app):
    app.jinja_env.globals.update(
        _=gettext,
        languages=LANGUAGES,
        current_language=current_language,
        text_direction=lambda: (
            'rtl' if current_language() in RIGHT_TO_LEFT else 'ltr'),
        )
