# This file is part of the insurance intermediary platform.
"""Quote collections: a client's answers to a risk's questionnaire.

A collection answers two frozen versions, the demands-and-needs block
(IVASS Reg. 40/2018 art. 58) and then the risk's questionnaire; the pages
are their sections. It is saved as a draft page by page, pre-filled from
the client's card, and confirmed once: the answers are frozen with the
SHA-256 of their PDF, and the modules after this one act on it (the ticket
module opens a quote request)."""
import datetime as dt
import hashlib
import json
import uuid

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.portal import i18n, mail, upload
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import answer_text, quote_pdf
from . import questionnaire_engine as engine
from .questionnaire_exceptions import (
    QuoteAnswerError, QuoteConfirmedError, QuoteIncompleteError)

# the question of the demands-and-needs block whose "yes" records the
# client's refusal to give the information
REFUSAL = 'dn_rifiuto'
CHANNELS = [
    ('portal', "Portal (by the client)"),
    ('staff', "Back office (by staff)"),
    ]
# the questions staff do not fill in as text: the card's values, repeating
# groups and files
FILLED_ELSEWHERE = {'card', 'group', 'file'}


class Collection(Workflow, ModelSQL, ModelView):
    "Quote Collection"
    __name__ = 'quote.collection'
    _rec_name = 'uuid'
    _states = {'readonly': Eval('state') != 'draft'}
    uuid = fields.Char("UUID", required=True, readonly=True)
    party = fields.Many2One('party.party', "Client", required=True,
        ondelete='RESTRICT', states=_states)
    web_user = fields.Many2One('web.user', "Web User", readonly=True,
        ondelete='SET NULL')
    risk_type = fields.Many2One('quote.risk.type', "Risk Type",
        required=True, ondelete='RESTRICT', states=_states)
    version = fields.Many2One('questionnaire.version', "Questionnaire",
        required=True, ondelete='RESTRICT', readonly=True)
    needs_version = fields.Many2One('questionnaire.version',
        "Demands and Needs", ondelete='RESTRICT', readonly=True)
    intermediary = fields.Many2One('party.party', "Intermediary",
        ondelete='RESTRICT', states=_states,
        help="Who the client is in contact with for the quote.")
    answers = fields.Text("Answers (JSON)", readonly=True)
    files = fields.One2Many('quote.collection.file', 'collection', "Files",
        readonly=True)
    history = fields.One2Many('quote.collection.history', 'collection',
        "Provenance of the Answers", readonly=True)
    answers_text = fields.Function(fields.Text("Answers"), 'get_answers_text')
    page = fields.Integer("Page", readonly=True)
    language = fields.Char("Language", readonly=True)
    card_confirmed_at = fields.Timestamp("Card Confirmed At", readonly=True)
    needs_refused = fields.Boolean("Refused Demands and Needs",
        readonly=True,
        help="The client refused to give the information of art. 58.")
    channel = fields.Selection(CHANNELS, "Channel", readonly=True)
    reference = fields.Char("Reference", readonly=True,
        help="Who filled the collection in for the client.")
    confirmed_at = fields.Timestamp("Confirmed At", readonly=True)
    pdf = fields.Binary("Answers PDF", file_id='pdf_id', readonly=True,
        filename='pdf_name')
    pdf_id = fields.Char("PDF ID", readonly=True)
    pdf_name = fields.Function(fields.Char("PDF Name"), 'get_pdf_name')
    pdf_hash = fields.Char("PDF SHA-256", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('confirmed', "Confirmed"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    month = fields.Function(fields.Char("Month"), 'get_month')
    risk_month = fields.Function(
        fields.Char("Risk Type and Month"), 'get_risk_month')
    # what the graph of collections per month adds up
    count = fields.Function(fields.Integer("Collections"), 'get_count')
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('uuid_unique', Unique(table, table.uuid),
                'client_card.msg_quote_uuid_unique'),
            ]
        cls._sql_indexes.update({
                Index(table, (table.uuid, Index.Equality())),
                Index(table, (table.party, Index.Range()),
                    (table.state, Index.Equality())),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'confirmed'),
            ('draft', 'cancelled'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'fill_in_wizard': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_page(cls):
        return 0

    @classmethod
    def default_channel(cls):
        return Transaction().context.get('card_channel') or 'staff'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('uuid', uuid.uuid4().hex)
            context = Transaction().context
            values.setdefault('channel', context.get('card_channel') or (
                    'staff'))
            values.setdefault('reference', context.get('card_reference'))
        return values

    @classmethod
    def check_modification(cls, mode, collections, values=None,
            external=False):
        "Confirmed answers are frozen; only the modules' links are added."
        super().check_modification(
            mode, collections, values=values, external=external)
        if mode == 'create':
            return
        if mode == 'write' and not (set(values) - cls._after_confirmation()):
            return
        for collection in collections:
            if collection.state != 'draft':
                raise QuoteConfirmedError(gettext(
                        'client_card.msg_quote_confirmed',
                        collection=collection.rec_name))

    @classmethod
    def _after_confirmation(cls):
        "Return the fields written once the collection is confirmed."
        return {'state', 'confirmed_at', 'pdf', 'pdf_hash'}

    # What is asked

    def definition(self):
        "Return the sections of both versions as one definition."
        result = {'sections': []}
        for version in [self.needs_version, self.version]:
            if version:
                result['sections'] += version.definition()['sections']
        return result

    def pages(self):
        return engine.sections(self.definition())

    def get_answers(self):
        return json.loads(self.answers or '{}')

    @classmethod
    def start(cls, party, risk_type, web_user=None, intermediary=None,
            language=None, needs=True, **values):
        """Open a draft of the risk for the party, pre-filled from the card
        (and what the modules after this one add), each value with its
        provenance."""
        pool = Pool()
        Questionnaire = pool.get('questionnaire')
        History = pool.get('quote.collection.history')
        collection = cls(
            party=party, risk_type=risk_type, version=risk_type.version,
            needs_version=Questionnaire.demands_needs() if needs else None,
            web_user=web_user, intermediary=intermediary,
            language=language or 'it', **values)
        answers, references = collection.prefill()
        collection.answers = json.dumps(answers, ensure_ascii=False,
            sort_keys=True)
        collection.save()
        for reference in sorted(set(references.values())):
            History.record(collection, {c: answers[c]
                    for c, r in references.items() if r == reference},
                reference=reference, channel='system')
        return collection

    def card(self):
        "Return the client's card as sections of fields."
        return card_snapshot(self.party)

    def prefill_sources(self):
        """Return {section: ({field: value}, reference)}: what a question's
        prefill path (section.field) reads, and where it was read (one
        reference, or one by field)."""
        Party = Pool().get('party.party')
        labels = dict(Party.card_section_labels())
        return {section: (values, gettext('client_card.msg_read_card',
                    section=labels.get(section, section)))
            for section, values in self.card().items()
            if isinstance(values, dict)}

    def prefill(self):
        "Return the answers the sources give and, by question, their source."
        # the references are written in the collection's language
        with Transaction().set_context(language=self.language):
            sources = self.prefill_sources()
        answers, references = {}, {}
        for code, question in engine.by_code(self.definition()).items():
            values, found = [], []
            # one value, or several written one after the other
            for path in (question.get('prefill') or '').split():
                section, _, name = path.partition('.')
                fields_, reference = sources.get(section, ({}, None))
                value = fields_.get(name)
                if not engine.empty(value):
                    values.append(value)
                    found.append(reference.get(name)
                        if isinstance(reference, dict) else reference)
            value = prefill_value(question, values)
            if value is not None:
                answers[code] = value
                references[code] = found[0]
        return answers, references

    def save_answers(self, values, page=None):
        """Merge the answers of a page into the draft and return the errors
        of the page's visible questions (an empty dict when it is right).
        Card values cannot be typed over. Saves of one draft follow each
        other (the row is locked before its answers are read), so two
        pages saved at once lose no answer."""
        History = Pool().get('quote.collection.history')
        self.__class__.lock([self])
        definition = self.definition()
        known = engine.by_code(definition)
        answers = self.get_answers()
        changes = {}
        for code, value in values.items():
            if code in known and known[code]['type'] != 'card':
                if answers.get(code) != value and not (
                        engine.empty(value) and engine.empty(
                            answers.get(code))):
                    changes[code] = value
                answers[code] = value
        section_codes = None
        if page is not None:
            section_codes = {self.pages()[page]['code']}
        errors = engine.check(definition, answers, section_codes)
        self.answers = json.dumps(answers, ensure_ascii=False,
            sort_keys=True)
        if page is not None:
            self.page = page
        self.save()
        History.record(self, changes)
        return errors

    def fill_in(self, raw):
        """Save answers typed for the client ({question: text}), as staff
        do in the back office on the client's behalf: each is read as the
        portal reads it, a wrong one refused with its question."""
        known = engine.by_code(self.definition())
        values = {}
        for code, text in raw.items():
            question = known.get(code)
            if question is None or question['type'] in FILLED_ELSEWHERE:
                continue
            try:
                values[code] = engine.parse(question, text)
            except engine.AnswerError as error:
                raise QuoteAnswerError(gettext(
                        'client_card.msg_quote_answer_wrong',
                        question=engine.text(question.get('label'), 'it')
                        or code, error=error.code)) from error
        with Transaction().set_context(card_channel='back_office'):
            return self.save_answers(values)

    def provenance(self):
        """Return {question: (first row, last row)} of the answers'
        history: where a value was first read and who set it last."""
        History = Pool().get('quote.collection.history')
        return {code: (rows[0], rows[-1])
            for code, rows in History.of(self).items()}

    def read_from(self):
        """Return {question: where it was read} of the answers still as a
        source (the card, a document) gave them."""
        return {code: first.reference
            for code, (first, last) in self.provenance().items()
            if first == last and first.channel == 'system'
            and first.reference}

    def confirm_card_review(self):
        "Record that the client saw and confirmed the card and consents."
        self.card_confirmed_at = dt.datetime.now().replace(microsecond=0)
        self.save()

    @classmethod
    def portal_listed(cls):
        """Return the domain of the collections the client's quote list and
        dashboard show: the quote requests."""
        return []

    @classmethod
    def intermediaries(cls):
        "Return the parties a client can be in contact with for a quote."
        Company = Pool().get('company.company')
        return [c.party for c in Company.search([])]

    def attach(self, code, name, data):
        "Keep a file answering a question; return the answer's value."
        File = Pool().get('quote.collection.file')
        mime_type, name = upload.check(name, data)
        file, = File.create([{'collection': self.id, 'question': code,
                    'name': name, 'data': data, 'mime_type': mime_type}])
        return {'name': name, 'file': file.id,
            'sha256': hashlib.sha256(data).hexdigest()}

    def ticket_link(self):
        "Return the number and the portal path of what the request opened."
        return None

    def refused_needs(self):
        "Tell whether the client refused to answer the demands and needs."
        return self.get_answers().get(REFUSAL) is True

    # Confirmation

    @classmethod
    @ModelView.button_action('client_card.wizard_collection_fill')
    def fill_in_wizard(cls, collections):
        "Staff answer on the client's behalf."

    @classmethod
    @ModelView.button
    def cancel(cls, collections):
        cls.withdraw(collections)

    @classmethod
    @Workflow.transition('cancelled')
    def withdraw(cls, collections):
        "Drop the drafts (the client's and the staff's way)."

    @classmethod
    @ModelView.button
    def confirm(cls, collections):
        cls.send(collections)

    @classmethod
    @Workflow.transition('confirmed')
    def send(cls, collections):
        """Freeze the answers with the hash of their PDF, then tell the
        modules after this one (see confirmed)."""
        for collection in collections:
            definition = collection.definition()
            answers = collection.get_answers()
            if engine.check(definition, answers):
                raise QuoteIncompleteError(gettext(
                        'client_card.msg_quote_incomplete',
                        collection=collection.rec_name))
            collection.answers = json.dumps(
                engine.clean(definition, answers), ensure_ascii=False,
                sort_keys=True)
            collection.needs_refused = collection.refused_needs()
            collection.confirmed_at = dt.datetime.now().replace(
                microsecond=0)
            pdf = collection.render_pdf()
            collection.pdf = pdf
            collection.pdf_hash = hashlib.sha256(pdf).hexdigest()
        cls.save(collections)
        cls.confirmed(collections)

    @classmethod
    def confirmed(cls, collections):
        "Send the answers PDF to the client and to the intermediary."
        for collection in collections:
            collection.send_emails()

    def render_pdf(self):
        return quote_pdf.answers_pdf(self)

    def send_emails(self):
        pool = Pool()
        Configuration = pool.get('consent.configuration')
        attachment = [(self.pdf_filename(), self.pdf, 'application/pdf')]
        recipients = []
        email = self.web_user.email if self.web_user else (
            self.party.email)
        if email:
            recipients.append((email, self.language or 'it', 'client'))
        staff = Configuration(1).get_intermediary_email()
        if staff:
            recipients.append((staff, 'it', 'staff'))
        for address, language, role in recipients:
            mail.send(address, 'client_card/email/quote_confirmed.html',
                language, attachments=attachment, resource=self,
                collection=self, role=role,
                risk=self.risk_name(language),
                url=mail.portal_url(f'/quotes/{self.uuid}'))

    def risk_name(self, language):
        with Transaction().set_context(language=language):
            return self.risk_type.__class__(self.risk_type.id).name

    def pdf_filename(self):
        "Return the answers' file name, in the collection's language."
        language = self.language or 'it'
        with Transaction().set_context(language=language):
            label = gettext('client_card.msg_file_answers')
        return i18n.file_name(label,
            f'{self.risk_name(language)} {self.uuid[:8]}', 'pdf')

    def get_pdf_name(self, name):
        return self.pdf_filename() if self.pdf_id else None

    def get_month(self, name):
        date = self.confirmed_at or self.create_date
        return date.strftime('%Y-%m') if date else None

    def get_risk_month(self, name):
        return f'{self.get_month(name)} · {self.risk_type.rec_name}'

    def get_count(self, name):
        return 1

    def get_answers_text(self, name):
        "Return the answers as label: value lines, for the back office."
        lines = []
        known = engine.by_code(self.definition())
        for code, value in self.get_answers().items():
            question = known.get(code, {})
            label = engine.text(question.get('label'), 'it') or code
            text = answer_text.display(question, value, 'it')
            lines.append(f'{label}: {text}')
        return '\n'.join(lines)


class CollectionFile(ModelSQL, ModelView):
    "Quote Collection File"
    __name__ = 'quote.collection.file'
    collection = fields.Many2One('quote.collection', "Collection",
        required=True, ondelete='CASCADE')
    question = fields.Char("Question", required=True, readonly=True)
    name = fields.Char("Name", required=True, readonly=True)
    data = fields.Binary("File", file_id='file_id', filename='name',
        readonly=True)
    file_id = fields.Char("File ID", readonly=True)
    mime_type = fields.Char("MIME Type", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('collection')


def prefill_value(question, values):
    """Return the answer the values read give the question, as the engine
    stores it, or None (a value that does not read as the question's type
    is left for the client to answer)."""
    if not values:
        return None
    if len(values) > 1 or question['type'] in {'text', 'long_text', 'card'}:
        return ' '.join(str(v) for v in values)
    value, = values
    if isinstance(value, str):
        try:
            return engine.parse(question, value)
        except engine.AnswerError:
            return None
    return value


def card_snapshot(party):
    "Return the client's card as {section: {field: value}}."
    return Pool().get('party.party').card_snapshot(party)
