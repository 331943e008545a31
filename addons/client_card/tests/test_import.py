# This file is part of the insurance intermediary platform.
"""Import of the gestionale profile's files: matching, provenance, and
wrong rows refused with their numbers."""
import io

from trytond.modules.client_card.card_import import import_cards
from trytond.modules.client_card.export import export
from trytond.modules.client_card.sync_exceptions import ImportRefused
from trytond.modules.portal.tests.tools import PlatformTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .sync_tools import COMPANY, create_cards

HEADER = 'TIPO;COGNOME;RAGIONE_SOCIALE;CODICE_FISCALE;PARTITA_IVA;NOME;EMAIL'


def csv_file(*lines):
    return ('\ufeff' + '\r\n'.join([HEADER, *lines]) + '\r\n').encode()


def email_of(party):
    return Pool().get('party.party')(party.id).email


class ImportTestCase(PlatformTestCase):
    "Test the import of client cards"
    module = 'client_card'

    @with_transaction()
    def test_match_and_create(self):
        "Rows match by fiscal code, VAT number or email; others are new cards"
        Party = Pool().get('party.party')
        person, persian, company = create_cards()
        data = csv_file(
            'F;Pàstina;;PSTNCL80A01H501A;;Niccolò;niccolo@nuovo.example',
            'G;;Àbaco Costruzioni S.r.l.;;00743110157;;',
            'F;رضایی;;;;مریم;maryam.rezaei@example.ir',
            'F;Bàrtoli;;BRTGLI80A41H501P;;Giulia;giulia@example.it')
        before = Party.search([], count=True)
        report = import_cards('clienti.csv', data)
        self.assertEqual(
            [p.id for p in report.updated], [person.id, company.id, persian.id])
        self.assertEqual(len(report.created), 1)
        self.assertEqual(Party.search([], count=True), before + 1)
        self.assertEqual(email_of(person), 'niccolo@nuovo.example')
        self.assertEqual(Party(company.id).name, "Àbaco Costruzioni S.r.l.")
        self.assertEqual(Party(persian.id).name, "مریم رضایی")
        new, = report.created
        self.assertEqual(new.name, "Giulia Bàrtoli")
        self.assertEqual(
            [(i.type, i.code) for i in new.identifiers],
            [('it_codicefiscale', 'BRTGLI80A41H501P')])

    @with_transaction()
    def test_provenance(self):
        "Each row's change carries import, file and row number"
        Queue = Pool().get('ir.queue')
        person, _, _ = create_cards()
        import_cards('clienti.csv', csv_file(
                'F;Pàstina;;PSTNCL80A01H501A;;Niccolò;niccolo@nuovo.example'))
        task = [t for t in Queue.search([], order=[('id', 'ASC')])
            if t.data.get('method') == 'card_sync'][-1]
        self.assertEqual(task.data['context']['card_channel'], 'import')
        self.assertEqual(
            task.data['context']['card_reference'], 'file clienti.csv, row 2')
        # the card's history keeps where each value came from
        History = Pool().get('party.card.history')
        rows = History.search([('party', '=', person.id),
                ('channel', '=', 'import')])
        self.assertTrue(rows)
        self.assertEqual({r.reference for r in rows},
            {'file clienti.csv, row 2'})

    @with_transaction()
    def test_bad_rows_refused(self):
        "A file with wrong rows is refused with their numbers, nothing applied"
        Party = Pool().get('party.party')
        person, _, _ = create_cards()
        data = csv_file(
            'F;Pàstina;;PSTNCL80A01H501A;;Niccolò;niccolo@nuovo.example',
            'F;Rossi;;RSSMRA70A01F205X;;Mario;mario@example.it',
            '',
            'F;Verdi;;;;Anna;',
            'G;;Ditta;;12345678901;;',
            'F;Bianchi;;;;Luca;non-una-email')
        before = Party.search([], count=True)
        with self.assertRaises(ImportRefused) as refused:
            import_cards('clienti.csv', data)
        message = refused.exception.message
        for number in [3, 5, 6, 7]:
            self.assertIn(f'Row {number}:', message)
        self.assertNotIn('Row 2:', message)
        self.assertIn('RSSMRA70A01F205X', message)
        self.assertEqual(email_of(person), PEOPLE_EMAIL)
        self.assertEqual(Party.search([], count=True), before)

        report = import_cards('clienti.csv', data, skip_bad=True)
        self.assertEqual([r.number for r in report.refused], [3, 5, 6, 7])
        self.assertEqual([p.id for p in report.updated], [person.id])
        self.assertEqual(email_of(person), 'niccolo@nuovo.example')
        self.assertEqual(Party.search([], count=True), before)

    @with_transaction()
    def test_bad_header(self):
        "A file without the gestionale's columns is refused"
        with self.assertRaises(ImportRefused) as refused:
            import_cards('x.csv', b'NAME;EMAIL\r\nAda;ada@example.com\r\n')
        self.assertIn('CODICE_FISCALE', refused.exception.message)

    @with_transaction()
    def test_xlsx_round_trip(self):
        "The gestionale's xlsx export imports back unchanged"
        Party = Pool().get('party.party')
        parties = create_cards()
        output = io.BytesIO()
        export('xlsx', output, 'gestionale')
        names = [p.name for p in parties]
        report = import_cards('clienti.xlsx', output.getvalue())
        self.assertEqual(
            sorted(p.id for p in report.updated), [p.id for p in parties])
        self.assertEqual(report.created, [])
        self.assertEqual([Party(p.id).name for p in parties], names)
        self.assertEqual(Party(parties[2].id).name, COMPANY['name'])


PEOPLE_EMAIL = 'niccolo.pastina@example.it'

del PlatformTestCase
