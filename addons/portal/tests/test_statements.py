# This file is part of the insurance intermediary platform.
"""Portal pages run a bounded number of SQL statements, whatever the number
of tickets and records behind them."""
import datetime as dt
import re

from trytond.modules.portal.platform import modules
from trytond.modules.portal.tests.tools import PlatformTestCase, statements
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

PASSWORD = 'Segreta2026'
# the most statements each page may run
BUDGETS = {
    # the session, the user and its parties, the consents (answers and
    # forms), the tickets (the newest of each stage with its count, then
    # their rows) and the quote requests
    'dashboard': 8,
    'ticket': 10,
    }


class StatementsTestCase(PlatformTestCase):
    "Test the statements of the portal's pages"
    module = modules()[-1]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with Transaction().start(DB_NAME, 0) as transaction:
            cls.uuids = cls.create_client()
            transaction.commit()

    @classmethod
    def create_client(cls):
        pool = Pool()
        Party = pool.get('party.party')
        WebUser = pool.get('web.user')
        Company = pool.get('company.company')
        Currency = pool.get('currency.currency')
        euro = Currency(name="Euro", code='EUR', symbol='€')
        euro.save()
        Company(party=Party(name="MP Service"), currency=euro).save()
        person = Party(name="Anna Neri", contact_mechanisms=[
                {'type': 'email', 'value': 'anna@neri.example'}])
        person.save()
        WebUser(email='anna@neri.example', password=PASSWORD,
            email_valid=True, party=person).save()
        return []

    @classmethod
    def add_tickets(cls, count):
        "Give the client more tickets, in every stage; return their uuids."
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Ticket = pool.get('insurance.ticket')
            Line = pool.get('insurance.ticket.line')
            RequestType = pool.get('insurance.ticket.request_type')
            Party = pool.get('party.party')
            client, = Party.search([('name', '=', "Anna Neri")])
            line, = Line.search([('code', '=', 'legal')])
            kind, = RequestType.search([('code', '=', 'technical')])
            states = ['new', 'in_charge', 'closed']
            tickets = Ticket.create([{
                        'title': f"Richiesta {n}", 'client': client.id,
                        'line': line.id, 'request_type': kind.id,
                        'state': states[n % len(states)],
                        'last_activity_at': dt.datetime.now(),
                        } for n in range(count)])
            for ticket in tickets:
                ticket.post(f"Messaggio del ticket {ticket.number}")
            transaction.commit()
            return [t.uuid for t in tickets]

    def portal(self):
        from werkzeug.test import Client

        from trytond.modules.portal.web import create_app
        app = Client(create_app(DB_NAME))
        page = app.get('/login').get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = app.post('/login', data={'csrf_token': token,
                'login': 'anna@neri.example', 'password': PASSWORD})
        self.assertEqual(response.status_code, 302)
        # the first page of a session checks the consents once
        app.get('/')
        return app

    def count(self, app, path):
        app.get(path)  # caches warm, as on a running server
        with statements() as found:
            response = app.get(path)
        self.assertEqual(response.status_code, 200, path)
        return found

    def test_pages_within_budget_whatever_the_tickets(self):
        "The dashboard and a ticket page stay within budget as tickets grow"
        first = self.add_tickets(3)
        app = self.portal()
        few = {
            'dashboard': self.count(app, '/'),
            'ticket': self.count(app, f'/tickets/{first[0]}'),
            }
        self.add_tickets(40)
        many = {
            'dashboard': self.count(app, '/'),
            'ticket': self.count(app, f'/tickets/{first[0]}'),
            }
        for page, budget in BUDGETS.items():
            with self.subTest(page=page):
                listing = '\n'.join(q[:200] for q in many[page])
                self.assertEqual(len(many[page]), len(few[page]), listing)
                self.assertLessEqual(len(many[page]), budget, listing)


del PlatformTestCase
