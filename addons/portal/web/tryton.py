# This file is part of the insurance intermediary platform.
"""The Tryton binding shared by every module's portal pages."""
from functools import wraps

from flask_tryton import Tryton

from trytond.transaction import Transaction

tryton = Tryton()


def transaction(readonly=None):
    """Run the view in a Tryton transaction, in the visitor's language.

    ``readonly=None`` makes GET and HEAD read-only and other methods not.
    """
    from .i18n import current_language

    def decorator(func):
        @tryton.transaction(readonly=readonly)
        @wraps(func)
        def wrapper(*args, **kwargs):
            with Transaction().set_context(language=current_language()):
                return func(*args, **kwargs)
        return wrapper
    return decorator
