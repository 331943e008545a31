# This file is part of the insurance intermediary platform.
"""Checks of the account forms; each returns translated errors by field."""
import hashlib
import hmac
import os
import re
import secrets
from email.errors import HeaderParseError
from email.headerregistry import Address
from functools import cache

import phonenumbers
from flask import current_app, session
from stdnum.it import iva

from trytond.res.user import PasswordError
from trytond.tools.email_ import EmailNotValidError, validate_email

from .i18n import gettext as _
from .tryton import tryton

# A client code: two to four capital letters, an optional dash, 4 to 8 digits
CLIENT_CODE = re.compile(r'^[A-Z]{2,4}-?\d{4,8}$')
POSTAL_CODE = re.compile(r'^\d{5}$')
FORBIDDEN_PASSWORDS = os.path.join(
    os.path.dirname(__file__), 'forbidden_passwords.txt')

SIGNUP_REQUIRED = ['surname', 'first_name', 'phone', 'email', 'captcha']
SIGNUP_TEXT = [
    'surname', 'first_name', 'phone', 'email', 'company_name', 'street',
    'street_number', 'postal_code', 'city', 'province', 'vat_code',
    'management_software', 'condominium_count', 'captcha', 'service']
PROFILE_TEXT = [
    'phone', 'street', 'street_number', 'postal_code', 'city', 'province',
    'management_software', 'condominium_count']


# The most characters a field takes: the models keep the same sizes.
MAX_LENGTH = {
    'surname': 100, 'first_name': 100, 'company_name': 200,
    'street': 200, 'street_number': 20, 'postal_code': 10, 'city': 100,
    'province': 2, 'email': 254, 'login': 254, 'phone': 30, 'vat_code': 20,
    'management_software': 100, 'condominium_count': 6, 'captcha': 20,
    'password': 128, 'password_repeat': 128, 'current_password': 128,
    'new_value': 254, 'note': 2000, 'code': 20,
    'title': 200, 'description': 20000, 'body': 20000,
    'condominium_name': 200, 'condominium_fiscal_code': 20, 'service': 30,
    }
# a field no form knows is still bounded
DEFAULT_MAX_LENGTH = 20000


def too_long(form, errors, limits=None):
    """Set an error on each field longer than it may be; return the errors.
    limits: the form's own sizes by field, before the shared ones (a name
    means one thing in one form: the marketplace's province is a code of
    30 characters, the Italian one has 2)."""
    for name, value in form.items():
        limit = (limits or {}).get(name) or MAX_LENGTH.get(
            name, DEFAULT_MAX_LENGTH)
        if isinstance(value, str) and len(value) > limit \
                and name not in errors:
            errors[name] = _("At most %(count)s characters.", count=limit)
    return errors


def required(values, names, errors):
    for name in names:
        if not values.get(name) and name not in errors:
            errors[name] = _("This field is required.")


def clean_text(form, names):
    "Return the stripped text values of the form."
    return {name: (form.get(name) or '').strip() for name in names}


def check_email(email):
    "Return the normalised email or raise ValueError with the message."
    try:
        address = Address(addr_spec=email)
        validate_email(email)
    except (ValueError, IndexError, HeaderParseError, EmailNotValidError):
        address = None
    if (not address or not address.username or '.' not in address.domain
            or address.domain.startswith('.')
            or address.domain.endswith('.')):
        raise ValueError(_("Enter a valid email address, e.g. "
                "name@example.com."))
    return email.lower()


def email_taken(email):
    WebUser = tryton.pool.get('web.user')
    return bool(WebUser.search([('email', '=', email.lower())], limit=1))


def check_phone(phone):
    "Return the phone number in E.164 or raise ValueError."
    try:
        number = phonenumbers.parse(phone, 'IT')
    except phonenumbers.NumberParseException:
        number = None
    if not number or not phonenumbers.is_valid_number(number):
        raise ValueError(_("Enter a valid phone number, e.g. "
                "+39 333 123 4567."))
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164)


def check_vat_code(code):
    "Return the compact VAT number or client code, or raise ValueError."
    compact = re.sub(r'[\s.]', '', code).upper()
    if compact.startswith('IT') and compact[2:].isdigit():
        compact = compact[2:]
    if compact.isdigit():
        if not iva.is_valid(compact):
            raise ValueError(_("This VAT number (P.IVA) is not valid: "
                    "check its 11 digits."))
        return compact
    if not CLIENT_CODE.match(compact):
        raise ValueError(_("Enter an Italian VAT number (11 digits) or a "
                "client code such as AB-123456."))
    return compact


