# This file is part of the insurance intermediary platform.
"""The ticket's questionnaire is a quote collection of the client card's
engine: the operator or the broker picks the risk's questionnaire, the
collection opens pre-filled from the card, the ticket, its condominium and
what the old policy states (each value with where it was read), the client
answers it page by page in the ticket's page and, once confirmed, it comes
back into the thread as the answers' PDF and the broker's spreadsheet."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.portal import i18n
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import document, old_policy
from .exceptions import MissingQuestionnaire


class Ticket(metaclass=PoolMeta):
    __name__ = 'insurance.ticket'
    risk_type = fields.Many2One('quote.risk.type', "Questionnaire",
        ondelete='RESTRICT',
        states={'readonly': ~Eval('state').in_(
                ['new', 'in_charge', 'waiting', 'at_broker'])},
        help="The risk whose questionnaire the client answers for the "
        "quote; by default the one of the line of business.")
    questionnaires = fields.One2Many('quote.collection', 'asked_in',
        "Questionnaires", readonly=True)

    def questionnaire_risk(self, risk_type=None):
        """Return the risk asked: the one picked, the ticket's, the line's or
        else the first in force."""
        RiskType = Pool().get('quote.risk.type')
        offered = RiskType.offered()
        for risk in [risk_type, self.risk_type]:
            if risk and risk in offered:
                return risk
        for risk in offered:
            if risk.line_code == self.line.code:
                return risk
        if offered:
            # no risk of the line: the first in force, which staff change
            return offered[0]
        raise MissingQuestionnaire(gettext(
                'insurance_ticket.msg_ticket_questionnaire_missing',
                ticket=self.number))

    def ask_questionnaire(self, risk_type=None):
        "Open the draft collection the client answers, pre-filled."
        Collection = Pool().get('quote.collection')
        risk = self.questionnaire_risk(risk_type)
        self.withdraw_questionnaire()
        self.risk_type = risk
        self.save()
        return Collection.start(self.client, risk, needs=False,
            intermediary=self.company.party, asked_in=self.id,
            language=i18n.language_of(self.client))

    @property
    def questionnaire(self):
        "The collection of the questionnaire asked last, or None."
        asked = [c for c in self.questionnaires if c.state != 'cancelled']
        return max(asked, key=lambda c: c.id) if asked else None

    def questionnaire_files(self, collection):
        "Return the answers' PDF and the spreadsheet as ticket files."
        return [
            {'name': collection.pdf_filename(), 'data': collection.pdf,
                'mime_type': document.PDF, 'category': 'questionnaire'},
            document.questionnaire(self, collection),
            ]

    @classmethod
    def answer_questionnaire(cls, tickets, author, body=''):
        """Confirm the questionnaire answered online: it comes back into
        the thread from the author, with the body."""
        Collection = Pool().get('quote.collection')
        web_user = author.get('author_web_user')
        with Transaction().set_context(ticket_body=body,
                ticket_web_user=int(web_user) if web_user else None):
            for ticket in tickets:
                Collection.send([ticket.questionnaire])

    def questionnaire_answered(self, collection):
        "Return the confirmed questionnaire into the thread."
        pool = Pool()
        Message = pool.get('insurance.ticket.message')
        WebUser = pool.get('web.user')
        context = Transaction().context
        web_user = (WebUser(context['ticket_web_user'])
            if context.get('ticket_web_user') else collection.web_user)
        author = (Message.web_author(web_user) if web_user
            else Message.back_office_author())
        self.return_questionnaire([self], author,
            context.get('ticket_body') or '',
            self.questionnaire_files(collection), collection=collection)

    def withdraw_questionnaire(self, keep=None):
        "Drop the drafts but the one kept (the spreadsheet came instead)."
        Collection = Pool().get('quote.collection')
        drafts = [c for c in self.questionnaires
            if c.state == 'draft' and c != keep]
        if drafts:
            Collection.withdraw(drafts)


class Collection(metaclass=PoolMeta):
    __name__ = 'quote.collection'
    asked_in = fields.Many2One('insurance.ticket', "Asked in Ticket",
        readonly=True, ondelete='RESTRICT',
        help="The ticket whose questionnaire the collection answers.")

    @classmethod
    def portal_listed(cls):
        "A ticket's questionnaire is answered in the ticket's page."
        return super().portal_listed() + [('asked_in', '=', None)]

    @classmethod
    def confirmed(cls, collections):
        "A ticket's questionnaire goes back to its ticket, opening none."
        requests = [c for c in collections if not c.asked_in]
        if requests:
            super().confirmed(requests)
        for collection in collections:
            if collection.asked_in:
                collection.asked_in.questionnaire_answered(collection)

    def prefill_sources(self):
        sources = super().prefill_sources()
        ticket = getattr(self, 'asked_in', None)
        if not ticket:
            return sources
        where = gettext('insurance_ticket.msg_read_ticket',
            number=ticket.number)
        sources['ticket'] = ({
                'number': ticket.number, 'title': ticket.title,
                'client_vat': ticket.client_vat,
                'line': ticket.line.code,
                }, where)
        condominium = ticket.condominium
        if condominium:
            sources['condominium'] = ({
                    'name': condominium.name,
                    'fiscal_code': condominium.fiscal_code,
                    'address': ' '.join(filter(None, [
                                condominium.street, condominium.postal_code,
                                condominium.city])),
                    }, gettext('insurance_ticket.msg_read_condominium',
                    number=ticket.number))
        read = old_policy.sources_of(ticket.attachments)
        if 'expiry' in read:
            value, place = read['expiry']
            read['expiry'] = (iso_date(value), place)
        sources['old_policy'] = (
            {k: v for k, (v, _) in read.items()},
            {k: place for k, (_, place) in read.items()})
        return sources


def iso_date(text):
    "Return 31/01/2026 (or 31.01.2026, 31-01-2026) as 2026-01-31, or ''."
    try:
        return dt.datetime.strptime(text.replace('.', '/').replace('-', '/'),
            '%d/%m/%Y').date().isoformat()
    except ValueError:
        return ''
