# This file is part of the insurance intermediary platform.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import mail
from .exceptions import IdentityChangeDecidedError, IdentityChangeError

FIELDS = [
    ('surname', "Surname"),
    ('first_name', "First Name"),
    ('vat_code', "VAT or Client Code"),
    ('email', "Email"),
    ]


class IdentityChange(Workflow, ModelSQL, ModelView):
    """Identity Change Request

    A web user asks staff to change a locked identity field; once decided
    the request is the audit entry of the change and cannot be altered."""
    __name__ = 'portal.identity.change'
    _log = True

    web_user = fields.Many2One(
        'web.user', "Web User", required=True, readonly=True,
        ondelete='CASCADE')
    party = fields.Function(
        fields.Many2One('party.party', "Party"), 'get_party',
        searcher='search_party')
    field = fields.Selection(FIELDS, "Field", required=True, readonly=True)
    old_value = fields.Char("Current Value", readonly=True)
    new_value = fields.Char("New Value", required=True, readonly=True)
    note = fields.Text("Note", readonly=True)
    state = fields.Selection([
            ('pending', "Pending"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", required=True, readonly=True, sort=False)
    rejection_reason = fields.Text(
        "Rejection Reason",
        states={'readonly': Eval('state') != 'pending'})
    decided_by = fields.Many2One('res.user', "Decided By", readonly=True)
    decided_at = fields.Timestamp("Decided At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('pending', 'approved'),
            ('pending', 'rejected'),
            }
        cls._buttons.update({
                'approve': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'pending',
                    'readonly': ~Eval('rejection_reason'),
                    'icon': 'tryton-cancel',
                    'depends': ['state', 'rejection_reason'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    def get_party(self, name):
        return self.web_user.party.id if self.web_user.party else None

    @classmethod
    def search_party(cls, name, clause):
        return [('web_user.party',) + tuple(clause[1:])]

    def get_rec_name(self, name):
        return f'{self.web_user.rec_name}: {self.field}'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            WebUser = Pool().get('web.user')
            user = WebUser(values['web_user'])
            values['old_value'] = user.identity_value(values['field'])
            if values['field'] == 'email':
                values['new_value'] = values['new_value'].strip().lower()
        return values

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            decided = [r for r in records if r.state != 'pending']
            if decided and (mode == 'delete' or set(values) - {'state'}):
                raise IdentityChangeDecidedError(gettext(
                        'portal.msg_identity_change_decided',
                        request=decided[0].rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, requests):
        for request in requests:
            request.apply()
        cls._decide(requests)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, requests):
        for request in requests:
            if not request.rejection_reason:
                raise IdentityChangeError(gettext(
                        'portal.msg_identity_change_reason',
                        request=request.rec_name))
        cls._decide(requests)
        for request in requests:
            user = request.web_user
            mail.send(user.email, 'portal/email/change_rejected.html',
                user.language, resource=request,
                user=user, request=request)

    @classmethod
    def _decide(cls, requests):
        cls.write(requests, {
                'decided_by': Transaction().user,
                'decided_at': dt.datetime.now(),
                })

    def apply(self):
        "Write the new value on the web user and its party; log it there."
        pool = Pool()
        WebUser = pool.get('web.user')
        Log = pool.get('ir.model.log')
        user = self.web_user
        if self.field == 'email' and WebUser.search([
                    ('email', '=', self.new_value),
                    ('id', '!=', user.id),
                    ]):
            raise IdentityChangeError(gettext(
                    'portal.msg_identity_change_email_taken',
                    email=self.new_value))
        setattr(user, self.field, self.new_value)
        user.save()
        # The audit trail is written by the system, never by its readers
        with without_check_access():
            Log.create([{
                        'resource': str(user), 'event': 'write',
                        'target': self.field, 'user': Transaction().user,
                        }])
        party = user.party
        if party and self.field in {'surname', 'first_name'}:
            party.name = user.full_name
            party.save()
        elif party and self.field == 'email':
            for mechanism in party.contact_mechanisms:
                if mechanism.type == 'email' and (
                        mechanism.value.lower() == (self.old_value or '')):
                    mechanism.value = self.new_value
                    mechanism.save()
