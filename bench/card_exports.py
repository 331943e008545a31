"""Benchmarks of the client card exports and synchronisation (not a test).

    python bench/card_exports.py [--database bench] [--cards 100000]
        [--sync 500] [--postgresql]

Grows the database to ``--cards`` cards with SQL (a party, its email, its
mobile and its codice fiscale each), then measures, each in its own process
(its peak memory is its own):

- the csv export of every card (full profile, page by page from the cards'
  export rows) against the database writing the same columns itself from
  the tables behind them: PostgreSQL ``COPY (SELECT …) TO STDOUT`` (SQLite:
  the same SELECT written with the csv module); target: at most 2 floors;
- apart, the first export after a load, which works every export row out
  from the cards (rows of cards loaded by SQL, as here, or of an older
  column layout) and keeps them;
- the xlsx export's peak memory (constant-memory mode); target: 200 MB;
- the synchronisation's throughput, cards per second, to a webhook on
  loopback and to a local CardDAV server (Radicale), ``--sync`` cards each.
"""
import argparse
import csv
import http.server
import io
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
sys.path.insert(0, str(ROOT / 'bench'))
import environment  # noqa: E402
from dataset import analyze  # noqa: E402

BATCH = 2000
FIRST_COLUMNS = """p.id, p.code, p.name,
    (SELECT i.code FROM party_identifier i WHERE i.party = p.id
        AND i.type = 'it_codicefiscale' ORDER BY i.id LIMIT 1),
    (SELECT m.value FROM party_contact_mechanism m WHERE m.party = p.id
        AND m.type = 'email' ORDER BY m.id LIMIT 1),
    (SELECT m.value FROM party_contact_mechanism m WHERE m.party = p.id
        AND m.type = 'mobile' ORDER BY m.id LIMIT 1),
    (SELECT a.city FROM party_address a WHERE a.party = p.id
        ORDER BY a.id LIMIT 1)"""
# the card's lists, each a column of the export
LISTS = {'party.card.document': 'party_card_document',
    'party.card.household': 'party_card_household',
    'party.card.representative': 'party_card_representative'}


def columns_sql():
    """Return the SELECT of the export's columns from the tables behind
    them: the party's, its first identifier, contacts and address, every
    stored column of the card and each list of the card as JSON."""
    from trytond import backend
    from trytond.modules.client_card.export_columns import columns
    from trytond.pool import Pool
    Party = Pool().get('party.party')
    names = []
    for column in columns():
        name = column.key.split('.', 1)[1]
        field = Party._fields.get(name)
        if (field is not None and not hasattr(field, 'getter')
                and field._type not in {'one2many', 'many2many'}
                and name not in {'code', 'name'}):
            names.append(f'p."{name}"')
    aggregate = ('json_agg' if backend.name == 'postgresql'
        else 'json_group_array')
    for table in LISTS.values():
        names.append(f'(SELECT {aggregate}(t.id) FROM "{table}" t '
            'WHERE t.party = p.id)')
    return (f'SELECT {FIRST_COLUMNS}, {", ".join(names)} '
        'FROM party_party p ORDER BY p.id')


# name, the floor it is compared with, the most it may cost in floors
MEASURES = [
    ("cards written by the database (COPY)", 'copy', None, None),
    ("first export after a load (rows worked out)", 'fill', 'copy', None),
    ("csv export of every card", 'csv', 'copy', 2),
    ("xlsx export of every card", 'xlsx', 'copy', None),
    ]
PEAK_MB = 200


def fiscal_code(number):
    from stdnum.it import codicefiscale
    stem = f'BNC{"ABCDEFGHLM"[number % 10]}{"NPQRSTUVZ"[number % 9]}' \
        f'{"ABCDEFGHIL"[number // 10 % 10]}80A01H{number % 1000:03d}'
    return stem + codicefiscale.calc_check_digit(stem)


