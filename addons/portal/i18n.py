# This file is part of the insurance intermediary platform.
"""Languages of the platform: Italian first, English and Persian.

Portal texts are English message ids translated by the Babel catalogs
``portal_locale/<lang>.po`` that each module carries beside its templates;
emails and SMS use the same catalogs. Nothing here needs a web request: the
portal's request language lives in ``web/i18n.py``.
"""
import importlib.util
import os
import unicodedata
from contextlib import contextmanager
from functools import cache

from babel.messages.pofile import read_po

from trytond.transaction import Transaction

from .platform import modules

LANGUAGES = {
    'it': 'Italiano',
    'en': 'English',
    'fa': 'فارسی',
    }
DEFAULT_LANGUAGE = 'it'
RIGHT_TO_LEFT = {'fa'}


def direction(language):
    "Return the writing direction of the language: 'rtl' or 'ltr'."
    return 'rtl' if language in RIGHT_TO_LEFT else 'ltr'


def language_code(code):
    "Return the platform language of a Tryton or browser code, or None."
    code = (code or '').replace('-', '_').split('_')[0].lower()
    return code if code in LANGUAGES else None


def language_of(person):
    """Return the language to write to a party, a web user (its party's) or
    a back-office user (its preference) in."""
    person = getattr(person, 'party', person)
    lang = (getattr(person, 'lang', None)
        or getattr(person, 'language', None)) if person else None
    return language_code(lang.code if lang else None) or DEFAULT_LANGUAGE


@contextmanager
def written_to(party):
    """Write to the party (or a web user) in its language: the messages of
    the transaction are in it; yield the language."""
    language = language_of(party)
    with Transaction().set_context(language=language):
        yield language


def file_name(label, reference, extension):
    """Return the name of a generated file: its label, in the language it is
    written in, and its reference (a number, a code, a name)."""
    stem = ' '.join(str(p) for p in (label, reference) if p)
    stem = ''.join('-' if c in '/\\:' or unicodedata.category(c) == 'Cc'
        else c for c in stem)
    return f'{stem}.{extension}'


@cache
def catalog(language):
    """Return the merged message catalog of all modules for the language:
    a message has one translation, the first module's in dependency order
    (tests/test_translations.py checks that no module gives another)."""
    messages = {}
    for module in modules():
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
                    messages.setdefault(message.id, message.string)
    return messages


def gettext(message, language, **variables):
    "Translate the English message; variables fill %(name)s places."
    text = catalog(language).get(message, message)
    if variables:
        text = text % variables
    return text


def N_(message):
    "Mark a message for translation where it is defined; translate later."
    return message
