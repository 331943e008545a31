"""Extract the portal strings of each module into its catalogs.

    python scripts/i18n.py [module ...]

Adds new message ids to ``addons/<module>/portal_locale/{it,fa}.po``,
keeps existing translations and marks ids no longer used as obsolete.
"""
import pathlib
import sys

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from trytond.modules.portal.platform import modules

ROOT = pathlib.Path(__file__).resolve().parent.parent / 'addons'
LANGUAGES = ('it', 'fa')
# The portal's pages translate with _ and gettext; model code marks the
# portal texts it sends (emails, SMS) with N_ only, as its gettext is
# Tryton's, of message ids.
EXTRACTIONS = [
    ([('**/templates/**.html', 'jinja2'), ('**/web/**.py', 'python')],
        {'_': None, 'gettext': None, 'N_': None}),
    ([('*.py', 'python')], {'N_': None}),
    ]


def extract(module):
    "Return the message ids used by the module's portal, in order."
    ids = []
    for methods, keywords in EXTRACTIONS:
        found = extract_from_dir(ROOT / module, methods, keywords=keywords)
        for _filename, _lineno, message, _comments, _context in found:
            if message not in ids:
                ids.append(message)
    return ids


def update(module):
    ids = extract(module)
    if not ids:
        return
    folder = ROOT / module / 'portal_locale'
    folder.mkdir(exist_ok=True)
    for language in LANGUAGES:
        path = folder / f'{language}.po'
        old = Catalog(locale=language)
        if path.exists():
            with path.open('rb') as file:
                old = read_po(file, locale=language)
        new = Catalog(locale=language, project=module, fuzzy=False)
        for message_id in ids:
            previous = old.get(message_id)
            new.add(message_id, previous.string if previous else '')
        with path.open('wb') as file:
            write_po(file, new, omit_header=True, sort_output=False,
                width=0)


if __name__ == '__main__':
    for name in sys.argv[1:] or modules():
        update(name)
