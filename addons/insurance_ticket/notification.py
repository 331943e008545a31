# This file is part of the insurance intermediary platform.
"""Emails of the thread: to every follower but the author after commit, and
replies by email posted back into the thread."""
import datetime as dt
import email
import email.policy
import html
import logging
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses

from trytond import config
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.sendmail import send_message
from trytond.transaction import Transaction, without_check_access

from .exceptions import TicketEnded

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = 'it'
MAX_ATTEMPTS = 5
SUBJECT_NUMBER = re.compile(r'\[Ticket\s+(\d+)\]', re.IGNORECASE)
QUOTE_HEADER = re.compile(
    r'^(On .+wrote:|Il .+ha scritto:|-----\s*Original Message\s*-----)\s*$',
    re.IGNORECASE)


class Message(metaclass=PoolMeta):
    __name__ = 'insurance.ticket.message'

    def notify(self):
        "Queue the email of the public message after the commit."
        if not self.internal:
            self.__class__.__queue__.send_notifications([self])

    @classmethod
    def send_notifications(cls, messages):
        for message in messages:
            for address, language in message.recipients():
                message.send_to(address, language)

    @classmethod
    def send_notification_to(cls, messages, address, language, attempt):
        for message in messages:
            message.send_to(address, language, attempt)

    def recipients(self):
        "Return (email, language) of each follower but the author."
        author = {
            (self.author_web_user.email or '').lower()
            if self.author_web_user else None,
            (self.author_user.email or '').lower()
            if self.author_user else None,
            }
        result = {}
        for address, language in self.ticket.followers():
            if address and address.lower() not in author:
                result.setdefault(address.lower(), language)
        return sorted(result.items())

    def send_to(self, address, language, attempt=1):
        "Send the email; on failure queue it again, later, a few times."
        try:
            send_message(self.email(address, language), strict=True)
        except Exception:
            if attempt >= MAX_ATTEMPTS:
                logger.error(
                    "ticket %s: email to %s failed %s times, given up",
                    self.ticket.number, address, attempt, exc_info=True)
                return
            logger.warning(
                "ticket %s: email to %s failed, retrying",
                self.ticket.number, address, exc_info=True)
            delay = config.getint(
                'insurance_ticket', 'email_retry_seconds', default=30)
            with Transaction().set_context(
                    queue_scheduled_at=dt.timedelta(seconds=delay * attempt)):
                self.__class__.__queue__.send_notification_to(
                    [self], address, language, attempt + 1)

    def email(self, address, language):
        "Return the email of the message in the language."
        with Transaction().set_context(language=language):
            ticket = self.__class__.ticket.get_target()(self.ticket.id)
            subject, intro = self._email_texts(ticket)
            link = gettext('insurance_ticket.msg_email_link')
            hint = gettext('insurance_ticket.msg_email_hint')
        msg = EmailMessage()
        msg['Subject'] = f'[Ticket {ticket.number}] {subject}'
        msg['From'] = config.get('email', 'from')
        msg['To'] = str(Address(addr_spec=address))
        msg['Reply-To'] = config.get(
            'insurance_ticket', 'reply_to',
            default=config.get('email', 'from'))
        msg['Auto-Submitted'] = 'auto-generated'
        lines = [intro, '', self.author_name or '', self.body or '', '',
            hint, ticket.url]
        msg.set_content('\n'.join(lines))
        msg.add_alternative(
            '<p>%s</p><p><strong>%s</strong></p><p>%s</p>'
            '<p><a href="%s" style="padding:8px 16px;background:#0b5394;'
            'color:#fff;text-decoration:none">%s</a></p><p>%s<br>%s</p>' % (
                html.escape(intro), html.escape(self.author_name or ''),
                html.escape(self.body or '').replace('\n', '<br>'),
                html.escape(ticket.url), html.escape(link),
                html.escape(hint), html.escape(ticket.url)),
            subtype='html')
        return msg

    def _email_texts(self, ticket):
        if self.event:
            state = dict(ticket.fields_get(['state'])['state']['selection'])[
                self.event]
            return (
                gettext('insurance_ticket.msg_email_state_subject',
                    state=state),
                gettext('insurance_ticket.msg_email_state_intro',
                    number=ticket.number, state=state))
        return (
            gettext('insurance_ticket.msg_email_reply_subject',
                number=ticket.number),
            gettext('insurance_ticket.msg_email_reply_intro',
                number=ticket.number))

    @classmethod
    def receive_email(cls, raw):
        """Post the reply to a ticket email into its thread.

        Return the message, or None when the ticket is unknown or closed or
        the sender does not follow it (logged)."""
        pool = Pool()
        Ticket = pool.get('insurance.ticket')
        incoming = email.message_from_bytes(raw, policy=email.policy.default)
        sender = (getaddresses([incoming.get('From', '')]) or [('', '')])[0][1]
        match = SUBJECT_NUMBER.search(str(incoming.get('Subject', '')))
        tickets = Ticket.search(
            [('number', '=', match.group(1))], limit=1) if match else []
        if not tickets:
            logger.warning("email from %s refused: no ticket", sender)
            return None
        ticket, = tickets
        author = ticket.follower_author(sender)
        if not author:
            logger.warning(
                "email from %s refused: not a follower of ticket %s",
                sender, ticket.number)
            return None
        body = cls.strip_quoted(cls._text_of(incoming))
        try:
            return ticket.reply(body, [], author)
        except TicketEnded:
            logger.warning(
                "email from %s refused: ticket %s is closed",
                sender, ticket.number)
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

    def followers(self):
        "Yield (email, language) of the client, colleagues, staff, brokers."
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
                    yield user.email, _language(user.party)
            if not any(u.party == self.client for u in users):
                address = self.client.email
                if address:
                    yield address, _language(self.client)
            if self.operator and self.operator.email:
                yield self.operator.email, (
                    self.operator.language.code
                    if self.operator.language else DEFAULT_LANGUAGE)
            elif self.company.party.email:
                # the service desk follows the tickets nobody took yet
                yield self.company.party.email, DEFAULT_LANGUAGE

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


def _language(party):
    return party.lang.code if party and party.lang else DEFAULT_LANGUAGE
