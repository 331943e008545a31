# This file is part of the insurance intermediary platform.
"""Re-verify the signature evidence of tickets, or a signed copy.

    TRYTOND_CONFIG=config/trytond.conf \\
    python -m trytond.modules.insurance_ticket.verify -d demo 207902056 ...
    python -m trytond.modules.insurance_ticket.verify --pdf signed.pdf \\
        [-d demo]

For each ticket: its evidence chain, the frozen policy against the evidence
and the seal of the signed copy. With ``--pdf``: the seal of a signed copy
received from anywhere (intact, covering the whole file, by a certificate of
``[seal] trust``, with a valid timestamp) and the evidence embedded in it;
with ``-d`` too, that evidence against the ticket's chain.

Exits with 1 when a chain is broken or a signed document changed.
"""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database')
    parser.add_argument('--pdf', help="a signed copy to check")
    parser.add_argument('numbers', nargs='*', help="ticket numbers")
    options = parser.parse_args(argv)
    if not options.database and not options.pdf:
        parser.error("give -d DATABASE with ticket numbers, or --pdf FILE")
    failed = False
    if options.pdf:
        failed = not check_file(options.pdf, options.database)
    if options.numbers:
        failed |= not check_tickets(options.database, options.numbers)
    return 1 if failed else 0


def check_file(path, database=None):
    "Print the check of a signed copy; return whether it passes."
    from trytond.modules.insurance_ticket import document
    from trytond.modules.portal import seal
    with open(path, 'rb') as file:
        data = file.read()
    result = seal.verify(data)
    print(f"{path}: {result}")
    evidence = document.embedded_evidence(data) if result.sealed else None
    if not result.ok or not evidence:
        if result.ok:
            print(f"{path}: no embedded evidence")
        return False
    print(f"{path}: ticket {evidence['ticket_number']}, signed by "
        f"{evidence['signer_name']} at {evidence['signed_at_local']}, "
        f"evidence {evidence['chain_hash']}")
    if database:
        return check_tickets(database, [evidence['ticket_number']],
            evidence['chain_hash'])
    return True


def check_tickets(database, numbers, chain_hash=None):
    "Print the check of each ticket; return whether all pass."
    from trytond.exceptions import UserError
    from trytond.i18n import gettext
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(database)
    pool.init()
    passed = True
    with Transaction().start(database, 0, readonly=True):
        Ticket = pool.get('insurance.ticket')
        Evidence = pool.get('insurance.ticket.evidence')
        for number in numbers:
            tickets = Ticket.search([('number', '=', number)])
            if not tickets:
                print(f"{number}: no such ticket")
                passed = False
                continue
            try:
                evidence = Evidence.verify_chain(tickets[0])
                copy = Evidence.verify_signed_copy(tickets[0], evidence)
            except UserError as error:
                print(f"{number}: {error.message}")
                passed = False
                continue
            if chain_hash and chain_hash not in {
                    e.chain_hash for e in tickets[0].evidences}:
                print(f"{number}: the file's evidence is not in the chain")
                passed = False
                continue
            print(gettext(
                    'insurance_ticket.msg_evidence_verified',
                    ticket=number),
                evidence.signer_name,
                f"{evidence.signed_at:%d/%m/%Y %H:%M:%S} UTC",
                evidence.document_hash, f"({copy})")
    return passed


if __name__ == '__main__':
    sys.exit(main())
