# This file is part of the insurance intermediary platform.
"""The answers PDF of a quote collection, in the client's language (Persian
right to left), drawn with the consent registry's reportlab helpers."""
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from trytond.modules.consent_registry import pdf
from trytond.modules.portal import formats

from . import answer_text
from . import questionnaire_engine as engine

TITLES = {
    'it': ("Questionario per il preventivo", "Cliente", "Rischio",
        "Confermato il", "Riferimento",
        "Il cliente ha rifiutato di fornire le informazioni richieste "
        "(art. 58 Reg. IVASS 40/2018)."),
    'en': ("Quote questionnaire", "Client", "Risk", "Confirmed on",
        "Reference",
        "The client refused to give the information asked "
        "(art. 58 IVASS Reg. 40/2018)."),
    'fa': ("پرسشنامه استعلام قیمت", "مشتری", "ریسک", "تأیید در",
        "شناسه",
        "مشتری از ارائه اطلاعات خواسته‌شده خودداری کرد "
        "(ماده ۵۸ آیین‌نامه IVASS شماره ۴۰/۲۰۱۸)."),
    }


def answers_pdf(collection):
    "Return the PDF of the collection's answers, section by section."
    language = collection.language if collection.language in TITLES else 'it'
    title, client, risk, confirmed, reference, refused = TITLES[language]
    styles = pdf._styles()
    story = [pdf._cell(title, styles['title']), pdf._table([
                (client, collection.party.rec_name),
                (risk, collection.risk_name(language)),
                (confirmed, formats.format_datetime(
                        collection.confirmed_at, language)),
                (reference, collection.uuid),
                ], styles)]
    answers = collection.get_answers()
    if collection.needs_refused:
        story += [Spacer(0, 4 * mm)] + pdf._paragraphs(
            refused, styles['heading'])
    definition = collection.definition()
    _, states = engine.evaluate(definition, answers)
    for section in engine.sections(definition):
        rows = [(engine.text(q['label'], language),
                answer_text.display(q, answers.get(q['code']), language))
            for q in section['questions'] if states[q['code']]['visible']]
        if rows:
            story += [Spacer(0, 5 * mm), pdf._cell(
                    engine.text(section['title'], language),
                    styles['heading']), pdf._table(rows, styles)]
    return pdf._build(story, title)
