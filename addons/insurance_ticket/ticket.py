# This file is part of the insurance intermediary platform.
"""The ticket: a client's request followed from the operator to the broker
and up to the signed policy."""
import datetime as dt
import uuid

from sql import Literal, Union, Window
from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.company.model import employee_field
from trytond.modules.portal import i18n, mail
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import document
from .exceptions import (
    MissingBrokerage, MissingEmployee, MissingOldPolicy, PolicyNotPdf,
    PortalActionDenied, SignatureCodeInvalid, TicketEnded)

STATES = [
    ('new', "New"),
    ('in_charge', "In Charge"),
    ('waiting', "Waiting for Client"),
    ('at_broker', "At Broker"),
    ('questionnaire_sent', "Questionnaire Sent"),
    ('questionnaire_returned', "Questionnaire Returned"),
    ('quote_sent', "Quote Sent"),
    ('accepted', "Accepted"),
    ('signing', "Signing"),
    ('signed', "Signed"),
    ('closed', "Closed"),
    ('cancelled', "Cancelled"),
    ('declined', "Declined"),
    ]
OPEN = {'new'}
CLOSED = {'closed', 'cancelled', 'declined'}
ENDED = CLOSED | {'signed'}
# the client's view of the states: open, in progress, closed
STAGES = {
    'open': sorted(OPEN),
    'progress': [s for s, _ in STATES if s not in OPEN | CLOSED],
    'closed': sorted(CLOSED),
    }

# Who reaches a ticket in the portal, and as what: (field naming a party,
# role, field that must be set first). Every record rule of the tickets
# and their thread, files and evidence reads this one list through
# ``portal_parties``; the portal's roles read it too.
PORTAL_PARTIES = [
    ('client', 'client', None),
    ('client_company', 'client', None),
    ('brokerage', 'broker', 'at_broker_at'),
    ]

# portal action: (role, states from which it is allowed)
PORTAL_ACTIONS = {
    'send_questionnaire': ('broker', {'at_broker'}),
    'return_questionnaire': ('client', {'questionnaire_sent'}),
    'send_quote': ('broker', {'at_broker', 'questionnaire_returned'}),
    'accept': ('client', {'quote_sent'}),
    'decline': ('client', {'quote_sent'}),
    'send_policy': ('broker', {'accepted'}),
    'sign': ('client', {'signing'}),
    'close': ('broker', {'signed'}),
    'cancel': ('client', {'new', 'in_charge', 'waiting'}),
    }


