# This file is part of the insurance intermediary platform.
"""Documents the platform writes into a ticket: the pre-filled
questionnaire, the quote letter and the signed copy of the policy."""
import io

from babel.numbers import format_currency
from num2words import num2words
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table
from xml.sax.saxutils import escape

from trytond.i18n import gettext
from trytond.modules.portal import xlsx

from . import old_policy

XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
PDF = 'application/pdf'


# the questions on the building, answered by the client
QUESTIONS = ['year_built', 'units', 'floors', 'rebuild_value', 'claims',
    'current_insurer', 'policy_number', 'premium', 'expiry']


def _t(name, **variables):
    return gettext(f'insurance_ticket.msg_doc_{name}', **variables)


def question_label(question):
    return _t(f'q_{question}')


def questionnaire(ticket, answers=None):
    """Return the questionnaire with the client's answers, or pre-filled
    from the ticket, its client and what the old policy states."""
    output = io.BytesIO()
    workbook = xlsx.workbook(output, in_memory=True)
    sheet = workbook.add_worksheet(_t('questionnaire')[:31])
    bold = workbook.add_format({'bold': True})
    answer = workbook.add_format({'bg_color': '#FFF2CC', 'border': 1})
    sheet.set_column(0, 0, 45)
    sheet.set_column(1, 1, 60)
    condominium = ticket.condominium
    rows = [
        (_t('ticket'), ticket.number),
        (_t('line'), ticket.line.name),
        (_t('client'), ticket.client.rec_name),
        (_t('client_company'),
            ticket.client_company.rec_name if ticket.client_company else ''),
        (_t('vat'), ticket.client_vat or ''),
        (_t('condominium'), condominium.name if condominium else ''),
        (_t('fiscal_code'), condominium.fiscal_code if condominium else ''),
        (_t('address'), ' '.join(filter(None, [
                        condominium.street, condominium.postal_code,
                        condominium.city])) if condominium else ''),
        ]
    known = answers if answers is not None else old_policy.facts_of(
        ticket.attachments)
    sheet.set_column(2, 2, 30)
    sheet.write(0, 0, _t('questionnaire'), bold)
    for row, (label, value) in enumerate(rows, 2):
        sheet.write(row, 0, label, bold)
        sheet.write(row, 1, value)
    start = len(rows) + 3
    sheet.write(start, 0, _t('answers'), bold)
    for row, question in enumerate(QUESTIONS, start + 1):
        sheet.write(row, 0, question_label(question))
        sheet.write(row, 1, known.get(question, ''), answer)
        if answers is None and question in known:
            sheet.write(row, 2, _t('from_old_policy'))
    workbook.close()
    return {
        'name': f'{_t("questionnaire")} {ticket.number}.xlsx',
        'data': output.getvalue(), 'mime_type': XLSX,
        'category': 'questionnaire',
        }


def _pdf(title, rows, paragraphs=()):
    output = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(title), styles['Title']), Spacer(1, 0.5 * cm)]
    story.append(Table(
            [[escape(str(k)), Paragraph(escape(str(v)), styles['Normal'])]
                for k, v in rows],
            colWidths=[6 * cm, 11 * cm]))
    for text in paragraphs:
        story += [Spacer(1, 0.4 * cm),
            Paragraph(escape(text), styles['Normal'])]
    SimpleDocTemplate(output, pagesize=A4, title=title).build(story)
    return output.getvalue()


def quote_letter(ticket, language='it'):
    "Return the quote letter with the premium in words."
    premium = ticket.premium
    words = num2words(premium, lang=language, to='currency', currency='EUR')
    rows = [
        (_t('ticket'), ticket.number),
        (_t('client'), ticket.client.rec_name),
        (_t('condominium'),
            ticket.condominium.rec_name if ticket.condominium else ''),
        (_t('line'), ticket.line.name),
        (_t('insurer'), ticket.insurer),
        (_t('premium'), format_currency(premium, 'EUR', locale=language)),
        (_t('premium_words'), words),
        (_t('valid_until'), ticket.quote_valid_until.strftime('%d/%m/%Y')),
        ]
    data = _pdf(_t('quote'), rows, (ticket.coverages or '').splitlines())
    return {
        'name': f'{_t("quote")} {ticket.number}.pdf', 'data': data,
        'mime_type': PDF, 'category': 'quote',
        }


def evidence_page(ticket, evidence):
    "Return the PDF page of the signature evidence."
    rows = [
        (_t('ticket'), ticket.number),
        (_t('policy_number'), ticket.policy_number or ''),
        (_t('document_hash'), evidence.document_hash),
        (_t('signer'), f'{evidence.signer_name} <{evidence.signer_email}>'),
        (_t('signed_at'), evidence.signed_at.strftime('%d/%m/%Y %H:%M:%S')),
        (_t('ip_address'), evidence.ip_address or ''),
        (_t('user_agent'), evidence.user_agent or ''),
        (_t('channel'), f'{evidence.channel} {evidence.destination}'),
        (_t('previous_hash'), evidence.previous_hash or '-'),
        (_t('evidence_hash'), evidence.chain_hash),
        ]
    return _pdf(_t('evidence'), rows, [_t('evidence_note')])


def is_pdf(data):
    "Tell whether the bytes are a PDF with pages that can be copied."
    try:
        reader = PdfReader(io.BytesIO(data))
        return not reader.is_encrypted and len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError):
        return False


def signed_copy(ticket, policy, evidence):
    "Return the signed copy: the frozen policy followed by its evidence page."
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(policy)))
    writer.append(PdfReader(io.BytesIO(evidence_page(ticket, evidence))))
    writer.add_metadata({
            '/Title': f'{_t("signed_copy")} {ticket.number}',
            '/Subject': f'SHA-256 {evidence.document_hash}',
            })
    output = io.BytesIO()
    writer.write(output)
    return {
        'name': f'{_t("signed_copy")} {ticket.number}.pdf',
        'data': output.getvalue(), 'mime_type': PDF, 'category': 'signed',
        }
