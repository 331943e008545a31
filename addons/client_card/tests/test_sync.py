# This file is part of the insurance intermediary platform.
"""Synchronisation: a real webhook receiver on loopback, a folder, and the
approval of changes field by field."""
import csv
import json
import os
import tempfile

from trytond.modules.client_card import sync, sync_transport
from trytond.modules.client_card.sync_exceptions import DecisionAppendOnly
from trytond.modules.portal.tests.tools import PlatformTestCase, configured
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .sync_tools import (
    Hook, create_card, create_cards, deliver_all, deliveries, set_email)

SECRET = 'whsec-9f8e7d6c5b4a'


class SyncTestCase(PlatformTestCase):
    "Test the synchronisation of the client cards"
    module = 'client_card'

    def webhook(self, url, mode='automatic'):
        Target = Pool().get('client_card.sync.target')
        target = Target(name="Gestionale", kind='webhook', mode=mode,
            profile='gestionale', url=url, new_secret=SECRET)
        target.save()
        return target

    def card_sync(self, parties):
        Party = Pool().get('party.party')
        Party.card_sync(Party.browse(parties))

    @with_transaction()
    def test_secret_encrypted(self):
        "The secret is stored encrypted, read back by the server only"
        Target = Pool().get('client_card.sync.target')
        target = self.webhook('http://127.0.0.1:9/')
        stored = Target.read([target.id], ['secret'])[0]['secret']
        self.assertTrue(stored)
        self.assertNotIn(SECRET, stored)
        self.assertEqual(target.credential(), SECRET)
        self.assertIsNone(Target(target.id).new_secret)
        self.assertTrue(Target(target.id).has_credential)
        target.secret_reference = 'gestionale_hook'
        target.save()
        with configured('client_card', 'gestionale_hook', 'from-config'):
            self.assertEqual(target.credential(), 'from-config')

    @with_transaction()
    def test_party_change_is_queued(self):
        "A change of a card or of its contacts queues its synchronisation"
        Queue = Pool().get('ir.queue')
        party, = create_cards()[:1]
        tasks = [t for t in Queue.search([])
            if t.data.get('method') == 'card_sync']
        # once per card and transaction
        self.assertEqual(sorted(i for t in tasks for i in t.data['instances']),
            [party.id, party.id + 1, party.id + 2])
        # as a new transaction would
        Queue.delete(tasks)
        sync._PUSHED.clear()
        set_email(party, 'nuovo@example.it')
        task, = [t for t in Queue.search([])
            if t.data.get('method') == 'card_sync']
        self.assertEqual(list(task.data['instances']), [party.id])

    @with_transaction()
    def test_card_confirmed_is_queued(self):
        "The client's confirmation of the card queues its synchronisation"
        Queue = Pool().get('ir.queue')
        Party = Pool().get('party.party')
        party = create_card("Ada Lòvati", email='ada@example.it')
        Queue.delete(Queue.search([]))
        sync._PUSHED.clear()
        Party.on_card_confirmed([party])
        task, = [t for t in Queue.search([])
            if t.data.get('method') == 'card_sync']
        self.assertEqual(list(task.data['instances']), [party.id])

    @with_transaction()
    def test_webhook_signed(self):
        "The webhook receives signed JSON with an idempotency key"
        with Hook() as hook:
            target = self.webhook(hook.url)
            parties = create_cards()
            self.card_sync(parties)
            deliver_all(target)
            self.assertEqual(len(hook.received), 3)
            headers, body = hook.received[1]
            self.assertTrue(sync_transport.verify(
                    SECRET, headers['X-Card-Signature'], body))
            self.assertFalse(sync_transport.verify(
                    'wrong', headers['X-Card-Signature'], body))
            self.assertFalse(sync_transport.verify(
                    SECRET, headers['X-Card-Signature'], body + b' '))
            document = json.loads(body)
            self.assertEqual(headers['Idempotency-Key'],
                document['idempotency_key'])
            self.assertEqual(document['event'], 'card.upsert')
            self.assertEqual(document['card']['values']['COGNOME'], "رضایی")
            self.assertEqual(
                document['card']['values']['CODICE_FISCALE'],
                'RZAMRY85E45Z224N')
            # an unchanged card is not sent again
            self.card_sync(parties)
            self.assertEqual(len(deliveries(target)), 3)

    @with_transaction()
    def test_webhook_outage(self):
        "While the webhook is down nothing is lost; after it, all goes in order"
        Delivery = Pool().get('client_card.sync.delivery')
        with Hook() as hook:
            target = self.webhook(hook.url)
            party = create_card("Giulia Bàrtoli", email='giulia@example.it')
            hook.down = True
            self.card_sync([party])
            set_email(party, 'giulia.bartoli@example.it')
            self.card_sync([party])
            deliver_all(target)
            first, second = deliveries(target)
            self.assertEqual((first.state, first.attempts), ('failed', 1))
            self.assertIn('503', first.error)
            self.assertTrue(first.next_attempt_at)
            # the later change waits for the earlier
            self.assertEqual((second.state, second.attempts), ('queued', 0))
            deliver_all(target)
            self.assertEqual(Delivery(first.id).attempts, 2)
            self.assertEqual(hook.received, [])
            hook.down = False
            deliver_all(target)
            self.assertEqual(
                [d.state for d in deliveries(target)], ['sent', 'sent'])
            emails = [json.loads(b)['card']['values']['EMAIL']
                for _, b in hook.received]
            self.assertEqual(emails,
                ['giulia@example.it', 'giulia.bartoli@example.it'])
            keys = {h['Idempotency-Key'] for h, _ in hook.received}
            self.assertEqual(keys, {first.idempotency_key,
                    second.idempotency_key})

    @with_transaction()
    def test_file_drop(self):
        "The file drop writes each changed card to the folder"
        Target = Pool().get('client_card.sync.target')
        with tempfile.TemporaryDirectory() as folder:
            target = Target(name="Cartella", kind='file', mode='automatic',
                profile='gestionale', format='csv', folder=folder)
            target.save()
            self.card_sync(create_cards())
            deliver_all(target)
            names = sorted(os.listdir(folder))
            self.assertEqual(len(names), 3)
            self.assertFalse([n for n in names if n.endswith('.part')])
            with open(os.path.join(folder, names[0]), encoding='utf-8-sig',
                    newline='') as file:
                rows = list(csv.DictReader(file, delimiter=';'))
            self.assertEqual(rows[0]['COGNOME'], "Pàstina")

    @with_transaction()
    def test_approval_per_field(self):
        "Approval: one field approved is sent, the rejected one never"
        pool = Pool()
        Change = pool.get('client_card.sync.change')
        Line = pool.get('client_card.sync.change.field')
        Decision = pool.get('client_card.sync.decision')
        Mechanism = pool.get('party.contact_mechanism')
        with Hook() as hook:
            target = self.webhook(hook.url, mode='approval')
            party = create_card("Giulia Bàrtoli", email='giulia@example.it',
                mobile='+39 333 000 1111', fiscal_code='BRTGLI80A41H501P')
            self.card_sync([party])
            change, = Change.search([('target', '=', target.id)])
            # nothing goes before a decision
            self.assertEqual(deliveries(target), [])
            Change.approve_all([change])
            deliver_all(target)
            self.assertEqual(len(hook.received), 1)

            set_email(party, 'giulia.bartoli@example.it')
            mobile, = [m for m in party.contact_mechanisms
                if m.type == 'mobile']
            mobile.value = '+39 333 999 8888'
            mobile.save()
            with Transaction().set_context(
                    card_channel='portal', card_reference='web user 12'):
                self.card_sync([party])
            change, = Change.search([('target', '=', target.id),
                    ('state', '=', 'pending')])
            lines = {l.key: l for l in change.lines}
            self.assertEqual(set(lines), {'contact.email', 'contact.mobile'})
            email = lines['contact.email']
            self.assertEqual(
                (email.label, email.old_value, email.new_value,
                    email.provenance),
                ('EMAIL', 'giulia@example.it', 'giulia.bartoli@example.it',
                    'portal, web user 12'))
            Line.approve([email])
            # one field still waits: nothing is sent
            self.assertEqual(len(deliveries(target)), 1)
            Line.reject([lines['contact.mobile']])
            self.assertEqual(Change(change.id).state, 'decided')
            deliver_all(target)
            self.assertEqual(len(hook.received), 2)
            values = json.loads(hook.received[1][1])['card']['values']
            self.assertEqual(values['EMAIL'], 'giulia.bartoli@example.it')
            self.assertEqual(values['CELLULARE'], '+39 333 000 1111')
            self.assertNotIn(b'999 8888', b''.join(b for _, b in hook.received))

            decisions = Decision.search([('change', '=', change.id)],
                order=[('id', 'ASC')])
            self.assertEqual(
                [(d.key, d.decision, d.user.id) for d in decisions],
                [('contact.email', 'approved', Transaction().user),
                    ('contact.mobile', 'rejected', Transaction().user)])
            self.assertTrue(all(d.decided_at for d in decisions))
            with self.assertRaises(DecisionAppendOnly):
                Decision.write(decisions, {'decision': 'approved'})

            # the rejected value is not proposed again
            self.card_sync([party])
            self.assertFalse(Change.search([('state', '=', 'pending')]))
            # a new value of the rejected field is
            mobile = Mechanism(mobile.id)
            mobile.value = '+39 333 777 6666'
            mobile.save()
            self.card_sync([party])
            change, = Change.search([('state', '=', 'pending')])
            line, = change.lines
            self.assertEqual((line.old_value, line.new_value),
                ('+39 333 000 1111', '+39 333 777 6666'))


del PlatformTestCase
