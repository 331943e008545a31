# This file is part of the insurance intermediary platform.
"""The checks of the card's values, each raising CardValidationError with
the field it is about: the models run them on every write, the portal
shows the message beside the field.

The codice fiscale is checked twice: python-stdnum checks its checksum,
python-codicefiscale recomputes it from surname, first name, sex, birth
date and birth place (the Belfiore codes of the municipalities and
countries, as they were at the birth date), omocodia included.
"""
import datetime as dt
import re

import ateco
import phonenumbers
from codicefiscale import codicefiscale as cf_codec
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.it import codicefiscale as cf_number
from stdnum.it import iva
from trytond.i18n import gettext

from .exceptions import CardValidationError

REA = re.compile(r'^[A-Z]{2}-?\d{1,7}$')
POSTAL_CODE = re.compile(r'^\d{5}$')


def fail(field, message, **values):
    raise CardValidationError(
        gettext(f'client_card.{message}', **values), field=field)


def compact_fiscal_code(code):
    return re.sub(r'\s', '', code or '').upper()


def fiscal_code(code, surname=None, first_name=None, sex=None,
        birth_date=None, birth_place=None, field='fiscal_code'):
    """Return the compact personal codice fiscale after checking its
    checksum and, when the data are known, that it is the code of that
    person (any of its omocodia variants)."""
    code = compact_fiscal_code(code)
    if len(code) != 16 or not cf_number.is_valid(code):
        fail(field, 'msg_fiscal_code_checksum', code=code)
    if not all([surname, first_name, sex, birth_date, birth_place]):
        return code
    try:
        expected = cf_codec.encode(surname, first_name, sex,
            birth_date.isoformat(), birth_place)
    except ValueError:
        fail('birth_place', 'msg_birth_place_unknown', place=birth_place)
    base = cf_codec.decode(code)['omocodes'][0]
    if base[:15] != expected[:15]:
        fail(field, 'msg_fiscal_code_mismatch', code=code)
    return code


def birth_place(place, birth_date=None):
    "Return the Belfiore code of a municipality or country, or fail."
    code = cf_codec.encode_birthplace(
        place, birth_date.isoformat() if birth_date else None)
    if not code:
        fail('birth_place', 'msg_birth_place_unknown', place=place)
    return code


def company_fiscal_code(code, field='company_fiscal_code'):
    "A company's codice fiscale: 11 digits (its P.IVA) or 16 characters."
    code = compact_fiscal_code(code)
    if code.isdigit() and len(code) == 11:
        if not iva.is_valid(code):
            fail(field, 'msg_fiscal_code_checksum', code=code)
        return code
    return fiscal_code(code, field=field)


def vat_code(code, field='vat_code'):
    "Return the compact P.IVA (without IT) or fail."
    compact = re.sub(r'[\s.]', '', code or '').upper()
    compact = compact.removeprefix('IT')
    if not (compact.isdigit() and iva.is_valid(compact)):
        fail(field, 'msg_vat_invalid', code=code)
    return compact


def rea_number(number, field='rea_number'):
    compact = re.sub(r'\s', '', number or '').upper()
    if not REA.match(compact):
        fail(field, 'msg_rea_invalid', number=number)
    return compact


def iban(number, field='iban'):
    "Return the IBAN compact and its bank's name (when known), or fail."
    try:
        value = IBAN(number or '')
    except SchwiftyException:
        fail(field, 'msg_iban_invalid', iban=number)
    try:
        bank = value.bank_name
    except SchwiftyException:
        bank = None
    return value.compact, bank


def ateco_code(code, field='ateco_code'):
    """Return the ATECO 2025 code; a 2007/2022 code with one 2025
    counterpart is converted, others fail."""
    text = (code or '').strip()
    if ateco.validate(text, edition='2025'):
        return ateco.lookup(text, edition='2025').code
    if ateco.validate(text, edition='2022'):
        mapped = ateco.map_code(text, '2022', '2025')
        if not mapped.ambiguous:
            return mapped.targets[0]
        fail(field, 'msg_ateco_ambiguous', code=text,
            codes=', '.join(mapped.targets))
    fail(field, 'msg_ateco_invalid', code=text)


def ateco_title(code):
    node = ateco.lookup(code, edition='2025') if code else None
    return node.title if node else ''


def phone(number, field, mobile=False):
    "Return the number in E.164 or fail."
    try:
        parsed = phonenumbers.parse(number, 'IT')
    except phonenumbers.NumberParseException:
        parsed = None
    if not parsed or not phonenumbers.is_valid_number(parsed):
        fail(field, 'msg_phone_invalid', number=number)
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.E164)


def postal_code(code, country='IT', field='postal_code'):
    if country == 'IT' and not POSTAL_CODE.match(code or ''):
        fail(field, 'msg_postal_code_invalid', code=code)
    return code


def past_date(value, field):
    if value and value > dt.date.today():
        fail(field, 'msg_date_future')
    return value
