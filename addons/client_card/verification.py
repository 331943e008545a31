# This file is part of the insurance intermediary platform.
"""Staff marks of a section as verified: who, when, against which
document. A later change of the section makes the mark stale."""
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.portal.append_only import AppendOnlyMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .card import SECTIONS
from .exceptions import CardHistoryImmutable
from .provenance import local_time, utc_now


class Verification(AppendOnlyMixin, ModelSQL, ModelView):
    "Card Verification"
    __name__ = 'party.card.verification'
    _append_only_error = (
        CardHistoryImmutable, 'client_card.msg_history_immutable')

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')
    section = fields.Selection(
        [(c, l) for c, l, _ in SECTIONS], "Section", required=True)
    section_string = section.translated('section')
    document = fields.Many2One('party.card.document', "Document",
        domain=[('party', '=', Eval('party', -1))],
        help="The document the values were checked against.")
    note = fields.Char("Note", size=500)
    user = fields.Many2One('res.user', "Verified By", readonly=True)
    time = fields.Timestamp("Verified At", readonly=True)
    last_history = fields.Integer("Last History Row", readonly=True,
        help="The last row of the card's history when it was verified.")
    current = fields.Function(fields.Boolean("Current",
            help="No value of the section changed since."), 'get_current')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('time', 'DESC'), ('id', 'DESC')]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            values['user'] = Transaction().user or None
            values['time'] = utc_now()
            if values.get('party'):
                History = Pool().get('party.card.history')
                values['last_history'] = History.last_id(values['party'])
        return values

    def describe(self):
        "Return 'verified by … on … against …'."
        text = ' · '.join(filter(None, [
                    self.fields_get(['user'])['user']['string'],
                    self.user.rec_name if self.user else None,
                    local_time(self.time),
                    self.document.rec_name if self.document else None,
                    self.note]))
        return f'✓ {text}'

    @classmethod
    def get_current(cls, verifications, name):
        History = Pool().get('party.card.history')
        result = {}
        for verification in verifications:
            later = History.search([
                    ('party', '=', verification.party.id),
                    ('section', '=', verification.section),
                    ('id', '>', verification.last_history or 0),
                    ], limit=1)
            result[verification.id] = not later
        return result

    @classmethod
    def current_of(cls, party):
        "Return {section: the current verification} of the party."
        result = {}
        for verification in cls.search([('party', '=', party.id)]):
            if verification.section not in result and verification.current:
                result[verification.section] = verification
        return result
