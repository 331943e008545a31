# This file is part of the insurance intermediary platform.
"""Facts read from the text of an old policy, to pre-fill the questionnaire.

Only PDFs with a text layer are read; a scanned policy yields nothing and
the client fills the questionnaire in full."""
import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PyPdfError

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


def text_of(data):
    "Return the text layer of a PDF, or '' when it has none or is unreadable."
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return ''
        return '\n'.join(
            page.extract_text() or '' for page in reader.pages[:MAX_PAGES])
    except (PyPdfError, ValueError, KeyError) as exception:
        logger.info("old policy not read: %s", exception)
        return ''


def facts(text):
    "Return {question: value} for what the text states."
    result = {}
    for name, patterns in PATTERNS.items():
        for pattern in patterns:
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                result[name] = match.group(1).strip()
                break
    return result


def facts_of(attachments):
    "Return the facts of the first public old policy PDF of the attachments."
    for attachment in attachments:
        if (attachment.category == 'old_policy' and not attachment.internal
                and attachment.mime_type == 'application/pdf'):
            return facts(text_of(attachment.data))
    return {}
