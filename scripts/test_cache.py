"""Print the DB_CACHE of the module tests for the current sources.

    python scripts/test_cache.py sqlite|postgresql

Tryton names its cached test databases after the modules only, so a cache
built from older sources would be restored as it was: the SQLite cache
lives in a folder named after the sources' hash, and the PostgreSQL
templates (``test-*``) are dropped when the hash changes.
"""
import shutil
import sys

import environment

CACHE = environment.ROOT / 'var' / 'cache'


def sqlite(current):
    for stale in CACHE.glob('sqlite-*'):
        if stale.name != f'sqlite-{current}':
            shutil.rmtree(stale)
    return str(CACHE / f'sqlite-{current}')


def postgresql(current):
    import psycopg
    stamp = CACHE / 'postgresql.hash'
    if not stamp.exists() or stamp.read_text() != current:
        uri = environment.os.environ['TRYTOND_DATABASE__URI']
        with psycopg.connect(uri.rstrip('/') + '/postgres',
                autocommit=True) as connection:
            names = [n for n, in connection.execute(
                    "SELECT datname FROM pg_database "
                    "WHERE datname LIKE 'test-%'")]
            for name in names:
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        CACHE.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current)
    return 'postgresql://'


if __name__ == '__main__':
    print({'sqlite': sqlite, 'postgresql': postgresql}[sys.argv[1]](
            environment.source_hash()))
