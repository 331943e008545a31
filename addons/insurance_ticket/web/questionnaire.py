# This file is part of the insurance intermediary platform.
"""The questionnaire answered online: the questions of the spreadsheet,
pre-filled from the old policy, each answer checked before it is returned
as the spreadsheet the broker expects."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from trytond.modules.portal.web.i18n import gettext as _

from .. import document, old_policy

REQUIRED = {'year_built', 'units', 'floors', 'rebuild_value'}
FIRST_YEAR = 1800


def questions(ticket, values=None):
    """Return each question with its value: what the client typed, or else
    what the old policy states."""
    known = values if values is not None else prefill(ticket)
    return [{
            'name': name, 'label': document.question_label(name),
            'value': known.get(name, ''), 'required': name in REQUIRED,
            'type': 'date' if PARSERS.get(name) is date else 'text',
            'inputmode': INPUT_MODES.get(PARSERS.get(name)),
            } for name in document.QUESTIONS]


def prefill(ticket):
    "Return the old policy's facts as the form's fields take them."
    facts = old_policy.facts_of(ticket.attachments)
    if 'expiry' in facts:
        try:
            facts['expiry'] = dt.datetime.strptime(
                facts['expiry'].replace('.', '/').replace('-', '/'),
                '%d/%m/%Y').date().isoformat()
        except ValueError:
            del facts['expiry']
    return facts


def check(form):
    "Return the answers as the spreadsheet writes them, and the errors."
    answers, errors = {}, {}
    for name in document.QUESTIONS:
        text = form.get(name, '').strip()
        if not text:
            if name in REQUIRED:
                errors[name] = _("Answer this question.")
            continue
        parse = PARSERS.get(name)
        if parse is None:
            answers[name] = text
            continue
        try:
            answers[name] = parse(text)
        except ValueError as error:
            errors[name] = str(error)
    return answers, errors


def year(text):
    this_year = dt.date.today().year
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= this_year:
        raise ValueError(_("Enter a year between %(first)s and %(last)s.",
                first=FIRST_YEAR, last=this_year))
    return text


def whole_number(text):
    if not text.isdigit() or int(text) < 1:
        raise ValueError(_("Enter a whole number, 1 or more."))
    return text


def amount(text):
    "Read 1.850,00 or 1850.00 as euro; return it as 1850.00."
    normal = text.replace('€', '').replace(' ', '')
    if ',' in normal:
        normal = normal.replace('.', '').replace(',', '.')
    try:
        value = Decimal(normal).quantize(Decimal('.01'))
    except InvalidOperation:
        value = None
    if value is None or value <= 0:
        raise ValueError(_("Enter an amount in euro, e.g. 1250.00."))
    return f'{value:.2f}'


def date(text):
    try:
        return dt.date.fromisoformat(text).strftime('%d/%m/%Y')
    except ValueError:
        raise ValueError(_("Enter a date.")) from None


PARSERS = {
    'year_built': year, 'units': whole_number, 'floors': whole_number,
    'rebuild_value': amount, 'premium': amount, 'expiry': date,
    }
INPUT_MODES = {year: 'numeric', whole_number: 'numeric', amount: 'decimal'}
