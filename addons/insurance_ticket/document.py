# This file is part of the insurance intermediary platform.
"""Documents the platform writes into a ticket: the questionnaire's
spreadsheet, the quote letter and the signed copy of the policy."""
import functools
import io
import json

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from trytond.i18n import gettext
from trytond.modules.consent_registry import pdf
from trytond.modules.client_card import questionnaire_engine as engine
from trytond.modules.client_card.answer_text import display
from trytond.modules.portal import chain, formats, i18n, seal, xlsx

XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
PDF = 'application/pdf'
EVIDENCE_FILE = 'evidence.json'


def _t(name, **variables):
    return gettext(f'insurance_ticket.msg_doc_{name}', **variables)


def to_client(function):
    """Write the document in the language of the ticket's client: its
    texts, the names it reads and its file name."""
    @functools.wraps(function)
    def write(ticket, *args):
        with i18n.written_to(ticket.client) as language:
            return function(ticket.__class__(ticket.id), *args,
                language=language)
    return write


def answer_rows(collection, language):
    """Return (label, answer, where it was read) of each question the
    answers show, in the language; where is given for the values still
    as a document or the card gave them."""
    definition = collection.definition()
    answers = collection.get_answers()
    _, states = engine.evaluate(definition, answers)
    read_from = collection.read_from()
    rows = []
    for question in engine.questions(definition):
        code = question['code']
        if not states[code]['visible']:
            continue
        value = answers.get(code)
        rows.append((engine.text(question.get('label'), language),
                display(question, value, language)
                if not engine.empty(value) else '', read_from.get(code, '')))
    return rows


@to_client
def questionnaire(ticket, collection, language=None):
    """Return the broker's spreadsheet of the ticket's questionnaire: the
    ticket, its client and condominium, then the collection's answers (as
    far as they go), each pre-filled one with where it was read."""
    output = io.BytesIO()
    workbook = xlsx.workbook(output, in_memory=True)
    sheet = workbook.add_worksheet(_t('questionnaire')[:31])
    bold = workbook.add_format({'bold': True})
    answer = workbook.add_format({'bg_color': '#FFF2CC', 'border': 1})
    sheet.set_column(0, 0, 45)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 40)
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
    sheet.write(0, 0, _t('questionnaire'), bold)
    sheet.write(0, 1, collection.risk_name(language))
    for row, (label, value) in enumerate(rows, 2):
        sheet.write(row, 0, label, bold)
        sheet.write(row, 1, value)
    start = len(rows) + 3
    sheet.write(start, 0, _t('answers'), bold)
    sheet.write(start, 2, _t('read_from'), bold)
    for row, (label, value, where) in enumerate(
            answer_rows(collection, language), start + 1):
        sheet.write(row, 0, label)
        sheet.write(row, 1, value, answer)
        if where:
            sheet.write(row, 2, where)
    workbook.close()
    return {
        'name': i18n.file_name(_t('questionnaire'), ticket.number, 'xlsx'),
        'data': output.getvalue(), 'mime_type': XLSX,
        'category': 'questionnaire',
        }


@to_client
def quote_letter(ticket, language=None):
    """Return the quote letter to the client (its company when it asks for
    one), from the intermediary and the broker, with the premium in words
    and the coverages."""
    premium = ticket.premium
    rows = [
        (_t('ticket'), ticket.number),
        (_t('client'), (ticket.client_company or ticket.client).rec_name),
        ]
    if ticket.client_company:
        rows.append((_t('requested_by'), ticket.client.rec_name))
    rows += [
        (_t('condominium'),
            ticket.condominium.rec_name if ticket.condominium else ''),
        (_t('line'), ticket.line.name),
        (_t('insurer'), ticket.insurer),
        (_t('premium'), formats.format_amount(premium, language)),
        (_t('premium_words'), formats.amount_in_words(premium, language)),
        (_t('valid_until'),
            formats.format_date(ticket.quote_valid_until, language)),
        (_t('intermediary'), ticket.company.party.intermediary_details()),
        ]
    if ticket.brokerage:
        rows.append((_t('broker'), ticket.brokerage.intermediary_details()))
    data = pdf.letter_pdf(_t('quote'), rows,
        (ticket.coverages or '').splitlines(),
        heading=_t('coverages'))
    return {
        'name': i18n.file_name(_t('quote'), ticket.number, 'pdf'),
        'data': data,
        'mime_type': PDF, 'category': 'quote',
        }


