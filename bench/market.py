"""Grow the benchmark database's marketplace: agents and requests.

    python bench/market.py --database bench --agents 10000 --requests 100000

Agents go through the ORM (a confirmed web user, a party, an active agency
of one of the three demo insurers with a running trial); requests are
inserted in bulk with SQL, each dispatched to ten agents of its insurer,
so that the first bench agent's inbox holds its share. The first bench
agent and one of its requests are added to var/bench/fixture.json.
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

PASSWORD = 'Agent2026'
BATCH = 200
FANOUT = 10


def email(number):
    return f'agente{number:06d}@bench.example'


def grow_agents(count):
    "Add active agents with a trial; return their ids by insurer."
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    WebUser = pool.get('web.user')
    Agent = pool.get('marketplace.agent')
    Insurer = pool.get('marketplace.insurer')
    Subscription = pool.get('marketplace.subscription')
    Plan = pool.get('marketplace.plan')
    trial, = Plan.search([('kind', '=', 'trial')])
    insurers = Insurer.search([], order=[('id', 'ASC')])
    password_hash = WebUser.hash_password(PASSWORD)
    today = dt.date.today()
    by_insurer = {i.id: [] for i in insurers}
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        parties = Party.create([{'name': f"Agenzia Prova {n:06d}"}
                for n in numbers])
        users = WebUser.create([{
                    'email': email(n), 'password_hash': password_hash,
                    'email_valid': True, 'party': party.id,
                    'phone_verified': True}
                for n, party in zip(numbers, parties)])
        agents = Agent.create([{
                    'web_user': user.id, 'party': user.party.id,
                    'agency_name': f"Agency {n:06d}",
                    'agency_code': str(10000 + n), 'state': 'active',
                    'insurers': [('add', [insurers[n % len(insurers)].id])],
                    } for n, user in zip(numbers, users)])
        Subscription.create([{
                    'agent': a.id, 'plan': trial.id, 'state': 'trial',
                    'price': 0, 'start_date': today,
                    'end_date': today + dt.timedelta(days=30)}
                for a in agents])
        for n, agent in zip(numbers, agents):
            by_insurer[insurers[n % len(insurers)].id].append(agent.id)
    return by_insurer


def grow_requests(count, by_insurer):
    """Insert the requests, their insurer and their dispatches; return the
    uuid of a request sent to the first agent."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Request = pool.get('marketplace.request')
    RequestInsurer = pool.get('marketplace.request-marketplace.insurer')
    Dispatch = pool.get('marketplace.dispatch')
    WebUser = pool.get('web.user')
    Line = pool.get('marketplace.line')
    Province = pool.get('marketplace.province')
    owner, = WebUser.search([('email', '=', 'user.tehran@bimehmall.example')])
    lines = [line.id for line in Line.search([])]
    provinces = [p.id for p in Province.search([])]
    insurers = sorted(by_insurer)
    request, link, dispatch = (Request.__table__(),
        RequestInsurer.__table__(), Dispatch.__table__())
    cursor = Transaction().connection.cursor()
    randomly = random.Random(2026)
    now = dt.datetime.now()
    first_agent = by_insurer[insurers[0]][0]
    found = None
    for start in range(0, count, 1000):
        rows, uuids = [], []
        for n in range(start, min(start + 1000, count)):
            when = now - dt.timedelta(minutes=randomly.randrange(525600))
            key = uuid.UUID(int=randomly.getrandbits(128)).hex
            uuids.append((key, insurers[n % len(insurers)]))
            rows.append([key, owner.id, randomly.choice(lines),
                    randomly.choice(provinces), "Richiesta di prova",
                    randomly.choice(['open', 'open', 'agreed', 'ended']),
                    False, when, 0])
        cursor.execute(*request.insert([request.uuid, request.web_user,
                    request.line, request.province, request.description,
                    request.state, request.reminded, request.create_date,
                    request.create_uid], rows))
        ids = {r.uuid: r.id for r in Request.search(
                [('uuid', 'in', [k for k, _ in uuids])])}
        links, dispatches = [], []
        for index, (key, insurer) in enumerate(uuids):
            agents = by_insurer[insurer]
            links.append([ids[key], insurer, 0])
            chosen = set(randomly.sample(agents, min(FANOUT, len(agents))))
            if insurer == insurers[0] and index % 10 == 0:
                # a tenth of the insurer's requests reach the bench agent
                chosen.add(first_agent)
                found = found or key
            dispatches.extend(
                [ids[key], agent, insurer, now, 0] for agent in chosen)
        cursor.execute(*link.insert(
                [link.request, link.insurer, link.create_uid], links))
        cursor.execute(*dispatch.insert([dispatch.request, dispatch.agent,
                    dispatch.insurer, dispatch.create_date,
                    dispatch.create_uid], dispatches))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--database', default='bench')
    parser.add_argument('--agents', type=int, default=1000)
    parser.add_argument('--requests', type=int, default=10000)
    options = parser.parse_args()
    environment.setup()
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    Pool(options.database).init()
    with Transaction().start(options.database, 0) as transaction:
        by_insurer = grow_agents(options.agents)
        found = grow_requests(options.requests, by_insurer)
        transaction.commit()
    path = ROOT / 'var' / 'bench' / 'fixture.json'
    fixture = json.loads(path.read_text()) if path.exists() else {}
    fixture.update(market_login=email(0), market_password=PASSWORD,
        market_request=found)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture))
    print(f"Added {options.agents} agents and {options.requests} requests.")


if __name__ == '__main__':
    main()
