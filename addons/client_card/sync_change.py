# This file is part of the insurance intermediary platform.
"""Changes waiting for approval before they reach a target.

Where a target asks for approval, a changed card opens a pending change:
one line per changed field with the value the target has, the new value
and where the new value came from. Staff approve or reject each field, or
the whole card; once no field waits the approved values go to the outbox,
and only they: a rejected field keeps the value the target has and is not
proposed again until its value changes. Every decision is kept (who,
when, which field, from what to what) and never changed."""
import datetime as dt
import json

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .export_columns import columns, headers
from .sync_exceptions import DecisionAppendOnly

CHANGE_STATES = [
    ('pending', "Pending"),
    ('decided', "Decided"),
    ]
DECISIONS = [
    ('pending', "Pending"),
    ('approved', "Approved"),
    ('rejected', "Rejected"),
    ]
# values that change with every change and are not decided on
UNDECIDED = {'card.updated'}


def provenance(party, key):
    "Return where the party's current value of key came from."
    Party = Pool().get('party.party')
    provenance_of = getattr(Party, 'card_provenance', None)
    if provenance_of:
        text = provenance_of(party, key)
        if text:
            return text
    context = Transaction().context
    if context.get('card_channel'):
        return ', '.join(filter(None, [
                    context['card_channel'], context.get('card_reference')]))
    User = Pool().get('res.user')
    return f'back office, {User(Transaction().user).rec_name}'


