# This file is part of the insurance intermediary platform.
"""The card's portal pages: each section saved from its form, bad input
answered on the same page, the confirmation, the export, and no client
reaching another's card."""
import io
import json
import re

from PIL import Image
from trytond.modules.portal.tests.tools import PlatformTestCase, outbox
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from werkzeug.test import Client

PASSWORD = 'Segreta2026'
ANNA = 'anna@neri.example'
BRUNO = 'bruno@verdi.example'


def png():
    buffer = io.BytesIO()
    Image.new('RGB', (8, 8), 'white').save(buffer, 'PNG')
    return buffer.getvalue()


class AddressClient(Client):
    "A browser calling from an address of its own."

    def open(self, *args, **kwargs):
        kwargs.setdefault('environ_base', {'REMOTE_ADDR': '192.0.2.7'})
        return super().open(*args, **kwargs)


class CardPortalTestCase(PlatformTestCase):
    "Test the portal pages of the client card"
    module = 'client_card'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Party = pool.get('party.party')
            WebUser = pool.get('web.user')
            Country = pool.get('country.country')
            if not Country.search([('code', '=', 'IT')]):
                Country(name="Italia", code='IT').save()
            for name, email in [("Anna Neri", ANNA), ("Bruno Verdi", BRUNO)]:
                party = Party(name=name, contact_mechanisms=[
                        {'type': 'email', 'value': email}])
                party.save()
                WebUser(email=email, password=PASSWORD, email_valid=True,
                    party=party).save()
            transaction.commit()

    def portal(self, email=ANNA):
        from trytond.modules.portal.web import create_app
        app = AddressClient(create_app(DB_NAME))
        page = app.get('/login').get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = app.post('/login', data={'csrf_token': token,
                'login': email, 'password': PASSWORD})
        self.assertEqual(response.status_code, 302)
        app.get('/')
        return app

    def token(self, app, path='/card/'):
        page = app.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def post(self, app, path, data, **kwargs):
        data = dict(data, csrf_token=self.token(app, path))
        return app.post(path, data=data, **kwargs)

    def party(self, email):
        with Transaction().start(DB_NAME, 0, readonly=True):
            WebUser = Pool().get('web.user')
            user, = WebUser.search([('email', '=', email)])
            return user.party.id

    def test_card_filled_confirmed_and_exported(self):
        "A natural person fills the card section by section and confirms"
        app = self.portal()
        self.assertEqual(app.get('/card/').status_code, 200)
        # a wrong checksum is answered beside the field, values kept
        response = self.post(app, '/card/identity', {
                'person_type': 'natural', 'surname': 'Rossi',
                'first_name': 'Mario', 'sex': 'M', 'birth_date': '1980-01-01',
                'birth_place': 'Milano', 'citizenship': 'IT',
                'fiscal_code': 'RSSMRA80A01F205Y'})
        self.assertEqual(response.status_code, 400)
        page = response.get_data(as_text=True)
        self.assertIn('id="fiscal_code-error"', page)
        self.assertIn('value="Rossi"', page)
        # the right birth date's code, another birth date
        response = self.post(app, '/card/identity', {
                'person_type': 'natural', 'surname': 'Rossi',
                'first_name': 'Mario', 'sex': 'M', 'birth_date': '1980-01-02',
                'birth_place': 'Milano', 'citizenship': 'IT',
                'fiscal_code': 'RSSMRA80A01F205X'})
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="fiscal_code-error"',
            response.get_data(as_text=True))
        sections = [
            ('identity', {'person_type': 'natural', 'surname': 'Rossi',
                    'first_name': 'Mario', 'sex': 'M',
                    'birth_date': '1980-01-01', 'birth_place': 'Milano',
                    'citizenship': 'IT', 'fiscal_code': 'RSSMRA80A01F20RS'}),
            ('residence', {'street': 'Via Roma', 'street_number': '1',
                    'postal_code': '20121', 'city': 'Milano',
                    'province': 'MI', 'country': 'IT'}),
            ('family', {'marital_status': 'married', 'dependants': '2',
                    'member_name': 'Lucia Rossi', 'member_relation': 'spouse',
                    'member_birth_date': '1982-05-05'}),
            ('activity', {'occupation': 'employee', 'employer': 'Acme'}),
            ('bank', {'iban': 'IT60X0542811101000000123456',
                    'account_holder': 'Mario Rossi'}),
            ('contacts', {'emails': ANNA, 'mobiles': '+39 333 123 4567'}),
            ]
        for section, data in sections:
            with self.subTest(section=section):
                response = self.post(app, f'/card/{section}', data)
                self.assertEqual(response.status_code, 302,
                    response.get_data(as_text=True)[-3000:])
        response = self.post(app, '/card/bank', {'iban': 'IT00X0542811101',
                'account_holder': 'Mario Rossi'})
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="iban-error"', response.get_data(as_text=True))
        # not complete yet: the document is missing
        response = self.post(app, '/card/confirm', {})
        self.assertEqual(response.status_code, 400)
        response = self.post(app, '/card/document', {
                'document_type': 'identity_card',
                'document_number': 'CA1234567', 'document_issuer': 'Comune',
                'document_issue_date': '2021-01-01',
                'document_expiry_date': '2031-01-01',
                'document_scan': (io.BytesIO(png()), 'fronte.png'),
                }, content_type='multipart/form-data')
        self.assertEqual(response.status_code, 302)
        response = self.post(app, '/card/confirm', {})
        self.assertEqual(response.status_code, 302)
        page = app.get('/card/').get_data(as_text=True)
        self.assertIn('id="card-state"', page)
        self.assertNotIn('id="card-changed"', page)
        anna = self.party(ANNA)
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            Party = pool.get('party.party')
            History = pool.get('party.card.history')
            party = Party(anna)
            self.assertEqual(party.card_state, 'pending')
            self.assertEqual(party.name, 'Mario Rossi')
            rows = History.search([('party', '=', party.id),
                    ('field_name', '=', 'fiscal_code')])
            self.assertEqual({r.channel for r in rows}, {'portal'})
            self.assertTrue(all(r.web_user for r in rows))
            self.assertEqual({r.ip_address for r in rows}, {'192.0.2.7'})
            emails = outbox('client_card/email/confirmation.html')
            self.assertTrue(any(ANNA in e['To'] for e in emails))
        export = app.get('/card/export?format=json')
        self.assertEqual(export.status_code, 200)
        data = json.loads(export.get_data())
        self.assertEqual(data['card']['identity']['surname'], 'Rossi')
        self.assertEqual(len(data['confirmations']), 1)
        csv = app.get('/card/export?format=csv').get_data(as_text=True)
        self.assertIn('identity,fiscal_code,RSSMRA80A01F20RS', csv)
        # a change after the confirmation asks for a new one
        response = self.post(app, '/card/residence', {'street': 'Via Po',
                'postal_code': '20121', 'city': 'Milano', 'province': 'MI',
                'country': 'IT'})
        self.assertEqual(response.status_code, 302)
        self.assertIn('id="card-changed"', app.get('/card/').get_data(
                as_text=True))
        self.check_other_client_refused()

    def check_other_client_refused(self):
        "Another client never reaches Anna's card, section or scan"
        anna = self.party(ANNA)
        with Transaction().start(DB_NAME, 0, readonly=True):
            Document = Pool().get('party.card.document')
            document, = Document.search([('party', '=', anna)])
            document = document.id
        app = self.portal(BRUNO)
        for path in ['/card/', '/card/identity', '/card/residence',
                '/card/export?format=json', '/card/export?format=csv']:
            self.assertNotIn('Rossi', app.get(path).get_data(as_text=True),
                path)
        for side in ['front', 'back']:
            self.assertEqual(
                app.get(f'/card/document/{document}/{side}').status_code,
                404)
        self.assertEqual(app.get('/card/representatives').status_code, 404)


del PlatformTestCase
