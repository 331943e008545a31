# This file is part of the insurance intermediary platform.
"""Portal sessions of web users.

The signed cookie holds the key of a ``web.user.session`` record and the
name shown in the navigation, so pages without a transaction still know
whether the visitor is logged in; views that act check the key in the
database.
"""
from functools import wraps
from urllib.parse import urlsplit

from flask import g, redirect, request, session, url_for

from trytond.transaction import Transaction, check_access

from . import extensions
from .extensions import for_app, view_guards
from .i18n import current_language
from .tryton import tryton

SESSION_KEY = 'web_session'
# what the session's roles hold: 2, the services the web user came for too
ROLES_FORMAT = 2


def transaction(readonly=None, restricted=False):
    """Run the view in a Tryton transaction, in the visitor's language.

    ``readonly=None`` makes GET and HEAD read-only and other methods not.
    A ``restricted`` view needs a logged-in web user and runs as the
    ``portal`` back-office user with access rights and record rules
    enforced; the rules see the web user as ``web_user`` and the parties it
    acts for as ``web_user_parties`` (see ``ir.rule`` in this module). The
    guards the modules register (``extensions.view_guard``) run first, in
    the same transaction: one may answer instead of the view.
    """
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
                if session.get('roles_format') != ROLES_FORMAT:
                    # a session opened before the roles had this form
                    refresh_roles(user)
                with Transaction().set_user(portal_user_id()), \
                        Transaction().set_context(
                            web_user=user.id,
                            web_user_parties=[
                                p.id for p in user.acting_parties]), \
                        check_access():
                    for guard in for_app(view_guards):
                        answer = guard(user)
                        if answer is not None:
                            return answer
                    return func(*args, **kwargs)
        return wrapper
    return decorator


def portal_user_id():
    "Return the id of the back-office user the portal acts as."
    ModelData = tryton.pool.get('ir.model.data')
    return ModelData.get_id('portal', 'user_portal')


def is_logged_in():
    return SESSION_KEY in session


def current_user():
    """Return the logged-in web user, or None; inside a transaction. The
    record is read again in a new transaction: a view the database made
    retry must not read the rolled-back one's."""
    if g.get('web_user_transaction') is not Transaction():
        WebUser = tryton.pool.get('web.user')
        key = session.get(SESSION_KEY)
        remember_user(WebUser.get_user(key) if key else None)
        if key and not g.web_user:
            session.clear()
    return g.web_user


def remember_user(user):
    "Keep the web user for the rest of the request's transaction."
    g.web_user = user
    g.web_user_transaction = Transaction()


def here():
    "Return the path of the current page, as the browser sees it."
    return request.script_root + request.full_path.rstrip('?')



def start_session(user, remember=False):
    "Open a new session for the user, dropping the previous cookie."
    language = session.get('language')
    session.clear()
    session[SESSION_KEY] = user.new_session()
    session['display_name'] = user.party.rec_name if user.party else user.email
    refresh_roles(user)
    if language:
        session['language'] = language
    session.permanent = bool(remember)
    remember_user(user)


def refresh_roles(user):
    "Record in the session the roles the web user holds now."
    session['roles'] = extensions.roles_of(user)
    session['roles_format'] = ROLES_FORMAT


def holds(role):
    """Tell whether the logged-in web user holds the role (a service it came
    for included), as the session read it."""
    return role in (session.get('roles') or ())


def end_session():
    "Close the session in the database and in the cookie."
    key = session.get(SESSION_KEY)
    if key:
        tryton.pool.get('web.user.session').remove(key)
    language = session.get('language')
    session.clear()
    if language:
        session['language'] = language


def safe_next(target, default='portal.index'):
    "Return a local redirect target, refusing other hosts."
    if (target and target.startswith('/')
            and not urlsplit(target.replace('\\', '/')).netloc):
        return target
    return url_for(default)