@cache
def forbidden_passwords():
    with open(FORBIDDEN_PASSWORDS, encoding='utf-8') as file:
        return {line.strip().lower() for line in file if line.strip()}


def password_errors(password, email=None):
    "Return the messages of the password rules the password breaks."
    User = tryton.pool.get('res.user')
    problems = []
    if len(password) < 8:
        problems.append(_("at least 8 characters"))
    if not re.search(r'\d', password):
        problems.append(_("at least one digit"))
    if not re.search(r'[A-Z]', password):
        problems.append(_("at least one capital letter"))
    if re.search(r'\s', password):
        problems.append(_("no spaces"))
    if problems:
        return _("The password needs: %(rules)s.",
            rules=', '.join(problems))
    if password.lower() in forbidden_passwords():
        return _("This password is too common: choose another one.")
    try:
        User.validate_password(password, [])
    except PasswordError:
        return _("This password is too common: choose another one.")
    if email and password.lower() == email.lower():
        return _("The password cannot be your email address.")
    return None


def check_passwords(form, errors, email=None):
    "Check the password and its repetition into errors."
    password = form.get('password') or ''
    repeat = form.get('password_repeat') or ''
    if not password:
        errors['password'] = _("This field is required.")
    elif problem := password_errors(password, email):
        errors['password'] = problem
    if not repeat:
        errors.setdefault('password_repeat', _("This field is required."))
    elif password and repeat != password:
        errors['password_repeat'] = _("The two passwords are different.")
    return password


def captcha_code():
    """Return the anti-spam code shown on the sign-up page.

    The session (a cookie the browser can read) holds only a random nonce;
    the code is a keyed digest of it, so only the server can compute it."""
    nonce = session.get('captcha_nonce')
    if not nonce:
        nonce = session['captcha_nonce'] = secrets.token_hex(16)
    key = current_app.config['SECRET_KEY'].encode()
    return hmac.new(
        key, nonce.encode(), hashlib.sha256).hexdigest()[:8].upper()


def check_captcha(typed):
    "Tell whether the typed code is the one shown."
    return hmac.compare_digest(
        (typed or '').strip().upper().encode(), captcha_code().encode())


def renew_captcha():
    session.pop('captcha_nonce', None)


def check_fields(data, errors, names):
    "Check and normalise the named text values into data and errors."
    Subdivision = tryton.pool.get('country.subdivision')
    checks = {
        'email': check_email, 'phone': check_phone,
        'vat_code': check_vat_code}
    for name in names:
        if name in checks and data[name]:
            try:
                data[name] = checks[name](data[name])
            except ValueError as error:
                errors[name] = str(error)
    if data.get('postal_code') and not POSTAL_CODE.match(
            data['postal_code']):
        errors['postal_code'] = _("The postcode (CAP) has 5 digits.")
    if data.get('province'):
        data['province'] = data['province'].upper()
        if not Subdivision.italian_province(data['province']):
            errors['province'] = _("Choose a province from the list.")
    count = data.get('condominium_count')
    if count and not count.isdigit():
        errors['condominium_count'] = _("Enter a whole number, 0 or more.")
    data['condominium_count'] = int(count) if count.isdigit() else None


def check_signup(form):
    "Return the sign-up data and the errors by field."
    data = clean_text(form, SIGNUP_TEXT)
    errors = too_long(form, {})
    check_fields(data, errors, SIGNUP_TEXT)
    if data['captcha'] and not check_captcha(data['captcha']):
        errors['captcha'] = _("The code does not match the one shown.")
    if form.get('privacy_consent') != '1':
        errors['privacy_consent'] = _(
            "Accept the privacy notice to create the account.")
    required(data, SIGNUP_REQUIRED, errors)
    data['password'] = check_passwords(form, errors, data['email'])
    return data, errors


def check_profile(form):
    "Return the editable profile data and the errors by field."
    data = clean_text(form, PROFILE_TEXT)
    errors = too_long(form, {})
    check_fields(data, errors, PROFILE_TEXT)
    required(data, ['phone'], errors)
    return data, errors
