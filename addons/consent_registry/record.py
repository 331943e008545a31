# This file is part of the insurance intermediary platform.
import datetime as dt
import hashlib
import logging

from sql import Null
from sql.aggregate import Max

from trytond import backend
from trytond.cache import Cache
from trytond.filestore import filestore
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal import formats, i18n, mail, seal
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.modules.portal.chain import ChainedMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from . import pdf
from .exceptions import RecordAnswerError, RecordImmutableError

logger = logging.getLogger(__name__)

POSITIVE = {'given', 'acknowledged'}
# The fields a caller may set; everything else is computed when sealed.
INPUT_FIELDS = {
    'party', 'version', 'answer', 'channel', 'web_user', 'ip_address',
    'user_agent', 'language'}
# The fields the chain hash covers, with the previous record's hash.
SEALED_FIELDS = [
    'party', 'form', 'version', 'text_hash', 'answer', 'time', 'channel',
    'user', 'web_user', 'ip_address', 'user_agent', 'language',
    'emailed_to', 'validation_string', 'pdf_id', 'pdf_hash']
GUARD_FUNCTION = 'consent_record_append_only'
# The fields the document shows as evidence, in this order.
EVIDENCE_FIELDS = [
    'answer', 'time', 'channel', 'ip_address', 'user_agent', 'emailed_to',
    'validation_string', 'text_hash', 'previous_hash']


def utc_now():
    return dt.datetime.now(dt.timezone.utc).replace(
        tzinfo=None, microsecond=0)


def store_prefix():
    return Transaction().database.name


