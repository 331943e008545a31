# This file is part of the insurance intermediary platform.
"""Check every party's consent chain, every stored consent PDF and every
published form text; print the report and save it in the database.

    python -m trytond.modules.consent_registry.verify -c trytond.conf -d db
    python -m trytond.modules.consent_registry.verify --pdf consent.pdf \\
        [-c trytond.conf] [-d db]

Exits with 1 when a break is found. The cron job "Verify Consent Chains"
runs the same check daily. With ``--pdf``: the platform's seal of a consent
PDF or dossier received from anywhere (intact, covering the whole file, by a
certificate of ``[seal] trust``, with a valid timestamp); with ``-d`` too,
that a consent PDF is the one its record's chain holds.
"""
import argparse
import hashlib
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', dest='config',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', dest='database')
    parser.add_argument('--pdf', help="a consent PDF or dossier to check")
    options = parser.parse_args(argv)
    if not options.database and not options.pdf:
        parser.error("give -d DATABASE, or --pdf FILE")

    from trytond import config
    if options.config:
        config.update_etc(options.config)
    if options.pdf:
        return 0 if check_file(options.pdf, options.database) else 1
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0) as transaction:
        Verification = pool.get('consent.verification')
        verification = Verification.check()
        report, breaks = verification.report, verification.breaks
        transaction.commit()
    print(report)
    return 1 if breaks else 0


def check_file(path, database=None):
    "Print the check of a sealed PDF; return whether it passes."
    from trytond.modules.portal import seal
    with open(path, 'rb') as file:
        data = file.read()
    result = seal.verify(data)
    print(f"{path}: {result}")
    if not result.ok or not database:
        return result.ok
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=True):
        Record = pool.get('consent.record')
        records = Record.search([
                ('pdf_hash', '=', hashlib.sha256(data).hexdigest())])
        for record in records:
            print(f"{path}: consent record {record.id}, "
                f"{record.validation_string}")
    if not records:
        print(f"{path}: no consent record holds this PDF (a dossier is "
            "checked by its seal only)")
    return True


if __name__ == '__main__':
    sys.exit(main())
