# This file is part of the insurance intermediary platform.
"""Agents' readiness to serve a request: at most one offer per agent and
one per insurer on each request, held by the database's unique indexes so
that agents answering at the same moment cannot both win."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from . import notify
from .exceptions import (
    AgentAlreadyAnswered, AgentNotActive, InsurerAlreadyAnswered,
    NotDispatched, RequestClosed)

STATES = [
    ('open', "Open"),
    ('accepted', "Accepted"),
    ('closed', "Closed"),
    ('ended', "Ended"),
    ]
# the agency, shown to the person once the offer is accepted
AGENCY_FIELDS = ['agency_name', 'agency_code', 'agency_address']


class Offer(ModelSQL, ModelView):
    "Marketplace Offer"
    __name__ = 'marketplace.offer'

    request = fields.Many2One(
        'marketplace.request', "Request", required=True, readonly=True,
        ondelete='CASCADE')
    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, readonly=True,
        ondelete='RESTRICT')
    insurer = fields.Many2One(
        'marketplace.insurer', "Insurer", required=True, readonly=True,
        ondelete='RESTRICT')
    dispatch = fields.Many2One(
        'marketplace.dispatch', "Dispatch", readonly=True,
        ondelete='SET NULL')
    message = fields.Text("Message", required=True, readonly=True, size=5000)
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    mine = fields.Function(fields.Boolean("Mine"), 'get_mine')
    agency_name = fields.Function(fields.Char("Agency Name"), 'get_agency')
    agency_code = fields.Function(fields.Char("Agency Code"), 'get_agency')
    agency_address = fields.Function(
        fields.Text("Agency Address"), 'get_agency')
    response_seconds = fields.Function(
        fields.Integer("Response Time (seconds)"), 'get_response_seconds')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('request_agent_unique', Unique(t, t.request, t.agent),
                'agent_marketplace.msg_agent_already_answered'),
            ('request_insurer_unique', Unique(t, t.request, t.insurer),
                'agent_marketplace.msg_insurer_already_answered'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.agent, Index.Range()), (t.id, Index.Range(order='DESC'))))
        cls._order = [('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'open'

    def check_state(self, *states):
        if self.state not in states:
            raise RequestClosed(gettext(
                    'agent_marketplace.msg_request_closed'))

    @classmethod
    def get_mine(cls, offers, name):
        web_user = Transaction().context.get('web_user')
        with without_check_access():
            # browsed together, the offers' agents are read in one go
            return {o.id: bool(web_user) and o.agent.web_user.id == web_user
                for o in cls.browse(offers)}

    @property
    def revealed(self):
        "The person accepted the offer: its agency may be shown."
        return self.state in {'accepted', 'ended'} or (
            self.state == 'closed' and self.request.accepted_offer == self)

    @classmethod
    def get_agency(cls, offers, names):
        """The agency of the offer: for its agent, for the staff, and for
        the person once accepted; nobody else reads it."""
        web_user = Transaction().context.get('web_user')
        result = {n: {o.id: None for o in offers} for n in names}
        with without_check_access():
            for offer in cls.browse(offers):
                agent = offer.agent
                if web_user and not offer.revealed and (
                        agent.web_user.id != web_user):
                    continue
                values = {
                    'agency_name': agent.agency_name,
                    'agency_code': agent.agency_code,
                    'agency_address': '\n'.join(agent.address_lines),
                    }
                for name in names:
                    result[name][offer.id] = values[name]
        return result

    def get_response_seconds(self, name):
        if not self.dispatch or not self.create_date:
            return None
        return int((self.create_date
                - self.dispatch.create_date).total_seconds())

    @classmethod
    def declare(cls, agent, request, message):
        """The agent declares readiness to serve the request; return the
        offer. Another offer of the same insurer, in Python or at the
        database's unique index under a race, is refused."""
        pool = Pool()
        Dispatch = pool.get('marketplace.dispatch')
        if not agent.can_answer:
            raise AgentNotActive(gettext(
                    'agent_marketplace.msg_agent_not_active'))
        with without_check_access():
            dispatches = Dispatch.search([
                    ('request', '=', request.id),
                    ('agent', '=', agent.id),
                    ], limit=1)
            if not dispatches:
                raise NotDispatched(gettext(
                        'agent_marketplace.msg_not_dispatched'))
            dispatch, = dispatches
            request.check_state('open')
            existing = cls.search([('request', '=', request.id)])
            if any(o.agent == agent for o in existing):
                raise AgentAlreadyAnswered(gettext(
                        'agent_marketplace.msg_agent_already_answered'))
            if any(o.insurer == dispatch.insurer for o in existing):
                raise InsurerAlreadyAnswered(gettext(
                        'agent_marketplace.msg_insurer_already_answered'))
            offer, = cls.create([{
                        'request': request.id,
                        'agent': agent.id,
                        'insurer': dispatch.insurer.id,
                        'dispatch': dispatch.id,
                        'message': message,
                        }])
            notify.offer(offer, 'new')
        return offer
