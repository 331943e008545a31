# This file is part of the insurance intermediary platform.
"""Numbers, amounts, dates and times as each language writes and reads them.

Every page, email and document prints through these functions, and every
form reads numbers through them: Italian ``1.850,00 €``, English
``€1,850.00``, Persian digits and the Jalali calendar in Persian. Times are
stored in UTC and shown in the configured time zone (``[portal]
timezone``, Europe/Rome by default); Persian readers see Asia/Tehran
(``[portal] timezone_fa``).
"""
import datetime as dt
import re
import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import numbers
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from num2words import num2words
from persiantools import digits
from persiantools.jdatetime import JalaliDate

from trytond import config

DEFAULT_TIMEZONE = 'Europe/Rome'
# Babel's locale of each platform language
LOCALES = {'it': 'it_IT', 'en': 'en_GB', 'fa': 'fa_IR'}
PLAIN_NUMBER = re.compile(r'^[+-]?\d+(?:\.\d+)?$')


# the zone a language's readers live in, unless [portal] timezone_<code>
# names another: Persian pages serve the marketplace in Iran
LANGUAGE_TIMEZONES = {'fa': 'Asia/Tehran'}


@cache
def timezone_name(language=None):
    """Return the name of the time zone times are shown in: the platform's
    (``[portal] timezone``), or the zone of the language's readers."""
    default = config.get('portal', 'timezone', default=DEFAULT_TIMEZONE)
    if language:
        return config.get('portal', f'timezone_{language}',
            default=LANGUAGE_TIMEZONES.get(language, default))
    return default


def timezone(language=None):
    "Return the time zone times are shown in (see timezone_name)."
    return zoneinfo.ZoneInfo(timezone_name(language))


def local(value, language=None):
    """Return the stored (naive UTC) timestamp in the time zone of the
    platform, or of the language's readers."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(timezone(language))


def locale(language):
    return LOCALES.get(language, LOCALES['it'])


def numbering(language):
    "Return Babel's numbering system: the language's own digits."
    return 'default' if language == 'fa' else 'latn'


def localize_digits(text, language):
    "Write the digits of the text as the language does (Persian digits)."
    text = str(text)
    return digits.en_to_fa(text) if language == 'fa' else text


def ascii_digits(text):
    """Return the text with Persian and Arabic digits and separators as
    ASCII ones."""
    text = digits.fa_to_en(digits.ar_to_fa(text))
    return text.replace('\u066b', '.').replace('\u066c', ',')


def format_date(value, language):
    "Return the date as the language writes it (Jalali in Persian)."
    if value is None:
        return ''
    if isinstance(value, dt.datetime):
        value = local(value, language).date()
    if language == 'fa':
        return localize_digits(
            JalaliDate(value).strftime('%Y/%m/%d'), language)
    if language == 'it':
        return value.strftime('%d/%m/%Y')
    return babel_date(value, 'medium', locale=locale(language))


def format_time(value, language, seconds=False):
    "Return the time of the stored timestamp in the reader's zone."
    value = local(value, language)
    text = value.strftime('%H:%M:%S' if seconds else '%H:%M')
    if language == 'en':
        text = babel_time(value.timetz(), 'medium' if seconds else 'short',
            locale=locale(language))
    return localize_digits(text, language)


def format_datetime(value, language, seconds=False):
    "Return the stored timestamp as a date and a time in the local zone."
    if value is None:
        return ''
    return f'{format_date(value, language)} {format_time(value, language, seconds)}'


def format_number(value, language, decimals=None):
    "Return the number with the language's separators and digits."
    if value is None:
        return ''
    if decimals is not None:
        value = Decimal(value).quantize(Decimal(1).scaleb(-decimals))
        pattern = '#,##0' + ('.' + '0' * decimals if decimals else '')
        text = numbers.format_decimal(value, format=pattern,
            locale=locale(language), numbering_system=numbering(language))
    else:
        text = numbers.format_decimal(value, locale=locale(language),
            numbering_system=numbering(language))
    return localize_digits(text, language)


def format_amount(value, language, currency='EUR'):
    "Return the amount with its currency as the language writes it."
    if value is None:
        return ''
    return localize_digits(numbers.format_currency(
            value, currency, locale=locale(language),
            numbering_system=numbering(language)), language)


def amount_in_words(value, language, currency='EUR'):
    """Return the amount in words, as a cheque writes it; in a language
    whose words have no currencies (Persian), the whole units in words and
    the cents over a hundred."""
    try:
        return num2words(value, lang=language, to='currency',
            currency=currency)
    except (TypeError, NotImplementedError):
        units, cents = divmod(round(Decimal(value) * 100), 100)
        name = numbers.get_currency_name(currency, locale=locale(language))
        return localize_digits(
            f'{num2words(int(units), lang=language)} {name} {cents:02d}/100',
            language)


def parse_number(text, language):
    """Return the Decimal the person typed, in their language's way or as a
    plain number; Persian and Arabic digits are read too. Raise ValueError
    when the text is not a number."""
    text = ascii_digits(str(text or '')).strip()
    for symbol in ('€', 'EUR', 'eur', '\u00a0', '\u202f', ' '):
        text = text.replace(symbol, '')
    if not text:
        raise ValueError(text)
    try:
        return numbers.parse_decimal(text, locale=locale(language),
            strict=True)
    except numbers.NumberFormatError:
        pass
    if PLAIN_NUMBER.match(text):
        try:
            return Decimal(text)
        except InvalidOperation:
            pass
    raise ValueError(text)