class Change(ModelSQL, ModelView):
    "Pending Card Change"
    __name__ = 'client_card.sync.change'

    target = fields.Many2One('client_card.sync.target', "Target",
        required=True, readonly=True, ondelete='CASCADE')
    party = fields.Many2One('party.party', "Card", required=True,
        readonly=True, ondelete='CASCADE')
    state = fields.Selection(CHANGE_STATES, "State", required=True,
        readonly=True)
    lines = fields.One2Many('client_card.sync.change.field', 'change',
        "Fields", readonly=True)
    decisions = fields.One2Many('client_card.sync.decision', 'change',
        "Decisions", readonly=True)
    delivery = fields.Many2One('client_card.sync.delivery', "Delivery",
        readonly=True)
    latest = fields.Text("Latest Values", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.state, Index.Equality(cardinality='low')),
                where=t.state == 'pending'))
        cls._order = [('id', 'DESC')]
        cls._buttons.update({
                'approve_all': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                'reject_all': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    def get_rec_name(self, name):
        return f'{self.party.rec_name} → {self.target.rec_name}'

    @classmethod
    def propose(cls, target, party, values, state):
        "Open or bring up to date the pending change of the party."
        Line = Pool().get('client_card.sync.change.field')
        baseline = state.queued_values() or {}
        rejected = json.loads(state.rejected or '{}')
        changes = cls.search([('target', '=', target.id),
                ('party', '=', party.id), ('state', '=', 'pending')], limit=1)
        change = changes[0] if changes else cls(
            target=target, party=party, lines=[])
        change.latest = json.dumps(values, ensure_ascii=False)
        change.save()
        labels = {c.key: c.label for c in columns()}
        labels.update({h.key: h.header for h in headers(target.profile)
                if target.profile == 'gestionale'})
        lines = {line.key: line for line in change.lines}
        to_save, to_delete = [], []
        for key, new in values.items():
            if key in UNDECIDED:
                continue
            old = baseline.get(key, '')
            line = lines.get(key)
            if new == old or rejected.get(key) == new:
                if line and line.decision == 'pending':
                    to_delete.append(line)
                continue
            if line and line.new_value == new:
                continue
            line = line or Line(change=change, key=key)
            line.label = labels.get(key, key)
            line.old_value = old
            line.new_value = new
            line.provenance = provenance(party, key)
            line.decision = 'pending'
            to_save.append(line)
        Line.save(to_save)
        Line.delete(to_delete)
        change = cls(change.id)
        if not change.lines:
            cls.delete([change])
            return None
        return change

    @classmethod
    @ModelView.button
    def approve_all(cls, changes):
        cls.decide([l for c in changes for l in c.lines
                if l.decision == 'pending'], 'approved')

    @classmethod
    @ModelView.button
    def reject_all(cls, changes):
        cls.decide([l for c in changes for l in c.lines
                if l.decision == 'pending'], 'rejected')

    @classmethod
    def decide(cls, lines, decision):
        "Record the decision on the lines; send the changes fully decided."
        pool = Pool()
        Line = pool.get('client_card.sync.change.field')
        Decision = pool.get('client_card.sync.decision')
        now = dt.datetime.now()
        user = Transaction().user
        lines = [l for l in lines if l.change.state == 'pending']
        with without_check_access():
            Line.write(lines, {'decision': decision})
            Decision.create([{
                        'change': l.change.id, 'key': l.key,
                        'label': l.label, 'decision': decision,
                        'old_value': l.old_value, 'new_value': l.new_value,
                        'provenance': l.provenance, 'user': user,
                        'decided_at': now,
                        } for l in lines])
            cls.settle(cls.browse({l.change.id for l in lines}))

    @classmethod
    def settle(cls, changes):
        "Send the approved values of the changes no field waits in."
        pool = Pool()
        Delivery = pool.get('client_card.sync.delivery')
        State = pool.get('client_card.sync.state')
        deliveries = []
        for change in cls.browse(changes):
            if any(l.decision == 'pending' for l in change.lines):
                continue
            state = State.of(change.target, change.party)
            values = dict(state.queued_values() or {})
            latest = json.loads(change.latest or '{}')
            rejected = json.loads(state.rejected or '{}')
            for line in change.lines:
                if line.decision == 'approved':
                    values[line.key] = line.new_value
                    rejected.pop(line.key, None)
                else:
                    values.setdefault(line.key, line.old_value)
                    rejected[line.key] = line.new_value
            for key in UNDECIDED:
                if key in latest:
                    values[key] = latest[key]
            state.rejected = json.dumps(rejected, ensure_ascii=False)
            change.state = 'decided'
            if any(l.decision == 'approved' for l in change.lines):
                change.delivery = Delivery.prepare(
                    change.target, change.party, values, state, change=change)
                deliveries.append(change.delivery)
            else:
                state.save()
            change.save()
        Delivery.queue(deliveries)


class ChangeField(ModelSQL, ModelView):
    "Pending Card Change Field"
    __name__ = 'client_card.sync.change.field'

    change = fields.Many2One('client_card.sync.change', "Change",
        required=True, readonly=True, ondelete='CASCADE')
    key = fields.Char("Key", required=True, readonly=True)
    label = fields.Char("Field", readonly=True)
    old_value = fields.Text("Value on the Target", readonly=True)
    new_value = fields.Text("New Value", readonly=True)
    provenance = fields.Char("Provenance", readonly=True,
        help="Where the new value came from.")
    decision = fields.Selection(DECISIONS, "Decision", required=True,
        readonly=True)
    change_state = fields.Function(
        fields.Selection(CHANGE_STATES, "Change State"), 'get_change_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('change', 'DESC'), ('id', 'ASC')]
        cls._buttons.update({
                'approve': {
                    'invisible': (Eval('decision') != 'pending')
                    | (Eval('change_state') != 'pending'),
                    'depends': ['decision', 'change_state'],
                    },
                'reject': {
                    'invisible': (Eval('decision') != 'pending')
                    | (Eval('change_state') != 'pending'),
                    'depends': ['decision', 'change_state'],
                    },
                })

    @classmethod
    def default_decision(cls):
        return 'pending'

    def get_change_state(self, name):
        return self.change.state

    @classmethod
    @ModelView.button
    def approve(cls, lines):
        Pool().get('client_card.sync.change').decide(lines, 'approved')

    @classmethod
    @ModelView.button
    def reject(cls, lines):
        Pool().get('client_card.sync.change').decide(lines, 'rejected')


class Decision(AppendOnlyMixin, ModelSQL, ModelView):
    "Card Change Decision"
    __name__ = 'client_card.sync.decision'
    _append_only_error = (
        DecisionAppendOnly, 'client_card.msg_sync_decision_append_only')

    change = fields.Many2One('client_card.sync.change', "Change",
        required=True, readonly=True, ondelete='RESTRICT')
    key = fields.Char("Key", required=True, readonly=True)
    label = fields.Char("Field", readonly=True)
    decision = fields.Selection(DECISIONS[1:], "Decision", required=True,
        readonly=True)
    old_value = fields.Text("Value on the Target", readonly=True)
    new_value = fields.Text("New Value", readonly=True)
    provenance = fields.Char("Provenance", readonly=True)
    user = fields.Many2One('res.user', "Decided By", required=True,
        readonly=True, ondelete='RESTRICT')
    decided_at = fields.Timestamp("Decided At", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('decided_at', 'DESC'), ('id', 'DESC')]
