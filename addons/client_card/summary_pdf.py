# This file is part of the insurance intermediary platform.
"""The card summary PDF sent with a confirmation: each section's values
as a table, then the evidence of the confirmation."""
from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from trytond.modules.consent_registry import pdf


def text_of(value):
    "Return a value of the snapshot as a line of text."
    if isinstance(value, list):
        return '; '.join(text_of(v) for v in value)
    if isinstance(value, dict):
        return ', '.join(f'{k}: {text_of(v)}' for k, v in value.items()
            if v not in (None, '', []))
    if value is True:
        return '✓'
    if value in (None, False):
        return '-'
    return str(value)


def card_pdf(title, sections, evidence_rows):
    """Return the PDF of a card: ``sections`` are (heading, rows) pairs,
    each row a (label, value) pair."""
    styles = pdf._styles()
    story = [pdf._cell(title, styles['title'])]
    for heading, rows in sections:
        story += [Spacer(0, 4 * mm), pdf._cell(heading, styles['heading'])]
        if rows:
            story.append(pdf._table(
                    [(label, text_of(value)) for label, value in rows],
                    styles))
    story += [Spacer(0, 6 * mm), pdf._table(evidence_rows, styles)]
    return pdf._build(story, title)
