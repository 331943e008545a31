# This file is part of the insurance intermediary platform.
"""Exports read back by independent readers: csv, lxml and the XSD,
vobject, openpyxl and json."""
import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import vobject
from lxml import etree
from trytond.modules.client_card.export import changed_since, export
from trytond.modules.client_card.export_formats import NAMESPACE, XSD
from trytond.modules.portal.tests.tools import PlatformTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .sync_tools import COMPANY, PEOPLE, create_cards

# the property names of RFC 2426 (vCard 3.0) and RFC 6350 (vCard 4.0)
RFC_2426 = {'BEGIN', 'END', 'VERSION', 'FN', 'N', 'NICKNAME', 'PHOTO',
    'BDAY', 'ADR', 'LABEL', 'TEL', 'EMAIL', 'MAILER', 'TZ', 'GEO', 'TITLE',
    'ROLE', 'LOGO', 'AGENT', 'ORG', 'CATEGORIES', 'NOTE', 'PRODID', 'REV',
    'SORT-STRING', 'SOUND', 'UID', 'URL', 'CLASS', 'KEY'}
RFC_6350 = {'BEGIN', 'END', 'SOURCE', 'KIND', 'XML', 'FN', 'N', 'NICKNAME',
    'PHOTO', 'BDAY', 'ANNIVERSARY', 'GENDER', 'ADR', 'TEL', 'EMAIL', 'IMPP',
    'LANG', 'TZ', 'GEO', 'TITLE', 'ROLE', 'LOGO', 'ORG', 'MEMBER', 'RELATED',
    'CATEGORIES', 'NOTE', 'PRODID', 'REV', 'SOUND', 'UID', 'CLIENTPIDMAP',
    'URL', 'VERSION', 'KEY', 'FBURL', 'CALADRURI', 'CALURI'}


def exported(format_, profile='full', **options):
    output = io.BytesIO()
    count = export(format_, output, profile, **options)
    return count, output.getvalue()


