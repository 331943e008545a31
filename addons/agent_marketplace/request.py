# This file is part of the insurance intermediary platform.
"""Requests people post to the agents of the insurers they choose: posted,
dispatched, one offer accepted and confirmed, or ended and posted again
without the agent it ended with."""
import datetime as dt
import uuid

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from . import notify
from .exceptions import EndReasonMissing, PhoneNotVerified, RequestClosed

STATES = [
    ('open', "Open"),
    ('accepted', "Accepted"),
    ('agreed', "Agreed"),
    ('ended', "Not Agreed"),
    ('cancelled', "Cancelled"),
    ]
# the contact of the person, shown to the agent of the accepted offer only
CONTACT_FIELDS = ['contact_name', 'contact_phone', 'contact_email']


class Request(ModelSQL, ModelView):
    "Marketplace Request"
    __name__ = 'marketplace.request'
    _rec_name = 'uuid'

    uuid = fields.Char("UUID", readonly=True, required=True)
    web_user = fields.Many2One(
        'web.user', "Web User", required=True, readonly=True,
        ondelete='RESTRICT')
    line = fields.Many2One(
        'marketplace.line', "Line", required=True, readonly=True,
        ondelete='RESTRICT')
    description = fields.Text(
        "Description", required=True, readonly=True, size=5000)
    province = fields.Many2One(
        'marketplace.province', "Province", required=True, readonly=True,
        ondelete='RESTRICT')
    city = fields.Char("City", readonly=True, size=100)
    vehicle = fields.Char(
        "Vehicle", readonly=True, size=100,
        help="Make and model, for car insurance.")
    vehicle_year = fields.Integer("Vehicle Year", readonly=True)
    insurers = fields.Many2Many(
        'marketplace.request-marketplace.insurer', 'request', 'insurer',
        "Insurers", readonly=True)
    excluded_agents = fields.Many2Many(
        'marketplace.request-excluded-marketplace.agent', 'request', 'agent',
        "Excluded Agents", readonly=True,
        help="The agents whose cooperation on an earlier post ended.")
    previous = fields.Many2One(
        'marketplace.request', "Posted Again From", readonly=True,
        ondelete='SET NULL')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    accepted_offer = fields.Many2One(
        'marketplace.offer', "Accepted Offer", readonly=True,
        ondelete='SET NULL')
    end_reason = fields.Text("End Reason", readonly=True, size=2000)
    reminded = fields.Boolean("Reminded", readonly=True)
    dispatches = fields.One2Many(
        'marketplace.dispatch', 'request', "Dispatched To", readonly=True)
    offers = fields.One2Many(
        'marketplace.offer', 'request', "Offers", readonly=True)
    role = fields.Function(fields.Selection([
                (None, ""),
                ('owner', "Owner"),
                ('agent', "Agent"),
                ], "Role"), 'get_role', searcher='search_role')
    contact_name = fields.Function(
        fields.Char("Contact Name"), 'get_contact')
    contact_phone = fields.Function(
        fields.Char("Contact Phone"), 'get_contact')
    contact_email = fields.Function(
        fields.Char("Contact Email"), 'get_contact')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('uuid_unique', Unique(t, t.uuid),
                'agent_marketplace.msg_uuid_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.uuid, Index.Equality())),
                Index(t, (t.web_user, Index.Range()),
                    (t.create_date, Index.Range(order='DESC'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_uuid(cls):
        return uuid.uuid4().hex

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_reminded(cls):
        return False

    @classmethod
    def get_role(cls, requests, name):
        """Return the web user's role on each request: its owner, an agent
        it was dispatched to, or none (one search of the agent's
        dispatches, not a read of every dispatch)."""
        pool = Pool()
        Agent = pool.get('marketplace.agent')
        Dispatch = pool.get('marketplace.dispatch')
        web_user = Transaction().context.get('web_user')
        roles = {r.id: None for r in requests}
        if not web_user:
            return roles
        with without_check_access():
            requests = cls.browse(requests)
            for request in requests:
                if request.web_user.id == web_user:
                    roles[request.id] = 'owner'
            others = [r.id for r in requests if not roles[r.id]]
            agent = Agent.search([('web_user', '=', web_user)], limit=1) \
                if others else []
            if agent:
                for dispatch in Dispatch.search([
                            ('request', 'in', others),
                            ('agent', '=', agent[0].id)]):
                    roles[dispatch.request.id] = 'agent'
        return roles

    @classmethod
    def search_role(cls, name, clause):
        web_user = Transaction().context.get('web_user', -1)
        _, operator, value = clause[:3]
        domain = {
            'owner': [('web_user', '=', web_user)],
            'agent': [('dispatches.agent.web_user', '=', web_user)],
            }.get(value, [('id', '=', -1)])
        return domain if operator == '=' else ['NOT', domain]

    @property
    def revealed_to_agent(self):
        "The agent whose offer the person accepted, while it holds."
        if self.state in {'accepted', 'agreed'} and self.accepted_offer:
            return self.accepted_offer.agent
        return None

    @classmethod
    def get_contact(cls, requests, names):
        """The person's contact: for the owner, and for the agent of the
        accepted offer only; nobody else reads it."""
        web_user = Transaction().context.get('web_user')
        result = {n: {r.id: None for r in requests} for n in names}
        with without_check_access():
            for request in cls.browse(requests):
                agent = request.revealed_to_agent
                allowed = web_user is None or web_user in {
                    request.web_user.id, agent.web_user.id if agent else None}
                if not allowed:
                    continue
                user = request.web_user
                values = {
                    'contact_name': user.full_name or user.email,
                    'contact_phone': user.phone,
                    'contact_email': user.email,
                    }
                for name in names:
                    result[name][request.id] = values[name]
        return result

    @classmethod
    def post(cls, web_user, line, province, insurers, description,
            city=None, vehicle=None, vehicle_year=None, previous=None,
            excluded=()):
        """Post the person's request and dispatch it; return it. The phone
        must be verified by SMS first."""
        if not web_user.phone_verified:
            raise PhoneNotVerified(gettext(
                    'agent_marketplace.msg_phone_not_verified'))
        # the person is the session's: the portal reads neither the web
        # user nor the exclusions of a request (field access)
        with without_check_access():
            request, = cls.create([{
                        'web_user': web_user.id,
                        'line': line.id,
                        'province': province.id,
                        'city': city,
                        'vehicle': vehicle,
                        'vehicle_year': vehicle_year,
                        'insurers': [('add', [i.id for i in insurers])],
                        'description': description,
                        'previous': previous.id if previous else None,
                        'excluded_agents': [('add', [a.id for a in excluded])],
                        }])
        request = cls(request.id)
        request.dispatch()
        return request

    def dispatch(self):
        "Send the request to every agent who receives it; return them."
        Dispatch = Pool().get('marketplace.dispatch')
        Agent = Pool().get('marketplace.agent')
        with without_check_access():
            request = self.__class__(self.id)
            agents = Agent.receiving(request.insurers, request.province,
                request.line, exclude=request.excluded_agents)
            dispatches = Dispatch.create([{
                        'request': self.id,
                        'agent': a.id,
                        'insurer': next(
                            i for i in request.insurers
                            if i in a.insurers).id,
                        } for a in agents])
            for dispatch in dispatches:
                notify.dispatched(dispatch, 'new')
        return agents

    def check_state(self, *states):
        if self.state not in states:
            raise RequestClosed(gettext(
                    'agent_marketplace.msg_request_closed'))

    def accept(self, offer):
        """Accept the offer: its agency is shown to the person and the
        person's contact to its agent."""
        Offer = Pool().get('marketplace.offer')
        self.check_state('open')
        offer.check_state('open')
        with without_check_access():
            Offer.write([offer], {'state': 'accepted'})
            self.__class__.write([self], {
                    'state': 'accepted', 'accepted_offer': offer.id})
            notify.offer(Offer(offer.id), 'accepted')

    def confirm(self):
        "Go on with the accepted agent: the other offers are closed."
        Offer = Pool().get('marketplace.offer')
        self.check_state('accepted')
        with without_check_access():
            others = [o for o in self.offers
                if o.state == 'open' and o != self.accepted_offer]
            Offer.write(others, {'state': 'closed'})
            self.__class__.write([self], {'state': 'agreed'})
            for offer in others:
                notify.offer(offer, 'closed')

    def end(self, reason):
        "End the cooperation without agreement, for the reason given."
        Offer = Pool().get('marketplace.offer')
        self.check_state('accepted', 'agreed')
        reason = (reason or '').strip()
        if not reason:
            raise EndReasonMissing(gettext(
                    'agent_marketplace.msg_end_reason'))
        with without_check_access():
            open_offers = [o for o in self.offers if o.state == 'open']
            Offer.write(open_offers, {'state': 'closed'})
            Offer.write([self.accepted_offer], {'state': 'ended'})
            self.__class__.write([self], {
                    'state': 'ended', 'end_reason': reason})
            notify.offer(self.accepted_offer, 'ended', reason=reason)
            for offer in open_offers:
                notify.offer(offer, 'closed')

    def cancel(self):
        "The person withdraws the request."
        Offer = Pool().get('marketplace.offer')
        self.check_state('open')
        with without_check_access():
            open_offers = [o for o in self.offers if o.state == 'open']
            Offer.write(open_offers, {'state': 'closed'})
            self.__class__.write([self], {'state': 'cancelled'})
            for offer in open_offers:
                notify.offer(offer, 'closed')

    def post_again(self):
        """Copy the ended request into a new one, without the agent the
        cooperation ended with; return the new request."""
        self.check_state('ended', 'cancelled')
        with without_check_access():
            excluded = list(self.excluded_agents)
            if self.accepted_offer:
                excluded.append(self.accepted_offer.agent)
            return self.post(self.web_user, self.line, self.province,
                self.insurers, self.description, city=self.city,
                vehicle=self.vehicle, vehicle_year=self.vehicle_year,
                previous=self, excluded=excluded)

    @classmethod
    def remind_unanswered(cls, now=None):
        """Remind the agents of the requests still without an offer after
        ``reminder_hours`` (the hourly task)."""
        Configuration = Pool().get('marketplace.configuration')
        now = now or dt.datetime.now()
        limit = now - dt.timedelta(hours=Configuration(1).reminder_hours)
        requests = cls.search([
                ('state', '=', 'open'),
                ('reminded', '=', False),
                ('create_date', '<=', limit),
                ('offers', '=', None),
                ])
        for request in requests:
            for dispatch in request.dispatches:
                if dispatch.agent.can_answer:
                    notify.dispatched(dispatch, 'reminder')
        if requests:
            cls.write(requests, {'reminded': True})
        return requests


class RequestInsurer(ModelSQL):
    "Request Insurer"
    __name__ = 'marketplace.request-marketplace.insurer'
    request = fields.Many2One(
        'marketplace.request', "Request", required=True, ondelete='CASCADE')
    insurer = fields.Many2One(
        'marketplace.insurer', "Insurer", required=True, ondelete='RESTRICT')


class RequestExclusion(ModelSQL):
    "Request Excluded Agent"
    __name__ = 'marketplace.request-excluded-marketplace.agent'
    request = fields.Many2One(
        'marketplace.request', "Request", required=True, ondelete='CASCADE')
    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, ondelete='CASCADE')