class Ticket(Workflow, ModelSQL, ModelView):
    "Insurance Ticket"
    __name__ = 'insurance.ticket'
    _rec_name = 'number'

    _readonly = Eval('state').in_(list(ENDED))

    number = fields.Char("Number", readonly=True)
    uuid = fields.Char("UUID", readonly=True, required=True)
    request_key = fields.Char(
        "Request Key", readonly=True,
        help="The key of the form that opened the ticket: the same form "
        "posted again shows this ticket instead of opening another.")
    title = fields.Char(
        "Title", required=True, size=200, states={'readonly': _readonly})
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    client = fields.Many2One(
        'party.party', "Client", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'new'})
    client_company = fields.Many2One(
        'party.party', "Client Company", ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'new'},
        help="The company of the client: its colleagues follow the ticket.")
    client_vat = fields.Char(
        "VAT Number", states={'readonly': Eval('state') != 'new'})
    line = fields.Many2One(
        'insurance.ticket.line', "Line of Business", required=True,
        ondelete='RESTRICT', states={'readonly': _readonly})
    request_type = fields.Many2One(
        'insurance.ticket.request_type', "Request Type", required=True,
        ondelete='RESTRICT', states={'readonly': _readonly})
    condominium = fields.Many2One(
        'insurance.condominium', "Condominium", ondelete='RESTRICT',
        states={'readonly': _readonly})
    fiscal_code = fields.Function(
        fields.Char("Fiscal Code"), 'get_fiscal_code',
        searcher='search_fiscal_code')
    description = fields.Text(
        "Description", size=20000, states={'readonly': _readonly})
    priority = fields.Selection([
            ('low', "Low"),
            ('normal', "Normal"),
            ('high', "High"),
            ], "Priority", required=True, sort=False)
    operator = fields.Many2One(
        'res.user', "Operator", readonly=True, ondelete='RESTRICT')
    employee = employee_field("Employee", states=['in_charge'])
    brokerage = fields.Many2One(
        'party.party', "Brokerage", ondelete='RESTRICT',
        domain=[('is_brokerage', '=', True)],
        states={
            'readonly': ~Eval('state').in_(['new', 'in_charge', 'waiting']),
            })
    messages = fields.One2Many(
        'insurance.ticket.message', 'ticket', "Thread")
    attachments = fields.One2Many(
        'insurance.ticket.attachment', 'ticket', "Attachments", readonly=True)
    first_response_at = fields.Timestamp("First Response", readonly=True)
    in_charge_at = fields.Timestamp("In Charge", readonly=True)
    at_broker_at = fields.Timestamp("At Broker", readonly=True)
    quote_sent_at = fields.Timestamp("Quote Sent", readonly=True)
    closed_at = fields.Timestamp("Closed", readonly=True)
    last_activity_at = fields.Timestamp("Last Activity", readonly=True)
    insurer = fields.Char("Insurer", readonly=True)
    premium = fields.Numeric("Premium", digits=(16, 2), readonly=True)
    coverages = fields.Text("Coverages", readonly=True)
    quote_valid_until = fields.Date("Quote Valid Until", readonly=True)
    accepted_by = fields.Many2One(
        'web.user', "Accepted By", readonly=True, ondelete='RESTRICT')
    accepted_at = fields.Timestamp("Accepted At", readonly=True)
    accepted_ip = fields.Char("Accepted From", readonly=True)
    policy_number = fields.Char("Policy Number", readonly=True)
    policy_start = fields.Date("Policy Start", readonly=True)
    policy_end = fields.Date("Policy End", readonly=True)
    policy_document = fields.Many2One(
        'insurance.ticket.attachment', "Policy Document", readonly=True,
        ondelete='RESTRICT')
    policy_hash = fields.Char("Policy SHA-256", readonly=True)
    evidences = fields.One2Many(
        'insurance.ticket.evidence', 'ticket', "Signature Evidence",
        readonly=True)
    opportunity = fields.Many2One(
        'sale.opportunity', "Opportunity", readonly=True, ondelete='RESTRICT')
    policy = fields.Many2One(
        'insurance.policy', "Policy", readonly=True, ondelete='RESTRICT')
    portal_parties = fields.Function(fields.Many2Many(
            'party.party', None, None, "Portal Parties",
            help="The parties whose web users see the ticket in the portal."),
        'get_portal_parties', searcher='search_portal_parties')
    stage = fields.Function(fields.Selection([
                ('open', "Open"),
                ('progress', "In Progress"),
                ('closed', "Closed"),
                ], "Stage"), 'get_stage', searcher='search_stage')
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('uuid_unique', Unique(t, t.uuid),
                'insurance_ticket.msg_ticket_uuid_unique'),
            ('request_key_unique', Unique(t, t.request_key),
                'insurance_ticket.msg_ticket_request_key_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.uuid, Index.Equality())),
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.client, Index.Range()),
                    (t.last_activity_at, Index.Range(order='DESC'))),
                Index(t, (t.client_company, Index.Range()),
                    (t.last_activity_at, Index.Range(order='DESC'))),
                Index(t, (t.brokerage, Index.Range()),
                    (t.last_activity_at, Index.Range(order='DESC'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.condominium, Index.Range())),
                })
        cls._order = [('last_activity_at', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('new', 'in_charge'),
            ('waiting', 'in_charge'),
            ('in_charge', 'waiting'),
            ('in_charge', 'at_broker'),
            ('waiting', 'at_broker'),
            ('at_broker', 'questionnaire_sent'),
            ('questionnaire_sent', 'questionnaire_returned'),
            ('at_broker', 'quote_sent'),
            ('questionnaire_returned', 'quote_sent'),
            ('quote_sent', 'accepted'),
            ('quote_sent', 'declined'),
            ('accepted', 'signing'),
            ('signing', 'signed'),
            ('signed', 'closed'),
            ('new', 'cancelled'),
            ('in_charge', 'cancelled'),
            ('waiting', 'cancelled'),
            ('at_broker', 'cancelled'),
            }
        cls._buttons.update({
                'take_in_charge': {
                    'invisible': ~Eval('state').in_(['new', 'waiting']),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'ask_client': {
                    'invisible': Eval('state') != 'in_charge',
                    'icon': 'tryton-question',
                    'depends': ['state'],
                    },
                'forward': {
                    'invisible': ~Eval('state').in_(['in_charge', 'waiting']),
                    'readonly': ~Eval('brokerage'),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'brokerage'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['new', 'in_charge', 'waiting', 'at_broker']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'verify_signature': {
                    'invisible': ~Eval('state').in_(['signed', 'closed']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'new'

    @staticmethod
    def default_priority():
        return 'normal'

    @staticmethod
    def default_uuid():
        return uuid.uuid4().hex

    @classmethod
    def default_company(cls):
        company = Transaction().context.get('company')
        if company:
            return company
        companies = Pool().get('company.company').search([], limit=1)
        return companies[0].id if companies else None

    def get_fiscal_code(self, name):
        return self.condominium.fiscal_code if self.condominium else None

    @classmethod
    def search_fiscal_code(cls, name, clause):
        return [('condominium.fiscal_code',) + tuple(clause[1:])]

    def get_stage(self, name):
        return next(
            stage for stage, states in STAGES.items() if self.state in states)

    @classmethod
    def search_stage(cls, name, clause):
        _, operator, value = clause[:3]
        values = [value] if isinstance(value, str) else list(value or [])
        states = [s for v in values for s in STAGES.get(v, [])]
        return [('state', 'not in' if operator.startswith(('!', 'not'))
                else 'in', states)]

    @classmethod
    def by_stage(cls, limit):
        """Return {stage: (count, newest tickets)} of the tickets the user
        reads (its record rules), in one statement and one read: each
        stage's newest tickets carry the stage's count (a window over the
        stage, counted before the limit)."""
        table = cls.__table__()
        visible = cls.search([], query=True)
        cursor = Transaction().connection.cursor()
        newest = [table.select(table.id.as_('id'),
                Literal(index).as_('stage'),
                Count(Literal(1), window=Window([])).as_('count'),
                where=table.id.in_(visible) & table.state.in_(states),
                order_by=[table.last_activity_at.desc, table.id.desc],
                limit=limit) for index, states in enumerate(STAGES.values())]
        cursor.execute(*Union(*[q.select(q.id, q.stage, q.count)
                    for q in newest], all_=True))
        rows = cursor.fetchall()
        names = list(STAGES)
        counts = {names[stage]: count for _, stage, count in rows}
        tickets = cls.browse([i for i, _, _ in rows])
        return {name: (counts.get(name, 0),
                sorted([t for t in tickets if t.state in states],
                    key=lambda t: (t.last_activity_at or dt.datetime.min,
                        t.id), reverse=True))
            for name, states in STAGES.items()}

    @property
    def path(self):
        "The line and request type as the portal shows them."
        return f'{self.line.name} > {self.request_type.name}'

    @property
    def url(self):
        from trytond import config
        base = config.get('portal', 'url', default='').rstrip('/')
        return f'{base}/tickets/{self.uuid}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('number', operator, value),
            ('title', operator, value),
            ('condominium.rec_name', operator, value),
            ('client.rec_name', operator, value),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values.setdefault('uuid', cls.default_uuid())
            values.setdefault('last_activity_at', dt.datetime.now())
            if not values.get('number'):
                values['number'] = Sequence(ModelData.get_id(
                        'insurance_ticket', 'sequence_ticket')).get()
        return values

    @classmethod
    def on_modification(cls, mode, tickets, field_names=None):
        super().on_modification(mode, tickets, field_names=field_names)
        if mode == 'create':
            cls._sync_opportunities(tickets)

    @classmethod
    def open(cls, values, body, files, author):
        """Create the ticket with its first message and files.

        A quote request needs the old policy: the broker pre-fills the quote
        from it."""
        RequestType = Pool().get('insurance.ticket.request_type')
        request_type = RequestType(values['request_type'])
        if request_type.is_quote_request and not files:
            raise MissingOldPolicy(gettext(
                    'insurance_ticket.msg_ticket_old_policy_required'))
        if request_type.is_quote_request:
            files = [dict(files[0], category='old_policy'), *files[1:]]
        ticket, = cls.create([values])
        ticket.post(body, files, author, event='new')
        ticket.acknowledge(author)
        return ticket

    def acknowledge(self, author):
        "Tell the author of a new ticket its number and what comes next."
        pool = Pool()
        WebUser = pool.get('web.user')
        user = author.get('author_web_user')
        if not user:
            return
        user = WebUser(int(user))
        with i18n.written_to(user) as language:
            ticket = self.__class__(self.id)
            mail.send(user.email, 'insurance_ticket/email/opened.html',
                language, resource=ticket, ticket=ticket, user=user)

    # Roles: who may see the ticket in the portal

    @property
    def forwarded_brokerage(self):
        "The brokerage, once the ticket was forwarded to it."
        return self.brokerage if self.at_broker_at else None

    def get_portal_parties(self, name):
        return [p.id for p, _ in self.portal_party_roles()]

    def portal_party_roles(self):
        "Return the (party, role) pairs that reach the ticket in the portal."
        pairs = []
        for field, role, once in PORTAL_PARTIES:
            party = getattr(self, field)
            if party and (once is None or getattr(self, once)):
                pairs.append((party, role))
        return pairs

    @classmethod
    def search_portal_parties(cls, name, clause):
        "The parties of the clause reach the tickets as PORTAL_PARTIES says."
        _, operator, value = clause[:3]
        domain = ['OR']
        for field, _, once in PORTAL_PARTIES:
            condition = (field, operator, value)
            if once:
                condition = [condition, (once, '!=', None)]
            domain.append(condition)
        return domain

    def portal_roles(self, web_user):
        "Return the roles the web user holds on the ticket."
        parties = set(web_user.acting_parties)
        return {role for party, role in self.portal_party_roles()
            if party in parties}

    def portal_actions(self, web_user):
        "Return the names of the actions the web user may take now."
        roles = self.portal_roles(web_user)
        return {
            name for name, (role, states) in PORTAL_ACTIONS.items()
            if role in roles and self.state in states}

    def check_portal_action(self, web_user, action):
        if action not in self.portal_actions(web_user):
            raise PortalActionDenied(gettext(
                    'insurance_ticket.msg_ticket_action_denied',
                    ticket=self.number))

    # Thread

    def post(self, body, files=(), author=None, internal=False,
            event=None):
        "Add a message to the thread with its files and notify followers."
        pool = Pool()
        Message = pool.get('insurance.ticket.message')
        Attachment = pool.get('insurance.ticket.attachment')
        author = author or Message.back_office_author()
        # with its files at once: the followers' emails list them
        message = Message(
            ticket=self, body=body or '', internal=internal, event=event,
            attachments=[Attachment(ticket=self, **f) for f in files],
            **author)
        message.save()
        return message

    def reply(self, body, files, author):
        "Post a follower's reply; the client's brings a waiting ticket back."
        if self.state in CLOSED:
            raise TicketEnded(gettext(
                    'insurance_ticket.msg_ticket_ended', ticket=self.number))
        message = self.post(body, files, author)
        if self.state == 'waiting' and message.author_is_client:
            self.client_replied([self], author)
        return message

    # Back-office transitions

    @classmethod
    def _event(cls, tickets, event, author=None, body=''):
        for ticket in tickets:
            ticket.post(body, author=author, event=event)

    @classmethod
    def _end(cls, tickets, event, author=None, body=''):
        "Close the tickets with the event that ended them."
        cls.write(tickets, {'closed_at': dt.datetime.now()})
        cls._event(tickets, event, author, body)

    @classmethod
    @ModelView.button
    @Workflow.transition('in_charge')
    def take_in_charge(cls, tickets):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        if not user.employee:
            raise MissingEmployee(gettext(
                    'insurance_ticket.msg_ticket_operator_employee',
                    user=user.rec_name))
        now = dt.datetime.now()
        for ticket in tickets:
            ticket.operator = user
            ticket.employee = user.employee
            ticket.in_charge_at = ticket.in_charge_at or now
            ticket.first_response_at = ticket.first_response_at or now
        cls.save(tickets)
        cls._event(tickets, 'in_charge')

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def ask_client(cls, tickets):
        cls._event(tickets, 'waiting')

    @classmethod
    @ModelView.button
    @Workflow.transition('at_broker')
    def forward(cls, tickets):
        for ticket in tickets:
            if not ticket.brokerage:
                raise MissingBrokerage(gettext(
                        'insurance_ticket.msg_ticket_brokerage_required',
                        ticket=ticket.number))
            ticket.at_broker_at = dt.datetime.now()
        cls.save(tickets)
        cls._event(tickets, 'at_broker')

    @classmethod
    @ModelView.button
    def cancel(cls, tickets):
        cls.withdraw(tickets)

    @classmethod
    @Workflow.transition('cancelled')
    def withdraw(cls, tickets, author=None, body=''):
        "Cancel the tickets: by the operator or by the client."
        cls._end(tickets, 'cancelled', author, body)

    @classmethod
    @ModelView.button
    def close(cls, tickets):
        cls.finish(tickets)

    @classmethod
    @Workflow.transition('closed')
    def finish(cls, tickets, author=None, body=''):
        "Close the signed tickets: by the operator or by the broker."
        cls._end(tickets, 'closed', author, body)

    @classmethod
    @ModelView.button
    def verify_signature(cls, tickets):
        Evidence = Pool().get('insurance.ticket.evidence')
        for ticket in tickets:
            Evidence.verify_signed_copy(ticket, Evidence.verify_chain(ticket))

    # Portal transitions: the portal views check the role first

    @classmethod
    @Workflow.transition('in_charge')
    def client_replied(cls, tickets, author):
        "A reply of the client brings a waiting ticket back to the operator."
        cls._event(tickets, 'in_charge', author)

    @classmethod
    @Workflow.transition('questionnaire_sent')
    def send_questionnaire(cls, tickets, author, body, files=(),
            risk_type=None):
        """Ask the client the questionnaire of the risk (see
        ticket_questionnaire), with its spreadsheet pre-filled."""
        for ticket in tickets:
            collection = ticket.ask_questionnaire(risk_type)
            questionnaire = document.questionnaire(ticket, collection)
            ticket.post(body, [questionnaire, *files], author,
                event='questionnaire_sent')

    @classmethod
    @Workflow.transition('questionnaire_returned')
    def return_questionnaire(cls, tickets, author, body, files,
            collection=None):
        """Return the questionnaire: answered online (the collection) or as
        the spreadsheet, which drops the draft left online."""
        for ticket in tickets:
            ticket.withdraw_questionnaire(keep=collection)
            ticket.post(body, files, author, event='questionnaire_returned')

    @classmethod
    @Workflow.transition('quote_sent')
    def send_quote(cls, tickets, author, body, files, quote):
        for ticket in tickets:
            for name, value in quote.items():
                setattr(ticket, name, value)
            ticket.quote_sent_at = dt.datetime.now()
            ticket.save()
            letter = document.quote_letter(ticket)
            ticket.post(body, [letter, *files], author, event='quote_sent')
        cls._sync_opportunities(tickets, 'quote_sent')

    @classmethod
    @Workflow.transition('accepted')
    def accept(cls, tickets, author, body, web_user, ip_address):
        cls.write(tickets, {
                'accepted_by': web_user.id,
                'accepted_at': dt.datetime.now(),
                'accepted_ip': ip_address,
                })
        cls._event(tickets, 'accepted', author, body)

    @classmethod
    @Workflow.transition('declined')
    def decline(cls, tickets, author, body):
        cls._end(tickets, 'declined', author, body)
        cls._sync_opportunities(tickets, 'declined')

    @classmethod
    @Workflow.transition('signing')
    def send_policy(cls, tickets, author, body, files, policy):
        Attachment = Pool().get('insurance.ticket.attachment')
        for ticket in tickets:
            for name, value in policy.items():
                setattr(ticket, name, value)
            ticket.save()
            if not files or not document.is_pdf(
                    Attachment.content(files[0])):
                raise PolicyNotPdf(gettext(
                        'insurance_ticket.msg_ticket_policy_pdf'))
            message = ticket.post(body, files, author, event='signing')
            policy_document, = Attachment.search(
                [('message', '=', message.id)], limit=1)
            ticket.policy_document = policy_document
            ticket.policy_hash = policy_document.sha256
            ticket.save()

    def policy_data(self):
        "Return the bytes of the frozen policy, empty without one."
        Attachment = Pool().get('insurance.ticket.attachment')
        if not self.policy_document:
            return b''
        return bytes(Attachment(self.policy_document.id).data or b'')

    def request_signature_code(self, web_user):
        "Send the signer a code for the frozen policy."
        SignatureRequest = Pool().get('insurance.ticket.signature_request')
        self.check_portal_action(web_user, 'sign')
        return SignatureRequest.send_code(self, web_user)

    def sign(self, web_user, code, ip_address, user_agent):
        "Sign the frozen policy with the code: there is no other way."
        pool = Pool()
        SignatureRequest = pool.get('insurance.ticket.signature_request')
        Evidence = pool.get('insurance.ticket.evidence')
        Message = pool.get('insurance.ticket.message')
        self.check_portal_action(web_user, 'sign')
        with without_check_access():
            request = SignatureRequest.current(self, web_user)
        if not request:
            raise SignatureCodeInvalid(gettext(
                    'insurance_ticket.msg_signature_no_code'))
        request.check(code)
        evidence = Evidence.record(request, ip_address, user_agent)
        self.signed([self], Message.web_author(web_user),
            [document.signed_copy(self, self.policy_data(), evidence)])
        return evidence

    @classmethod
    @Workflow.transition('signed')
    def signed(cls, tickets, author, files):
        pool = Pool()
        Policy = pool.get('insurance.policy')
        with without_check_access():
            # the policy register is the staff's: the signer only creates it
            for ticket in tickets:
                ticket.policy = Policy.from_ticket(ticket)
                ticket.save()
        for ticket in tickets:
            ticket.post('', files, author, event='signed')
        cls._sync_opportunities(tickets, 'signed')

    # CRM

    @classmethod
    def _sync_opportunities(cls, tickets, state='new'):
        "Create or update the opportunity of each quote request."
        Opportunity = Pool().get('sale.opportunity')
        with without_check_access():
            for ticket in tickets:
                if not ticket.request_type.is_quote_request:
                    continue
                opportunity = ticket.opportunity or Opportunity(
                    company=ticket.company, currency=ticket.company.currency,
                    party=ticket.client_company or ticket.client,
                    state='lead',
                    reference=ticket.number,
                    description=ticket.title[:100])
                ticket._update_opportunity(opportunity, state)
                opportunity.save()
                if not ticket.opportunity:
                    cls.write([ticket], {'opportunity': opportunity.id})

    def _update_opportunity(self, opportunity, state):
        Date = Pool().get('ir.date')
        if self.premium is not None:
            opportunity.amount = self.premium
        if self.employee:
            opportunity.employee = self.employee
        if state == 'quote_sent':
            opportunity.state = 'opportunity'
        elif state == 'signed':
            opportunity.state = 'won'
            opportunity.end_date = Date.today()
        elif state == 'declined':
            opportunity.state = 'lost'
            opportunity.end_date = Date.today()

