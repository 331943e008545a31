"""Grow the benchmark database: client accounts and their tickets.

    python bench/dataset.py --database bench --clients 20000 --tickets 100000

Clients go through the ORM (parties and confirmed web users); tickets are
inserted in bulk with SQL, spread over the clients, states and lines, as a
year of activity would leave them. The first bench client, who has answered
the forms due before a quote, and its ticket are written to
var/bench/fixture.json.
"""
import argparse
import datetime as dt
import json
import pathlib
import random
import sys
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'scripts'))
import environment  # noqa: E402

PASSWORD = 'Cliente2026'
BATCH = 50
STATES = ['new', 'in_charge', 'waiting', 'at_broker', 'questionnaire_sent',
    'questionnaire_returned', 'quote_sent', 'accepted', 'signing', 'signed',
    'closed', 'cancelled', 'declined']


def email(number):
    return f'cliente{number:06d}@bench.example'


def grow_clients(count):
    "Add client parties, each with a confirmed web user; return party ids."
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    password_hash = WebUser.hash_password(PASSWORD)
    ids = []
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        parties = Party.create([card_values(n) for n in numbers])
        WebUser.create([{
                    'email': email(n), 'password_hash': password_hash,
                    'email_valid': True, 'party': party.id}
                for n, party in zip(numbers, parties)])
        ids.extend(p.id for p in parties)
    return ids


def card_values(number):
    "Return the values of a bench client with a complete card."
    import datetime as dt

    from codicefiscale import codicefiscale
    surname, first_name = 'Prova', f'Cliente{number:06d}'
    birth_date = dt.date(1950, 1, 1) + dt.timedelta(days=number % 18000)
    return {
        'name': f"Cliente Prova {number:06d}",
        'card_kind': 'natural', 'surname': surname,
        'first_name': first_name, 'sex': 'MF'[number % 2],
        'birth_date': birth_date, 'birth_place': 'Milano',
        'fiscal_code': codicefiscale.encode(surname, first_name,
            'MF'[number % 2], birth_date.isoformat(), 'Milano'),
        'residence_street': 'Via Roma', 'residence_street_number': '1',
        'residence_postal_code': '20121', 'residence_city': 'Milano',
        'marital_status': 'single', 'occupation': 'employee',
        'contact_mechanisms': [('create', [
                    {'type': 'email', 'value': email(number)}])],
        'documents': [('create', [{
                        'type': 'identity_card', 'number': f'CA{number:07d}',
                        'issuer': 'Comune di Milano',
                        'issue_date': dt.date(2020, 1, 1),
                        'expiry_date': dt.date(2030, 1, 1)}])],
        }


def grow_tickets(count, clients):
    "Insert tickets spread over the clients; return the first one's uuid."
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Ticket = pool.get('insurance.ticket')
    Line = pool.get('insurance.ticket.line')
    RequestType = pool.get('insurance.ticket.request_type')
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    company, = Company.search([], limit=1)
    brokerages = [p.id for p in Party.search([('is_brokerage', '=', True)])]
    lines = [l.id for l in Line.search([])]
    types = [t.id for t in RequestType.search([])]
    table = Ticket.__table__()
    cursor = Transaction().connection.cursor()
    columns = [table.number, table.uuid, table.title, table.company,
        table.client, table.line, table.request_type, table.state,
        table.priority, table.brokerage, table.description,
        table.last_activity_at, table.create_date, table.create_uid]
    randomly = random.Random(2026)
    now = dt.datetime.now()
    first_uuid = None
    for start in range(0, count, 1000):
        rows = []
        for n in range(start, min(start + 1000, count)):
            ticket_uuid = str(uuid.UUID(int=randomly.getrandbits(128)))
            first_uuid = first_uuid or ticket_uuid
            when = now - dt.timedelta(minutes=randomly.randrange(525600))
            state = randomly.choice(STATES)
            rows.append([f'{300000000 + n}', ticket_uuid,
                    f"Richiesta {n}", company.id, clients[n % len(clients)],
                    randomly.choice(lines), randomly.choice(types), state,
                    'normal',
                    randomly.choice(brokerages) if state != 'new' else None,
                    "Preventivo per il condominio", when, when, 0])
        cursor.execute(*table.insert(columns, rows))
    return first_uuid


def answer_quote_forms(party_id):
    "Record the answers a client gives before a first quote request."
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    Record = pool.get('consent.record')
    party = Party(party_id)
    for state in Record.states([(party, 'person')], 'quote'):
        if state['missing']:
            Record.record_answer(party, state['version'],
                state['form'].answers()[0], channel='staff')


DRAFTS = 16  # the connections of bench/run.py


def start_quote(party_id):
    "Open the client's home quote, its card reviewed; return its uuid."
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    Collection = pool.get('quote.collection')
    RiskType = pool.get('quote.risk.type')
    risk, = RiskType.search([('code', '=', 'casa')])
    collection = Collection.start(Party(party_id), risk, language='it')
    collection.confirm_card_review()
    return collection.uuid


def analyze():
    "Refresh the planner's statistics, as autovacuum would after a load."
    from trytond import backend
    from trytond.transaction import Transaction
    if backend.name == 'postgresql':
        Transaction().connection.cursor().execute('ANALYZE')
        Transaction().commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='bench')
    parser.add_argument('--clients', type=int, default=1000)
    parser.add_argument('--tickets', type=int, default=5000)
    options = parser.parse_args()
    environment.setup()
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    Pool(options.database).init()
    with Transaction().start(options.database, 0) as transaction:
        clients = grow_clients(options.clients)
        answer_quote_forms(clients[0])
        ticket = grow_tickets(options.tickets, clients)
        quote = start_quote(clients[0])
        # a draft per connection of the bench, each saved by its own
        quotes = [start_quote(clients[0]) for _ in range(DRAFTS)]
        transaction.commit()
        analyze()
    fixture = {'login': email(0), 'password': PASSWORD, 'ticket': ticket,
        'quote': quote, 'quotes': quotes}
    path = ROOT / 'var' / 'bench' / 'fixture.json'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture))
    print(f"Added {options.clients} clients and {options.tickets} tickets.")


if __name__ == '__main__':
    main()
