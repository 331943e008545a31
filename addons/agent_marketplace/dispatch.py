# This file is part of the insurance intermediary platform.
"""The agents a request was sent to: each agent's inbox."""
from trytond.model import Index, ModelSQL, ModelView, Unique, fields


class Dispatch(ModelSQL, ModelView):
    "Marketplace Dispatch"
    __name__ = 'marketplace.dispatch'

    request = fields.Many2One(
        'marketplace.request', "Request", required=True, readonly=True,
        ondelete='CASCADE')
    agent = fields.Many2One(
        'marketplace.agent', "Agent", required=True, readonly=True,
        ondelete='CASCADE')
    insurer = fields.Many2One(
        'marketplace.insurer', "Insurer", required=True, readonly=True,
        ondelete='RESTRICT',
        help="The insurer of the agent's mandate the request chose.")
    dispatched_at = fields.Function(
        fields.Timestamp("Dispatched At"), 'get_dispatched_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('request_agent_unique', Unique(t, t.request, t.agent),
                'agent_marketplace.msg_dispatch_unique'),
            ]
        cls._sql_indexes.add(Index(t,
                (t.agent, Index.Range()), (t.id, Index.Range(order='DESC'))))
        cls._order = [('id', 'DESC')]

    def get_dispatched_at(self, name):
        return self.create_date
