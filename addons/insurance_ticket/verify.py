# This file is part of the insurance intermediary platform.
"""Re-verify the signature evidence of tickets.

    TRYTOND_CONFIG=config/trytond.conf \\
    python -m trytond.modules.insurance_ticket.verify -d demo 207902056 ...

Exits with 1 when a chain is broken or a signed document changed.
"""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('numbers', nargs='+', help="ticket numbers")
    options = parser.parse_args(argv)

    from trytond.exceptions import UserError
    from trytond.i18n import gettext
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(options.database)
    pool.init()
    failed = False
    with Transaction().start(options.database, 0, readonly=True):
        Ticket = pool.get('insurance.ticket')
        Evidence = pool.get('insurance.ticket.evidence')
        for number in options.numbers:
            tickets = Ticket.search([('number', '=', number)])
            if not tickets:
                print(f"{number}: no such ticket")
                failed = True
                continue
            try:
                evidence = Evidence.verify_chain(tickets[0])
            except UserError as error:
                print(f"{number}: {error.message}")
                failed = True
            else:
                print(gettext(
                        'insurance_ticket.msg_evidence_verified',
                        ticket=number),
                    evidence.signer_name,
                    f"{evidence.signed_at:%d/%m/%Y %H:%M:%S}",
                    evidence.document_hash)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
