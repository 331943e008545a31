# This file is part of the insurance intermediary platform.
"""An answer of a questionnaire as its reader reads it: the option's label,
the amount and the date in the reader's language, a table row by row."""
import datetime as dt
from decimal import Decimal

from trytond.modules.portal import formats

from . import questionnaire_engine as engine


def display(question, value, language):
    "Return an answer as text for a reader of the language."
    kind = question.get('type')
    if engine.empty(value):
        return '-'
    options = {o['code']: engine.text(o['label'], language)
        for o in question.get('options', [])}
    if kind == 'boolean':
        return {'it': ('Sì', 'No'), 'fa': ('بله', 'خیر')}.get(
            language, ('Yes', 'No'))[0 if value else 1]
    if kind == 'choice':
        return options.get(value, value)
    if kind == 'multiple':
        return ', '.join(options.get(v, v) for v in value)
    if kind == 'amount':
        return formats.format_amount(Decimal(value), language)
    if kind == 'date':
        return formats.format_date(dt.date.fromisoformat(value), language)
    if kind == 'file':
        return value.get('name', '') if isinstance(value, dict) else str(
            value)
    if kind == 'group':
        columns = {c['code']: c for c in question.get('questions', [])}
        return '; '.join(', '.join(
                    display(columns.get(k, {}), v, language)
                    for k, v in row.items()) for row in value)
    return str(value)
