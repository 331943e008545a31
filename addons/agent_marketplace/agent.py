# This file is part of the insurance intermediary platform.
"""Agents of the insurers: a web user with an agency, mandates, a licence
verified by the staff and a subscription that keeps the gateway open."""
import datetime as dt
import re

import phonenumbers

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.portal.formats import ascii_digits

from . import notify
from .exceptions import (
    InvalidLicence, InvalidPhone, InvalidPostalCode, RejectionReasonMissing)

# An Iranian postal code: ten digits, the first five without 0 or 2
POSTAL_CODE = re.compile(r'^[13-9]{5}\d{5}$')
STATES = [
    ('draft', "Draft"),
    ('documents_sent', "Documents Sent"),
    ('verified', "Verified"),
    ('active', "Active"),
    ('suspended', "Suspended"),
    ('rejected', "Rejected"),
    ]
LICENCE_FIELDS = ['licence_number', 'licence_issuer', 'licence_issue_date',
    'licence_expiry_date']


def check_postal_code(value):
    "Return the ten ASCII digits of an Iranian postal code, or None."
    value = ascii_digits(value or '').replace('-', '').replace(' ', '')
    return value if POSTAL_CODE.match(value) else None


def check_mobile(value):
    "Return an Iranian mobile number (+98 9xx) in E.164, or None."
    try:
        number = phonenumbers.parse(ascii_digits(value or ''), 'IR')
    except phonenumbers.NumberParseException:
        return None
    if (number.country_code != 98 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number)
            != phonenumbers.PhoneNumberType.MOBILE):
        return None
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164)


