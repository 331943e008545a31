"""Query plans of the measured portal pages on PostgreSQL (not a test).

    python bench/plans.py --database bench

Renders the client dashboard and a ticket page in this process, collects
every SQL statement they run (Tryton logs them, values inlined, at the debug
level) and asks PostgreSQL for the plan of each SELECT: the table prints, per
page, the statements run and the tables read by a sequential scan with more
than ``--rows`` rows, the ticket tables above all.
"""
import argparse
import logging
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
sys.path.insert(0, str(ROOT / 'bench'))
import environment  # noqa: E402

PAGES = [
    ("portal dashboard (client)", '/'),
    ("ticket page", '/tickets/{ticket}'),
    ]


class Collector(logging.Handler):
    "Keep the statements Tryton's PostgreSQL cursor logs."

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.statements = []

    def emit(self, record):
        self.statements.append(str(record.msg))


def sequential_scans(node, sizes, rows):
    """Yield the relations of more than the rows that the plan node (and its
    children) reads in full."""
    relation = node.get('Relation Name')
    if node.get('Node Type') == 'Seq Scan' and sizes.get(relation, 0) > rows:
        yield relation
    for child in node.get('Plans', []):
        yield from sequential_scans(child, sizes, rows)


def table_rows(connection):
    "Return the rows of each table, as the statistics refreshed now count."
    connection.execute('ANALYZE')
    return dict(connection.execute(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r'").fetchall())


def plans(statements, connection, sizes, rows):
    "Return the sequentially scanned tables of the SELECT statements."
    scanned = set()
    for statement in statements:
        if not re.match(r'\s*SELECT\b', statement, re.IGNORECASE):
            continue
        plan, = connection.execute(
            'EXPLAIN (FORMAT JSON) ' + statement).fetchone()[0]
        scanned.update(sequential_scans(plan['Plan'], sizes, rows))
    return scanned


def render(app, path):
    "GET the path; return the statements it ran."
    collector = Collector()
    logger = logging.getLogger('trytond.backend.postgresql.database')
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    try:
        response = app.get(path)
    finally:
        logger.removeHandler(collector)
        logger.setLevel(logging.WARNING)
    assert response.status_code == 200, (path, response.status_code)
    return collector.statements


def client(database):
    "Return a test client of the portal logged in as the bench client."
    from werkzeug.test import Client
    from trytond.modules.portal.web import create_app
    from routes import fixture
    app = Client(create_app(database))
    page = app.get('/login').get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    account = fixture()
    app.post('/login', data={'csrf_token': token,
            'login': account['login'], 'password': account['password']})
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='bench')
    parser.add_argument('--rows', type=int, default=1000,
        help="sequential scans of smaller tables are not reported")
    options = parser.parse_args()
    uri = 'postgresql://root@127.0.0.1:5432/'
    os.environ['TRYTOND_DATABASE__URI'] = uri
    environment.setup()
    import psycopg
    from routes import fixture
    from trytond.pool import Pool
    Pool.start()
    app = client(options.database)
    rows = []
    with psycopg.connect(uri + options.database) as connection:
        sizes = table_rows(connection)
        for name, path in PAGES:
            statements = render(app, path.format(**fixture()))
            scanned = plans(statements, connection, sizes, options.rows)
            rows.append((name, len(statements), sorted(scanned)))
    print(f"\nQuery plans, PostgreSQL: tables read by a sequential scan "
        f"(over {options.rows} rows)\n")
    header = f"{'page':<34} {'statements':>10}  sequential scans"
    print(header)
    print('-' * len(header))
    for name, count, scanned in rows:
        print(f"{name:<34} {count:>10}  {', '.join(scanned) or 'none'}")


if __name__ == '__main__':
    main()
