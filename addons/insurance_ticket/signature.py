# This file is part of the insurance intermediary platform.
"""Signature of the final policy with a one-time code, and its evidence
kept append-only in a hash chain per ticket."""
import datetime as dt
import hashlib
import json
import math
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal import mail, seal
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.modules.portal.chain import ChainedMixin
from trytond.modules.portal import i18n
from trytond.modules.portal.one_time_code import OneTimeCodeMixin
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from . import document
from .exceptions import (
    AppendOnly, BrokenEvidenceChain, SignatureCodeInvalid,
    SignatureCodeThrottled, SignatureLocked)

SIGNATURE_SMS = i18n.N_(
    "Your code to sign the policy of ticket %(number)s is %(code)s. It is "
    "valid for %(minutes)s minutes.")
RESEND_DELAY = dt.timedelta(seconds=60)
LOCK_DELAY = dt.timedelta(minutes=15)


def mask_email(address):
    "Return the address with most of the local part hidden."
    local, _, domain = address.partition('@')
    return f'{local[:1]}***{local[-1:] if len(local) > 1 else ""}@{domain}'


def mask_phone(number):
    "Return the number with all but its prefix and last digits hidden."
    return f'{number[:3]}***{number[-2:]}'


class SignatureRequest(OneTimeCodeMixin, ModelSQL):
    "Signature Code"
    __name__ = 'insurance.ticket.signature_request'

    ticket = fields.Many2One(
        'insurance.ticket', "Ticket", required=True, ondelete='CASCADE')
    web_user = fields.Many2One(
        'web.user', "Signer", required=True, ondelete='CASCADE')
    document_hash = fields.Char("Document SHA-256", required=True)
    channel = fields.Char("Channel", required=True)
    destination = fields.Char("Masked Destination", required=True)
    sent_at = fields.Timestamp("Sent At", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.ticket, Index.Range()), (t.web_user, Index.Range())))

    @classmethod
    def current(cls, ticket, web_user):
        requests = cls.search([
                ('ticket', '=', ticket.id),
                ('web_user', '=', web_user.id),
                ], order=[('id', 'DESC')], limit=1)
        return requests[0] if requests else None

    @classmethod
    def channels(cls, web_user):
        """Return (channel, masked destination) of where a code goes: the
        confirmed email, and the phone when it is verified."""
        channels = [('email', mask_email(web_user.email))]
        if web_user.phone and web_user.phone_verified:
            channels.append(('sms', mask_phone(web_user.phone)))
        return channels

    @classmethod
    def destinations(cls, web_user):
        "Return the masked destinations of a code for the web user."
        return [destination for _, destination in cls.channels(web_user)]

    @classmethod
    def send_code(cls, ticket, web_user):
        """Send a new 6-digit code for the frozen document of the ticket to
        the confirmed email, and by SMS when the phone is verified."""
        now = dt.datetime.now()
        with without_check_access():
            previous = cls.current(ticket, web_user)
            if (previous and previous.locked and not previous.used
                    and now < previous.unlocks_at):
                raise previous.locked_error()
            if previous and not previous.used \
                    and now - previous.sent_at < RESEND_DELAY:
                raise SignatureCodeThrottled(gettext(
                        'insurance_ticket.msg_signature_throttled',
                        seconds=RESEND_DELAY.seconds))
            channels = cls.channels(web_user)
            request = cls(
                ticket=ticket, web_user=web_user,
                document_hash=ticket.policy_hash,
                channel='+'.join(c for c, _ in channels),
                destination=' '.join(d for _, d in channels),
                sent_at=now)
            code = request.new_code()
            request.save()
        request.send(code, with_sms=len(channels) > 1)
        return request

    def send(self, code, with_sms=False):
        "Send the code by email, and by SMS to a verified phone."
        language = i18n.language_of(self.web_user.party)
        minutes = self.code_validity().seconds // 60
        mail.send(self.web_user.email,
            'insurance_ticket/email/signature_code.html', language,
            resource=self.ticket, transient=True, ticket=self.ticket,
            code=code, document_hash=self.document_hash, minutes=minutes)
        if with_sms:
            Pool().get('portal.sms').send(self.web_user.phone, i18n.gettext(
                    SIGNATURE_SMS, language, code=code,
                    number=self.ticket.number, minutes=minutes))

    @property
    def unlocks_at(self):
        "When a new code may be asked after this one was locked."
        return (self.write_date or self.sent_at) + LOCK_DELAY

    def locked_error(self):
        wait = self.unlocks_at - dt.datetime.now()
        return SignatureLocked(gettext(
                'insurance_ticket.msg_signature_locked',
                minutes=max(1, math.ceil(wait.total_seconds() / 60))))

    def check(self, code):
        "Count the attempt and raise unless the code is right and fresh."
        with without_check_access():
            result = (self.check_code(code)
                if self.document_hash == self.ticket.policy_hash else 'wrong')
        if result in {'used', 'locked'}:
            raise self.locked_error()
        if result != 'verified':
            raise SignatureCodeInvalid(gettext(
                    'insurance_ticket.msg_signature_code_invalid',
                    attempts=self.code_attempts() - self.attempts))


# the values a signature's evidence seals, with the previous evidence's hash
EVIDENCE_FIELDS = [
    'ticket', 'document_hash', 'signer', 'signer_name', 'signer_email',
    'signed_at', 'ip_address', 'user_agent', 'channel', 'destination']
# evidence sealed before the chains shared one serialisation
LEGACY, CANONICAL = 1, 2