class Agent(Workflow, ModelSQL, ModelView):
    "Marketplace Agent"
    __name__ = 'marketplace.agent'
    _rec_name = 'agency_name'

    web_user = fields.Many2One(
        'web.user', "Web User", required=True, ondelete='RESTRICT')
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='RESTRICT')
    agency_name = fields.Char("Agency Name", required=True, size=200)
    agency_code = fields.Char(
        "Agency Code", required=True, size=30,
        help="The code the insurer gave the agency.")
    street = fields.Char("Address", size=200)
    city = fields.Char("City", size=100)
    province = fields.Many2One(
        'marketplace.province', "Province", ondelete='RESTRICT')
    postal_code = fields.Char(
        "Postal Code", size=10, help="The ten digits of the Iranian postal "
        "code.")
    phone = fields.Char("Phone", size=30, help="An Iranian mobile number.")
    insurers = fields.Many2Many(
        'marketplace.agent-marketplace.insurer', 'agent', 'insurer',
        "Mandates", help="The insurers the agent holds a mandate of.")
    provinces = fields.Many2Many(
        'marketplace.agent-marketplace.province', 'agent', 'province',
        "Provinces", help="Only requests of these provinces; all if empty.")
    lines = fields.Many2Many(
        'marketplace.agent-marketplace.line', 'agent', 'line',
        "Lines", help="Only requests of these lines; all if empty.")
    licence_number = fields.Char("Licence Number", size=50)
    licence_issuer = fields.Char("Licence Issuer", size=100)
    licence_issue_date = fields.Date("Licence Issued")
    licence_expiry_date = fields.Date("Licence Expires")
    licence_photo = fields.Binary(
        "Licence Photo", file_id='licence_photo_id',
        filename='licence_photo_name')
    licence_photo_id = fields.Char("Licence Photo ID", readonly=True)
    licence_photo_name = fields.Char("Licence Photo Name", size=100)
    identity_document = fields.Binary(
        "Identity Document", file_id='identity_document_id',
        filename='identity_document_name')
    identity_document_id = fields.Char("Identity Document ID", readonly=True)
    identity_document_name = fields.Char("Identity Document Name", size=100)
    rules_consent = fields.Many2One(
        'consent.record', "Rules Accepted", readonly=True,
        ondelete='RESTRICT',
        help="The consent record of the rules and payment terms.")
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    rejection_reason = fields.Text(
        "Rejection Reason", size=2000,
        states={'readonly': Eval('state') == 'rejected'})
    verified_at = fields.Timestamp("Verified At", readonly=True)
    verified_by = fields.Many2One('res.user', "Verified By", readonly=True)
    subscriptions = fields.One2Many(
        'marketplace.subscription', 'agent', "Subscriptions")
    subscribed_until = fields.Function(
        fields.Date("Subscribed Until"), 'get_subscribed_until')
    response_hours = fields.Function(
        fields.Float("Average Response (hours)", digits=(16, 1)),
        'get_response_hours')
    offer_count = fields.Function(
        fields.Integer("Offers"), 'get_response_hours')
    reports = fields.One2Many('marketplace.report', 'agent', "Reports")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('web_user_unique', Unique(t, t.web_user),
                'agent_marketplace.msg_agent_web_user_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.web_user, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('agency_name', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'documents_sent'),
            ('documents_sent', 'verified'),
            ('documents_sent', 'rejected'),
            ('draft', 'rejected'),
            ('verified', 'active'),
            ('active', 'suspended'),
            ('verified', 'suspended'),
            ('suspended', 'documents_sent'),
            ('suspended', 'active'),
            ('rejected', 'documents_sent'),
            }
        cls._buttons.update({
                'send_documents': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'suspended', 'rejected']),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'verify': {
                    'invisible': Eval('state') != 'documents_sent',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'documents_sent']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'activate': {
                    'invisible': ~Eval('state').in_(['verified', 'suspended']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'suspend': {
                    'invisible': ~Eval('state').in_(['verified', 'active']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def preprocess_values(cls, mode, values):
        "Postal codes and phones typed in Persian digits are kept in ASCII."
        values = super().preprocess_values(mode, values)
        if values.get('postal_code'):
            values['postal_code'] = (
                check_postal_code(values['postal_code'])
                or values['postal_code'])
        if values.get('phone'):
            values['phone'] = check_mobile(values['phone']) or values['phone']
        return values

    @classmethod
    def validate_fields(cls, agents, field_names):
        super().validate_fields(agents, field_names)
        for agent in agents:
            agent.check_contact()
            agent.check_licence_dates()

    def check_contact(self):
        if self.postal_code and not check_postal_code(self.postal_code):
            raise InvalidPostalCode(gettext(
                    'agent_marketplace.msg_postal_code_invalid',
                    postal_code=self.postal_code))
        if self.phone and not check_mobile(self.phone):
            raise InvalidPhone(gettext(
                    'agent_marketplace.msg_phone_invalid', phone=self.phone))

    def check_licence_dates(self):
        if (self.licence_issue_date and self.licence_expiry_date
                and self.licence_expiry_date <= self.licence_issue_date):
            raise InvalidLicence(gettext(
                    'agent_marketplace.msg_licence_dates',
                    agent=self.rec_name))

    @property
    def language(self):
        return self.web_user.language

    @property
    def address_lines(self):
        "The agency's postal address as it is written on an envelope."
        return [x for x in [
                self.street,
                ' '.join(filter(None, [
                            self.city,
                            self.province.name if self.province else None])),
                self.postal_code] if x]

    def invoice_address(self):
        "Return the party's invoice address, made from the agency's."
        Address = Pool().get('party.address')
        address = self.party.address_get(type='invoice')
        if not address:
            address = Address(party=self.party,
                street_unstructured=self.street,
                city=self.city, postal_code=self.postal_code)
            address.save()
        return address

    @classmethod
    def get_subscribed_until(cls, agents, name):
        Subscription = Pool().get('marketplace.subscription')
        ends = {a.id: None for a in agents}
        with without_check_access():
            for subscription in Subscription.search([
                        ('agent', 'in', [a.id for a in agents]),
                        ('state', 'in', ['trial', 'paid']),
                        ], order=[('end_date', 'ASC')]):
                ends[subscription.agent.id] = subscription.end_date
        return ends

    @property
    def subscribed(self):
        "Tell whether a trial or a paid period covers today."
        Subscription = Pool().get('marketplace.subscription')
        today = dt.date.today()
        with without_check_access():
            return bool(Subscription.search([
                        ('agent', '=', self.id),
                        ('state', 'in', ['trial', 'paid']),
                        ('start_date', '<=', today),
                        ('end_date', '>=', today),
                        ], limit=1))

    @property
    def can_answer(self):
        "Active and subscribed: the agent receives and answers requests."
        return self.state == 'active' and self.subscribed

    @classmethod
    def get_response_hours(cls, agents, names):
        pool = Pool()
        Offer = pool.get('marketplace.offer')
        hours = {a.id: None for a in agents}
        counts = {a.id: 0 for a in agents}
        totals = {a.id: 0.0 for a in agents}
        with without_check_access():
            for offer in Offer.search([
                        ('agent', 'in', [a.id for a in agents])]):
                if offer.response_seconds is None:
                    continue
                counts[offer.agent.id] += 1
                totals[offer.agent.id] += offer.response_seconds
        for agent_id, count in counts.items():
            if count:
                hours[agent_id] = round(totals[agent_id] / count / 3600, 1)
        result = {}
        if 'response_hours' in names:
            result['response_hours'] = hours
        if 'offer_count' in names:
            result['offer_count'] = counts
        return result

    @classmethod
    def of_web_user(cls, web_user):
        "Return the agent of the web user, or None."
        with without_check_access():
            agents = cls.search([('web_user', '=', web_user.id)], limit=1)
        return cls(agents[0].id) if agents else None

    @classmethod
    def receiving(cls, insurers, province=None, line=None, exclude=()):
        """Return the agents a request of the insurers receives: active,
        subscribed, of the province and line when they chose any."""
        with without_check_access():
            agents = cls.search([
                    ('state', '=', 'active'),
                    ('insurers', 'in', [i.id for i in insurers]),
                    ('id', 'not in', [a.id for a in exclude]),
                    ])
        return [a for a in agents if a.subscribed
            and (not a.provinces or province in a.provinces)
            and (not a.lines or line in a.lines)]

    @classmethod
    @ModelView.button
    @Workflow.transition('documents_sent')
    def send_documents(cls, agents):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('verified')
    def verify(cls, agents):
        for agent in agents:
            if not (agent.licence_number and agent.licence_expiry_date
                    and agent.licence_photo_id):
                raise InvalidLicence(gettext(
                        'agent_marketplace.msg_licence_missing',
                        agent=agent.rec_name))
        cls.write(agents, {
                'verified_at': dt.datetime.now(),
                'verified_by': Transaction().user,
                'rejection_reason': None,
                })
        for agent in agents:
            notify.agent(agent, 'verified')

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, agents):
        for agent in agents:
            if not (agent.rejection_reason or '').strip():
                raise RejectionReasonMissing(gettext(
                        'agent_marketplace.msg_rejection_reason',
                        agent=agent.rec_name))
            notify.agent(agent, 'rejected')

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, agents):
        for agent in agents:
            notify.agent(agent, 'active')

    @classmethod
    @ModelView.button
    @Workflow.transition('suspended')
    def suspend(cls, agents):
        for agent in agents:
            notify.agent(agent, 'suspended')

    @classmethod
    def check_licences(cls, date=None):
        """Ask new documents of the licences near expiry and suspend the
        agents whose licence expired (the daily task)."""
        Configuration = Pool().get('marketplace.configuration')
        date = date or dt.date.today()
        warning = date + dt.timedelta(
            days=Configuration(1).licence_warning_days)
        expired = cls.search([
                ('state', 'in', ['verified', 'active']),
                ('licence_expiry_date', '<', date),
                ])
        if expired:
            cls.write(expired, {'state': 'suspended'})
            for agent in expired:
                notify.agent(agent, 'licence_expired')
        for agent in cls.search([
                    ('state', 'in', ['verified', 'active']),
                    ('licence_expiry_date', '=', warning),
                    ]):
            notify.agent(agent, 'licence_expiring')


class Mandate(ModelSQL):
    "Agent Mandate"
    __name__ = 'marketplace.agent-marketplace.insurer'
    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, ondelete='CASCADE')
    insurer = fields.Many2One(
        'marketplace.insurer', "Insurer", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.insurer, Index.Range()), (t.agent, Index.Range())))


class AgentProvince(ModelSQL):
    "Agent Province"
    __name__ = 'marketplace.agent-marketplace.province'
    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, ondelete='CASCADE')
    province = fields.Many2One(
        'marketplace.province', "Province", required=True,
        ondelete='CASCADE')


class AgentLine(ModelSQL):
    "Agent Line"
    __name__ = 'marketplace.agent-marketplace.line'
    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, ondelete='CASCADE')
    line = fields.Many2One(
        'marketplace.line', "Line", required=True, ondelete='CASCADE')
