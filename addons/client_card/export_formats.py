# This file is part of the insurance intermediary platform.
"""The writers of the exports: each takes the rows of the cards batch by
batch and writes them as they come, so no export holds every card.

- csv: UTF-8 with a BOM, ``;`` between values (what Excel opens in Italy);
- txt: UTF-8, a tab between values;
- json: ``{"profile": ..., "columns": [...], "cards": [{...}, ...]}``;
- xml: the platform's namespace, each batch checked against
  ``client_card.xsd`` before it is written;
- vcf: vCard 3.0 (Outlook, iOS, macOS) or 4.0 (RFC 6350), in one file
  or as a zip of one file per contact (Outlook reads only the first
  contact of a file);
- xlsx: xlsxwriter in constant-memory mode, every value a text cell; the
  gestionale profile adds a legend sheet.
"""
import csv
import datetime as dt
import io
import json
import os
import uuid
import zipfile
from collections import namedtuple

import vobject
from lxml import etree
from trytond.modules.portal import xlsx

from .export_columns import headers

FORMATS = [
    ('csv', "CSV (;)"),
    ('txt', "Text (tab)"),
    ('xml', "XML"),
    ('vcf', "vCard"),
    ('xlsx', "Excel (xlsx)"),
    ('json', "JSON"),
    ]
EXTENSIONS = {'csv': 'csv', 'txt': 'txt', 'xml': 'xml', 'vcf': 'vcf',
    'xlsx': 'xlsx', 'json': 'json'}
MIMETYPES = {
    'csv': 'text/csv', 'txt': 'text/plain', 'xml': 'application/xml',
    'vcf': 'text/vcard', 'json': 'application/json', 'zip': 'application/zip',
    'xlsx': 'application/vnd.openxmlformats-officedocument'
    '.spreadsheetml.sheet',
    }
NAMESPACE = 'urn:x-insurance-platform:client-card:1'
XSD = os.path.join(os.path.dirname(__file__), 'client_card.xsd')
# the namespace of the cards' UIDs (vCard, CardDAV)
UID_NAMESPACE = uuid.UUID('6f1f4c52-3c55-4d7e-9c8a-1f0e3b7a2d10')


# a card as the writers need it: its party's id
Card = namedtuple('Card', 'id')


def card_uid(party):
    "Return the stable UID of the party's contact."
    return str(uuid.uuid5(UID_NAMESPACE, f'party-{party.id}'))


class Writer:
    "Write rows (``{key: text}``) of a profile to a binary file."
    extension = None

    def __init__(self, output, profile, **options):
        self.output = output
        self.profile = profile
        self.headers = headers(profile)
        self.options = options

    def open(self):
        pass

    def write(self, parties, rows):
        "Write the batch of parties and their rows ({key: text})."
        raise NotImplementedError

    def write_rows(self, parties, rows):
        "Write the batch of parties and their rows (texts, headers' order)."
        keys = [h.key for h in self.headers]
        self.write(parties, [dict(zip(keys, r)) for r in rows])

    def close(self):
        pass


class CSVWriter(Writer):
    delimiter = ';'
    bom = True

    def open(self):
        self.text = io.TextIOWrapper(
            self.output, encoding='utf-8', newline='', write_through=True)
        if self.bom:
            self.text.write('\ufeff')
        self.writer = csv.writer(
            self.text, delimiter=self.delimiter, lineterminator='\r\n')
        self.writer.writerow([h.header for h in self.headers])

    def write(self, parties, rows):
        self.writer.writerows(
            [row[h.key] for h in self.headers] for row in rows)

    def write_rows(self, parties, rows):
        self.writer.writerows(rows)

    def close(self):
        self.text.flush()
        self.text.detach()


class TXTWriter(CSVWriter):
    delimiter = '\t'
    bom = False


class JSONWriter(Writer):

    def open(self):
        head = json.dumps({
                'profile': self.profile,
                'columns': [h.header for h in self.headers]},
            ensure_ascii=False)
        self.output.write((head[:-1] + ', "cards": [').encode())
        self.first = True

    def write(self, parties, rows):
        chunks = []
        for row in rows:
            card = {h.header: row[h.key] for h in self.headers}
            chunks.append(('' if self.first else ',\n')
                + json.dumps(card, ensure_ascii=False))
            self.first = False
        self.output.write(''.join(chunks).encode())

    def close(self):
        self.output.write(b']}\n')


def xml_schema():
    return etree.XMLSchema(etree.parse(XSD))


