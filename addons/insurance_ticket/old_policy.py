# This file is part of the insurance intermediary platform.
"""Facts read from the text of an old policy, to pre-fill the questionnaire.

Only PDFs with a text layer are read; a scanned policy yields nothing and
the client fills the questionnaire in full. Each fact keeps where it was
read: the file and its page."""
import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from trytond.i18n import gettext

logger = logging.getLogger(__name__)
MAX_PAGES = 20
AMOUNT = r'(?:€|EUR|euro)?\s*(\d{1,3}(?:\.\d{3})*(?:,\d{2})?)'
DATE = r'(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})'
# question: patterns of the Italian wording of condominium policies
PATTERNS = {
    'current_insurer': [
        r'(?:Compagnia|Impresa|Assicuratore|Societ[àa])'
        r'(?: assicuratrice)?\s*:\s*(.+)'],
    'policy_number': [r'Polizza\s+(?:n\.|nr\.?|numero)\s*:?\s*([\w./-]+)'],
    'expiry': [r'Scadenza(?: polizza| contratto)?\s*:?\s*' + DATE],
    'premium': [r'Premio(?: annuo)?(?: lordo)?\s*:?\s*' + AMOUNT],
    'rebuild_value': [
        r'(?:Valore di ricostruzione|Somma assicurata(?: fabbricato)?)'
        r'\s*:?\s*' + AMOUNT],
    'year_built': [r'Anno di costruzione\s*:?\s*(\d{4})'],
    'units': [r'Unit[àa] immobiliari\s*:?\s*(\d+)'],
    'floors': [r'Piani(?: fuori terra)?\s*:?\s*(\d+)'],
    'claims': [r'Sinistri(?: ultimi \d+ anni)?\s*:\s*(.+)'],
    }


def pages_of(data):
    "Return the text of each page, none when the PDF has no text layer."
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return []
        return [page.extract_text() or '' for page in reader.pages[:MAX_PAGES]]
    except (PyPdfError, ValueError, KeyError) as exception:
        logger.info("old policy not read: %s", exception)
        return []


def _search(name, text):
    for pattern in PATTERNS[name]:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return match.group(1).strip()
    return None


def read(name, data):
    """Return {question: (value, where)} of what the policy states, where
    naming the file and the first page that states it."""
    result = {}
    pages = pages_of(data)
    for fact in PATTERNS:
        for number, text in enumerate(pages, 1):
            value = _search(fact, text)
            if value is not None:
                result[fact] = (value, gettext(
                        'insurance_ticket.msg_read_old_policy',
                        file=name, page=number))
                break
    return result


def old_policy(attachments):
    "Return the first public old policy PDF of the attachments, or None."
    for attachment in attachments:
        if (attachment.category == 'old_policy' and not attachment.internal
                and attachment.mime_type == 'application/pdf'):
            return attachment
    return None


def sources_of(attachments):
    "Return {question: (value, where)} of the old policy of the attachments."
    attachment = old_policy(attachments)
    if attachment is None:
        return {}
    return read(attachment.name, attachment.data)
