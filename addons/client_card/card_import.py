# This file is part of the insurance intermediary platform.
"""The way back: cards imported from the gestionale profile's CSV or XLSX.

Each row is matched to an existing card by codice fiscale, then partita
IVA, then email; a row matching no card makes a new one. Every row is
checked before any is applied: a file with wrong rows is refused with
each wrong row's number and reason, and nothing of it is applied (or,
asked so, only the right rows are, each whole). Each value is written
with its provenance: ``card_channel='import'`` and ``card_reference='file
X, row N'`` in the context of the row's change. An empty cell changes
nothing."""
import csv
import io
import re
from dataclasses import dataclass, field

import openpyxl
from stdnum.it import codicefiscale, iva
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .export_columns import FISCAL_CODE_TYPES, GESTIONALE, VAT_TYPES
from .sync_exceptions import ImportRefused

EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
REQUIRED = [h.header for h in GESTIONALE if h.required]
HEADERS = {h.header: h.key for h in GESTIONALE}


@dataclass
class Row:
    number: int
    values: dict
    party: object = None
    errors: list = field(default_factory=list)


@dataclass
class Report:
    file: str
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    refused: list = field(default_factory=list)

    def text(self):
        lines = [(f'{self.file}: {len(self.created)} new, '
                f'{len(self.updated)} updated, {len(self.refused)} refused')]
        lines += [row_error(r) for r in self.refused]
        return '\n'.join(lines)


def row_error(row):
    return gettext('client_card.msg_import_row',
        row=row.number, error='; '.join(row.errors))


def read_rows(name, data):
    "Yield (row number, {header: text}) of a csv, txt or xlsx file."
    if name.lower().endswith('.xlsx'):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        lines = (['' if v is None else str(v) for v in line]
            for line in book.worksheets[0].iter_rows(values_only=True))
    else:
        text = data.decode('utf-8-sig')
        first = text.split('\n', 1)[0]
        delimiter = '\t' if '\t' in first else ';'
        lines = csv.reader(io.StringIO(text, newline=''), delimiter=delimiter)
    header = None
    for number, line in enumerate(lines, 1):
        if header is None:
            header = [h.strip().upper() for h in line]
            missing = [h for h in REQUIRED if h not in header]
            if missing:
                raise ImportRefused(gettext(
                        'client_card.msg_import_bad_header',
                        columns=', '.join(missing)))
            continue
        if not any(v.strip() for v in line):
            continue
        yield number, {HEADERS[h]: v.strip()
            for h, v in zip(header, line) if h in HEADERS}


def find(values):
    "Return the cards the row's codice fiscale, partita IVA or email match."
    pool = Pool()
    Identifier = pool.get('party.identifier')
    Mechanism = pool.get('party.contact_mechanism')
    found = set()
    code = codicefiscale.compact(values.get('identity.fiscal_code', ''))
    if code:
        found |= {i.party for i in Identifier.search([
                    ('type', 'in', FISCAL_CODE_TYPES + VAT_TYPES),
                    ('code', 'in', [code, 'IT' + code])])}
    vat = iva.compact(values.get('identity.vat_number', ''))
    if vat and not found:
        found |= {i.party for i in Identifier.search([
                    ('type', 'in', VAT_TYPES),
                    ('code', 'in', [vat, 'IT' + vat])])}
    email = values.get('contact.email', '').lower()
    if email and not found:
        found |= {m.party for m in Mechanism.search([
                    ('type', '=', 'email'), ('value', 'ilike', email)])}
    return found


def check(row):
    "Record the row's errors and the card it matches."
    values = row.values
    code = codicefiscale.compact(values.get('identity.fiscal_code', ''))
    vat = iva.compact(values.get('identity.vat_number', ''))
    email = values.get('contact.email', '')
    if code and not (codicefiscale.is_valid(code) or iva.is_valid(code)):
        row.errors.append(gettext(
                'client_card.msg_import_invalid_fiscal_code', code=code))
    if vat and not iva.is_valid(vat):
        row.errors.append(gettext(
                'client_card.msg_import_invalid_vat', code=vat))
    if email and not EMAIL.match(email):
        row.errors.append(gettext(
                'client_card.msg_import_invalid_email', email=email))
    if not (code or vat or email):
        row.errors.append(gettext('client_card.msg_import_missing_identity'))
    if row.errors:
        return
    parties = find(values)
    if len(parties) > 1:
        row.errors.append(gettext('client_card.msg_import_ambiguous'))
    elif parties:
        row.party, = parties
    elif not (values.get('identity.surname')
            or values.get('identity.company_name')):
        row.errors.append(gettext('client_card.msg_import_missing_name'))


