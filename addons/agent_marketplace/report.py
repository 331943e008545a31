# This file is part of the insurance intermediary platform.
"""People's reports of an agent (spam, no answer), reviewed by the staff."""
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pyson import Eval
from trytond.transaction import without_check_access


class Report(Workflow, ModelSQL, ModelView):
    "Agent Report"
    __name__ = 'marketplace.report'

    offer = fields.Many2One(
        'marketplace.offer', "Offer", required=True, readonly=True,
        ondelete='CASCADE')
    agent = fields.Many2One(
        'marketplace.agent', "Agent", readonly=True, ondelete='CASCADE')
    web_user = fields.Many2One(
        'web.user', "Reported By", required=True, readonly=True,
        ondelete='CASCADE')
    reason = fields.Selection([
            ('spam', "Spam"),
            ('no_answer', "No Answer"),
            ('behaviour', "Improper Behaviour"),
            ('other', "Other"),
            ], "Reason", required=True, readonly=True)
    note = fields.Text("Note", readonly=True, size=2000)
    review_note = fields.Text(
        "Review Note", size=2000,
        states={'readonly': Eval('state') != 'new'})
    state = fields.Selection([
            ('new', "New"),
            ('upheld', "Upheld"),
            ('dismissed', "Dismissed"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.agent, Index.Range())))
        cls._order = [('id', 'DESC')]
        cls._transitions |= {('new', 'upheld'), ('new', 'dismissed')}
        cls._buttons.update({
                'uphold': {
                    'invisible': Eval('state') != 'new',
                    'icon': 'tryton-ok', 'depends': ['state']},
                'dismiss': {
                    'invisible': Eval('state') != 'new',
                    'icon': 'tryton-cancel', 'depends': ['state']},
                })

    @classmethod
    def default_state(cls):
        return 'new'

    @classmethod
    def preprocess_values(cls, mode, values):
        "The agent reported is the offer's, whom the person may not read."
        Offer = cls.offer.get_target()
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('offer'):
            with without_check_access():
                values['agent'] = Offer(values['offer']).agent.id
        return values

    @classmethod
    @ModelView.button
    @Workflow.transition('upheld')
    def uphold(cls, reports):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('dismissed')
    def dismiss(cls, reports):
        pass
