"""Build the demo database with every platform module and its demo data.

    python scripts/build_demo.py [--database demo] [--rebuild]

Without --rebuild an existing database is kept as it is.
"""
import argparse
import importlib
import importlib.util
import os

import environment
import tempfile

ADMIN_PASSWORD = 'Admin2026'


def on_server(action, name):
    "Run a backend database's list, create or drop for the named one."
    from trytond import backend
    if backend.name != 'postgresql':
        if action == 'list':
            return name in backend.Database(':memory:').list()
        return getattr(backend.Database, action)(None, name)
    database = backend.Database('postgres')
    if action == 'list':
        return name in database.list()
    connection = database.get_connection(autocommit=True)
    try:
        getattr(database, action)(connection, name)
    finally:
        database.put_connection(connection)


def database_exists(name):
    return on_server('list', name)


def drop(name):
    on_server('drop', name)


def create(name, config):
    "Create the database and activate the modules with trytond-admin."
    on_server('create', name)
    from trytond.modules.portal.platform import install
    with tempfile.NamedTemporaryFile('w', suffix='.pass') as password:
        password.write(ADMIN_PASSWORD)
        password.flush()
        install(name, config, email='admin@mpservice.example',
            env=dict(os.environ, TRYTONPASSFILE=password.name))


def load_demo_data(name):
    "Run the demo loader of each module, in dependency order."
    from trytond.modules.portal.platform import modules
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError
    Pool.start()
    pool = Pool(name)
    pool.init()
    # the demo's history is recorded, never emailed; a loader that needs a
    # table locked (a singleton's first record) starts the load anew with
    # it locked, as Tryton's own dispatcher and tasks do
    tasks = []
    extras = {}
    while True:
        try:
            with Transaction().start(name, 0, context={
                        'language': 'it', 'mail_history': True},
                    **extras) as transaction:
                for module in modules():
                    loader = f'trytond.modules.{module}.demo'
                    if importlib.util.find_spec(loader):
                        importlib.import_module(loader).load()
                transaction.commit()
                tasks = list(transaction.tasks)
                transaction.tasks.clear()
            break
        except TransactionError as error:
            error.fix(extras)
    # the tasks the load pushed run after its commit, as after a request
    from trytond.worker import run_task
    for task in tasks:
        run_task(pool, task)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='demo')
    parser.add_argument('--config', default=str(environment.CONFIG))
    parser.add_argument('--rebuild', action='store_true')
    options = parser.parse_args()
    environment.setup(options.config)
    from trytond import config
    config.update_etc(options.config)

    if database_exists(options.database):
        if not options.rebuild:
            print(f"Database {options.database!r} exists: kept "
                "(make demo-rebuild builds it anew).")
            return
        drop(options.database)
    print(f"Building database {options.database!r}…")
    create(options.database, options.config)
    load_demo_data(options.database)
    print(f"Database {options.database!r} ready.")


if __name__ == '__main__':
    main()