class ExportTestCase(PlatformTestCase):
    "Test the exports of the client cards"
    module = 'client_card'

    def read_csv(self, data, delimiter):
        return list(csv.DictReader(
                io.StringIO(data.decode('utf-8-sig'), newline=''),
                delimiter=delimiter))

    @with_transaction()
    def test_csv(self):
        "csv: BOM, semicolons, accents and Persian names read back by csv"
        create_cards()
        count, data = exported('csv')
        self.assertEqual(count, 3)
        self.assertTrue(data.startswith('\ufeff'.encode('utf-8')))
        rows = self.read_csv(data, ';')
        self.assertEqual(
            [r['identity.name'] for r in rows],
            [p['name'] for p in PEOPLE] + [COMPANY['name']])
        self.assertEqual(rows[1]['address.city'], "تهران")
        self.assertEqual(rows[0]['identity.fiscal_code'], 'PSTNCL80A01H501A')
        self.assertEqual(rows[0]['identity.surname'], "Pàstina")
        self.assertEqual(rows[0]['identity.kind'], 'person')
        self.assertEqual(rows[2]['identity.kind'], 'company')
        self.assertEqual(rows[2]['identity.vat_number'], '00743110157')
        self.assertEqual(rows[0]['contact.mobile'], '+39 333 123 4567')

    @with_transaction()
    def test_txt_gestionale(self):
        "txt: tabs; the gestionale profile puts its required columns first"
        create_cards()
        _, data = exported('txt', 'gestionale')
        self.assertFalse(data.startswith('\ufeff'.encode('utf-8')))
        header = data.decode('utf-8').splitlines()[0].split('\t')
        self.assertEqual(header[:5], ['TIPO', 'COGNOME', 'RAGIONE_SOCIALE',
                'CODICE_FISCALE', 'PARTITA_IVA'])
        rows = self.read_csv(data, '\t')
        person, persian, company = rows
        self.assertEqual((person['TIPO'], person['COGNOME'], person['NOME']),
            ('F', "Pàstina", "Niccolò"))
        self.assertEqual(persian['COGNOME'], "رضایی")
        self.assertEqual(
            (company['TIPO'], company['RAGIONE_SOCIALE'],
                company['PARTITA_IVA'], company['COGNOME']),
            ('G', COMPANY['name'], '00743110157', ''))

    @with_transaction()
    def test_contacts_profile(self):
        "The contacts profile has contact columns only"
        create_cards()
        _, data = exported('csv', 'contacts')
        rows = self.read_csv(data, ';')
        self.assertNotIn('identity.fiscal_code', rows[0])
        self.assertEqual(rows[0]['contact.email'], PEOPLE[0]['email'])

    @with_transaction()
    def test_xml_valid_against_xsd(self):
        "xml: the whole file is valid against the shipped XSD"
        create_cards()
        _, data = exported('xml', 'gestionale', size=2)
        schema = etree.XMLSchema(etree.parse(XSD))
        document = etree.fromstring(data)
        schema.assertValid(document)
        cards = document.findall(f'{{{NAMESPACE}}}card')
        self.assertEqual(len(cards), 3)
        fields = {f.get('name'): f.text or ''
            for f in cards[1].findall(f'{{{NAMESPACE}}}field')}
        self.assertEqual(fields['COGNOME'], "رضایی")
        self.assertEqual(fields['CODICE_FISCALE'], 'RZAMRY85E45Z224N')

    @with_transaction()
    def test_xml_invalid_not_written(self):
        "xml: a batch the XSD refuses is not written"
        Party = Pool().get('party.party')
        Party(name="x" * 5000).save()
        output = io.BytesIO()
        with self.assertRaises(etree.DocumentInvalid):
            export('xml', output)
        self.assertNotIn(b'<card ', output.getvalue())

    @with_transaction()
    def test_vcard_3(self):
        "vcf: vCard 3.0 read by vobject, one card property by property"
        create_cards()
        _, data = exported('vcf')
        cards = list(vobject.readComponents(data.decode('utf-8')))
        self.assertEqual(len(cards), 3)
        card = cards[0]
        self.assertEqual(card.version.value, '3.0')
        self.assertEqual(card.fn.value, "Niccolò Pàstina")
        self.assertEqual(
            (card.n.value.family, card.n.value.given), ("Pàstina", "Niccolò"))
        self.assertEqual(card.email.value, PEOPLE[0]['email'])
        self.assertEqual(card.tel.value, '+39 333 123 4567')
        self.assertEqual(card.tel.params['TYPE'], ['cell'])
        self.assertEqual(card.adr.value.city, "Roma")
        self.assertEqual(card.adr.value.street, "Via Sant'Agnese 12")
        self.assertEqual(card.x_codice_fiscale.value, 'PSTNCL80A01H501A')
        standard = {name.upper() for name in card.contents
            if not name.upper().startswith('X-')}
        self.assertLessEqual(
            standard, RFC_2426 - {'BEGIN', 'END'})
        self.assertLessEqual({'VERSION', 'FN', 'N', 'UID', 'REV'}, standard)
        self.assertEqual(cards[1].fn.value, "مریم رضایی")
        self.assertEqual(cards[2].org.value, [COMPANY['name']])

    @with_transaction()
    def test_vcard_4_split(self):
        "vcf: vCard 4.0, one file per contact in a zip"
        create_cards()
        _, data = exported('vcf', vcard_version='4.0', vcard_split=True)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            self.assertEqual(len(names), 3)
            cards = [vobject.readOne(archive.read(n).decode('utf-8'))
                for n in names]
        person = next(c for c in cards if c.fn.value == "Niccolò Pàstina")
        self.assertEqual(person.version.value, '4.0')
        self.assertEqual(person.kind.value, 'individual')
        self.assertEqual(person.tel.value, 'tel:+393331234567')
        self.assertEqual(f'{person.uid.value}.vcf' in names, True)
        standard = {name.upper() for name in person.contents
            if not name.upper().startswith('X-')}
        self.assertLessEqual(standard, RFC_6350)
        company = next(c for c in cards if c.fn.value == COMPANY['name'])
        self.assertEqual(company.kind.value, 'org')

    @with_transaction()
    def test_xlsx(self):
        "xlsx: text cells read back by openpyxl, a legend for the gestionale"
        create_cards()
        _, data = exported('xlsx', 'gestionale')
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        self.assertEqual(book.sheetnames, ['Clienti', 'Legenda'])
        rows = list(book['Clienti'].iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(header[:2], ('TIPO', 'COGNOME'))
        person = dict(zip(header, rows[1]))
        self.assertEqual(person['COGNOME'], "Pàstina")
        self.assertEqual(person['CELLULARE'], '+39 333 123 4567')
        self.assertEqual(dict(zip(header, rows[2]))['COMUNE'], "تهران")
        legend = list(book['Legenda'].iter_rows(values_only=True))
        self.assertEqual(legend[1], ('TIPO', 'SI',
                "F persona fisica, G persona giuridica"))

    @with_transaction()
    def test_json(self):
        "json: the cards and their columns"
        create_cards()
        _, data = exported('json', size=1)
        document = json.loads(data)
        self.assertEqual(document['profile'], 'full')
        self.assertEqual(len(document['cards']), 3)
        self.assertEqual(document['cards'][1]['identity.name'], "مریم رضایی")

    @with_transaction()
    def test_batches_and_since(self):
        "The cards are read in batches; since keeps the changed ones"
        create_cards()
        seen = []
        count, _ = exported('csv', size=2, progress=seen.append)
        self.assertEqual((count, seen), (3, [2, 3]))
        tomorrow = dt.date.today() + dt.timedelta(days=2)
        count, _ = exported('csv', domain=changed_since(tomorrow))
        self.assertEqual(count, 0)
        count, _ = exported('csv', domain=changed_since(
                dt.date.today() - dt.timedelta(days=1)))
        self.assertEqual(count, 3)

    @with_transaction()
    def test_export_job(self):
        "The queued export keeps its file as an attachment"
        pool = Pool()
        Job = pool.get('client_card.export.job')
        parties = create_cards()
        job = Job(format='csv', profile='gestionale', parties=parties[:2])
        job.save()
        Job.run([job])
        job = Job(job.id)
        self.assertEqual((job.state, job.count, job.progress), ('done', 2, 1))
        self.assertTrue(job.file_name.endswith('.csv'))
        rows = self.read_csv(bytes(job.file), ';')
        self.assertEqual(len(rows), 2)
        self.assertEqual(job.attachment.resource, job)

    @with_transaction()
    def test_export_wizard(self):
        "The wizard queues an export of the chosen cards and opens it"
        pool = Pool()
        Export = pool.get('client_card.export', type='wizard')
        Job = pool.get('client_card.export.job')
        Party = pool.get('party.party')
        parties = create_cards()
        with Transaction().set_context(
                active_model='party.party', active_ids=[parties[1].id],
                active_id=parties[1].id):
            session_id, _, _ = Export.create()
            export_wizard = Export(session_id)
            self.assertEqual(
                export_wizard.default_start(None)['selected'], 1)
            export_wizard.start.format = 'vcf'
            export_wizard.start.profile = 'contacts'
            export_wizard.start.vcard_version = '4.0'
            export_wizard.start.vcard_split = False
            export_wizard.start.since = None
            self.assertEqual(export_wizard.transition_queue(), 'open_')
            action, _ = export_wizard.do_open_(
                {'res_id': None, 'views': [1, 2]})
        job, = Job.search([])
        self.assertEqual(action['res_id'], [job.id])
        self.assertEqual(job.parties, (Party(parties[1].id),))
        Job.run([job])
        card = vobject.readOne(bytes(Job(job.id).file).decode())
        self.assertEqual(card.fn.value, "مریم رضایی")

    @with_transaction()
    def test_export_job_failed(self):
        "An export that fails says why"
        pool = Pool()
        Job = pool.get('client_card.export.job')
        Party = pool.get('party.party')
        Party(name="x" * 5000).save()
        job = Job(format='xml', profile='full')
        job.save()
        Job.run([job])
        job = Job(job.id)
        self.assertEqual(job.state, 'failed')
        self.assertIn('DocumentInvalid', job.error)
        self.assertIsNone(job.attachment)


    def kept_rows(self):
        ExportRow = Pool().get('client_card.export.row')
        return {r.party.id: r for r in ExportRow.search([])}

    @with_transaction()
    def test_rows_kept_as_the_cards(self):
        "The kept rows write what the cards say, and follow every change"
        from trytond.modules.client_card.export_cache import _RowsManager
        from trytond.modules.client_card.export_columns import headers, row
        parties = create_cards()
        # the first export works the rows out and keeps them
        _, first = exported('csv', 'gestionale')
        kept = self.kept_rows()
        self.assertEqual(set(kept), {p.id for p in parties})
        keys = [h.header for h in headers('gestionale')]
        self.assertEqual(
            [list(r.values()) for r in self.read_csv(first, ';')],
            [[row(p, 'gestionale')[h.key] for h in headers('gestionale')]
                for p in parties])
        self.assertEqual(list(self.read_csv(first, ';')[0]), keys)

        # a change in the same transaction is read from the card
        person = parties[0]
        address, = person.addresses
        address.city = "Città di Castello"
        address.save()
        _, second = exported('csv')
        self.assertEqual(
            self.read_csv(second, ';')[0]['address.city'], "Città di Castello")

        # at the commit the row of every changed card is written again
        Transaction().join(_RowsManager()).commit(Transaction())
        kept = self.kept_rows()
        self.assertEqual(
            kept[person.id].values['address.city'], "Città di Castello")
        self.assertFalse(Transaction().join(_RowsManager()).party_ids)
        _, third = exported('csv')
        self.assertEqual(third, second)

    @with_transaction()
    def test_row_of_an_inactive_card(self):
        "A card made inactive keeps its row up to date for chosen exports"
        from trytond.modules.client_card.export_cache import _RowsManager
        from .sync_tools import set_email
        Party = Pool().get('party.party')
        company = create_cards()[-1]
        Party.write([company], {'active': False})
        set_email(company, 'archivio@abaco.example')
        Transaction().join(_RowsManager()).commit(Transaction())
        self.assertEqual(self.kept_rows()[company.id].values['contact.email'],
            'archivio@abaco.example')
        _, data = exported('csv', ids=[company.id])
        self.assertEqual(self.read_csv(data, ';')[0]['contact.email'],
            'archivio@abaco.example')

    @with_transaction()
    def test_row_of_an_older_layout(self):
        "A row kept by an older column layout is worked out again"
        ExportRow = Pool().get('client_card.export.row')
        parties = create_cards()
        exported('csv')
        stale = self.kept_rows()[parties[1].id]
        ExportRow.write([stale], {
                'layout': 'older', 'values': {'identity.name': "Vecchio"}})
        ExportRow.changed_now().clear()
        _, data = exported('csv')
        self.assertEqual(
            self.read_csv(data, ';')[1]['identity.name'], PEOPLE[1]['name'])
        self.assertNotEqual(self.kept_rows()[parties[1].id].layout, 'older')

    @with_transaction()
    def test_rows_read_by_no_group(self):
        "No back-office group reads the kept export rows"
        pool = Pool()
        Access = pool.get('ir.model.access')
        Group = pool.get('res.group')
        ExportRow = pool.get('client_card.export.row')
        create_cards()
        exported('csv')
        for group in Group.search([]):
            with Transaction().set_context(groups=[group.id]):
                access = Access.get_access(['client_card.export.row'])
            self.assertFalse(
                any(access['client_card.export.row'].values()), group.name)
        self.assertTrue(ExportRow.search([], count=True))


class CardExportTestCase(PlatformTestCase):
    "Test the exports of the client card's own fields"
    module = 'client_card'

    @with_transaction()
    def test_card_fields(self):
        "The card's sections are columns; its identity fills the party's"
        Party = Pool().get('party.party')
        party = Party(name="Mario Rossi", card_kind='natural',
            surname="Rossi", first_name="Mario",
            fiscal_code='RSSMRA70A01F205V', residence_city="Milano",
            contact_mechanisms=[
                {'type': 'email', 'value': 'mario@rossi.example'}])
        party.save()
        _, data = exported('csv')
        row, = csv.DictReader(io.StringIO(data.decode('utf-8-sig')),
            delimiter=';')
        self.assertEqual(row['identity.fiscal_code'], 'RSSMRA70A01F205V')
        self.assertEqual(
            (row['identity.surname'], row['identity.given_name']),
            ("Rossi", "Mario"))
        self.assertEqual(row['card.kind'], 'natural')
        self.assertEqual(row['residence.residence_city'], "Milano")
        self.assertEqual(row['address.city'], "Milano")
        self.assertNotIn('identity.card_kind', row)
        self.assertEqual(row['contacts.emails'], 'mario@rossi.example')
        self.assertIn('identity.birth_date', row)
        _, data = exported('xml')
        etree.XMLSchema(etree.parse(XSD)).assertValid(etree.fromstring(data))


del PlatformTestCase
