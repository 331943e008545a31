# This file is part of the insurance intermediary platform.
"""A view the database makes run again (a lock or a serialization
failure) runs with records of its new transaction."""
import re

from trytond import backend
from trytond.modules.portal.tests.tools import PlatformTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from werkzeug.test import Client

EMAIL = 'ritenta@example.com'
PASSWORD = 'Segreta2026'


class RetryTestCase(PlatformTestCase):
    "Test views run again after a database operational error"
    module = 'portal'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Party = pool.get('party.party')
            WebUser = pool.get('web.user')
            if not WebUser.search([('email', '=', EMAIL)]):
                party = Party(name="Rita Tenta")
                party.save()
                WebUser(email=EMAIL, password=PASSWORD, email_valid=True,
                    party=party).save()
            transaction.commit()

    def test_retried_view_reads_its_own_transaction(self):
        "The web user of a retried view is read in the retried transaction"
        from trytond.modules.portal.web import auth, create_app
        app = create_app(DB_NAME)
        attempts = []

        @auth.transaction(readonly=False, restricted=True)
        def retried():
            user = auth.current_user()
            attempts.append(user._transaction is Transaction())
            if len(attempts) == 1:
                raise backend.DatabaseOperationalError("could not serialize")
            return ', '.join(p.name for p in user.acting_parties)

        app.add_url_rule('/retried', 'retried', retried)
        client = Client(app)
        page = client.get('/login').get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        response = client.post('/login', data={'csrf_token': token.group(1),
                'login': EMAIL, 'password': PASSWORD})
        self.assertEqual(response.status_code, 302)
        response = client.get('/retried')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_data(as_text=True), "Rita Tenta")
        self.assertEqual(attempts, [True, True])

    def test_session_of_an_older_form_gets_its_roles(self):
        "A session opened before the roles held the services gets them anew"
        from trytond.modules.portal.web import create_app
        client = create_app(DB_NAME).test_client()
        page = client.get('/login').get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        client.post('/login', data={'csrf_token': token.group(1),
                'login': EMAIL, 'password': PASSWORD})
        with client.session_transaction() as session:
            self.assertIn('intermediary', session['roles'])
            # as a session of the previous release holds them
            session['roles'] = []
            del session['roles_format']
        self.assertEqual(client.get('/profile').status_code, 200)
        with client.session_transaction() as session:
            self.assertIn('intermediary', session['roles'])