def is_company(values):
    return (values.get('identity.kind', '').upper() == 'G'
        or bool(values.get('identity.company_name')))


def name_of(values):
    if is_company(values):
        return values.get('identity.company_name')
    return ' '.join(filter(None, [
                values.get('identity.given_name'),
                values.get('identity.surname')]))


def apply(row):
    "Write the row's values on its card (a new one if none matched)."
    pool = Pool()
    Party = pool.get('party.party')
    values = row.values
    # the card is read in the row's context: its change carries it
    party = Party(row.party.id) if row.party else Party(
        name=name_of(values), identifiers=[],
        contact_mechanisms=[], addresses=[])
    name = name_of(values)
    if name and (row.party is None or values.get('identity.surname')
            or values.get('identity.company_name')):
        party.name = name
    identifiers = list(party.identifiers)
    codes = {i.code for i in identifiers}
    code = codicefiscale.compact(values.get('identity.fiscal_code', ''))
    vat = iva.compact(values.get('identity.vat_number', ''))
    if code and code not in codes and 'IT' + code not in codes \
            and not code.isdigit():
        identifiers.append({'type': 'it_codicefiscale', 'code': code})
    if vat and 'IT' + vat not in codes and vat not in codes:
        identifiers.append({'type': 'eu_vat', 'code': 'IT' + vat})
    party.identifiers = identifiers
    party.contact_mechanisms = mechanisms(party, values)
    party.addresses = addresses(party, values)
    party.save()
    return party


def mechanisms(party, values):
    result = list(party.contact_mechanisms)
    for kind in ['email', 'phone', 'mobile']:
        value = values.get(f'contact.{kind}')
        if not value:
            continue
        current = [m for m in result if m.type == kind]
        if current:
            current[0].value = value
        else:
            result.append({'type': kind, 'value': value})
    return result


def addresses(party, values):
    Country = Pool().get('country.country')
    result = list(party.addresses)
    parts = {k: values.get(f'address.{k}') for k in [
            'street', 'postal_code', 'city']}
    if not any(parts.values()):
        return result
    address = result[0] if result else None
    changes = {'street_unstructured' if k == 'street' else k: v
        for k, v in parts.items() if v}
    if values.get('address.country'):
        countries = Country.search(
            [('code', '=', values['address.country'].upper())], limit=1)
        if countries:
            changes['country'] = countries[0].id
    if address:
        for key, value in changes.items():
            setattr(address, key,
                Country(value) if key == 'country' else value)
    else:
        result.append(changes)
    return result


def import_cards(name, data, skip_bad=False):
    """Import the file; return its report.

    Raise ImportRefused, applying nothing, when a row is wrong, unless
    skip_bad: then the right rows are applied and the wrong ones reported."""
    report = Report(name)
    rows = [Row(number, values) for number, values in read_rows(name, data)]
    for row in rows:
        check(row)
    report.refused = [r for r in rows if r.errors]
    if report.refused and not skip_bad:
        raise ImportRefused(gettext('client_card.msg_import_refused',
                file=name, count=len(report.refused),
                rows='\n'.join(row_error(r) for r in report.refused)))
    for row in rows:
        if row.errors:
            continue
        with Transaction().set_context(card_channel='import',
                card_reference=f'file {name}, row {row.number}'):
            (report.updated if row.party else report.created).append(
                apply(row))
    return report


class ImportStart(ModelView):
    "Import Client Cards"
    __name__ = 'client_card.import.start'

    file = fields.Binary("File", filename='file_name', required=True,
        help="The gestionale profile's CSV (;) or XLSX.")
    file_name = fields.Char("File Name", required=True)
    skip_bad = fields.Boolean("Import the Right Rows",
        help="Apply the right rows and report the wrong ones; otherwise a "
        "file with a wrong row is refused whole.")


class ImportResult(ModelView):
    "Import Client Cards"
    __name__ = 'client_card.import.result'

    report = fields.Text("Report", readonly=True)


class Import(Wizard):
    "Import Client Cards"
    __name__ = 'client_card.import'

    start = StateView('client_card.import.start',
        'client_card.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('client_card.import.result',
        'client_card.import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        report = import_cards(self.start.file_name, bytes(self.start.file),
            skip_bad=self.start.skip_bad)
        self.result.report = report.text()
        return 'result'

    def default_result(self, fields):
        return {'report': self.result.report}
