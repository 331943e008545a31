"""Grow the benchmark database: client accounts at the chosen scale.

    python bench/dataset.py --database bench --scale 1000
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent
        / 'scripts'))
import environment  # noqa: E402

BATCH = 50


def grow_clients(scale):
    "Add client parties, each with a confirmed web user."
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    password_hash = WebUser.hash_password('Cliente2026')
    for start in range(0, scale, BATCH):
        numbers = range(start, min(start + BATCH, scale))
        parties = Party.create([{'name': f"Cliente Prova {n:06d}"}
                for n in numbers])
        WebUser.create([{
                    'email': f'cliente{n:06d}@bench.example',
                    'password_hash': password_hash, 'email_valid': True,
                    'party': party.id}
                for n, party in zip(numbers, parties)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='bench')
    parser.add_argument('--scale', type=int, default=1000)
    options = parser.parse_args()
    environment.setup()
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    Pool(options.database).init()
    with Transaction().start(options.database, 0) as transaction:
        grow_clients(options.scale)
        transaction.commit()
    print(f"Added {options.scale} client accounts.")


if __name__ == '__main__':
    main()
