"""Bring each module's back-office catalogs up to date with its sources.

    python scripts/catalogs.py [module ...]

Builds a scratch SQLite database with every platform module and the
Italian and Persian translations, lets Tryton list every string of the
models, fields, selections, views, buttons and messages ("Synchronize
Translations"), and writes ``addons/<module>/locale/{it,fa}.po`` with the
translations already made and the new strings left empty to translate;
the entries by which a module translates other modules' records anew are
kept.
"""
import os
import sys
import tempfile

import environment

LANGUAGES = ['it', 'fa']
DATABASE = 'locale'


def extract(pool):
    "List the strings of the views and reports (Set Translations)."
    Set = pool.get('ir.translation.set', type='wizard')
    session_id, _, _ = Set.create()
    Set(session_id).transition_set_()
    Set.delete(session_id)


def synchronize(pool, language):
    "Create the missing translation entries of the language."
    Update = pool.get('ir.translation.update', type='wizard')
    session_id, _, _ = Update.create()
    wizard = Update(session_id)
    Lang = pool.get('ir.lang')
    wizard.start.language, = Lang.search([('code', '=', language)])
    wizard.do_update({})
    Update.delete(session_id)


def export(pool, module, language, path):
    """Return the module's catalog: Tryton's export of its strings and the
    entries with which it overrides other modules' records (their id is
    qualified by the other module's name), kept from the current file."""
    import polib
    Translation = pool.get('ir.translation')
    catalog = polib.pofile(
        Translation.translation_export(language, module).decode(),
        wrapwidth=78)
    if path.exists():
        for entry in polib.pofile(str(path)):
            fs_id = (entry.msgctxt or '').rsplit(':', 1)[-1]
            if '.' in fs_id and not fs_id.startswith(f'{module}.'):
                catalog.append(entry)
    return str(catalog).encode()


def main(modules):
    with tempfile.TemporaryDirectory() as folder:
        os.environ['TRYTOND_DATABASE__PATH'] = folder
        os.environ.pop('TRYTOND_DATABASE__URI', None)
        environment.setup()
        from trytond import config
        config.update_etc(str(environment.CONFIG))
        from trytond.modules.portal.platform import install, modules as all_
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        open(os.path.join(folder, f'{DATABASE}.sqlite'), 'w').close()
        password = os.path.join(folder, 'admin.pass')
        with open(password, 'w') as file:
            file.write('locale')
        install(DATABASE, str(environment.CONFIG), LANGUAGES,
            email='admin@example.com',
            env=dict(os.environ, TRYTONPASSFILE=password))
        Pool.start()
        pool = Pool(DATABASE)
        pool.init()
        with Transaction().start(DATABASE, 0) as transaction:
            extract(pool)
            for language in LANGUAGES:
                synchronize(pool, language)
            for module in modules or all_():
                for language in LANGUAGES:
                    path = environment.ROOT / 'addons' / module / 'locale' / (
                        f'{language}.po')
                    path.write_bytes(export(pool, module, language, path))
                    print(f"{path.relative_to(environment.ROOT)} written")
            transaction.rollback()


if __name__ == '__main__':
    main(sys.argv[1:])
