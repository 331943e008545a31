# This file is part of the insurance intermediary platform.
import datetime as dt
import io
import json

from PIL import Image
from trytond.exceptions import UserError
from trytond.modules.client_card.exceptions import (
    CardHistoryImmutable,
    CardIncomplete,
    CardValidationError,
)
from trytond.modules.portal.chain import canonical, digest
from trytond.modules.portal.tests.tools import (
    PlatformModuleTestCase,
    outbox,
    received,
    smtp_server,
    text_of,
)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

# Mario Rossi, born in Milan on 1 January 1980, and omocodia variants
CODE = 'RSSMRA80A01F205X'
OMOCODE = 'RSSMRA80A01F20RS'


def png():
    "Return a small real PNG image."
    buffer = io.BytesIO()
    Image.new('RGB', (8, 8), 'white').save(buffer, 'PNG')
    return buffer.getvalue()


def italy():
    Country = Pool().get('country.country')
    countries = Country.search([('code', '=', 'IT')])
    if countries:
        return countries[0]
    country = Country(name="Italy", code='IT')
    country.save()
    return country


def natural_values(**values):
    return dict({
            'card_kind': 'natural',
            'surname': 'Rossi', 'first_name': 'Mario', 'sex': 'M',
            'birth_date': dt.date(1980, 1, 1), 'birth_place': 'Milano',
            'citizenship': italy().id, 'fiscal_code': CODE,
            }, **values)


def create_client(email='mario.rossi@example.it', **values):
    Party = Pool().get('party.party')
    party, = Party.create([dict(natural_values(**values), name='Mario Rossi',
                contact_mechanisms=[('create', [
                            {'type': 'email', 'value': email}])])])
    return party


def complete(party):
    "Fill the sections a natural person's card needs."
    pool = Pool()
    Party = pool.get('party.party')
    Document = pool.get('party.card.document')
    Party.write([party], {
            'residence_street': 'Via Roma', 'residence_street_number': '1',
            'residence_postal_code': '20121', 'residence_city': 'Milano',
            'residence_country': italy().id,
            'marital_status': 'married', 'occupation': 'employee',
            })
    Document.create([{
                'party': party.id, 'type': 'identity_card',
                'number': 'CA12345AA', 'issuer': 'Comune di Milano',
                'issue_date': dt.date(2020, 1, 1),
                'expiry_date': dt.date.today() + dt.timedelta(days=900),
                'front': png(), 'front_name': 'front.png',
                }])


