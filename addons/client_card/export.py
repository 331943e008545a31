# This file is part of the insurance intermediary platform.
"""Export the client cards to a file, in batches.

    python -m trytond.modules.client_card.export -c trytond.conf -d db \\
        --format csv|txt|xml|vcf|xlsx|json --output PATH \\
        [--profile full|gestionale|contacts] [--since YYYY-MM-DD] \\
        [--vcard-version 3.0|4.0] [--vcard-split]

The cards are read BATCH at a time, in the order of their ids, from their
export rows (``export_cache``), and each batch is written before the next
is read: an export of 100,000 cards never holds them all. ``--since``
keeps the cards changed on or after the date.
"""
import argparse
import datetime as dt
import os
import sys

from trytond.pool import Pool
from trytond.transaction import Transaction

from .export_columns import profile_values
from .export_formats import writer

BATCH = 1000


def changed_since(since):
    "Return the domain of the parties changed on or after since."
    if not since:
        return []
    if not isinstance(since, dt.datetime):
        since = dt.datetime.combine(since, dt.time())
    clauses = ['OR']
    for prefix in ['', 'addresses.', 'contact_mechanisms.', 'identifiers.']:
        clauses.append((prefix + 'create_date', '>=', since))
        clauses.append((prefix + 'write_date', '>=', since))
    return [clauses]


def export(format_, output, profile='full', domain=None, ids=None,
        progress=None, size=BATCH, **options):
    """Write the cards to the binary file output; return their number.

    progress, when given, is called with the number written so far."""
    ExportRow = Pool().get('client_card.export.row')
    out = writer(format_, output, profile, **options)
    out.open()
    keys = [h.key for h in out.headers]
    count = 0
    for cards, rows in ExportRow.pages(keys, domain, ids=ids, size=size):
        out.write_rows(cards, [profile_values(r, out.profile, keys)
                for r in rows])
        count += len(cards)
        if progress:
            progress(count)
    out.close()
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', dest='config',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', dest='database', required=True)
    parser.add_argument('--format', required=True,
        choices=['csv', 'txt', 'xml', 'vcf', 'xlsx', 'json'])
    parser.add_argument('--output', required=True)
    parser.add_argument('--profile', default='full',
        choices=['full', 'gestionale', 'contacts'])
    parser.add_argument('--since', type=dt.date.fromisoformat)
    parser.add_argument('--vcard-version', default='3.0',
        choices=['3.0', '4.0'])
    parser.add_argument('--vcard-split', action='store_true',
        help="a zip of one vCard file per contact")
    options = parser.parse_args(argv)

    from trytond import config
    if options.config:
        config.update_etc(options.config)

    Pool.start()
    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0, readonly=False), \
            open(options.output, 'wb') as output:
        count = export(options.format, output, options.profile,
            domain=changed_since(options.since),
            vcard_version=options.vcard_version,
            vcard_split=options.vcard_split)
    print(f"{count} cards written to {options.output}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