def grow(count):
    "Add cards with SQL until the database has count of them."
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Party = Pool().get('party.party')
    cursor = Transaction().connection.cursor()
    have = Party.search([], count=True)
    columns = {'card_kind': 'natural', 'card_state': 'draft'}
    columns = {k: v for k, v in columns.items() if k in Party._fields}
    for start in range(have, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        names = ['code', 'name', 'active', 'create_uid', 'create_date',
            *columns]
        rows = [[f'B{n:07d}', f"Niccolò Pàstina {n}", True, 0, 'now()',
                *columns.values()] for n in numbers]
        ids = insert(cursor, 'party_party', names, rows)
        insert(cursor, 'party_contact_mechanism',
            ['party', 'type', 'value', 'value_compact', 'active', 'sequence',
                'create_uid', 'create_date'],
            [[i, 'email', f'cliente{n}@bench.example',
                    f'cliente{n}@bench.example', True, 10, 0, 'now()']
                for i, n in zip(ids, numbers)]
            + [[i, 'mobile', f'+39 333 {n:07d}', f'+39333{n:07d}', True, 20,
                    0, 'now()'] for i, n in zip(ids, numbers)])
        insert(cursor, 'party_identifier',
            ['party', 'type', 'code', 'code_compact', 'active', 'sequence',
                'create_uid', 'create_date'],
            [[i, 'it_codicefiscale', fiscal_code(n), fiscal_code(n), True,
                    10, 0, 'now()'] for i, n in zip(ids, numbers)])
    Transaction().commit()
    analyze()


def insert(cursor, table, names, rows):
    "Insert the rows; return their ids."
    from trytond import backend
    now = 'CURRENT_TIMESTAMP'
    values = ', '.join('(' + ', '.join(
                now if v == 'now()' else '%s' for v in row) + ')'
        for row in rows)
    params = [v for row in rows for v in row if v != 'now()']
    query = (f'INSERT INTO "{table}" ({", ".join(names)}) VALUES {values}')
    if backend.name == 'postgresql':
        cursor.execute(query + ' RETURNING id', params)
        return [r[0] for r in cursor.fetchall()]
    ids = []
    for row in rows:
        cursor.execute(f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ('
            + ', '.join(now if v == 'now()' else '?' for v in row) + ')',
            [v for v in row if v != 'now()'])
        ids.append(cursor.lastrowid)
    return ids


def measure(step, output):
    "Run one step; return its seconds."
    from trytond import backend
    from trytond.modules.client_card.export import export
    from trytond.transaction import Transaction
    if step == 'fill':
        return fill()
    query = columns_sql()
    started = time.perf_counter()
    with open(output, 'wb') as file:
        if step == 'copy':
            cursor = Transaction().connection.cursor()
            if backend.name == 'postgresql':
                with cursor.copy(f'COPY ({query}) TO STDOUT '
                        "WITH (FORMAT csv, DELIMITER ';', HEADER)") as copy:
                    file.writelines(copy)
            else:
                cursor.execute(query)
                text = io.TextIOWrapper(file, encoding='utf-8', newline='')
                writer = csv.writer(text, delimiter=';')
                while rows := cursor.fetchmany(BATCH):
                    writer.writerows(rows)
                text.flush()
                text.detach()
        else:
            export(step, file, 'full')
    return time.perf_counter() - started


def fill():
    """Work every card's export row out anew, as the first export after a
    load does, and keep them; return the seconds."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    ExportRow = Pool().get('client_card.export.row')
    Party = Pool().get('party.party')
    Transaction().connection.cursor().execute(
        'DELETE FROM client_card_export_row')
    started = time.perf_counter()
    ids = [p.id for p in Party.search([], order=[('id', 'ASC')])]
    for start in range(0, len(ids), BATCH):
        ExportRow.refresh(ids[start:start + BATCH])
    Transaction().commit()
    seconds = time.perf_counter() - started
    analyze()
    return seconds


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers['Content-Length']))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def sync_throughput(count):
    "Return the cards per second delivered to a webhook and to CardDAV."
    from trytond.modules.client_card import sync_radicale
    from trytond.modules.portal.tests.tools import free_port
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    Target = pool.get('client_card.sync.target')
    Delivery = pool.get('client_card.sync.delivery')
    parties = Party.search([], order=[('id', 'DESC')], limit=count)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folder = tempfile.TemporaryDirectory()
    radicale = sync_radicale.start(
        folder.name, free_port(), 'bench', 'Bench2026')
    result = {}
    try:
        for kind, url in [
                ('webhook', f'http://127.0.0.1:{server.server_port}/'),
                ('carddav', radicale.url)]:
            target = Target(name=kind, kind=kind, mode='automatic',
                profile='gestionale', url=url, username='bench',
                new_secret='Bench2026')
            target.save()
            Target.card_changed(parties)
            deliveries = Delivery.search([('target', '=', target.id)])
            started = time.perf_counter()
            Delivery.deliver(deliveries)
            seconds = time.perf_counter() - started
            sent = Delivery.search([('target', '=', target.id),
                    ('state', '=', 'sent')], count=True)
            result[kind] = sent / seconds
            target.active = False
            target.save()
    finally:
        radicale.stop()
        server.shutdown()
        folder.cleanup()
    return result


def child(options):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0, readonly=(
                options.measure not in {'sync', 'fill'})) as transaction:
        if options.measure == 'sync':
            result = sync_throughput(options.sync)
            transaction.rollback()
        else:
            with tempfile.TemporaryDirectory() as folder:
                seconds = measure(options.measure, os.path.join(folder, 'out'))
            result = {'seconds': seconds}
    result['peak_mb'] = resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(options, step):
    output = subprocess.run([sys.executable, __file__,
            '--database', options.database, '--measure', step,
            '--sync', str(options.sync)],
        check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='bench')
    parser.add_argument('--cards', type=int, default=100000)
    parser.add_argument('--sync', type=int, default=500)
    parser.add_argument('--postgresql', action='store_true',
        help="use PostgreSQL at postgresql://root@127.0.0.1:5432/")
    parser.add_argument('--measure', help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.postgresql:
        os.environ.setdefault(
            'TRYTOND_DATABASE__URI', 'postgresql://root@127.0.0.1:5432/')
    environment.setup()
    if options.measure:
        return child(options)

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0):
        grow(options.cards)
    results = {step: run(options, step) for _, step, _, _ in MEASURES}
    print(f"| client cards ({options.cards}) | seconds | floors | peak MB "
        "| target | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, step, floor, most in MEASURES:
        seconds = results[step]['seconds']
        floors = seconds / results[floor]['seconds'] if floor else 1
        peak = results[step]['peak_mb']
        if step == 'xlsx':
            target, met = f'≤ {PEAK_MB} MB', peak <= PEAK_MB
        elif most:
            target, met = f'≤ {most} floors', floors <= most
        elif floor:
            target, met = '-', None
        else:
            target, met = 'floor', True
        print(f"| {name} | {seconds:.1f} | {floors:.2f} | {peak:.0f} "
            f"| {target} | {'-' if met is None else 'yes' if met else 'NO'} |")
    sync = run(options, 'sync')
    for kind in ['webhook', 'carddav']:
        print(f"| synchronisation to {kind} ({options.sync} cards) "
            f"| {options.sync / sync[kind]:.1f} | {sync[kind]:.0f} cards/s "
            f"| {sync['peak_mb']:.0f} | - | - |")


if __name__ == '__main__':
    main()