def signer_tax_code(evidence):
    "Return the signer's codice fiscale, or an empty string."
    party = evidence.signer.party if evidence.signer else None
    for identifier in (party.identifiers if party else []):
        if identifier.type == 'it_codicefiscale':
            return identifier.code
    return ''


def local_time(value):
    "Return the stored UTC time in the configured zone, the zone named."
    local = formats.local(value)
    return (f'{local:%d/%m/%Y %H:%M:%S} {formats.timezone_name()} '
        f'({local:%Z}, UTC{local:%z})')


def evidence_data(ticket, evidence):
    """Return the evidence embedded in the signed copy (JSON): the values
    the evidence chain seals, its hashes and the signer's codice fiscale."""
    values = evidence.chain_values()
    values.update(ticket_number=ticket.number,
        policy_number=ticket.policy_number or None,
        signer_tax_code=signer_tax_code(evidence) or None,
        signed_at_local=formats.local(evidence.signed_at).isoformat(),
        timezone=formats.timezone_name(),
        chain_version=evidence.chain_version)
    return chain.canonical(values).encode()


def evidence_page(ticket, evidence):
    "Return the PDF page of the signature evidence."
    rows = [
        (_t('ticket'), ticket.number),
        (_t('policy_number'), ticket.policy_number or ''),
        (_t('document_hash'), evidence.document_hash),
        (_t('signer'), f'{evidence.signer_name} <{evidence.signer_email}>'),
        (_t('signer_tax_code'), signer_tax_code(evidence) or '-'),
        (_t('signed_at'), local_time(evidence.signed_at)),
        (_t('ip_address'), evidence.ip_address or ''),
        (_t('user_agent'), evidence.user_agent or ''),
        (_t('channel'), f'{evidence.channel} {evidence.destination}'),
        (_t('previous_hash'), evidence.previous_hash or '-'),
        (_t('evidence_hash'), evidence.chain_hash),
        ]
    return pdf.letter_pdf(_t('evidence'), rows,
        [_t('evidence_note'), _t('evidence_seal_note', file=EVIDENCE_FILE)])


def is_pdf(data):
    "Tell whether the bytes are a PDF with pages that can be copied."
    try:
        reader = PdfReader(io.BytesIO(data))
        return not reader.is_encrypted and len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError):
        return False


@to_client
def signed_copy(ticket, policy, evidence, language=None):
    """Return the signed copy: one PDF of the frozen policy followed by its
    evidence page, the evidence embedded as JSON, sealed by the platform."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(policy)))
    writer.append(PdfReader(io.BytesIO(evidence_page(ticket, evidence))))
    writer.add_attachment(EVIDENCE_FILE, evidence_data(ticket, evidence))
    writer.add_metadata({
            '/Title': f'{_t("signed_copy")} {ticket.number}',
            '/Subject': f'SHA-256 {evidence.document_hash}',
            })
    output = io.BytesIO()
    writer.write(output)
    data = seal.seal(output.getvalue(),
        reason=_t('seal_reason', ticket=ticket.number),
        location=seal.location(), language=language)
    return {
        'name': i18n.file_name(_t('signed_copy'), ticket.number, 'pdf'),
        'data': data, 'mime_type': PDF, 'category': 'signed',
        }


def embedded_evidence(data):
    "Return the evidence embedded in a signed copy, or None."
    try:
        files = PdfReader(io.BytesIO(data)).attachments
    except (PyPdfError, ValueError, KeyError):
        return None
    contents = files.get(EVIDENCE_FILE)
    return json.loads(contents[0]) if contents else None
