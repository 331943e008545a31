# This file is part of the insurance intermediary platform.
"""The client's confirmation of their card: evidence sealed in a hash
chain per party (``portal.chain``), append-only, carrying the SHA-256 of
the card's canonical content at that moment and the consent registry's
validation string (time of sending and the client's addresses); the card
summary PDF goes by email to the client and to the intermediary.

A later change of the card makes its hash differ from the last
confirmation's: the card is "changed since confirmation" until confirmed
again."""
import datetime as dt
import hashlib

from sql.aggregate import Max
from trytond.filestore import filestore
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal import i18n, mail
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.modules.portal.chain import ChainedMixin, canonical
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from . import summary_pdf
from .exceptions import CardHistoryImmutable, CardIncomplete
from .provenance import current_channel

SEALED_FIELDS = [
    'party', 'time', 'channel', 'user', 'web_user', 'ip_address',
    'user_agent', 'language', 'card_hash', 'validation_string',
    'emailed_to', 'pdf_hash']


class Confirmation(ChainedMixin, AppendOnlyMixin, ModelSQL, ModelView):
    "Card Confirmation"
    __name__ = 'party.card.confirmation'
    _append_only_error = (
        CardHistoryImmutable, 'client_card.msg_history_immutable')
    _chain_key = 'party'
    _chain_fields = SEALED_FIELDS
    _rec_name = 'validation_string'

    party = fields.Many2One(
        'party.party', "Party", required=True, readonly=True,
        ondelete='RESTRICT')
    time = fields.Timestamp("Time", readonly=True)
    channel = fields.Char("Channel", readonly=True)
    user = fields.Many2One('res.user', "Staff User", readonly=True)
    web_user = fields.Many2One('web.user', "Web User", readonly=True)
    ip_address = fields.Char("Address", readonly=True)
    user_agent = fields.Char("User Agent", readonly=True)
    language = fields.Char("Language", readonly=True)
    card_hash = fields.Char("Card SHA-256", readonly=True)
    content = fields.Text("Content", readonly=True,
        help="The card as confirmed, in the canonical JSON the hash is "
        "taken of.")
    validation_string = fields.Char("Validation String", readonly=True)
    emailed_to = fields.Char("Emailed To", readonly=True)
    last_history = fields.Integer("Last History Row", readonly=True,
        help="The last row of the card's history the client confirmed.")
    pdf_id = fields.Char("PDF File", readonly=True)
    pdf_hash = fields.Char("PDF SHA-256", readonly=True)
    pdf = fields.Function(fields.Binary("PDF", filename='pdf_name'),
        'get_pdf')
    pdf_name = fields.Function(fields.Char("PDF Name"), 'get_pdf_name')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.party, Index.Range()), (t.id, Index.Range())))
        cls._order = [('id', 'DESC')]

    @classmethod
    def record(cls, parties, web_user=None):
        "Record and email the confirmation of each party's current card."
        cls.lock_chains([p.id for p in parties])
        heads = {}
        with without_check_access():
            vlist = [cls._seal(p, web_user, heads) for p in parties]
            confirmations = cls.create(vlist)
            cls.send_email(confirmations)
        return confirmations

    @classmethod
    def _seal(cls, party, web_user, heads):
        pool = Pool()
        Party = pool.get('party.party')
        Record = pool.get('consent.record')
        History = pool.get('party.card.history')
        transaction = Transaction()
        now = dt.datetime.now(dt.UTC).replace(
            tzinfo=None, microsecond=0)
        client = Record.client_emails(party)
        if not client:
            raise CardIncomplete(gettext('client_card.msg_card_no_email',
                    party=party.rec_name))
        intermediary = Record.intermediary_email()
        address, _ = transaction.remote_address()
        channel = 'portal' if web_user else current_channel()
        language = i18n.language_of(party)
        snapshot = Party.card_snapshot(party)
        values = {
            'party': party.id,
            'time': now,
            'channel': channel,
            'user': transaction.user if channel != 'portal'
            and transaction.user else None,
            'web_user': int(web_user) if web_user else None,
            'ip_address': str(address) if address else None,
            'user_agent': (transaction.context.get('card_user_agent')
                or '')[:500] or None,
            'language': language,
            'card_hash': Party.card_hash(party),
            'content': canonical(snapshot),
            'validation_string': Record.make_validation_string(now, client),
            'emailed_to': ', '.join(client + [a for a in [intermediary]
                    if a and a not in client]),
            }
        with transaction.set_context(language=language):
            data = cls.render_pdf(party, snapshot, values)
        values['pdf_hash'] = hashlib.sha256(data).hexdigest()
        values['last_history'] = History.last_id(party)
        values['pdf_id'] = filestore.set(
            data, prefix=transaction.database.name)
        return cls.seal_chain(values, heads)

    @classmethod
    def render_pdf(cls, party, snapshot, values):
        "Return the card summary PDF of a confirmation being recorded."
        Party = Pool().get('party.party')
        party = Party(party.id)
        sections = []
        labels = dict(Party.card_section_labels())
        for section, content in snapshot.items():
            if section == 'card':
                continue
            sections.append((labels.get(section, section),
                    Party.card_rows(section, content)))
        evidence = cls.fields_get(['time', 'card_hash', 'validation_string',
                'emailed_to', 'ip_address', 'previous_hash'])
        rows = [(evidence[n]['string'], values.get(n))
            for n in ['validation_string', 'emailed_to', 'ip_address',
                'card_hash', 'previous_hash']]
        rows.insert(0, (evidence['time']['string'],
                values['time'].strftime('%Y-%m-%d %H:%M:%S UTC')))
        title = f"{party.rec_name} - {Party.card_title()}"
        return summary_pdf.card_pdf(title, sections, rows)

    def get_pdf(self, name):
        try:
            return filestore.get(self.pdf_id,
                prefix=Transaction().database.name)
        except (FileNotFoundError, TypeError):
            return None

    def get_pdf_name(self, name):
        return i18n.file_name(gettext('client_card.msg_card_title'),
            f'{self.party.name} {self.id}', 'pdf')

    @classmethod
    def send_email(cls, confirmations):
        "Email each confirmation's PDF to the client and the intermediary."
        Record = Pool().get('consent.record')
        intermediary = Record.intermediary_email()
        for confirmation in confirmations:
            client = Record.client_emails(confirmation.party)
            language = confirmation.language or 'it'
            with Transaction().set_context(language=language):
                confirmation = cls(confirmation.id)
                mail.send(client, 'client_card/email/confirmation.html',
                    language,
                    cc=[intermediary] if intermediary
                    and intermediary not in client else None,
                    attachments=[(confirmation.pdf_name, confirmation.pdf,
                            'application/pdf')],
                    resource=confirmation, confirmation=confirmation,
                    party=confirmation.party)

    @classmethod
    def last_of(cls, parties):
        "Return {party id: its last confirmation}."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        ids = []
        for sub in grouped_slice([int(p) for p in parties]):
            cursor.execute(*table.select(Max(table.id),
                    where=table.party.in_(list(sub)),
                    group_by=[table.party]))
            ids += [i for i, in cursor]
        return {c.party.id: c for c in cls.browse(ids)}
