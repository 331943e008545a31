# This file is part of the insurance intermediary platform.
"""Check every party's consent chain, every stored consent PDF and every
published form text; print the report and save it in the database.

    python -m trytond.modules.consent_registry.verify -c trytond.conf -d db

Exits with 1 when a break is found. The cron job "Verify Consent Chains"
runs the same check daily.
"""
import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', dest='config',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', dest='database', required=True)
    options = parser.parse_args(argv)

    from trytond import config
    if options.config:
        config.update_etc(options.config)
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


if __name__ == '__main__':
    sys.exit(main())