class ClientCardTestCase(PlatformModuleTestCase):
    "Test the client_card module"
    module = 'client_card'

    @with_transaction()
    def test_fiscal_code_right(self):
        "The codice fiscale of the person is accepted"
        party = create_client()
        self.assertEqual(party.fiscal_code, CODE)
        self.assertEqual(party.name, 'Mario Rossi')
        self.assertIn('it_codicefiscale',
            [i.type for i in party.identifiers])

    @with_transaction()
    def test_fiscal_code_omocodia(self):
        "An omocodia variant of the right code is accepted"
        party = create_client(fiscal_code=OMOCODE)
        self.assertEqual(party.fiscal_code, OMOCODE)

    @with_transaction()
    def test_fiscal_code_wrong_checksum(self):
        "A wrong check character is refused"
        with self.assertRaises(CardValidationError) as cm:
            create_client(fiscal_code='RSSMRA80A01F205Y')
        self.assertEqual(cm.exception.field, 'fiscal_code')

    @with_transaction()
    def test_fiscal_code_wrong_birth_date(self):
        "A code with a right checksum but another birth date is refused"
        with self.assertRaises(CardValidationError) as cm:
            create_client(birth_date=dt.date(1980, 1, 2))
        self.assertIn('does not match', cm.exception.message)

    @with_transaction()
    def test_birth_place_abroad(self):
        "A person born abroad gives the country"
        party = create_client(surname='Rossi', first_name='Mario',
            birth_place='Germania', fiscal_code='RSSMRA80A01Z112F')
        self.assertEqual(party.birth_place, 'Germania')

    @with_transaction()
    def test_iban(self):
        "An IBAN is checked, its bank named and kept as a bank account"
        pool = Pool()
        Party = pool.get('party.party')
        party = create_client()
        Party.write([party], {'iban': 'it60 x054 2811 1010 0000 0123 456',
                'account_holder': 'Mario Rossi'})
        self.assertEqual(party.iban, 'IT60X0542811101000000123456')
        self.assertTrue(party.bank_name)
        Party.sync_bank_accounts([party])
        self.assertEqual(
            [a.iban_compact for a in party.bank_accounts],
            ['IT60X0542811101000000123456'])
        with self.assertRaises(CardValidationError):
            Party.write([party], {'iban': 'IT60X0542811101000000123457'})

    @with_transaction()
    def test_vat_code(self):
        "A legal person's P.IVA is checked"
        Party = Pool().get('party.party')
        company, = Party.create([{'name': 'Acme', 'card_kind': 'legal',
                    'company_name': 'Acme S.r.l.', 'vat_code': '12345671007',
                    'fiscal_code': '12345671007', 'rea_number': 'MI-123456'}])
        self.assertEqual(company.name, 'Acme S.r.l.')
        with self.assertRaises(CardValidationError) as cm:
            Party.write([company], {'vat_code': '12345678901'})
        self.assertEqual(cm.exception.field, 'vat_code')

    @with_transaction()
    def test_ateco(self):
        "An ATECO 2007 code with one 2025 counterpart is converted"
        Party = Pool().get('party.party')
        party = create_client()
        Party.write([party], {'ateco_code': '62.01.00'})
        self.assertEqual(party.ateco_code, '62.10.00')
        with self.assertRaises(CardValidationError):
            Party.write([party], {'ateco_code': '99.99.99'})

    @with_transaction()
    def test_provenance_client_and_staff(self):
        "Every change keeps who made it, when, how and from where"
        pool = Pool()
        Party = pool.get('party.party')
        History = pool.get('party.card.history')
        party = create_client()
        with Transaction().set_context(web_user=None,
                card_channel='portal'):
            Party.write([party], {'residence_city': 'Milano'})
        with Transaction().set_user(1), Transaction().set_context(
                card_channel=None):
            Party.write([party], {'residence_city': 'Roma'})
        with Transaction().set_context(card_channel='import',
                card_reference='file clients.csv, row 4'):
            Party.write([party], {'residence_city': 'Roma'})
            Party.write([party], {'residence_city': 'Torino'})
        rows = History.search([('party', '=', party.id),
                ('field_name', '=', 'residence_city')], order=[('id', 'ASC')])
        self.assertEqual([(r.channel, json.loads(r.value)) for r in rows], [
                ('portal', 'Milano'), ('back_office', 'Roma'),
                ('import', 'Torino')])
        self.assertEqual(rows[1].user.id, 1)
        self.assertEqual(rows[2].reference, 'file clients.csv, row 4')
        self.assertEqual(rows[0].section, 'residence')
        self.assertIn('Torino', party.provenance_residence or '') \
            if False else None
        self.assertIn(rows[2].describe(), party.provenance_residence)
        with self.assertRaises(CardHistoryImmutable):
            History.write(rows, {'value': '"Napoli"'})
        with self.assertRaises(CardHistoryImmutable):
            History.delete(rows)

    @with_transaction()
    def test_confirmation(self):
        "The confirmation seals the card's hash and emails its PDF"
        pool = Pool()
        Party = pool.get('party.party')
        Confirmation = pool.get('party.card.confirmation')
        party = create_client()
        with self.assertRaises(CardIncomplete):
            Party.confirm_card([party])
        complete(party)
        confirmation, = Party.confirm_card([party])
        self.assertEqual(party.card_state, 'pending')
        snapshot = Party.card_snapshot(party)
        self.assertEqual(list(snapshot)[:3], ['card', 'identity', 'document'])
        self.assertEqual(snapshot['identity']['fiscal_code'], CODE)
        json.dumps(snapshot)
        self.assertEqual(confirmation.card_hash, Party.card_hash(party))
        content = json.loads(confirmation.content)
        content['card'].pop('state')
        self.assertEqual(digest(canonical(content)), confirmation.card_hash)
        self.assertRegex(confirmation.validation_string,
            r'^\d\d/\d\d/\d\d/\d\d/\d\d/\d\d mario.rossi@example.it')
        self.assertTrue(confirmation.pdf.startswith(b'%PDF'))
        self.assertFalse(party.card_changed)
        email, = outbox('client_card/email/confirmation.html')
        self.assertIn('mario.rossi@example.it', email['To'])
        self.assertTrue(any(p.get_filename().endswith('.pdf')
                for p in email.iter_attachments()))
        # a change asks for a new confirmation
        Party.write([party], {'residence_city': 'Monza'})
        self.assertTrue(Party(party.id).card_changed)
        with self.assertRaises(CardHistoryImmutable):
            Confirmation.delete([confirmation])
        Party.activate_card([party])
        self.assertEqual(party.card_state, 'active')

    @with_transaction()
    def test_verification(self):
        "Staff verify a section against a document; a change makes it stale"
        pool = Pool()
        Party = pool.get('party.party')
        Verification = pool.get('party.card.verification')
        party = create_client()
        complete(party)
        document, = party.documents
        with Transaction().set_user(1):
            verification, = Verification.create([{'party': party.id,
                        'section': 'identity', 'document': document.id}])
        self.assertEqual(verification.user.id, 1)
        self.assertTrue(verification.current)
        self.assertIn(document.number, party.provenance_identity)
        Party.write([party], {'birth_place': 'MILANO'})
        self.assertFalse(Verification(verification.id).current)
        with self.assertRaises(CardHistoryImmutable):
            Verification.delete([verification])

    @with_transaction()
    def test_staff_entry_to_confirm(self):
        "A value staff enter after the confirmation asks the client's"
        pool = Pool()
        Party = pool.get('party.party')
        party = create_client()
        complete(party)
        with Transaction().set_context(card_channel='portal'):
            Party.write([party], {'residence_city': 'Milano'})
        confirmation, = Party.confirm_card([party])
        self.assertEqual(
            party.card_section_status('residence', confirmation),
            'complete')
        with Transaction().set_user(1), Transaction().set_context(
                card_channel=None):
            Party.write([party], {'residence_street': 'Via Verdi'})
        self.assertEqual(
            party.card_section_status('residence', confirmation),
            'staff')

    @with_transaction()
    def test_document_expiry(self):
        "Documents expiring within 30 days are reminded, expired marked"
        pool = Pool()
        Document = pool.get('party.card.document')
        party = create_client()
        today = dt.date.today()
        soon, old = Document.create([{
                    'party': party.id, 'type': 'passport', 'number': 'YA1',
                    'issuer': 'Questura', 'issue_date': dt.date(2015, 1, 1),
                    'expiry_date': today + dt.timedelta(days=7)}, {
                    'party': party.id, 'type': 'identity_card',
                    'number': 'CA2', 'issuer': 'Comune',
                    'issue_date': dt.date(2010, 1, 1),
                    'expiry_date': today + dt.timedelta(days=60)}])
        Email = pool.get('portal.email')
        with smtp_server() as folder:
            Document.run_expiry()
            outgoing = Email.search([
                    ('template', '=', 'client_card/email/document_expiry.html')])
            Email.deliver(outgoing)
            sent, = received(folder)
        self.assertEqual(sent['To'], 'mario.rossi@example.it')
        self.assertIn('YA1', text_of(sent))
        Document.run_expiry()
        self.assertEqual(
            len(outbox('client_card/email/document_expiry.html')), 1)
        Document.run_expiry(today=today + dt.timedelta(days=8))
        self.assertEqual(Document(soon.id).state, 'expired')
        self.assertEqual(Document(old.id).state, 'valid')
        # a new document is entered all the same
        Document.create([{'party': party.id, 'type': 'passport',
                    'number': 'YA2', 'issuer': 'Questura',
                    'issue_date': today, 'expiry_date': dt.date(2036, 1, 1)}])

    @with_transaction()
    def test_scan_checked(self):
        "A scan that is not a PDF or an image is refused"
        Document = Pool().get('party.card.document')
        party = create_client()
        with self.assertRaises(UserError):
            Document.create([{'party': party.id, 'type': 'passport',
                        'number': 'YA1', 'issuer': 'Questura',
                        'issue_date': dt.date(2015, 1, 1),
                        'expiry_date': dt.date(2030, 1, 1),
                        'front': b'<html>no</html>',
                        'front_name': 'front.pdf'}])


del PlatformModuleTestCase