class XMLWriter(Writer):

    def open(self):
        self.schema = xml_schema()
        self.output.write(
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + f'<cards xmlns="{NAMESPACE}" profile="{self.profile}" '
            f'exported="{dt.datetime.now():%Y-%m-%dT%H:%M:%S}">\n'.encode())

    def element(self, party, row):
        card = etree.Element(f'{{{NAMESPACE}}}card', nsmap={None: NAMESPACE})
        card.set('id', str(party.id))
        card.set('uid', card_uid(party))
        for header in self.headers:
            field = etree.SubElement(card, f'{{{NAMESPACE}}}field')
            field.set('name', header.header)
            field.text = row[header.key]
        return card

    def write(self, parties, rows):
        batch = etree.Element(
            f'{{{NAMESPACE}}}cards', nsmap={None: NAMESPACE})
        batch.set('profile', self.profile)
        batch.set('exported', f'{dt.datetime.now():%Y-%m-%dT%H:%M:%S}')
        for party, row in zip(parties, rows):
            batch.append(self.element(party, row))
        # the batch is checked before any of it is written
        self.schema.assertValid(batch)
        for card in batch:
            self.output.write(etree.tostring(card, encoding='utf-8'))
            self.output.write(b'\n')

    def close(self):
        self.output.write(b'</cards>\n')


def vcard(party, row, version='3.0'):
    "Return the vobject vCard of the card row (keys of the full profile)."
    card = vobject.vCard()
    card.add('version').value = version
    company = row.get('identity.kind') in {'company', 'G'}
    name = row.get('identity.name') or ' '.join(filter(None, [
                row.get('identity.given_name'), row.get('identity.surname'),
                ])) or row.get('identity.company_name', '')
    card.add('fn').value = name
    if company:
        card.add('n').value = vobject.vcard.Name()
        card.add('org').value = [row.get('identity.company_name') or name]
    else:
        card.add('n').value = vobject.vcard.Name(
            family=row.get('identity.surname', ''),
            given=row.get('identity.given_name', ''))
    if version == '4.0':
        card.add('kind').value = 'org' if company else 'individual'
    if row.get('contact.email'):
        email = card.add('email')
        email.value = row['contact.email']
        email.type_param = 'INTERNET' if version == '3.0' else 'work'
    for key, kind in [('contact.phone', 'voice'), ('contact.mobile', 'cell')]:
        if row.get(key):
            tel = card.add('tel')
            if version == '4.0':
                tel.value = 'tel:' + row[key].replace(' ', '')
                tel.params['VALUE'] = ['uri']
            else:
                tel.value = row[key]
            tel.type_param = kind
    if row.get('contact.website'):
        card.add('url').value = row['contact.website']
    if any(row.get(k) for k in ['address.street', 'address.city']):
        card.add('adr').value = vobject.vcard.Address(
            street=row.get('address.street', ''),
            city=row.get('address.city', ''),
            region=row.get('address.province', ''),
            code=row.get('address.postal_code', ''),
            country=row.get('address.country', ''))
    if row.get('identity.fiscal_code'):
        card.add('x-codice-fiscale').value = row['identity.fiscal_code']
    if row.get('identity.vat_number'):
        card.add('x-partita-iva').value = row['identity.vat_number']
    card.add('uid').value = card_uid(party)
    if row.get('card.updated'):
        updated = dt.datetime.fromisoformat(row['card.updated'])
        card.add('rev').value = updated.strftime('%Y%m%dT%H%M%SZ')
    return card


class VCFWriter(Writer):
    "vCards; each is built from every column, whatever the profile."

    def __init__(self, output, profile, **options):
        super().__init__(output, 'full', **options)
        self.version = options.get('vcard_version') or '3.0'
        self.split = options.get('vcard_split', False)

    @property
    def extension(self):
        return 'zip' if self.split else 'vcf'

    def open(self):
        if self.split:
            self.archive = zipfile.ZipFile(
                self.output, 'w', compression=zipfile.ZIP_DEFLATED)

    def write(self, parties, rows):
        for party, row in zip(parties, rows):
            text = vcard(party, row, self.version).serialize()
            if self.split:
                self.archive.writestr(f'{card_uid(party)}.vcf', text)
            else:
                self.output.write(text.encode('utf-8'))

    def close(self):
        if self.split:
            self.archive.close()


class XLSXWriter(Writer):

    def open(self):
        self.book = xlsx.workbook(self.output, constant_memory=True)
        self.sheet = self.book.add_worksheet('Clienti')
        if self.profile == 'gestionale':
            legend = self.book.add_worksheet('Legenda')
            for number, cell in enumerate(
                    ['COLONNA', 'OBBLIGATORIA', 'DESCRIZIONE']):
                legend.write_string(0, number, cell)
            for line, header in enumerate(self.headers, 1):
                legend.write_string(line, 0, header.header)
                legend.write_string(line, 1, 'SI' if header.required else 'NO')
                legend.write_string(line, 2, header.description)
        for number, header in enumerate(self.headers):
            self.sheet.write_string(0, number, header.header)
        self.line = 1

    def write(self, parties, rows):
        for row in rows:
            for number, header in enumerate(self.headers):
                if row[header.key]:
                    self.sheet.write_string(self.line, number, row[header.key])
            self.line += 1

    def close(self):
        self.book.close()


WRITERS = {
    'csv': CSVWriter, 'txt': TXTWriter, 'json': JSONWriter,
    'xml': XMLWriter, 'vcf': VCFWriter, 'xlsx': XLSXWriter,
    }


def writer(format_, output, profile='full', **options):
    "Return the writer of the format."
    return WRITERS[format_](output, profile, **options)