class Evidence(ChainedMixin, AppendOnlyMixin, ModelSQL, ModelView):
    "Signature Evidence"
    __name__ = 'insurance.ticket.evidence'
    _append_only_error = (
        AppendOnly, 'insurance_ticket.msg_evidence_append_only')
    _chain_key = 'ticket'
    _chain_fields = EVIDENCE_FIELDS

    ticket = fields.Many2One(
        'insurance.ticket', "Ticket", required=True, ondelete='RESTRICT',
        readonly=True)
    document_hash = fields.Char("Document SHA-256", readonly=True)
    signer = fields.Many2One(
        'web.user', "Signer", readonly=True, ondelete='RESTRICT')
    signer_name = fields.Char("Signer Name", readonly=True)
    signer_email = fields.Char("Signer Email", readonly=True)
    signed_at = fields.Timestamp("Signed At", readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    user_agent = fields.Char("User Agent", readonly=True)
    channel = fields.Char("Channel", readonly=True)
    destination = fields.Char("Masked Destination", readonly=True)
    chain_version = fields.Integer(
        "Chain Version", readonly=True,
        help="1: sealed in the serialisation of the first signatures; "
        "2: in the platform's one serialisation of hash chains.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.ticket, Index.Range()), (t.id, Index.Range())))
        cls._order = [('ticket', 'ASC'), ('id', 'ASC')]

    @classmethod
    def __register__(cls, module):
        table = cls.__table_handler__(module)
        # the first evidences: their hash column is the chain hash
        legacy = table.column_exist('hash') and not table.column_exist(
            'chain_version')
        if legacy:
            table.column_rename('hash', 'chain_hash')
        super().__register__(module)
        if legacy:
            sql_table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*sql_table.update(
                    [sql_table.chain_version], [LEGACY]))

    @classmethod
    def default_chain_version(cls):
        return CANONICAL

    def chain_values(self):
        "Return the stored values the evidence seals."
        values = {name: getattr(self, name) for name in EVIDENCE_FIELDS}
        values.update(ticket=self.ticket.id,
            signer=self.signer.id if self.signer else None,
            previous_hash=self.previous_hash, chain_hash=self.chain_hash)
        return values

    def legacy_digest(self):
        "Return the hash of an evidence sealed before the one serialisation."
        return hashlib.sha256(json.dumps({
                    'ticket': self.ticket.number,
                    'document_hash': self.document_hash,
                    'signer': self.signer_email,
                    'signer_name': self.signer_name,
                    'signed_at': self.signed_at.isoformat(),
                    'ip_address': self.ip_address,
                    'user_agent': self.user_agent,
                    'channel': self.channel,
                    'destination': self.destination,
                    'previous_hash': self.previous_hash,
                    }, sort_keys=True).encode()).hexdigest()

    def breaks(self, previous):
        "Return what breaks the ticket's chain at this evidence."
        if self.chain_version == LEGACY:
            breaks = [] if (self.previous_hash or None) == (
                previous or None) else ['previous']
            if self.legacy_digest() != self.chain_hash:
                breaks.append('hash')
            return breaks
        return self.chain_breaks(self.chain_values(), previous)

    @classmethod
    def record(cls, request, ip_address, user_agent):
        "Append the evidence of the signature to the ticket's chain."
        ticket = request.ticket
        user = request.web_user
        with without_check_access():
            cls.lock_chains([ticket.id])
            values = cls.seal_chain({
                    'ticket': ticket.id,
                    'document_hash': request.document_hash,
                    'signer': user.id,
                    'signer_name': user.party.rec_name if user.party
                    else user.email,
                    'signer_email': user.email,
                    'signed_at': dt.datetime.now().replace(microsecond=0),
                    'ip_address': ip_address,
                    'user_agent': (user_agent or '')[:500],
                    'channel': request.channel,
                    'destination': request.destination,
                    }, {})
            evidence, = cls.create([values])
        return evidence

    @classmethod
    def verify_chain(cls, ticket):
        "Raise unless each evidence matches its hash, link and document."
        previous = None
        evidences = cls.search([('ticket', '=', ticket.id)])
        if not evidences:
            raise BrokenEvidenceChain(gettext(
                    'insurance_ticket.msg_evidence_missing',
                    ticket=ticket.number))
        for evidence in evidences:
            if evidence.breaks(previous):
                raise BrokenEvidenceChain(gettext(
                        'insurance_ticket.msg_evidence_broken',
                        ticket=ticket.number))
            previous = evidence.chain_hash
        if hashlib.sha256(ticket.policy_data()).hexdigest() != \
                evidences[-1].document_hash:
            raise BrokenEvidenceChain(gettext(
                    'insurance_ticket.msg_evidence_document',
                    ticket=ticket.number))
        return evidences[-1]

    @classmethod
    def verify_signed_copy(cls, ticket, evidence):
        """Return the check of the ticket's signed copy: its seal, and the
        evidence embedded in it against the chain's. Copies signed before
        the seal carry neither and pass as they are; raise when a sealed
        copy was changed or does not match the evidence."""
        Attachment = Pool().get('insurance.ticket.attachment')
        with without_check_access():
            copies = Attachment.search([
                    ('ticket', '=', ticket.id), ('category', '=', 'signed')],
                order=[('id', 'DESC')], limit=1)
            data = bytes(copies[0].data or b'') if copies else b''
        result = seal.verify(data)
        if not result.sealed:
            return result
        embedded = document.embedded_evidence(data) or {}
        # evidence of the first serialisation came before sealed copies
        matches = evidence.chain_version == LEGACY or (
            embedded.get('chain_hash') == evidence.chain_hash)
        if not result.ok or not matches:
            raise BrokenEvidenceChain(gettext(
                    'insurance_ticket.msg_signed_copy_broken',
                    ticket=ticket.number, seal=str(result)))
        return result
