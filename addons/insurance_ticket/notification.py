# This file is part of the insurance intermediary platform.
"""Emails of the thread: each public message to every follower but its
author, worded for the follower's role, and replies by email posted back
into the thread."""
import email
import email.policy
import logging
import hmac
import re
from collections import namedtuple
from email.utils import getaddresses

from trytond import config
from trytond.modules.portal import keys, mail
from trytond.modules.portal.i18n import language_of
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .exceptions import TicketEnded

logger = logging.getLogger(__name__)

# the token of a follower's reply address: desk+<number>.<signature>@host
REPLY_TOKEN = re.compile(r'\+(\d+)\.([0-9a-f]{16})@', re.IGNORECASE)
RECIPIENT_HEADERS = [
    'To', 'Cc', 'Delivered-To', 'X-Original-To', 'X-Envelope-To']
QUOTE_HEADER = re.compile(
    r'^(On .+wrote:|Il .+ha scritto:|-----\s*Original Message\s*-----)\s*$',
    re.IGNORECASE)
# the files a follower of the role receives with the event's email
EVENT_FILES = {
    'quote_sent': ({'client'}, {'quote', 'contract'}),
    'signed': ({'client', 'broker'}, {'signed'}),
    }

Follower = namedtuple('Follower', ['address', 'language', 'role'])


class Message(metaclass=PoolMeta):
    __name__ = 'insurance.ticket.message'

    @classmethod
    def send_notifications(cls, messages):
        "Put the email of each public message to its followers in the outbox."
        for message in messages:
            if not message.internal:
                for follower in message.recipients():
                    message.send_to(follower)

    def recipients(self):
        "Return the followers but the author."
        author = {
            (self.author_web_user.email or '').lower()
            if self.author_web_user else None,
            (self.author_user.email or '').lower()
            if self.author_user else None,
            }
        result = {}
        for follower in self.ticket.followers():
            address = (follower.address or '').lower()
            if address and address not in author:
                result.setdefault(address, follower._replace(address=address))
        return [result[a] for a in sorted(result)]

    @property
    def author_role(self):
        "The role of the author on the ticket: client, broker or staff."
        if not self.author_web_user:
            return 'staff'
        roles = self.ticket.portal_roles(self.author_web_user)
        return 'client' if 'client' in roles else 'broker'

    def send_to(self, follower):
        "Put the message's email to the follower in the outbox."
        Ticket = Pool().get('insurance.ticket')
        with Transaction().set_context(language=follower.language):
            ticket = Ticket(self.ticket.id)
            message = self.__class__(self.id)
            reply_to = ticket.reply_address(follower.address)
            mail.send(follower.address,
                'insurance_ticket/email/message.html', follower.language,
                reply_to=reply_to, can_reply=bool(reply_to),
                attachments=message.files_for(follower.role),
                headers={'X-Ticket': ticket.number},
                resource=message, ticket=ticket, message=message,
                role=follower.role, author_role=message.author_role,
                state=message.event and dict(ticket.fields_get(
                        ['state'])['state']['selection'])[message.event])

    def files_for(self, role):
        "Return the files the event's email carries to a follower's role."
        roles, categories = EVENT_FILES.get(self.event, (set(), set()))
        if role not in roles:
            return []
        return [(a.name, a.data, a.mime_type) for a in self.attachments
            if a.category in categories and a.data]

    @classmethod
    def receive_email(cls, raw):
        """Post the reply to a ticket email into its thread.

        A reply is taken only when it is addressed to the reply address the
        ticket gave a follower and comes from that follower; the mail
        server's Authentication-Results are kept with the message. Return
        the message, or None when the reply is refused (logged)."""
        incoming = email.message_from_bytes(raw, policy=email.policy.default)
        sender = (getaddresses([incoming.get('From', '')]) or [('', '')])[0][1]
        ticket = cls.addressed_ticket(incoming, sender)
        if not ticket:
            logger.warning("email from %s refused: no reply address of a "
                "ticket given to that sender", sender)
            return None
        author = ticket.follower_author(sender)
        if not author:
            logger.warning(
                "email from %s refused: not a follower of ticket %s",
                sender, ticket.number)
            return None
        checks = ' | '.join(
            str(h) for h in incoming.get_all('Authentication-Results', []))
        if checks:
            author = dict(author, email_authentication=checks[:1000])
        body = cls.strip_quoted(cls._text_of(incoming))
        try:
            return ticket.reply(body, [], author)
        except TicketEnded:
            logger.warning(
                "email from %s refused: ticket %s is closed",
                sender, ticket.number)
            return None

    @classmethod
    def addressed_ticket(cls, incoming, sender):
        "Return the ticket whose reply address for the sender received it."
        Ticket = Pool().get('insurance.ticket')
        addresses = getaddresses([str(v) for name in RECIPIENT_HEADERS
                for v in incoming.get_all(name, [])])
        for _, address in addresses:
            match = REPLY_TOKEN.search(address)
            if not match:
                continue
            tickets = Ticket.search(
                [('number', '=', match.group(1))], limit=1)
            if tickets and hmac.compare_digest(
                    tickets[0].reply_address(sender) or '',
                    address.lower()):
                return tickets[0]
        return None

    @staticmethod
    def _text_of(incoming):
        part = incoming.get_body(preferencelist=('plain',))
        return part.get_content() if part else ''

    @staticmethod
    def strip_quoted(text):
        "Return the text above the quoted original."
        kept = []
        for line in text.splitlines():
            if line.startswith('>') or QUOTE_HEADER.match(line.strip()):
                break
            kept.append(line)
        return '\n'.join(kept).strip()


