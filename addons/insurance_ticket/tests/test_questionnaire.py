# This file is part of the insurance intermediary platform.
"""The ticket's questionnaire on the engine: the old policy read page by
page, the pre-filled answers with their provenance, the broker's
correction, staff filling in for the client and who reads the answers."""
import io
import zipfile

from trytond.modules.client_card import questionnaire_install
from trytond.modules.client_card.questionnaire_exceptions import (
    QuoteAnswerError)
from trytond.modules.company.tests import set_company
from trytond.modules.portal.tests.tools import PlatformTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from trytond.modules.insurance_ticket import old_policy
from trytond.modules.insurance_ticket.tests import test_module

FISCAL_CODE = test_module.FISCAL_CODE


def policy_pdf(*pages):
    "Return a PDF made with reportlab, one page per list of lines."
    from reportlab.pdfgen import canvas
    output = io.BytesIO()
    page = canvas.Canvas(output)
    for lines in pages:
        for number, line in enumerate(lines):
            page.drawString(80, 750 - 18 * number, line)
        page.showPage()
    page.save()
    return output.getvalue()


def sheet_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read('xl/sharedStrings.xml').decode()


class TicketQuestionnaireTestCase(PlatformTestCase):
    "Test the ticket's questionnaire"
    module = 'insurance_ticket'

    setup_world = test_module.InsuranceTicketTestCase.setup_world
    open_ticket = test_module.InsuranceTicketTestCase.open_ticket
    as_portal = test_module.InsuranceTicketTestCase.as_portal

    def asked(self):
        "Return the world and a ticket whose questionnaire the broker sent."
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        questionnaire_install.install()
        world = self.setup_world()
        with set_company(world['company']):
            ticket = self.open_ticket(world)
            with Transaction().set_user(world['operator'].id):
                Ticket.take_in_charge([ticket])
                Ticket.write([ticket], {'brokerage': world['rbs'].id})
                Ticket.forward([ticket])
            Ticket.send_questionnaire([ticket],
                Message.web_author(world['broker']), "Questionario")
        return world, Ticket(ticket.id)

    @with_transaction()
    def test_old_policy_read_page_by_page(self):
        "Each fact of the old policy keeps its file and page"
        data = policy_pdf(
            ["Compagnia: Reale Mutua di Assicurazioni",
                "Polizza n. RM/2024001"],
            ["Scadenza: 31/01/2026",
                "Somma assicurata fabbricato: € 3.500.000,00"])
        read = old_policy.read('polizza.pdf', data)
        self.assertEqual(read['current_insurer'], (
                "Reale Mutua di Assicurazioni",
                "old policy polizza.pdf, page 1"))
        self.assertEqual(read['policy_number'][0], 'RM/2024001')
        self.assertEqual(read['expiry'], (
                '31/01/2026', "old policy polizza.pdf, page 2"))
        self.assertEqual(read['rebuild_value'][0], '3.500.000,00')
        # a scan has no text layer: nothing is read
        self.assertEqual(old_policy.read('scan.pdf', policy_pdf([])), {})
        self.assertEqual(old_policy.read('broken.pdf', b'%PDF-1.4 no'), {})

    @with_transaction()
    def test_prefilled_with_provenance(self):
        "The questionnaire opens pre-filled, each value with its source"
        world, ticket = self.asked()
        collection = ticket.questionnaire
        self.assertEqual(ticket.state, 'questionnaire_sent')
        self.assertEqual(collection.risk_type.code, 'globale_fabbricati')
        self.assertEqual(collection.party, world['daniela'])
        self.assertIsNone(collection.needs_version)
        answers = collection.get_answers()
        self.assertEqual(answers['condominio_nome'], "Condominio Aurora")
        self.assertEqual(answers['condominio_cf'], FISCAL_CODE)
        self.assertEqual(answers['compagnia_attuale'],
            "Reale Mutua di Assicurazioni")
        self.assertEqual(answers['numero_polizza'], 'RM/2024001')
        self.assertEqual(answers['scadenza'], '2026-01-31')
        self.assertEqual(answers['anno_costruzione'], 1972)
        self.assertEqual(answers['unita'], 24)
        provenance = collection.provenance()
        first, last = provenance['scadenza']
        self.assertEqual(first, last)
        self.assertEqual(first.channel, 'system')
        self.assertEqual(first.reference, "old policy polizza.pdf, page 1")
        self.assertEqual(provenance['condominio_cf'][0].reference,
            f"ticket {ticket.number}, condominium")
        self.assertIn("old policy polizza.pdf, page 1", first.summary)
        # the spreadsheet sent with it says where each value was read
        sent, = [a for a in ticket.attachments
            if a.category == 'questionnaire']
        text = sheet_text(sent.data)
        self.assertIn("Reale Mutua di Assicurazioni", text)
        self.assertIn("old policy polizza.pdf, page 1", text)

    @with_transaction()
    def test_not_listed_with_the_quote_requests(self):
        "A ticket's questionnaire is not one of the client's quote requests"
        pool = Pool()
        Collection = pool.get('quote.collection')
        RiskType = pool.get('quote.risk.type')
        world, ticket = self.asked()
        risk, = RiskType.search([('code', '=', 'casa')])
        request = Collection.start(world['daniela'], risk, language='it')
        listed = Collection.search(Collection.portal_listed())
        self.assertIn(request, listed)
        self.assertNotIn(ticket.questionnaire, listed)

    @with_transaction()
    def test_broker_correction_kept(self):
        "The broker's correction is kept beside what the policy stated"
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        Message = pool.get('insurance.ticket.message')
        world, ticket = self.asked()
        collection = ticket.questionnaire
        user, context, access = self.as_portal(world['broker'])
        with user, context, access:
            collection.save_answers({'numero_polizza': 'RM/2024001-B'})
        first, last = collection.provenance()['numero_polizza']
        self.assertEqual(first.value, '"RM/2024001"')
        self.assertEqual(first.reference, "old policy polizza.pdf, page 1")
        self.assertEqual(last.value, '"RM/2024001-B"')
        self.assertEqual(last.channel, 'portal')
        self.assertEqual(last.web_user, world['broker'])
        # the client completes and sends: the answers come back
        errors = collection.save_answers({
                'metri_quadri': 1400, 'sinistri_5_anni': 0,
                'condominio_indirizzo': "Via Aurora 3, Milano"})
        self.assertFalse(errors)
        with set_company(world['company']):
            Ticket.answer_questionnaire([ticket],
                Message.web_author(world['client']), "Compilato")
        ticket = Ticket(ticket.id)
        self.assertEqual(ticket.state, 'questionnaire_returned')
        self.assertEqual(ticket.questionnaire.state, 'confirmed')
        returned = ticket.messages[-1]
        self.assertEqual(returned.body, "Compilato")
        names = sorted(a.mime_type for a in returned.attachments)
        self.assertEqual(names, ['application/pdf', (
                    'application/vnd.openxmlformats-officedocument.'
                    'spreadsheetml.sheet')])
        sheet, = [a for a in returned.attachments
            if a.name.endswith('.xlsx')]
        text = sheet_text(sheet.data)
        self.assertIn('RM/2024001-B', text)
        self.assertIn('1400', text)
        self.assertIn("Condominio Aurora", text)

    @with_transaction()
    def test_staff_fill_in_on_behalf(self):
        "Staff answer for the client: channel back office, the staff user"
        world, ticket = self.asked()
        collection = ticket.questionnaire
        with Transaction().set_user(world['operator'].id):
            collection.fill_in({'metri_quadri': '1.200', 'unita': '30'})
            with self.assertRaises(QuoteAnswerError):
                collection.fill_in({'sinistri_5_anni': 'due'})
        answers = collection.get_answers()
        self.assertEqual(answers['metri_quadri'], 1200)
        self.assertEqual(answers['unita'], 30)
        provenance = collection.provenance()
        _, last = provenance['metri_quadri']
        self.assertEqual(last.channel, 'back_office')
        self.assertEqual(last.user, world['operator'])
        self.assertIn("Marco Di Cosimo", last.summary)
        # what the policy stated stays under the staff's value
        first, last = provenance['unita']
        self.assertEqual((first.channel, first.value), ('system', '24'))
        self.assertEqual((last.channel, last.value), ('back_office', '30'))

    @with_transaction()
    def test_portal_reads_no_one_elses_address(self):
        "A ticket's parties read the answers' rows, not who wrote them where"
        from trytond.exceptions import UserError
        History = Pool().get('quote.collection.history')
        world, ticket = self.asked()
        user, context, access = self.as_portal(world['broker'])
        with user, context, access:
            rows = History.search(
                [('collection', '=', ticket.questionnaire.id)])
            self.assertTrue(History.read([r.id for r in rows], ['reference']))
            for name in ['ip_address', 'user', 'web_user', 'summary']:
                with self.subTest(field=name), self.assertRaises(UserError):
                    History.read([rows[0].id], [name])
            with self.assertRaises(UserError):
                History.create([{'collection': ticket.questionnaire.id,
                            'question': 'unita', 'value': '1'}])

    @with_transaction()
    def test_only_the_tickets_parties_read_the_answers(self):
        "Another client or broker cannot read the ticket's answers"
        pool = Pool()
        Collection = pool.get('quote.collection')
        History = pool.get('quote.collection.history')
        world, ticket = self.asked()
        collection = ticket.questionnaire
        for key, seen in [('client', 1), ('colleague', 1), ('broker', 1),
                ('stranger', 0), ('other_broker', 0)]:
            user, context, access = self.as_portal(world[key])
            with user, context, access:
                with self.subTest(user=key):
                    self.assertEqual(Collection.search_count(
                            [('id', '=', collection.id)]), seen)
                    self.assertEqual(bool(History.search(
                                [('collection', '=', collection.id)])),
                        bool(seen))
