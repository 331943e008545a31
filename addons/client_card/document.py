# This file is part of the insurance intermediary platform.
"""Identity documents: several per person, with their front and back scans
(checked by ``portal.upload`` and kept in the replicated file store).

An expired document stays on the card, marked, and never blocks entering a
new one; the scheduled job emails the client 30 days before a document
expires and marks it expired after its expiry date."""
import datetime as dt
import hashlib
import logging
from collections import OrderedDict

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal import i18n, mail, upload
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from . import checks
from .provenance import ProvenanceMixin, plain

logger = logging.getLogger(__name__)
DOCUMENT_TYPES = [
    ('identity_card', "Identity card"),
    ('passport', "Passport"),
    ('driving_licence', "Driving licence"),
    ('residence_permit', "Residence permit"),
    ]
SCAN_TYPES = {'application/pdf', 'image/jpeg', 'image/png'}
REMINDER_DAYS = 30
FIELDS = ['type', 'number', 'issuer', 'issue_place', 'issue_date',
    'expiry_date', 'front_name', 'back_name']


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    documents = fields.One2Many(
        'party.card.document', 'party', "Identity Documents",
        order=[('expiry_date', 'DESC NULLS LAST'), ('id', 'DESC')])

    def card_missing_document(self):
        return [] if any(d.state == 'valid' for d in self.documents) else [
            'documents']

    def card_values_document(self):
        return OrderedDict(documents=[d.card_values()
                for d in self.documents])


class Document(ProvenanceMixin, ModelSQL, ModelView):
    "Identity Document"
    __name__ = 'party.card.document'
    _rec_name = 'number'
    _card_fields = {n: 'document' for n in FIELDS}

    party = fields.Many2One(
        'party.party', "Person", required=True, ondelete='CASCADE')
    type = fields.Selection(DOCUMENT_TYPES, "Type", required=True)
    type_string = type.translated('type')
    number = fields.Char("Number", size=30, required=True)
    issuer = fields.Char("Issued By", size=100, required=True)
    issue_place = fields.Char("Place of Issue", size=100)
    issue_date = fields.Date("Date of Issue", required=True)
    expiry_date = fields.Date("Expiry Date", required=True)
    front = fields.Binary("Front Scan", filename='front_name',
        file_id='front_id')
    front_id = fields.Char("Front File", readonly=True)
    front_name = fields.Char("Front Name", readonly=True)
    front_sha256 = fields.Char("Front SHA-256", readonly=True)
    back = fields.Binary("Back Scan", filename='back_name',
        file_id='back_id')
    back_id = fields.Char("Back File", readonly=True)
    back_name = fields.Char("Back Name", readonly=True)
    back_sha256 = fields.Char("Back SHA-256", readonly=True)
    state = fields.Selection([
            ('valid', "Valid"),
            ('expired', "Expired"),
            ], "State", readonly=True, required=True)
    state_string = state.translated('state')
    reminded_at = fields.Timestamp("Reminder Sent", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.expiry_date, Index.Range()),
                    where=t.state == 'valid'),
                })

    @classmethod
    def default_state(cls):
        return 'valid'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for side in ['front', 'back']:
            data = values.get(side)
            if data:
                name = values.get(f'{side}_name') or side
                _, values[f'{side}_name'] = upload.check(
                    name, bytes(data), SCAN_TYPES)
                values[f'{side}_sha256'] = hashlib.sha256(data).hexdigest()
        if values.get('expiry_date') and mode == 'write':
            values.setdefault('state', 'valid')
            values.setdefault('reminded_at', None)
        if values.get('expiry_date') and values['expiry_date'] < (
                dt.date.today()):
            values['state'] = 'expired'
        return values

    @classmethod
    def validate_fields(cls, documents, field_names):
        super().validate_fields(documents, field_names)
        for document in documents:
            checks.past_date(document.issue_date, 'document_issue_date')
            if (document.issue_date and document.expiry_date
                    and document.expiry_date <= document.issue_date):
                checks.fail('document_expiry_date', 'msg_document_dates')

    def card_values(self):
        values = OrderedDict((n, plain(getattr(self, n))) for n in FIELDS)
        values['state'] = self.state
        values['front_sha256'] = self.front_sha256
        values['back_sha256'] = self.back_sha256
        return values

    @classmethod
    def run_expiry(cls, today=None):
        "Email the reminders due and mark the expired documents (cron)."
        today = today or dt.date.today()
        with without_check_access():
            cls.send_reminders(today)
            cls.mark_expired(today)

    @classmethod
    def mark_expired(cls, today):
        documents = cls.search([
                ('state', '=', 'valid'),
                ('expiry_date', '<', today),
                ])
        if documents:
            cls.write(documents, {'state': 'expired'})
        return documents

    @classmethod
    def send_reminders(cls, today):
        "Email the owners of the documents expiring within 30 days."
        Record = Pool().get('consent.record')
        documents = cls.search([
                ('state', '=', 'valid'),
                ('reminded_at', '=', None),
                ('expiry_date', '>=', today),
                ('expiry_date', '<=', today + dt.timedelta(
                        days=REMINDER_DAYS)),
                ])
        sent = []
        for document in documents:
            to = Record.client_emails(document.party)
            if not to:
                logger.warning("no email for the expiring document %s",
                    document.id)
                continue
            language = i18n.language_of(document.party)
            with Transaction().set_context(language=language):
                document = cls(document.id)
                mail.send(to, 'client_card/email/document_expiry.html',
                    language, resource=document, document=document,
                    party=document.party)
            sent.append(document)
        if sent:
            cls.write(sent, {'reminded_at': dt.datetime.now()})
        return sent
