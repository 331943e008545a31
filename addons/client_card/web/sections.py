# This file is part of the insurance intermediary platform.
"""What each section's form holds: the form's field names (those of the
portal contract), the card's values as the form shows them, and the
values the form's input writes to the card."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from trytond.modules.portal.web import forms
from trytond.modules.portal.web.i18n import N_
from trytond.modules.portal.web.i18n import gettext as _
from trytond.modules.portal.web.tryton import tryton

# (code, label, the kinds it applies to): the card's sections
LABELS = {
    'identity': N_("Identity"),
    'document': N_("Identity documents"),
    'residence': N_("Residence"),
    'family': N_("Family"),
    'activity': N_("Activity"),
    'bank': N_("Bank"),
    'contacts': N_("Contacts"),
    'representatives': N_("Representatives and owners"),
    }
LEGAL_LABELS = dict(LABELS, residence=N_("Registered office"))
PARTS = ['street', 'street_number', 'postal_code', 'city', 'province',
    'country']
# the form's names of the party's fields, by section
FORM_NAMES = {
    'identity': {
        'card_kind': 'person_type', 'surname': 'surname',
        'first_name': 'first_name', 'sex': 'sex', 'birth_date': 'birth_date',
        'birth_place': 'birth_place', 'citizenship': 'citizenship',
        'fiscal_code': 'fiscal_code', 'company_name': 'company_name',
        'legal_form': 'legal_form', 'vat_code': 'vat_code',
        'rea_number': 'rea_number'},
    'residence': dict(
        {f'residence_{p}': p for p in PARTS},
        domicile_differs='domicile_differs',
        **{f'domicile_{p}': f'domicile_{p}' for p in PARTS}),
    'family': {'marital_status': 'marital_status',
        'dependants': 'dependants'},
    'activity': {'occupation': 'occupation',
        'occupation_detail': 'occupation_detail', 'employer': 'employer',
        'ateco_code': 'ateco_code', 'income_band': 'income_band'},
    'bank': {'iban': 'iban', 'account_holder': 'account_holder'},
    'contacts': {'pec': 'pec'},
    }
NATURAL_ONLY = {'surname', 'first_name', 'sex', 'birth_date', 'birth_place',
    'citizenship'}
LEGAL_ONLY = {'company_name', 'legal_form', 'vat_code', 'rea_number'}
COUNTRY_FIELDS = {'citizenship', 'residence_country', 'domicile_country'}
DATE_FIELDS = {'birth_date'}
MAX_LENGTH = {
    'birth_place': 100, 'fiscal_code': 16, 'rea_number': 12, 'iban': 34,
    'account_holder': 200, 'occupation_detail': 200, 'employer': 200,
    'ateco_code': 8, 'document_number': 30, 'document_issuer': 100,
    'document_issue_place': 100, 'member_name': 200, 'rep_name': 200,
    'rep_fiscal_code': 16, 'pec': 254, 'emails': 2000, 'mobiles': 500,
    'phones': 500, 'dependants': 3, 'rep_share': 6}


def labels(kind):
    return LEGAL_LABELS if kind == 'legal' else LABELS


def form_name(section, field):
    "Return the form's name of a model field the card refused."
    return FORM_NAMES.get(section, {}).get(field, field)


def to_form(party, section):
    "Return the section's current values as the form shows them."
    values = {}
    for field, name in FORM_NAMES.get(section, {}).items():
        value = getattr(party, field)
        if field in COUNTRY_FIELDS:
            value = value.code if value else ''
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = '1' if value else ''
        elif value is None:
            value = ''
        values[name] = str(value)
    if section == 'identity':
        values['person_type'] = party.card_kind or 'natural'
    if section == 'residence' and not values.get('country'):
        values['country'] = 'IT'
    if section == 'contacts':
        for kind in ['email', 'mobile', 'phone']:
            values[f'{kind}s'] = '\n'.join(party.card_contacts(kind))
    return values


def from_form(party, section, form):
    """Return the party values of the section's form and the errors by
    form field of what cannot be read (dates, numbers, countries)."""
    errors = forms.too_long(form, {}, MAX_LENGTH)
    values = {}
    kind = form.get('person_type') if section == 'identity' else (
        party.card_kind)
    if section == 'identity' and kind not in {'natural', 'legal'}:
        errors['person_type'] = _("Choose a natural or a legal person.")
        kind = party.card_kind
    elif section == 'identity' and kind != party.card_kind:
        # another kind of person: its fields show once the kind is saved
        return {'card_kind': kind}, errors
    for field, name in FORM_NAMES.get(section, {}).items():
        if kind == 'natural' and field in LEGAL_ONLY:
            continue
        if kind == 'legal' and field in NATURAL_ONLY:
            continue
        text = (form.get(name) or '').strip()
        try:
            values[field] = read_value(field, text)
        except ValueError as error:
            errors[name] = str(error)
    if section == 'residence' and not values.get('domicile_differs'):
        for part in PARTS:
            values.pop(f'domicile_{part}', None)
    if section == 'identity' and kind == 'natural':
        required = ['surname', 'first_name', 'fiscal_code']
    elif section == 'identity':
        required = ['company_name', 'vat_code', 'fiscal_code']
    elif section == 'residence':
        required = ['street', 'postal_code', 'city']
    else:
        required = []
    forms.required(form, required, errors)
    return values, errors


def read_value(field, text):
    "Return the model value of a form's text, or raise ValueError."
    if field in COUNTRY_FIELDS:
        if not text:
            return None
        Country = tryton.pool.get('country.country')
        countries = Country.search([('code', '=', text.upper()[:2])],
            limit=1)
        if not countries:
            raise ValueError(_("Choose a country from the list."))
        return countries[0].id
    if field in DATE_FIELDS:
        return read_date(text)
    if field == 'dependants':
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(_("Enter a whole number, 0 or more."))
        return int(text)
    if field == 'domicile_differs':
        return text == '1'
    if field == 'card_kind':
        return text
    if field in {'residence_province', 'domicile_province'}:
        return text.upper() or None
    return text or None


def read_date(text):
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Enter the date as YYYY-MM-DD, e.g. 1980-01-31."))


def read_share(text):
    if not text:
        return None
    try:
        return Decimal(text.replace(',', '.'))
    except InvalidOperation:
        raise ValueError(_("Enter a percentage, e.g. 50 or 12.5."))


def lines(text):
    "Return the non-empty lines of a text area."
    return [line.strip() for line in (text or '').replace(',', '\n')
        .splitlines() if line.strip()]
