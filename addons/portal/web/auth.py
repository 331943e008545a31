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

from .tryton import tryton

SESSION_KEY = 'web_session'


def is_logged_in():
    return SESSION_KEY in session


def current_user():
    "Return the logged-in web user, or None; inside a transaction."
    if 'web_user' not in g:
        WebUser = tryton.pool.get('web.user')
        key = session.get(SESSION_KEY)
        g.web_user = WebUser.get_user(key) if key else None
        if key and not g.web_user:
            session.clear()
    return g.web_user


def here():
    "Return the path of the current page, as the browser sees it."
    return request.script_root + request.full_path.rstrip('?')


def login_required(view):
    "Send anonymous visitors to the login page, then back."
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user():
            return redirect(url_for('portal.login', next=here()))
        return view(*args, **kwargs)
    return wrapper


def start_session(user, remember=False):
    "Open a new session for the user, dropping the previous cookie."
    language = session.get('language')
    session.clear()
    session[SESSION_KEY] = user.new_session()
    session['display_name'] = user.party.rec_name if user.party else user.email
    if language:
        session['language'] = language
    session.permanent = bool(remember)
    g.web_user = user


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
