# This file is part of the insurance intermediary platform.
"""Times, dates and amounts as each language's readers write them."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond import config

from trytond.modules.portal import formats, i18n

# 1 July 2026, 10:30 UTC: summer time in Rome, Tehran keeps +03:30
SUMMER = dt.datetime(2026, 7, 1, 10, 30)


class FormatsTestCase(unittest.TestCase):
    "Test the formats readers see"

    def tearDown(self):
        formats.timezone_name.cache_clear()

    def test_times_in_the_readers_zone(self):
        "Persian readers see Tehran's time, the others the platform's"
        self.assertEqual(formats.format_time(SUMMER, 'it'), '12:30')
        self.assertEqual(formats.format_time(SUMMER, 'fa'), '۱۴:۰۰')
        self.assertEqual(
            formats.local(SUMMER, 'fa').utcoffset(),
            dt.timedelta(hours=3, minutes=30))
        # near midnight the date itself follows the zone
        late = dt.datetime(2026, 7, 1, 21, 0)
        self.assertEqual(formats.format_date(late, 'it'), '01/07/2026')
        self.assertEqual(formats.format_date(late, 'fa'), '۱۴۰۵/۰۴/۱۱')

    def test_zone_of_a_language_configured(self):
        "[portal] timezone_<language> names the zone of its readers"
        if not config.has_section('portal'):
            config.add_section('portal')
        config.set('portal', 'timezone_en', 'Europe/London')
        formats.timezone_name.cache_clear()
        try:
            self.assertEqual(formats.format_time(SUMMER, 'en'), '11:30')
            self.assertEqual(formats.timezone_name(), 'Europe/Rome')
        finally:
            config._config.remove_option('portal', 'timezone_en')
            config._cache_clear()

    def test_amount_in_words(self):
        "Amounts in words, in a language without currency words too"
        self.assertEqual(formats.amount_in_words(Decimal('1250.50'), 'it'),
            "milleduecentocinquanta euro e cinquanta centesimi")
        self.assertEqual(formats.amount_in_words(Decimal('1250.50'), 'fa'),
            "هزار و دویست و پنجاه یورو ۵۰/۱۰۰")

    def test_file_name(self):
        "Generated names keep their script and lose path separators"
        self.assertEqual(i18n.file_name("بیمه‌نامه امضاشده", 'T/1', 'pdf'),
            "بیمه‌نامه امضاشده T-1.pdf")
        self.assertEqual(i18n.file_name("Quote", None, 'pdf'), "Quote.pdf")
