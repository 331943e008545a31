# This file is part of the insurance intermediary platform.
"""Post an email reply into its ticket's thread; for the mail server's pipe.

    TRYTOND_CONFIG=config/trytond.conf \\
    python -m trytond.modules.insurance_ticket.inbound -d demo < reply.eml

A reply is taken only when it reaches the reply address the ticket gave
its sender (``[insurance_ticket] reply_to`` with the ticket's number and a
signature of the follower's address) and the sender follows the ticket.
Exits with 1 when the reply is refused.
"""
import argparse
import sys


def main(argv=None, raw=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database', required=True)
    options = parser.parse_args(argv)
    raw = sys.stdin.buffer.read() if raw is None else raw

    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task

    Pool.start()
    pool = Pool(options.database)
    pool.init()
    with Transaction().start(options.database, 0) as transaction:
        Message = pool.get('insurance.ticket.message')
        message = Message.receive_email(raw)
        tasks = list(transaction.tasks)
    # the emails to the other followers, as a worker would send them
    for task_id in tasks:
        run_task(pool, task_id)
    return 0 if message else 1


if __name__ == '__main__':
    sys.exit(main())
