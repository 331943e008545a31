# This file is part of the insurance intermediary platform.
"""Spreadsheets of the platform: every value written is data, never a
formula, a link or a number guessed from text, so what a person typed
(``=HYPERLINK(...)``, ``+39 333…``) reaches the reader as it was typed."""
import xlsxwriter

OPTIONS = {
    'strings_to_formulas': False,
    'strings_to_urls': False,
    'strings_to_numbers': False,
    }


def workbook(output, **options):
    "Return an xlsxwriter workbook writing user values as plain strings."
    return xlsxwriter.Workbook(output, {**OPTIONS, **options})
