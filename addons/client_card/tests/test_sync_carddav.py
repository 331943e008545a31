# This file is part of the insurance intermediary platform.
"""CardDAV synchronisation against a real Radicale server on loopback."""
import base64
import tempfile
import urllib.request

import vobject
from trytond.modules.client_card import sync_radicale
from trytond.modules.client_card.export_formats import card_uid
from trytond.modules.portal.tests.tools import PlatformTestCase, free_port
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .sync_tools import (
    create_card, create_cards, deliver_all, deliveries, set_email)

USER, PASSWORD = 'agenzia', 'Agenzia-2026'


class CardDAVTestCase(PlatformTestCase):
    "Test the synchronisation to a CardDAV address book"
    module = 'client_card'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = tempfile.TemporaryDirectory()
        cls.radicale = sync_radicale.start(
            cls.folder.name, free_port(), USER, PASSWORD)

    @classmethod
    def tearDownClass(cls):
        cls.radicale.stop()
        cls.folder.cleanup()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        # each test has an address book of its own
        self.book = self.radicale.new_book(self.id().rsplit('.', 1)[-1])

    def target(self, password=PASSWORD):
        Target = Pool().get('client_card.sync.target')
        target = Target(name="Rubrica", kind='carddav', mode='automatic',
            profile='contacts', url=self.book, username=USER,
            new_secret=password)
        target.save()
        return target

    def card_sync(self, parties):
        Party = Pool().get('party.party')
        Party.card_sync(Party.browse(parties))

    def server_card(self, party):
        return vobject.readOne(
            self.radicale.cards(self.book)[f'{card_uid(party)}.vcf'])

    def put_on_server(self, party, text):
        "Change the card on the server as another program would."
        request = urllib.request.Request(
            self.book + f'{card_uid(party)}.vcf', method='PUT',
            data=text.encode(), headers={'Content-Type': 'text/vcard',
                'Authorization': 'Basic ' + base64.b64encode(
                    f'{USER}:{PASSWORD}'.encode()).decode()})
        urllib.request.urlopen(request).read()

    @with_transaction()
    def test_create_update_delete(self):
        "Contacts are created, updated and deleted on Radicale by UID"
        State = Pool().get('client_card.sync.state')
        target = self.target()
        person, persian, company = create_cards()
        self.card_sync([person, persian, company])
        deliver_all(target)
        self.assertEqual([d.state for d in deliveries(target)], ['sent'] * 3)
        cards = self.radicale.cards(self.book)
        self.assertEqual(set(cards), {f'{card_uid(p)}.vcf'
                for p in [person, persian, company]})
        card = self.server_card(persian)
        self.assertEqual(card.fn.value, "مریم رضایی")
        self.assertEqual(card.uid.value, card_uid(persian))
        etag = State.of(target, person).etag
        self.assertTrue(etag)

        set_email(person, 'niccolo@pastina.example')
        self.card_sync([person])
        deliver_all(target)
        self.assertEqual(self.server_card(person).email.value,
            'niccolo@pastina.example')
        self.assertNotEqual(State.of(target, person).etag, etag)

        company.active = False
        company.save()
        self.card_sync([company])
        deliver_all(target)
        self.assertNotIn(f'{card_uid(company)}.vcf', self.radicale.cards(self.book))
        self.assertEqual(deliveries(target)[-1].operation, 'delete')
        self.assertEqual(
            [d.state for d in deliveries(target)], ['sent'] * 5)

    @with_transaction()
    def test_etag_respected(self):
        "A card changed on the server is not overwritten blindly"
        target = self.target()
        party = create_card("Lucia Ferràri", email='lucia@example.it')
        self.card_sync([party])
        deliver_all(target)
        text = self.radicale.cards(self.book)[f'{card_uid(party)}.vcf']
        self.put_on_server(party, text.replace(
                'lucia@example.it', 'lucia@altrove.example'))
        set_email(party, 'lucia.ferrari@example.it')
        self.card_sync([party])
        deliver_all(target)
        delivery = deliveries(target)[-1]
        self.assertEqual(delivery.state, 'failed')
        self.assertIn('412', delivery.error)
        self.assertEqual(self.server_card(party).email.value,
            'lucia@altrove.example')
        # the next attempt knows the server's ETag and goes
        deliver_all(target)
        self.assertEqual(deliveries(target)[-1].state, 'sent')
        self.assertEqual(self.server_card(party).email.value,
            'lucia.ferrari@example.it')

    @with_transaction()
    def test_wrong_password(self):
        "A refused login keeps the delivery with its error"
        target = self.target(password='wrong')
        party = create_card("Aldo Nòbili", email='aldo@example.it')
        self.card_sync([party])
        deliver_all(target)
        delivery, = deliveries(target)
        self.assertEqual(delivery.state, 'failed')
        self.assertIn('401', delivery.error)


del PlatformTestCase
