# This file is part of the insurance intermediary platform.
"""The Tryton binding shared by every module's portal pages."""
from functools import wraps

from flask import redirect, url_for
from flask_tryton import Tryton

from trytond.transaction import Transaction, check_access

tryton = Tryton()


def transaction(readonly=None, restricted=False):
    """Run the view in a Tryton transaction, in the visitor's language.

    ``readonly=None`` makes GET and HEAD read-only and other methods not.
    A ``restricted`` view needs a logged-in web user and runs as the
    ``portal`` back-office user with access rights and record rules
    enforced; the rules see the web user as ``web_user`` and the parties it
    acts for as ``web_user_parties`` (see ``ir.rule`` in this module).
    """
    from .auth import current_user, here
    from .i18n import current_language

    def decorator(func):
        @tryton.transaction(readonly=readonly)
        @wraps(func)
        def wrapper(*args, **kwargs):
            with Transaction().set_context(language=current_language()):
                if not restricted:
                    return func(*args, **kwargs)
                user = current_user()
                if not user:
                    return redirect(url_for('portal.login', next=here()))
                with Transaction().set_user(portal_user_id()), \
                        Transaction().set_context(
                            web_user=user.id,
                            web_user_parties=[
                                p.id for p in user.acting_parties]), \
                        check_access():
                    return func(*args, **kwargs)
        return wrapper
    return decorator


def portal_user_id():
    "Return the id of the back-office user the portal acts as."
    ModelData = tryton.pool.get('ir.model.data')
    return ModelData.get_id('portal', 'user_portal')