class Ticket(metaclass=PoolMeta):
    __name__ = 'insurance.ticket'

    def reply_address(self, follower):
        """Return the address a follower's replies go to, signed for that
        follower: ``[insurance_ticket] reply_to`` with the ticket's number
        and a signature of the follower's address; None without it."""
        base = config.get('insurance_ticket', 'reply_to')
        if not base or '@' not in base:
            return None
        local, _, domain = base.rpartition('@')
        token = keys.signature(
            'reply', self.uuid, (follower or '').lower(), length=16)
        return f'{local}+{self.number}.{token}@{domain}'.lower()

    def followers(self):
        "Yield the client, the colleagues, the staff and the brokers."
        pool = Pool()
        WebUser = pool.get('web.user')
        with without_check_access():
            clients = [p for p in (self.client, self.client_company) if p]
            brokerages = [p for p in [self.forwarded_brokerage] if p]
            users = WebUser.search(['OR',
                    ('party', 'in', [c.id for c in clients]),
                    ('secondary_parties', 'in',
                        [p.id for p in clients + brokerages]),
                    ])
            for user in users:
                if user.email and user.email_valid and user.active:
                    roles = self.portal_roles(user)
                    yield Follower(user.email, language_of(user.party),
                        'client' if 'client' in roles else 'broker')
            if not any(u.party == self.client for u in users):
                if self.client.email:
                    yield Follower(self.client.email,
                        language_of(self.client), 'client')
            if self.operator and self.operator.email:
                yield Follower(self.operator.email,
                    language_of(self.operator), 'staff')
            elif self.company.party.email:
                # the service desk follows the tickets nobody took yet
                yield Follower(self.company.party.email,
                    language_of(self.company.party), 'staff')

    def follower_author(self, address):
        "Return the author values of the follower with the address, or None."
        pool = Pool()
        WebUser = pool.get('web.user')
        Message = pool.get('insurance.ticket.message')
        address = (address or '').lower()
        if not address:
            return None
        with without_check_access():
            for user in WebUser.search([('email', 'ilike', address)]):
                if user.email.lower() == address and self.portal_roles(user):
                    return Message.web_author(user)
            operator_email = self.operator.email if self.operator else None
            if (operator_email or '').lower() == address:
                return {
                    'author_user': self.operator,
                    'author_name': self.operator.name,
                    }
        return None