class Record(ChainedMixin, AppendOnlyMixin, ModelSQL, ModelView):
    "Consent Record"
    __name__ = 'consent.record'
    _append_only_error = (
        RecordImmutableError, 'consent_registry.msg_record_immutable')
    _chain_key = 'party'
    _chain_fields = SEALED_FIELDS
    _rec_name = 'validation_string'
    _evidence_labels = Cache(
        'consent.record.evidence_labels', context=False)
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    version = fields.Many2One(
        'consent.form.version', "Form Version", required=True,
        ondelete='RESTRICT', domain=[('state', '=', 'published')],
        states={'readonly': Eval('id', -1) >= 0})
    form = fields.Many2One('consent.form', "Form", readonly=True)
    answer = fields.Selection([
            ('given', "Given"),
            ('refused', "Refused"),
            ('acknowledged', "Acknowledged"),
            ('withdrawn', "Withdrawn"),
            ], "Answer", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    answer_string = answer.translated('answer')
    time = fields.Timestamp("Time (UTC)", readonly=True)
    channel = fields.Selection([
            ('portal', "Client in the portal"),
            ('staff', "Staff on the client's behalf"),
            ], "Channel", required=True, readonly=True)
    user = fields.Many2One('res.user', "Staff User", readonly=True)
    web_user = fields.Many2One('web.user', "Web User", readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    user_agent = fields.Char("User Agent", readonly=True)
    language = fields.Char("Language", readonly=True)
    emailed_to = fields.Char("Emailed To", readonly=True)
    validation_string = fields.Char("Validation String", readonly=True)
    text_hash = fields.Char("Text SHA-256", readonly=True)
    pdf_id = fields.Char("PDF File", readonly=True)
    pdf = fields.Function(
        fields.Binary("PDF", filename='pdf_name'), 'get_pdf')
    pdf_name = fields.Function(fields.Char("PDF Name"), 'get_pdf_name')
    pdf_hash = fields.Char("PDF SHA-256", readonly=True)
    email_sent = fields.Function(
        fields.Boolean("Email Sent"), 'get_email_sent')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # a party's records by form, in order: last answers and chain heads
        cls._sql_indexes.add(Index(t,
                (t.party, Index.Range()), (t.form, Index.Range()),
                (t.id, Index.Range())))
        cls._order = [('time', 'DESC'), ('id', 'DESC')]

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        if backend.name == 'postgresql':
            cls._create_database_guard()

    @classmethod
    def _create_database_guard(cls):
        "Make PostgreSQL itself refuse to change or delete a record."
        cursor = Transaction().connection.cursor()
        cursor.execute(
            f'CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() '
            'RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
            "RAISE EXCEPTION 'consent records are append-only "
            "(% refused)', TG_OP; END $$")
        cursor.execute(
            f'DROP TRIGGER IF EXISTS {GUARD_FUNCTION} ON "{cls._table}"')
        cursor.execute(
            f'CREATE TRIGGER {GUARD_FUNCTION} '
            f'BEFORE UPDATE OR DELETE ON "{cls._table}" '
            f'FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()')

    @classmethod
    def default_channel(cls):
        return 'staff'

    @classmethod
    def create(cls, vlist):
        cls.lock_chains({v.get('party') for v in vlist})
        now = utc_now()
        heads = {}
        # Only system code may record an answer given earlier (a sign-up's).
        dated = not Transaction().check_access
        with without_check_access():
            # Sealing reads the party's addresses and the form text the
            # caller may not see, and writes the PDF to the file store.
            vlist = [cls._seal(values, now, heads, dated) for values in vlist]
        return super().create(vlist)

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create':
            cls.send_email(records)

    @classmethod
    def _seal(cls, values, now, heads, dated=False):
        "Return the values completed with their evidence and chain hash."
        pool = Pool()
        Party = pool.get('party.party')
        Version = pool.get('consent.form.version')
        time = values.get('time')
        values = {k: v for k, v in values.items() if k in INPUT_FIELDS}
        party = Party(values['party'])
        version = Version(values['version'])
        cls.check_answer(version, values['answer'])
        channel = values.get('channel') or (
            'portal' if values.get('web_user') else 'staff')
        language = values.get('language') or Transaction().language or 'it'
        client = cls.client_emails(party, values.get('web_user'))
        if not client:
            raise RecordAnswerError(gettext(
                    'consent_registry.msg_record_no_email',
                    party=party.rec_name))
        values.update({
                'form': version.form.id,
                'text_hash': version.text_hash,
                'time': time.replace(microsecond=0) if time and dated
                else now,
                'channel': channel,
                'user': Transaction().user if channel == 'staff' else None,
                'language': language,
                'emailed_to': ', '.join(client + [
                        a for a in [cls.intermediary_email()]
                        if a and a not in client]),
                'validation_string': cls.make_validation_string(now, client),
                })
        values['previous_hash'] = heads.get(party.id) or cls.chain_head(
            party.id)
        with Transaction().set_context(language=language):
            data = cls.seal_pdf(
                cls.render_pdf(party, version, values), values, language)
        values['pdf_hash'] = hashlib.sha256(data).hexdigest()
        values['pdf_id'] = filestore.set(data, prefix=store_prefix())
        return cls.seal_chain(values, heads)

    @classmethod
    def check_answer(cls, version, answer):
        if version.state != 'published':
            raise RecordAnswerError(gettext(
                    'consent_registry.msg_record_version_not_published',
                    version=version.rec_name))
        allowed = version.form.answers()
        if version.form.kind == 'consent':
            allowed.append('withdrawn')
        if answer not in allowed:
            raise RecordAnswerError(gettext(
                    'consent_registry.msg_record_answer_invalid',
                    answer=answer, form=version.form.rec_name))

    @classmethod
    def client_emails(cls, party, web_user=None):
        """Return the client's email addresses: the party's, its logins' and
        the login's that answers for it (who acts for a company)."""
        WebUser = Pool().get('web.user')
        addresses = [m.value for m in party.contact_mechanisms
            if m.type == 'email']
        addresses += cls.login_emails(party)
        if web_user is not None:
            addresses.append(WebUser(web_user).email)
        result = []
        for address in addresses:
            if address and address.lower() not in result:
                result.append(address.lower())
        return result

    @classmethod
    def login_emails(cls, party):
        """Return the emails of the party's active logins, in their order,
        as a search of them finds them (access, rules, active ones) but read
        in one query: every document and email of the party asks them."""
        WebUser = Pool().get('web.user')
        user = WebUser.__table__()
        found = WebUser.search(
            [('party', '=', party.id)], order=[], query=True)
        cursor = Transaction().connection.cursor()
        cursor.execute(*user.select(user.email,
                where=user.id.in_(found), order_by=user.id))
        return [email for email, in cursor]

    @classmethod
    def intermediary_email(cls):
        Configuration = Pool().get('consent.configuration')
        return Configuration(1).get_intermediary_email()

    @classmethod
    def make_validation_string(cls, time, addresses):
        """Return the string the source defines: the time of sending as
        dd/mm/yy/hh/mm/ss, in the time zone ``[portal] timezone``, and the
        client's email addresses."""
        local = formats.local(time)
        return ' '.join(
            [local.strftime('%d/%m/%y/%H/%M/%S')] + list(addresses))

    @classmethod
    def party_rows(cls, party):
        "Return the labelled rows describing the party in documents."
        def label(name):
            return gettext(f'consent_registry.msg_doc_party_{name}')
        return [
            (label('name'), party.rec_name),
            (label('tax'),
                party.tax_identifier.code if party.tax_identifier else ''),
            (label('address'), '; '.join(
                    a.full_address.replace('\n', ', ')
                    for a in party.addresses)),
            (label('email'), ', '.join(cls.client_emails(party))),
            ]

    @classmethod
    def evidence_rows(cls, values):
        "Return the labelled evidence rows of a record's values."
        labels, answers, channels = cls.evidence_labels()
        shown = dict(values,
            answer=answers[values['answer']],
            channel=channels[values['channel']],
            time=values['time'].strftime('%Y-%m-%d %H:%M:%S UTC'))
        rows = [(labels[n], shown.get(n)) for n in EVIDENCE_FIELDS]
        for name in ['pdf_hash', 'chain_hash']:
            if values.get(name):
                rows.append((labels[name], values[name]))
        return rows

    @classmethod
    def evidence_labels(cls):
        """Return the labels of the evidence fields and those of the answers
        and channels, in the language of the context."""
        language = Transaction().language
        cached = cls._evidence_labels.get(language)
        if cached is None:
            fields_ = cls.fields_get(
                EVIDENCE_FIELDS + ['pdf_hash', 'chain_hash'])
            cached = cls._evidence_labels.set(language, (
                    {n: f['string'] for n, f in fields_.items()},
                    dict(fields_['answer']['selection']),
                    dict(fields_['channel']['selection'])))
        return cached

    @classmethod
    def render_pdf(cls, party, version, values):
        "Return the PDF of a consent being recorded."
        version = version.__class__(version.id)
        title = (f'{version.form.name} - v{version.number} '
            f'({version.effective_date.isoformat()})')
        return pdf.consent_pdf(title, version.text or '',
            cls.party_rows(party), cls.evidence_rows(values))

    @classmethod
    def seal_pdf(cls, data, values, language):
        "Return the consent PDF sealed by the platform."
        return seal.seal(data, reason=gettext(
                'consent_registry.msg_pdf_seal_reason',
                validation=values['validation_string']),
            location=seal.location(), language=language)

    def get_pdf(self, name):
        try:
            return filestore.get(self.pdf_id, prefix=store_prefix())
        except FileNotFoundError:
            return None

    def get_pdf_name(self, name):
        return i18n.file_name(gettext('consent_registry.msg_file_consent'),
            f'{self.form.code} {self.id}', 'pdf')

    @classmethod
    def get_email_sent(cls, records, name):
        Link = Pool().get('consent.record.email')
        sent = set()
        with without_check_access():
            for sub in grouped_slice(records):
                sent.update(link.record.id for link in Link.search([
                            ('record', 'in', [r.id for r in sub])]))
        return {r.id: r.id in sent for r in records}

    @classmethod
    def send_email(cls, records):
        """Email the records not emailed yet with their PDFs to the client
        and the intermediary: one email for the records of a submission
        that go to the same addresses."""
        Link = Pool().get('consent.record.email')
        groups = {}
        for record in cls.browse(records):
            if record.email_sent:
                continue
            client = tuple(cls.client_emails(record.party, record.web_user))
            groups.setdefault((record.language, client), []).append(record)
        intermediary = cls.intermediary_email()
        with without_check_access():
            for (language, client), group in groups.items():
                with Transaction().set_context(language=language):
                    group = cls.browse(group)
                    outgoing = mail.send(list(client),
                        'consent_registry/email/receipt.html', language,
                        cc=[intermediary]
                        if intermediary and intermediary not in client
                        else None,
                        attachments=[(r.pdf_name, r.pdf, 'application/pdf')
                            for r in group],
                        resource=group[0], records=group,
                        parties=list(dict.fromkeys(
                                r.party.rec_name for r in group)))
                Link.create([
                        {'record': r.id, 'email': outgoing.id}
                        for r in group])

    @classmethod
    def resend_emails(cls):
        "Queue again the records whose email was not sent (cron)."
        records = cls.browse(
            cls.unsent(before=utc_now() - dt.timedelta(minutes=10)))
        if records:
            logger.warning("sending again %s consent emails", len(records))
            cls.send_email(records)

    @classmethod
    def unsent(cls, before):
        "Return the ids of the records made before the time and not emailed."
        Link = Pool().get('consent.record.email')
        record = cls.__table__()
        link = Link.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*record.join(
                link, 'LEFT', condition=link.record == record.id).select(
                record.id,
                where=(record.time < before) & (link.id == Null)))
        return [i for i, in cursor]

    @classmethod
    def last_answers(cls, parties=None, forms=None):
        "Return {party id: {form id: last record}}."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        where = table.id > 0
        if parties is not None:
            where &= table.party.in_([int(p) for p in parties] or [-1])
        if forms is not None:
            where &= table.form.in_([int(f) for f in forms] or [-1])
        cursor.execute(*table.select(
                Max(table.id), table.party, table.form, where=where,
                group_by=[table.party, table.form]))
        rows = cursor.fetchall()
        records = cls.browse([i for i, _, _ in rows])
        if records:
            # one read for all: a record loads only those after it
            records[0].answer
        result = {}
        for record, (_, party, form) in zip(records, rows):
            result.setdefault(party, {})[form] = record
        return result

    @classmethod
    def states(cls, parties, moment=None):
        """Return, for each (party, kind) pair, the forms that apply with
        their current version, the last answer and whether it is changed
        (the last answer is on an older version), missing (never answered
        though a step at the moment needs it) or blocking (a mandatory form
        changed, missing or answered but not given)."""
        Form = Pool().get('consent.form')
        in_force = Form.in_force()
        last = cls.last_answers(parties=[p for p, _ in parties])
        result = []
        for party, kind in parties:
            for form, current in in_force:
                if not form.applies_to(kind):
                    continue
                record = last.get(party.id, {}).get(form.id)
                # the current version is the last published
                changed = bool(record and record.version != current)
                positive = bool(record and record.answer in POSITIVE
                    and not changed)
                missing = bool(not record and moment
                    and form.due_by(moment))
                refused = record is not None and not positive
                result.append({
                        'party': party, 'form': form, 'version': current,
                        'record': record, 'changed': changed,
                        'missing': missing, 'refused': refused,
                        'blocking': form.mandatory and (
                            changed or missing or refused),
                        })
        return result

    @classmethod
    def record_answer(cls, party, version, answer, **values):
        "Record an answer and return it."
        record, = cls.create([dict(values,
                    party=party.id, version=version.id, answer=answer)])
        return record


class RecordEmail(ModelSQL):
    "Consent Record Email"
    __name__ = 'consent.record.email'
    record = fields.Many2One(
        'consent.record', "Record", required=True, ondelete='RESTRICT')
    email = fields.Many2One(
        'portal.email', "Email", required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.record, Index.Range())))
