# This file is part of the insurance intermediary platform.
from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_context(cls, model_name):
        "Let record rules name the web user and the parties it acts for."
        context = super()._get_context(model_name)
        transaction_context = Transaction().context
        context['web_user'] = transaction_context.get('web_user')
        context['web_user_parties'] = list(
            transaction_context.get('web_user_parties') or [])
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        context = Transaction().context
        return super()._get_cache_key(model_names) + (
            context.get('web_user'),
            tuple(context.get('web_user_parties') or ()))
